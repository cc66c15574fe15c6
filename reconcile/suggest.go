package reconcile

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// Roles a suggestion can fill.
const (
	RoleCoach  = "coach"
	RoleMentor = "mentor"
)

// SuggestRequest says whom to find coaches or mentors for.
type SuggestRequest struct {
	// Role is RoleCoach (the default when empty) or RoleMentor.
	Role string
	// Domain is the mentoring domain; required for RoleMentor.
	Domain string
	// People limits the request to these people; empty means everyone who
	// needs one.
	People []string
}

// Suggestion proposes Candidate as Person's coach or mentor.
type Suggestion struct {
	Person    string `json:"person"`
	Role      string `json:"role"`
	Candidate string `json:"candidate"`
	// Domain is the mentoring domain; empty for coaches.
	Domain string `json:"domain"`
	// Reasons say, in words, why the candidate fits.
	Reasons []string `json:"reasons"`
	// Replaces is the coach or mentor whose pairing breaks an error rule and
	// that the candidate takes over from; empty when the person has none.
	Replaces string `json:"-"`
	// Entry is the index in spec.mentors of the entry to change for a
	// mentor that is replaced, or -1 when an entry is to be added.
	Entry int `json:"-"`
	// Fixes is the fingerprint of the finding the suggestion resolves
	// (missing-coach/PERSON, coach-is-manager/PERSON/COACH, ...); empty for
	// mentors, which answer a request rather than a finding.
	Fixes string `json:"-"`
}

// Unmatched is a person who needs a coach or mentor but gets no
// suggestion, and why.
type Unmatched struct {
	Person string `json:"person"`
	Role   string `json:"role"`
	Why    string `json:"why"`
}

// NotNeeded is a person named in the request who needs no suggestion.
type NotNeeded struct {
	Person string
	Why    string
}

// SuggestStats describes the assignment, for benchmarks and tests.
type SuggestStats struct {
	// Needy is how many people need one; Matched how many got one, which
	// is the most any assignment could match (see Suggest for the one
	// exception, mutual pairs).
	Needy, Matched int
	// Cost is the total cost of the assignment (see the weights in
	// suggest.go); FlowCost is the cost of the flow it was decomposed from,
	// and always equals Cost.
	Cost, FlowCost int64
	// Rounds is how many times the flow was solved: once, plus once per
	// refinement when a grouped solution could not be decomposed, plus
	// once per repair of mutual pairs.
	Rounds int
	// Phases is the number of shortest-path phases over all rounds.
	Phases int
	// Nodes and Edges are the size of the last flow network.
	Nodes, Edges int
	// Expanded is how many (person, candidate group) pairs had to be
	// spelt out candidate by candidate.
	Expanded int
	// Forbidden is how many coach→coachee directions the mutual-pair repair
	// ruled out, and Repairs how many times it re-solved the flow.
	Forbidden, Repairs int
}

// SuggestResult is what Suggest returns: suggestions and the people left
// without one, sorted by person, and a summary a people team can judge the
// run by.
type SuggestResult struct {
	Suggestions []Suggestion `json:"suggestions"`
	Unmatched   []Unmatched  `json:"unmatched"`
	// Quality summarises the suggestions (see SuggestQuality).
	Quality SuggestQuality `json:"quality"`
	// NotNeeded lists people named in the request who need nothing.
	NotNeeded []NotNeeded  `json:"-"`
	Stats     SuggestStats `json:"-"`
}

// Costs of a pairing, in integer units. Each criterion outweighs
// everything below it for one pairing (on ladders of up to levelClamp
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
// slot costs costLoad per coachee before it, at most loadClamp, and with
// a coach-capacity max nobody has more than max-1 before their last slot.
func (s *suggester) slotSpread() int64 {
	if s.capMax >= 0 && s.role == RoleCoach {
		return costLoad * int64(min(loadClamp, max(s.capMax-1, 0)))
	}
	return costLoad * loadClamp
}

// Suggest proposes coaches (or mentors in a domain) for the people who need
// one, honouring every rule at error severity and coaching capacity, as one
// global assignment: first the most people matched, then the least total
// cost (see the cost constants). It is deterministic and does not depend
// on names or on the order of documents: equal costs are settled by a
// stable hash of the pair (FNV-1a of "coach\x00coachee"), never by name.
//
// A person needs a coach when they have a missing-coach finding, or when
// their coach breaks a rule at error severity (coach-is-manager, a departed
// coach, self-reference, or a coach rule the Policy raised to error) and the
// finding is not exempt. A person needs a mentor in the domain when a mentor
// of theirs in that domain has departed, or, when people are named, when
// they have no active mentor in it.
//
// No suggestion makes a mutual pair (A coaches B and B coaches A): a
// candidate whom the person coaches already is never suggested, and pairs
// that the assignment would make mutual are repaired by forbidding one
// direction of each and solving again, until none is left. The direction
// forbidden is fixed in advance (the more senior coaches; between equals
// the pair's hash decides), so the result is at least as good as the best
// assignment in which every such pair may only go the fixed way, and has
// no mutual pair; it is not always the best of all assignments without
// mutual pairs (finding that is NP-hard in general).
//
// The assignment is a min-cost max-flow. Candidates are grouped by level
// and top-level division (and expertise for mentors): a person's edge to a
// group stands for every member with whom the person has nothing in
// particular (not themselves, not in their reporting line, not in their
// team, not already their mentor, coach or coachee), so the network stays
// small for 100,000 people. That network is a relaxation; its optimum is
// decomposed into real pairs group by group with a bipartite matching that
// keeps each person away from their particular members. When that fails
// for someone, their edge to the group is replaced by edges to the group's
// members spelt out by their exact cost, and the flow is solved again; a
// decomposition that succeeds has the relaxation's count and cost, so it
// is optimal.
func (o *Org) Suggest(res Result, req SuggestRequest) (SuggestResult, error) {
	return o.suggest(res, req, suggestOptions{})
}

// suggestOptions are knobs for tests.
type suggestOptions struct {
	// expandAll spells every group out for every person from the start.
	expandAll bool
}

