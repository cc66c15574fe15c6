package reconcile

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile/internal/synthorg"
	"github.com/orgctl/orgctl/schema"
)

// baseOrgSet is a synthetic org with the lifecycle and Policy features the
// pairing rules read: past pairings (some recent, so repeat-pairing
// fires), coaching since dates, unwilling coaches, a doNotPair entry, an
// exemption, a rotation period and a level allowed to be coached by its
// manager.
func baseOrgSet(n int, seed uint64) *schema.Set {
	set := synthorg.Set(n, seed)
	r := rand.New(rand.NewPCG(seed, 17))
	var people []*schema.Person
	var pol *schema.Policy
	for _, d := range set.Documents {
		if d.Person != nil {
			people = append(people, d.Person)
		}
		if d.Policy != nil {
			pol = d.Policy
		}
	}
	// A third of the team leads are members of the team they lead: their
	// manager is the parent team's, found through two teams.
	byName := map[string]*schema.Person{}
	for _, p := range people {
		byName[p.Name] = p
	}
	for _, d := range set.Documents {
		if t := d.Team; t != nil && t.Parent != "" && r.IntN(3) == 0 {
			if lead := byName[t.Manager]; lead != nil && lead.Manager == "" {
				lead.Team = t.Name
			}
		}
	}
	months, repeat := 18, 12
	pol.Coaching.RotateAfterMonths, pol.Coaching.NoRepeatMonths = &months, &repeat
	pol.Rules = map[string]schema.RuleConfig{string(RuleCoachIsManager): {AllowFromLevel: schema.DefaultLevels[len(schema.DefaultLevels)-1]}}
	no := false
	for i, p := range people {
		switch r.IntN(40) {
		case 0:
			p.Life = &schema.Lifecycle{CoachSince: "2024-01-15", PastPairings: []schema.PastPairing{
				{Role: schema.RoleCoach, Person: people[r.IntN(len(people))].Name, From: "2023-01-01", Until: "2026-06-01"},
			}}
			if p.Coach != "" {
				// A recent pairing with the current coach: repeat-pairing.
				p.Life.PastPairings = append(p.Life.PastPairings, schema.PastPairing{Role: schema.RoleCoach, Person: p.Coach, From: "2022-01-01", Until: "2026-01-01"})
			}
		case 1:
			p.Life = &schema.Lifecycle{CoachWilling: &no}
		case 2:
			if i > 0 && p.Coach != "" {
				pol.DoNotPair = append(pol.DoNotPair, schema.DoNotPair{People: []string{p.Name, p.Coach}})
			}
		case 3:
			pol.Exemptions = append(pol.Exemptions, schema.Exemption{Rule: string(RuleCoachJunior), Person: p.Name})
		case 4:
			// A misspelt coach: unknown-reference, with a hint.
			p.Coach = people[r.IntN(len(people))].Name + "x"
		case 5:
			// A login two people share: duplicate-github.
			p.GitHub = strings.ToUpper(people[r.IntN(len(people))].GitHub)
		}
	}
	return set
}

// head is a head of a base's Set as plan reads it: the base's documents,
// shared, but for those the change touched, which are copies.
type head struct {
	t    *testing.T
	r    *rand.Rand
	docs []*schema.Document
}

func newHead(t *testing.T, base *schema.Set, seed uint64) *head {
	return &head{t: t, r: rand.New(rand.NewPCG(seed, 99)), docs: slices.Clone(base.Documents)}
}

func (h *head) set() *schema.Set { return &schema.Set{Documents: h.docs, Files: 3} }

// people are the indexes of the documents of valid people.
func (h *head) people() []int {
	var out []int
	for k, d := range h.docs {
		if d.Person != nil {
			out = append(out, k)
		}
	}
	return out
}

// pick returns the index of a random person's document for which ok holds.
func (h *head) pick(ok func(*schema.Person) bool) int {
	ks := h.people()
	for range 10000 {
		if k := ks[h.r.IntN(len(ks))]; ok(h.docs[k].Person) {
			return k
		}
	}
	h.t.Fatal("no person fits")
	return -1
}

func anyone(*schema.Person) bool { return true }

// edit replaces document k with a copy (the change touched it) and
// returns the copy's person.
func (h *head) edit(k int) *schema.Person {
	d := *h.docs[k]
	p := *d.Person
	p.Mentors = slices.Clone(p.Mentors)
	p.Expertise = slices.Clone(p.Expertise)
	if p.Life != nil {
		l := *p.Life
		p.Life = &l
	}
	d.Person, p.Source = &p, &d.Source
	h.docs[k] = &d
	return &p
}

