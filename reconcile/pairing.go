package reconcile

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// Roles of a pairing.
const (
	RoleCoach  = "coach"
	RoleMentor = "mentor"
)

// Pair is one coach or mentor pairing, declared or proposed: Coach coaches
// (or, for RoleMentor, mentors in Domain) Person. Both are participating
// people of the Org that judges the pair.
type Pair struct {
	// Role is RoleCoach or RoleMentor.
	Role string
	// Coach is the coach, or the mentor.
	Coach *Person
	// Person is the coachee, or the mentee.
	Person *Person
	// Domain is the mentoring domain; unused for coaches.
	Domain string
	// coachID and personID are the ids of Coach and Person in the Org
	// that judges the pair, plus one, when the checker knows them; 0 when
	// not (the Org then looks the names up).
	coachID, personID int32
}

// ids returns the ids of the pair's coach and person in o, -1 for one who
// does not participate.
func (o *Org) ids(p Pair) (coach, person int32) {
	coach, person = p.coachID-1, p.personID-1
	if p.coachID == 0 {
		coach = o.idOf(p.Coach.Name)
	}
	if p.personID == 0 {
		person = o.idOf(p.Person.Name)
	}
	return coach, person
}

// known reports whether the checker gave the pair's ids (see Pair): the
// rules then read the Org's per-id arrays rather than the two Persons.
func (p Pair) known() bool { return p.coachID != 0 && p.personID != 0 }

// ranks returns the level ranks (levelRank) of the pair's person and coach.
func (o *Org) ranks(p Pair) (person, coach int) {
	if p.known() {
		return o.rankOf(p.personID - 1), o.rankOf(p.coachID - 1)
	}
	return o.levelRank(p.Person), o.levelRank(p.Coach)
}

// PairRule is the part of a Rule that judges one pairing. Adding a pairing
// rule is one registry entry with a PairRule: the checker (for declared
// pairings) and the matcher (for candidates) both pick it up through
// Org.JudgePair.
type PairRule struct {
	// Coach and Mentor say which pairings the rule judges.
	Coach, Mentor bool
	// Breaks reports whether the pair breaks the rule. It is called for
	// every candidate pair of a matcher run: it must not allocate.
	Breaks func(o *Org, p Pair) bool
	// Explain is the finding's message when the pair breaks the rule.
	Explain func(o *Org, p Pair) string
}

func (r *PairRule) judges(role string) bool {
	if role == RoleMentor {
		return r.Mentor
	}
	return r.Coach
}

// pairingRules are the rules of the registry that judge pairings, in
// registry order; a Verdict's bits index it.
func pairingRules() []*Rule { return pairRules }

// Verdict is what JudgePair decides about a pair: whether it is allowed
// and, if not, which rule forbids it; and every pairing rule it breaks at
// the severity in force (warnings included). It is a small value: judging
// a pair allocates nothing.
type Verdict struct {
	// Rule forbids the pair: the first rule, in registry order, that the
	// pair breaks at error severity (or self-reference and
	// inactive-assignee for a pair of one person, or with someone who
	// has departed). "" when the pair is allowed.
	Rule   RuleID
	broken uint64 // bit i: pairingRules()[i] is broken, not off
}

// Allowed reports whether no rule forbids the pair.
func (v Verdict) Allowed() bool { return v.Rule == "" }

// Breaks reports whether the pair breaks rule id (at warning or error).
func (v Verdict) Breaks(id RuleID) bool {
	for i, r := range pairingRules() {
		if r.ID == id {
			return v.broken&(1<<i) != 0
		}
	}
	return false
}

// Rules yields every pairing rule the pair breaks at warning or error, in
// registry order.
func (v Verdict) Rules() iter.Seq[*Rule] {
	return func(yield func(*Rule) bool) {
		for i, r := range pairingRules() {
			if v.broken&(1<<i) != 0 && !yield(r) {
				return
			}
		}
	}
}