func (o *Org) suggest(res Result, req SuggestRequest, opts suggestOptions) (SuggestResult, error) {
	s, err := newSuggester(o, res, req)
	if err != nil {
		return SuggestResult{}, err
	}
	out := SuggestResult{Suggestions: []Suggestion{}, Unmatched: []Unmatched{}, NotNeeded: s.notNeeded}
	if len(s.needs) == 0 {
		out.Quality = s.quality(nil)
		return out, nil
	}
	s.buildCandidates()
	a := s.assign(opts)
	for {
		mutual := s.mutualPairs(a.to)
		if len(mutual) == 0 {
			break
		}
		for _, m := range mutual {
			s.forbidDirection(m[0], m[1], a.to)
		}
		repairs, forbidden := a.stats.Repairs+1, a.stats.Forbidden+len(mutual)
		prev := a.stats
		a = s.assign(opts)
		a.stats.Rounds += prev.Rounds
		a.stats.Phases += prev.Phases
		a.stats.Repairs, a.stats.Forbidden = repairs, forbidden
	}
	out.Stats = a.stats
	s.given = map[*cand]int{}
	for _, c := range a.to {
		if c != nil {
			s.given[c]++
		}
	}
	for i, n := range s.needs {
		c := a.to[i]
		if c == nil {
			out.Unmatched = append(out.Unmatched, Unmatched{Person: n.p.Name, Role: s.role, Why: s.whyUnmatched(n)})
			continue
		}
		out.Suggestions = append(out.Suggestions, Suggestion{
			Person: n.p.Name, Role: s.role, Candidate: c.p.Name, Domain: s.domain,
			Reasons: s.reasons(n, c), Replaces: n.replaces, Entry: n.entry, Fixes: n.fixes,
		})
	}
	slices.SortFunc(out.Suggestions, func(a, b Suggestion) int { return strings.Compare(a.Person, b.Person) })
	slices.SortFunc(out.Unmatched, func(a, b Unmatched) int { return strings.Compare(a.Person, b.Person) })
	out.Quality = s.quality(out.Suggestions)
	return out, nil
}

// need is a person who needs a coach or mentor.
type need struct {
	p          *Person
	idx        int // index in suggester.needs
	rank       int
	div        int    // top-level division, or -1
	hash       uint64 // FNV-1a of the name: the order needs enter the flow
	replaces   string // the assignee being replaced, if any
	replaceWhy string // why, in words
	fixes      string // fingerprint of the finding resolved, if any
	entry      int    // mentors entry to replace, or -1
	manager    string // known effective manager
	manages    bool   // has reports: someone may report to them
}

// cand is a person who could coach or mentor.
type cand struct {
	p     *Person
	rank  int    // -1: external or level not on the ladder
	div   int    // top-level division, or -1 (external, or no team)
	hash  uint64 // FNV-1a of the name
	load  int    // current coachees or mentees, not counting the ones being re-assigned
	room  int    // slots left
	class int
	// coachOf is the person this candidate is coached by and keeps
	// (their declared coach, unless it is being replaced); empty if none.
	coachOf string
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
	division           bool
}

func (r relation) any() bool {
	return r.self || r.manager || r.skip || r.below || r.team || r.mentor || r.coach || r.coachee || r.forbidden
}

