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
	"github.com/orgctl/orgctl/schema"
)

// EdgeKind is the relationship an org-chart edge draws.
type EdgeKind string

// The relationships of an org chart, in the order they are drawn.
const (
	EdgeManager EdgeKind = "manager" // solid: manager → report
	EdgeCoach   EdgeKind = "coach"   // dashed: coach → coachee
	EdgeMentor  EdgeKind = "mentor"  // dotted: mentor → mentee, labelled with the domain
)

// edgeOrder ranks edge kinds for sorting.
var edgeOrder = map[EdgeKind]int{EdgeManager: 0, EdgeCoach: 1, EdgeMentor: 2}

// GraphNode is one person of an org chart.
type GraphNode struct {
	Name        string
	DisplayName string
	Level       string
	Status      string
	External    bool
	// Team is the team box the person is drawn in; empty when the person
	// has no team in the graph (external people, a dangling team).
	Team string
	// Findings counts the findings about the person (see IndexFindings);
	// a person with findings is drawn with a red border.
	Findings int
}

// GraphEdge is one relationship, drawn from the manager, coach or mentor
// to the person they manage, coach or mentor.
type GraphEdge struct {
	From, To string
	Kind     EdgeKind
	// Domain is the mentoring domain of a mentor edge.
	Domain string
}

// GraphTeam is a team box of an org chart; boxes nest as teams do.
type GraphTeam struct {
	Name        string
	DisplayName string
	// Parent is the team box this one is drawn in, empty at the top.
	Parent string
}

// Graph is an org chart ready to be written as Mermaid or DOT: people,
// the teams they are grouped in, and the relationships among them, each
// list sorted so that equal orgs give equal output.
type Graph struct {
	Teams []GraphTeam // by name
	Nodes []GraphNode // by name
	Edges []GraphEdge // manager, coach, mentor edges; each by from, to, domain
}

// GraphOptions restrict an org chart. With neither Team nor Person set the
// chart holds the whole org.
type GraphOptions struct {
	// Team keeps the members of the team and of its sub-teams, and the
	// relationships among them.
	Team string
	// Person keeps the people within Depth hops of the person, following
	// manager, coach and mentor relationships in either direction.
	Person string
	Depth  int
}

// BuildGraph turns an org into an org chart: every participating person
// (departed and external people included) grouped in team boxes that nest
// as the teams do, with effective-manager, coach and mentor edges between
// the people kept. findings mark the people they are about; pass the
// reported ones (exempt findings left out unless verbose).
func BuildGraph(o *reconcile.Org, findings []reconcile.Finding, opts GraphOptions) (Graph, error) {
	if opts.Team != "" && opts.Person != "" {
		return Graph{}, fmt.Errorf("a graph is either of a team or around a person, not both")
	}
	edges := orgEdges(o)
	keep := map[string]bool{}
	teamKeep := func(string) bool { return true }
	switch {
	case opts.Team != "":
		if o.Team(opts.Team) == nil {
			return Graph{}, fmt.Errorf("team %q not found", opts.Team)
		}
		sub := subTeams(o, opts.Team)
		teamKeep = func(t string) bool { return sub[t] }
		for _, p := range o.People {
			if sub[p.Team] {
				keep[p.Name] = true
			}
		}
	case opts.Person != "":
		if o.Person(opts.Person) == nil {
			return Graph{}, fmt.Errorf("person %q not found", opts.Person)
		}
		if opts.Depth < 0 {
			return Graph{}, fmt.Errorf("depth %d is negative", opts.Depth)
		}
		keep = neighbourhood(edges, opts.Person, opts.Depth)
	default:
		for _, p := range o.People {
			keep[p.Name] = true
		}
	}

	var g Graph
	about := IndexFindings(o, findings)
	used := map[string]bool{} // teams that hold a kept person
	for _, p := range o.People {
		if !keep[p.Name] {
			continue
		}
		n := GraphNode{Name: p.Name, DisplayName: p.DisplayName, Level: p.Level, Status: p.Status, External: p.External,
			Findings: len(about.Person(p.Name))}
		if o.Team(p.Team) != nil && teamKeep(p.Team) {
			n.Team = p.Team
			used[p.Team] = true
		}
		g.Nodes = append(g.Nodes, n)
	}
	slices.SortFunc(g.Nodes, func(a, b GraphNode) int { return strings.Compare(a.Name, b.Name) })

	// Every ancestor of a team that holds someone is drawn too, members
	// or not (a division of departments of teams keeps its boxes), up to
	// the top of the chart (--team: the team asked for). Loops in the team
	// tree are cut where they close, so every walk up ends.
	parents := teamParents(o)
	drawn := map[string]bool{}
	for t := range used {
		for up := t; up != "" && teamKeep(up) && !drawn[up]; up = parents[up] {
			drawn[up] = true
		}
	}
	for _, t := range o.Teams {
		if !drawn[t.Name] {
			continue
		}
		gt := GraphTeam{Name: t.Name, DisplayName: t.DisplayName}
		if up := parents[t.Name]; drawn[up] {
			gt.Parent = up
		}
		g.Teams = append(g.Teams, gt)
	}
	slices.SortFunc(g.Teams, func(a, b GraphTeam) int { return strings.Compare(a.Name, b.Name) })

	for _, e := range edges {
		if keep[e.From] && keep[e.To] {
			g.Edges = append(g.Edges, e)
		}
	}
	return g, nil
}

