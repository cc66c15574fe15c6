package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

// PlanMarker is the hidden marker of orgctl's sticky pull-request comment.
const PlanMarker = "<!-- orgctl:plan -->"

// MaxCommentSize is GitHub's limit on a comment body, in characters.
const MaxCommentSize = 65536

// PlanOptions tune plan renderers.
type PlanOptions struct {
	Color bool
	// Base and Head describe what was compared, e.g. "origin/main" and
	// "the working tree".
	Base, Head string
	// Limit caps the Markdown size (default MaxCommentSize, minus a
	// margin).
	Limit int
	// HeadSHA is the full SHA of the commit the plan ran on, written in
	// the JSON document (see PlanDocument).
	HeadSHA string
}

// WritePlan renders a plan as text, json (a PlanDocument) or markdown.
func WritePlan(format string, w io.Writer, p reconcile.Plan, o PlanOptions) error {
	switch format {
	case "text", "":
		return PlanText(w, p, o)
	case "json":
		return WriteJSON(w, NewPlanDocument(p, o.Base, o.HeadSHA))
	case "markdown", "md":
		_, err := io.WriteString(w, PlanMarkdown(p, o))
		return err
	}
	return fmt.Errorf("unknown output format %q: use text, json or markdown", format)
}

var symbols = map[string]string{reconcile.ActionAdd: "+", reconcile.ActionChange: "~", reconcile.ActionRemove: "-"}

const ansiGreen = "\x1b[32m"