// named returns the index of the document of that person.
func (h *head) named(name string) int {
	for k, d := range h.docs {
		if d.Person != nil && d.Name == name {
			return k
		}
	}
	return -1
}

// team returns the document of the team of that name, or nil.
func (h *head) team(name string) *schema.Document {
	for _, d := range h.docs {
		if d.Team != nil && d.Name == name {
			return d
		}
	}
	return nil
}

// mutations change a head the way a pull request would. Each names what
// it does.
var mutations = []struct {
	name string
	do   func(h *head)
}{
	{"coach changed", func(h *head) {
		p := h.edit(h.pick(func(p *schema.Person) bool { return p.Coach != "" }))
		p.Coach = h.docs[h.pick(anyone)].Name
	}},
	{"coach removed from the files", func(h *head) {
		c := h.named(h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" })].Person.Coach)
		if c >= 0 {
			h.docs = slices.Delete(h.docs, c, c+1)
		}
	}},
	{"person renamed", func(h *head) {
		k := h.pick(anyone)
		p := h.edit(k)
		p.Name += "-renamed"
		h.docs[k].Name = p.Name
	}},
	{"team manager changed", func(h *head) {
		var teams []int
		for k, d := range h.docs {
			if d.Team != nil && d.Team.Parent != "" {
				teams = append(teams, k)
			}
		}
		k := teams[h.r.IntN(len(teams))]
		d := *h.docs[k]
		t := *d.Team
		t.Manager = h.docs[h.pick(anyone)].Name
		d.Team = &t
		h.docs[k] = &d
	}},
	{"manager cycle", func(h *head) {
		// Someone's manager now reports to them.
		x := h.docs[h.pick(func(p *schema.Person) bool { return p.Manager != "" })].Person
		if m := h.named(x.Manager); m >= 0 {
			h.edit(m).Manager = x.Name
		}
	}},
	{"coach's level changed", func(h *head) {
		c := h.named(h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" })].Person.Coach)
		if c >= 0 {
			h.edit(c).Level = schema.DefaultLevels[h.r.IntN(len(schema.DefaultLevels))]
		}
	}},
	{"person departed", func(h *head) {
		c := h.named(h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" })].Person.Coach)
		if c >= 0 {
			h.edit(c).Status = schema.StatusDeparted
		}
	}},
	{"document moved lines", func(h *head) {
		p := h.edit(h.pick(func(p *schema.Person) bool { return p.Coach != "" || len(p.Mentors) > 0 }))
		p.Source.Start.Line += 3
		for _, pos := range []*schema.Pos{&p.NamePos, &p.SpecPos, &p.TeamPos, &p.CoachPos} {
			pos.Line += 3
		}
		for i := range p.Mentors {
			p.Mentors[i].Pos.Line += 3
		}
	}},
	{"duplicate name first", func(h *head) {
		k := h.pick(anyone)
		d := *h.docs[k]
		p := *d.Person
		p.Level, p.Source, d.Person = schema.DefaultLevels[0], &d.Source, &p
		d.Source.File, d.Source.Rel = "people/aaa.yaml", "people/aaa.yaml"
		h.docs = slices.Insert(h.docs, 0, &d)
	}},
	{"duplicate name after", func(h *head) {
		d := *h.docs[h.pick(anyone)]
		p := *d.Person
		p.Source, d.Person = &d.Source, &p
		h.docs = append(h.docs, &d)
	}},
	{"mentor's expertise changed", func(h *head) {
		m := h.named(h.docs[h.pick(func(p *schema.Person) bool { return len(p.Mentors) > 0 })].Person.Mentors[0].Person)
		if m >= 0 {
			h.edit(m).Expertise = []string{"cooking"}
		}
	}},
	{"mentoring domain changed", func(h *head) {
		p := h.edit(h.pick(func(p *schema.Person) bool { return len(p.Mentors) > 0 }))
		p.Mentors[0].Domain = "cooking"
	}},
	{"coach made unwilling", func(h *head) {
		c := h.named(h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" })].Person.Coach)
		if c >= 0 {
			no := false
			h.edit(c).Life = &schema.Lifecycle{CoachWilling: &no}
		}
	}},
	{"past pairing's person removed", func(h *head) {
		p := h.docs[h.pick(func(p *schema.Person) bool { return p.Life != nil && len(p.Life.PastPairings) > 0 })].Person
		if k := h.named(p.Life.PastPairings[0].Person); k >= 0 && k != h.named(p.Name) {
			h.docs = slices.Delete(h.docs, k, k+1)
		}
	}},
	{"person added", func(h *head) {
		k := h.pick(anyone)
		d := *h.docs[k]
		p := *d.Person
		p.Name, d.Name = p.Name+"-new", p.Name+"-new"
		p.Source, d.Person = &d.Source, &p
		h.docs = slices.Insert(h.docs, k+1, &d)
	}},
	{"coach made skip-level through a team", func(h *head) {
		// The manager of the parent of X's team becomes X's coach: X's
		// chain changes, X's document and manager do not.
		x := h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" && p.Manager == "" })].Person
		parent := h.team(h.team(x.Team).Team.Parent)
		if parent == nil {
			return
		}
		d := *parent
		t := *d.Team
		t.Manager, d.Team = x.Coach, &t
		h.docs[slices.Index(h.docs, parent)] = &d
	}},
	{"coach made skip-level through spec.manager", func(h *head) {
		x := h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" && p.Manager != "" })].Person
		if m := h.named(x.Manager); m >= 0 {
			h.edit(m).Manager = x.Coach
		}
	}},
	{"coach made to report to the coachee", func(h *head) {
		x := h.docs[h.pick(func(p *schema.Person) bool { return p.Coach != "" })].Person
		if c := h.named(x.Coach); c >= 0 {
			h.edit(c).Manager = x.Name
		}
	}},
	{"a closer name for a misspelt coach added", func(h *head) {
		// The same name in capitals is the closest there is.
		x := h.docs[h.pick(func(p *schema.Person) bool { return strings.HasSuffix(p.Coach, "x") && h.named(p.Coach) < 0 })].Person
		k := h.pick(anyone)
		d := *h.docs[k]
		p := *d.Person
		p.Name, d.Name = strings.ToUpper(x.Coach), strings.ToUpper(x.Coach)
		p.Source, d.Person = &d.Source, &p
		h.docs = slices.Insert(h.docs, k+1, &d)
	}},
	{"the name suggested for a misspelt coach removed", func(h *head) {
		x := h.docs[h.pick(func(p *schema.Person) bool { return strings.HasSuffix(p.Coach, "x") && h.named(p.Coach) < 0 })].Person
		if k := h.named(strings.TrimSuffix(x.Coach, "x")); k >= 0 {
			h.docs = slices.Delete(h.docs, k, k+1)
		}
	}},
	{"a misspelt coach's name added", func(h *head) {
		x := h.docs[h.pick(func(p *schema.Person) bool { return strings.HasSuffix(p.Coach, "x") && h.named(p.Coach) < 0 })].Person
		k := h.pick(anyone)
		d := *h.docs[k]
		p := *d.Person
		p.Name, d.Name = x.Coach, x.Coach
		p.Source, d.Person = &d.Source, &p
		h.docs = slices.Insert(h.docs, k+1, &d)
	}},
	{"a mentor removed from the files", func(h *head) {
		m := h.named(h.docs[h.pick(func(p *schema.Person) bool { return len(p.Mentors) > 0 })].Person.Mentors[0].Person)
		if m >= 0 {
			h.docs = slices.Delete(h.docs, m, m+1)
		}
	}},
	{"team parents loop", func(h *head) {
		// A team's parent becomes one of its children.
		var child *schema.Document
		for _, k := range h.r.Perm(len(h.docs)) {
			if d := h.docs[k]; d.Team != nil && d.Team.Parent != "" && h.team(d.Team.Parent).Team.Parent != "" {
				child = d
				break
			}
		}
		parent := h.team(child.Team.Parent)
		d := *parent
		t := *d.Team
		t.Parent, d.Team = child.Name, &t
		h.docs[slices.Index(h.docs, parent)] = &d
	}},
	{"the top team's manager removed", func(h *head) {
		// Its members have no manager now: missing-manager, though their
		// documents are as they were.
		for k, d := range h.docs {
			if d.Team != nil && d.Team.Parent == "" {
				c := *d
				t := *d.Team
				t.Manager, c.Team = "", &t
				h.docs[k] = &c
			}
		}
	}},
	{"the coach of a pairing due to rotate departs", func(h *head) {
		x := h.docs[h.pick(func(p *schema.Person) bool { return p.Life != nil && p.Life.CoachSince != "" && p.Coach != "" })].Person
		if c := h.named(x.Coach); c >= 0 {
			h.edit(c).Status = schema.StatusDeparted
		}
	}},
	{"a login taken by another", func(h *head) {
		other := h.docs[h.pick(func(p *schema.Person) bool { return p.GitHub != "" })].Person
		h.edit(h.pick(anyone)).GitHub = other.GitHub
	}},
	{"a login shared no more", func(h *head) {
		// Someone whose login is another's (in capitals) takes their own.
		p := h.edit(h.pick(func(p *schema.Person) bool { return p.GitHub != "" && strings.ToUpper(p.GitHub) == p.GitHub }))
		p.GitHub = "own-" + p.Name
	}},
	{"manager made a mentor", func(h *head) {
		p := h.edit(h.pick(func(p *schema.Person) bool { return p.Manager != "" }))
		p.Mentors = append(p.Mentors, schema.Mentor{Person: p.Manager, Domain: "go"})
	}},
}

// checkHeadBothWays checks a head both ways: incrementally from the
// base's check that kept memo, and in full on an Org of its own. It returns the two
// results and what the incremental check reused (nil when it fell back to
// a full check).
func checkHeadBothWays(t *testing.T, memo *checkMemo, headSet *schema.Set) (got, want Result, inc *incremental) {
	t.Helper()
	opts := Options{Today: today}
	ho := buildFrom(headSet, memo.org)
	full := Build(headSet)
	if d := diffBuilds(ho, full); d != "" {
		t.Errorf("the head built from the base differs from the head built alone: %s", d)
	}
	ho.SetToday(today)
	inc = ho.incrementalFrom(memo)
	got = ho.check(headSet, opts, nil, inc)
	want = full.Check(headSet, opts)
	return got, want, inc
}

// diffBuilds says how two Orgs built from one Set differ in what
// resolveAll works out, "" when they do not.
func diffBuilds(got, want *Org) string {
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"people", got.People, want.People},
		{"managers", got.managers, want.managers},
		{"mgr", got.mgr, want.mgr},
		{"declared", got.declared, want.declared},
		{"coach", got.coach, want.coach},
		{"mentorStart", got.mentorStart, want.mentorStart},
		{"mentorIDs", got.mentorIDs, want.mentorIDs},
		{"traits", got.traits, want.traits},
		{"subjects", got.subjects, want.subjects},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			return f.name
		}
	}
	names := []string{"nobody"}
	for _, p := range want.People {
		names = append(names, p.Name)
	}
	if got.from != nil {
		for _, p := range got.from.base.People {
			names = append(names, p.Name)
		}
	}
	for _, name := range names {
		g, gok := got.id.get(name)
		w, wok := want.id.get(name)
		if gok != wok || (gok && g != w) {
			return fmt.Sprintf("the id of %s: %d, %v; want %d, %v", name, g, gok, w, wok)
		}
	}
	if got.id.len() != want.id.len() {
		return fmt.Sprintf("%d names; want %d", got.id.len(), want.id.len())
	}
	return ""
}

// diffFindings describes how two results differ, finding by finding.
func diffFindings(got, want Result) string {
	g, w := map[string]Finding{}, map[string]Finding{}
	for _, f := range got.Findings {
		g[f.Fingerprint+"@"+f.File] = f
	}
	for _, f := range want.Findings {
		w[f.Fingerprint+"@"+f.File] = f
	}
	out := ""
	for k, f := range w {
		if h, ok := g[k]; !ok {
			out += fmt.Sprintf("\n  missing %s: %s", k, f.Message)
		} else if !reflect.DeepEqual(f, h) {
			out += fmt.Sprintf("\n  differs %s: got %+v\n    want %+v", k, h, f)
		}
	}
	for k, f := range g {
		if _, ok := w[k]; !ok {
			out += fmt.Sprintf("\n  extra %s: %s", k, f.Message)
		}
	}
	if out == "" && !reflect.DeepEqual(got, want) {
		out = fmt.Sprintf("\n  same findings in another order, or summaries %+v and %+v", got.Summary, want.Summary)
	}
	return out
}

// The head's check from its base's is the head's full check, finding for
// finding, in the same order: for each change a pull request may make
// alone, and for many at once.
func TestIncrementalCheckIsTheFullCheck(t *testing.T) {
	defer func(s float64) { maxDirtyShare = s }(maxDirtyShare)
	maxDirtyShare = 1 // small orgs: never fall back for size
	for _, seed := range []uint64{1, 2, 3} {
		base := baseOrgSet(3000, seed)
		_, memo := Build(base).checkKeeping(base, Options{Today: today})
		for _, m := range mutations {
			for round := range 3 {
				t.Run(fmt.Sprintf("%s/seed%d/%d", m.name, seed, round), func(t *testing.T) {
					h := newHead(t, base, seed*100+uint64(round))
					m.do(h)
					got, want, inc := checkHeadBothWays(t, memo, h.set())
					if inc == nil {
						t.Fatal("the head was checked in full: nothing tested")
					}
					if d := diffFindings(got, want); d != "" {
						t.Errorf("the incremental check differs from the full check:%s", d)
					}
				})
			}
		}
		t.Run(fmt.Sprintf("many/seed%d", seed), func(t *testing.T) {
			h := newHead(t, base, seed)
			for range 60 {
				mutations[h.r.IntN(len(mutations))].do(h)
			}
			got, want, inc := checkHeadBothWays(t, memo, h.set())
			if inc == nil {
				t.Fatal("the head was checked in full: nothing tested")
			}
			reused := 0
			for _, c := range inc.pairClean {
				if c {
					reused++
				}
			}
			if reused < len(inc.pairClean)*3/4 || reused == len(inc.pairClean) {
				t.Errorf("%d of %d people reused: the change should leave most, not all, clean", reused, len(inc.pairClean))
			}
			if d := diffFindings(got, want); d != "" {
				t.Errorf("the incremental check differs from the full check:%s", d)
			}
		})
	}
}

// A change to what every rule reads (the Policy, the day) or to most of
// the org is checked in full.
func TestIncrementalCheckFallsBackOnWideChanges(t *testing.T) {
	base := baseOrgSet(2000, 4)
	opts := Options{Today: today}
	_, memo := Build(base).checkKeeping(base, opts)
	cases := map[string]func(h *head) Options{
		"policy changed": func(h *head) Options {
			for k, d := range h.docs {
				if d.Policy != nil {
					c := *d
					p := *d.Policy
					p.DoNotPair = nil
					c.Policy = &p
					h.docs[k] = &c
				}
			}
			return opts
		},
		"another day": func(*head) Options { return Options{Today: today.AddDate(0, 0, 1)} },
		"most people moved": func(h *head) Options {
			for _, k := range h.people()[:1000] {
				h.edit(k)
			}
			return opts
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHead(t, base, 1)
			o := change(h)
			ho := Build(h.set())
			ho.SetToday(o.Today)
			if inc := ho.incrementalFrom(memo); inc != nil {
				t.Error("the head would be checked incrementally")
			}
			got := Build(h.set()).checkFrom(h.set(), o, memo)
			want := Build(h.set()).Check(h.set(), o)
			if d := diffFindings(got, want); d != "" {
				t.Errorf("the head's check differs from the full check:%s", d)
			}
		})
	}
}

