package importcsv

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
	"github.com/orgctl/orgctl/schema/safewrite"
)

// RunOptions are the settings of `orgctl import csv` beyond Options
// (whose Levels and Titles Run takes from the org in Out).
type RunOptions struct {
	Options
	// Out is the org repository to write into.
	Out string
	// Force rewrites the files whole; DryRun writes nothing.
	Force, DryRun bool
	// Check is how validate's rules judge the result (the day).
	Check reconcile.Options
}

// WriteError is a write that safewrite refused or that failed; Hint is the
// next step when a file to be created exists.
type WriteError struct {
	Err  error
	Hint string
}

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// LeftOutError says that rows were left out: the files were written (or,
// dry, shown), but not every row is in them.
type LeftOutError struct{ msg string }

func (e *LeftOutError) Error() string { return e.msg }

// Run imports the export in (named source in messages) into o.Out: a
// first import writes new files, a later one syncs the org in place. What
// it does goes to out (the columns, the changes, the files written),
// warnings and notes to errOut. A *LeftOutError means rows were left out;
// a *WriteError, that writing failed; any other error, that nothing was
// written.
func Run(in io.Reader, source string, o RunOptions, out, errOut io.Writer) error {
	org, err := existingOrg(o.Out)
	if err != nil {
		return err
	}
	o.Levels, o.Titles = policyLevels(org), policyTitles(org)
	res, err := Import(in, o.Options)
	if res != nil {
		printColumns(out, source, res)
		for _, w := range res.Warnings {
			fmt.Fprintf(errOut, "warning: %s:%d: %s\n", source, w.Line, w.Message)
		}
	}
	if err != nil {
		return fmt.Errorf("importing %s: %w", source, err)
	}
	if !o.Force && importedBefore(org) {
		if err := importSync(out, errOut, o, org, res, source); err != nil {
			return err
		}
		return leftOut(res, source)
	}
	files, err := res.Files(source)
	if err != nil {
		return err
	}
	targets := make([]safewrite.File, len(files))
	for i, f := range files {
		targets[i] = safewrite.File{Dir: o.Out, Path: f.Path, Data: f.Data}
	}
	ifExists := safewrite.Refuse
	if o.Force {
		ifExists = safewrite.Replace
	}
	plan, err := safewrite.Check(targets, ifExists)
	if err != nil {
		return &WriteError{Err: err, Hint: "choose another --out, move them away, or pass --force to replace them"}
	}
	replaced := map[string]bool{}
	for _, p := range plan {
		if p.Action == safewrite.Overwrite {
			replaced[filepath.Clean(filepath.FromSlash(p.Name()))] = true
		}
	}
	for _, c := range clashes(org, res, replaced) {
		fmt.Fprintf(errOut, "warning: %s\n", c)
	}
	if err := checkImported(o.Check, org, files, o.Out, replaced); err != nil {
		return err
	}
	if o.DryRun {
		for _, p := range plan {
			verb := "create"
			if p.Action == safewrite.Overwrite {
				verb = "replace"
			}
			fmt.Fprintf(out, "==> %s (would %s) <==\n%s", p.Name(), verb, p.Data)
		}
	} else {
		if plan, err = safewrite.Write(targets, ifExists); err != nil {
			return &WriteError{Err: err, Hint: "choose another --out, move them away, or pass --force to replace them"}
		}
		for _, p := range plan {
			fmt.Fprintf(out, "wrote %s\n", p.Name())
		}
	}
	verb := "imported"
	if o.DryRun {
		verb = "would import (dry run, nothing written)"
	}
	msg := fmt.Sprintf("%s %s in %s from %s", verb, plural(len(res.People), "person", "people"), plural(len(res.Teams), "team", "teams"), source)
	if n := len(res.NoLevel); n > 0 {
		msg += fmt.Sprintf("; %s without a level (see the warnings)", plural(n, "person", "people"))
	}
	fmt.Fprintln(out, msg)
	return leftOut(res, source)
}

