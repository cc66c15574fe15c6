package reconcile

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile/internal/synthorg"
	"github.com/orgctl/orgctl/schema"
)

// roughOrg is a synthetic org of n people with what the id fast paths of
// the pairing rules must get right sprinkled in: coaches who also mentor
// their coachee, coaches who take no coachees, levels off the ladder,
// external people, mentors naming themselves or nobody, managers naming
// nobody, people on leave and departed.
func roughOrg(t *testing.T, n int, seed uint64) *Org {
	t.Helper()
	set := synthorg.Set(n, seed)
	r := rand.New(rand.NewPCG(seed, 99))
	var people []*Person
	for _, d := range set.Documents {
		if d.Person != nil {
			people = append(people, d.Person)
		}
	}
	no := false
	for _, p := range people {
		switch x := r.IntN(100); {
		case x < 3 && p.Coach != "":
			p.Mentors = append(p.Mentors, schema.Mentor{Person: p.Coach, Domain: "go"})
		case x < 6:
			p.Life = &schema.Lifecycle{CoachWilling: &no}
		case x < 8:
			p.Level = "wizard"
		case x < 10:
			p.External = true
		case x < 11:
			p.Mentors = append(p.Mentors, schema.Mentor{Person: p.Name, Domain: "go"})
		case x < 12:
			p.Mentors = append(p.Mentors, schema.Mentor{Person: fmt.Sprintf("nobody-%d", x), Domain: "go"})
		case x < 14:
			p.Status = schema.StatusLeave
		case x < 16:
			p.Status = schema.StatusDeparted
		case x < 17:
			p.Manager = "ghost-boss"
		}
	}
	o := Build(set)
	o.SetToday(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	return o
}

// resolvedState is everything resolveAll fills in.
type resolvedState struct {
	managers    []managerSlot
	mgr, coach  []int32
	declared    map[int32]string
	mentorStart []int32
	mentorIDs   []int32
	traits      []trait
	subjects    []*Person
}

func stateOf(o *Org) resolvedState {
	return resolvedState{
		managers: slices.Clone(o.managers), mgr: slices.Clone(o.mgr), coach: slices.Clone(o.coach),
		declared: o.declared, mentorStart: slices.Clone(o.mentorStart), mentorIDs: slices.Clone(o.mentorIDs),
		traits: slices.Clone(o.traits), subjects: slices.Clone(o.subjects),
	}
}

// Resolving in ranges, in parallel, gives what one pass gives, and the ids
// are those of the names.
func TestResolveInRangesMatchesOnePass(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		o := roughOrg(t, 3000, seed)
		o.resolveAll(1)
		want := stateOf(o)
		for _, parts := range []int{2, 3, 7} {
			o.resolveAll(parts)
			if got := stateOf(o); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d: resolving in %d ranges differs from one pass", seed, parts)
			}
		}
		if len(o.declared) == 0 {
			t.Errorf("seed %d: no unknown manager declared: the org does not exercise declared", seed)
		}
		for i, p := range o.People {
			ids := o.mentorsOf(int32(i))
			if len(ids) != len(p.Mentors) {
				t.Fatalf("%s: %d mentor ids for %d mentors", p.Name, len(ids), len(p.Mentors))
			}
			for j, m := range p.Mentors {
				if ids[j] != o.idOf(m.Person) {
					t.Errorf("%s: mentor %q has id %d, want %d", p.Name, m.Person, ids[j], o.idOf(m.Person))
				}
			}
			if o.rankOf(int32(i)) != o.levelRank(p) {
				t.Errorf("%s: rank %d, want %d", p.Name, o.rankOf(int32(i)), o.levelRank(p))
			}
			if o.departed(int32(i)) != (p.Status == schema.StatusDeparted) {
				t.Errorf("%s: departed %v with status %s", p.Name, o.departed(int32(i)), p.Status)
			}
			unwilling := p.Lifecycle().CoachWilling != nil && !*p.Lifecycle().CoachWilling
			if got := o.traits[i].flags&traitUnwilling != 0; got != unwilling {
				t.Errorf("%s: unwilling %v, want %v", p.Name, got, unwilling)
			}
		}
	}
}

// The pairing rules answer the same whether the checker gives them the
// pair's ids (and they read the Org's arrays) or not (and they read the
// two Persons, as for the matcher's candidates).
func TestJudgePairByIDsMatchesByNames(t *testing.T) {
	broken := map[RuleID]int{}
	for _, seed := range []uint64{1, 2, 3} {
		o := roughOrg(t, 3000, seed)
		judge := func(pr Pair) {
			t.Helper()
			byID := o.JudgePair(pr)
			pr.coachID, pr.personID = 0, 0
			if byName := o.JudgePair(pr); byID != byName {
				t.Fatalf("%s %s of %s: by ids %+v, by names %+v", pr.Role, pr.Coach.Name, pr.Person.Name, byID, byName)
			}
			for r := range byID.Rules() {
				broken[r.ID]++
			}
			if byID.Rule != "" {
				broken[byID.Rule]++
			}
		}
		for i, p := range o.People {
			for j, id := range o.mentorsOf(int32(i)) {
				if id >= 0 {
					judge(Pair{Role: RoleMentor, Coach: o.People[id], Person: p, Domain: p.Mentors[j].Domain, coachID: id + 1, personID: int32(i) + 1})
				}
			}
			if id := o.coach[i]; id >= 0 {
				judge(Pair{Role: RoleCoach, Coach: o.People[id], Person: p, coachID: id + 1, personID: int32(i) + 1})
			}
		}
	}
	for _, id := range []RuleID{RuleRolesNotDistinct, RuleCoachUnwilling, RuleCoachJunior, RuleMentorNotSenior, RuleSelfReference, RuleInactiveAssignee, RuleCoachIsManager} {
		if broken[id] == 0 {
			t.Errorf("no pair broke %s: the org does not exercise it", id)
		}
	}
}

