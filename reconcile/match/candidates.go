package match

// Who may coach or mentor whom: the candidates, what is particular between
// a person and a candidate, and the rules that allow or block a pairing.

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// cand is a person who could coach or mentor.
type cand struct {
	p     *reconcile.Person
	rank  int    // -1: external or level not on the ladder
	div   int    // top-level division, or -1 (external, or no team)
	hash  uint64 // FNV-1a of the name
	load  int    // current coachees or mentees, not counting the ones being re-assigned
	room  int    // slots left
	class int
	// coachOf is the person this candidate is coached by and keeps
	// (their declared coach, unless it is being replaced); empty if none.
	coachOf string
	// knows are the run's domains (indexes into suggester.domains) the
	// candidate has expertise in; mentors only.
	knows []int
	// capacity is how many coachees the candidate takes in all (their own
	// coaching.capacity, or coach-capacity's max), -1 when unlimited.
	capacity int
}

// relation is what is particular between a person and a candidate, and
// whether they share a top-level division (which is not particular: it is
// the same for every member of a candidate group).
type relation struct {
	self, manager, skip, below, team, mentor, coach bool
	// coachee: the candidate is coached by the person already, so the
	// pairing would be mutual. forbidden: the mutual-pair repair ruled
	// this direction out.
	coachee, forbidden bool
	// avoid: the Policy's doNotPair lists the two. recent: the candidate
	// had this role for the person until too recently (recentUntil).
	// replaced: the candidate is the one being replaced.
	avoid, recent, replaced bool
	recentUntil             string
	division                bool
	// lacks: the candidate has no expertise in the person's domain. It is
	// the same for every member of a candidate group, so not particular.
	lacks bool
}

func (r relation) any() bool {
	return r.self || r.manager || r.skip || r.below || r.team || r.mentor || r.coach || r.coachee || r.forbidden ||
		r.avoid || r.recent || r.replaced
}

// candClass is a group of candidates that look the same to anyone they
// have no particular relation with: one level (or external, or unknown) in
// one top-level division.
type candClass struct {
	rank     int
	external bool
	div      int
	members  []*cand // in hash order
	room     int64   // total slots
	knows    []int   // the domains every member knows (mentors)
	// rep stands for any member with whom a person has nothing in
	// particular: a person nobody can name, of the class's level (or
	// external), knowing its domains. The pairing predicate judges the
	// class through it.
	rep *reconcile.Person
}

// knows lists the run's domains that p has expertise in.
func (s *suggester) knows(p *reconcile.Person) []int {
	var out []int
	for i, d := range s.domains {
		if reconcile.HasExpertise(p, d) {
			out = append(out, i)
		}
	}
	return out
}

// nameHash is FNV-1a of s: the order in which equal choices are made.
func nameHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// pairHash is FNV-1a of "coach\x00coachee": it settles ties between
// candidates without looking at names.
func pairHash(coach, coachee string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(coach))
	h.Write([]byte{0})
	h.Write([]byte(coachee))
	return h.Sum64()
}