// suggester holds one request's view of the org.
type suggester struct {
	o         *Org
	role      string
	domain    string
	sev       map[string]Severity
	allowFrom int // coach-is-manager allowFromLevel rank, or -1
	cfa       int // coaching.coachFromAbove rank: below it, coaches come from above
	capMax    int // coach-capacity max, or -1 when unlimited
	needs     []*need
	needOf    map[string]int // person name → index in needs
	notNeeded []NotNeeded
	reassign  map[string]bool // people whose current assignee is being replaced
	divisions []string        // division names, sorted; need.div and cand.div index it
	divOf     map[string]int  // team name → division

	cands   []*cand
	classes []*candClass

	expanded []map[int]bool         // class → need indexes spelt out
	forbid   map[int]map[*cand]bool // need index → candidates ruled out by the mutual-pair repair
	given    map[*cand]int          // new coachees per candidate in the final assignment
	generic  map[*candClass][]genericVerdict
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

func newSuggester(o *Org, res Result, req SuggestRequest) (*suggester, error) {
	s := &suggester{o: o, role: req.Role, domain: strings.TrimSpace(req.Domain), sev: ruleSeverities(o.Policy), allowFrom: -1, reassign: map[string]bool{}}
	switch s.role {
	case "", RoleCoach:
		s.role = RoleCoach
		if s.domain != "" {
			return nil, fmt.Errorf("a domain is for mentors: drop the domain, or ask for role %q", RoleMentor)
		}
	case RoleMentor:
		if s.domain == "" {
			return nil, fmt.Errorf("mentoring is always in a domain: name one (e.g. kubernetes)")
		}
	default:
		return nil, fmt.Errorf("unknown role %q: use %s or %s", req.Role, RoleCoach, RoleMentor)
	}
	if o.Policy != nil {
		if rc, ok := o.Policy.Rules["coach-is-manager"]; ok && rc.AllowFromLevel != "" {
			if r, ok := o.rank[rc.AllowFromLevel]; ok {
				s.allowFrom = r
			}
		}
	}
	cfa, err := o.coachFromAbove()
	if err != nil {
		return nil, err
	}
	s.cfa = cfa
	s.capMax = o.ruleMax("coach-capacity", 5)
	if s.sev["coach-capacity"] == Off {
		s.capMax = -1
	}
	for _, name := range req.People {
		if o.person[name] == nil {
			if o.personNames[name] {
				return nil, fmt.Errorf("%s's document has errors, so orgctl cannot suggest for them: run orgctl validate and fix it first", name)
			}
			names := slices.Sorted(maps.Keys(o.person))
			return nil, fmt.Errorf("no person named %q%s", name, didYouMean(name, names))
		}
	}
	if s.role == RoleCoach {
		s.coachNeeds(res, req.People)
	} else {
		s.mentorNeeds(res, req.People)
	}
	s.divisions, s.divOf = o.divisions()
	for _, n := range s.needs {
		n.hash = nameHash(n.p.Name)
	}
	// Needs enter the flow in hash order, so that names decide nothing.
	slices.SortFunc(s.needs, func(a, b *need) int {
		return cmp.Or(cmp.Compare(a.hash, b.hash), strings.Compare(a.p.Name, b.p.Name))
	})
	slices.SortFunc(s.notNeeded, func(a, b NotNeeded) int { return strings.Compare(a.Person, b.Person) })
	hasReports := map[string]bool{}
	for _, p := range o.People {
		if m := o.manager[p.Name]; m.Known() {
			hasReports[m.Name] = true
		}
	}
	s.needOf = make(map[string]int, len(s.needs))
	for i, n := range s.needs {
		s.needOf[n.p.Name] = i
		n.idx = i
		n.rank = o.levelRank(n.p)
		n.div = s.division(n.p)
		if m := o.manager[n.p.Name]; m.Known() {
			n.manager = m.Name
		}
		n.manages = hasReports[n.p.Name]
	}
	return s, nil
}

// coachFromAbove returns the rank of Policy.spec.coaching.coachFromAbove:
// "senior" when unset (or the middle of a ladder that has no senior).
func (o *Org) coachFromAbove() (int, error) {
	name := ""
	if o.Policy != nil {
		name = o.Policy.Coaching.CoachFromAbove
	}
	if name == "" {
		if r, ok := o.rank["senior"]; ok {
			return r, nil
		}
		return len(o.levels) / 2, nil
	}
	r, ok := o.rank[name]
	if !ok {
		return 0, fmt.Errorf("the Policy's coaching.coachFromAbove %q is not a level of the ladder%s: set it to one of %s", name, didYouMean(name, o.levels), strings.Join(o.levels, ", "))
	}
	return r, nil
}

// divisions names the top-level division of every team: the team just
// below the root of its tree (or the root itself), so that "another
// division" means the distance in the team tree, not merely another team.
// It returns the division names, sorted, and each team's index into them.
func (o *Org) divisions() ([]string, map[string]int) {
	top := map[string]string{}
	for _, t := range o.Teams {
		// t's path to the root of its tree; a parent loop keeps t as its own
		// division.
		path := []string{t.Name}
		var seen visited
		seen.add(t.Name)
		loop := false
		for tt := t; tt.Parent != ""; {
			next := o.team[tt.Parent]
			if next == nil {
				break
			}
			if seen.has(next.Name) {
				loop = true
				break
			}
			seen.add(next.Name)
			path = append(path, next.Name)
			tt = next
		}
		switch {
		case loop || len(path) == 1:
			top[t.Name] = t.Name
		default:
			top[t.Name] = path[len(path)-2]
		}
	}
	names := slices.Sorted(maps.Values(top))
	names = slices.Compact(names)
	idx := make(map[string]int, len(top))
	for t, d := range top {
		i, _ := slices.BinarySearch(names, d)
		idx[t] = i
	}
	return names, idx
}

// division is p's top-level division, or -1 for externals and people
// whose team is not known.
func (s *suggester) division(p *Person) int {
	if p.External || p.Team == "" {
		return -1
	}
	if d, ok := s.divOf[p.Team]; ok {
		return d
	}
	return -1
}

// coachRules are the rules about a person's coach that make them need a new
// one when they fire at error severity.
var coachRules = map[string]bool{
	"coach-is-manager": true, "coach-in-management-chain": true, "coach-reports-to-coachee": true,
	"coach-junior": true, "roles-not-distinct": true, "inactive-assignee": true,
}

func (s *suggester) coachNeeds(res Result, named []string) {
	o := s.o
	type state struct {
		missing bool
		rule    string // a coach rule at error severity
		fp      string // the fingerprint of the missing-coach or rule finding
		exempt  string // an exempt finding that would otherwise count
	}
	st := map[string]*state{}
	get := func(n string) *state {
		if st[n] == nil {
			st[n] = &state{}
		}
		return st[n]
	}
	for _, f := range res.Findings {
		p := o.person[f.Subject]
		if p == nil {
			continue
		}
		switch {
		case f.Rule == "missing-coach":
			if f.Exempt {
				get(p.Name).exempt = f.Rule
			} else {
				x := get(p.Name)
				x.missing, x.fp = true, f.Fingerprint
			}
		case f.Severity == Error && p.Coach != "" && (f.Rule == "self-reference" && p.Coach == p.Name || coachRules[f.Rule] && f.Other == p.Coach):
			if f.Rule == "inactive-assignee" {
				if c := o.person[p.Coach]; c == nil || c.Status != schema.StatusDeparted {
					continue
				}
			}
			switch x := get(p.Name); {
			case f.Exempt:
				x.exempt = f.Rule
			case x.rule == "":
				x.rule = f.Rule
				if !x.missing {
					x.fp = f.Fingerprint
				}
			}
		}
	}
	add := func(p *Person, x *state) {
		n := &need{p: p, entry: -1, fixes: x.fp}
		if !x.missing {
			n.replaces = p.Coach
			n.replaceWhy = replaceWhy(x.rule, p)
			s.reassign[p.Name] = true
		}
		s.needs = append(s.needs, n)
	}
	if len(named) == 0 {
		for _, p := range o.People {
			if x := st[p.Name]; x != nil && (x.missing || x.rule != "") && p.Status != schema.StatusDeparted {
				add(p, x)
			}
		}
		return
	}
	seen := map[string]bool{}
	for _, name := range named {
		if seen[name] {
			continue
		}
		seen[name] = true
		p := o.person[name]
		x := st[name]
		if x != nil && (x.missing || x.rule != "") && p.Status != schema.StatusDeparted {
			add(p, x)
			continue
		}
		exempt := ""
		if x != nil {
			exempt = x.exempt
		}
		s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: s.whyNoCoachNeeded(p, exempt)})
	}
}

func replaceWhy(rule string, p *Person) string {
	switch rule {
	case "coach-is-manager":
		return fmt.Sprintf("who is also %s's manager", p.Name)
	case "inactive-assignee":
		return "who has departed"
	case "self-reference":
		return fmt.Sprintf("the self-reference: %s is named as their own coach", p.Name)
	case "coach-junior":
		return "who is more junior (coach-junior is an error in this org)"
	case "coach-in-management-chain":
		return fmt.Sprintf("a skip-level manager of %s (coach-in-management-chain is an error in this org)", p.Name)
	case "coach-reports-to-coachee":
		return fmt.Sprintf("who reports to %s (coach-reports-to-coachee is an error in this org)", p.Name)
	case "roles-not-distinct":
		return fmt.Sprintf("who also mentors %s (roles-not-distinct is an error in this org)", p.Name)
	}
	return "(" + rule + ")"
}

