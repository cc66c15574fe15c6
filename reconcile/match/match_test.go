package match

import (
	"fmt"
	"github.com/orgctl/orgctl/reconcile"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/schema"
)

// memOrg builds an Org straight from values, without YAML, and checks it.
func memOrg(policy *reconcile.Policy, teams []*reconcile.Team, people []*reconcile.Person) (*reconcile.Org, reconcile.Result) {
	set := &schema.Set{}
	add := func(kind, name string, d *schema.Document) {
		d.Kind, d.Name = kind, name
		d.Source = schema.Source{File: "mem.yaml", Rel: "mem.yaml", Doc: len(set.Documents), Start: schema.Pos{Line: 1, Column: 1}}
		set.Documents = append(set.Documents, d)
	}
	if policy != nil {
		if policy.Name == "" {
			policy.Name = "default"
		}
		add(schema.KindPolicy, policy.Name, &schema.Document{Policy: policy})
	}
	for _, t := range teams {
		add(schema.KindTeam, t.Name, &schema.Document{Team: t})
	}
	for _, p := range people {
		if p.Status == "" {
			p.Status = schema.StatusActive
		}
		if p.DisplayName == "" {
			p.DisplayName = p.Name
		}
		add(schema.KindPerson, p.Name, &schema.Document{Person: p})
	}
	for _, d := range set.Documents {
		switch {
		case d.Person != nil:
			d.Person.Source = &d.Source
		case d.Team != nil:
			d.Team.Source = d.Source
		case d.Policy != nil:
			d.Policy.Source = d.Source
		}
	}
	o := reconcile.Build(set)
	return o, o.Check(set, reconcile.Options{Today: today})
}

func intp(i int) *int { return &i }

// pairs renders suggestions as "person→candidate" and unmatched people as
// "person→-".
func pairs(r Result) []string {
	var out []string
	for _, s := range r.Suggestions {
		out = append(out, s.Person+"→"+s.Candidate)
	}
	for _, u := range r.Unmatched {
		out = append(out, u.Person+"→-")
	}
	slices.Sort(out)
	return out
}