// buildCandidates lists who could take the role, with their load and the
// slots they have left, grouped into classes by level.
func (s *suggester) buildCandidates() {
	o := s.o
	load := map[string]int{}
	for _, p := range o.People {
		if p.Status == schema.StatusDeparted {
			continue
		}
		if s.role == RoleCoach {
			if p.Coach != "" && p.Coach != p.Name && !s.reassign[p.Name] {
				load[p.Coach]++
			}
			continue
		}
		for i, m := range p.Mentors {
			if m.Person != p.Name && !slices.Contains(s.replacedEntries[p.Name], i) {
				load[m.Person]++
			}
		}
	}
	levels := len(o.Levels())
	// Classes: one per level (then external, then internal with a level
	// that is not on the ladder) and top-level division.
	type classKey struct {
		slot, div int
		knows     string // the domains a mentor knows, for mentors
	}
	index := map[classKey]*candClass{}
	unlimited := len(s.needs)
	for _, p := range o.People {
		if p.Status != schema.StatusActive {
			continue
		}
		c := &cand{p: p, rank: o.LevelRank(p), div: s.division(p), hash: nameHash(p.Name), load: load[p.Name]}
		if s.role == RoleMentor {
			c.knows = s.knows(p)
			if c.rank < 0 || len(c.knows) == 0 {
				continue
			}
		}
		c.room, c.capacity = unlimited, -1
		if s.role == RoleCoach {
			if !willing(p) {
				continue
			}
			c.capacity = s.capacity(p)
			if c.capacity >= 0 {
				c.room = c.capacity - c.load
			}
		}
		if c.room <= 0 {
			continue
		}
		if p.Coach != "" && p.Coach != p.Name && !s.reassign[p.Name] {
			c.coachOf = p.Coach
		}
		slot := c.rank
		switch {
		case c.rank >= 0:
		case p.External:
			slot = levels
		default:
			slot = levels + 1
		}
		k := classKey{slot, c.div, fmt.Sprint(c.knows)}
		if index[k] == nil {
			index[k] = &candClass{rank: c.rank, external: p.External, div: c.div, knows: c.knows}
			if slot >= levels {
				index[k].rank = -1
			}
		}
		s.cands = append(s.cands, c)
	}
	keys := slices.SortedFunc(maps.Keys(index), func(a, b classKey) int {
		return cmp.Or(cmp.Compare(a.slot, b.slot), cmp.Compare(a.div, b.div), strings.Compare(a.knows, b.knows))
	})
	classOf := make(map[*candClass]int, len(keys))
	for i, k := range keys {
		cl := index[k]
		cl.rep = &reconcile.Person{Name: fmt.Sprintf("\x00class %d", i), Status: schema.StatusActive, External: cl.external, Level: "\x00"}
		if cl.rank >= 0 {
			cl.rep.Level = o.Levels()[cl.rank]
		}
		for _, d := range cl.knows {
			cl.rep.Expertise = append(cl.rep.Expertise, s.domains[d])
		}
		s.classes = append(s.classes, cl)
		classOf[cl] = i
	}
	slices.SortFunc(s.cands, func(a, b *cand) int {
		return cmp.Or(cmp.Compare(a.hash, b.hash), strings.Compare(a.p.Name, b.p.Name))
	})
	for _, c := range s.cands {
		slot := c.rank
		switch {
		case c.rank >= 0:
		case c.p.External:
			slot = levels
		default:
			slot = levels + 1
		}
		k := index[classKey{slot, c.div, fmt.Sprint(c.knows)}]
		c.class = classOf[k]
		k.members = append(k.members, c)
		k.room += int64(c.room)
	}
}

// relate works out what is particular between n and candidate c.
func (s *suggester) relate(n *need, c *cand) relation {
	name := c.p.Name
	r := relation{self: c.p == n.p, manager: name == n.manager && name != ""}
	// Org.Above answers in constant time: walking the chain here, for
	// every pair, would make a long chain cost its length squared.
	r.skip = n.manager != "" && s.o.Above(name, n.manager)
	if n.manages && !r.self {
		r.below = s.o.Above(n.p.Name, name)
	}
	r.team = n.p.Team != "" && !c.p.External && c.p.Team == n.p.Team && !r.self
	for _, m := range n.p.Mentors {
		if m.Person == name {
			r.mentor = true
		}
	}
	r.coach = n.p.Coach == name && !r.self
	if s.role == RoleCoach && !r.self {
		r.coachee = c.coachOf == n.p.Name
		r.forbidden = s.forbid[n.idx][c]
	}
	r.division = n.div >= 0 && n.div == c.div && !r.self
	if !r.self {
		r.avoid = s.life.avoid[[2]string{n.p.Name, name}]
		r.recentUntil, r.recent = n.recent[name]
		r.replaced = n.replaces == name
	}
	if s.role == RoleMentor {
		_, knows := slices.BinarySearch(c.knows, n.domain)
		r.lacks = !knows
	}
	return r
}

// judgement explains a pairing: what blocks it, what it costs, in words.
type judgement struct {
	blocks  []string // why the pairing is not allowed
	reasons []string // why it fits, and the warnings it raises
}

