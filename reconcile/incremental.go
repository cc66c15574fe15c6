package reconcile

import (
	"hash/maphash"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// A plan checks two orgs that differ in about one person in a hundred:
// the head's documents that the change left alone are the base's own
// (see schema.Cache), so the head's findings about such a person are, for
// the rules that read only that person and the few they point at, the
// base's findings about them. The head's check then takes those from the
// base and judges afresh only the people whose inputs changed (issue 18).
// Two checks work that way, the two that cost most: the pairing rules
// (checkPairings) and unknown-reference about people (checkReferences).
// Every other rule runs in full on the head: those that count or compare
// across the org (duplicates, cycles, capacity, span of control,
// exemptions) and the cheap ones alike.
//
// A person is clean, and their findings taken from the base, only when
// everything those checks read about them is provably the same: their
// document (the same *Person, so the same text at the same place of the
// same file; one that merely moved is decoded again and is dirty), the
// people their manager, coach and mentors resolve to (the same *Person
// each, or none in both), and for the pairing rules the chain of managers
// above them and above their coach (the same people, none in a loop). The
// settings must be those of the base (the same Policy document, so the
// same levels, severities, doNotPair and dates, and the same day), and the
// team names the same; otherwise, or when more than a few people are
// dirty, the head is checked in full.

// checkMemo is what a base's check keeps for a head's incremental check
// (see checkKeeping): the findings of the pairing rules about each
// person, as emitted (before files are translated and exemptions marked),
// and who had anything for unknown-reference to look at.
type checkMemo struct {
	org *Org
	// today and repeatCutoff are the day the base was judged by.
	today        time.Time
	repeatCutoff string
	// pairs[pairStart[j]:pairStart[j+1]] are the pairing findings about
	// base person j, in the order checkPairings emitted them.
	pairStart []int32
	pairs     []Finding
	// refLoud[j] says that checkReferences found something about base
	// person j, or that they list past pairings (whose names are looked
	// up, not resolved by Build): the head looks at them again.
	refLoud []bool
	// suggested is the name unknown-reference suggested for each missing
	// kind/name it found, "" for none.
	suggested map[string]string
	// loginSeed and logins are the seed duplicate-github hashed logins
	// with and each person's hash (see checkDuplicateGitHub).
	loginSeed maphash.Seed
	logins    []uint64
	// people holds the findings of each rule checked person by person
	// (see eachPerson), kept as its check runs beside the others.
	mu     sync.Mutex
	people map[RuleID]personFindings
}

// personFindings are the findings of one rule, person by person:
// found[start[j]:start[j+1]] are those about base person j.
type personFindings struct {
	start []int32
	found []Finding
}

// incremental is what a head's check knows of its base: which people are
// clean for the pairing rules and for unknown-reference, and where their
// base findings are.
type incremental struct {
	memo *checkMemo
	// baseOf[i] is the base id of head person i when their document is
	// the base's own (the same *Person), else -1.
	baseOf []int32
	// pairClean[i] says that head person i's pairing findings are those
	// of base person baseOf[i].
	pairClean []bool
	// added are the names a person may have in the head and had not in
	// the base (unknown-reference suggests them too).
	added *schema.Suggester
}

// maxDirtyShare is the share of the head's people above which the head
// is checked in full: working out who is clean costs a pass over
// everyone, so it only pays when few are dirty. A variable for tests.
var maxDirtyShare = 1.0 / 8

// checkKeeping is Check that also returns what a head's check can take
// from it (see checkFrom).
func (o *Org) checkKeeping(set *schema.Set, opts Options) (Result, *checkMemo) {
	memo := &checkMemo{org: o}
	res := o.check(set, opts, memo, nil)
	memo.today, memo.repeatCutoff = o.today, o.repeatCutoff
	return res, memo
}

// checkFrom is Check of a head whose base's check kept memo: the same
// Result, computed incrementally when the change is small (see above).
// A nil memo checks in full.
func (o *Org) checkFrom(set *schema.Set, opts Options, memo *checkMemo) Result {
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	o.SetToday(today)
	// The few people judged again ask Above about chains a handful of
	// managers long: walking them costs less than numbering everyone.
	o.walkAbove = true
	inc := o.incrementalFrom(memo)
	o.walkAbove = inc != nil
	return o.check(set, opts, nil, inc)
}

// aboveByWalk is above(a, b) by walking the chain above b: ok is false
// when it is longer than a few dozen managers (or loops without meeting
// a), for reach to answer. A walk that goes round a loop meets again only
// people of the chain, so whoever it meets is in it.
func (o *Org) aboveByWalk(a, b int32) (found, ok bool) {
	m := o.mgr[b]
	for range 64 {
		switch m {
		case a:
			return true, true
		case -1:
			return false, true
		}
		m = o.mgr[m]
	}
	return false, false
}

// incrementalFrom works out who is clean in o (a head whose Today is set)
// against the base of memo; nil when the head must be checked in full.
func (o *Org) incrementalFrom(memo *checkMemo) *incremental {
	if memo == nil || memo.pairStart == nil || memo.refLoud == nil {
		return nil
	}
	base := memo.org
	if o.Policy != base.Policy || !o.today.Equal(memo.today) || o.repeatCutoff != memo.repeatCutoff ||
		!slices.Equal(o.levels, base.levels) || !maps.Equal(o.teamNames, base.teamNames) {
		return nil
	}
	n := len(o.People)
	limit := int(float64(n) * maxDirtyShare)
	f := o.from
	if f == nil || f.base != base {
		f = o.matchBase(base)
	}
	named := f.named
	inc := &incremental{memo: memo, baseOf: f.baseOf, pairClean: make([]bool, n)}
	var added []string
	for i, j := range named {
		if j < 0 {
			added = append(added, o.People[i].Name)
		}
	}
	for name := range o.otherPersonNames {
		if !base.personNamed(name) {
			added = append(added, name)
		}
	}
	inc.added = schema.NewSuggesterAnyOrder(added)
	chain := o.sameChains(base, named)
	// same reports whether head person h (or -1) is, to the pairing
	// rules, base person b (or -1): the same document, or one that reads
	// the same to them (the name, traits, level and expertise), which a
	// document that only moved is.
	same := func(h, b int32) bool {
		if h < 0 || b < 0 {
			return h < 0 && b < 0
		}
		hp, bp := o.People[h], base.People[b]
		return hp == bp || hp.Name == bp.Name && o.traits[h] == base.traits[b] && hp.Level == bp.Level &&
			hp.External == bp.External && slices.Equal(hp.Expertise, bp.Expertise)
	}
	dirty := 0
	for i := range int32(n) {
		j := inc.baseOf[i]
		clean := j >= 0
		if clean {
			// The same manager (by name: the rules ask only who it is).
			hm, bm := o.mgr[i], base.mgr[j]
			c, bc := o.coach[i], base.coach[j]
			clean = (hm < 0) == (bm < 0) && (hm < 0 || named[hm] == bm) && same(c, bc)
			if clean && c >= 0 && !(chain[i] && chain[c]) {
				// A chain above the person or their coach changed: the
				// pair is clean if the rules that walk chains say what
				// they said of the base.
				hp := Pair{Role: RoleCoach, Coach: o.People[c], Person: o.People[i], coachID: c + 1, personID: i + 1}
				bp := Pair{Role: RoleCoach, Coach: base.People[bc], Person: base.People[j], coachID: bc + 1, personID: j + 1}
				clean = coachInChain(o, hp) == coachInChain(base, bp) && coachReportsToCoachee(o, hp) == coachReportsToCoachee(base, bp)
			}
		}
		if clean {
			hm, bm := o.mentorsOf(i), base.mentorsOf(j)
			clean = len(hm) == len(bm)
			for k := 0; clean && k < len(hm); k++ {
				clean = same(hm[k], bm[k])
			}
		}
		inc.pairClean[i] = clean
		if !clean {
			if dirty++; dirty > limit {
				return nil
			}
		}
	}
	return inc
}

// sameChains reports, for each head person, whether the managers above
// them are the base's (the same names, in the same order, ending at no
// one in both) and none is in a loop; named maps head ids to the base ids
// of the same name (-1 for none). A manager changed anywhere above someone
// changes their chain. Names suffice: the rules ask of a chain only who
// is in it (Above).
func (o *Org) sameChains(base *Org, named []int32) []bool {
	const (
		unknown = iota
		walking
		same
		changed
	)
	n := len(o.People)
	state := make([]uint8, n)
	var path []int32
	for start := range int32(n) {
		if state[start] != unknown {
			continue
		}
		path = path[:0]
		var res uint8
		for k := start; ; {
			if s := state[k]; s == same || s == changed {
				res = s
				break
			}
			if state[k] == walking { // a loop
				res = changed
				break
			}
			state[k] = walking
			path = append(path, k)
			j := named[k]
			if j < 0 {
				res = changed
				break
			}
			hm, bm := o.mgr[k], base.mgr[j]
			if (hm < 0) != (bm < 0) || (hm >= 0 && named[hm] != bm) {
				res = changed
				break
			}
			if hm < 0 {
				res = same
				break
			}
			k = hm
		}
		for _, x := range path {
			state[x] = res
		}
	}
	out := make([]bool, n)
	for i, s := range state {
		out[i] = s == same
	}
	return out
}

// pairsOf returns the base's pairing findings about head person i, and
// whether they stand for the head's.
func (inc *incremental) pairsOf(i int32) ([]Finding, bool) {
	if inc == nil || !inc.pairClean[i] {
		return nil, false
	}
	j := inc.baseOf[i]
	m := inc.memo
	return m.pairs[m.pairStart[j]:m.pairStart[j+1]], true
}

// refQuiet reports whether checkReferences would find nothing about head
// person i (of o): their document is the base's, the base found nothing
// about them and they list no past pairings, and the head resolved their
// manager, coach and every mentor to a participating person (so each
// name exists). The team names are the base's (see incrementalFrom).
func (inc *incremental) refQuiet(o *Org, i int32) bool {
	if inc == nil {
		return false
	}
	j := inc.baseOf[i]
	if j < 0 || inc.memo.refLoud[j] || o.mgr[i] < 0 || o.coach[i] < 0 {
		return false
	}
	return !slices.Contains(o.mentorsOf(i), -1)
}

// suggestion is the name unknown-reference suggests in head o for a
// missing name of that kind, worked out from the base's suggestion
// rather than from every name; ok is false when it cannot be. A
// suggestion is the closest name of all (Suggester: ties to the
// smallest), so when the base's is still there, the head's is the closer
// of it and the closest of the names the head added; and with the team
// names the base's, a team's is the base's.
func (inc *incremental) suggestion(o *Org, kind, name string) (suggested string, ok bool) {
	if inc == nil || inc.memo.suggested == nil {
		return "", false
	}
	base, ok := inc.memo.suggested[kind+"/"+name]
	switch {
	case !ok:
		return "", false
	case kind == schema.KindTeam:
		return base, true
	case kind != schema.KindPerson || base != "" && !o.personNamed(base):
		return "", false
	}
	var closest []string
	for _, s := range []string{base, inc.added.Suggest(name)} {
		if s != "" {
			closest = append(closest, s)
		}
	}
	return schema.NewSuggesterAnyOrder(closest).Suggest(name), true
}

// fromBase is what a head's Build takes from its base's (see buildFrom):
// who is who, and which teams are as they were.
type fromBase struct {
	base *Org
	// named[i] is the base id of head person i's name, or -1; baseOf[i]
	// is that id when the document is the base's own (the same *Person),
	// else -1; toHead[j] is the head id of base person j's name, or -1.
	named, baseOf, toHead []int32
	// teamClean holds the names of the head's teams that are the base's
	// own document, as is every team above them: a walk from such a team
	// to a manager goes the same way in both.
	teamClean map[string]bool
	// traits says that a person's trait is the base's when their
	// document is (the same ladder of levels).
	traits bool
}

// buildFrom is Build of a plan's head whose base is base: the same Org,
// but the people whose documents are the base's own take their manager,
// coach, mentors and traits from base, their names mapped to the head's
// ids, rather than looking each name up again; a name that no longer
// resolves, or an unknown manager, is resolved afresh.
func buildFrom(set *schema.Set, base *Org) *Org { return build(set, base) }

// matchBase matches o's people (numbered, with o.id complete) with
// base's.
func (o *Org) matchBase(base *Org) *fromBase {
	f := newFromBase(base, len(o.People))
	moved := 0
	for i, p := range o.People {
		f.match(i, p, p.Name, &moved) // o's names are unique: none matches twice
	}
	return f
}

// newFromBase is a match of n head people with base's people, none
// matched yet.
func newFromBase(base *Org, n int) *fromBase {
	f := &fromBase{base: base, named: make([]int32, n), baseOf: make([]int32, n), toHead: make([]int32, len(base.People))}
	for j := range f.toHead {
		f.toHead[j] = -1
	}
	return f
}

// match matches head person i (p, of that name) with the base's person
// of the same name, if any, and reports false when another head person
// has matched them already (a name twice). The head's people are in the
// base's order but for the change: moved is the offset between the two
// orders where they last agreed, so that a name is looked up only where
// they part.
func (f *fromBase) match(i int, p *Person, name string, moved *int) bool {
	base := f.base
	j := i + *moved
	if j < 0 || j >= len(base.People) || (base.People[j] != p && base.People[j].Name != name) {
		if id, ok := base.id.get(name); ok {
			j, *moved = int(id), int(id)-i
		} else {
			j = -1
		}
	}
	f.named[i], f.baseOf[i] = int32(j), -1
	if j < 0 {
		return true
	}
	if f.toHead[j] >= 0 {
		return false
	}
	f.toHead[j] = int32(i)
	if base.People[j] == p {
		f.baseOf[i] = int32(j)
	}
	return true
}

// buildBase completes f, o's people matched with base's (nil: match
// them now), for build, once o's levels are set.
func (o *Org) buildBase(base *Org, f *fromBase) *fromBase {
	if f == nil {
		f = o.matchBase(base)
	}
	f.traits = slices.Equal(o.levels, base.levels) && maps.Equal(o.rank, base.rank)
	const (
		walking = 1
		clean   = 2
		changed = 3
	)
	state := map[string]int{}
	var walk func(name string) bool
	walk = func(name string) bool {
		switch state[name] {
		case walking: // a loop
			return false
		case clean:
			return true
		case changed:
			return false
		}
		t := o.team[name]
		if t != base.team[name] {
			state[name] = changed
			return false
		}
		if t == nil { // in neither: the walk ends there in both
			return true
		}
		state[name] = walking
		ok := t.Parent == "" || walk(t.Parent)
		state[name] = changed
		if ok {
			state[name] = clean
		}
		return ok
	}
	f.teamClean = make(map[string]bool, len(o.Teams))
	for _, t := range o.Teams {
		if walk(t.Name) {
			f.teamClean[t.Name] = true
		}
	}
	return f
}

// coach returns the head id of person i's coach when it follows from the
// base's: their document is the base's, whose coach resolved.
func (f *fromBase) coach(i int32) (int32, bool) {
	if f == nil {
		return 0, false
	}
	j := f.baseOf[i]
	if j < 0 {
		return 0, false
	}
	c := f.base.coach[j]
	if c < 0 {
		return 0, false // none, or a name to look up: the head may have it
	}
	// The coach's name, if still someone's, is that someone's: not i,
	// whose name is the base's j.
	return f.toHead[c], true
}

// resolve resolves head person i of o from the base, as resolveRange
// would, when their document is the base's, their manager resolved there
// to someone who is still there (through teams that are as they were, if
// through a team) and every mentor resolved; it reports whether it did.
func (f *fromBase) resolve(o *Org, i int32, r *resolvedRange) bool {
	if f == nil || !f.traits {
		return false
	}
	j := f.baseOf[i]
	if j < 0 {
		return false
	}
	b := f.base
	slot, bm := b.managers[j], b.mgr[j]
	if slot.state != refKnown {
		return false
	}
	m := f.toHead[bm]
	if m < 0 || (slot.via != nil && !f.teamClean[o.People[i].Team]) {
		return false
	}
	ms := b.mentorsOf(j)
	if slices.Contains(ms, -1) {
		return false
	}
	o.managers[i], o.mgr[i] = slot, m
	o.mentorStart[i+1] = int32(len(ms))
	for _, id := range ms {
		// A mentor's name no longer anyone's resolves to no one (-1).
		r.mentors = append(r.mentors, f.toHead[id])
	}
	o.traits[i] = b.traits[j]
	return true
}

// cleanFor says what a check that goes person by person reads about
// them besides their document, and so when a head person is clean for it.
type cleanFor int

const (
	// documentOnly: their document only (and the settings, which a head
	// checked incrementally shares with its base).
	documentOnly cleanFor = iota
	// managerState: also whether their effective manager is known,
	// unknown or none.
	managerState
	// coachPair: also their coach (their pairings are clean).
	coachPair
)

// eachPerson runs a check of rule that goes person by person: judge is
// called for each person of the Org who has not departed, in load order
// (the subjects), and must emit findings of rule about that person only.
// A base's check keeps each person's findings; a head's check takes them
// for each person clean for the check (see cleanFor) rather than judge
// them again.
func (c *checker) eachPerson(rule RuleID, clean cleanFor, judge func(i int32, p *Person)) {
	o := c.org
	var counts []int32
	if c.memo != nil {
		counts = make([]int32, len(o.People)+1)
	}
	var base personFindings
	reuse := c.inc != nil
	if reuse {
		base, reuse = c.inc.memo.people[rule]
	}
	start := len(c.findings)
	for i, p := range o.People {
		before := len(c.findings)
		if j := c.inc.cleanFor(o, clean, int32(i)); reuse && j >= 0 {
			c.findings = append(c.findings, base.found[base.start[j]:base.start[j+1]]...)
		} else if !o.departed(int32(i)) {
			judge(int32(i), p)
		}
		if counts != nil {
			counts[i+1] = int32(len(c.findings) - before)
		}
	}
	if counts != nil {
		for i := range len(o.People) {
			counts[i+1] += counts[i]
		}
		m := c.memo
		m.mu.Lock()
		if m.people == nil {
			m.people = map[RuleID]personFindings{}
		}
		m.people[rule] = personFindings{start: counts, found: slices.Clip(c.findings[start:])}
		m.mu.Unlock()
	}
}

// cleanFor returns the base id of head person i of o when they are clean
// for a check that reads what clean says, else -1.
func (inc *incremental) cleanFor(o *Org, clean cleanFor, i int32) int32 {
	if inc == nil {
		return -1
	}
	j := inc.baseOf[i]
	switch {
	case j < 0:
		return -1
	case clean == managerState && o.managers[i].state != inc.memo.org.managers[j].state:
		return -1
	case clean == coachPair && !inc.pairClean[i]:
		return -1
	}
	return j
}

// numberFrom is numberPeople for a plan's head whose base is base: rather
// than a map of every name, o.id maps the names the base lacks, and the
// others through the base's map (a million names cost a quarter of a
// second to map again, and the head looks few of them up). It matches the
// people with the base's as it goes (see matchBase) and returns the
// match; nil, numbering nothing, when a name is repeated (numberPeople
// then numbers them, finding the first of each).
func (o *Org) numberFrom(docs []*schema.Document, persons []int32, base *Org) *fromBase {
	n := len(persons)
	f := newFromBase(base, n)
	people := make([]*Person, n)
	var added map[string]int32
	moved := 0
	for i, k := range persons {
		d := docs[k]
		p := d.Person
		if !f.match(i, p, d.Name, &moved) {
			return nil // a name twice
		}
		if f.named[i] < 0 {
			if _, dup := added[d.Name]; dup {
				return nil
			}
			if added == nil {
				added = map[string]int32{}
			}
			added[d.Name] = int32(i)
		}
		people[i] = p
	}
	o.People = people
	o.id = nameIDs{parts: base.id.parts, mask: base.id.mask, toHead: f.toHead, added: added, kept: n - len(added)}
	return f
}

// loginHashes returns the seed to hash logins with and, in a head checked
// from its base, the base's hash of each base person's login (nil when
// there is none to take): the same seed, so that a login the base hashed
// need not be read and hashed again.
func (c *checker) loginHashes() (maphash.Seed, []uint64) {
	if c.inc != nil && c.inc.memo.logins != nil {
		return c.inc.memo.loginSeed, c.inc.memo.logins
	}
	return maphash.MakeSeed(), nil
}