func suggestYAML(t *testing.T, req Request, docs ...string) Result {
	t.Helper()
	o, res := orgOf(t, docs...)
	r, err := Suggest(o, res, req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// strandOrg is an org where a greedy choice strands someone: alice's best
// coach is bob (a peer in another team), but bob is also the only coach
// carol can have (dan is carol's manager, boss is above both, erin and frank
// are more junior, alice and carol are full), so the assignment must give
// alice dan.
var strandOrg = []string{
	policy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}\n    coach-in-management-chain: {severity: error}\n    coach-junior: {severity: error}"),
	team("exec", "manager: boss"),
	team("web", "parent: exec, manager: boss"),
	team("data", "parent: exec, manager: boss"),
	person("boss", "team: exec, level: executive, coach: ext"),
	person("alice", "team: web, level: senior"),
	person("carol", "team: web, level: senior, manager: dan"),
	person("dan", "team: web, level: senior, coach: ext2"),
	person("bob", "team: data, level: senior, coach: ext3"),
	person("erin", "team: web, level: mid, coach: alice"),
	person("frank", "team: data, level: mid, coach: carol"),
	person("ext", "external: true"),
	person("ext2", "external: true"),
	person("ext3", "external: true"),
}

func TestSuggestBeatsGreedy(t *testing.T) {
	r := suggestYAML(t, Request{}, strandOrg...)
	if got, want := pairs(r), []string{"alice→dan", "carol→bob"}; !slices.Equal(got, want) {
		t.Fatalf("pairs = %v, want %v (a greedy pass would give alice bob and strand carol)", got, want)
	}
	if r.Stats.Matched != 2 || r.Stats.Cost != r.Stats.FlowCost {
		t.Errorf("stats = %+v", r.Stats)
	}
	// Asked for alice alone, she gets her best coach.
	r = suggestYAML(t, Request{People: []string{"alice"}}, strandOrg...)
	if got, want := pairs(r), []string{"alice→bob"}; !slices.Equal(got, want) {
		t.Errorf("alice alone: pairs = %v, want %v", got, want)
	}
}

func TestSuggestCandidates(t *testing.T) {
	tests := []struct {
		name string
		docs []string
		req  Request
		want []string
	}{
		{"a peer outside the reporting line beats the manager and a skip-level", with(
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: eng, level: staff, coach: ext"),
			person("ann", "team: web, level: senior"),
			person("sam", "team: eng, level: senior, coach: ext"),
		), Request{}, []string{"ann→sam"}},
		{"the manager is never suggested, even when nobody else has room", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}",
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: eng, level: staff, coach: boss"),
			person("ann", "team: web, level: senior"),
		), Request{People: []string{"ann"}}, []string{"ann→-"}},
		{"a departed coach is replaced by someone active", with(
			person("gone", "team: eng, level: senior, status: departed"),
			person("ann", "team: eng, level: mid, coach: gone"),
			person("sam", "team: eng, level: senior, coach: ext"),
		), Request{}, []string{"ann→sam"}},
		{"people on leave and departed people are not candidates", with(
			person("away", "team: eng, level: senior, status: leave"),
			person("gone", "team: eng, level: senior, status: departed"),
			person("ann", "team: eng, level: senior"),
		), Request{}, []string{"ann→ext"}},
		{"a coach at capacity is not suggested", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}",
			person("ann", "team: eng, level: mid"),
		), Request{}, []string{"ann→-"}},
		{"a person being re-assigned frees the old coach's slot", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}",
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: eng, level: staff, coach: ext"),
			person("ann", "team: web, level: mid, coach: lead"),
			person("bo", "team: eng, level: mid"),
			person("x", "external: true, status: leave, coach: ann"),
		), Request{}, []string{"ann→bo", "bo→lead"}},
		{"a junior coach is avoided while a peer is free", with(
			person("ann", "team: eng, level: senior"),
			person("jr", "team: eng, level: junior, coach: ext"),
			person("pe", "team: eng, level: senior, coach: ext"),
		), Request{People: []string{"ann"}}, []string{"ann→pe"}},
		{"coach-junior at error rules juniors out", withPolicy("  roots: [boss]\n  rules:\n    coach-junior: {severity: error}\n    coach-capacity: {max: 1}",
			person("ann", "team: eng, level: senior"),
			person("jr", "team: eng, level: junior, coach: boss"),
		), Request{People: []string{"ann"}}, []string{"ann→-"}},
		{"allowFromLevel lets the manager coach when nobody else can", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}\n    coach-is-manager: {allowFromLevel: staff}",
			person("ann", "team: eng, level: staff"),
		), Request{}, []string{"ann→boss"}},
		{"another division is preferred to one's own", with(
			team("web", "parent: eng, manager: boss"),
			person("ann", "team: eng, level: senior"),
			person("a1", "team: eng, level: senior, coach: ext"),
			person("w1", "team: web, level: senior, coach: ext"),
		), Request{People: []string{"ann"}}, []string{"ann→w1"}},
		{"below coachFromAbove, someone more senior beats a peer in another division", with(
			team("web", "parent: eng, manager: boss"),
			person("ann", "team: eng, level: mid"),
			person("s1", "team: eng, level: senior, coach: ext"),
			person("w1", "team: web, level: mid, coach: ext"),
		), Request{People: []string{"ann"}}, []string{"ann→s1"}},
		{"seniors coach first: a senior beats a mid for a junior", with(
			person("ann", "team: eng, level: junior"),
			person("m1", "team: eng, level: mid, coach: ext"),
			person("s1", "team: eng, level: senior, coach: ext"),
		), Request{People: []string{"ann"}}, []string{"ann→s1"}},
		{"coachFromAbove: mid lets mids coach each other", withPolicy("  roots: [boss]\n  coaching: {coachFromAbove: mid}",
			team("web", "parent: eng, manager: boss"),
			person("ann", "team: eng, level: mid"),
			person("s1", "team: eng, level: senior, coach: ext"),
			person("w1", "team: web, level: mid, coach: ext"),
		), Request{People: []string{"ann"}}, []string{"ann→w1"}},
		{"a person someone coaches is never suggested back", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 3}",
			team("web", "parent: eng, manager: boss"),
			person("ann", "team: eng, level: senior"),
			person("w1", "team: web, level: senior, coach: ann"),
			person("w2", "team: web, level: senior, coach: ext"),
			person("f1", "team: web, level: junior, status: leave, coach: w2"),
		), Request{People: []string{"ann"}}, []string{"ann→w2"}},
		{"lighter load is preferred", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 3}",
			person("ann", "team: eng, level: mid"),
			person("busy", "team: eng, level: senior, coach: ext"),
			person("x1", "team: eng, level: junior, coach: busy"),
			person("x2", "team: eng, level: junior, coach: busy"),
			person("zed", "team: eng, level: senior, coach: ext"),
		), Request{People: []string{"ann"}}, []string{"ann→zed"}},
		{"a mentor knows the domain, is more senior and is not the coach", with(
			person("ann", "team: eng, level: mid, coach: ext"),
			person("co", "team: eng, level: staff, coach: ext, expertise: [go]"),
			person("pe", "team: eng, level: mid, coach: ext, expertise: [go]"),
			person("no", "team: eng, level: staff, coach: ext, expertise: [rust]"),
			person("yes", "team: eng, level: senior, coach: ext, expertise: [Go]"),
		), Request{Role: RoleMentor, Domain: "go", People: []string{"ann"}}, []string{"ann→yes"}},
		{"a departed mentor is replaced without naming anyone", with(
			person("gone", "team: eng, level: staff, status: departed, expertise: [go]"),
			person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: gone, domain: go}]"),
			person("yes", "team: eng, level: senior, coach: ext, expertise: [go]"),
		), Request{Role: RoleMentor, Domain: "go"}, []string{"ann→yes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := suggestYAML(t, tt.req, tt.docs...)
			if got := pairs(r); !slices.Equal(got, tt.want) {
				t.Fatalf("pairs = %v, want %v\n%+v", got, tt.want, r)
			}
			if r.Stats.Cost != r.Stats.FlowCost {
				t.Errorf("assignment cost %d differs from the flow's %d", r.Stats.Cost, r.Stats.FlowCost)
			}
		})
	}
}

