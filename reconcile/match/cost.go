package match

// The objective: what a pairing costs, so that the global assignment can
// prefer one over another.

import (
	"fmt"
	"slices"

	"github.com/orgctl/orgctl/reconcile"
)

// Costs of a pairing, in integer units. Each criterion outweighs
// rungs): a warning the pairing would raise; for someone below
// coaching.coachFromAbove, a coach who is not more senior; a coach inside
// the reporting line; a coach below coachFromAbove (coaches come from the
// senior people first), per level; the distance in levels beyond the ideal
// (a peer or one level up from coachFromAbove up, the lowest level above
// the person below it); sharing the person's top-level division, then
// their team; and the candidate's load: the j-th new coachee of someone
// who already has l costs costLoad*(l+j), so load is spread (a convex
// cost) rather than piled on the cheapest coach.
const (
	costLoad      = 4
	loadClamp     = 20 // loads above this cost the same
	costTeam      = 10
	costDivision  = 30
	costLevel     = 20
	levelClamp    = 10
	costBelowCFA  = 250   // > costLevel*levelClamp + costDivision + costTeam + costLoad*loadClamp
	costLine      = 5000  // > costBelowCFA*levelClamp + costLevel*levelClamp + costDivision + costTeam + costLoad*loadClamp
	costPeerBelow = 20000 // > costLine + everything below it
	costWarning   = 100000
	// costExternal prices an external coach like an internal one in the
	// person's own team: the senior people inside come first (seed 000).
	costExternal  = costDivision + costTeam
	unknownLevels = 2 // an internal candidate whose level is not on the ladder counts as this far
)

// slotSpread bounds how much the load part of two slots can differ: a
// slot costs costLoad per coachee before it, at most loadClamp, and a
// coach of capacity c has at most c-1 before their last slot.
func (s *suggester) slotSpread() int64 {
	if s.role != RoleCoach {
		return costLoad * loadClamp
	}
	most := 0 // the largest capacity of a candidate
	for _, c := range s.cands {
		if c.capacity < 0 {
			return costLoad * loadClamp
		}
		most = max(most, c.capacity)
	}
	return costLoad * int64(min(loadClamp, max(most-1, 0)))
}

// coachLevelCost prices a coach's level (SPEC §4, seeds 000 and 004):
// below coaching.coachFromAbove a person is coached from above, ideally
// from coachFromAbove itself (the senior people coach first); from
// coachFromAbove up a peer or someone one level up is ideal. Every level
// beyond the ideal costs costLevel, every level a coach sits below
// coachFromAbove costBelowCFA, and a coach who is not above someone below
// coachFromAbove costPeerBelow.
func (s *suggester) coachLevelCost(n *need, crank int, ext bool, j *judgement) int64 {
	say := func(format string, args ...any) {
		if j != nil {
			j.reasons = append(j.reasons, fmt.Sprintf(format, args...))
		}
	}
	cfaName := s.o.Levels()[s.cfa]
	below := func() int64 { // seniors first
		if crank >= 0 && crank < s.cfa {
			return costBelowCFA * int64(min(s.cfa-crank, levelClamp))
		}
		return 0
	}
	switch {
	case ext:
		say("an external coach")
		return costExternal
	case crank < 0:
		if n.rank >= 0 && n.rank < s.cfa {
			say("level not on the ladder, so not known to be above %s (%s is below %s)", n.p.Name, n.p.Level, cfaName)
			return costPeerBelow
		}
		say("level not on the ladder")
		return costLevel * unknownLevels
	case n.rank < 0:
		say("level %s (%s's level is unknown)", s.o.Levels()[crank], n.p.Name)
		return below()
	}
	lv := s.o.Levels()[crank]
	d := crank - n.rank
	if n.rank < s.cfa {
		if d <= 0 {
			switch {
			case d == 0:
				say("a peer (%s), though people below %s are coached from above where there is room", lv, cfaName)
			case s.sev["coach-junior"] == reconcile.Off:
				say("more junior (%s), though people below %s are coached from above where there is room", lv, cfaName)
			}
			return costPeerBelow + costLevel*int64(min(-d, levelClamp))
		}
		ideal := max(n.rank+1, s.cfa)
		say("%s up (%s)", levelWords(d), lv)
		return below() + costLevel*int64(min(max(crank-ideal, 0), levelClamp))
	}
	steps := 0
	switch {
	case d == 0:
		say("a peer (%s)", lv)
	case d > 0:
		say("%s up (%s)", levelWords(d), lv)
		steps = d - 1
	default:
		steps = -d
		if s.sev["coach-junior"] == reconcile.Off {
			// otherwise the coach-junior warning says it
			say("more junior (%s)", lv)
		}
	}
	return below() + costLevel*int64(min(steps, levelClamp))
}

