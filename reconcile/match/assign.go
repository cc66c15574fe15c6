package match

// The global assignment: a min-cost max-flow over candidate groups,
// decomposed into pairs, refined, and repaired until no pair is mutual.

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match/internal/flow"
)

// assignment is the outcome of the flow: each need's candidate, or nil.
type assignment struct {
	to    []*cand
	stats Stats
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
	node  int
	cost  int64
	room  int64
	cell  *cell // nil for a class
	class int
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
	var st Stats
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
		m := s.o.Manager(n.p.Name)
		for depth := 0; m.Known() && depth < 32; depth++ {
			add(byName[m.Name])
			m = s.o.Manager(m.Name)
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
func (s *suggester) preferred(coach, coachee *reconcile.Person) bool {
	rc, re := s.o.LevelRank(coach), s.o.LevelRank(coachee)
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
func (s *suggester) round(expanded []map[int]bool) (to []*cand, failed [][2]int, st Stats) {
	const src, sink = 0, 1
	g := flow.New(2)
	needNode := make([]int, len(s.needs))
	srcEdge := make([]int, len(s.needs))
	for i := range s.needs {
		needNode[i] = g.AddNode()
		srcEdge[i] = g.AddEdge(src, needNode[i], 1, 0)
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
		classNode[k] = g.AddNode()
		exp := sortedKeys(expanded[k])
		expList[k] = exp
		index := map[string]*cell{}
		var key []byte
		verdicts := make([]cellVerdict, len(exp))
		for _, c := range cl.members {
			key = strconv.AppendInt(key[:0], int64(c.load), 10)
			key = append(key, '/')
			key = strconv.AppendInt(key, int64(c.room), 10)
			for vi, ni := range exp {
				ok, cost := s.pairCost(s.needs[ni], c)
				verdicts[vi] = cellVerdict{ok, cost}
				if ok {
					key = append(key, '/')
					key = strconv.AppendInt(key, cost, 10)
				} else {
					key = append(key, "/x"...)
				}
			}
			ce := index[string(key)]
			if ce == nil {
				ce = &cell{class: k, load: c.load, room: c.room, verdict: slices.Clone(verdicts)}
				index[string(key)] = ce
				cellsOf[k] = append(cellsOf[k], ce)
			}
			ce.members = append(ce.members, c)
		}
		for _, ce := range cellsOf[k] {
			ce.node = g.AddNode()
			m := int64(len(ce.members))
			g.AddEdge(classNode[k], ce.node, m*int64(ce.room), 0)
			for j := 0; j < ce.room; j++ {
				if ce.load+j >= loadClamp {
					ce.slots = append(ce.slots, g.AddEdge(ce.node, sink, m*int64(ce.room-j), slotCost(ce.load, j)))
					break
				}
				ce.slots = append(ce.slots, g.AddEdge(ce.node, sink, m, slotCost(ce.load, j)))
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
	// The kept options of every person, person by person (need i's are
	// kept[from[i]:from[i+1]]), gathered before their edges are added so
	// that the network is sized once.
	from := make([]int, len(s.needs)+1)
	var kept, opts []option
	for i, n := range s.needs {
		opts = opts[:0]
		for k, cl := range s.classes {
			if len(cl.members) == 0 {
				continue
			}
			if !expanded[k][i] {
				if ok, cost := s.genericCost(n, cl); ok {
					opts = append(opts, option{node: classNode[k], cost: cost, room: cl.room, class: k})
				}
				continue
			}
			vi, _ := slices.BinarySearch(expList[k], i)
			for _, ce := range cellsOf[k] {
				if v := ce.verdict[vi]; v.ok {
					opts = append(opts, option{node: ce.node, cost: v.cost, room: int64(len(ce.members) * ce.room), cell: ce, class: k})
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
			kept = append(kept, op)
		}
		from[i+1] = len(kept)
	}
	g.Reserve(len(kept))
	refs := make([]edgeRef, len(kept))
	edgesOf := make([][]edgeRef, len(s.needs))
	for i := range s.needs {
		for j := from[i]; j < from[i+1]; j++ {
			op := kept[j]
			refs[j] = edgeRef{edge: g.AddEdge(needNode[i], op.node, 1, op.cost), cell: op.cell, k: op.class}
		}
		edgesOf[i] = refs[from[i]:from[i+1]]
	}
	_, cost, phases := g.MinCostMaxFlow(src, sink)
	st.FlowCost, st.Phases, st.Nodes, st.Edges = cost, phases, g.Nodes(), g.Edges()

	// Decompose class by class.
	to = make([]*cand, len(s.needs))
	byClass := make([][]int, len(s.classes)) // class-route people
	intoCell := map[*cell][]int{}            // spelt-out people
	for i := range s.needs {
		for _, r := range edgesOf[i] {
			if g.Flow(r.edge) == 0 {
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
func (s *suggester) decompose(g *flow.Network, k int, cells []*cell, people []int, intoCell map[*cell][]int, to []*cand) [][2]int {
	var slots []slot
	for _, ce := range cells {
		var f int64
		for _, e := range ce.slots {
			f += g.Flow(e)
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

// keepUnmatched handles the people whose coach was to be replaced (a coach
// rule at error) but who got nobody: they keep that coach in the YAML, so
// the slot their re-assignment freed is not free after all. When the
// assignment gave that slot to someone else, putting the coach over their
// capacity, the slot goes back to the person (and the coach counts them as
// a coachee again) and the flow is solved again. It returns how many slots
// went back; each goes back once, so the repair ends.
func (s *suggester) keepUnmatched(to []*cand) int {
	if s.role != RoleCoach {
		return 0
	}
	byName := map[string]*cand{}
	given := map[*cand]int{}
	for _, c := range s.cands {
		byName[c.p.Name] = c
	}
	for _, c := range to {
		if c != nil {
			given[c]++
		}
	}
	kept := 0
	for i, n := range s.needs {
		c := byName[n.replaces]
		if to[i] != nil || !s.reassign[n.p.Name] || c == nil || c.capacity < 0 || c.load+given[c]+1 <= c.capacity {
			continue
		}
		s.reassign[n.p.Name] = false
		c.load++
		c.room--
		s.classes[c.class].room--
		given[c]++ // the person counts against the coach from now on
		if me := byName[n.p.Name]; me != nil {
			me.coachOf = n.p.Coach
		}
		kept++
	}
	return kept
}