// TestSuggestSpreadsLoad: with room for everyone on one coach, new
// coachees still go one each to coaches who are otherwise alike.
func TestSuggestSpreadsLoad(t *testing.T) {
	r := suggestYAML(t, Request{}, withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 5}",
		team("web", "parent: eng, manager: boss"),
		person("a", "team: web, level: mid, coach: ext"),
		person("b", "team: web, level: mid, coach: ext"),
		person("c", "team: web, level: mid, coach: ext"),
		person("d", "team: web, level: mid"),
		person("e", "team: web, level: mid"),
		person("f", "team: web, level: mid"),
		person("c1", "team: eng, level: senior, coach: ext"),
		person("c2", "team: eng, level: senior, coach: ext"),
		person("c3", "team: eng, level: senior, coach: ext"),
	)...)
	got := map[string]int{}
	for _, sg := range r.Suggestions {
		got[sg.Candidate]++
	}
	if len(r.Suggestions) != 3 || got["c1"] != 1 || got["c2"] != 1 || got["c3"] != 1 {
		t.Fatalf("pairs = %v, want d, e and f spread one each over c1, c2 and c3", pairs(r))
	}
	if q := r.Quality; len(q.Load) != 1 || q.Load[0] != (LoadCount{Load: 1, Candidates: 3}) || q.MaxLoad != 1 {
		t.Errorf("quality load = %+v, max %d; want 3 candidates with 1", q.Load, q.MaxLoad)
	}
}

// TestSuggestNoMutualPairs: two seniors who both need a coach and can
// only coach each other get one pairing, not a mutual pair; the direction
// kept is the one fixed in advance, never the one a name would pick.
func TestSuggestNoMutualPairs(t *testing.T) {
	for _, names := range [][2]string{{"ann", "wes"}, {"zed", "abe"}, {"p1", "p2"}} {
		a, b := names[0], names[1]
		docs := withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}",
			team("web", "parent: eng, manager: boss"),
			person(a, "team: eng, level: senior"),
			person(b, "team: web, level: senior"),
			person("x", "external: true, status: leave, coach: boss"),
		)
		r := suggestYAML(t, Request{}, docs...)
		if len(r.Suggestions) != 1 || len(r.Unmatched) != 1 {
			t.Fatalf("%v: pairs = %v, want one pairing and one unmatched", names, pairs(r))
		}
		if r.Quality.Mutual != 0 || r.Stats.Repairs != 1 || r.Stats.Forbidden != 1 {
			t.Errorf("%v: quality %+v, stats %+v: want no mutual pair after one repair", names, r.Quality, r.Stats)
		}
		o, _ := orgOf(t, docs...)
		s := &suggester{o: o}
		sg := r.Suggestions[0]
		if !s.preferred(o.Person(sg.Candidate), o.Person(sg.Person)) {
			t.Errorf("%v: kept %s→%s, the direction that is not preferred", names, sg.Candidate, sg.Person)
		}
	}
	// A coach who coaches the person already is not suggested back, even
	// when nobody else has room.
	r := suggestYAML(t, Request{People: []string{"ann"}}, withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 2}",
		team("web", "parent: eng, manager: boss"),
		person("ann", "team: eng, level: senior"),
		person("wes", "team: web, level: senior, coach: ann"),
		person("x", "external: true, status: leave, coach: boss"),
		person("y", "external: true, status: leave, coach: boss"),
		person("z", "team: eng, level: junior, status: leave, coach: ext"),
	)...)
	if len(r.Unmatched) != 1 || !strings.Contains(r.Unmatched[0].Why, "wes is coached by ann (no mutual pairs)") {
		t.Errorf("unmatched = %+v, want ann unmatched because wes is her coachee", r.Unmatched)
	}
}