// levelCost prices the distance in levels: peers and one level up are
// ideal for a coach; one level up is ideal for a mentor.
func (s *suggester) levelCost(n *need, crank int, ext bool, j *judgement) int64 {
	switch {
	case ext:
		if j != nil {
			j.reasons = append(j.reasons, "an external "+s.role)
		}
		return 0
	case crank < 0:
		if j != nil {
			j.reasons = append(j.reasons, "level not on the ladder")
		}
		return costLevel * unknownLevels
	case n.rank < 0:
		if j != nil {
			j.reasons = append(j.reasons, fmt.Sprintf("level %s (%s's level is unknown)", s.o.Levels()[crank], n.p.Name))
		}
		return 0
	}
	d := crank - n.rank
	steps := 0
	switch {
	case d < 0:
		steps = -d
	case d > 1:
		steps = d - 1
	}
	if j != nil {
		lv := s.o.Levels()[crank]
		switch {
		case d == 0:
			j.reasons = append(j.reasons, fmt.Sprintf("a peer (%s)", lv))
		case d > 0:
			j.reasons = append(j.reasons, fmt.Sprintf("%s up (%s)", levelWords(d), lv))
		case s.sev["coach-junior"] == reconcile.Off:
			// otherwise the coach-junior warning says it
			j.reasons = append(j.reasons, fmt.Sprintf("more junior (%s)", lv))
		}
	}
	return costLevel * int64(min(steps, levelClamp))
}

// pairCost is the exact cost of giving n candidate c, without the load.
func (s *suggester) pairCost(n *need, c *cand) (bool, int64) {
	return s.judge(n, c.p, c.rank, c.p.External, s.relate(n, c), nil)
}

// genericCost is the cost of n with a member of class k with whom n has
// nothing in particular.
func (s *suggester) genericCost(n *need, k *candClass) (bool, int64) {
	same := n.div >= 0 && n.div == k.div
	// The verdict depends only on n's level (and domain, for mentors), the
	// class and whether they share a division: remember it, as every
	// person asks every class.
	if s.generic == nil {
		s.generic = map[*candClass][]genericVerdict{}
	}
	domains := max(len(s.domains), 1)
	memo := s.generic[k]
	if memo == nil {
		memo = make([]genericVerdict, 2*(len(s.o.Levels())+1)*domains)
		s.generic[k] = memo
	}
	i := 2 * (n.rank + 1)
	if same {
		i++
	}
	i = i*domains + n.domain
	if v := memo[i]; v.known {
		return v.ok, v.cost
	}
	r := relation{division: same}
	if s.role == RoleMentor {
		_, knows := slices.BinarySearch(k.knows, n.domain)
		r.lacks = !knows
	}
	ok, cost := s.judge(n, k.rep, k.rank, k.external, r, nil)
	memo[i] = genericVerdict{known: true, ok: ok, cost: cost}
	return ok, cost
}

// genericVerdict is a remembered genericCost.
type genericVerdict struct {
	known, ok bool
	cost      int64
}

// slotCost is the load part of a candidate's j-th new coachee or mentee.
func slotCost(load, j int) int64 { return costLoad * int64(min(load+j, loadClamp)) }

// loadCost is the load part of giving a candidate x new ones.
func loadCost(load, x int) int64 {
	var c int64
	for j := 0; j < x; j++ {
		c += slotCost(load, j)
	}
	return c
}
