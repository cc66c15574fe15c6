package reconcile

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/orgctl/orgctl/reconcile/internal/synthorg"
	"github.com/orgctl/orgctl/schema"
)

// diffPeopleStraight is the straightforward diff of people that
// diffPeople must agree with: every name of both orgs, each looked up on
// both sides, every field compared, and the pairings left behind read
// from the orgs' reverse indexes.
func diffPeopleStraight(base, head *Org) []Change {
	var out []Change
	var names []string
	for _, org := range []*Org{base, head} {
		for _, p := range org.People {
			names = append(names, p.Name)
		}
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		b, h := base.Person(name), head.Person(name)
		var from, to []FieldChange
		if b != nil {
			from = personFields(base, b)
		}
		if h != nil {
			to = personFields(head, h)
		}
		fields := diffFields(from, to)
		c := Change{Kind: schema.KindPerson, Name: name, Fields: fields}
		var fromRel, toRel []Relation
		if b != nil {
			fromRel = personRelations(base, b)
		}
		if h != nil {
			toRel = personRelations(head, h)
		}
		c.Relations = diffRelations(fromRel, toRel)
		switch {
		case b == nil:
			c.Action = ActionAdd
		case h == nil:
			c.Action = ActionRemove
			c.Effects = leftBehindStraight(base, head, name, "is removed")
		default:
			if len(fields) == 0 {
				continue
			}
			c.Action = ActionChange
			if h.Status == schema.StatusDeparted && b.Status != schema.StatusDeparted {
				c.Effects = leftBehindStraight(base, head, name, "departs")
			}
		}
		out = append(out, c)
	}
	return out
}

func leftBehindStraight(base, head *Org, name, what string) []string {
	var out []string
	stays := func(p *Person) bool { return p != nil && p.Status != schema.StatusDeparted && p.Name != name }
	for _, n := range head.Coachees(name) {
		if stays(head.Person(n)) {
			out = append(out, fmt.Sprintf("%s loses their coach: %s %s", n, name, what))
		}
	}
	for _, n := range head.Mentees(name) {
		if p := head.Person(n); stays(p) {
			for _, m := range p.Mentors {
				if m.Person == name {
					out = append(out, fmt.Sprintf("%s loses their mentor in %s: %s %s", n, m.Domain, name, what))
				}
			}
		}
	}
	for _, n := range base.Reports(name) {
		if !stays(head.Person(n)) {
			continue
		}
		if hm := head.Manager(n); hm.Known() && hm.Name != name {
			out = append(out, fmt.Sprintf("%s now reports to %s: %s %s", n, hm.Name, name, what))
		} else {
			out = append(out, fmt.Sprintf("%s loses their manager: %s %s", n, name, what))
		}
	}
	sort.Strings(out)
	return out
}

