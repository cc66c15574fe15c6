package reconcile

import (
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