// judge decides whether n may have a candidate of rank crank (external
// when ext) to whom n stands in relation r, and at what cost, not counting
// the candidate's load. When j is not nil it is filled with words.
func (s *suggester) judge(n *need, cp *reconcile.Person, crank int, ext bool, r relation, j *judgement) (bool, int64) {
	cname := cp.Name
	if s.role == RoleMentor {
		return s.judgeMentor(n, cp, crank, r, j)
	}
	ok, cost := true, int64(0)
	who := n.p.Name
	rule := func(id reconcile.RuleID, block, reason string) {
		switch s.sev[id] {
		case reconcile.Error:
			ok = false
			if j != nil {
				j.blocks = append(j.blocks, fmt.Sprintf("%s %s (%s is an error)", cname, block, id))
			}
		case reconcile.Warning:
			cost += costWarning
			if j != nil {
				j.reasons = append(j.reasons, fmt.Sprintf("%s: %s warning", reason, id))
			}
		}
	}
	block := func(why string) (bool, int64) {
		if j != nil {
			j.blocks = append(j.blocks, cname+" "+why)
		}
		return false, 0
	}
	switch {
	case r.self:
		return block("cannot coach themselves")
	case r.coachee:
		return block("is coached by " + who + " (no mutual pairs)")
	case r.forbidden:
		return block("would make a mutual pair with " + who)
	}
	if ok, cost := s.judgeLife(n, r, block); !ok {
		return ok, cost
	}
	// Which rules the pair breaks is the one predicate's to say, the same
	// the checker asks about declared pairings; the matcher decides what
	// to do about each (and words it).
	v := s.o.JudgePair(reconcile.Pair{Role: reconcile.RoleCoach, Coach: cp, Person: n.p})
	line := ""
	switch {
	case r.manager:
		line = fmt.Sprintf("%s's manager", who)
		if s.allowFrom >= 0 && n.rank >= s.allowFrom {
			line += fmt.Sprintf(" (allowed from %s up)", s.o.Levels()[s.allowFrom])
		}
	case r.skip:
		line = "a skip-level manager of " + who
	}
	if v.Breaks(reconcile.RuleCoachIsManager) {
		rule(reconcile.RuleCoachIsManager, "is "+who+"'s manager", "is "+who+"'s manager")
	}
	if v.Breaks(reconcile.RuleCoachInManagementChain) {
		rule(reconcile.RuleCoachInManagementChain, "is a skip-level manager of "+who, line)
	}
	if v.Breaks(reconcile.RuleCoachReportsToCoachee) {
		// Never proposed, whatever the rule's severity: a coach who depends
		// on the coachee for pay and promotion cannot be the neutral thought
		// partner coaching needs (seeds 000, 002). The checker still only
		// warns about a pairing someone chose on purpose; the top of an org,
		// whom everyone reports to, is left unmatched with a pointer to an
		// external coach.
		return block("reports to " + who + " (a coach must not depend on the coachee)")
	}
	if v.Breaks(reconcile.RuleCoachJunior) {
		rule(reconcile.RuleCoachJunior, fmt.Sprintf("is more junior (%s)", s.o.Levels()[crank]), fmt.Sprintf("more junior (%s)", s.o.Levels()[crank]))
	}
	if v.Breaks(reconcile.RuleRolesNotDistinct) {
		rule(reconcile.RuleRolesNotDistinct, "already mentors "+who, "already mentors "+who)
	}
	// Any other pairing rule: an error forbids the pair, a warning costs.
	for pr := range v.Rules() {
		if !worded[pr.ID] {
			rule(pr.ID, "breaks "+string(pr.ID), "breaks "+string(pr.ID))
		}
	}
	if line != "" {
		cost += costLine
		if j != nil {
			j.reasons = append(j.reasons, "in "+who+"'s reporting line: "+line)
		}
	} else if j != nil {
		j.reasons = append(j.reasons, "outside "+who+"'s reporting line")
	}
	cost += s.coachLevelCost(n, crank, ext, j)
	if r.division {
		cost += costDivision
	}
	if r.team {
		cost += costTeam
	}
	return ok, cost
}