// leftOut is the exit-1 error listing the rows an import left out, or nil.
func leftOut(res *Result, source string) error {
	n := res.Skipped()
	if n == 0 {
		return nil
	}
	var lines []string
	for _, w := range res.Warnings {
		if w.Skipped {
			lines = append(lines, fmt.Sprintf("%s:%d", source, w.Line))
		}
	}
	return &LeftOutError{fmt.Sprintf("%d of %d rows left out (%s): fix them in the export (see the warnings) and import again", n, res.Rows, strings.Join(lines, ", "))}
}

// importedBefore reports whether the org in --out already declares
// internal people (an earlier import, or an org written by hand): a new
// import then syncs it in place rather than writing new files.
func importedBefore(set *schema.Set) bool {
	if set == nil {
		return false
	}
	for _, d := range set.Documents {
		if d.Valid() && d.Person != nil && !d.Person.External {
			return true
		}
	}
	return false
}

// importSync updates the org in --out to the export in place: joiners
// added, leavers departed, HR fields changed on their own lines, every
// other line kept. The changes are printed as a reviewable list; with
// --dry-run nothing is written.
func importSync(out, errOut io.Writer, o RunOptions, org *schema.Set, res *Result, source string) error {
	res.Today = o.Check.Today
	plan, err := res.Sync(org, source, os.ReadFile)
	if err != nil {
		return fmt.Errorf("nothing written: %w", err)
	}
	for _, n := range plan.Notes {
		fmt.Fprintf(errOut, "note: %s\n", n)
	}
	if len(plan.Files) == 0 {
		fmt.Fprintf(out, "the org in %s already matches %s: nothing to change\n", filepath.ToSlash(o.Out), source)
		return nil
	}
	targets := make([]safewrite.File, len(plan.Files))
	replaced := map[string]bool{}
	for i, f := range plan.Files {
		targets[i] = safewrite.File{Dir: o.Out, Path: f.Path, Data: f.Data}
		replaced[filepath.Clean(filepath.FromSlash(targets[i].Name()))] = true
	}
	if _, err := safewrite.Check(targets, safewrite.Replace); err != nil {
		return &WriteError{Err: err}
	}
	if err := checkImported(o.Check, org, plan.Files, o.Out, replaced); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, c := range plan.Changes {
		counts[c.Action]++
		switch c.Action {
		case "add":
			fmt.Fprintf(out, "+ %s %s (%s)\n", c.Kind, c.Name, c.File)
		case "change":
			fmt.Fprintf(out, "~ %s %s: %s\n", c.Kind, c.Name, c.Detail)
		case "depart":
			fmt.Fprintf(out, "- %s %s: status departed (kept, for history)\n", c.Kind, c.Name)
		}
	}
	verb := "synced"
	if o.DryRun {
		verb = "would sync (dry run, nothing written)"
	} else {
		written, err := safewrite.Write(targets, safewrite.Replace)
		if err != nil {
			return &WriteError{Err: err}
		}
		for _, p := range written {
			fmt.Fprintf(out, "wrote %s\n", p.Name())
		}
	}
	fmt.Fprintf(out, "%s %s with %s: %d added, %d changed, %d departed\n", verb, filepath.ToSlash(o.Out), source, counts["add"], counts["change"], counts["depart"])
	return nil
}

