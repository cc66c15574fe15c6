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
punctuation: Employee ID / ID / Username (the person's id), Full Name /
Display Name, Email / Work Email, GitHub / GitHub Login, Team / Department,
Level / Grade / Job Level, Manager / Manager Email / Reports To, Coach,
Mentor / Mentors. A column headed Name is the full name, or the id when
another column holds the full name. Other columns are ignored. The mapping
is printed;
--map "Column Header=field,..." overrides it, with field one of name,
displayName, email, github, team, level, manager, coach, mentor, ignore.

Names become DNS-1123 labels (jane-doe): from the id, else the local part of
the email, else the full name, folded to ASCII (é→e, ß→ss). Two people who
would get the same name are told apart with -2, -3... in the order of the
file. Manager, coach and mentor cells may hold another row's id, email or
full name; a mentor cell may list several, separated by ";", each written
"Name (domain)" (without a domain, "general" is recorded). A level must be
in the Policy's ladder (the Policy in --out DIR, else the default ladder),
compared ignoring case. A team's manager is set when more than half of its
members, and at least two, report to the same person; everyone keeps their
own manager too.

The export may have a UTF-8 byte-order mark, CRLF line ends, quoted cells
with commas and line breaks, empty rows and rows with too few or too many
cells; the delimiter (",", ";", tab or "|") is detected from the header.
Excel's UTF-16 "Unicode Text" is detected; for windows-1252 pass --encoding.

Rows that cannot be imported (no usable name, the same id or email as an
earlier row, a stray quote, no team or no level in the ladder, unless
--default-team or --default-level fills them in) are skipped and
listed on stderr with their line in FILE, as is every cell that was left out
(an unknown manager, an invalid GitHub login). Email addresses are written
to the YAML but never printed.

Nothing is overwritten unless --force: when a file to be written exists,
all of them are listed and nothing is written. Nothing is written outside
--out or through a symlink below it (a symlinked file or directory is
refused, by name, even with --force). Every target is checked before
anything is written, each file is written whole (a temporary file renamed
into place), and a failed run leaves --out as it was.

Exit codes: 0 the files were written (warnings or not), 2 nothing could be
imported, a usage error, or a file that could not be read or written.`,
		Example: `  # see what an export would become, in a scratch directory
  orgctl import csv hr-export.csv --out /tmp/org && orgctl validate /tmp/org

  # into the current org repository, using its Policy's levels
  orgctl import csv hr-export.csv --out .

  # say which column is what when the headers are unusual
  orgctl import csv people.csv --map "Login=name,Org=team,Boss=manager,Notes=ignore"

  # a semicolon-separated export saved by Excel on Windows
  orgctl import csv export.csv --delimiter ";" --encoding windows-1252

  # everyone without a usable level starts as mid; re-import over the old files
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
	return cmd
}

func importCSVRun(opts *importCSVOptions) error {
	ios := opts.ios
	if opts.global.output != "" {
		return usageError("import csv has no output formats (-o %s): it writes YAML files under --out", opts.global.output)
	}
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
	if plan, err = safewrite.Write(targets, ifExists); err != nil {
		return writeError(err, "choose another --out, move them away, or pass --force to replace them")
	}
	for _, p := range plan {
		fmt.Fprintf(ios.Out, "wrote %s\n", p.Name())
	}
	msg := fmt.Sprintf("imported %s in %s from %s", plural(len(res.People), "person", "people"), plural(len(res.Teams), "team", "teams"), source)
	if n := res.Skipped(); n > 0 {
		msg += fmt.Sprintf("; %d of %d rows skipped (see the warnings)", n, res.Rows)
	}
	fmt.Fprintln(ios.Out, msg)
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