// PlanText renders a plan the way terraform does: +, ~ and - per object,
// field by field, then the findings the change introduces and resolves.
func PlanText(w io.Writer, p reconcile.Plan, o PlanOptions) error {
	bw := bufio.NewWriter(w)
	paint := func(color, s string) string {
		if !o.Color {
			return s
		}
		return color + s + ansiReset
	}
	colorOf := map[string]string{reconcile.ActionAdd: ansiGreen, reconcile.ActionChange: ansiYellow, reconcile.ActionRemove: ansiRed}
	if o.Base != "" {
		fmt.Fprintf(bw, "Comparing %s with %s.\n\n", o.Head, o.Base)
	}
	if len(p.Changes) == 0 {
		fmt.Fprintln(bw, "No changes to people, teams or the policy.")
	}
	for _, c := range p.Changes {
		fmt.Fprintf(bw, "  %s %s %s\n", paint(colorOf[c.Action], symbols[c.Action]), strings.ToLower(c.Kind), c.Name)
		width := 0
		for _, f := range c.Fields {
			width = max(width, len(f.Field))
		}
		for _, f := range c.Fields {
			var v string
			switch c.Action {
			case reconcile.ActionAdd:
				v = reconcile.Describe(f.To)
			case reconcile.ActionRemove:
				v = reconcile.Describe(f.From)
			default:
				v = reconcile.Describe(f.From) + " → " + reconcile.Describe(f.To)
			}
			fmt.Fprintf(bw, "      %-*s %s\n", width+1, f.Field+":", oneLine(v))
		}
		for _, e := range c.Effects {
			fmt.Fprintf(bw, "      %s %s\n", paint(ansiYellow, "!"), oneLine(e))
		}
	}
	fmt.Fprintln(bw)
	f := p.Findings
	if len(f.Introduced) > 0 {
		fmt.Fprintln(bw, "Findings this change introduces:")
		for _, x := range f.Introduced {
			fmt.Fprintf(bw, "  %s %s %s: %s (%s:%d)\n", paint(ansiRed, "+"), x.Severity, x.Rule, oneLine(x.Message), x.File, x.Line)
		}
		fmt.Fprintln(bw)
	}
	if len(f.Resolved) > 0 {
		fmt.Fprintln(bw, "Findings this change resolves:")
		for _, x := range f.Resolved {
			fmt.Fprintf(bw, "  %s %s %s: %s\n", paint(ansiGreen, "-"), x.Severity, x.Rule, oneLine(x.Message))
		}
		fmt.Fprintln(bw)
	}
	if len(p.GitHub) > 0 {
		fmt.Fprintln(bw, "What orgctl apply would do on GitHub, as of now:")
		for _, a := range p.GitHub {
			ref := a.Type
			if a.Number > 0 {
				ref = fmt.Sprintf("%s #%d", a.Type, a.Number)
			}
			fmt.Fprintf(bw, "  %s %s: %s (%s)\n", a.Action, ref, oneLine(a.Title), a.Fingerprint)
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintf(bw, "Plan: %d to add, %d to change, %d to remove. %s, %d resolved, %d unchanged.\n",
		p.Summary.Add, p.Summary.Change, p.Summary.Remove, newFindings(p), len(f.Resolved), len(f.Unchanged))
	return bw.Flush()
}

func newFindings(p reconcile.Plan) string {
	n := len(p.Findings.Introduced)
	if n == 0 {
		return "No new findings"
	}
	return fmt.Sprintf("%s (%s, %s)", plural(n, "new finding", "new findings"),
		plural(p.Summary.Errors, "error", "errors"), plural(p.Summary.Warnings, "warning", "warnings"))
}

// PlanMarkdown renders a plan for a pull-request comment: the marker, a
// summary, who is left without a coach, the changes, the findings, and a
// Mermaid diagram of the relationships that changed. Every string from the
// org is escaped, and the result stays under o.Limit characters: sections
// are cut from the least important up, with a visible note.
func PlanMarkdown(p reconcile.Plan, o PlanOptions) string {
	limit := o.Limit
	if limit <= 0 {
		limit = MaxCommentSize - 512
	}
	head := planHead(p, o)
	sections := []mdSection{
		{title: "", body: coachless(p)},
		{title: "", body: changesTable(p)},
		{title: "", body: findingsTable("New findings", p.Findings.Introduced, false)},
		{title: fmt.Sprintf("Relationships that changed (%d)", countEdges(p)), body: mermaidSection(p), collapsed: true},
		{title: fmt.Sprintf("What orgctl apply would do on GitHub (%d)", len(p.GitHub)), body: githubSection(p), collapsed: true},
		{title: fmt.Sprintf("Resolved findings (%d)", len(p.Findings.Resolved)), body: findingsTable("", p.Findings.Resolved, true), collapsed: true},
		{title: fmt.Sprintf("Unchanged findings (%d)", len(p.Findings.Unchanged)), body: findingsTable("", p.Findings.Unchanged, true), collapsed: true},
	}
	foot := "\n<sub>Generated by orgctl plan. Findings are matched by fingerprint, so moving lines changes nothing. `orgctl plan -o json` has the full plan.</sub>\n"
	render := func() string {
		var b strings.Builder
		b.WriteString(head)
		for _, s := range sections {
			b.WriteString(s.String())
		}
		b.WriteString(foot)
		return b.String()
	}
	out := render()
	// Cut from the least important section up until the comment fits.
	for i := len(sections) - 1; len(out) > limit && i >= 0; i-- {
		over := len(out) - limit
		sections[i].truncate(over + 200)
		out = render()
	}
	if len(out) > limit {
		// Cut at a line's end, so that no escape, character or table row
		// is left in pieces.
		cut := out[:max(limit-200, 0)]
		if i := strings.LastIndexByte(cut, '\n'); i >= 0 {
			cut = cut[:i]
		}
		out = cut + "\n\n**Note: this comment was cut to fit GitHub's size limit.**\n"
	}
	return out
}

type mdSection struct {
	title     string
	body      string
	collapsed bool
}

func (s mdSection) String() string {
	if s.body == "" {
		return ""
	}
	if s.collapsed {
		return fmt.Sprintf("\n<details><summary>%s</summary>\n\n%s\n</details>\n", s.title, s.body)
	}
	return "\n" + s.body
}

// truncate drops whole lines from the end of the body to free n bytes and
// says so.
func (s *mdSection) truncate(n int) {
	if s.body == "" {
		return
	}
	lines := strings.Split(strings.TrimRight(s.body, "\n"), "\n")
	dropped := 0
	for len(lines) > 0 && n > 0 {
		n -= len(lines[len(lines)-1]) + 1
		lines = lines[:len(lines)-1]
		dropped++
	}
	// Never leave a code fence open.
	fences := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "```") {
			fences++
		}
	}
	if fences%2 == 1 {
		lines = append(lines, "```")
	}
	s.body = strings.Join(lines, "\n") + fmt.Sprintf("\n\n**%d more lines not shown to stay under GitHub's comment size limit; run `orgctl plan` for the full plan.**\n", dropped)
}