// orgEdges lists every relationship between participating people, sorted
// and without duplicates.
func orgEdges(o *reconcile.Org) []GraphEdge {
	var out []GraphEdge
	for _, p := range o.People {
		if m := o.Manager(p.Name); m.Known() && m.Name != p.Name {
			out = append(out, GraphEdge{From: m.Name, To: p.Name, Kind: EdgeManager})
		}
		if p.Coach != "" && p.Coach != p.Name && o.Person(p.Coach) != nil {
			out = append(out, GraphEdge{From: p.Coach, To: p.Name, Kind: EdgeCoach})
		}
		for _, m := range p.Mentors {
			if m.Person != p.Name && o.Person(m.Person) != nil {
				out = append(out, GraphEdge{From: m.Person, To: p.Name, Kind: EdgeMentor, Domain: m.Domain})
			}
		}
	}
	slices.SortFunc(out, compareEdges)
	return slices.Compact(out)
}

func compareEdges(a, b GraphEdge) int {
	return cmp.Or(
		cmp.Compare(edgeOrder[a.Kind], edgeOrder[b.Kind]),
		strings.Compare(a.From, b.From),
		strings.Compare(a.To, b.To),
		strings.Compare(a.Domain, b.Domain),
	)
}

// neighbourhood returns the people within depth hops of start, following
// edges in both directions.
func neighbourhood(edges []GraphEdge, start string, depth int) map[string]bool {
	adj := map[string][]string{}
	for _, e := range edges {
		adj[e.From] = append(adj[e.From], e.To)
		adj[e.To] = append(adj[e.To], e.From)
	}
	seen := map[string]bool{start: true}
	frontier := []string{start}
	for hop := 0; hop < depth && len(frontier) > 0; hop++ {
		var next []string
		for _, n := range frontier {
			for _, m := range adj[n] {
				if !seen[m] {
					seen[m] = true
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return seen
}

// teamParents maps each participating team to its participating parent,
// leaving out the parent link that closes a loop (the loop's members keep
// the others, so every walk up ends).
func teamParents(o *reconcile.Org) map[string]string {
	parents := map[string]string{}
	for _, t := range o.Teams {
		if t.Parent != "" && t.Parent != t.Name && o.Team(t.Parent) != nil {
			parents[t.Name] = t.Parent
		}
	}
	// Cut each loop once, at its alphabetically first member.
	names := make([]string, 0, len(parents))
	for n := range parents {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, start := range names {
		seen := map[string]bool{}
		var path []string
		for n := start; n != "" && !seen[n]; n = parents[n] {
			seen[n] = true
			path = append(path, n)
		}
		if last := path[len(path)-1]; parents[last] != "" {
			// The walk stopped at a repeat: path from parents[last] on is a loop.
			loop := path[slices.Index(path, parents[last]):]
			delete(parents, slices.Min(loop))
		}
	}
	return parents
}

// subTeams returns the team and every team below it.
func subTeams(o *reconcile.Org, name string) map[string]bool {
	parents := teamParents(o)
	children := map[string][]string{}
	for child, parent := range parents {
		children[parent] = append(children[parent], child)
	}
	out := map[string]bool{name: true}
	queue := []string{name}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, c := range children[n] {
			if !out[c] {
				out[c] = true
				queue = append(queue, c)
			}
		}
	}
	return out
}

// FindingIndex groups findings by the participating person or team they
// are about, so that views of a whole org look them up in constant time.
type FindingIndex struct {
	people, teams map[string][]reconcile.Finding
}

// IndexFindings sorts findings to the people and teams they are about.
// A finding is about the person or team its subject names (by the
// finding's SubjectKind), about the people who have the login a
// duplicate-github finding names, and about the person its Other names
// when its rule says Other is a person (the manager, coach or mentor at
// fault). A finding of no known subject kind (from a document whose kind
// is misspelt) is about whatever participating person or team has its
// subject's name. Findings keep their order.
func IndexFindings(o *reconcile.Org, fs []reconcile.Finding) FindingIndex {
	x := FindingIndex{people: map[string][]reconcile.Finding{}, teams: map[string][]reconcile.Finding{}}
	var byLogin map[string][]string
	for _, f := range fs {
		person, team := false, false
		switch f.SubjectKind {
		case reconcile.SubjectLogin:
			if byLogin == nil {
				byLogin = peopleByLogin(o)
			}
			for _, n := range byLogin[f.Subject] {
				x.people[n] = append(x.people[n], f)
			}
			continue
		case reconcile.SubjectPerson:
			person = o.Person(f.Subject) != nil
		case reconcile.SubjectTeam:
			team = o.Team(f.Subject) != nil
		case "":
			person, team = o.Person(f.Subject) != nil, o.Team(f.Subject) != nil
		}
		if person {
			x.people[f.Subject] = append(x.people[f.Subject], f)
		}
		if team {
			x.teams[f.Subject] = append(x.teams[f.Subject], f)
		}
		if f.Other != "" && f.Other != f.Subject && otherIsPerson(f.Rule) && o.Person(f.Other) != nil {
			x.people[f.Other] = append(x.people[f.Other], f)
		}
	}
	return x
}

// peopleByLogin maps each lower-case GitHub login to the people who have it.
func peopleByLogin(o *reconcile.Org) map[string][]string {
	byLogin := map[string][]string{}
	for _, p := range o.People {
		if p.GitHub != "" {
			login := strings.ToLower(p.GitHub)
			byLogin[login] = append(byLogin[login], p.Name)
		}
	}
	return byLogin
}

// Person returns the findings about a person, in the order given.
func (x FindingIndex) Person(name string) []reconcile.Finding { return x.people[name] }

// Team returns the findings about a team, in the order given.
func (x FindingIndex) Team(name string) []reconcile.Finding { return x.teams[name] }

// PersonFindings returns the findings about one participating person (see
// IndexFindings); for many people, index the findings once instead.
func PersonFindings(o *reconcile.Org, fs []reconcile.Finding, name string) []reconcile.Finding {
	return IndexFindings(o, fs).Person(name)
}

// TeamFindings returns the findings about one participating team (see
// IndexFindings).
func TeamFindings(o *reconcile.Org, fs []reconcile.Finding, name string) []reconcile.Finding {
	return IndexFindings(o, fs).Team(name)
}

// otherIsPerson reports whether a rule's Other is a participating person
// (the manager, coach or mentor at fault), as the registry says.
func otherIsPerson(id reconcile.RuleID) bool {
	r, ok := reconcile.LookupRule(id)
	return ok && r.OtherKind == reconcile.SubjectPerson
}

// GraphFormats are the formats WriteGraph accepts, the default first.
var GraphFormats = []string{"mermaid", "dot"}

// WriteGraph writes an org chart as Mermaid or Graphviz DOT.
func WriteGraph(format string, w io.Writer, g Graph) error {
	switch format {
	case "mermaid", "":
		return Mermaid(w, g)
	case "dot":
		return DOT(w, g)
	}
	return fmt.Errorf("unknown graph format %q: use %s", format, oneOf(GraphFormats))
}

// Colours of the org chart, shared by Mermaid and DOT.
const (
	colorManager  = "#24292f"
	colorCoach    = "#0969da"
	colorMentor   = "#1a7f37"
	colorFinding  = "#d73a49"
	colorDeparted = "#8c959f"
	fillDeparted  = "#eaeef2"
)

// legend is the first line of every chart, as a comment.
const legend = "orgctl org chart: solid = manager, dashed = coach, dotted = mentor (labelled with the domain); red border = has findings, grey = departed, dashed border = external"

// nodeLines is a person's label, one entry per line: the display name, then
// "name · level", then what stands out.
func nodeLines(n GraphNode) []string {
	lines := []string{n.DisplayName}
	second := n.Name
	if n.Level != "" {
		second += " · " + n.Level
	}
	lines = append(lines, second)
	var notes []string
	switch {
	case n.Status == schema.StatusDeparted:
		notes = append(notes, "departed")
	case n.Status == schema.StatusLeave:
		notes = append(notes, "on leave")
	}
	if n.External {
		notes = append(notes, "external")
	}
	if n.Findings > 0 {
		notes = append(notes, plural(n.Findings, "finding", "findings"))
	}
	if len(notes) > 0 {
		lines = append(lines, strings.Join(notes, ", "))
	}
	if lines[0] == "" {
		lines = lines[1:]
	}
	return lines
}

// graphID turns a name into an identifier that is safe in Mermaid and DOT
// and distinct for distinct names: letters and digits stay, "-" becomes
// "__", and any other character "_xHEX_". The prefix keeps it clear of
// keywords (end, graph, subgraph, node...).
func graphID(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-':
			b.WriteString("__")
		default:
			fmt.Fprintf(&b, "_x%x_", r)
		}
	}
	return b.String()
}

func personID(name string) string { return graphID("p_", name) }
func teamID(name string) string   { return graphID("t_", name) }

// graphMermaidLabel escapes text for a double-quoted Mermaid label with
// Mermaid's entity codes: quotes, brackets, braces, parentheses, pipes,
// backticks, #, & and angle brackets cannot end the label, start a shape or
// become HTML; line breaks and other control characters become spaces.
var graphMermaidLabel = strings.NewReplacer(
	"#", "#35;",
	"&", "#38;",
	`"`, "#quot;",
	"<", "#lt;",
	">", "#gt;",
	"[", "#91;",
	"]", "#93;",
	"(", "#40;",
	")", "#41;",
	"{", "#123;",
	"}", "#125;",
	"|", "#124;",
	"`", "#96;",
	";", "#59;",
)

func mermaidText(s string) string { return graphMermaidLabel.Replace(plainLine(s)) }

// plainLine keeps text on one line and drops control characters.
func plainLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case needsQuoting(r):
			return -1
		}
		return r
	}, s)
}

