package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type getOptions struct {
	ios      *ioStreams
	global   *globalOptions
	kind     string // schema.KindPerson or schema.KindTeam
	names    []string
	selector string
	paths    []string
	load     loadOptions
}

func newGetCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &getOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "get (people|teams) [NAME...]",
		Short: "List people or teams with their effective manager and coach",
		Long: `List the people or the teams of the org, one line each, sorted by name;
with NAMEs, just those (in the order given). Everything shown is effective:
the manager of a person is spec.manager or, when unset, the manager their
team gives them.

Columns:
  people  NAME, TEAM, LEVEL, MANAGER (effective), COACH, STATUS;
          -o wide adds GITHUB, MENTORS (person (domain), ...) and FINDINGS
          (how many findings are about the person, exempt ones only with -v)
  teams   NAME, PARENT, MANAGER, MEMBERS (people whose spec.team is the
          team, departed people left out); -o wide adds DISPLAY NAME,
          SUB-TEAMS and FINDINGS

Output formats (-o):
  table   an aligned table with a header on a terminal; tab-separated
          values without a header when piped (default)
  wide    the table with more columns
  yaml    the documents as orgctl YAML, as they would be written in the
          org (email is private and never shown)
  json    {"people":[...]} or {"teams":[...]} with effective values:
          manager, chain to the root, coachees, mentees, reports, findings

-l takes a label selector, as kubectl does; requirements separated by
commas must all hold: key=value, key!=value, key (the label is set),
!key (it is not), key in (a,b), key notin (a,b).

The org is read from -f (files or directories, repeatable; default: the
current directory).

Exit codes: 0 success (also when nothing matches -l), 2 a NAME was not
found, a usage error or the org could not be read.`,
		Example: `  # everyone, with their effective manager and coach
  orgctl get people

  # people in the Amsterdam office, with GitHub logins and mentors
  orgctl get people -l office=amsterdam -o wide

  # two people, as the YAML that declares them
  orgctl get people eva lars -o yaml

  # the teams of the bundled example
  orgctl get teams -f examples/acme

  # everyone's chain to the root, for scripts
  orgctl get people -o json | jq -r '.people[] | "\(.name): \(.chain | join(" > "))"'`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
			return completeNames(args, opts.paths, prefix)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name what to get: orgctl get people, or orgctl get teams")
			}
			kind, err := resourceKind(args[0])
			if err != nil {
				return err
			}
			opts.kind, opts.names = kind, args[1:]
			return getRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.selector, "selector", "l", "", "label selector: key=value, key!=value, key, !key, key in (a,b), key notin (a,b); comma = and")
	addFilenameFlag(f, &opts.paths)
	opts.load.addFlags(f)
	return cmd
}

// addFilenameFlag adds -f/--filename, the org's files and directories.
func addFilenameFlag(f *pflag.FlagSet, paths *[]string) {
	f.StringArrayVarP(paths, "filename", "f", nil, "file or directory holding the org (repeatable; default: the current directory)")
}

// resourceKind reads the resource argument of get and describe.
func resourceKind(arg string) (string, error) {
	switch strings.ToLower(arg) {
	case "people", "person", "persons":
		return schema.KindPerson, nil
	case "teams", "team":
		return schema.KindTeam, nil
	}
	hint := ""
	if s := schema.Suggest(arg, []string{"people", "person", "teams", "team"}); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return "", usageError("unknown resource type %q%s: use people or teams", arg, hint)
}

// completeNames completes the resource type, then the names of that kind
// in the org at paths, those that start with prefix.
func completeNames(args, paths []string, prefix string) ([]string, cobra.ShellCompDirective) {
	var names []string
	if len(args) == 0 {
		names = []string{"people", "teams"}
	} else if kind, err := resourceKind(args[0]); err == nil {
		if set, err := (&schema.Loader{}).LoadPaths(paths); err == nil {
			names = orgNames(reconcile.Build(set), kind)
		}
	}
	out := names[:0]
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// orgNames lists the participating people or teams, sorted.
func orgNames(o *reconcile.Org, kind string) []string {
	var names []string
	if kind == schema.KindTeam {
		for _, t := range o.Teams {
			names = append(names, t.Name)
		}
	} else {
		for _, p := range o.People {
			names = append(names, p.Name)
		}
	}
	slices.Sort(names)
	return names
}

// exists reports whether the org has a participating person or team of
// that name.
func exists(o *reconcile.Org, kind, name string) bool {
	if kind == schema.KindTeam {
		return o.Team(name) != nil
	}
	return o.Person(name) != nil
}

// kindWord is how messages name a kind.
func kindWord(kind string) string {
	if kind == schema.KindTeam {
		return "team"
	}
	return "person"
}

// listCommand is the command that lists every object of a kind.
func listCommand(kind string) string {
	if kind == schema.KindTeam {
		return "orgctl get teams"
	}
	return "orgctl get people"
}

// notFound is the error for a NAME that is not in the org (exit 2, as in
// every command that takes names): it suggests a close name, says when the
// document exists but could not be read, and otherwise names the command
// that lists them.
func notFound(set *schema.Set, o *reconcile.Org, kind, name string) error {
	for _, d := range set.Documents {
		if d.Kind == kind && d.Name == name && !d.Valid {
			return &exitError{code: exitUsage, err: fmt.Errorf("%s %q could not be read (%s:%d breaks the schema or is not valid YAML): run 'orgctl validate' to see why", kindWord(kind), name, d.Source.File, d.NamePos.Line)}
		}
	}
	if s := schema.Suggest(name, orgNames(o, kind)); s != "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s %q not found; did you mean %q?", kindWord(kind), name, s)}
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s %q not found: run '%s' to list them", kindWord(kind), name, listCommand(kind))}
}

