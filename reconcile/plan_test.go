package reconcile

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/schema"
)

func orgOf(t *testing.T, docs ...string) (*Org, Result) {
	t.Helper()
	fsys := fstest.MapFS{}
	for i, d := range docs {
		fsys[fmt.Sprintf("f%03d.yaml", i)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	o := Build(set)
	return o, o.Check(set, Options{Today: today})
}

func diff(t *testing.T, base, head []string) Plan {
	t.Helper()
	bo, br := orgOf(t, base...)
	ho, hr := orgOf(t, head...)
	return Diff(bo, br, ho, hr)
}

// changes renders a plan's changes as "action Kind/name field:from→to ...".
func changes(p Plan) []string {
	var out []string
	for _, c := range p.Changes {
		s := c.Action + " " + c.Kind + "/" + c.Name
		for _, f := range c.Fields {
			s += fmt.Sprintf(" %s:%s→%s", f.Field, Describe(f.From), Describe(f.To))
		}
		for _, e := range c.Effects {
			s += " | " + e
		}
		out = append(out, s)
	}
	return out
}

func fingerprints(fs []Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Fingerprint)
	}
	return strings.Join(out, ",")
}

var planBase = []string{
	policy("  roots: [boss]"),
	team("eng", "manager: boss"),
	team("web", "parent: eng, manager: lead"),
	person("boss", "team: eng, level: executive, coach: ext"),
	person("ext", "external: true"),
	person("lead", "team: web, level: senior, coach: ext"),
	person("ann", "team: web, level: mid, coach: sue"),
	person("bob", "team: web, level: mid, coach: sue, mentors: [{person: sue, domain: go}]"),
	person("sue", "team: eng, level: senior, coach: ext, expertise: [go]"),
}

func replaced(docs []string, i int, doc string) []string {
	out := append([]string(nil), docs...)
	if doc == "" {
		return append(out[:i], out[i+1:]...)
	}
	out[i] = doc
	return out
}

func TestPlanNoChanges(t *testing.T) {
	// Reformatting and reordering files changes nothing.
	reordered := append([]string(nil), planBase...)
	reordered[3], reordered[5] = reordered[5], reordered[3]
	reordered[6] = "# a comment moves every line\n\n" + reordered[6]
	p := diff(t, planBase, reordered)
	if len(p.Changes) != 0 || len(p.Findings.Introduced) != 0 || len(p.Findings.Resolved) != 0 {
		t.Errorf("changes %q, introduced %s, resolved %s", changes(p), fingerprints(p.Findings.Introduced), fingerprints(p.Findings.Resolved))
	}
	if fingerprints(p.Findings.Unchanged) != "roles-not-distinct/bob/sue" {
		t.Errorf("unchanged: %s", fingerprints(p.Findings.Unchanged))
	}
}

