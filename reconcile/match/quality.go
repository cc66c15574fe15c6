package match

import (
	"cmp"
	"maps"
	"slices"
)

// Quality summarises a run of Suggest so that a people team can judge
// it before sending it out (SPEC §4): mutual pairs, level gaps, how many of
// the people below coaching.coachFromAbove are coached from above, how many
// pairs share a division or a team, and how the load is spread.
type Quality struct {
	// Pairs is the number of suggestions.
	Pairs int `json:"pairs"`
	// Mutual counts suggestions whose candidate would, after the run, have
	// the person as their own coach (declared or suggested). Suggest keeps
	// it at zero; it is reported so that nobody has to take that on trust.
	Mutual int `json:"mutual"`
	// LevelGaps counts pairs by the candidate's level minus the person's,
	// lowest gap first; External and UnknownLevel count the pairs that
	// have no gap.
	LevelGaps    []LevelGap `json:"levelGaps"`
	External     int        `json:"external"`
	UnknownLevel int        `json:"unknownLevel"`
	// CoachFromAbove is the level below which people are coached from
	// above; Below counts the pairs whose person is below it, FromAbove
	// those of them whose candidate is more senior.
	CoachFromAbove string `json:"coachFromAbove"`
	Below          int    `json:"below"`
	FromAbove      int    `json:"fromAbove"`
	// SameDivision and SameTeam count the pairs inside the person's
	// top-level division and inside their team (a subset).
	SameDivision int `json:"sameDivision"`
	SameTeam     int `json:"sameTeam"`
	// Load counts the candidates who got someone by how many coachees (or
	// mentees) they have after the run; MaxLoad is the largest, Capacity
	// the coach-capacity max (-1 when unlimited or for mentors).
	Load     []LoadCount `json:"load"`
	MaxLoad  int         `json:"maxLoad"`
	Capacity int         `json:"capacity"`
}

// LevelGap is how many pairs have a candidate Gap levels above the person
// (negative: below).
type LevelGap struct {
	Gap   int `json:"gap"`
	Pairs int `json:"pairs"`
}

// LoadCount is how many candidates end the run with Load coachees or
// mentees.
type LoadCount struct {
	Load       int `json:"load"`
	Candidates int `json:"candidates"`
}

// quality summarises the suggestions sugs of this suggester's run.
func (s *suggester) quality(sugs []Suggestion) Quality {
	o := s.o
	q := Quality{Pairs: len(sugs), CoachFromAbove: o.Levels()[s.cfa], LevelGaps: []LevelGap{}, Load: []LoadCount{}, Capacity: -1}
	if s.role == RoleCoach {
		q.Capacity = s.capMax
	}
	newCoach := make(map[string]string, len(sugs))
	for _, sg := range sugs {
		newCoach[sg.Person] = sg.Candidate
	}
	coachAfter := func(name string) string {
		if c, ok := newCoach[name]; ok {
			return c
		}
		if p := o.Person(name); p != nil && !s.reassign[name] && p.Status != "departed" {
			return p.Coach
		}
		return ""
	}
	gaps := map[int]int{}
	got := map[string]int{}
	for _, sg := range sugs {
		p, c := o.Person(sg.Person), o.Person(sg.Candidate)
		if p == nil || c == nil {
			continue
		}
		got[c.Name]++
		if s.role == RoleCoach && coachAfter(c.Name) == p.Name {
			q.Mutual++
		}
		pr, cr := o.LevelRank(p), o.LevelRank(c)
		switch {
		case c.External:
			q.External++
		case pr < 0 || cr < 0:
			q.UnknownLevel++
		default:
			gaps[cr-pr]++
		}
		if pr >= 0 && pr < s.cfa {
			q.Below++
			if c.External || cr > pr {
				q.FromAbove++
			}
		}
		if !c.External {
			if d := s.division(p); d >= 0 && d == s.division(c) {
				q.SameDivision++
				if p.Team == c.Team {
					q.SameTeam++
				}
			}
		}
	}
	for _, g := range slices.Sorted(maps.Keys(gaps)) {
		q.LevelGaps = append(q.LevelGaps, LevelGap{Gap: g, Pairs: gaps[g]})
	}
	load := map[string]int{}
	for _, c := range s.cands {
		load[c.p.Name] = c.load
	}
	byLoad := map[int]int{}
	for name, x := range got {
		l := load[name] + x
		byLoad[l]++
		q.MaxLoad = max(q.MaxLoad, l)
	}
	for _, l := range slices.SortedFunc(maps.Keys(byLoad), cmp.Compare[int]) {
		q.Load = append(q.Load, LoadCount{Load: l, Candidates: byLoad[l]})
	}
	return q
}