// ruleSettings are what the Policy says of the rules, computed once per Org.
type ruleSettings struct {
	severity map[RuleID]Severity
	// pair is the severity of each pairing rule, by its place in
	// pairingRules.
	pair []Severity
	// allowFrom is the rank of coach-is-manager's allowFromLevel, or -1.
	allowFrom int
}

func (o *Org) settings() *ruleSettings {
	o.settingsOnce.Do(func() {
		s := &ruleSettings{severity: ruleSeverities(o.Policy), allowFrom: -1}
		for _, r := range pairingRules() {
			s.pair = append(s.pair, s.severity[r.ID])
		}
		if o.Policy != nil {
			if rc, ok := o.Policy.Rules[string(RuleCoachIsManager)]; ok && rc.AllowFromLevel != "" {
				if r, ok := o.rank[rc.AllowFromLevel]; ok {
					s.allowFrom = r
				}
			}
		}
		o.ruleSettings = s
	})
	return o.ruleSettings
}

// Severity is the severity of a rule in this org: the Policy's, or the
// rule's default. Off for a rule orgctl does not know.
func (o *Org) Severity(id RuleID) Severity { return o.settings().severity[id] }

// CoachCapacity is how many coachees coach may have before coach-capacity
// fires: the coach's own coaching.capacity, else the Policy's
// rules.coach-capacity.max, else DefaultCoachCapacity (the one place the
// default is written). limited is false when the rule is off.
func (o *Org) CoachCapacity(coach *Person) (max int, limited bool) {
	if o.Severity(RuleCoachCapacity) == Off {
		return 0, false
	}
	if coach != nil && coach.Lifecycle().CoachCapacity != nil {
		return *coach.Lifecycle().CoachCapacity, true
	}
	return o.ruleMax(RuleCoachCapacity, DefaultCoachCapacity), true
}

// JudgePair is the one predicate on coach and mentor pairings: it decides
// whether p.Coach may coach (or mentor, in p.Domain) p.Person in this org,
// under its Policy's severities. The checker asks it about every declared
// pairing (and reports every rule the Verdict says is broken); the matcher
// asks it about every candidate (and proposes only allowed pairs, pricing
// the warnings). It is pure, safe for concurrent use, and allocates
// nothing: call it in a hot loop, and Explain only the rules you show.
//
// A pair of one person is forbidden by self-reference, and a coach or
// mentor who has departed by inactive-assignee; neither is a pairing rule,
// so neither sets a bit of the Verdict. Someone on leave is judged like
// anyone else (inactive-assignee warns about them elsewhere).
func (o *Org) JudgePair(p Pair) Verdict {
	switch {
	case p.known():
		// Ids are unique by name: the same answers without reading the
		// coach's Person.
		if p.coachID == p.personID {
			return Verdict{Rule: RuleSelfReference}
		}
		if o.departed(p.coachID - 1) {
			return Verdict{Rule: RuleInactiveAssignee}
		}
	case p.Coach == p.Person || p.Coach.Name == p.Person.Name:
		return Verdict{Rule: RuleSelfReference}
	case p.Coach.Status == schema.StatusDeparted:
		return Verdict{Rule: RuleInactiveAssignee}
	}
	s := o.settings()
	var v Verdict
	for i, r := range pairingRules() {
		sev := s.pair[i]
		if sev == Off || !r.Pairing.judges(p.Role) || !r.Pairing.Breaks(o, p) {
			continue
		}
		v.broken |= 1 << i
		if sev == Error && v.Rule == "" {
			v.Rule = r.ID
		}
	}
	return v
}

// MayPair is JudgePair with words: "" and "" when the pair is allowed,
// else the rule that forbids it and why, as the finding would say it.
func (o *Org) MayPair(p Pair) (RuleID, string) {
	v := o.JudgePair(p)
	if v.Allowed() {
		return "", ""
	}
	return v.Rule, o.Explain(v.Rule, p)
}

