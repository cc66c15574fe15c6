// Package synthorg builds a synthetic org in memory, as schema.Loader
// would return it, for the benchmarks of package reconcile and its
// printers: no YAML to write or read, so that a benchmark times the rules
// or the views alone. Its shape follows cmd/orggen's synthetic orgs: teams
// of about 20 under a tree of parent teams (reporting lines 5 to 7 deep),
// managers through the teams, everyone coached from outside their
// reporting line, a mentor for about a fifth, labels on most people, and
// a few findings (people on leave or departed still named as coaches,
// unknown names, juniors coaching seniors).
package synthorg

import (
	"fmt"
	"math/rand/v2"

	"github.com/orgctl/orgctl/schema"
)

// Set returns an org of n people (at least 1) generated from seed: the
// same arguments give the same org.
func Set(n int, seed uint64) *schema.Set {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	levels := schema.DefaultLevels
	set := &schema.Set{}
	file := 0
	src := func() schema.Source {
		f := fmt.Sprintf("people/p%04d.yaml", file)
		return schema.Source{File: f, Rel: f, Start: schema.Pos{Line: 1, Column: 1}}
	}
	var people []*schema.Person
	var teams []*schema.Team
	addPerson := func(team string, depth int) *schema.Person {
		rank := max(0, min(len(levels)-1, len(levels)-1-depth-r.IntN(2)))
		name := fmt.Sprintf("person-%s-%d", []string{"ada", "bo", "cy", "di", "ed"}[r.IntN(5)], len(people))
		s := src()
		s.Doc = len(people) % 50
		s.Start.Line = int32(1 + 16*s.Doc)
		p := &schema.Person{
			Name: name, DisplayName: "Person " + name, GitHub: fmt.Sprintf("gh%d", len(people)), Team: team,
			Level: levels[rank], Status: schema.StatusActive, Source: &s,
			NamePos: schema.Pos{Line: s.Start.Line + 3, Column: 9}, SpecPos: schema.Pos{Line: s.Start.Line + 4, Column: 1},
			TeamPos: schema.Pos{Line: s.Start.Line + 6, Column: 9}, CoachPos: schema.Pos{Line: s.Start.Line + 9, Column: 10},
		}
		if r.IntN(4) != 0 {
			p.Labels = map[string]string{"office": []string{"kyiv", "toronto", "amsterdam", "lagos"}[r.IntN(4)]}
		}
		for range r.IntN(4) {
			p.Expertise = append(p.Expertise, []string{"go", "sql", "kubernetes", "frontend", "security"}[r.IntN(5)])
		}
		switch x := r.IntN(1000); {
		case x < 10:
			p.Status = schema.StatusLeave
		case x < 15:
			p.Status = schema.StatusDeparted
		}
		people = append(people, p)
		if len(people)%50 == 0 {
			file++
		}
		return p
	}
	type pending struct {
		team  *schema.Team
		depth int
	}
	ceo := addPerson("t0", 0)
	ceo.Level, ceo.Status = levels[len(levels)-1], schema.StatusActive
	root := &schema.Team{Name: "t0", Manager: ceo.Name, Source: schema.Source{File: "teams.yaml", Rel: "teams.yaml"}}
	teams = append(teams, root)
	queue := []pending{{root, 1}}
	for len(queue) > 0 && len(people) < n {
		pt := queue[0]
		queue = queue[1:]
		for range 20 {
			if len(people) >= n {
				break
			}
			p := addPerson(pt.team.Name, pt.depth)
			// About one in eight members leads a team of their own.
			if r.IntN(8) == 0 && p.Status == schema.StatusActive {
				t := &schema.Team{Name: fmt.Sprintf("t%d", len(teams)), Parent: pt.team.Name, Manager: p.Name,
					Source: schema.Source{File: "teams.yaml", Rel: "teams.yaml", Doc: len(teams), Start: schema.Pos{Line: int32(1 + 8*len(teams))}}}
				teams = append(teams, t)
				queue = append(queue, pending{t, pt.depth + 1})
			}
		}
	}
	rank := map[string]int{}
	for i, l := range levels {
		rank[l] = i
	}
	rankOf := func(p *schema.Person) int { return rank[p.Level] }
	// A team's lead reports to the parent team's manager through their
	// own spec.team; a few name their manager explicitly.
	for i, p := range people {
		if i > 0 && r.IntN(50) == 0 {
			p.Manager = ceo.Name
		}
	}
	// Coaches: someone else, preferably more senior, anywhere in the org.
	for i, p := range people {
		if i == 0 && n > 1 {
			p.Coach = people[1].Name
			continue
		}
		// Of a few people drawn at random, the first at least as senior
		// (so that most pairings break no rule, as in a real org).
		c := people[r.IntN(len(people))]
		for range 8 {
			if rankOf(c) >= rankOf(p) {
				break
			}
			c = people[r.IntN(len(people))]
		}
		switch x := r.IntN(100_000); {
		case x < 5:
			// unknown-reference: few, since each is compared with every
			// name for a did-you-mean hint.
			p.Coach = fmt.Sprintf("ghost-%d", i)
		case x < 700:
			p.Coach = "" // missing-coach
		case c != p:
			p.Coach = c.Name
		}
		if r.IntN(5) == 0 {
			m := people[r.IntN(len(people))]
			for range 8 {
				if rankOf(m) > rankOf(p) && len(m.Expertise) > 0 {
					break
				}
				m = people[r.IntN(len(people))]
			}
			if m != p && len(m.Expertise) > 0 {
				p.Mentors = append(p.Mentors, schema.Mentor{Person: m.Name, Domain: m.Expertise[0], Pos: schema.Pos{Line: p.Source.Start.Line + 11, Column: 13}})
			}
		}
	}
	pol := &schema.Policy{Name: "policy", Roots: []string{ceo.Name}, Source: schema.Source{File: "policy.yaml", Rel: "policy.yaml", Start: schema.Pos{Line: 1}}}
	set.Documents = append(set.Documents, &schema.Document{Kind: schema.KindPolicy, Name: pol.Name, Source: pol.Source, Policy: pol})
	for _, t := range teams {
		set.Documents = append(set.Documents, &schema.Document{Kind: schema.KindTeam, Name: t.Name, Source: t.Source, NamePos: t.NamePos, Team: t})
	}
	for _, p := range people {
		d := &schema.Document{Kind: schema.KindPerson, Name: p.Name, Source: *p.Source, NamePos: p.NamePos, Person: p}
		p.Source = &d.Source // shared, as the loader shares it
		set.Documents = append(set.Documents, d)
	}
	set.Files = file + 3
	return set
}