func TestSuggestWords(t *testing.T) {
	r := suggestYAML(t, Request{}, with(
		team("web", "parent: eng, manager: boss"),
		team("data", "parent: eng, manager: boss"),
		person("alice", "team: web, level: senior, coach: boss"),
		person("sam", "team: data, level: staff, coach: ext"),
		person("x1", "team: data, level: mid, coach: sam"),
		person("x2", "team: data, level: mid, coach: sam"),
	)...)
	if len(r.Suggestions) != 1 {
		t.Fatalf("suggestions = %+v", r)
	}
	got := strings.Join(r.Suggestions[0].Reasons, "; ")
	want := "replaces boss, who is also alice's manager; outside alice's reporting line; one level up (staff); in another division (data); 3 of 5 coaching slots used after this run"
	if got != want {
		t.Errorf("reasons:\n got %s\nwant %s", got, want)
	}
	if s := r.Suggestions[0]; s.Replaces != "boss" || s.Entry != -1 || s.Role != RoleCoach {
		t.Errorf("suggestion = %+v", s)
	}

	tests := []struct {
		name string
		docs []string
		req  Request
		want string
	}{
		{"no capacity", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}", person("ann", "team: eng, level: mid"), person("x", "external: true, status: leave, coach: boss")),
			Request{}, "nobody has coaching capacity left"},
		{"every candidate conflicts", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 2}\n    coach-junior: {severity: error}",
			person("ann", "team: eng, level: staff"), person("jr", "team: eng, level: junior, coach: ext")),
			Request{People: []string{"ann"}}, "boss is ann's manager (coach-is-manager is an error)"},
		{"every candidate conflicts (2)", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 2}\n    coach-junior: {severity: error}",
			person("ann", "team: eng, level: staff"), person("jr", "team: eng, level: junior, coach: ext")),
			Request{People: []string{"ann"}}, "jr is more junior (junior) (coach-junior is an error)"},
		{"suitable coaches are needed by others", withPolicy("  roots: [boss]\n  rules:\n    coach-capacity: {max: 1}",
			person("ann", "team: eng, level: mid"), person("bo", "team: eng, level: mid"),
			person("x", "external: true, status: leave, coach: ann"), person("y", "external: true, status: leave, coach: bo"),
			person("c", "team: eng, level: mid, coach: boss")),
			Request{}, "is needed by someone else"},
		{"no expertise above", with(person("ann", "team: eng, level: staff, coach: ext"), person("pe", "team: eng, level: mid, coach: ext, expertise: [rust]")),
			Request{Role: RoleMentor, Domain: "rust", People: []string{"ann"}}, "nobody has expertise in rust at a higher level than ann (staff)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := suggestYAML(t, tt.req, tt.docs...)
			if len(r.Unmatched) == 0 || !strings.Contains(r.Unmatched[0].Why, tt.want) {
				t.Fatalf("unmatched = %+v, want a why containing %q", r.Unmatched, tt.want)
			}
		})
	}
}