func planHead(p reconcile.Plan, o PlanOptions) string {
	var b strings.Builder
	b.WriteString(PlanMarker + "\n## orgctl plan\n\n")
	verdict := "✅ This change introduces no new findings."
	if p.Summary.Errors > 0 {
		verdict = fmt.Sprintf("❌ This change introduces %s.", plural(p.Summary.Errors, "error", "errors"))
	} else if p.Summary.Warnings > 0 {
		verdict = fmt.Sprintf("⚠️ This change introduces %s.", plural(p.Summary.Warnings, "warning", "warnings"))
	}
	b.WriteString(verdict + "\n\n")
	b.WriteString("| to add | to change | to remove | new findings | resolved | unchanged |\n|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d |\n", p.Summary.Add, p.Summary.Change, p.Summary.Remove,
		len(p.Findings.Introduced), len(p.Findings.Resolved), len(p.Findings.Unchanged))
	if o.Base != "" {
		fmt.Fprintf(&b, "\nCompared with %s.\n", CodeSpan(o.Base))
	}
	return b.String()
}

// coachless lists everyone without a coach after the change, new cases
// first: the manager's first job is to make sure everyone has one.
func coachless(p reconcile.Plan) string {
	var newOnes, old []string
	for _, f := range p.Findings.Introduced {
		if f.Rule == "missing-coach" {
			newOnes = append(newOnes, "- **"+EscapeMarkdown(f.Subject)+"** (new with this change)")
		}
	}
	for _, f := range p.Findings.Unchanged {
		if f.Rule == "missing-coach" {
			old = append(old, "- "+EscapeMarkdown(f.Subject))
		}
	}
	if len(newOnes)+len(old) == 0 {
		return ""
	}
	return fmt.Sprintf("### 🧭 People without a coach (%d)\n\nEveryone needs a coach, seniors too; their manager makes sure they have one.\n\n%s\n",
		len(newOnes)+len(old), strings.Join(append(newOnes, old...), "\n"))
}