func (s *suggester) whyNoCoachNeeded(p *Person, exempt string) string {
	o := s.o
	switch {
	case p.Status == schema.StatusDeparted:
		return fmt.Sprintf("%s has departed and needs no coach", p.Name)
	case p.External:
		return fmt.Sprintf("%s is external and needs no coach from this org", p.Name)
	case exempt != "":
		return fmt.Sprintf("%s's %s finding is exempt in the Policy", p.Name, exempt)
	case p.Coach == "" && p.Status == schema.StatusLeave:
		return fmt.Sprintf("%s is on leave; missing-coach applies again once %s is back", p.Name, p.Name)
	case p.Coach == "":
		return fmt.Sprintf("%s has no coach, but missing-coach is off in the Policy", p.Name)
	case o.person[p.Coach] == nil:
		return fmt.Sprintf("%s's coach %q names nobody orgctl can check: fix the name first (see unknown-reference)", p.Name, p.Coach)
	}
	return fmt.Sprintf("%s already has a coach (%s) that breaks no error rule", p.Name, p.Coach)
}

func (s *suggester) mentorNeeds(res Result, named []string) {
	o := s.o
	inDomain := func(m schema.Mentor) bool {
		return strings.EqualFold(strings.TrimSpace(m.Domain), s.domain)
	}
	departedEntry := func(p *Person) int {
		for i, m := range p.Mentors {
			if a := o.person[m.Person]; a != nil && a != p && inDomain(m) && a.Status == schema.StatusDeparted {
				return i
			}
		}
		return -1
	}
	errorOn := map[string]bool{} // inactive-assignee fingerprints at error, not exempt
	for _, f := range res.Findings {
		if f.Rule == "inactive-assignee" && f.Severity == Error && !f.Exempt {
			errorOn[f.Subject+"/"+f.Other] = true
		}
	}
	add := func(p *Person, entry int) {
		n := &need{p: p, entry: entry}
		if entry >= 0 {
			n.replaces = p.Mentors[entry].Person
			n.replaceWhy = "who has departed"
			s.reassign[p.Name] = true
		}
		s.needs = append(s.needs, n)
	}
	if len(named) == 0 {
		for _, p := range o.People {
			if p.Status == schema.StatusDeparted {
				continue
			}
			if i := departedEntry(p); i >= 0 && errorOn[p.Name+"/"+p.Mentors[i].Person] {
				add(p, i)
			}
		}
		return
	}
	seen := map[string]bool{}
	for _, name := range named {
		if seen[name] {
			continue
		}
		seen[name] = true
		p := o.person[name]
		switch {
		case p.Status == schema.StatusDeparted:
			s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: fmt.Sprintf("%s has departed and needs no mentor", name)})
			continue
		case p.External:
			s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: fmt.Sprintf("%s is external and gets no mentor from this org", name)})
			continue
		}
		why := ""
		for _, m := range p.Mentors {
			if !inDomain(m) {
				continue
			}
			switch a := o.person[m.Person]; {
			case a == nil:
				why = fmt.Sprintf("%s's mentor in %s, %q, names nobody orgctl can check: fix the name first (see unknown-reference)", name, s.domain, m.Person)
			case a != p && a.Status != schema.StatusDeparted:
				why = fmt.Sprintf("%s is already mentored in %s by %s", name, s.domain, a.Name)
			}
			if why != "" {
				break
			}
		}
		if why != "" {
			s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: why})
			continue
		}
		add(p, departedEntry(p))
	}
}