func TestSuggestNotNeeded(t *testing.T) {
	docs := with(
		person("fine", "team: eng, level: mid, coach: ext"),
		person("away", "team: eng, level: mid, status: leave"),
		person("typo", "team: eng, level: mid, coach: nobdy"),
		person("needs", "team: eng, level: mid"),
	)
	r := suggestYAML(t, Request{People: []string{"fine", "away", "typo", "needs", "ext"}}, docs...)
	var got []string
	for _, n := range r.NotNeeded {
		got = append(got, n.Why)
	}
	want := []string{
		"away is on leave; missing-coach applies again once away is back",
		"ext is external and needs no coach from this org",
		"fine already has a coach (ext) that breaks no error rule",
		"typo's coach \"nobdy\" names nobody orgctl can check: fix the name first (see unknown-reference)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("not needed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := pairs(r); !slices.Equal(p, []string{"needs→ext"}) {
		t.Errorf("pairs = %v", p)
	}
	r = suggestYAML(t, Request{People: []string{"ann"}}, withPolicy(
		"  roots: [boss]\n  exemptions:\n    - {rule: coach-is-manager, person: ann, reason: interim}",
		person("ann", "team: eng, level: mid, coach: boss"))...)
	if len(r.NotNeeded) != 1 || r.NotNeeded[0].Why != "ann's coach-is-manager finding is exempt in the Policy" {
		t.Errorf("exempt: %+v", r)
	}
	o, res := orgOf(t, docs...)
	for _, req := range []Request{
		{People: []string{"nedes"}},
		{Role: "boss"},
		{Role: RoleMentor},
		{Domain: "go"},
	} {
		if _, err := Suggest(o, res, req); err == nil {
			t.Errorf("%+v: no error", req)
		}
	}
	if _, err := Suggest(o, res, Request{People: []string{"nedes"}}); err == nil || !strings.Contains(err.Error(), `did you mean "needs"`) {
		t.Errorf("unknown person: err = %v", err)
	}
	o, res = orgOf(t, withPolicy("  roots: [boss]\n  coaching: {coachFromAbove: seniro}", person("ann", "team: eng, level: mid"))...)
	if _, err := Suggest(o, res, Request{}); err == nil || !strings.Contains(err.Error(), `coachFromAbove "seniro" is not a level of the ladder (did you mean "senior"?): set it to one of intern,`) {
		t.Errorf("coachFromAbove off the ladder: err = %v", err)
	}
}

// TestSuggestDeterministic shuffles the documents: the same org gives the
// same suggestions.
func TestSuggestDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 50 {
		policy, teams, people := randomOrgParts(r, false)
		o, res := memOrg(policy, teams, people)
		want, err := Suggest(o, res, Request{})
		if err != nil {
			t.Fatal(err)
		}
		shuffled := slices.Clone(people)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		o2, res2 := memOrg(policy, teams, shuffled)
		got, _ := Suggest(o2, res2, Request{})
		if fmt.Sprint(got.Suggestions, got.Unmatched) != fmt.Sprint(want.Suggestions, want.Unmatched) {
			t.Fatalf("results differ with the documents shuffled:\n%v\n%v", got, want)
		}
	}
}

