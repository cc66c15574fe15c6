package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"

	"github.com/orgctl/orgctl/internal/testtool"
)

// hostileLabel tries to break out of a Mermaid label or a DOT string:
// quotes, brackets, braces, parentheses, pipes, #, entities, HTML, a
// backtick, a semicolon, a backslash escape Graphviz interprets and a line
// break.
const hostileLabel = "Zoë \"Z\" <b>O'Neil</b> [lead] {x} (a|b) #1 &amp; `c`; \\N end\nnext"

// graphFixture is a small org with everything a chart draws: a team tree
// three deep whose middle team has a hostile display name, a team without
// a manager (its members report to the parent team's), a person called
// "end" (a Mermaid keyword), an external coach, a departed person, a
// mentor edge with a hostile domain, and a coach who is also the manager
// (a finding about ann and cto).
func graphFixture() []string {
	q := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	return []string{`apiVersion: orgctl.dev/v1
kind: Policy
metadata: {name: default}
spec: {roots: [boss]}
`, `apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: company}
spec: {displayName: Company, manager: boss}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: eng}
spec: {displayName: ` + q("Eng "+hostileLabel) + `, parent: company, manager: cto}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: web}
spec: {displayName: Web, parent: eng}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: ops}
spec: {displayName: Ops, parent: company, manager: ops-lead}
`, `apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: boss}
spec:
  displayName: The Boss
  team: company
  level: executive
  coach: ext
  expertise: [` + q(hostileLabel) + `]
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: cto}
spec: {displayName: Chief Tech, team: eng, level: executive, coach: ext, expertise: [go]}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: end}
spec:
  displayName: Enda End
  team: web
  level: senior
  coach: ops-lead
  mentors: [{person: boss, domain: ` + q(hostileLabel) + `}]
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: ann}
spec: {displayName: Ann, team: web, level: junior, coach: cto}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: ops-lead}
spec: {displayName: Ops Lead, team: ops, level: staff, coach: cto}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: gone}
spec: {displayName: Gone Person, team: ops, level: mid, status: departed, coach: boss}
`, `apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: ext}
spec: {displayName: ` + q(hostileLabel) + `, external: true}
`}
}

// loadOrg builds an org from documents, one file each (in reverse order
// when reversed is set, to show that the output does not depend on it).
func loadOrg(t *testing.T, docs []string, reversed bool) (*reconcile.Org, reconcile.Result) {
	t.Helper()
	fsys := fstest.MapFS{}
	for i, d := range docs {
		n := i
		if reversed {
			n = len(docs) - i
		}
		fsys[fmt.Sprintf("f%03d.yaml", n)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "org")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Problems) > 0 {
		t.Fatalf("fixture does not load: %+v", set.Problems)
	}
	o := reconcile.Build(set)
	return o, o.Check(set, reconcile.Options{})
}

func nodeNames(g Graph) []string {
	var out []string
	for _, n := range g.Nodes {
		out = append(out, n.Name)
	}
	return out
}

func edgeStrings(g Graph) []string {
	var out []string
	for _, e := range g.Edges {
		out = append(out, fmt.Sprintf("%s %s→%s", e.Kind, e.From, e.To))
	}
	return out
}

func teamStrings(g Graph) []string {
	var out []string
	for _, t := range g.Teams {
		out = append(out, t.Parent+"/"+t.Name)
	}
	return out
}