// checkImported runs validate's rules on the org as the import would leave
// it (the files written, and what --out already holds that they do not
// replace) and refuses, with nothing written, when the import would bring
// a parse, schema, reference, self-reference or management-cycle error
// that the org did not have: those would be the import's own mistakes.
func checkImported(check reconcile.Options, org *schema.Set, files []File, out string, replaced map[string]bool) error {
	var in []schema.File
	for _, f := range files {
		in = append(in, schema.File{Path: f.Path, Data: f.Data})
	}
	after := (&schema.Loader{}).LoadFiles(in, filepath.ToSlash(filepath.Clean(out)))
	old := map[string]bool{}
	if org != nil {
		for _, d := range org.Documents {
			if !replaced[filepath.Clean(filepath.FromSlash(d.Source.File))] {
				after.Documents = append(after.Documents, d)
			}
		}
		for _, f := range reconcile.Check(org, check).Findings {
			old[f.Fingerprint] = true
		}
	}
	var invented []string
	for _, f := range reconcile.Check(after, check).Findings {
		switch f.Rule {
		case reconcile.RuleParse, reconcile.RuleSchema, reconcile.RuleUnknownReference, reconcile.RuleSelfReference, reconcile.RuleManagementCycle:
			if f.Severity == reconcile.Error && !old[f.Fingerprint] {
				invented = append(invented, fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Rule, f.Message))
			}
		}
	}
	if len(invented) > 0 {
		return fmt.Errorf("nothing written: the org would have errors that neither it nor the export has (fix what the notes above say, if any, or report a bug in orgctl with the warnings):\n  %s", strings.Join(invented, "\n  "))
	}
	return nil
}

// printColumns shows which column became which field.
func printColumns(w io.Writer, source string, res *Result) {
	delim := string(res.Delimiter)
	if res.Delimiter == '\t' {
		delim = "tab"
	}
	fmt.Fprintf(w, "columns of %s (delimiter %q):\n", source, delim)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range res.Columns {
		h := c.Header
		if strings.TrimSpace(h) == "" {
			h = fmt.Sprintf("(column %d)", c.Index+1)
		}
		field := string(c.Field)
		if c.Field == FieldIgnore {
			field = "ignored"
		}
		if c.Note != "" {
			field += " (" + c.Note + ")"
		}
		fmt.Fprintf(tw, "  %s\t-> %s\n", h, field)
	}
	tw.Flush()
}

// existingOrg reads the org already in dir, or nil when dir does not
// exist: its Policy gives the level ladder, its people the names the
// import must not clash with.
func existingOrg(dir string) (*schema.Set, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	set, err := (&schema.Loader{}).LoadPaths([]string{dir})
	if err != nil {
		return nil, fmt.Errorf("reading the org in --out %s: %w", dir, err)
	}
	return set, nil
}

// policyLevels is the level ladder of the org's Policy; nil means the
// default ladder.
func policyLevels(set *schema.Set) []string {
	if set == nil {
		return nil
	}
	for _, d := range set.Documents {
		if d.Valid() && d.Policy != nil && len(d.Policy.Levels) > 0 {
			return d.Policy.Levels
		}
	}
	return nil
}

// policyTitles is the title → level mapping of the org's Policy; nil
// means the built-in one.
func policyTitles(set *schema.Set) []schema.TitleLevel {
	if set == nil {
		return nil
	}
	for _, d := range set.Documents {
		if d.Valid() && d.Policy != nil && len(d.Policy.Titles) > 0 {
			return d.Policy.Titles
		}
	}
	return nil
}

// clashes warns about imported names that a file the import does not
// replace already uses: validate would report duplicate-name.
func clashes(set *schema.Set, res *Result, replaced map[string]bool) []string {
	if set == nil {
		return nil
	}
	imported := map[string]string{} // name → kind
	for _, p := range res.People {
		imported[p.Name] = schema.KindPerson
	}
	for _, t := range res.Teams {
		imported["team/"+t.Name] = schema.KindTeam
	}
	var out []string
	for _, d := range set.Documents {
		k := d.Name
		if d.Kind == schema.KindTeam {
			k = "team/" + d.Name
		}
		if kind, ok := imported[k]; ok && kind == d.Kind && !replaced[filepath.Clean(filepath.FromSlash(d.Source.File))] {
			out = append(out, fmt.Sprintf("%s %s already exists in %s:%d: orgctl validate will report duplicate-name; rename or remove one", strings.ToLower(kind), d.Name, d.Source.File, d.NamePos.Line))
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