// Above by walking the chain is Above by the reach index, for chains
// short and long (more than the walk takes), loops and trees into loops.
func TestAboveByWalkIsAbove(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	walked, indexed := 0, 0
	for round := range 20 {
		n := 50 + r.IntN(200)
		mgr := make([]int32, n)
		for i := range mgr {
			switch x := r.IntN(10); {
			case x == 0 || i == 0:
				mgr[i] = -1
			case x < 8 && round%2 == 0:
				mgr[i] = int32(i - 1) // long chains
			default:
				mgr[i] = int32(r.IntN(n)) // loops, trees into them
			}
			if mgr[i] == int32(i) {
				mgr[i] = -1
			}
		}
		walk, index := &Org{mgr: mgr, walkAbove: true}, &Org{mgr: mgr}
		for a := range int32(n) {
			for b := range int32(n) {
				if got, want := walk.above(a, b), index.above(a, b); got != want {
					t.Fatalf("round %d: above(%d, %d) is %v by walking, %v by the index (managers %v)", round, a, b, got, want, mgr)
				}
				if _, ok := walk.aboveByWalk(a, b); ok {
					walked++
				} else {
					indexed++
				}
			}
		}
	}
	if walked == 0 || indexed == 0 {
		t.Errorf("%d questions answered by walking, %d by the index: both ways should be tested", walked, indexed)
	}
}