// joinNotFound combines the errors for several unknown names into one, one
// line each.
func joinNotFound(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = errorText(e)
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s", strings.Join(lines, "\n"))}
}

// warnUnreadable says on stderr that documents the loader could not read
// are missing from a view.
func warnUnreadable(ios *ioStreams, set *schema.Set) {
	if n := len(set.Problems); n > 0 {
		what := "problems"
		if n == 1 {
			what = "problem"
		}
		fmt.Fprintf(ios.ErrOut, "warning: %d %s reading the org; what could not be read is left out: run 'orgctl validate' for details\n", n, what)
	}
}

func getRun(opts *getOptions) error {
	ios := opts.ios
	format := opts.global.output
	switch format {
	case "":
		format = "table"
	case "table", "wide", "yaml", "json":
	default:
		return usageError("unknown output format %q: use table, wide, yaml or json", format)
	}
	sel, err := parseSelector(opts.selector)
	if err != nil {
		return usageError("%w: see 'orgctl get --help'", err)
	}
	if len(opts.names) > 0 && len(sel) > 0 {
		return usageError("names and -l select in two ways: give NAMEs or -l, not both")
	}
	set, res, err := loadOrg(ios, opts.paths, opts.load)
	if err != nil {
		return err
	}
	warnUnreadable(ios, set)
	o := reconcile.Build(set)
	findings := res.Reported(opts.global.verbose)

	// Pick the objects: the NAMEs in order, or everyone that matches.
	var names []string
	var missing []error
	if len(opts.names) > 0 {
		for _, n := range opts.names {
			if !exists(o, opts.kind, n) {
				missing = append(missing, notFound(set, o, opts.kind, n))
				continue
			}
			names = append(names, n)
		}
	} else {
		for _, n := range orgNames(o, opts.kind) {
			if opts.kind == schema.KindPerson && sel.matches(o.Person(n).Labels) ||
				opts.kind == schema.KindTeam && sel.matches(o.Team(n).Labels) {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			what := "people"
			if opts.kind == schema.KindTeam {
				what = "teams"
			}
			if len(sel) > 0 {
				fmt.Fprintf(ios.ErrOut, "no %s match -l %s\n", what, opts.selector)
			} else {
				fmt.Fprintf(ios.ErrOut, "no %s found\n", what)
			}
		}
	}

	if len(names) > 0 {
		if err := writeGet(ios, format, o, findings, opts.kind, names); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("writing the %s: %w", strings.ToLower(opts.kind), err)}
		}
	}
	if len(missing) > 0 {
		return joinNotFound(missing)
	}
	return nil
}

// writeGet writes the named objects in a get format.
func writeGet(ios *ioStreams, format string, o *reconcile.Org, findings []reconcile.Finding, kind string, names []string) error {
	view := newOrgView(o, findings)
	switch {
	case format == "yaml":
		return writeYAML(ios.Out, o, kind, names)
	case format == "json" && kind == schema.KindPerson:
		return render.WriteJSONList(ios.Out, "people", len(names), func(i int) any { return view.person(names[i]) })
	case format == "json":
		return render.WriteJSONList(ios.Out, "teams", len(names), func(i int) any { return view.team(names[i]) })
	}
	wide := format == "wide"
	var header []string
	var rows [][]string
	if kind == schema.KindPerson {
		header = []string{"NAME", "TEAM", "LEVEL", "MANAGER", "COACH", "STATUS"}
		if wide {
			header = append(header, "GITHUB", "MENTORS", "FINDINGS")
		}
		for _, n := range names {
			v := view.person(n)
			row := []string{v.Name, v.Team, v.Level, v.Manager, v.Coach, v.Status}
			if wide {
				row = append(row, v.GitHub, strings.Join(mentorStrings(v.Mentors), ", "), fmt.Sprint(len(v.Findings)))
			}
			rows = append(rows, row)
		}
	} else {
		header = []string{"NAME", "PARENT", "MANAGER", "MEMBERS"}
		if wide {
			header = append(header, "DISPLAY NAME", "SUB-TEAMS", "FINDINGS")
		}
		for _, n := range names {
			v := view.team(n)
			row := []string{v.Name, v.Parent, v.Manager, fmt.Sprint(v.activeMembers)}
			if wide {
				row = append(row, v.DisplayName, strings.Join(v.SubTeams, ", "), fmt.Sprint(len(v.Findings)))
			}
			rows = append(rows, row)
		}
	}
	return writeTable(ios.Out, ios.OutTTY, header, rows)
}

