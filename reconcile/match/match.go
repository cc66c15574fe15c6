// Package match is orgctl's matcher: it proposes coaches and mentors for
// the people who need one, as one global assignment (see Suggest), writes
// the proposals into the YAML in place (Write), and turns coach proposals
// into the pull requests apply --propose keeps open (DesiredProposals).
//
// It is split by stage: needs.go (who needs one), candidates.go (who may
// coach or mentor whom), cost.go (the objective), assign.go (the
// min-cost max-flow assignment, over package internal/flow), explain.go
// (the reasons in words), quality.go (the run's summary), write.go (the
// --write path) and propose.go (the proposals).
package match

import (
	"slices"
	"strings"
	"time"

	"github.com/orgctl/orgctl/reconcile"
)

// Roles a suggestion can fill.
const (
	RoleCoach  = "coach"
	RoleMentor = "mentor"
)

// Request says whom to find coaches or mentors for.
type Request struct {
	// Role is RoleCoach (the default when empty) or RoleMentor.
	Role string
	// Domain is the mentoring domain; required for RoleMentor.
	Domain string
	// People limits the request to these people; empty means everyone who
	// needs one.
	People []string
	// Today is the day of the run: new pairings start on it (Suggestion.Since),
	// and --rotate measures how long a pairing has lasted against it. Zero:
	// no dates are written and nothing is due to rotate.
	Today time.Time
	// Rotate also finds successors for the coaching pairings that are due
	// to rotate (the Policy's coaching.rotateAfterMonths since coachSince,
	// by Today); coaches only.
	Rotate bool
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
	// Since is the day the pairing starts (YYYY-MM-DD): the request's
	// Today, or empty when it has none. Written as coachSince (a mentor
	// entry's since); the replaced pairing, if any, ends on it.
	Since string `json:"-"`
	// ReplacedSince is when the replaced pairing started (its coachSince or
	// since), empty when unknown.
	ReplacedSince string `json:"-"`
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

// Stats describes the assignment, for benchmarks and tests.
type Stats struct {
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
	// Kept is how many people left without a new coach keep their old
	// one's slot after all (see keepUnmatched).
	Kept int
}

// Result is what Suggest returns: suggestions and the people left
// without one, sorted by person, and a summary a people team can judge the
// run by.
type Result struct {
	Suggestions []Suggestion `json:"suggestions"`
	Unmatched   []Unmatched  `json:"unmatched"`
	// Quality summarises the suggestions (see Quality).
	Quality Quality `json:"quality"`
	// NotNeeded lists people named in the request who need nothing.
	NotNeeded []NotNeeded `json:"-"`
	Stats     Stats       `json:"-"`
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
// finding is not exempt; with Request.Rotate, also when their coaching
// pairing is due to rotate. A person needs a mentor in a domain when a
// mentor of theirs in it has departed, when they list it in
// spec.mentoringWanted and have no mentor in it, or, when people are named
// with a domain, when they have no active mentor in it. Without a domain,
// every such domain is matched in the one assignment.
//
// Never proposed, whatever the rules' severities (lifecycle.go): a pair the
// Policy's doNotPair lists, a past coach (or mentor in the domain) whose
// pairing ended less than coaching.noRepeatMonths before Today, a coach
// with coaching.willing: false, or the coach or mentor being replaced. A
// coach's own coaching.capacity replaces coach-capacity's max for them.
// Someone whose coach is replaced frees that coach's slot; when they get
// nobody they keep their coach, so if the slot was given away the coach
// would be over capacity: the slot goes back and the flow is solved again
// (keepUnmatched), which holds capacity but may match fewer people than
// the best assignment that frees only the slots of people matched.
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
func Suggest(o *reconcile.Org, res reconcile.Result, req Request) (Result, error) {
	return suggest(o, res, req, suggestOptions{})
}

// suggestOptions are knobs for tests.
type suggestOptions struct {
	// expandAll spells every group out for every person from the start.
	expandAll bool
}

func suggest(o *reconcile.Org, res reconcile.Result, req Request, opts suggestOptions) (Result, error) {
	s, err := newSuggester(o, res, req)
	if err != nil {
		return Result{}, err
	}
	out := Result{Suggestions: []Suggestion{}, Unmatched: []Unmatched{}, NotNeeded: s.notNeeded}
	if len(s.needs) == 0 {
		out.Quality = s.quality(nil)
		return out, nil
	}
	s.buildCandidates()
	a := s.assign(opts)
	for {
		mutual := s.mutualPairs(a.to)
		kept := 0
		if len(mutual) == 0 {
			if kept = s.keepUnmatched(a.to); kept == 0 {
				break
			}
		}
		for _, m := range mutual {
			s.forbidDirection(m[0], m[1], a.to)
		}
		prev := a.stats
		a = s.assign(opts)
		a.stats.Rounds += prev.Rounds
		a.stats.Phases += prev.Phases
		a.stats.Repairs, a.stats.Forbidden, a.stats.Kept = prev.Repairs, prev.Forbidden+len(mutual), prev.Kept+kept
		if len(mutual) > 0 {
			a.stats.Repairs++
		}
	}
	out.Stats = a.stats
	s.given = map[*cand]int{}
	for _, c := range a.to {
		if c != nil {
			s.given[c]++
		}
	}
	since := ""
	if !req.Today.IsZero() {
		since = req.Today.Format(time.DateOnly)
	}
	for i, n := range s.needs {
		c := a.to[i]
		if c == nil {
			out.Unmatched = append(out.Unmatched, Unmatched{Person: n.p.Name, Role: s.role, Why: s.whyUnmatched(n)})
			continue
		}
		out.Suggestions = append(out.Suggestions, Suggestion{
			Person: n.p.Name, Role: s.role, Candidate: c.p.Name, Domain: n.domainName,
			Reasons: s.reasons(n, c), Replaces: n.replaces, Entry: n.entry, Fixes: n.fixes,
			Since: since, ReplacedSince: n.replacedSince,
		})
	}
	slices.SortFunc(out.Suggestions, func(a, b Suggestion) int { return strings.Compare(a.Person, b.Person) })
	slices.SortFunc(out.Unmatched, func(a, b Unmatched) int { return strings.Compare(a.Person, b.Person) })
	out.Quality = s.quality(out.Suggestions)
	return out, nil
}

// suggester holds one request's view of the org.
type suggester struct {
	o         *reconcile.Org
	role      string
	domain    string
	sev       map[reconcile.RuleID]reconcile.Severity
	allowFrom int // coach-is-manager allowFromLevel rank, or -1
	cfa       int // coaching.coachFromAbove rank: below it, coaches come from above
	capMax    int // coach-capacity max, or -1 when unlimited
	needs     []*need
	needOf    map[string]int // person name → index in needs
	notNeeded []NotNeeded
	reassign  map[string]bool // people whose current assignee is being replaced
	// replacedEntries are, per person, the spec.mentors entries being
	// replaced (their mentor has departed).
	replacedEntries map[string][]int
	// life is what the Policy and the histories rule out; rotate says
	// whether rotation-due pairings need a successor.
	life   lifecycle
	rotate bool
	// domains are the run's mentoring domains, normalised (domainKey) and
	// sorted; need.domain and cand.knows index them.
	domains   []string
	divisions []string       // division names, sorted; need.div and cand.div index it
	divOf     map[string]int // team name → division

	cands   []*cand
	classes []*candClass

	expanded []map[int]bool         // class → need indexes spelt out
	forbid   map[int]map[*cand]bool // need index → candidates ruled out by the mutual-pair repair
	given    map[*cand]int          // new coachees per candidate in the final assignment
	generic  map[*candClass][]genericVerdict
}

// SuggestPerByte is the heap a command that suggests budgets per byte of
// YAML it reads (see schema.BudgetMemory), where validate budgets
// schema.ValidatePerByte. The loaded org stays alive while the matcher
// works, and the matcher allocates about 1.5 KB per person of the org
// (about 150 MB at 100,000 people); under validate's limit that left the
// collector running almost all the time (BenchmarkSuggestEndToEnd).
const SuggestPerByte = 8.0