func changesTable(p reconcile.Plan) string {
	if len(p.Changes) == 0 {
		return "No changes to people, teams or the policy.\n"
	}
	var b strings.Builder
	b.WriteString("### Changes\n\n|  | kind | name | what changes |\n|---|---|---|---|\n")
	for _, c := range p.Changes {
		var parts []string
		for _, f := range c.Fields {
			switch c.Action {
			case reconcile.ActionAdd:
				parts = append(parts, EscapeMarkdown(f.Field)+": "+EscapeMarkdown(reconcile.Describe(f.To)))
			case reconcile.ActionRemove:
			default:
				parts = append(parts, EscapeMarkdown(f.Field)+": "+EscapeMarkdown(reconcile.Describe(f.From))+" → "+EscapeMarkdown(reconcile.Describe(f.To)))
			}
		}
		if c.Action == reconcile.ActionRemove {
			parts = append(parts, "removed")
		}
		for _, e := range c.Effects {
			parts = append(parts, "⚠️ "+EscapeMarkdown(e))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", symbols[c.Action], EscapeMarkdown(c.Kind), EscapeMarkdown(c.Name), strings.Join(parts, "<br>"))
	}
	return b.String()
}

func findingsTable(title string, fs []reconcile.Finding, collapsedBody bool) string {
	if len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	if title != "" {
		fmt.Fprintf(&b, "### %s (%d)\n\n", title, len(fs))
	}
	b.WriteString("| severity | rule | message | where |\n|---|---|---|---|\n")
	// Ranked as every cut-short output is: structural problems first,
	// then errors, then warnings (the comment's size limit may cut rows).
	for _, f := range reconcile.ByImportance(fs) {
		icon := "⚠️"
		if f.Severity == reconcile.Error {
			icon = "❌"
		}
		fmt.Fprintf(&b, "| %s %s | %s | %s | %s:%d |\n", icon, f.Severity, EscapeMarkdown(f.Rule), EscapeMarkdown(f.Message), EscapeMarkdown(f.Path()), f.Line)
	}
	return b.String()
}

// edge is one manager, coach or mentor relationship.
type edge struct {
	from, to, kind, label string
}

// changedEdges lists the relationships added and removed by the plan.
func changedEdges(p reconcile.Plan) (added, removed []edge) {
	for _, c := range p.Changes {
		if c.Kind != "Person" {
			continue
		}
		for _, f := range c.Fields {
			switch f.Field {
			case "manager", "coach":
				if s, ok := f.From.(string); ok {
					removed = append(removed, edge{c.Name, strings.TrimSuffix(s, " (unknown)"), f.Field, ""})
				}
				if s, ok := f.To.(string); ok {
					added = append(added, edge{c.Name, strings.TrimSuffix(s, " (unknown)"), f.Field, ""})
				}
			case "mentors":
				from, _ := f.From.([]string)
				to, _ := f.To.([]string)
				in := func(l []string, s string) bool {
					for _, x := range l {
						if x == s {
							return true
						}
					}
					return false
				}
				for _, m := range from {
					if !in(to, m) {
						removed = append(removed, mentorEdge(c.Name, m))
					}
				}
				for _, m := range to {
					if !in(from, m) {
						added = append(added, mentorEdge(c.Name, m))
					}
				}
			}
		}
	}
	return added, removed
}

func mentorEdge(person, m string) edge {
	name, domain, _ := strings.Cut(m, " (")
	return edge{person, name, "mentor", strings.TrimSuffix(domain, ")")}
}

func countEdges(p reconcile.Plan) int {
	a, r := changedEdges(p)
	return len(a) + len(r)
}

// mermaidSection draws the relationships that changed: managers solid,
// coaches dashed, mentors dotted; removed ones in red.
func mermaidSection(p reconcile.Plan) string {
	added, removed := changedEdges(p)
	if len(added)+len(removed) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Solid: manager, dashed: coach, dotted: mentor; red: what the change removes.\n\n```mermaid\nflowchart LR\n")
	nodes := map[string]bool{}
	for _, e := range append(append([]edge(nil), added...), removed...) {
		nodes[e.from], nodes[e.to] = true, true
	}
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", mermaidID(n), mermaidLabel(n))
	}
	// Edges are styled by index: one linkStyle line per distinct style.
	styles := map[string][]string{}
	var order []string
	i := 0
	write := func(e edge, isRemoved bool) {
		arrow := "-->"
		style := "stroke:#24292f"
		switch e.kind {
		case "coach":
			arrow, style = "-.->", "stroke:#24292f,stroke-dasharray:6 4"
		case "mentor":
			arrow, style = "-.->", "stroke:#24292f,stroke-dasharray:1 3"
		}
		label := e.kind
		if e.label != "" {
			label += ": " + e.label
		}
		if isRemoved {
			label = "was " + label
			style = strings.Replace(style, "#24292f", "#d73a49", 1)
		}
		if _, ok := styles[style]; !ok {
			order = append(order, style)
		}
		styles[style] = append(styles[style], fmt.Sprint(i))
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", mermaidID(e.from), arrow, mermaidLabel(label), mermaidID(e.to))
		i++
	}
	for _, e := range added {
		write(e, false)
	}
	for _, e := range removed {
		write(e, true)
	}
	for _, st := range order {
		fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(styles[st], ","), st)
	}
	b.WriteString("```\n")
	return b.String()
}

// mermaidID is a node id safe in any Mermaid diagram.
func mermaidID(name string) string {
	var b strings.Builder
	b.WriteString("n_")
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_%x_", r)
		}
	}
	return b.String()
}

// mermaidLabel escapes text for a quoted Mermaid label.
func mermaidLabel(s string) string {
	return strings.NewReplacer("#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "`", "#96;", "|", "#124;", "@", "#64;").Replace(flatten(s))
}

// githubSection lists the issue changes apply would make, as of now.
func githubSection(p reconcile.Plan) string {
	if len(p.GitHub) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("As of now, against the current issues; `orgctl apply` runs after the merge.\n\n")
	for _, a := range p.GitHub {
		// The number is orgctl's own reference to the issue, meant as a
		// link; everything else is escaped.
		ref := EscapeMarkdown(a.Type)
		if a.Number > 0 {
			ref = fmt.Sprintf("%s #%d", ref, a.Number)
		}
		fmt.Fprintf(&b, "- %s %s: %s\n", EscapeMarkdown(a.Action), ref, EscapeMarkdown(a.Title))
	}
	return b.String()
}
