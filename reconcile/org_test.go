package reconcile

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

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
		managers := map[string]ManagerRef{}
		for i := range n {
			switch r := rng.IntN(10); {
			case r == 0: // no manager
			case r == 1: // a name that is nobody
				managers[name(i)] = ManagerRef{Name: "ghost", state: refUnknown}
			default:
				managers[name(i)] = ManagerRef{Name: name(rng.IntN(n)), state: refKnown}
			}
		}
		o := managerOrg(n, name, managers)
		for a := range n + 1 {
			for b := range n + 1 {
				got := o.Above(name(a), name(b))
				want := slices.Contains(o.Chain(name(b)), name(a))
				if got != want {
					t.Fatalf("round %d: Above(%s, %s) = %v, chain %v says %v (managers %v)", round, name(a), name(b), got, o.Chain(name(b)), want, managers)
				}
			}
		}
	}
}

// TestAboveIsConstantTimeOnLongChains: a chain as long as the org (an
// import that chains everyone, or a hostile file) must not make the rules
// quadratic. Asking Above for everyone, as the coach rules do, on a
// 100,000-person chain that ends in a loop would walk 10^10 links (minutes);
// answered from the forest numbering it takes a fraction of a second, and
// the deadline is far from both.
func TestAboveIsConstantTimeOnLongChains(t *testing.T) {
	const n = 100_000
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("p%06d", i)
	}
	name := func(i int) string { return names[i] }
	managers := make(map[string]ManagerRef, n)
	for i := range n - 1 {
		managers[name(i)] = ManagerRef{Name: name(i + 1), state: refKnown}
	}
	managers[name(n-1)] = ManagerRef{Name: name(n - 10), state: refKnown} // a loop of 10 at the top
	o := managerOrg(n, name, managers)
	start := time.Now()
	above := 0
	for i := range n {
		if o.Above(name(n-1), name(i)) {
			above++
		}
		if o.Above(name(i), name(n/2)) {
			above++
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("%d questions took %v", 2*n, d)
	}
	// p099999 is above everyone but itself; above p050000 are the people
	// after it.
	if want := (n - 1) + (n - 1 - n/2); above != want {
		t.Errorf("%d answers were yes, want %d", above, want)
	}
}

// managerOrg is an Org of the people name(0)...name(n-1) whose effective
// managers are managers, for the tests of Chain and Above.
func managerOrg(n int, name func(int) string, managers map[string]ManagerRef) *Org {
	o := &Org{id: nameIDs{parts: []map[string]int32{make(map[string]int32, n)}}, managers: make([]managerSlot, n), mgr: make([]int32, n)}
	for i := range n {
		o.id.parts[0][name(i)] = int32(i)
		o.People = append(o.People, &Person{Name: name(i)})
	}
	for i := range n {
		o.setManager(int32(i), managers[name(i)])
	}
	return o
}
