package reconcile

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/orgctl/orgctl/schema"
)

// The reverse indexes say what scanning every person says, for every name
// of both example orgs (the conflicts org has self-references, loops,
// duplicate mentors and dangling names).
func TestReverseIndexes(t *testing.T) {
	for _, dir := range []string{"../examples/acme", "../examples/conflicts"} {
		set, err := (&schema.Loader{}).LoadPaths([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		o := Build(set)
		names := map[string]bool{}
		for _, p := range o.People {
			names[p.Name], names[p.Coach] = true, true
			for _, m := range p.Mentors {
				names[m.Person] = true
			}
		}
		delete(names, "") // nobody is coached by no one
		for name := range names {
			var reports, coachees, mentees []string
			for _, p := range o.People {
				if m := o.Manager(p.Name); m.Known() && m.Name == name {
					reports = append(reports, p.Name)
				}
				if p.Coach == name && p.Name != name {
					coachees = append(coachees, p.Name)
				}
				if p.Name != name && slices.ContainsFunc(p.Mentors, func(m schema.Mentor) bool { return m.Person == name }) {
					mentees = append(mentees, p.Name)
				}
			}
			slices.Sort(reports)
			slices.Sort(coachees)
			slices.Sort(mentees)
			for _, c := range []struct {
				what      string
				got, want []string
			}{
				{"reports", o.Reports(name), reports},
				{"coachees", o.Coachees(name), coachees},
				{"mentees", o.Mentees(name), mentees},
			} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s: %s of %q = %v, scanning says %v", dir, c.what, name, c.got, c.want)
				}
			}
		}
	}
}

// Above answers what the chain says, on random manager graphs full of
// cycles, tails into cycles, self-loops and dangling names.
func TestAboveMatchesChain(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 500 {
		n := 1 + rng.IntN(12)
		name := func(i int) string { return fmt.Sprintf("p%d", i) }
		o := &Org{manager: map[string]ManagerRef{}}
		for i := range n {
			switch r := rng.IntN(10); {
			case r == 0: // no manager
			case r == 1: // a name that is nobody
				o.manager[name(i)] = ManagerRef{Name: "ghost", state: refUnknown}
			default:
				o.manager[name(i)] = ManagerRef{Name: name(rng.IntN(n)), state: refKnown}
			}
		}
		for a := range n + 1 {
			for b := range n + 1 {
				got := o.Above(name(a), name(b))
				want := slices.Contains(o.Chain(name(b)), name(a))
				if got != want {
					t.Fatalf("round %d: Above(%s, %s) = %v, chain %v says %v (managers %v)", round, name(a), name(b), got, o.Chain(name(b)), want, o.manager)
				}
			}
		}
	}
}
