package main

import (
	"bufio"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

type describeOptions struct {
	ios    *ioStreams
	global *globalOptions
	kind   string
	names  []string
	paths  []string
	load   loadOptions
}

func newDescribeCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &describeOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "describe (person|team) NAME...",
		Short: "Show everything about a person or a team",
		Long: `Show one person or team in detail, as kubectl describe does.

A person: name, display name, labels, GitHub login, team, level, expertise,
status, whether they are external; their effective manager (and the team
it comes from when spec.manager is unset); the chain of managers up to the
root; their coach and mentors (person (domain)); the people they coach,
mentor and manage; the findings about them (those whose subject they are,
and those that name them as the manager, coach or mentor at fault; exempt
ones only with -v); and the file and line that declare them. Email is
private and never shown.

A team: display name, labels, parent, manager (or where its members' manager
comes from when it has none), members, sub-teams, the chain of parents up
to the top, findings and source.

The org is read from -f (files or directories, repeatable; default: the
current directory).

Exit codes: 0 success, 2 a NAME was not found, a usage error or the org
could not be read.`,
		Example: `  # eva's manager, coach, chain to the CEO and findings
  orgctl describe person eva

  # the platform team of the bundled example
  orgctl describe team platform -f examples/acme

  # also the findings an exemption hides
  orgctl describe person eva -v`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				var kinds []string
				for _, k := range []string{"person", "team"} {
					if strings.HasPrefix(k, prefix) {
						kinds = append(kinds, k)
					}
				}
				return kinds, cobra.ShellCompDirectiveNoFileComp
			}
			return completeNames(args, opts.paths, prefix)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name what to describe: orgctl describe person NAME, or orgctl describe team NAME")
			}
			kind, err := resourceKind(args[0])
			if err != nil {
				return err
			}
			if len(args) == 1 {
				return usageError("name the %s to describe: orgctl describe %s NAME (%s lists them)", kindWord(kind), kindWord(kind), listCommand(kind))
			}
			opts.kind, opts.names = kind, args[1:]
			return describeRun(opts)
		},
	}
	f := cmd.Flags()
	addFilenameFlag(f, &opts.paths)
	opts.load.addFlags(f)
	return cmd
}

func describeRun(opts *describeOptions) error {
	ios := opts.ios
	if f := opts.global.output; f != "" && f != "text" {
		return usageError("describe writes text only: for %s, use %s NAME -o %s", f, listCommand(opts.kind), f)
	}
	set, res, err := loadOrg(ios, opts.paths, opts.load)
	if err != nil {
		return err
	}
	warnUnreadable(ios, set)
	o := reconcile.Build(set)
	d := &describer{
		w: bufio.NewWriter(ios.Out), verbose: opts.global.verbose,
		view: newOrgView(o, res.Reported(opts.global.verbose)),
		all:  render.IndexFindings(o, res.Findings),
	}
	var missing []error
	shown := 0
	for _, n := range opts.names {
		if !exists(o, opts.kind, n) {
			missing = append(missing, notFound(set, o, opts.kind, n))
			continue
		}
		if shown > 0 {
			d.w.WriteString("\n")
		}
		shown++
		if opts.kind == schema.KindPerson {
			d.person(n)
		} else {
			d.team(n)
		}
	}
	if err := d.w.Flush(); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the description: %w", err)}
	}
	if len(missing) > 0 {
		return joinNotFound(missing)
	}
	return nil
}

// describer writes "Key:  value" lines aligned in one column, as kubectl
// describe does; a list puts one value per line.
type describer struct {
	w       *bufio.Writer
	verbose bool
	view    *orgView
	// all indexes every finding, exempt ones included, to say how many -v
	// would add.
	all render.FindingIndex
}

// keyWidth fits the longest key, "Display Name:", and two spaces.
const keyWidth = len("Display Name:") + 2

func (d *describer) field(key string, values ...string) {
	pad := strings.Repeat(" ", keyWidth)
	if len(values) == 0 {
		values = []string{"<none>"}
	}
	for i, v := range values {
		if v == "" {
			v = "<none>"
		}
		if i == 0 {
			fmt.Fprintf(d.w, "%-*s%s\n", keyWidth, key+":", printable(v))
		} else {
			fmt.Fprintf(d.w, "%s%s\n", pad, printable(v))
		}
	}
}

func labelLines(labels map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		out = append(out, k+"="+labels[k])
	}
	return out
}

// withStatus annotates people who are not active: "maksym (leave)".
func withStatus(o *reconcile.Org, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if p := o.Person(n); p != nil && p.Status != schema.StatusActive {
			out[i] += " (" + p.Status + ")"
		}
	}
	return out
}