// buildCandidates lists who could take the role, with their load and the
// slots they have left, grouped into classes by level.
func (s *suggester) buildCandidates() {
	o := s.o
	load := map[string]int{}
	entry := map[string]int{}
	for _, n := range s.needs {
		entry[n.p.Name] = n.entry
	}
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
			if m.Person != p.Name && !(s.reassign[p.Name] && i == entry[p.Name]) {
				load[m.Person]++
			}
		}
	}
	levels := len(o.levels)
	// Classes: one per level (then external, then internal with a level
	// that is not on the ladder) and top-level division.
	type classKey struct{ slot, div int }
	index := map[classKey]*candClass{}
	unlimited := len(s.needs)
	for _, p := range o.People {
		if p.Status != schema.StatusActive {
			continue
		}
		c := &cand{p: p, rank: o.levelRank(p), div: s.division(p), hash: nameHash(p.Name), load: load[p.Name]}
		if s.role == RoleMentor && (c.rank < 0 || !hasExpertise(p, s.domain)) {
			continue
		}
		c.room = unlimited
		if s.role == RoleCoach && s.capMax >= 0 {
			c.room = s.capMax - c.load
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
		k := classKey{slot, c.div}
		if index[k] == nil {
			index[k] = &candClass{rank: c.rank, external: p.External, div: c.div}
			if slot >= levels {
				index[k].rank = -1
			}
		}
		s.cands = append(s.cands, c)
	}
	keys := slices.SortedFunc(maps.Keys(index), func(a, b classKey) int {
		return cmp.Or(cmp.Compare(a.slot, b.slot), cmp.Compare(a.div, b.div))
	})
	classOf := make(map[*candClass]int, len(keys))
	for i, k := range keys {
		s.classes = append(s.classes, index[k])
		classOf[index[k]] = i
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
		k := index[classKey{slot, c.div}]
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
func (s *suggester) judge(n *need, cname string, crank int, ext bool, r relation, j *judgement) (bool, int64) {
	if s.role == RoleMentor {
		return s.judgeMentor(n, cname, crank, r, j)
	}
	ok, cost := true, int64(0)
	who := n.p.Name
	rule := func(id, block, reason string) {
		switch s.sev[id] {
		case Error:
			ok = false
			if j != nil {
				j.blocks = append(j.blocks, fmt.Sprintf("%s %s (%s is an error)", cname, block, id))
			}
		case Warning:
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
	line := ""
	switch {
	case r.manager:
		line = fmt.Sprintf("%s's manager", who)
		if s.allowFrom >= 0 && n.rank >= s.allowFrom {
			line += fmt.Sprintf(" (allowed from %s up)", s.o.levels[s.allowFrom])
		} else {
			rule("coach-is-manager", "is "+who+"'s manager", "is "+who+"'s manager")
		}
	case r.skip:
		line = "a skip-level manager of " + who
		rule("coach-in-management-chain", "is a skip-level manager of "+who, line)
	}
	if r.below && s.sev["coach-reports-to-coachee"] != Off {
		// Never proposed, whatever the rule's severity: a coach who depends
		// on the coachee for pay and promotion cannot be the neutral thought
		// partner coaching needs (seeds 000, 002). The checker still only
		// warns about a pairing someone chose on purpose; the top of an org,
		// whom everyone reports to, is left unmatched with a pointer to an
		// external coach.
		return block("reports to " + who + " (a coach must not depend on the coachee)")
	}
	if n.rank >= 0 && crank >= 0 && crank < n.rank {
		rule("coach-junior", fmt.Sprintf("is more junior (%s)", s.o.levels[crank]), fmt.Sprintf("more junior (%s)", s.o.levels[crank]))
	}
	if r.mentor {
		rule("roles-not-distinct", "already mentors "+who, "already mentors "+who)
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
	cfaName := s.o.levels[s.cfa]
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
		say("level %s (%s's level is unknown)", s.o.levels[crank], n.p.Name)
		return below()
	}
	lv := s.o.levels[crank]
	d := crank - n.rank
	if n.rank < s.cfa {
		if d <= 0 {
			switch {
			case d == 0:
				say("a peer (%s), though people below %s are coached from above where there is room", lv, cfaName)
			case s.sev["coach-junior"] == Off:
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
		if s.sev["coach-junior"] == Off {
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
			j.reasons = append(j.reasons, fmt.Sprintf("level %s (%s's level is unknown)", s.o.levels[crank], n.p.Name))
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
		lv := s.o.levels[crank]
		switch {
		case d == 0:
			j.reasons = append(j.reasons, fmt.Sprintf("a peer (%s)", lv))
		case d > 0:
			j.reasons = append(j.reasons, fmt.Sprintf("%s up (%s)", levelWords(d), lv))
		case s.sev["coach-junior"] == Off:
			// otherwise the coach-junior warning says it
			j.reasons = append(j.reasons, fmt.Sprintf("more junior (%s)", lv))
		}
	}
	return costLevel * int64(min(steps, levelClamp))
}

func levelWords(d int) string {
	words := []string{"", "one level", "two levels", "three levels", "four levels", "five levels", "six levels"}
	if d < len(words) {
		return words[d]
	}
	return fmt.Sprintf("%d levels", d)
}

func (s *suggester) judgeMentor(n *need, cname string, crank int, r relation, j *judgement) (bool, int64) {
	who := n.p.Name
	block := func(why string) (bool, int64) {
		if j != nil {
			j.blocks = append(j.blocks, cname+" "+why)
		}
		return false, 0
	}
	switch {
	case r.self:
		return block("cannot mentor themselves")
	case r.manager:
		return block("is " + who + "'s manager")
	case r.coach:
		return block("is " + who + "'s coach")
	case n.rank < 0:
		return block("cannot be shown to be more senior: " + who + "'s level is unknown")
	case crank <= n.rank:
		return block(fmt.Sprintf("is not more senior (%s)", s.o.levels[crank]))
	}
	if j != nil {
		j.reasons = append(j.reasons, "knows "+s.domain)
	}
	cost := s.levelCost(n, crank, false, j)
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

// pairCost is the exact cost of giving n candidate c, without the load.
func (s *suggester) pairCost(n *need, c *cand) (bool, int64) {
	return s.judge(n, c.p.Name, c.rank, c.p.External, s.relate(n, c), nil)
}

// genericCost is the cost of n with a member of class k with whom n has
// nothing in particular.
func (s *suggester) genericCost(n *need, k *candClass) (bool, int64) {
	same := n.div >= 0 && n.div == k.div
	// The verdict depends only on n's level, the class and whether they
	// share a division: remember it, as every person asks every class.
	if s.generic == nil {
		s.generic = map[*candClass][]genericVerdict{}
	}
	memo := s.generic[k]
	if memo == nil {
		memo = make([]genericVerdict, 2*(len(s.o.levels)+1))
		s.generic[k] = memo
	}
	i := 2 * (n.rank + 1)
	if same {
		i++
	}
	if v := memo[i]; v.known {
		return v.ok, v.cost
	}
	ok, cost := s.judge(n, "", k.rank, k.external, relation{division: same}, nil)
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

// reasons says why candidate c suits n.
func (s *suggester) reasons(n *need, c *cand) []string {
	var j judgement
	s.judge(n, c.p.Name, c.rank, c.p.External, s.relate(n, c), &j)
	var out []string
	if n.replaces != "" {
		if n.replaces == n.p.Name {
			out = append(out, "replaces "+n.replaceWhy)
		} else {
			out = append(out, "replaces "+n.replaces+", "+n.replaceWhy)
		}
	}
	out = append(out, j.reasons...)
	if d := s.distanceWords(n, c); d != "" {
		out = append(out, d)
	}
	after := c.load + s.given[c]
	switch {
	case s.role == RoleCoach && s.capMax >= 0:
		out = append(out, fmt.Sprintf("%d of %d coaching slots used after this run", after, s.capMax))
	default:
		verb := "coaches"
		if s.role == RoleMentor {
			verb = "mentors"
		}
		if after == 1 {
			out = append(out, verb+" 1 person after this run")
		} else {
			out = append(out, fmt.Sprintf("%s %d people after this run", verb, after))
		}
	}
	return out
}

// distanceWords says how far apart n and c sit in the team tree.
func (s *suggester) distanceWords(n *need, c *cand) string {
	switch {
	case c.p.External:
		return "from outside the company"
	case c.p.Team == "" || n.p.Team == "":
		return ""
	case c.p.Team == n.p.Team:
		return fmt.Sprintf("in the same team (%s)", c.p.Team)
	case c.div >= 0 && c.div == n.div:
		return fmt.Sprintf("in another team of the same division (%s, %s)", s.divisions[c.div], teamsApart(s.o.teamDistance(n.p.Team, c.p.Team)))
	case c.div >= 0:
		return fmt.Sprintf("in another division (%s)", s.divisions[c.div])
	}
	return fmt.Sprintf("in another team (%s)", c.p.Team)
}

func teamsApart(d int) string {
	if d < 0 {
		return "teams unrelated"
	}
	if d == 1 {
		return "1 step apart in the team tree"
	}
	return fmt.Sprintf("%d steps apart in the team tree", d)
}

// teamDistance is the number of parent links between teams a and b, or -1
// when they are not in one tree (or a parent loop gets in the way).
func (o *Org) teamDistance(a, b string) int {
	up := func(t string) []string {
		var path []string
		var seen visited
		for t != "" && !seen.has(t) && o.team[t] != nil {
			seen.add(t)
			path = append(path, t)
			t = o.team[t].Parent
		}
		return path
	}
	pa, pb := up(a), up(b)
	at := make(map[string]int, len(pa))
	for i, t := range pa {
		at[t] = i
	}
	for j, t := range pb {
		if i, ok := at[t]; ok {
			return i + j
		}
	}
	return -1
}

// whyUnmatched explains why n got nobody.
func (s *suggester) whyUnmatched(n *need) string {
	what := "coach"
	if s.role == RoleMentor {
		what = "mentor"
		if n.rank < 0 {
			return fmt.Sprintf("%s's level is unknown, so no mentor can be shown to be more senior", n.p.Name)
		}
	}
	others := 0
	for _, c := range s.cands {
		if c.p != n.p {
			others++
		}
	}
	if others == 0 {
		if s.role == RoleMentor {
			return fmt.Sprintf("nobody active has expertise in %s", s.domain)
		}
		return "nobody has coaching capacity left"
	}
	if s.role == RoleMentor {
		above := false
		for _, c := range s.cands {
			if c.rank > n.rank {
				above = true
				break
			}
		}
		if !above {
			return fmt.Sprintf("nobody has expertise in %s at a higher level than %s (%s)", s.domain, n.p.Name, n.p.Level)
		}
	}
	var fits, blocks []string
	more, blocked, below := 0, 0, 0
	for _, c := range s.cands {
		if c.p == n.p {
			continue
		}
		var j judgement
		rel := s.relate(n, c)
		if ok, _ := s.judge(n, c.p.Name, c.rank, c.p.External, rel, &j); ok {
			fits = append(fits, c.p.Name)
			if len(fits) == 3 {
				break
			}
			continue
		}
		blocked++
		if rel.below {
			below++
		}
		if len(blocks) < 4 {
			blocks = append(blocks, j.blocks...)
		} else {
			more++
		}
	}
	if len(fits) > 0 {
		return fmt.Sprintf("every %s who would suit %s (%s) is needed by someone else: the assignment matches as many people as it can", what, n.p.Name, listWords(fits, len(fits) == 3))
	}
	if s.role == RoleCoach && blocked > 0 && below == blocked {
		// The top of an org: everyone internal reports to them.
		return fmt.Sprintf("everyone who could coach %s reports to %s, and a coach must not depend on the coachee: name an external coach (a Person with external: true)", n.p.Name, n.p.Name)
	}
	msg := "every candidate conflicts: " + strings.Join(blocks, ", ")
	if more > 0 {
		msg += fmt.Sprintf(", and %d more", more)
	}
	return msg
}

func listWords(names []string, open bool) string {
	if open {
		return strings.Join(names, ", ") + ", ..."
	}
	return strings.Join(names, ", ")
}

// assignment is the outcome of the flow: each need's candidate, or nil.
type assignment struct {
	to    []*cand
	stats SuggestStats
}

// cell is a set of members of one class that every expanded person sees
// alike and that share load and room, so they share slot edges.
type cell struct {
	class   int
	members []*cand
	load    int
	room    int
	node    int
	slots   []int // slot edges to the sink
	verdict []cellVerdict
}

type cellVerdict struct {
	ok   bool
	cost int64
}

// option is one edge a person may take: to a class (generically) or to
// a cell (spelt out).
type option struct {
	node int
	cost int64
	room int64
	cell *cell // nil for a class
}

// assign solves the relaxed flow, decomposes it, and refines until the
// decomposition succeeds.
func (s *suggester) assign(opts suggestOptions) assignment {
	if s.expanded == nil {
		s.expanded = make([]map[int]bool, len(s.classes)) // class → set of need indexes
		for k := range s.expanded {
			s.expanded[k] = map[int]bool{}
		}
		s.preExpand()
		if opts.expandAll {
			for k := range s.classes {
				for i := range s.needs {
					s.expanded[k][i] = true
				}
			}
		}
	}
	expanded := s.expanded
	var st SuggestStats
	st.Needy = len(s.needs)
	for {
		st.Rounds++
		to, failed, stats := s.round(expanded)
		st.Phases += stats.Phases
		st.Nodes, st.Edges, st.FlowCost = stats.Nodes, stats.Edges, stats.FlowCost
		if len(failed) == 0 {
			st.Expanded = 0
			for _, e := range expanded {
				st.Expanded += len(e)
			}
			given := map[*cand]int{}
			for i, c := range to {
				if c == nil {
					continue
				}
				st.Matched++
				_, pc := s.pairCost(s.needs[i], c)
				st.Cost += pc
				given[c]++
			}
			for c, x := range given {
				st.Cost += loadCost(c.load, x)
			}
			return assignment{to: to, stats: st}
		}
		grew := false
		for _, f := range failed {
			if !expanded[f[1]][f[0]] {
				expanded[f[1]][f[0]] = true
				grew = true
			}
		}
		if !grew {
			// Cannot happen (a spelt-out person always fits their cell);
			// never loop on it.
			panic("reconcile: suggest could not decompose a fully spelt-out flow")
		}
	}
}

// preExpand spells out, from the start, each person's edges to the
// groups in which the members they have something particular with (their
// management chain, their team, their mentors, their coachees) hold a
// quarter of the room or more. The grouped edge would promise them slots
// they cannot have, and refining one person per round (the CEO and the
// division heads are in everyone's chain) would take a round each.
func (s *suggester) preExpand() {
	byName := make(map[string]*cand, len(s.cands))
	byTeam := map[string][]*cand{}
	coachees := map[string][]*cand{}
	for _, c := range s.cands {
		byName[c.p.Name] = c
		if !c.p.External && c.p.Team != "" {
			byTeam[c.p.Team] = append(byTeam[c.p.Team], c)
		}
		if c.coachOf != "" {
			coachees[c.coachOf] = append(coachees[c.coachOf], c)
		}
	}
	room := map[int]int64{}
	seen := map[*cand]bool{}
	for i, n := range s.needs {
		clear(room)
		clear(seen)
		add := func(c *cand) {
			if c != nil && !seen[c] {
				seen[c] = true
				room[c.class] += int64(c.room)
			}
		}
		// The chain's first levels only: that is where the people everyone
		// shares sit, and a walk to the top for every person would make a
		// long chain cost its length squared.
		m := s.o.manager[n.p.Name]
		for depth := 0; m.Known() && depth < 32; depth++ {
			add(byName[m.Name])
			m = s.o.manager[m.Name]
		}
		for _, c := range byTeam[n.p.Team] {
			add(c)
		}
		for _, m := range n.p.Mentors {
			add(byName[m.Person])
		}
		for _, c := range coachees[n.p.Name] {
			add(c)
		}
		for k, r := range room {
			if 4*r >= s.classes[k].room {
				s.expanded[k][i] = true
			}
		}
	}
}

// mutualPairs lists the needs (i, j), i < j, that the assignment pairs
// both ways: i's coach is j and j's coach is i.
func (s *suggester) mutualPairs(to []*cand) [][2]int {
	if s.role != RoleCoach {
		return nil
	}
	var out [][2]int
	for i, c := range to {
		if c == nil {
			continue
		}
		j, ok := s.needOf[c.p.Name]
		if !ok || j <= i || to[j] == nil || to[j].p != s.needs[i].p {
			continue
		}
		out = append(out, [2]int{i, j})
	}
	return out
}

// preferred reports whether coach→coachee is the direction a pair of
// people who could coach each other keeps: the more senior coaches; between
// equals (or unknown levels) the pair with the lower hash. It is fixed in
// advance, whatever the assignment, which is what Suggest's guarantee
// about mutual pairs rests on.
func (s *suggester) preferred(coach, coachee *Person) bool {
	rc, re := s.o.levelRank(coach), s.o.levelRank(coachee)
	if rc >= 0 && re >= 0 && rc != re {
		return rc > re
	}
	a, b := pairHash(coach.Name, coachee.Name), pairHash(coachee.Name, coach.Name)
	if a != b {
		return a < b
	}
	return coach.Name < coachee.Name // a hash collision: never happens in practice
}

// forbidDirection rules out the direction of the mutual pair (i, j) that
// preferred does not keep, and spells that need's edges to the
// candidate's group out so the flow sees it.
func (s *suggester) forbidDirection(i, j int, to []*cand) {
	if !s.preferred(to[i].p, s.needs[i].p) {
		i, j = j, i
	}
	// Keep i's coach (to[i], who is need j); forbid j's coach (need i's person).
	c := to[j]
	if s.forbid == nil {
		s.forbid = map[int]map[*cand]bool{}
	}
	if s.forbid[j] == nil {
		s.forbid[j] = map[*cand]bool{}
	}
	s.forbid[j][c] = true
	s.expanded[c.class][j] = true
}

// round builds and solves one relaxed network; failed lists the
// (need, class) pairs whose decomposition did not work out.
func (s *suggester) round(expanded []map[int]bool) (to []*cand, failed [][2]int, st SuggestStats) {
	const src, sink = 0, 1
	g := newNetwork(2)
	needNode := make([]int, len(s.needs))
	srcEdge := make([]int, len(s.needs))
	for i := range s.needs {
		needNode[i] = g.addNode()
		srcEdge[i] = g.addEdge(src, needNode[i], 1, 0)
	}
	// Cells: the members of a class split by load, room and how each
	// expanded person sees them.
	classNode := make([]int, len(s.classes))
	cellsOf := make([][]*cell, len(s.classes))
	expList := make([][]int, len(s.classes))
	for k, cl := range s.classes {
		if len(cl.members) == 0 {
			continue
		}
		classNode[k] = g.addNode()
		exp := sortedKeys(expanded[k])
		expList[k] = exp
		index := map[string]*cell{}
		var key strings.Builder
		for _, c := range cl.members {
			key.Reset()
			fmt.Fprintf(&key, "%d/%d", c.load, c.room)
			verdicts := make([]cellVerdict, len(exp))
			for vi, ni := range exp {
				ok, cost := s.pairCost(s.needs[ni], c)
				verdicts[vi] = cellVerdict{ok, cost}
				if ok {
					fmt.Fprintf(&key, "/%d", cost)
				} else {
					key.WriteString("/x")
				}
			}
			ce := index[key.String()]
			if ce == nil {
				ce = &cell{class: k, load: c.load, room: c.room, verdict: verdicts}
				index[key.String()] = ce
				cellsOf[k] = append(cellsOf[k], ce)
			}
			ce.members = append(ce.members, c)
		}
		for _, ce := range cellsOf[k] {
			ce.node = g.addNode()
			m := int64(len(ce.members))
			g.addEdge(classNode[k], ce.node, m*int64(ce.room), 0)
			for j := 0; j < ce.room; j++ {
				if ce.load+j >= loadClamp {
					ce.slots = append(ce.slots, g.addEdge(ce.node, sink, m*int64(ce.room-j), slotCost(ce.load, j)))
					break
				}
				ce.slots = append(ce.slots, g.addEdge(ce.node, sink, m, slotCost(ce.load, j)))
			}
		}
	}
	// Each person's options, pruned: sorted by cost, an option is kept when
	// its cost is at most c* + slotSpread, where c* is the cost at which the
	// options kept so far hold slots for everyone. Any assignment using a
	// dropped option can move that person to a free slot of a kept one at no
	// more cost, since the others fill at most len(needs)-1 slots.
	need := int64(len(s.needs))
	spread := s.slotSpread()
	type edgeRef struct {
		edge int
		cell *cell
		k    int
	}
	edgesOf := make([][]edgeRef, len(s.needs))
	var opts []option
	for i, n := range s.needs {
		opts = opts[:0]
		for k, cl := range s.classes {
			if len(cl.members) == 0 {
				continue
			}
			if !expanded[k][i] {
				if ok, cost := s.genericCost(n, cl); ok {
					opts = append(opts, option{node: classNode[k], cost: cost, room: cl.room})
				}
				continue
			}
			vi, _ := slices.BinarySearch(expList[k], i)
			for _, ce := range cellsOf[k] {
				if v := ce.verdict[vi]; v.ok {
					opts = append(opts, option{node: ce.node, cost: v.cost, room: int64(len(ce.members) * ce.room), cell: ce})
				}
			}
		}
		slices.SortStableFunc(opts, func(a, b option) int { return cmp.Compare(a.cost, b.cost) })
		limit := int64(-1)
		var total int64
		for _, op := range opts {
			if total += op.room; total >= need {
				limit = op.cost + spread
				break
			}
		}
		for _, op := range opts {
			if limit >= 0 && op.cost > limit {
				break
			}
			e := g.addEdge(needNode[i], op.node, 1, op.cost)
			k := -1
			if op.cell != nil {
				k = op.cell.class
			} else {
				k = slices.Index(classNode, op.node)
			}
			edgesOf[i] = append(edgesOf[i], edgeRef{edge: e, cell: op.cell, k: k})
		}
	}
	_, cost, phases := g.minCostMaxFlow(src, sink)
	st.FlowCost, st.Phases, st.Nodes, st.Edges = cost, phases, len(g.adj), len(g.to)/2

	// Decompose class by class.
	to = make([]*cand, len(s.needs))
	byClass := make([][]int, len(s.classes)) // class-route people
	intoCell := map[*cell][]int{}            // spelt-out people
	for i := range s.needs {
		for _, r := range edgesOf[i] {
			if g.flowOn(r.edge) == 0 {
				continue
			}
			if r.cell != nil {
				intoCell[r.cell] = append(intoCell[r.cell], i)
			} else {
				byClass[r.k] = append(byClass[r.k], i)
			}
		}
	}
	for k := range s.classes {
		if len(cellsOf[k]) == 0 {
			continue
		}
		failed = append(failed, s.decompose(g, k, cellsOf[k], byClass[k], intoCell, to)...)
	}
	return to, failed, st
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// slot is one new coachee or mentee a member takes in the decomposition.
type slot struct {
	c      *cand
	cell   *cell
	holder int // need index, or -1
}

// decompose turns the flow through class k into pairs: each cell's flow
// is spread evenly over its members (which is what the convex slot costs
// price), spelt-out people take any slot of their cell, and people who came
// through the class take a slot of a member they have nothing particular
// with, found by a bipartite matching. It returns the (need, class) pairs it
// could not place.
func (s *suggester) decompose(g *network, k int, cells []*cell, people []int, intoCell map[*cell][]int, to []*cand) [][2]int {
	var slots []slot
	for _, ce := range cells {
		var f int64
		for _, e := range ce.slots {
			f += g.flowOn(e)
		}
		m := int64(len(ce.members))
		base, extra := f/m, f%m
		for i, c := range ce.members {
			q := base
			if int64(i) < extra {
				q++
			}
			for range q {
				slots = append(slots, slot{c: c, cell: ce, holder: -1})
			}
		}
	}
	// Slots in member hash order across cells; each person looks from a
	// point their own hash picks (so names decide nothing) at the free
	// slots that suit them, and takes the one whose pair hash is lowest
	// among the first few members: a stable, name-blind tie-break.
	slices.SortStableFunc(slots, func(a, b slot) int {
		return cmp.Or(cmp.Compare(a.c.hash, b.c.hash), strings.Compare(a.c.p.Name, b.c.p.Name))
	})
	inCell := map[int]*cell{} // spelt-out people of this class and their cell
	for _, ce := range cells {
		for _, i := range intoCell[ce] {
			inCell[i] = ce
		}
	}
	valid := func(i int, sl *slot) bool {
		if ce := inCell[i]; ce != nil {
			return sl.cell == ce
		}
		return !s.relate(s.needs[i], sl.c).any()
	}
	// Spelt-out people first: every slot of their cell suits them.
	spelt := make([]int, 0, len(inCell))
	for i := range inCell {
		spelt = append(spelt, i)
	}
	slices.Sort(spelt)
	// free[j] leads to the first free slot at or after j (len(slots): none).
	free := make([]int, len(slots)+1)
	for j := range free {
		free[j] = j
	}
	find := func(j int) int {
		r := j
		for free[r] != r {
			r = free[r]
		}
		for free[j] != r {
			free[j], j = r, free[j]
		}
		return r
	}
	take := func(j, i int) {
		slots[j].holder = i
		free[j] = j + 1
	}
	const window = 16 // members compared per person
	place := func(i int) bool {
		n := s.needs[i]
		start := 0
		if len(slots) > 0 {
			start = int(n.hash % uint64(len(slots)))
		}
		best, seen := -1, 0
		var bestHash uint64
		var last *cand
		j, wrapped := find(start), false
		for seen < window {
			if j >= len(slots) {
				if wrapped {
					break
				}
				wrapped, j = true, find(0)
				continue
			}
			if wrapped && j >= start {
				break
			}
			if sl := &slots[j]; sl.c != last && valid(i, sl) {
				last = sl.c
				seen++
				if h := pairHash(sl.c.p.Name, n.p.Name); best < 0 || h < bestHash {
					best, bestHash = j, h
				}
			}
			j = find(j + 1)
		}
		if best < 0 {
			return false
		}
		take(best, i)
		return true
	}
	var failed [][2]int
	for _, i := range spelt {
		if !place(i) {
			failed = append(failed, [2]int{i, k}) // cannot happen: the flow gave the cell enough slots
		}
	}
	var left []int
	for _, i := range people {
		if !place(i) {
			left = append(left, i)
		}
	}
	// Augmenting paths for the few the greedy pass could not place: move
	// someone who suits a free slot off a slot that suits the one left.
	budget := 200000
	for _, i := range left {
		seen := make([]bool, len(slots))
		var try func(i int) bool
		try = func(i int) bool {
			for j := range slots {
				if budget--; budget < 0 {
					return false
				}
				if seen[j] || !valid(i, &slots[j]) {
					continue
				}
				seen[j] = true
				h := slots[j].holder
				if h < 0 {
					take(j, i)
					return true
				}
				if try(h) {
					slots[j].holder = i
					return true
				}
			}
			return false
		}
		if !try(i) {
			failed = append(failed, [2]int{i, k})
		}
	}
	if len(failed) > 0 {
		return failed
	}
	for _, sl := range slots {
		if sl.holder >= 0 {
			to[sl.holder] = sl.c
		}
	}
	return nil
}