// Explain says why pair p breaks rule id, in the words of the finding.
func (o *Org) Explain(id RuleID, p Pair) string {
	switch id {
	case RuleSelfReference:
		return fmt.Sprintf("%s cannot be their own %s", p.Person.Name, p.Role)
	case RuleInactiveAssignee:
		return fmt.Sprintf("%s's %s %s has departed: name someone who is still here", p.Person.Name, p.Role, p.Coach.Name)
	}
	if r, ok := LookupRule(id); ok && r.Pairing != nil {
		return r.Pairing.Explain(o, p)
	}
	return fmt.Sprintf("%s may not %s %s (%s)", p.Coach.Name, p.Role, p.Person.Name, id)
}

// checkPairings runs the pairing rules over every declared pairing through
// JudgePair: a person's mentors first, then their coach, so that
// roles-not-distinct (which both judge) is reported at the mentor entry.
// The people are split into ranges checked in parallel, and the findings
// of the ranges appended in order: the same findings, in the same order,
// as one pass (each finding is about the person of its range, so no
// fingerprint can repeat across ranges).
func checkPairings(c *checker) {
	checkPairingsIn(c, rangesFor(len(c.org.People)))
}

// checkPairingsIn is checkPairings in parts ranges.
func checkPairingsIn(c *checker, parts int) {
	o := c.org
	var counts []int32 // for memo: counts[i+1] findings about person i
	if c.memo != nil {
		counts = make([]int32, len(o.People)+1)
	}
	found := inRanges(len(o.People), parts, func(lo, hi int) []Finding {
		rc := &checker{org: o, seen: map[string]bool{}, severity: c.severity, prior: c.prior, today: c.today}
		for i := int32(lo); i < int32(hi); i++ {
			before := len(rc.findings)
			if fs, ok := c.inc.pairsOf(i); ok {
				rc.findings = append(rc.findings, fs...)
			} else if !o.departed(i) {
				rc.judgePairings(i)
			}
			if counts != nil {
				counts[i+1] = int32(len(rc.findings) - before)
			}
		}
		return rc.findings
	})
	start := len(c.findings)
	for _, f := range found {
		c.findings = append(c.findings, f...)
	}
	if counts != nil {
		for i := range len(o.People) {
			counts[i+1] += counts[i]
		}
		c.memo.pairStart, c.memo.pairs = counts, slices.Clip(c.findings[start:])
	}
}

// judgePairings judges the pairings of person i, who has not departed:
// their mentors first, then their coach.
func (c *checker) judgePairings(i int32) {
	o := c.org
	p := o.People[i]
	for j, id := range o.mentorsOf(i) {
		if id >= 0 && id != i && !o.departed(id) {
			m := &p.Mentors[j]
			c.emitPair(Pair{Role: RoleMentor, Coach: o.People[id], Person: p, Domain: m.Domain, coachID: id + 1, personID: i + 1}, m.Pos)
		}
	}
	if id := o.coach[i]; id >= 0 && !o.departed(id) {
		c.emitPair(Pair{Role: RoleCoach, Coach: o.People[id], Person: p, coachID: id + 1, personID: i + 1}, p.CoachPos)
	}
}

// emitPair reports every pairing rule pr breaks, at pos in the
// person's document.
func (c *checker) emitPair(pr Pair, pos schema.Pos) {
	o := c.org
	for r := range o.JudgePair(pr).Rules() {
		c.emit(r.ID, SubjectPerson, pr.Person.Name, pr.Coach.Name, *pr.Person.Source, pos, Off, "%s", o.Explain(r.ID, pr))
	}
}

// The pairing rules' tests and words. Each test must not allocate: the
// matcher calls it for every candidate.

func coachIsManager(o *Org, p Pair) bool {
	coach, person := o.ids(p)
	if person < 0 || coach < 0 || o.mgr[person] != coach {
		return false
	}
	allowFrom := o.settings().allowFrom
	if allowFrom < 0 {
		return true
	}
	rank, _ := o.ranks(p)
	return rank < allowFrom
}