// headOf derives a pull request's head from base as plan's cache gives
// it: every document the change leaves alone is the base's own (the same
// *Document and *Person), and each one it touches is a copy. The change
// removes people (coaches, mentors and managers among them), adds people
// (one under a removed person's name elsewhere in the files, one twice),
// lets people depart, edits one field of others, gives a team a new
// manager (which moves every member's manager without touching their
// documents) and points people's managers at names that do not exist.
// It returns the head and what it did, for messages.
func headOf(base *schema.Set, r *rand.Rand) (*schema.Set, []string) {
	var did []string
	docs := slices.Clone(base.Documents)
	var people, teams []int
	for i, d := range docs {
		switch {
		case d.Person != nil:
			people = append(people, i)
		case d.Team != nil:
			teams = append(teams, i)
		}
	}
	pick := func(from []int) int { return from[r.IntN(len(from))] }
	person := func(i int) (*schema.Document, *schema.Person) {
		d, p := *docs[i], *docs[i].Person
		d.Person, p.Source = &p, &d.Source
		docs[i] = &d
		return &d, &p
	}
	n := len(people)
	var added []*schema.Document
	newPerson := func(name string, like *schema.Person) *schema.Document {
		p := *like
		p.Name, p.GitHub = name, "gh-"+name
		d := &schema.Document{Kind: schema.KindPerson, Name: name, Source: *like.Source, Person: &p}
		p.Source = &d.Source
		return d
	}
	// People removed: some at random, and the coach, a mentor and the
	// effective manager of someone, so that removals leave pairings behind.
	removed := map[int]bool{}
	for range max(2, n/100) {
		removed[pick(people)] = true
	}
	someone := docs[pick(people)].Person
	byName := map[string]int{}
	for _, i := range people {
		byName[docs[i].Name] = i
	}
	for _, name := range []string{someone.Coach, mentorOf(docs, people, r)} {
		if i, ok := byName[name]; ok {
			removed[i] = true
		}
	}
	for _, i := range teams {
		if i, ok := byName[docs[i].Team.Manager]; ok && r.IntN(3) == 0 {
			removed[i] = true
		}
	}
	for i := range removed {
		did = append(did, "remove "+docs[i].Name)
	}
	// People who depart or change one field.
	for range max(3, n/50) {
		i := pick(people)
		if removed[i] {
			continue
		}
		_, p := person(i)
		x := r.IntN(9)
		switch x {
		case 0:
			p.Status = schema.StatusDeparted
		case 1:
			p.Coach = docs[pick(people)].Name
		case 2:
			p.Level = "staff"
		case 3:
			p.Labels = map[string]string{"office": "nowhere"}
		case 4:
			p.Mentors = append(slices.Clone(p.Mentors), schema.Mentor{Person: docs[pick(people)].Name, Domain: "go"})
		case 5:
			p.Manager = fmt.Sprintf("nobody-%d", r.IntN(3))
		case 6:
			p.Manager = docs[pick(people)].Name
		case 7:
			p.Team = docs[pick(teams)].Name
		default:
			p.Expertise = append(slices.Clone(p.Expertise), "cobol")
		}
		did = append(did, fmt.Sprintf("edit %d of %s", x, p.Name))
	}
	// A team gets a new manager: its members' documents stay shared.
	t := pick(teams)
	nt := *docs[t].Team
	nt.Manager = docs[pick(people)].Name
	nd := *docs[t]
	nd.Team = &nt
	docs[t] = &nd
	did = append(did, "team "+nt.Name+" managed by "+nt.Manager)
	// People added, one under the name of someone removed, and one
	// written twice (the first document counts).
	for k := range max(2, n/100) {
		added = append(added, newPerson(fmt.Sprintf("new-%d", k), docs[pick(people)].Person))
	}
	for i := range removed {
		added = append(added, newPerson(docs[i].Name, docs[pick(people)].Person))
		break
	}
	twice := newPerson("twice", docs[pick(people)].Person)
	other := newPerson("twice", docs[pick(people)].Person)
	other.Person.Level = "principal"
	added = append(added, twice, other)
	var out []*schema.Document
	for i, d := range docs {
		if !removed[i] {
			out = append(out, d)
		}
		if i == len(docs)/2 {
			out = append(out, added...)
		}
	}
	return &schema.Set{Documents: out, Files: base.Files}, did
}

// mentorOf is the first mentor of someone at random, or "".
func mentorOf(docs []*schema.Document, people []int, r *rand.Rand) string {
	for range 100 {
		if p := docs[people[r.IntN(len(people))]].Person; len(p.Mentors) > 0 {
			return p.Mentors[0].Person
		}
	}
	return ""
}

// The diff of people compares only what can differ (shared documents on
// their managers alone) and finds the pairings left behind without the
// reverse indexes: it must give exactly what comparing everything gives,
// on synthetic orgs and heads that add, remove, depart, edit, rename and
// re-manage people.
func TestDiffPeopleMatchesStraightDiff(t *testing.T) {
	for seed := range uint64(12) {
		base := synthorg.Set(200+int(seed)*150, seed)
		head, did := headOf(base, rand.New(rand.NewPCG(seed, 7)))
		bo, ho := Build(base), Build(head)
		got, want := diffPeople(bo, ho), diffPeopleStraight(Build(base), Build(head))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d (%v): the diff of people differs from the straightforward one\ngot  %v\nwant %v", seed, did, changes(Plan{Changes: got}), changes(Plan{Changes: want}))
			continue
		}
		// The cases the fast path could skip did happen.
		var effects, managers, shared int
		for _, c := range got {
			effects += len(c.Effects)
			if c.Action == ActionChange && ho.Person(c.Name) == bo.Person(c.Name) {
				shared++
			}
			for _, f := range c.Fields {
				if f.Field == "manager" {
					managers++
				}
			}
		}
		if effects == 0 || managers == 0 || shared == 0 {
			t.Errorf("seed %d: %d effects, %d manager changes, %d changes of shared documents: the test no longer covers them", seed, effects, managers, shared)
		}
	}
}