func TestBuildGraph(t *testing.T) {
	o, res := loadOrg(t, graphFixture(), false)
	cases := []struct {
		name  string
		opts  GraphOptions
		nodes []string
		teams []string // parent/name
		edges []string
	}{
		{
			name:  "the whole org: everyone, departed and external people included, teams nested as declared",
			nodes: []string{"ann", "boss", "cto", "end", "ext", "gone", "ops-lead"},
			teams: []string{"/company", "company/eng", "company/ops", "eng/web"},
			edges: []string{
				"manager boss→cto", "manager boss→ops-lead", "manager cto→ann", "manager cto→end", "manager ops-lead→gone",
				"coach boss→gone", "coach cto→ann", "coach cto→ops-lead", "coach ext→boss", "coach ext→cto", "coach ops-lead→end",
				"mentor boss→end",
			},
		},
		{
			name:  "a team: its members and its sub-teams', and only the edges among them",
			opts:  GraphOptions{Team: "eng"},
			nodes: []string{"ann", "cto", "end"},
			teams: []string{"/eng", "eng/web"},
			edges: []string{"manager cto→ann", "manager cto→end", "coach cto→ann"},
		},
		{
			name:  "a leaf team",
			opts:  GraphOptions{Team: "web"},
			nodes: []string{"ann", "end"},
			teams: []string{"/web"},
		},
		{
			name:  "depth 0: just the person, in the boxes of their team and its ancestors",
			opts:  GraphOptions{Person: "end", Depth: 0},
			nodes: []string{"end"},
			teams: []string{"/company", "company/eng", "eng/web"},
		},
		{
			name:  "depth 1: neighbours along any edge, in either direction; a box sits in the nearest box that is drawn",
			opts:  GraphOptions{Person: "end", Depth: 1},
			nodes: []string{"boss", "cto", "end", "ops-lead"},
			teams: []string{"/company", "company/eng", "company/ops", "eng/web"},
			edges: []string{"manager boss→cto", "manager boss→ops-lead", "manager cto→end", "coach cto→ops-lead", "coach ops-lead→end", "mentor boss→end"},
		},
		{
			name:  "depth 2 reaches the coach's coachees and the coach's coach",
			opts:  GraphOptions{Person: "end", Depth: 2},
			nodes: []string{"ann", "boss", "cto", "end", "ext", "gone", "ops-lead"},
			teams: []string{"/company", "company/eng", "company/ops", "eng/web"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := BuildGraph(o, res.Reported(false), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := nodeNames(g); !slices.Equal(got, c.nodes) {
				t.Errorf("nodes = %v, want %v", got, c.nodes)
			}
			if got := teamStrings(g); !slices.Equal(got, c.teams) {
				t.Errorf("teams = %v, want %v", got, c.teams)
			}
			if c.edges != nil {
				if got := edgeStrings(g); !slices.Equal(got, c.edges) {
					t.Errorf("edges =\n  %v\nwant\n  %v", got, c.edges)
				}
			}
		})
	}
}

func TestBuildGraphMarksPeopleWithFindings(t *testing.T) {
	o, res := loadOrg(t, graphFixture(), false)
	g, err := BuildGraph(o, res.Reported(false), GraphOptions{})
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]int{}
	for _, n := range g.Nodes {
		if n.Findings > 0 {
			marked[n.Name] = n.Findings
		}
	}
	// cto manages and coaches ann: coach-is-manager/ann/cto is about both.
	if want := map[string]int{"ann": 1, "cto": 1}; fmt.Sprint(marked) != fmt.Sprint(want) {
		t.Errorf("people marked with findings = %v, want %v (findings: %+v)", marked, want, res.Findings)
	}
}

func TestBuildGraphErrors(t *testing.T) {
	o, _ := loadOrg(t, graphFixture(), false)
	for _, opts := range []GraphOptions{
		{Team: "nope"},
		{Person: "nope"},
		{Team: "eng", Person: "end"},
		{Person: "end", Depth: -1},
	} {
		if _, err := BuildGraph(o, nil, opts); err == nil {
			t.Errorf("BuildGraph(%+v) = nil error, want one", opts)
		}
	}
}