func (d *describer) person(name string) {
	o := d.view.o
	v := d.view.person(name)
	d.field("Name", v.Name)
	d.field("Display Name", v.DisplayName)
	d.field("Labels", labelLines(v.Labels)...)
	d.field("GitHub", v.GitHub)
	d.field("Team", v.Team+unknownTeam(o, v.Team))
	d.field("Level", v.Level)
	d.field("Expertise", strings.Join(v.Expertise, ", "))
	d.field("Status", v.Status)
	d.field("External", fmt.Sprint(v.External))
	d.field("Manager", managerLine(o, name, v))
	chain := strings.Join(append([]string{v.Name}, v.Chain...), " → ")
	last := v.Name
	if len(v.Chain) > 0 {
		last = v.Chain[len(v.Chain)-1]
	}
	switch m := o.Manager(last); {
	case v.ChainLoops:
		chain += " → … (the chain loops: management-cycle)"
	case m.Declared != "" && m.Declared != last:
		chain += " → " + m.Declared + " (unknown)"
	}
	d.field("Chain", chain)
	d.field("Coach", v.Coach)
	d.field("Mentors", mentorStrings(v.Mentors)...)
	d.field("Coachees", withStatus(o, v.Coachees)...)
	d.field("Mentees", withStatus(o, v.Mentees)...)
	d.field("Reports", withStatus(o, v.Reports)...)
	hidden := 0
	if !d.verbose {
		hidden = countExempt(d.all.Person(name))
	}
	d.findings(v.Findings, hidden)
	d.field("Source", fmt.Sprintf("%s:%d", v.Source.File, v.Source.Line))
}

// managerLine says who the effective manager is and where it comes from:
// "marco (from team sales)", "amy (spec.manager)", "ghost (unknown,
// spec.manager)", "<none> (a root in Policy.spec.roots)"...
func managerLine(o *reconcile.Org, name string, v personView) string {
	m := o.Manager(name)
	from := "spec.manager"
	if m.Via != nil {
		from = "from team " + m.Via.Name
	}
	switch {
	case m.Known():
		return m.Name + " (" + from + ")"
	case m.Declared == name:
		return "<none> (" + from + " names " + name + " themselves: self-reference)"
	case m.Declared != "":
		return m.Declared + " (unknown, " + from + ")"
	case v.Root:
		return "<none> (a root in Policy.spec.roots)"
	case v.External:
		return "<none> (external)"
	}
	return "<none>"
}

func unknownTeam(o *reconcile.Org, team string) string {
	if team != "" && o.Team(team) == nil {
		return " (unknown)"
	}
	return ""
}

func countExempt(fs []reconcile.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Exempt {
			n++
		}
	}
	return n
}

// findings writes the Findings section: a small table of rule, severity
// and message (with where it points), or <none>; hidden exempt findings
// are counted with the flag that shows them.
func (d *describer) findings(fs []reconcile.Finding, hidden int) {
	note := ""
	if hidden > 0 {
		s := "s"
		if hidden == 1 {
			s = ""
		}
		note = fmt.Sprintf(" (%d exempt finding%s hidden: add -v to show)", hidden, s)
	}
	if len(fs) == 0 {
		d.field("Findings", "<none>"+note)
		return
	}
	fmt.Fprintf(d.w, "Findings:%s\n", note)
	tw := tabwriter.NewWriter(d.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  RULE\tSEVERITY\tMESSAGE")
	for _, f := range fs {
		where := position(f)
		if f.Exempt {
			where += ", exempt"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s (%s)\n", f.Rule, f.Severity, printable(f.Message), printable(where))
	}
	tw.Flush()
}

// position is path:line:col, as validate prints it.
func position(f reconcile.Finding) string {
	switch {
	case f.Line <= 0:
		return f.File
	case f.Column <= 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

func (d *describer) team(name string) {
	o := d.view.o
	v := d.view.team(name)
	d.field("Name", v.Name)
	d.field("Display Name", v.DisplayName)
	d.field("Labels", labelLines(v.Labels)...)
	d.field("Parent", v.Parent)
	manager := v.Manager
	if manager == "" {
		// Say where the members' manager comes from instead.
		manager = "<none>"
		for _, up := range v.Chain {
			if t := o.Team(up); t != nil && t.Manager != "" {
				manager += fmt.Sprintf(" (members report to %s, from team %s)", refName(o, t.Manager), up)
				break
			}
		}
	}
	d.field("Manager", manager)
	// Each member with their level, their status unless active, and
	// whether they manage the team: "maksym (mid, leave)".
	members := make([]string, len(v.Members))
	for i, n := range v.Members {
		var notes []string
		if p := o.Person(n); p != nil {
			if p.Level != "" {
				notes = append(notes, p.Level)
			}
			if p.Status != schema.StatusActive {
				notes = append(notes, p.Status)
			}
		}
		if o.Team(name).Manager == n {
			notes = append(notes, "manager")
		}
		members[i] = n
		if len(notes) > 0 {
			members[i] += " (" + strings.Join(notes, ", ") + ")"
		}
	}
	d.field("Members", members...)
	d.field("Sub-teams", v.SubTeams...)
	chain := strings.Join(append([]string{v.Name}, v.Chain...), " → ")
	top := name
	if len(v.Chain) > 0 {
		top = v.Chain[len(v.Chain)-1]
	}
	if t := o.Team(top); t != nil && t.Parent != "" {
		if o.Team(t.Parent) == nil {
			chain += " → " + t.Parent + " (unknown)"
		} else {
			chain += " → … (the parents loop: management-cycle)"
		}
	}
	d.field("Chain", chain)
	hidden := 0
	if !d.verbose {
		hidden = countExempt(d.all.Team(name))
	}
	d.findings(v.Findings, hidden)
	d.field("Source", fmt.Sprintf("%s:%d", v.Source.File, v.Source.Line))
}