// Mermaid writes an org chart as a Mermaid flowchart (top to bottom):
// teams are subgraphs, manager edges solid, coach edges dashed, mentor
// edges dotted and labelled with the domain. People with findings get the
// class "finding" (a red border), departed people the class "departed"
// (grey), external people the class "external" (a dashed border).
func Mermaid(w io.Writer, g Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%%%% %s\n", legend)
	bw.WriteString("flowchart TD\n")
	fmt.Fprintf(bw, "  classDef finding stroke:%s,stroke-width:3px\n", colorFinding)
	fmt.Fprintf(bw, "  classDef departed fill:%s,stroke:%s,color:%s\n", fillDeparted, colorDeparted, colorDeparted)
	bw.WriteString("  classDef external stroke-dasharray:5 3\n")

	node := func(indent string, n GraphNode) {
		lines := nodeLines(n)
		for i := range lines {
			lines[i] = mermaidText(lines[i])
		}
		fmt.Fprintf(bw, "%s%s[\"%s\"]\n", indent, personID(n.Name), strings.Join(lines, "<br>"))
	}
	writeTeams(g, func(depth int, t GraphTeam, members []GraphNode, inner func()) {
		indent := strings.Repeat("  ", depth+1)
		title := t.DisplayName
		if title == "" {
			title = t.Name
		}
		fmt.Fprintf(bw, "%ssubgraph %s[\"%s\"]\n", indent, teamID(t.Name), mermaidText(title))
		// Without it, Mermaid lays out a box that no edge leaves from
		// left to right.
		fmt.Fprintf(bw, "%s  direction TB\n", indent)
		for _, n := range members {
			node(indent+"  ", n)
		}
		inner()
		fmt.Fprintf(bw, "%send\n", indent)
	}, func(n GraphNode) { node("  ", n) })

	// Edges are styled by index, one linkStyle per kind.
	index := map[EdgeKind][]string{}
	for i, e := range g.Edges {
		from, to := personID(e.From), personID(e.To)
		switch e.Kind {
		case EdgeManager:
			fmt.Fprintf(bw, "  %s --> %s\n", from, to)
		case EdgeCoach:
			fmt.Fprintf(bw, "  %s -.-> %s\n", from, to)
		case EdgeMentor:
			if e.Domain != "" {
				fmt.Fprintf(bw, "  %s -.->|\"%s\"| %s\n", from, mermaidText(e.Domain), to)
			} else {
				fmt.Fprintf(bw, "  %s -.-> %s\n", from, to)
			}
		}
		index[e.Kind] = append(index[e.Kind], strconv.Itoa(i))
	}
	styles := []struct {
		kind  EdgeKind
		style string
	}{
		{EdgeManager, "stroke:" + colorManager + ",stroke-width:2px"},
		{EdgeCoach, "stroke:" + colorCoach + ",stroke-width:1.5px,stroke-dasharray:8 4"},
		{EdgeMentor, "stroke:" + colorMentor + ",stroke-width:1.5px,stroke-dasharray:2 3"},
	}
	for _, s := range styles {
		if ids := index[s.kind]; len(ids) > 0 {
			fmt.Fprintf(bw, "  linkStyle %s %s\n", strings.Join(ids, ","), s.style)
		}
	}
	classes := []struct {
		name string
		has  func(GraphNode) bool
	}{
		{"departed", func(n GraphNode) bool { return n.Status == schema.StatusDeparted }},
		{"external", func(n GraphNode) bool { return n.External }},
		{"finding", func(n GraphNode) bool { return n.Findings > 0 }},
	}
	for _, c := range classes {
		var ids []string
		for _, n := range g.Nodes {
			if c.has(n) {
				ids = append(ids, personID(n.Name))
			}
		}
		if len(ids) > 0 {
			fmt.Fprintf(bw, "  class %s %s\n", strings.Join(ids, ","), c.name)
		}
	}
	return bw.Flush()
}