// writeTable writes rows as gh does: on a terminal an aligned table with a
// header and <none> in empty cells; elsewhere tab-separated values without
// a header, empty cells left empty, for cut, awk and sort.
func writeTable(w io.Writer, tty bool, header []string, rows [][]string) error {
	if !tty {
		var b bytes.Buffer
		for _, r := range rows {
			for i, c := range r {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(printable(c))
			}
			b.WriteByte('\n')
		}
		_, err := w.Write(b.Bytes())
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = printable(c)
			if cells[i] == "" {
				cells[i] = "<none>"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// printable keeps user text on one line and out of the terminal's control:
// tabs and line breaks become spaces, other control and bidirectional
// formatting characters are shown as Go escapes.
func printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unprintable(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// personView is a person with every effective value get and describe
// show; it is also the JSON of `get people -o json`. Email is left out:
// it is private.
type personView struct {
	Name        string            `json:"name"`
	DisplayName string            `json:"displayName"`
	Labels      map[string]string `json:"labels"`
	GitHub      string            `json:"github"`
	Team        string            `json:"team"`
	Level       string            `json:"level"`
	Expertise   []string          `json:"expertise"`
	Status      string            `json:"status"`
	External    bool              `json:"external"`
	// Manager is the effective manager: a name, "NAME (unknown)" for a
	// reference to nobody, or "" for none.
	Manager string `json:"manager"`
	// ManagerFromTeam is the team whose manager the effective manager is;
	// empty when spec.manager sets it.
	ManagerFromTeam string `json:"managerFromTeam"`
	// Chain is the effective managers above the person, nearest first, up
	// to the root (or until the chain breaks or loops).
	Chain []string `json:"chain"`
	// ChainLoops is set when the chain goes round in a loop.
	ChainLoops bool                `json:"chainLoops,omitempty"`
	Root       bool                `json:"root"`
	Coach      string              `json:"coach"`
	Mentors    []mentorView        `json:"mentors"`
	Coachees   []string            `json:"coachees"`
	Mentees    []string            `json:"mentees"`
	Reports    []string            `json:"reports"`
	Findings   []reconcile.Finding `json:"findings"`
	Source     sourceView          `json:"source"`
}

type mentorView struct {
	Person string `json:"person"`
	Domain string `json:"domain"`
}

type sourceView struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// refName shows a person reference: the name, or "NAME (unknown)" when it
// names no participating person.
func refName(o *reconcile.Org, name string) string {
	if name == "" || o.Person(name) != nil {
		return name
	}
	return name + " (unknown)"
}

// orgView answers get and describe about an org, with the findings and
// the team relationships (members, sub-teams) indexed once, so that a view
// of every person takes time linear in the size of the org (the Org
// indexes reports, coachees and mentees itself).
type orgView struct {
	o        *reconcile.Org
	findings render.FindingIndex
	members  map[string][]string
	subTeams map[string][]string
}

func newOrgView(o *reconcile.Org, findings []reconcile.Finding) *orgView {
	v := &orgView{
		o: o, findings: render.IndexFindings(o, findings),
		members: map[string][]string{}, subTeams: map[string][]string{},
	}
	for _, p := range o.People {
		if p.Team != "" {
			v.members[p.Team] = append(v.members[p.Team], p.Name)
		}
	}
	for _, t := range o.Teams {
		if t.Parent != "" && t.Parent != t.Name {
			v.subTeams[t.Parent] = append(v.subTeams[t.Parent], t.Name)
		}
	}
	for _, m := range []map[string][]string{v.members, v.subTeams} {
		for _, l := range m {
			slices.Sort(l)
		}
	}
	return v
}

// nonNil returns a copy of a list, never nil (JSON shows []).
func nonNil(l []string) []string { return append([]string{}, l...) }

// list returns a copy of an indexed list, never nil (JSON shows []).
func list(m map[string][]string, name string) []string {
	return append([]string{}, m[name]...)
}

// person builds the view of a participating person.
func (ov *orgView) person(name string) personView {
	o := ov.o
	p := o.Person(name)
	m := o.Manager(name)
	v := personView{
		Name: p.Name, DisplayName: p.DisplayName, Labels: p.Labels, GitHub: p.GitHub,
		Team: p.Team, Level: p.Level, Expertise: p.Expertise, Status: p.Status, External: p.External,
		Manager: m.String(), Chain: o.Chain(name), Root: o.IsRoot(name),
		Coach:    refName(o, p.Coach),
		Mentors:  []mentorView{},
		Coachees: nonNil(ov.o.Coachees(name)), Mentees: nonNil(ov.o.Mentees(name)), Reports: nonNil(ov.o.Reports(name)),
		Findings: ov.findings.Person(name),
		Source:   sourceView{File: p.Source.File, Line: p.Source.Start.Line},
	}
	if m.Via != nil {
		v.ManagerFromTeam = m.Via.Name
	}
	// The chain stops before repeating anyone: if the last one still has a
	// known manager, the chain loops.
	last := name
	if len(v.Chain) > 0 {
		last = v.Chain[len(v.Chain)-1]
	}
	v.ChainLoops = o.Manager(last).Known()
	for _, mm := range p.Mentors {
		v.Mentors = append(v.Mentors, mentorView{Person: refName(o, mm.Person), Domain: mm.Domain})
	}
	if v.Labels == nil {
		v.Labels = map[string]string{}
	}
	for _, l := range []*[]string{&v.Expertise, &v.Chain} {
		if *l == nil {
			*l = []string{}
		}
	}
	if v.Findings == nil {
		v.Findings = []reconcile.Finding{}
	}
	return v
}

func mentorStrings(ms []mentorView) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Person + " (" + m.Domain + ")"
	}
	return out
}

// teamView is a team with its members and place in the tree; it is also
// the JSON of `get teams -o json`.
type teamView struct {
	Name        string            `json:"name"`
	DisplayName string            `json:"displayName"`
	Labels      map[string]string `json:"labels"`
	Parent      string            `json:"parent"`
	// Manager is the team's declared manager ("NAME (unknown)" for a
	// reference to nobody).
	Manager string `json:"manager"`
	// Members are the people whose spec.team is the team, departed ones
	// included, sorted.
	Members  []string `json:"members"`
	SubTeams []string `json:"subTeams"`
	// Chain is the parent teams, nearest first, up to the top (or until
	// the chain breaks or loops).
	Chain    []string            `json:"chain"`
	Findings []reconcile.Finding `json:"findings"`
	Source   sourceView          `json:"source"`

	activeMembers int // members who have not departed
}

// team builds the view of a participating team.
func (ov *orgView) team(name string) teamView {
	o := ov.o
	t := o.Team(name)
	v := teamView{
		Name: t.Name, DisplayName: t.DisplayName, Labels: t.Labels,
		Manager:  refName(o, t.Manager),
		Members:  list(ov.members, name),
		SubTeams: list(ov.subTeams, name),
		Chain:    teamChain(o, name),
		Findings: ov.findings.Team(name),
		Source:   sourceView{File: t.Source.File, Line: t.Source.Start.Line},
	}
	if t.Parent != "" {
		v.Parent = t.Parent
		if o.Team(t.Parent) == nil {
			v.Parent += " (unknown)"
		}
	}
	for _, n := range v.Members {
		if o.Person(n).Status != schema.StatusDeparted {
			v.activeMembers++
		}
	}
	if v.Labels == nil {
		v.Labels = map[string]string{}
	}
	if v.Findings == nil {
		v.Findings = []reconcile.Finding{}
	}
	return v
}

// teamChain returns the parents of a team, nearest first, stopping at the
// top, at an unknown parent or before repeating a team.
func teamChain(o *reconcile.Org, name string) []string {
	out := []string{}
	seen := map[string]bool{name: true}
	for t := o.Team(name); t != nil && t.Parent != "" && o.Team(t.Parent) != nil && !seen[t.Parent]; t = o.Team(t.Parent) {
		seen[t.Parent] = true
		out = append(out, t.Parent)
	}
	return out
}

// writeYAML writes the named objects as orgctl documents, separated by
// "---": the declared values (spec.manager only when it is set, status only
// when it is not the default), never the email.
func writeYAML(w io.Writer, o *reconcile.Org, kind string, names []string) error {
	yw := schema.NewWriter(w)
	for _, n := range names {
		if kind == schema.KindPerson {
			yw.Person(o.Person(n))
		} else {
			yw.Team(o.Team(n))
		}
	}
	return yw.Flush()
}
