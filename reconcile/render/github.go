package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

// AnnotationLimit is how many annotations of each level (error, warning,
// notice) GitHub shows for one step; the rest are dropped.
const AnnotationLimit = 10

// StepSummaryLimit is the most orgctl writes to $GITHUB_STEP_SUMMARY.
// GitHub refuses a step's summary over 1 MiB (and then shows none of it),
// so the table is cut short of that with a note.
const StepSummaryLimit = 1000 << 10

// GitHub writes GitHub Actions workflow commands (::error and ::warning)
// that GitHub shows as annotations on the files, then the summary line.
// GitHub shows only about ten annotations of each level per step, so
// errors come first, then warnings, each in file and line order; with
// o.Verbose, exempt findings follow as ::notice. With o.StepSummary, the
// Markdown report of StepSummary, which lists every finding, is written
// there too.
func GitHub(w io.Writer, r reconcile.Result, o Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range byImportance(r.Reported(o.Verbose)) {
		bw.WriteString(annotation(f))
	}
	fmt.Fprintln(bw, SummaryLine(r))
	if err := bw.Flush(); err != nil {
		return err
	}
	if o.StepSummary != nil {
		if err := StepSummary(o.StepSummary, r, o); err != nil {
			return fmt.Errorf("writing the step summary: %w", err)
		}
	}
	return nil
}

// annotation is one workflow command, e.g.
// `::error file=a.yaml,line=3,col=5,title=orgctl missing-coach::message`.
// Properties GitHub cannot use (line 0, column 0, no file) are left out.
func annotation(f reconcile.Finding) string {
	level, title := f.Severity.String(), "orgctl "+f.Rule
	if f.Exempt {
		level, title = "notice", title+" (exempt)"
	}
	var props []string
	if file := workspaceFile(f); file != "" {
		props = append(props, "file="+annotationProperty(file))
	}
	if f.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", f.Line))
		if f.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", f.Column))
		}
	}
	props = append(props, "title="+annotationProperty(title))
	return "::" + level + " " + strings.Join(props, ",") + "::" + annotationData(f.Message) + "\n"
}

// workspaceFile is the file an annotation or the step summary names: the
// path as orgctl was given it, relative to the directory it ran in (GitHub
// resolves annotations against the workspace, where workflows run), or,
// when that path is absolute or climbs out with "..", the path relative to
// the org root, so that no path of the machine is published.
func workspaceFile(f reconcile.Finding) string {
	file := f.File
	if strings.HasPrefix(file, "/") || file == ".." || strings.HasPrefix(file, "../") ||
		len(file) >= 3 && file[1] == ':' && (file[2] == '/' || file[2] == '\\') {
		return f.Path()
	}
	return file
}

// byImportance orders findings as GitHub should show them: errors, then
// warnings, then exempt findings; the order within each group is kept.
func byImportance(fs []reconcile.Finding) []reconcile.Finding {
	out := make([]reconcile.Finding, 0, len(fs))
	for _, group := range []func(reconcile.Finding) bool{
		func(f reconcile.Finding) bool { return !f.Exempt && f.Severity == reconcile.Error },
		func(f reconcile.Finding) bool { return !f.Exempt && f.Severity != reconcile.Error },
		func(f reconcile.Finding) bool { return f.Exempt },
	} {
		for _, f := range fs {
			if group(f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// StepSummary writes the Markdown report for $GITHUB_STEP_SUMMARY: a
// heading, the verdict with the counts, and a table of every finding
// (exempt ones too with o.Verbose) in the order of the annotations. Every
// string from the org is escaped with EscapeMarkdown. The report stays
// under StepSummaryLimit bytes; rows that do not fit are counted in a note.
func StepSummary(w io.Writer, r reconcile.Result, o Options) error {
	var b strings.Builder
	s := r.Summary
	icon := "✅"
	switch {
	case s.Errors > 0:
		icon = "❌"
	case s.Warnings > 0:
		icon = "⚠️"
	}
	fmt.Fprintf(&b, "## orgctl validate\n\n%s %s\n", icon, SummaryLine(r))
	shown := byImportance(r.Reported(o.Verbose))
	if len(shown) > 0 {
		if s.Errors > AnnotationLimit || s.Warnings > AnnotationLimit {
			fmt.Fprintf(&b, "\nGitHub shows only the first %d errors and %d warnings of a step as annotations; this table lists every finding.\n", AnnotationLimit, AnnotationLimit)
		}
		b.WriteString("\n| severity | rule | file:line | message |\n|---|---|---|---|\n")
	}
	const noteRoom = 200 // for the note on rows left out
	for i, f := range shown {
		sev := f.Severity.String()
		if f.Exempt {
			sev += " (exempt)"
		}
		where := EscapeMarkdown(workspaceFile(f))
		if f.Line > 0 {
			where += fmt.Sprintf(":%d", f.Line)
		}
		row := fmt.Sprintf("| %s | %s | %s | %s |\n", sev, EscapeMarkdown(f.Rule), where, EscapeMarkdown(f.Message))
		if b.Len()+len(row) > StepSummaryLimit-noteRoom {
			fmt.Fprintf(&b, "\n**%s not shown: GitHub's step summary holds at most 1 MiB.** Run `orgctl validate` for the full list.\n",
				plural(len(shown)-i, "more finding is", "more findings are"))
			break
		}
		b.WriteString(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
