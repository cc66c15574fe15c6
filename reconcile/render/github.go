package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
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
// GitHub shows only about ten annotations of each level per step and drops
// the rest, so each level gets at most AnnotationLimit, chosen by
// pickAnnotations: structural problems first, then one of each rule in
// turn, and the findings left over counted in one summary annotation per
// rule. With o.Verbose, exempt findings follow as ::notice. With
// o.StepSummary, the Markdown report of StepSummary, which lists every
// finding, is written there too.
func GitHub(w io.Writer, r reconcile.Result, o Options) error {
	bw := bufio.NewWriter(w)
	more := "run orgctl validate for the full list"
	if o.StepSummary != nil {
		more = "see the step summary"
	}
	public, private := reconcile.Publishable(r.Reported(o.Verbose))
	for _, a := range pickAnnotations(public, AnnotationLimit, more) {
		bw.WriteString(a)
	}
	if note := private.Note(); note != "" {
		bw.WriteString(workflowCommand("notice", "orgctl", "", 0, 0, note))
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

// pickAnnotations chooses the workflow commands for findings, at most
// limit per level (error, warning, notice), levels in that order. Within a
// level, the findings are ranked by reconcile.Tier (structural problems
// first) and, within a tier, taken one rule at a time in catalogue order
// (the first of each rule, then the second of each, ...), so that one
// management cycle is not buried under a thousand missing coaches. When a
// level holds more than limit findings, the first ones are annotated one by
// one, leaving room for one summary annotation per rule left over ("and
// 1,412 more missing-coach findings: see the step summary") when that takes
// at most summaryRoom annotations; otherwise all but one are findings and
// the last counts the rest, rule by rule ("and 6 more findings (1 parse,
// 2 missing-coach, ...)").
func pickAnnotations(fs []reconcile.Finding, limit int, more string) []string {
	var out []string
	levels := [][]int{
		{reconcile.TierStructuralError, reconcile.TierError},
		{reconcile.TierStructuralWarning, reconcile.TierWarning},
		{reconcile.TierExempt},
	}
	for _, tiers := range levels {
		var ranked []reconcile.Finding
		for _, tier := range tiers {
			ranked = append(ranked, interleaveRules(fs, tier)...)
		}
		out = append(out, levelAnnotations(ranked, limit, more)...)
	}
	return out
}

// interleaveRules returns the findings of one tier, in output order within
// each rule, taking one finding of each rule in turn (rules in catalogue
// order; rules the catalogue does not know, from the loader, first).
func interleaveRules(fs []reconcile.Finding, tier int) []reconcile.Finding {
	byRule := map[reconcile.RuleID][]reconcile.Finding{}
	var rules []reconcile.RuleID
	for _, f := range fs {
		if reconcile.Tier(f) != tier {
			continue
		}
		if _, seen := byRule[f.Rule]; !seen {
			rules = append(rules, f.Rule)
		}
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	slices.SortStableFunc(rules, func(a, b reconcile.RuleID) int {
		return cmp.Compare(reconcile.RuleOrder(a), reconcile.RuleOrder(b))
	})
	out := make([]reconcile.Finding, 0, len(fs))
	for round := 0; ; round++ {
		took := false
		for _, r := range rules {
			if round < len(byRule[r]) {
				out = append(out, byRule[r][round])
				took = true
			}
		}
		if !took {
			return out
		}
	}
}

// levelAnnotations renders the ranked findings of one level, keeping
// within limit as pickAnnotations describes.
func levelAnnotations(ranked []reconcile.Finding, limit int, more string) []string {
	var out []string
	if len(ranked) <= limit {
		for _, f := range ranked {
			out = append(out, annotation(f))
		}
		return out
	}
	// leftover lists the rules of ranked[n:] in order of appearance, with
	// how many findings of each are left.
	leftover := func(n int) (rules []reconcile.RuleID, count map[reconcile.RuleID]int) {
		count = map[reconcile.RuleID]int{}
		for _, f := range ranked[n:] {
			if count[f.Rule] == 0 {
				rules = append(rules, f.Rule)
			}
			count[f.Rule]++
		}
		return rules, count
	}
	// Give up to summaryRoom annotations to one summary per rule left
	// over; when more rules than that are left, keep limit-1 findings and
	// count the rest in one summary that names each rule with its count.
	n, perRule := limit-1, false
	for k := 1; k <= summaryRoom && k < limit; k++ {
		if rules, _ := leftover(limit - k); len(rules) <= k {
			n, perRule = limit-k, true
			break
		}
	}
	for _, f := range ranked[:n] {
		out = append(out, annotation(f))
	}
	rules, count := leftover(n)
	// Summaries in the order of the catalogue, structural rules first.
	slices.SortStableFunc(rules, func(a, b reconcile.RuleID) int {
		return cmp.Or(-cmp.Compare(boolInt(reconcile.IsStructural(a)), boolInt(reconcile.IsStructural(b))),
			cmp.Compare(reconcile.RuleOrder(a), reconcile.RuleOrder(b)))
	})
	like := ranked[0]
	kind := ""
	if like.Exempt {
		kind = "exempt "
	}
	if !perRule {
		rest := len(ranked) - n
		var each []string
		for _, r := range rules {
			each = append(each, thousands(count[r])+" "+string(r))
		}
		level, _ := annotationLevel(like)
		return append(out, workflowCommand(level, "orgctl", "", 0, 0,
			fmt.Sprintf("and %s more %s%s (%s): %s", thousands(rest), kind, pluralWord(rest, "finding", "findings"), strings.Join(each, ", "), more)))
	}
	for _, r := range rules {
		level, title := annotationLevel(reconcile.Finding{Rule: r, Severity: like.Severity, Exempt: like.Exempt})
		out = append(out, workflowCommand(level, title, "", 0, 0,
			fmt.Sprintf("and %s more %s%s %s: %s", thousands(count[r]), kind, r, pluralWord(count[r], "finding", "findings"), more)))
	}
	return out
}

// summaryRoom is the most annotations of a level pickAnnotations gives to
// counting what it leaves out, one per rule; the rest of the level shows
// findings a reader can click.
const summaryRoom = 3

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// thousands writes n with a comma between groups of three digits, as in
// "1,412".
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// annotation is one workflow command, e.g.
// `::error file=a.yaml,line=3,col=5,title=orgctl missing-coach::message`.
// Properties GitHub cannot use (line 0, column 0, no file) are left out.
func annotation(f reconcile.Finding) string {
	level, title := annotationLevel(f)
	return workflowCommand(level, title, workspaceFile(f), f.Line, f.Column, f.Message)
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

// annotationLevel is the workflow command and title for a finding: its
// severity, or notice for an exempt one.
func annotationLevel(f reconcile.Finding) (level, title string) {
	level, title = f.Severity.String(), "orgctl "+string(f.Rule)
	if f.Exempt {
		level, title = "notice", title+" (exempt)"
	}
	return level, title
}

// workflowCommand writes one ::level command, escaping every value.
func workflowCommand(level, title, file string, line, col int, message string) string {
	var props []string
	if file != "" {
		props = append(props, "file="+annotationProperty(file))
	}
	if line > 0 {
		props = append(props, fmt.Sprintf("line=%d", line))
		if col > 0 {
			props = append(props, fmt.Sprintf("col=%d", col))
		}
	}
	props = append(props, "title="+annotationProperty(title))
	return "::" + level + " " + strings.Join(props, ",") + "::" + annotationData(message) + "\n"
}

// StepSummary writes the Markdown report for $GITHUB_STEP_SUMMARY: a
// heading, the verdict with the counts, and a table of every finding
// (exempt ones too with o.Verbose) ranked by reconcile.ByImportance:
// structural problems first, then the other errors, then warnings, each
// in file and line order. Every string from the org is escaped with
// EscapeMarkdown. The report stays under StepSummaryLimit bytes: rows that
// do not fit are left off, and a note right under the verdict (and another
// where the table stops) says how many.
func StepSummary(w io.Writer, r reconcile.Result, o Options) error {
	s := r.Summary
	icon := "✅"
	switch {
	case s.Errors > 0:
		icon = "❌"
	case s.Warnings > 0:
		icon = "⚠️"
	}
	var head strings.Builder
	fmt.Fprintf(&head, "## orgctl validate\n\n%s %s\n", icon, SummaryLine(r))
	public, private := reconcile.Publishable(r.Reported(o.Verbose))
	if note := private.Note(); note != "" {
		fmt.Fprintf(&head, "\n%s\n", sentence(note)) // orgctl's words and registry ids only
	}
	shown := reconcile.ByImportance(public)
	structural := 0
	for _, f := range shown {
		if t := reconcile.Tier(f); t == reconcile.TierStructuralError || t == reconcile.TierStructuralWarning {
			structural++
		}
	}
	if structural > 0 && structural < len(shown) {
		if structural == 1 {
			head.WriteString("\n**The first row is a structural problem: fix it first.** It says the org itself is malformed (unreadable, ambiguous, dangling or looping), which hides or distorts the findings below it.\n")
		} else {
			fmt.Fprintf(&head, "\n**The first %s rows are structural problems: fix them first.** They say the org itself is malformed (unreadable, ambiguous, dangling or looping), which hides or distorts the findings below them.\n", thousands(structural))
		}
	}
	if s.Errors > AnnotationLimit || s.Warnings > AnnotationLimit {
		fmt.Fprintf(&head, "\nGitHub shows only the first %d errors and %d warnings of a step as annotations; this table lists every finding.\n", AnnotationLimit, AnnotationLimit)
	}
	var rows strings.Builder
	if len(shown) > 0 {
		rows.WriteString("\n| severity | rule | file:line | message |\n|---|---|---|---|\n")
	}
	// Room for the two notes on rows left out.
	const noteRoom = 400
	fit := len(shown)
	for i, f := range shown {
		sev := f.Severity.String()
		if f.Exempt {
			sev += " (exempt)"
		}
		where := EscapeMarkdown(workspaceFile(f))
		if f.Line > 0 {
			where += fmt.Sprintf(":%d", f.Line)
		}
		row := fmt.Sprintf("| %s | %s | %s | %s |\n", sev, EscapeMarkdown(string(f.Rule)), where, EscapeMarkdown(f.Message))
		if head.Len()+rows.Len()+len(row) > StepSummaryLimit-noteRoom {
			fit = i
			break
		}
		rows.WriteString(row)
	}
	if fit < len(shown) {
		left := len(shown) - fit
		fmt.Fprintf(&head, "\n**Only the first %s of %s findings fit: GitHub's step summary holds at most 1 MiB.** %s left off, the least important; run `orgctl validate` for the full list.\n",
			thousands(fit), thousands(len(shown)), pluralWord(left, "1 finding is", thousands(left)+" findings are"))
		fmt.Fprintf(&rows, "\n**%s more %s not shown (1 MiB limit).**\n", thousands(left), pluralWord(left, "finding", "findings"))
	}
	_, err := io.WriteString(w, head.String()+rows.String())
	return err
}
