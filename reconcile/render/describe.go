package render

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// Describe writes the named people or teams (kind schema.KindPerson or
// schema.KindTeam, every name in the org) as `orgctl describe` shows them,
// a blank line between two. ov lists the findings to show; all indexes
// every finding, exempt ones included, to say how many -v would add
// (unless verbose).
func Describe(w io.Writer, ov *reconcile.OrgView, all FindingIndex, kind string, names []string, verbose bool) error {
	d := &describer{w: bufio.NewWriter(w), verbose: verbose, view: ov, all: all}
	for i, n := range names {
		if i > 0 {
			d.w.WriteString("\n")
		}
		if kind == schema.KindPerson {
			d.person(n)
		} else {
			d.team(n)
		}
	}
	return d.w.Flush()
}

// describer writes "Key:  value" lines aligned in one column, as kubectl
// describe does; a list puts one value per line.
type describer struct {
	w       *bufio.Writer
	verbose bool
	view    *reconcile.OrgView
	// all indexes every finding, exempt ones included, to say how many -v
	// would add.
	all FindingIndex
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
	o := d.view.Org
	v := d.view.Person(name)
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
	d.field("Mentors", v.MentorStrings()...)
	d.field("Coachees", withStatus(o, v.Coachees)...)
	d.field("Mentees", withStatus(o, v.Mentees)...)
	d.field("Reports", withStatus(o, v.Reports)...)
	d.lifecycle(o, name)
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
func managerLine(o *reconcile.Org, name string, v reconcile.PersonView) string {
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

func (d *describer) team(name string) {
	o := d.view.Org
	v := d.view.Team(name)
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
				manager += fmt.Sprintf(" (members report to %s, from team %s)", o.RefName(t.Manager), up)
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

// lifecycle adds the pairing lifecycle fields that are set (issue 17),
// and the doNotPair entries naming the person with their reasons: describe
// is the one output that shows them, and it runs locally.
func (d *describer) lifecycle(o *reconcile.Org, name string) {
	p := o.Person(name)
	if p == nil {
		return
	}
	if p.Lifecycle().CoachSince != "" {
		d.field("Coach Since", p.Lifecycle().CoachSince)
	}
	if len(p.Lifecycle().PastPairings) > 0 {
		var lines []string
		for _, pp := range p.Lifecycle().PastPairings {
			l := pp.Role + " " + pp.Person
			if pp.Domain != "" {
				l += " (" + pp.Domain + ")"
			}
			from := pp.From
			if from == "" {
				from = "?"
			}
			lines = append(lines, l+" "+from+" → "+pp.Until)
		}
		d.field("Past Pairings", lines...)
	}
	if p.Lifecycle().CoachWilling != nil || p.Lifecycle().CoachCapacity != nil {
		var parts []string
		if p.Lifecycle().CoachWilling != nil {
			parts = append(parts, fmt.Sprintf("willing: %v", *p.Lifecycle().CoachWilling))
		}
		if p.Lifecycle().CoachCapacity != nil {
			parts = append(parts, fmt.Sprintf("capacity: %d", *p.Lifecycle().CoachCapacity))
		}
		d.field("Coaching", strings.Join(parts, ", "))
	}
	if len(p.Lifecycle().MentoringWanted) > 0 {
		d.field("Wants Mentors", strings.Join(p.Lifecycle().MentoringWanted, ", "))
	}
	if o.Policy == nil {
		return
	}
	var never []string
	for _, e := range o.Policy.DoNotPair {
		if !slices.Contains(e.People, name) {
			continue
		}
		var others []string
		for _, q := range e.People {
			if q != name {
				others = append(others, q)
			}
		}
		l := strings.Join(others, ", ")
		if e.Reason != "" {
			l += " (" + e.Reason + ")"
		}
		never = append(never, l)
	}
	if len(never) > 0 {
		d.field("Do Not Pair", never...)
	}
}