func TestBuildGraphSurvivesTeamLoops(t *testing.T) {
	docs := []string{`apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: a}
spec: {parent: c, manager: x}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: b}
spec: {parent: a}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: c}
spec: {parent: b}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: d}
spec: {parent: d}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: x}
spec: {displayName: X, team: a, level: mid}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: y}
spec: {displayName: Y, team: c, level: mid}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: z}
spec: {displayName: Z, team: d, level: mid}
`}
	fsys := fstest.MapFS{"org.yaml": &fstest.MapFile{Data: []byte(docs[0])}}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Build(set)
	g, err := BuildGraph(o, nil, GraphOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The loop a → c → b → a is cut at a (alphabetically first): a is at
	// the top, b (which holds nobody) in a as c's ancestor, c in b; d, its
	// own parent, is at the top too.
	if got, want := teamStrings(g), []string{"/a", "a/b", "b/c", "/d"}; !slices.Equal(got, want) {
		t.Errorf("teams = %v, want %v", got, want)
	}
	var b bytes.Buffer
	if err := Mermaid(&b, g); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "subgraph "); n != 4 {
		t.Errorf("%d subgraphs, want 4:\n%s", n, b.String())
	}
	g, err = BuildGraph(o, nil, GraphOptions{Team: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := nodeNames(g), []string{"y"}; !slices.Equal(got, want) {
		t.Errorf("--team b in a loop: nodes = %v, want %v", got, want)
	}
}

func TestGraphIDs(t *testing.T) {
	safe := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	names := []string{"end", "a-b", "a_b", "a--b", "a__b", "subgraph", "Ω", "a b", "x-x2d_", "x_x2d_"}
	seen := map[string]string{}
	for _, n := range names {
		id := personID(n)
		if !safe.MatchString(id) {
			t.Errorf("personID(%q) = %q: not a plain identifier", n, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("personID(%q) = personID(%q) = %q: ids must differ for different names", n, other, id)
		}
		seen[id] = n
	}
}

func TestGraphLabelsAreEscaped(t *testing.T) {
	o, res := loadOrg(t, graphFixture(), false)
	g, err := BuildGraph(o, res.Reported(false), GraphOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var mm, dot bytes.Buffer
	if err := Mermaid(&mm, g); err != nil {
		t.Fatal(err)
	}
	if err := DOT(&dot, g); err != nil {
		t.Fatal(err)
	}
	// In Mermaid, every quoted label holds no quote, bracket, brace,
	// parenthesis, pipe, backtick, angle bracket (but our <br>) or
	// semicolon, and every # starts an entity code.
	quoted := regexp.MustCompile(`"([^"\n]*)"`)
	entity := regexp.MustCompile(`#[a-z0-9]+;`)
	for _, m := range quoted.FindAllStringSubmatch(mm.String(), -1) {
		label := entity.ReplaceAllString(strings.ReplaceAll(m[1], "<br>", ""), "")
		if strings.ContainsAny(label, "[]{}()|`<>;&#") {
			t.Errorf("mermaid label %q holds a character that is not escaped", m[1])
		}
	}
	if !strings.Contains(mm.String(), "Zoë #quot;Z#quot; #lt;b#gt;O'Neil#lt;/b#gt; #91;lead#93;") {
		t.Errorf("the hostile display name is not escaped as expected:\n%s", mm.String())
	}
	// In DOT, quotes and backslashes are escaped and nothing breaks a line.
	if !strings.Contains(dot.String(), `Zoë \"Z\" <b>O'Neil</b> [lead] {x} (a|b) #1 &amp; `+"`c`"+`; \\N end next`) {
		t.Errorf("the hostile display name is not escaped as expected in DOT:\n%s", dot.String())
	}
	for i, line := range strings.Split(dot.String(), "\n") {
		if strings.Count(strings.ReplaceAll(line, `\"`, ""), `"`)%2 != 0 {
			t.Errorf("DOT line %d has an unbalanced quote: %s", i+1, line)
		}
	}
}

func TestGraphIsDeterministic(t *testing.T) {
	var outs []string
	for _, reversed := range []bool{false, true} {
		o, res := loadOrg(t, graphFixture(), reversed)
		g, err := BuildGraph(o, res.Reported(false), GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := Mermaid(&b, g); err != nil {
			t.Fatal(err)
		}
		if err := DOT(&b, g); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b.String())
	}
	if outs[0] != outs[1] {
		t.Errorf("the output depends on the order files are read in:\n%s\n---\n%s", outs[0], outs[1])
	}
}

// TestGraphGolden pins the Mermaid and DOT output; the golden files are
// the specification of both formats (review them after -update).
func TestGraphGolden(t *testing.T) {
	o, res := loadOrg(t, graphFixture(), false)
	cases := []struct {
		name string
		opts GraphOptions
	}{
		{"full", GraphOptions{}},
		{"team", GraphOptions{Team: "eng"}},
		{"person", GraphOptions{Person: "end", Depth: 1}},
	}
	for _, c := range cases {
		for _, format := range GraphFormats {
			t.Run(format+"/"+c.name, func(t *testing.T) {
				g, err := BuildGraph(o, res.Reported(false), c.opts)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := WriteGraph(format, &b, g); err != nil {
					t.Fatal(err)
				}
				golden(t, "graph-"+format+"-"+c.name+".golden", b.Bytes())
			})
		}
	}
	if err := WriteGraph("svg", &bytes.Buffer{}, Graph{}); err == nil || !strings.Contains(err.Error(), "use mermaid or dot") {
		t.Errorf("an unknown format: err = %v, want one naming mermaid and dot", err)
	}
}

func TestPersonAndTeamFindings(t *testing.T) {
	// A person and a team share the name "web"; the team's unknown
	// manager is the team's finding, the person's missing coach is the
	// person's, and the duplicate login reaches both people who share it.
	doc := `apiVersion: orgctl.dev/v1
kind: Policy
metadata: {name: default}
spec: {roots: [web, amy]}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: web}
spec: {manager: ghost}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: web}
spec: {displayName: Web Person, team: web, level: mid, github: Same}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: amy}
spec: {displayName: Amy, team: web, level: mid, github: same, coach: web}
`
	set, err := (&schema.Loader{}).LoadFS(fstest.MapFS{"org.yaml": &fstest.MapFile{Data: []byte(doc)}}, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Build(set)
	res := o.Check(set, reconcile.Options{})
	fps := func(fs []reconcile.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Fingerprint)
		}
		slices.Sort(out)
		return out
	}
	cases := []struct {
		name string
		got  []reconcile.Finding
		want []string
	}{
		{"person web", PersonFindings(o, res.Findings, "web"), []string{"duplicate-github/same", "missing-coach/web"}},
		{"person amy", PersonFindings(o, res.Findings, "amy"), []string{"duplicate-github/same"}},
		{"team web", TeamFindings(o, res.Findings, "web"), []string{"unknown-reference/web/ghost"}},
		{"nobody", PersonFindings(o, res.Findings, "nobody"), nil},
	}
	for _, c := range cases {
		if got := fps(c.got); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v (all: %v)", c.name, got, c.want, fps(res.Findings))
		}
	}
}

// TestDOTRenders draws the fixture's and the example orgs' charts with
// Graphviz (Debian: apt-get install graphviz; .ci/run installs it): it
// skips without dot, except in CI, where it fails. Graphviz 2.43 fails on some charts that newer versions
// draw (see DOT), so this runs whichever version is installed.
func TestDOTRenders(t *testing.T) {
	dot := testtool.Need(t, "Graphviz dot", "apt-get install graphviz", "dot")
	var graphs []Graph
	o, res := loadOrg(t, graphFixture(), false)
	for _, opts := range []GraphOptions{{}, {Team: "eng"}, {Person: "end", Depth: 1}} {
		g, err := BuildGraph(o, res.Reported(false), opts)
		if err != nil {
			t.Fatal(err)
		}
		graphs = append(graphs, g)
	}
	for _, dir := range []string{"../../examples/acme", "../../examples/conflicts"} {
		set, err := (&schema.Loader{}).LoadPaths([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		o := reconcile.Build(set)
		g, err := BuildGraph(o, o.Check(set, reconcile.Options{}).Reported(false), GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		graphs = append(graphs, g)
	}
	for i, g := range graphs {
		var b bytes.Buffer
		if err := DOT(&b, g); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = &b
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("graph %d: dot: %v\n%s", i, err, stderr.String())
		}
	}
}

// divisionsFixture is an org shaped like a real one: divisions made of
// departments made of teams, people only in the teams at the leaves (and
// the executives in a team of their own), so that every grouping team has
// no direct member.
func divisionsFixture() []string {
	team := func(name, display, parent, manager string) string {
		spec := "displayName: " + display
		if parent != "" {
			spec += ", parent: " + parent
		}
		if manager != "" {
			spec += ", manager: " + manager
		}
		return "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: " + name + "}\nspec: {" + spec + "}\n"
	}
	person := func(name, display, team, level, coach string) string {
		return "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: " + name + "}\nspec: {displayName: " + display +
			", team: " + team + ", level: " + level + ", coach: " + coach + "}\n"
	}
	return []string{
		"apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec: {roots: [ceo]}\n",
		team("exec", "Executive", "", "ceo"),
		team("product", "Product Division", "", "vp"),
		team("platform", "Platform Department", "product", "vp"),
		team("api", "API Team", "platform", "lead"),
		team("web", "Web Team", "platform", "lead"),
		team("apps", "Apps Department", "product", "vp"),
		team("mobile", "Mobile Team", "apps", "lead"),
		team("ops", "Operations Division", "", "ceo"),
		team("support", "Support Department", "ops", "ceo"),
		team("desk", "Help Desk", "support", "ceo"),
		person("ceo", "Chief Executive", "exec", "executive", "vp") + "---\n" +
			"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: vp}\nspec: {displayName: Vice President, team: exec, level: executive, coach: ceo, manager: ceo}\n",
		person("lead", "Team Lead", "api", "staff", "ceo") + "---\n" +
			"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: ana}\nspec: {displayName: Ana, team: api, level: mid, coach: dee, manager: lead}\n",
		person("cy", "Cy", "web", "senior", "eve"),
		person("dee", "Dee", "mobile", "senior", "lead"),
		person("eve", "Eve", "desk", "senior", "lead"),
	}
}

// TestGraphKeepsMemberlessAncestors: a team's box sits in the boxes of all
// its ancestors, even those without a direct member, for the whole org, a
// division or a department, and around a person.
func TestGraphKeepsMemberlessAncestors(t *testing.T) {
	o, res := loadOrg(t, divisionsFixture(), false)
	cases := []struct {
		name  string
		opts  GraphOptions
		teams []string // parent/name
	}{
		{"full", GraphOptions{}, []string{"platform/api", "product/apps", "support/desk", "/exec", "apps/mobile", "/ops", "product/platform", "/product", "ops/support", "platform/web"}},
		{"team-division", GraphOptions{Team: "product"}, []string{"platform/api", "product/apps", "apps/mobile", "product/platform", "/product", "platform/web"}},
		{"team-department", GraphOptions{Team: "platform"}, []string{"platform/api", "/platform", "platform/web"}},
		{"person", GraphOptions{Person: "eve", Depth: 1}, []string{"platform/api", "support/desk", "/exec", "/ops", "product/platform", "/product", "ops/support", "platform/web"}},
		{"person-alone", GraphOptions{Person: "cy", Depth: 0}, []string{"product/platform", "/product", "platform/web"}},
	}
	for _, c := range cases {
		g, err := BuildGraph(o, res.Reported(false), c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := teamStrings(g); !slices.Equal(got, c.teams) {
			t.Errorf("%s: teams = %v, want %v", c.name, got, c.teams)
		}
		for _, format := range GraphFormats {
			var b bytes.Buffer
			if err := WriteGraph(format, &b, g); err != nil {
				t.Fatal(err)
			}
			golden(t, "graph-"+format+"-divisions-"+c.name+".golden", b.Bytes())
		}
	}
}