func TestPlanTeamManagerChangeCascades(t *testing.T) {
	head := replaced(planBase, 2, team("web", "parent: eng, manager: sue"))
	got := changes(diff(t, planBase, head))
	want := []string{
		"change Person/ann manager:lead→sue",
		"change Person/bob manager:lead→sue",
		"change Person/lead manager:boss→sue",
		"change Team/web manager:lead→sue",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlanDepartureNamesWhatIsLeftBehind(t *testing.T) {
	head := replaced(planBase, 8, person("sue", "team: eng, level: senior, coach: ext, expertise: [go], status: departed"))
	p := diff(t, planBase, head)
	got := changes(p)
	want := "change Person/sue status:active→departed | ann loses their coach: sue departs | bob loses their coach: sue departs | bob loses their mentor in go: sue departs"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if fingerprints(p.Findings.Introduced) != "inactive-assignee/ann/sue,inactive-assignee/bob/sue" {
		t.Errorf("introduced: %s", fingerprints(p.Findings.Introduced))
	}
	if fingerprints(p.Findings.Resolved) != "roles-not-distinct/bob/sue" {
		t.Errorf("resolved: %s", fingerprints(p.Findings.Resolved))
	}
	if !p.Introduced(Error) || p.Summary.Errors != 2 {
		t.Errorf("a departure leaving people without a coach introduces errors: %+v", p.Summary)
	}
}

func TestPlanRemovalAndAddition(t *testing.T) {
	head := replaced(planBase, 5, "") // lead is removed
	head = append(head, person("zoe", "team: eng, level: junior"))
	p := diff(t, planBase, head)
	got := strings.Join(changes(p), "\n")
	for _, want := range []string{
		"change Person/ann manager:lead→lead (unknown)",
		"remove Person/lead displayName:lead→(none) status:active→(none) team:web→(none) level:senior→(none) manager:boss→(none) coach:ext→(none) | ann loses their manager: lead is removed | bob loses their manager: lead is removed",
		"add Person/zoe displayName:(none)→zoe status:(none)→active team:(none)→eng level:(none)→junior manager:(none)→boss",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("plan lacks %q:\n%s", want, got)
		}
	}
	// web's manager is now dangling: one unknown-reference, no cascade.
	if fingerprints(p.Findings.Introduced) != "unknown-reference/web/lead,missing-coach/zoe" {
		t.Errorf("introduced: %s", fingerprints(p.Findings.Introduced))
	}
	if p.Summary.Add != 1 || p.Summary.Remove != 1 || p.Summary.Change != 2 {
		t.Errorf("summary %+v", p.Summary)
	}
}

func TestPlanPolicyChange(t *testing.T) {
	head := replaced(planBase, 0, policy("  roots: [boss]\n  rules: {coach-capacity: {max: 1}}"))
	p := diff(t, planBase, head)
	if got := changes(p); len(got) != 1 || got[0] != "change Policy/default rules:(none)→[coach-capacity: max=1]" {
		t.Errorf("got %q", got)
	}
	if fingerprints(p.Findings.Introduced) != "coach-capacity/ext,coach-capacity/sue" {
		t.Errorf("introduced: %s", fingerprints(p.Findings.Introduced))
	}
}

// TestPlanRelationsAreTyped: a change carries the pairings it ends and
// begins as values, and a plan read back from JSON (which does not write
// them) gets the same ones from its fields.
func TestPlanRelationsAreTyped(t *testing.T) {
	head := replaced(planBase, 7, person("bob", "team: eng, level: mid, coach: lead, manager: ghost, mentors: [{person: sue, domain: go}, {person: lead, domain: \"web (frontend)\"}]"))
	head = replaced(head, 6, "")
	p := diff(t, planBase, head)
	var got []string
	for _, c := range p.Changes {
		for _, r := range c.Relations {
			got = append(got, fmt.Sprintf("%s %s: %s %s %q unknown=%v", c.Name, r.Action, r.Role, r.Person, r.Domain, r.Unknown))
		}
	}
	want := []string{
		`ann remove: manager lead "" unknown=false`,
		`ann remove: coach sue "" unknown=false`,
		`bob remove: manager lead "" unknown=false`,
		`bob add: manager ghost "" unknown=true`,
		`bob remove: coach sue "" unknown=false`,
		`bob add: coach lead "" unknown=false`,
		`bob add: mentor lead "web (frontend)" unknown=false`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("relations:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "elations") {
		t.Error("plan JSON gained a relations field: its shape is pinned")
	}
	var back Plan
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for i, c := range back.Changes {
		for j := range c.Fields { // as render.ReadPlanDocument types them
			for _, v := range []*any{&c.Fields[j].From, &c.Fields[j].To} {
				if l, ok := (*v).([]any); ok {
					s := make([]string, len(l))
					for k := range l {
						s[k] = l[k].(string)
					}
					*v = s
				}
			}
		}
		if got, want := RelationsOf(c), p.Changes[i].Relations; !slices.Equal(got, want) {
			t.Errorf("%s: RelationsOf the JSON fields is %v, want %v", c.Name, got, want)
		}
	}
}