// Checking the pairings in ranges, in parallel, gives the same findings in
// the same order as one pass (run under -race too).
func TestCheckPairingsInRangesMatchesOnePass(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		o := roughOrg(t, 3000, seed)
		run := func(parts int) []Finding {
			c := &checker{org: o, seen: map[string]bool{}, severity: ruleSeverities(o.Policy), today: o.today}
			checkPairingsIn(c, parts)
			return c.findings
		}
		want := run(1)
		rules := map[RuleID]bool{}
		for _, f := range want {
			rules[f.Rule] = true
		}
		if len(rules) < 4 {
			t.Fatalf("seed %d: one pass found only %v: the org does not exercise the pairing rules", seed, rules)
		}
		for _, parts := range []int{2, 3, 7} {
			if got := run(parts); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d: %d ranges found %d findings, one pass %d (or in another order)", seed, parts, len(got), len(want))
			}
		}
	}
}

// HeldBack's shortcut (nothing broken, nothing held back) gives what
// counting every reference gives, with broken documents and without.
func TestHeldBackShortcutMatchesCount(t *testing.T) {
	for _, broken := range []bool{false, true} {
		set := synthorg.Set(2000, 5)
		if broken {
			// A Person and a Team whose documents failed the schema (no
			// decoded object), named by people of the org.
			set.Documents = append(set.Documents,
				&schema.Document{Kind: schema.KindPerson, Name: "broken-coach"},
				&schema.Document{Kind: schema.KindTeam, Name: "broken-team"})
			n := 0
			for _, d := range set.Documents {
				if p := d.Person; p != nil && n < 30 {
					if n%2 == 0 {
						p.Coach = "broken-coach"
					} else {
						p.Team = "broken-team"
					}
					n++
				}
			}
		}
		o := Build(set)
		got, want := o.HeldBack(), o.countHeldBack()
		if got != want {
			t.Errorf("broken %v: HeldBack %d, counted %d", broken, got, want)
		}
		if broken != (want > 0) {
			t.Errorf("broken %v: %d held back", broken, want)
		}
	}
}

// Numbering the people with o.id in two parts, filled at once, gives the
// ids, duplicates and lookups one part gives, with repeated names or
// without, and every name is found in its own part.
func TestNumberPeopleInPartsMatchesOnePart(t *testing.T) {
	for _, dups := range []int{0, 1, 40} {
		set := synthorg.Set(3000, 7)
		var persons []int32
		for k, d := range set.Documents {
			if d.Person != nil && d.Name != "" {
				persons = append(persons, int32(k))
			}
		}
		// Later documents repeating earlier names, ending in either
		// parity, some repeated twice.
		for i := range dups {
			first := set.Documents[persons[(i*37)%(len(persons)/2)]]
			p := *first.Person
			d := &schema.Document{Kind: schema.KindPerson, Name: first.Name, Person: &p}
			at := persons[len(persons)/2+i*11]
			set.Documents = slices.Insert(set.Documents, int(at), d)
			persons = persons[:0]
			for k, d := range set.Documents {
				if d.Person != nil && d.Name != "" {
					persons = append(persons, int32(k))
				}
			}
		}
		number := func(parts int) *Org {
			o := &Org{dupFirst: map[*schema.Document]*schema.Document{}}
			o.numberPeople(set.Documents, persons, parts)
			return o
		}
		one, two := number(1), number(2)
		if !slices.Equal(one.People, two.People) || !reflect.DeepEqual(one.dupFirst, two.dupFirst) {
			t.Fatalf("%d repeated: two parts number %d people (%d duplicates), one part %d (%d)",
				dups, len(two.People), len(two.dupFirst), len(one.People), len(one.dupFirst))
		}
		if len(one.dupFirst) != dups || len(one.People) != len(persons)-dups {
			t.Fatalf("%d repeated: %d duplicates and %d people of %d documents", dups, len(one.dupFirst), len(one.People), len(persons))
		}
		for d, f := range one.dupFirst {
			if d.Name != f.Name || d == f {
				t.Errorf("%s: duplicate of %s", d.Name, f.Name)
			}
		}
		if len(two.id.parts) != 2 || len(two.id.parts[0]) == 0 || len(two.id.parts[1]) == 0 {
			t.Fatalf("%d repeated: parts of sizes %d and %d", dups, len(two.id.parts[0]), len(two.id.parts[1]))
		}
		for i, p := range one.People {
			for _, o := range []*Org{one, two} {
				if id, ok := o.id.get(p.Name); !ok || id != int32(i) {
					t.Errorf("%d repeated: %s has id %d (%v), want %d", dups, p.Name, id, ok, i)
				}
			}
		}
		if _, ok := two.id.get("nobody-at-all"); ok || two.id.len() != len(one.People) {
			t.Errorf("%d repeated: %d names in two parts, want %d", dups, two.id.len(), len(one.People))
		}
	}
}