func (s *suggester) judgeMentor(n *need, cp *reconcile.Person, crank int, r relation, j *judgement) (bool, int64) {
	who, cname := n.p.Name, cp.Name
	block := func(why string) (bool, int64) {
		if j != nil {
			j.blocks = append(j.blocks, cname+" "+why)
		}
		return false, 0
	}
	if r.self {
		return block("cannot mentor themselves")
	}
	if ok, cost := s.judgeLife(n, r, block); !ok {
		return ok, cost
	}
	switch {
	case r.manager:
		return block("is " + who + "'s manager")
	case r.coach:
		return block("is " + who + "'s coach")
	case n.rank < 0:
		return block("cannot be shown to be more senior: " + who + "'s level is unknown")
	case crank <= n.rank:
		return block(fmt.Sprintf("is not more senior (%s)", s.o.Levels()[crank]))
	case r.lacks:
		return block("has no expertise in " + n.domainName)
	}
	// The mentor rules above are the matcher's (stricter than the rules'
	// warnings); any other pairing rule the one predicate says the pair
	// breaks forbids it at error and costs at warning.
	cost := int64(0)
	v := s.o.JudgePair(reconcile.Pair{Role: reconcile.RoleMentor, Coach: cp, Person: n.p, Domain: n.domainName})
	for pr := range v.Rules() {
		if worded[pr.ID] {
			continue
		}
		switch s.sev[pr.ID] {
		case reconcile.Error:
			return block("breaks " + string(pr.ID) + " (an error)")
		case reconcile.Warning:
			cost += costWarning
			if j != nil {
				j.reasons = append(j.reasons, fmt.Sprintf("breaks %s: %s warning", pr.ID, pr.ID))
			}
		}
	}
	if j != nil {
		j.reasons = append(j.reasons, "knows "+n.domainName)
	}
	cost += s.levelCost(n, crank, false, j)
	if r.skip || r.below {
		cost += costLine
		if j != nil {
			j.reasons = append(j.reasons, "in "+who+"'s reporting line")
		}
	} else if j != nil {
		j.reasons = append(j.reasons, "outside "+who+"'s reporting line")
	}
	if r.team {
		cost += costTeam
	}
	return true, cost
}

// judgeLife blocks the pairs the pairing's life rules out, whatever the
// severities: a pair the Policy's doNotPair lists (in words that do not
// say so: the list is private), a past pairing that ended too recently,
// and the coach or mentor being replaced.
func (s *suggester) judgeLife(n *need, r relation, block func(string) (bool, int64)) (bool, int64) {
	who := n.p.Name
	switch {
	case r.avoid:
		return block("is not available to " + s.role + " " + who)
	case r.recent && r.recentUntil != "":
		return block(fmt.Sprintf("was %s's %s until %s, less than %d months ago", who, s.role, r.recentUntil, s.life.noRepeat))
	case r.recent:
		return block(fmt.Sprintf("was %s's %s before", who, s.role))
	case r.replaced:
		return block("is the " + s.role + " being replaced")
	}
	return true, 0
}

// capacity is how many coachees p takes: their own coaching.capacity when
// set, else coach-capacity's max; -1 when unlimited (the rule is off and p
// sets none).
func (s *suggester) capacity(p *reconcile.Person) int {
	if n, limited := s.o.CoachCapacity(p); limited {
		return max(n, 0)
	}
	if p.Lifecycle().CoachCapacity != nil {
		// coach-capacity is off, but the person's own word still holds.
		return max(*p.Lifecycle().CoachCapacity, 0)
	}
	return -1
}

// worded are the pairing rules judge and judgeMentor decide about in their
// own words (mentors: blocked outright, whatever the rule's severity).
var worded = map[reconcile.RuleID]bool{
	reconcile.RuleCoachIsManager: true, reconcile.RuleCoachInManagementChain: true,
	reconcile.RuleCoachReportsToCoachee: true, reconcile.RuleCoachJunior: true,
	reconcile.RuleRolesNotDistinct: true, reconcile.RuleMentorIsManager: true,
	reconcile.RuleMentorNotSenior: true, reconcile.RuleMentorLacksExpertise: true,
}
