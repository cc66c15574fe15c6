package main

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
	"github.com/orgctl/orgctl/schema/importcsv"
	"github.com/orgctl/orgctl/schema/safewrite"
	"github.com/spf13/cobra"
)

func newImportCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Create org YAML from another system's export",
		Long: `Create Person and Team documents from another system's export.

The only source so far is a CSV file from an HR system: see
'orgctl import csv --help'.`,
		Example: `  orgctl import csv hr-export.csv --out org
  orgctl import csv export.csv --map "Login=name,Org=team,Boss=manager" --out org`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return usageError("name what to import from: orgctl import csv FILE (run 'orgctl import --help' for usage)")
		},
	}
	cmd.AddCommand(newImportCSVCmd(ios, g))
	return cmd
}

type importCSVOptions struct {
	ios          *ioStreams
	global       *globalOptions
	file         string
	mapping      string
	out          string
	delimiter    string
	encoding     string
	defaultLevel string
	defaultTeam  string
	force        bool
	dryRun       bool
}

func newImportCSVCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &importCSVOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "csv FILE",
		Short: "Turn an HR export (CSV) into Person and Team YAML",
		Long: `Turn an HR export into an org repository: DIR/teams.yaml with one Team
per team, and DIR/people/TEAM.yaml with the team's people, each file
starting with a yaml-language-server modeline. FILE "-" reads standard input.

Columns are recognised by their header, ignoring case, spaces and
punctuation: Employee ID / ID / Username (the id), Full Name / Display Name,
First Name, Last Name, Preferred Name, Email / Work Email, GitHub, Division,
Department, Team, Job Title / Title, Level / Grade / Job Level, Manager ID /
Manager Email / Manager Name / Reports To, Coach, Mentor / Mentors. A column
headed Name is the full name, or the id when another column holds the full
name. Other columns are ignored. The mapping is printed; --map "Column
Header=field,..." overrides it, with field one of name, displayName,
firstName, lastName, preferredName, email, github, division, department,
team, title, level, manager, coach, mentor, ignore.

Names become DNS-1123 labels (jane-doe): from the id when it is a login
(more letters than digits), else the local part of the email, else the
names (Preferred or First, and Last), folded to ASCII (é→e, ß→ss); a
numeric or coded id (10234, E-0042) is never a name and is kept as the
label employee-id. displayName is the Full Name, else Preferred/First and
Last. Two people who would get the same name are told apart with -2, -3...
in the order of the file. Manager, coach and mentor cells may hold another
row's id, email or full name; a mentor cell may list several, separated by
";", each written "Name (domain)" (without a domain, "general" is recorded).

Division, Department and Team become nested Teams (a division is the
parent of its departments, a department of its teams), including those
with no direct members; a name used under two parents is prefixed with
its parent's (people-platform). Everyone's manager is written on their
Person. A team's manager is set when more than half of its members, and
at least two, report to the same person, but never when somebody with no
manager in the export (the CEO, or a manager cell that names no row) would
inherit it: import never invents a manager, and so never a cycle.

The level is the level cell when it is on the Policy's ladder (the Policy
in --out DIR, else the default ladder), compared ignoring case; else the
job title through Policy.spec.titles (level: [patterns], tried in the order
written, first match wins), or, without titles in the Policy, the built-in
mapping: intern (Intern, Trainee), junior (Junior, Graduate, "Engineer I"),
executive (Chief ... Officer, CEO/CTO/..., VP, Head of, Founder), principal
(Principal, Distinguished, Director), staff (Staff, Chief of Staff, Senior
Manager), senior (Senior, Sr., Lead, Manager), mid (Engineer, Analyst,
Designer and other plain roles); else --default-level. A person whose
level stays unknown is imported without one and listed; validate then
reports unknown-level until it is set.

The result is checked with validate's rules before anything is written:
if the import would bring a parse, schema, reference or management-cycle
error the org in --out does not have, nothing is written.

The export may have a UTF-8 byte-order mark, CRLF line ends, quoted cells
with commas and line breaks, empty rows and rows with too few or too many
cells; the delimiter (",", ";", tab or "|") is detected from the header.
Excel's UTF-16 "Unicode Text" is detected; for windows-1252 pass --encoding.

Rows that cannot be imported (no usable name, the same id or email as an
earlier row, a stray quote, no team unless --default-team) are left out and
listed on stderr with their line in FILE, as is every cell that was left
out (an unknown manager, an invalid GitHub login). Email addresses are
written to the YAML but never printed. --dry-run prints every file that
would be written, and writes nothing.

When --out already declares people (an earlier import), the import is a
sync: the org is updated in place and the changes listed (+ added,
~ changed, - departed). People are matched by their employee-id label,
else by name; joiners are appended to their team's file, leavers get
status: departed (kept, for history), changes of name, email, GitHub
login, team, level and manager are made on their own lines, new teams are
appended to teams.yaml, and every other line (coaches, mentors,
exemptions, comments) is kept byte for byte. 'orgctl plan' then shows the
change for review. A field the export no longer fills is left alone and
noted. --force instead rewrites the files whole, as a first import does.

A first import never overwrites: when a file to be written exists, all of
them are listed and nothing is written. Nothing is written outside
--out or through a symlink below it (a symlinked file or directory is
refused, by name, even with --force). Every target is checked before
anything is written, each file is written whole (a temporary file renamed
into place), and a failed run leaves --out as it was.

Exit codes: 0 every row was imported (warnings or not), 1 the files were
written (or, with --dry-run, shown) but rows were left out, each listed
with its line, 2 nothing could be imported, a usage error, or a file that
could not be read or written.`,
		Example: `  # see what an export would become, in a scratch directory
  orgctl import csv hr-export.csv --out /tmp/org && orgctl validate /tmp/org

  # into the current org repository, using its Policy's levels
  orgctl import csv hr-export.csv --out .

  # say which column is what when the headers are unusual
  orgctl import csv people.csv --map "Login=name,Org=team,Boss=manager,Notes=ignore"

  # a semicolon-separated export saved by Excel on Windows
  orgctl import csv export.csv --delimiter ";" --encoding windows-1252

  # a month later: sync the org with a newer export, after a look at the changes
  orgctl import csv hr-2026-12.csv --out . --dry-run
  orgctl import csv hr-2026-12.csv --out . && orgctl plan

  # everyone without a usable level starts as mid; rewrite the files whole
  orgctl import csv hr.csv --default-level mid --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return importCSVRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.mapping, "map", "", `override the column mapping: "Column Header=field,..."`)
	f.StringVar(&opts.out, "out", ".", "the org repository to write into")
	f.StringVar(&opts.delimiter, "delimiter", "", `cell delimiter: one character, or "tab" (default: detected from the header)`)
	f.StringVar(&opts.encoding, "encoding", "utf-8", "encoding of FILE: utf-8 or windows-1252")
	f.StringVar(&opts.defaultLevel, "default-level", "", "level for rows whose level is empty or not in the ladder (default: skip those rows)")
	f.StringVar(&opts.defaultTeam, "default-team", "", "team for rows with no team (default: skip those rows)")
	f.BoolVar(&opts.force, "force", false, "replace files that already exist")
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the files that would be written, and write nothing")
	return cmd
}

func importCSVRun(opts *importCSVOptions) error {
	ios := opts.ios
	var iopts importcsv.Options
	if opts.mapping != "" {
		m, err := importcsv.ParseMap(opts.mapping)
		if err != nil {
			return usageError("%w", err)
		}
		iopts.Map = m
	}
	d, err := importcsv.ParseDelimiter(opts.delimiter)
	if err != nil {
		return usageError("%w", err)
	}
	iopts.Delimiter, iopts.Encoding = d, opts.encoding
	iopts.DefaultLevel, iopts.DefaultTeam = opts.defaultLevel, opts.defaultTeam
	org, err := existingOrg(opts.out)
	if err != nil {
		return err
	}
	iopts.Levels = policyLevels(org)
	iopts.Titles = policyTitles(org)

	var in io.Reader = ios.In
	source := "standard input"
	if opts.file != "-" {
		fh, err := os.Open(opts.file)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return usageError("%s does not exist: check the path of the export", opts.file)
			}
			return usageError("opening the export: %w", err)
		}
		defer fh.Close()
		in, source = fh, filepath.ToSlash(opts.file)
	}
	res, err := importcsv.Import(in, iopts)
	if res != nil {
		printColumns(ios.Out, source, res)
		for _, w := range res.Warnings {
			fmt.Fprintf(ios.ErrOut, "warning: %s:%d: %s\n", source, w.Line, w.Message)
		}
	}
	if err != nil {
		return usageError("importing %s: %w", source, err)
	}
	if !opts.force && importedBefore(org) {
		if err := importSync(ios, opts, org, res, source); err != nil {
			return err
		}
		return leftOut(res, source)
	}
	files, err := res.Files(source)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	targets := make([]safewrite.File, len(files))
	for i, f := range files {
		targets[i] = safewrite.File{Dir: opts.out, Path: f.Path, Data: f.Data}
	}
	ifExists := safewrite.Refuse
	if opts.force {
		ifExists = safewrite.Replace
	}
	plan, err := safewrite.Check(targets, ifExists)
	if err != nil {
		return writeError(err, "choose another --out, move them away, or pass --force to replace them")
	}
	replaced := map[string]bool{}
	for _, p := range plan {
		if p.Action == safewrite.Overwrite {
			replaced[filepath.Clean(filepath.FromSlash(p.Name()))] = true
		}
	}
	for _, c := range clashes(org, res, replaced) {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", c)
	}
	if err := checkImported(ios, org, files, opts.out, replaced); err != nil {
		return err
	}
	if opts.dryRun {
		for _, p := range plan {
			verb := "create"
			if p.Action == safewrite.Overwrite {
				verb = "replace"
			}
			fmt.Fprintf(ios.Out, "==> %s (would %s) <==\n%s", p.Name(), verb, p.Data)
		}
	} else {
		if plan, err = safewrite.Write(targets, ifExists); err != nil {
			return writeError(err, "choose another --out, move them away, or pass --force to replace them")
		}
		for _, p := range plan {
			fmt.Fprintf(ios.Out, "wrote %s\n", p.Name())
		}
	}
	verb := "imported"
	if opts.dryRun {
		verb = "would import (dry run, nothing written)"
	}
	msg := fmt.Sprintf("%s %s in %s from %s", verb, plural(len(res.People), "person", "people"), plural(len(res.Teams), "team", "teams"), source)
	if n := len(res.NoLevel); n > 0 {
		msg += fmt.Sprintf("; %s without a level (see the warnings)", plural(n, "person", "people"))
	}
	fmt.Fprintln(ios.Out, msg)
	return leftOut(res, source)
}

// leftOut is the exit-1 error listing the rows an import left out, or nil.
func leftOut(res *importcsv.Result, source string) error {
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
	return &exitError{code: exitFindings, err: fmt.Errorf("%d of %d rows left out (%s): fix them in the export (see the warnings) and import again", n, res.Rows, strings.Join(lines, ", "))}
}

// importedBefore reports whether the org in --out already declares
// internal people (an earlier import, or an org written by hand): a new
// import then syncs it in place rather than writing new files.
func importedBefore(set *schema.Set) bool {
	if set == nil {
		return false
	}
	for _, d := range set.Documents {
		if d.Valid && d.Person != nil && !d.Person.External {
			return true
		}
	}
	return false
}

// importSync updates the org in --out to the export in place: joiners
// added, leavers departed, HR fields changed on their own lines, every
// other line kept. The changes are printed as a reviewable list; with
// --dry-run nothing is written.
func importSync(ios *ioStreams, opts *importCSVOptions, org *schema.Set, res *importcsv.Result, source string) error {
	plan, err := res.Sync(org, source, os.ReadFile)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("nothing written: %w", err)}
	}
	for _, n := range plan.Notes {
		fmt.Fprintf(ios.ErrOut, "note: %s\n", n)
	}
	if len(plan.Files) == 0 {
		fmt.Fprintf(ios.Out, "the org in %s already matches %s: nothing to change\n", filepath.ToSlash(opts.out), source)
		return nil
	}
	targets := make([]safewrite.File, len(plan.Files))
	replaced := map[string]bool{}
	for i, f := range plan.Files {
		targets[i] = safewrite.File{Dir: opts.out, Path: f.Path, Data: f.Data}
		replaced[filepath.Clean(filepath.FromSlash(targets[i].Name()))] = true
	}
	if _, err := safewrite.Check(targets, safewrite.Replace); err != nil {
		return writeError(err, "")
	}
	if err := checkImported(ios, org, plan.Files, opts.out, replaced); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, c := range plan.Changes {
		counts[c.Action]++
		switch c.Action {
		case "add":
			fmt.Fprintf(ios.Out, "+ %s %s (%s)\n", c.Kind, c.Name, c.File)
		case "change":
			fmt.Fprintf(ios.Out, "~ %s %s: %s\n", c.Kind, c.Name, c.Detail)
		case "depart":
			fmt.Fprintf(ios.Out, "- %s %s: status departed (kept, for history)\n", c.Kind, c.Name)
		}
	}
	verb := "synced"
	if opts.dryRun {
		verb = "would sync (dry run, nothing written)"
	} else {
		written, err := safewrite.Write(targets, safewrite.Replace)
		if err != nil {
			return writeError(err, "")
		}
		for _, p := range written {
			fmt.Fprintf(ios.Out, "wrote %s\n", p.Name())
		}
	}
	fmt.Fprintf(ios.Out, "%s %s with %s: %d added, %d changed, %d departed\n", verb, filepath.ToSlash(opts.out), source, counts["add"], counts["change"], counts["depart"])
	return nil
}

// checkImported runs validate's rules on the org as the import would leave
// it (the files written, and what --out already holds that they do not
// replace) and refuses, with nothing written, when the import would bring
// a parse, schema, reference, self-reference or management-cycle error
// that the org did not have: those would be the import's own mistakes.
func checkImported(ios *ioStreams, org *schema.Set, files []importcsv.File, out string, replaced map[string]bool) error {
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
		for _, f := range reconcile.Check(org, checkOptions(ios, loadOptions{})).Findings {
			old[f.Fingerprint] = true
		}
	}
	var invented []string
	for _, f := range reconcile.Check(after, checkOptions(ios, loadOptions{})).Findings {
		switch f.Rule {
		case reconcile.RuleParse, reconcile.RuleSchema, reconcile.RuleUnknownReference, reconcile.RuleSelfReference, reconcile.RuleManagementCycle:
			if f.Severity == reconcile.Error && !old[f.Fingerprint] {
				invented = append(invented, fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Rule, f.Message))
			}
		}
	}
	if len(invented) > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("nothing written: the org would have errors that neither it nor the export has (fix what the notes above say, if any, or report a bug in orgctl with the warnings):\n  %s", strings.Join(invented, "\n  "))}
	}
	return nil
}

// printColumns shows which column became which field.
func printColumns(w io.Writer, source string, res *importcsv.Result) {
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
		if c.Field == importcsv.FieldIgnore {
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
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("reading the org in --out %s: %w", dir, err)}
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
		if d.Valid && d.Policy != nil && len(d.Policy.Levels) > 0 {
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
		if d.Valid && d.Policy != nil && len(d.Policy.Titles) > 0 {
			return d.Policy.Titles
		}
	}
	return nil
}

// clashes warns about imported names that a file the import does not
// replace already uses: validate would report duplicate-name.
func clashes(set *schema.Set, res *importcsv.Result, replaced map[string]bool) []string {
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