func explainCoachIsManager(_ *Org, p Pair) string {
	return fmt.Sprintf("%s is both manager and coach of %s: a coach should be someone %s can be fully candid with, outside the reporting line",
		p.Coach.Name, p.Person.Name, p.Person.Name)
}

func coachInChain(o *Org, p Pair) bool {
	// Chains are walked until someone repeats, so a loop above (or
	// around) the person hides nothing.
	coach, person := o.ids(p)
	if person < 0 || coach < 0 {
		return false
	}
	m := o.mgr[person]
	return m >= 0 && m != coach && o.above(coach, m)
}

func explainCoachInChain(_ *Org, p Pair) string {
	return fmt.Sprintf("%s's coach %s is a skip-level manager of %s: prefer a coach outside the reporting line", p.Person.Name, p.Coach.Name, p.Person.Name)
}

func coachReportsToCoachee(o *Org, p Pair) bool {
	coach, person := o.ids(p)
	return person >= 0 && coach >= 0 && o.above(person, coach)
}

func explainCoachReportsToCoachee(_ *Org, p Pair) string {
	return fmt.Sprintf("%s's coach %s reports (directly or not) to %s: a coach should not depend on the coachee", p.Person.Name, p.Coach.Name, p.Person.Name)
}

func coachJunior(o *Org, p Pair) bool {
	pr, cr := o.ranks(p)
	return pr >= 0 && cr >= 0 && cr < pr
}

func explainCoachJunior(_ *Org, p Pair) string {
	return fmt.Sprintf("%s (%s) is coached by %s (%s), who is more junior: choose a peer or someone more senior", p.Person.Name, p.Person.Level, p.Coach.Name, p.Coach.Level)
}

func mentorIsManager(o *Org, p Pair) bool {
	coach, person := o.ids(p)
	return person >= 0 && coach >= 0 && o.mgr[person] == coach
}

func explainMentorIsManager(_ *Org, p Pair) string {
	return fmt.Sprintf("%s mentors %s in %s and is also their manager: find a mentor outside the reporting line", p.Coach.Name, p.Person.Name, p.Domain)
}

// rolesNotDistinct: a mentor who is the person's coach, or a coach who is
// one of their mentors.
func rolesNotDistinct(o *Org, p Pair) bool {
	if p.known() {
		// The coach participates, so a name equals theirs exactly when it
		// resolved to their id.
		coach, person := p.coachID-1, p.personID-1
		if p.Role == RoleMentor {
			return o.coach[person] == coach
		}
		return slices.Contains(o.mentorsOf(person), coach)
	}
	if p.Role == RoleMentor {
		return p.Person.Coach == p.Coach.Name
	}
	for _, m := range p.Person.Mentors {
		if m.Person == p.Coach.Name {
			return true
		}
	}
	return false
}

func explainRolesNotDistinct(_ *Org, p Pair) string {
	return fmt.Sprintf("%s is both coach and mentor of %s: keep one role and find someone else for the other", p.Coach.Name, p.Person.Name)
}

func mentorNotSenior(o *Org, p Pair) bool {
	pr, mr := o.ranks(p)
	return pr >= 0 && mr >= 0 && mr <= pr
}

func explainMentorNotSenior(_ *Org, p Pair) string {
	return fmt.Sprintf("%s (%s) mentors %s (%s) but is not more senior: a mentor needs more experience than the mentee", p.Coach.Name, p.Coach.Level, p.Person.Name, p.Person.Level)
}

func mentorLacksExpertise(_ *Org, p Pair) bool { return !hasExpertise(p.Coach, p.Domain) }

func explainMentorLacksExpertise(_ *Org, p Pair) string {
	return fmt.Sprintf("%s mentors %s in %q, which is not in %s's expertise: add it if true, or choose a mentor who has it", p.Coach.Name, p.Person.Name, p.Domain, p.Coach.Name)
}

func hasExpertise(p *Person, domain string) bool {
	d := strings.TrimSpace(domain)
	for _, e := range p.Expertise {
		if strings.EqualFold(strings.TrimSpace(e), d) {
			return true
		}
	}
	return false
}