// randomOrgParts makes a small random org: 2–4 coaches (internal or
// external, some with coachees already), 3–8 people who need a coach (no
// coach, their manager as coach, or a departed coach), managers, mentors and
// Policy rules drawn at random. Most people who need a coach are themselves
// at capacity, so the candidates are mostly the coaches.
func randomOrgParts(r *rand.Rand, mentors bool) (*reconcile.Policy, []*reconcile.Team, []*reconcile.Person) {
	levels := schema.DefaultLevels
	pol := &Policy{Roots: []string{"boss"}, Rules: map[string]schema.RuleConfig{}}
	capMax := 1 + r.IntN(3)
	pol.Rules["coach-capacity"] = schema.RuleConfig{Max: intp(capMax)}
	if r.IntN(10) == 0 {
		pol.Rules["coach-capacity"] = schema.RuleConfig{Severity: "off"}
	}
	pick := func(ss ...string) string { return ss[r.IntN(len(ss))] }
	for _, id := range []string{"coach-junior", "coach-in-management-chain", "coach-reports-to-coachee", "roles-not-distinct"} {
		pol.Rules[id] = schema.RuleConfig{Severity: pick("error", "warning", "warning", "off")}
	}
	if r.IntN(4) == 0 {
		pol.Rules["coach-is-manager"] = schema.RuleConfig{AllowFromLevel: pick("senior", "staff")}
	}
	// Two divisions (t1, t2) of two teams each, under t0.
	teams := []*reconcile.Team{{Name: "t0", Manager: "boss"}, {Name: "t1", Parent: "t0"}, {Name: "t2", Parent: "t0"}, {Name: "t3", Parent: "t1"}, {Name: "t4", Parent: "t2"}}
	people := []*reconcile.Person{
		{Name: "boss", Team: "t0", Level: "executive", Coach: "sleeper"},
		{Name: "sleeper", Team: "t0", Level: "executive", Status: schema.StatusLeave},
		{Name: "gone", Team: "t0", Level: "senior", Status: schema.StatusDeparted},
	}
	level := func() string { return levels[1+r.IntN(len(levels)-2)] }
	expertise := func() []string {
		if r.IntN(2) == 0 {
			return []string{"go"}
		}
		return nil
	}
	nc, nn := 2+r.IntN(3), 3+r.IntN(6)
	var coaches, needy []*reconcile.Person
	for i := range nc {
		p := &Person{Name: fmt.Sprintf("c%d", i), Coach: "sleeper", Expertise: expertise()}
		if r.IntN(4) == 0 && !mentors {
			p.External, p.Coach = true, ""
		} else {
			p.Team, p.Level = pick("t0", "t1", "t2", "t3", "t4"), level()
		}
		coaches = append(coaches, p)
	}
	for i := range nn {
		p := &Person{Name: fmt.Sprintf("n%d", i), Team: pick("t0", "t1", "t2", "t3", "t4"), Level: level()}
		if mentors {
			p.Coach = "sleeper"
		}
		needy = append(needy, p)
	}
	for i, t := range teams[1:] {
		if r.IntN(3) > 0 {
			internal := []*reconcile.Person{}
			for _, c := range append(slices.Clone(coaches), needy...) {
				if !c.External {
					internal = append(internal, c)
				}
			}
			teams[i+1].Manager = internal[r.IntN(len(internal))].Name
			_ = t
		}
	}
	for _, p := range needy {
		switch x := r.IntN(10); {
		case x < 2 && !mentors:
			p.Coach = "gone"
		case x < 4 && !mentors:
			p.Coach = "boss"
		case x < 5:
			p.Manager = needy[r.IntN(len(needy))].Name
			if p.Manager == p.Name {
				p.Manager = ""
			}
		}
		if r.IntN(3) == 0 {
			m := coaches[r.IntN(len(coaches))]
			p.Mentors = append(p.Mentors, schema.Mentor{Person: m.Name, Domain: pick("go", "sql")})
		}
		if mentors && r.IntN(4) == 0 {
			p.Coach = coaches[r.IntN(len(coaches))].Name
		}
	}
	// Loads: fillers on leave count towards capacity without needing
	// anything themselves.
	fill := 0
	load := func(p *reconcile.Person, n int) {
		for range n {
			people = append(people, &Person{Name: fmt.Sprintf("f%d", fill), Team: "t0", Level: "junior", Status: schema.StatusLeave, Coach: p.Name})
			fill++
		}
	}
	for _, c := range coaches {
		load(c, r.IntN(capMax))
	}
	for _, n := range needy {
		if r.IntN(5) < 3 {
			load(n, capMax)
		} else {
			load(n, r.IntN(capMax))
		}
	}
	people = append(people, coaches...)
	people = append(people, needy...)
	return pol, teams, people
}

// searchSpace is the number of assignments bruteForce would visit without
// the capacity limits.
func searchSpace(s *suggester) int {
	n := 1
	for _, nd := range s.needs {
		k := 1
		for _, c := range s.cands {
			if ok, _ := s.pairCost(nd, c); ok {
				k++
			}
		}
		if n *= k; n > 1<<30 {
			return n
		}
	}
	return n
}

// mutualRule is how bruteForce treats two people who both need a coach
// and could coach each other.
type mutualRule int

const (
	// mutualAllowed ignores mutual pairs (the objective without them).
	mutualAllowed mutualRule = iota
	// mutualNone rejects any assignment with a mutual pair: the true
	// optimum, which Suggest may miss (the problem is NP-hard).
	mutualNone
	// mutualOriented lets each such pair go only the way
	// suggester.preferred keeps: Suggest must do at least this well.
	mutualOriented
)

