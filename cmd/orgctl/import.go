package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/orgctl/orgctl/schema/importcsv"
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
	ro := importcsv.RunOptions{Out: opts.out, Force: opts.force, DryRun: opts.dryRun, Check: checkOptions(ios, loadOptions{})}
	if opts.mapping != "" {
		m, err := importcsv.ParseMap(opts.mapping)
		if err != nil {
			return usageError("%w", err)
		}
		ro.Map = m
	}
	d, err := importcsv.ParseDelimiter(opts.delimiter)
	if err != nil {
		return usageError("%w", err)
	}
	ro.Delimiter, ro.Encoding = d, opts.encoding
	ro.DefaultLevel, ro.DefaultTeam = opts.defaultLevel, opts.defaultTeam
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
	err = importcsv.Run(in, source, ro, ios.Out, ios.ErrOut)
	var (
		left *importcsv.LeftOutError
		we   *importcsv.WriteError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &left):
		return &exitError{code: exitFindings, err: err}
	case errors.As(err, &we):
		return writeError(we.Err, we.Hint)
	}
	return usageError("%w", err)
}