// writeTeams walks the team boxes depth first in name order: box is called
// for each team with its members and a function that writes the boxes
// inside it; loose is called for each person outside every box, after
// the boxes.
func writeTeams(g Graph, box func(depth int, t GraphTeam, members []GraphNode, inner func()), loose func(GraphNode)) {
	members := map[string][]GraphNode{}
	for _, n := range g.Nodes {
		members[n.Team] = append(members[n.Team], n)
	}
	children := map[string][]GraphTeam{}
	for _, t := range g.Teams {
		children[t.Parent] = append(children[t.Parent], t)
	}
	var walk func(depth int, parent string)
	walk = func(depth int, parent string) {
		for _, t := range children[parent] {
			box(depth, t, members[t.Name], func() { walk(depth+1, t.Name) })
		}
	}
	walk(0, "")
	for _, n := range members[""] {
		loose(n)
	}
}

// dotEscaper escapes text for a double-quoted DOT string: backslashes
// (Graphviz reads \N, \G, \l... in labels) and quotes.
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func dotText(s string) string { return dotEscaper.Replace(plainLine(s)) }

// DOT writes an org chart as a Graphviz digraph (top to bottom): teams are
// clusters, manager edges solid and the ones that rank people, coach edges
// dashed, mentor edges dotted and labelled with the domain. People
// with findings have a red border, departed people are grey, external
// people have a dashed border.
func DOT(w io.Writer, g Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "// %s\n", legend)
	bw.WriteString("digraph org {\n")
	bw.WriteString("  graph [rankdir=TB, forcelabels=true, fontname=\"Helvetica\", fontsize=12];\n")
	bw.WriteString("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n")
	bw.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	node := func(indent string, n GraphNode) {
		lines := nodeLines(n)
		for i := range lines {
			lines[i] = dotText(lines[i])
		}
		attrs := []string{fmt.Sprintf("label=\"%s\"", strings.Join(lines, `\n`))}
		style := []string{"rounded"}
		if n.External {
			style = append(style, "dashed")
		}
		if n.Status == schema.StatusDeparted {
			style = append(style, "filled")
			attrs = append(attrs, fmt.Sprintf("fillcolor=\"%s\"", fillDeparted), fmt.Sprintf("fontcolor=\"%s\"", colorDeparted))
		}
		if len(style) > 1 {
			attrs = append(attrs, fmt.Sprintf("style=\"%s\"", strings.Join(style, ",")))
		}
		switch {
		case n.Findings > 0:
			attrs = append(attrs, fmt.Sprintf("color=\"%s\"", colorFinding), "penwidth=2.5")
		case n.Status == schema.StatusDeparted:
			attrs = append(attrs, fmt.Sprintf("color=\"%s\"", colorDeparted))
		}
		fmt.Fprintf(bw, "%s%s [%s];\n", indent, personID(n.Name), strings.Join(attrs, ", "))
	}
	writeTeams(g, func(depth int, t GraphTeam, members []GraphNode, inner func()) {
		indent := strings.Repeat("  ", depth+1)
		title := t.DisplayName
		if title == "" {
			title = t.Name
		}
		fmt.Fprintf(bw, "%ssubgraph cluster_%s {\n", indent, teamID(t.Name))
		fmt.Fprintf(bw, "%s  label=\"%s\";\n", indent, dotText(title))
		fmt.Fprintf(bw, "%s  style=rounded; color=\"#d0d7de\";\n", indent)
		for _, n := range members {
			node(indent+"  ", n)
		}
		inner()
		fmt.Fprintf(bw, "%s}\n", indent)
	}, func(n GraphNode) { node("  ", n) })
	for _, e := range g.Edges {
		var attrs string
		switch e.Kind {
		case EdgeManager:
			attrs = fmt.Sprintf("color=\"%s\", penwidth=1.5", colorManager)
		// Coach and mentor edges have weight 0, so that they pull on the
		// layout as little as possible, and the domain is an xlabel, placed
		// after the layout. constraint=false and edge labels would leave
		// them out of the ranking altogether, but Graphviz 2.43 (Debian 12,
		// Ubuntu 22.04) then fails on clusters ("trouble in init_rank") or
		// aborts on a coach who is also a mentor (merge_chain).
		case EdgeCoach:
			attrs = fmt.Sprintf("style=dashed, color=\"%s\", weight=0", colorCoach)
		case EdgeMentor:
			attrs = fmt.Sprintf("style=dotted, color=\"%s\", weight=0", colorMentor)
			if e.Domain != "" {
				attrs += fmt.Sprintf(", xlabel=\"%s\", fontcolor=\"%s\"", dotText(e.Domain), colorMentor)
			}
		}
		fmt.Fprintf(bw, "  %s -> %s [%s];\n", personID(e.From), personID(e.To), attrs)
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