// bruteForce enumerates every assignment of the suggester's needs to its
// candidates (or to nobody) and returns the most people matched and, among
// assignments matching that many, the least cost. It shares only the
// pairing and load costs with Suggest, not the algorithm.
func bruteForce(s *suggester, rule mutualRule) (best int, bestCost int64, leaves int) {
	type opt struct {
		c    *cand
		cost int64
	}
	needOf := map[*reconcile.Person]int{}
	for i, n := range s.needs {
		needOf[n.p] = i
	}
	options := make([][]opt, len(s.needs))
	for i, n := range s.needs {
		for _, c := range s.cands {
			if ok, cost := s.pairCost(n, c); ok {
				if _, needy := needOf[c.p]; needy && rule == mutualOriented && !s.preferred(c.p, n.p) {
					continue
				}
				options[i] = append(options[i], opt{c, cost})
			}
		}
	}
	given := map[*cand]int{}
	to := make([]*cand, len(s.needs))
	best, bestCost = -1, 0
	var rec func(i, matched int, cost int64)
	rec = func(i, matched int, cost int64) {
		if i == len(s.needs) {
			leaves++
			total := cost
			for c, x := range given {
				total += loadCost(c.load, x)
			}
			if matched > best || matched == best && total < bestCost {
				best, bestCost = matched, total
			}
			return
		}
		rec(i+1, matched, cost)
		for _, o := range options[i] {
			if given[o.c] >= o.c.room {
				continue
			}
			if j, ok := needOf[o.c.p]; ok && rule == mutualNone && j < i && to[j] != nil && to[j].p == s.needs[i].p {
				continue
			}
			given[o.c]++
			to[i] = o.c
			rec(i+1, matched+1, cost+o.cost)
			to[i] = nil
			given[o.c]--
		}
	}
	rec(0, 0, 0)
	return best, bestCost, leaves
}

// TestSuggestOptimalAgainstBruteForce checks Suggest on 500 random orgs
// for coaches and 200 for mentors against every assignment. Mentors: the
// number matched is the most any assignment can match, and the cost the
// least among those. Coaches, where mutual pairs are ruled out: no mutual
// pair, and a result at least as good as the best assignment in which
// pairs of needy people go only the preferred way, and no better than the
// best assignment without mutual pairs; when no repair was needed, it is
// that best. Every suggestion must be allowed and within capacity. Both
// ways of solving are checked: with candidates grouped (refined where
// needed) and spelt out.
func TestSuggestOptimalAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	var refined, direct, repaired, repairedBest, sizes, kept int
	for _, tc := range []struct {
		role string
		orgs int
	}{{RoleCoach, 500}, {RoleMentor, 200}} {
		for i := 0; i < tc.orgs; i++ {
			policy, teams, people := randomOrgParts(r, tc.role == RoleMentor)
			o, res := memOrg(policy, teams, people)
			req := Request{Role: tc.role}
			if tc.role == RoleMentor {
				req.Domain = "go"
				for _, p := range people {
					if strings.HasPrefix(p.Name, "n") {
						req.People = append(req.People, p.Name)
					}
				}
			}
			s, err := newSuggester(o, res, req)
			if err != nil {
				t.Fatal(err)
			}
			s.buildCandidates()
			if searchSpace(s) > 200000 {
				i-- // too big to enumerate quickly: draw another org
				continue
			}
			bestN, bestCost, leaves := bruteForce(s, mutualNone)
			floorN, floorCost, _ := bruteForce(s, mutualOriented)
			sizes += leaves
			for _, opts := range []suggestOptions{{}, {expandAll: true}} {
				got, err := suggest(o, res, req, opts)
				if err != nil {
					t.Fatal(err)
				}
				desc := fmt.Sprintf("%s org %d (%d needy, %d candidates, expandAll=%v)", tc.role, i, len(s.needs), len(s.cands), opts.expandAll)
				n, cost := got.Stats.Matched, got.Stats.Cost
				fail := func(why string) {
					t.Fatalf("%s: %s: matched %d at cost %d; best without mutual pairs %d at %d; oriented %d at %d; stats %+v\n%s",
						desc, why, n, cost, bestN, bestCost, floorN, floorCost, got.Stats, describeOrg(people, policy, teams))
				}
				switch {
				case got.Stats.Kept > 0 && (n > bestN || n == bestN && cost < bestCost):
					// Someone unmatched kept their coach's slot: the brute
					// force, which frees it, bounds the result from above.
					fail("better than every assignment")
				case got.Stats.Kept > 0:
					kept++
				case n < floorN || n == floorN && cost > floorCost:
					fail("worse than the oriented optimum")
				case n > bestN || n == bestN && cost < bestCost:
					fail("better than every assignment without mutual pairs")
				case got.Stats.Repairs == 0 && (n != bestN || cost != bestCost):
					fail("not optimal although no mutual pair had to be repaired")
				case got.Quality.Mutual != 0:
					fail("a mutual pair")
				}
				if got.Stats.Cost != got.Stats.FlowCost {
					t.Fatalf("%s: assignment cost %d, flow cost %d", desc, got.Stats.Cost, got.Stats.FlowCost)
				}
				checkAssignment(t, desc, s, got)
				if !opts.expandAll {
					if got.Stats.Rounds > 1 {
						refined++
					} else {
						direct++
					}
					if got.Stats.Repairs > 0 {
						repaired++
						if n == bestN && cost == bestCost {
							repairedBest++
						}
					}
				}
			}
		}
	}
	t.Logf("%d orgs solved in one round, %d needed more; %d needed a mutual-pair repair, %d of them still reached the best assignment; %d gave a slot back to someone unmatched; brute force visited %d assignments",
		direct, refined, repaired, repairedBest, kept, sizes)
	if refined == 0 || direct == 0 || repaired == 0 {
		t.Errorf("the random orgs should exercise the grouped path (%d), its refinement (%d) and the mutual-pair repair (%d)", direct, refined, repaired)
	}
}

// checkAssignment verifies every suggestion independently of the solver:
// the pair is allowed, and no candidate goes over their room.
func checkAssignment(t *testing.T, desc string, s *suggester, got Result) {
	t.Helper()
	needs := map[string]*need{}
	for _, n := range s.needs {
		needs[n.p.Name] = n
	}
	cands := map[string]*cand{}
	for _, c := range s.cands {
		cands[c.p.Name] = c
	}
	given := map[string]int{}
	var cost int64
	for _, sg := range got.Suggestions {
		n, c := needs[sg.Person], cands[sg.Candidate]
		if n == nil || c == nil {
			t.Fatalf("%s: suggestion %+v names someone who is not a need or a candidate", desc, sg)
		}
		ok, pc := s.pairCost(n, c)
		if !ok {
			t.Fatalf("%s: %s→%s breaks an error rule", desc, sg.Person, sg.Candidate)
		}
		cost += pc
		given[c.p.Name]++
	}
	for name, x := range given {
		c := cands[name]
		if x > c.room {
			t.Fatalf("%s: %s gets %d, room for %d", desc, name, x, c.room)
		}
		cost += loadCost(c.load, x)
	}
	if cost != got.Stats.Cost && got.Stats.Kept == 0 {
		t.Fatalf("%s: suggestions cost %d, stats say %d", desc, cost, got.Stats.Cost)
	}
	if s.role == RoleCoach {
		if m := mutualAfter(s.o, got.Suggestions); len(m) > 0 {
			t.Fatalf("%s: mutual pairs %v", desc, m)
		}
	}
	if len(got.Suggestions)+len(got.Unmatched) != len(s.needs) {
		t.Fatalf("%s: %d suggestions and %d unmatched for %d needs", desc, len(got.Suggestions), len(got.Unmatched), len(s.needs))
	}
}

// mutualAfter lists the pairs "a↔b" in which, once the suggestions are
// written, a coaches b and b coaches a, and a suggestion is one of them.
func mutualAfter(o *reconcile.Org, sugs []Suggestion) []string {
	coach := map[string]string{}
	for _, p := range o.People {
		if p.Status != schema.StatusDeparted {
			coach[p.Name] = p.Coach
		}
	}
	for _, sg := range sugs {
		coach[sg.Person] = sg.Candidate
	}
	var out []string
	for _, sg := range sugs {
		if coach[sg.Candidate] == sg.Person {
			out = append(out, sg.Person+"↔"+sg.Candidate)
		}
	}
	return out
}

func describeOrg(people []*reconcile.Person, p *reconcile.Policy, teams []*reconcile.Team) string {
	var b strings.Builder
	fmt.Fprintf(&b, "policy: %+v\n", p.Rules)
	for _, t := range teams {
		fmt.Fprintf(&b, "team %s parent=%s manager=%s\n", t.Name, t.Parent, t.Manager)
	}
	for _, x := range people {
		fmt.Fprintf(&b, "%s team=%s level=%s ext=%v status=%s manager=%s coach=%s mentors=%v expertise=%v\n", x.Name, x.Team, x.Level, x.External, x.Status, x.Manager, x.Coach, x.Mentors, x.Expertise)
	}
	return b.String()
}
