// Package reconcile is orgctl's pure core: it builds the org graph from
// loaded documents (references, effective managers, chains to the root),
// runs the rule catalogue, and turns the result into findings. It knows
// nothing of terminals, cobra or GitHub.
package reconcile

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/orgctl/orgctl/internal/hugepage"
	"github.com/orgctl/orgctl/schema"
)

// Person, Team and Policy are the decoded documents of package schema.
type (
	Person = schema.Person
	Team   = schema.Team
	Policy = schema.Policy
)

// refState says what a reference resolves to.
type refState uint8

const (
	refNone    refState = iota // not set
	refKnown                   // a participating object
	refUnknown                 // set, but to nothing usable (dangling, broken, self, loop)
)

// ManagerRef is a person's effective manager and how it was found.
type ManagerRef struct {
	// Name is the manager's name; empty when there is none or it is unknown.
	Name  string
	state refState
	// Via is the team whose manager this is; nil when spec.manager is set.
	Via *Team
	// Declared is the name written in the YAML when it resolves to no
	// participating person (dangling, broken, or the person themselves).
	Declared string
}

// Known reports whether the effective manager is a participating person.
func (m ManagerRef) Known() bool { return m.state == refKnown }

// String is the manager's name, "NAME (unknown)" for a reference to
// nobody, or "" for none.
func (m ManagerRef) String() string {
	switch {
	case m.state == refKnown:
		return m.Name
	case m.Declared != "":
		return m.Declared + " (unknown)"
	}
	return ""
}

// Org is the graph of one org: the objects that take part in the rules,
// every name that exists, and the effective manager of each person.
type Org struct {
	// People and Teams take part in the rules, in load order (the first of
	// each name, and only documents that passed the schema).
	People []*Person
	Teams  []*Team
	// Policy is the first valid Policy, or nil.
	Policy *Policy

	// id numbers the participating people: o.People[i] is the person
	// of the name o.id gives i for. Every per-person index below is a
	// slice in that order, so that the rules and the views look a name up
	// once rather than once per question.
	id   nameIDs
	team map[string]*Team
	// otherPersonNames and teamNames are the names that exist, including
	// broken documents (references to them are not unknown-reference):
	// otherPersonNames only those of no participating person (usually
	// none), since id holds the others.
	otherPersonNames map[string]bool
	teamNames        map[string]bool

	levels []string
	rank   map[string]int
	roots  map[string]bool
	// managers, mgr and declared are each person's effective manager
	// (see managerRef): how it was found, its id (-1 when it is not
	// known) and, for an unknown one, the name written. coach is the id
	// of the person's coach (-1 when none, themselves, or nobody
	// participating).
	managers []managerSlot
	mgr      []int32
	declared map[int32]string
	coach    []int32
	// mentorStart and mentorIDs are the ids of each person's mentors, in
	// the order of p.Mentors: mentorIDs[mentorStart[i]+j] is the id of
	// People[i].Mentors[j].Person (-1 when it names no participating
	// person, the person's own id when it names them).
	mentorStart []int32
	mentorIDs   []int32
	// traits are what the rules ask about the other side of a pairing
	// (status, level, willingness), by id: a small array read at random
	// costs far less than a Person spread over several cache lines of a
	// large heap.
	traits []trait
	// subjects are the people rules look at (participating, not
	// departed), in load order.
	subjects []*Person

	// docs are every document, for duplicate-name; dupFirst maps each
	// valid document whose kind and name an earlier valid one has to that
	// first one (usually empty).
	docs     []*schema.Document
	dupFirst map[*schema.Document]*schema.Document

	// today is the day the date rules judge against (SetToday), and
	// repeatCutoff the earliest end of a past coaching pairing that still
	// counts as recent for repeat-pairing, as YYYY-MM-DD.
	today        time.Time
	repeatCutoff string

	// ruleSettings are the Policy's rule settings, computed on first use
	// (settings).
	settingsOnce sync.Once
	ruleSettings *ruleSettings

	// from, when set, is the base a plan's head was built from (see
	// buildFrom).
	from *fromBase

	// walkAbove makes above walk short chains rather than build reach:
	// a plan's head asks about few people (see aboveByWalk).
	walkAbove bool

	// reach answers Above, built on first use.
	reachOnce sync.Once
	reach     *reach

	// reverse holds who points at whom, built on first use (validate
	// never needs it; get, describe and plan ask for it per person).
	reverse  sync.Once
	reports  lists
	coachees lists
	mentees  lists
	// otherCoachees and otherMentees are those of names no participating
	// person has (a removed coach, in plan's effects): usually none.
	otherCoachees map[string][]string
	otherMentees  map[string][]string
}

// trait is what the rules ask of a person by id, in 4 bytes: the rank of
// their level (levelRank, -1 for none) and flags.
type trait struct {
	rank  int16
	flags uint8
}

// The flags of a trait.
const (
	traitDeparted  uint8 = 1 << iota // status departed
	traitLeave                       // status leave
	traitUnwilling                   // coaching.willing: false
	traitRankBig                     // the rank does not fit in an int16: ask levelRank
)

// departed reports whether person i has departed.
func (o *Org) departed(i int32) bool { return o.traits[i].flags&traitDeparted != 0 }

// rankOf is levelRank of person i.
func (o *Org) rankOf(i int32) int {
	if t := o.traits[i]; t.flags&traitRankBig == 0 {
		return int(t.rank)
	}
	return o.levelRank(o.People[i])
}

// mentorsOf returns the ids of the mentors of person i, in the order of
// their Mentors (see mentorIDs).
func (o *Org) mentorsOf(i int32) []int32 {
	return o.mentorIDs[o.mentorStart[i]:o.mentorStart[i+1]]
}

// managerSlot is what a ManagerRef says besides the manager's id (mgr)
// and the name declared for an unknown one (declared): 16 bytes a person
// instead of ManagerRef's 48.
type managerSlot struct {
	via   *Team
	state refState
}

// setManager records m as the effective manager of person i (o.id must
// be complete).
func (o *Org) setManager(i int32, m ManagerRef) {
	o.managers[i] = managerSlot{via: m.Via, state: m.state}
	o.mgr[i] = -1
	if m.Known() {
		o.mgr[i], _ = o.id.get(m.Name)
	}
	if m.Declared != "" {
		if o.declared == nil {
			o.declared = map[int32]string{}
		}
		o.declared[i] = m.Declared
	}
}

// managerRef is the effective manager of person i.
func (o *Org) managerRef(i int32) ManagerRef {
	s := o.managers[i]
	m := ManagerRef{state: s.state, Via: s.via}
	switch s.state {
	case refKnown:
		m.Name = o.People[o.mgr[i]].Name
	case refUnknown:
		m.Declared = o.declared[i]
	}
	return m
}

// lists holds a sorted list of names per person id, all in one slice:
// the names of id i are names[start[i]:start[i+1]].
type lists struct {
	start []int32
	names []string
}

// of returns the names of id i, capped so that appending to them copies.
func (l *lists) of(i int32) []string {
	if i < 0 || int(i)+1 >= len(l.start) {
		return nil
	}
	a, b := l.start[i], l.start[i+1]
	if a == b {
		return nil
	}
	return l.names[a:b:b]
}

// reverseLists are the reverse indexes index builds, and where each
// list is filled next.
type reverseLists struct {
	reports, coachees, mentees lists
	// sink keeps addInOrder's reads ahead from being optimized away.
	sink int32
}

// add puts the name of person i, from, in the lists of those i points at:
// their effective manager, coach and mentors. The slot of each is the
// start of its list until the lists are filled (see buildIndex). A mentor
// counts once per person, who is not their own mentee.
func (r *reverseLists) add(o *Org, i int32, from string) {
	if m := o.mgr[i]; m >= 0 {
		r.reports.names[r.reports.start[m]] = from
		r.reports.start[m]++
	}
	if c := o.coach[i]; c >= 0 {
		r.coachees.names[r.coachees.start[c]] = from
		r.coachees.start[c]++
	}
	ids := o.mentorsOf(i)
	for j, id := range ids {
		if id >= 0 && id != i && !slices.Contains(ids[:j], id) {
			r.mentees.names[r.mentees.start[id]] = from
			r.mentees.start[id]++
		}
	}
}

// addInOrder adds the people ids, whose names are names, as add does, a
// batch at a time: the people are in name order, all over the ids, so
// each batch first reads what it needs of each (manager, coach, where
// their mentors are), then where their manager's and coach's lists are
// filled next, then those slots, in passes whose reads do not wait on
// one another (dozens of misses in flight), before add writes.
func (r *reverseLists) addInOrder(o *Org, names []string, ids []int32) {
	const batch = 64
	var (
		mgr, coach, ms [batch]int32
		rp, cp         [batch]int32
		sink           int32
	)
	for len(ids) > 0 {
		b := min(len(ids), batch)
		for k, i := range ids[:b] {
			mgr[k], coach[k], ms[k] = o.mgr[i], o.coach[i], o.mentorStart[i]
		}
		for k := range b {
			rp[k], cp[k] = -1, -1
			if m := mgr[k]; m >= 0 {
				rp[k] = r.reports.start[m]
			}
			if c := coach[k]; c >= 0 {
				cp[k] = r.coachees.start[c]
			}
			if int(ms[k]) < len(o.mentorIDs) {
				sink += o.mentorIDs[ms[k]]
			}
		}
		for k := range b {
			if p := rp[k]; p >= 0 {
				sink += int32(len(r.reports.names[p]))
			}
			if p := cp[k]; p >= 0 {
				sink += int32(len(r.coachees.names[p]))
			}
		}
		for k, i := range ids[:b] {
			r.add(o, i, names[k])
		}
		ids, names = ids[b:], names[b:]
	}
	r.sink = sink
}

// buildIndex builds the reverse indexes. With the people in name order
// (names[k] is the name of person ids[k], names sorted) every list is
// filled in order and needs no sort, and no Person is read; with ids nil
// the people are read in load order and each list sorted after.
func (o *Org) buildIndex(names []string, ids []int32) {
	n := len(o.People)
	var r reverseLists
	for _, l := range []*lists{&r.reports, &r.coachees, &r.mentees} {
		l.start = make([]int32, n+1)
		hugepage.Advise(l.start)
	}
	// Count each list's length at start[to+1], in one pass over the ids.
	for i := range int32(n) {
		if m := o.mgr[i]; m >= 0 {
			r.reports.start[m+1]++
		}
		if c := o.coach[i]; c >= 0 {
			r.coachees.start[c+1]++
		}
		ids := o.mentorsOf(i)
		for j, id := range ids {
			if id >= 0 && id != i && !slices.Contains(ids[:j], id) {
				r.mentees.start[id+1]++
			}
		}
	}
	for _, l := range []*lists{&r.reports, &r.coachees, &r.mentees} {
		for i := range n {
			l.start[i+1] += l.start[i]
		}
		l.names = make([]string, l.start[n])
		hugepage.Advise(l.names)
	}
	if ids != nil {
		r.addInOrder(o, names, ids)
	} else {
		for i, p := range o.People {
			r.add(o, int32(i), p.Name)
		}
	}
	// start[i] is now where list i+1 starts: move them up one.
	for _, l := range []*lists{&r.reports, &r.coachees, &r.mentees} {
		copy(l.start[1:], l.start[:n])
		l.start[0] = 0
		if ids == nil {
			for i := range n {
				slices.Sort(l.names[l.start[i]:l.start[i+1]])
			}
		}
	}
	o.reports, o.coachees, o.mentees = r.reports, r.coachees, r.mentees
	o.indexOthers()
}

// index builds the reverse indexes, each list sorted once, so that
// Reports, Coachees and Mentees cost one lookup.
func (o *Org) index() {
	o.reverse.Do(func() { o.buildIndex(nil, nil) })
}

// indexInOrder is index for a caller that has the people in name order:
// names[k] is the name of person ids[k], and names is sorted.
func (o *Org) indexInOrder(names []string, ids []int32) {
	o.reverse.Do(func() { o.buildIndex(names, ids) })
}

// indexOthers builds otherCoachees and otherMentees.
func (o *Org) indexOthers() {
	o.otherCoachees, o.otherMentees = map[string][]string{}, map[string][]string{}
	// Names of nobody, usually none: only their people are read.
	for i := range o.People {
		ids := o.mentorsOf(int32(i))
		if o.coach[i] >= 0 && !slices.Contains(ids, -1) {
			continue
		}
		p := o.People[i]
		for j, id := range ids {
			if m := p.Mentors[j].Person; id < 0 && !slices.ContainsFunc(p.Mentors[:j], func(x schema.Mentor) bool { return x.Person == m }) {
				o.otherMentees[m] = append(o.otherMentees[m], p.Name)
			}
		}
		// coach is -1 for none, themselves and names of nobody.
		if o.coach[i] < 0 && p.Coach != "" && p.Coach != p.Name {
			o.otherCoachees[p.Coach] = append(o.otherCoachees[p.Coach], p.Name)
		}
	}
	for _, m := range []map[string][]string{o.otherCoachees, o.otherMentees} {
		for _, l := range m {
			slices.Sort(l)
		}
	}
}

// Build resolves the documents of a Set into an Org.
func Build(set *schema.Set) *Org { return build(set, nil) }

// build is Build, taking from base (when set) what it resolved of the
// people whose documents are base's own (see buildFrom).
func build(set *schema.Set, base *Org) *Org {
	people := 0
	for _, d := range set.Documents {
		if d.Kind == schema.KindPerson {
			people++
		}
	}
	o := &Org{
		team:             map[string]*Team{},
		otherPersonNames: map[string]bool{},
		teamNames:        map[string]bool{},
		docs:             set.Documents,
		dupFirst:         map[*schema.Document]*schema.Document{},
	}
	// The first valid document of each kind and name, for duplicate-name:
	// people by id (see numberPeople), and the few teams and policies by
	// name.
	persons := make([]int32, 0, people) // the valid people's documents
	firstOther := map[[2]string]*schema.Document{}
	var otherNames []string // names of non-people that may name a person
	for k, d := range set.Documents {
		if d.Name == "" {
			continue
		}
		switch d.Kind {
		case schema.KindPerson, schema.KindTeam, schema.KindPolicy:
			if d.Kind == schema.KindTeam {
				o.teamNames[d.Name] = true
			}
			if d.Kind == schema.KindPerson && !d.Valid() {
				otherNames = append(otherNames, d.Name)
			}
		default:
			// A document whose kind is misspelt still names something:
			// do not turn references to it into a cascade.
			otherNames = append(otherNames, d.Name)
			o.teamNames[d.Name] = true
		}
		if !d.Valid() {
			continue
		}
		switch {
		case d.Person != nil:
			persons = append(persons, int32(k))
		default:
			k := [2]string{d.Kind, d.Name}
			if f, dup := firstOther[k]; dup {
				o.dupFirst[d] = f
			} else {
				firstOther[k] = d
			}
			switch {
			case d.Team != nil:
				if _, dup := o.team[d.Name]; !dup {
					o.team[d.Name] = d.Team
					o.Teams = append(o.Teams, d.Team)
				}
			case d.Policy != nil:
				if o.Policy == nil {
					o.Policy = d.Policy
				}
			}
		}
	}
	var from *fromBase
	if base != nil {
		from = o.numberFrom(set.Documents, persons, base)
	}
	if from == nil {
		o.numberPeople(set.Documents, persons, min(2, rangesFor(len(persons))))
	}
	for _, n := range otherNames {
		if _, ok := o.id.get(n); !ok {
			o.otherPersonNames[n] = true
		}
	}
	o.levels = schema.DefaultLevels
	if o.Policy != nil && len(o.Policy.Levels) > 0 {
		o.levels = o.Policy.Levels
	}
	o.rank = make(map[string]int, len(o.levels))
	for i, l := range o.levels {
		o.rank[l] = i
	}
	o.roots = map[string]bool{}
	if o.Policy != nil {
		for _, r := range o.Policy.Roots {
			o.roots[r] = true
		}
	}
	if base != nil {
		o.from = o.buildBase(base, from)
	}
	o.resolveAll(rangesFor(len(o.People)))
	return o
}

// nameIDs maps the name of each participating person to their id. It is
// split into parts by the last byte of the name (a byte the hash reads
// anyway), so that Build can fill the parts on several cores: a million
// people's names do not fit in the cache, and each insert waits on memory
// (issue 18).
type nameIDs struct {
	parts []map[string]int32
	mask  byte // a name's part is its last byte & mask
	// toHead, when set, numbers a plan's head through its base's names
	// (see numberFrom): parts are then the base's, whose ids toHead maps
	// to the head's (-1 for a name the head lacks), and added maps the
	// names the base lacks; kept is how many of the base's the head has.
	toHead []int32
	added  map[string]int32
	kept   int
}

// part is the map that holds name, if any does.
func (n nameIDs) part(name string) map[string]int32 {
	if name == "" {
		return n.parts[0]
	}
	return n.parts[name[len(name)-1]&n.mask]
}

// get returns the id of the participating person of that name.
func (n nameIDs) get(name string) (int32, bool) {
	i, ok := n.part(name)[name]
	if n.toHead != nil {
		if ok {
			i = n.toHead[i]
			return i, i >= 0
		}
		i, ok = n.added[name]
	}
	return i, ok
}

// len is the number of names.
func (n nameIDs) len() int {
	if n.toHead != nil {
		return n.kept + len(n.added)
	}
	total := 0
	for _, m := range n.parts {
		total += len(m)
	}
	return total
}

// numberPeople gives ids to the people of documents docs[k] for k in
// persons (valid, named, in load order), and fills o.id in parts (1 or 2)
// parts: the first document of each name gets the next id, a later one is
// a duplicate of it (o.dupFirst).
//
// Names are seldom repeated: each part of o.id is first filled on a core
// of its own, numbering every document in order as if none were; only
// when some part finds a name twice is the numbering done again, in
// order, on one core.
func (o *Org) numberPeople(docs []*schema.Document, persons []int32, parts int) {
	o.id = nameIDs{parts: make([]map[string]int32, parts), mask: byte(parts - 1)}
	dups := make([]bool, parts)
	fill := func(part int) {
		// Made here, on the core that fills it (a large map's memory is
		// cleared as it is made); a little over its share when there are
		// two, as they are not quite even.
		size := len(persons)
		if parts > 1 {
			size = size/parts + size/32
		}
		m := make(map[string]int32, size)
		o.id.parts[part] = m
		for j, k := range persons {
			name := docs[k].Name
			if name[len(name)-1]&o.id.mask != byte(part) {
				continue
			}
			if _, dup := m[name]; dup {
				dups[part] = true
				return
			}
			m[name] = int32(j)
		}
	}
	var wg sync.WaitGroup
	for part := 1; part < parts; part++ {
		wg.Go(func() { fill(part) })
	}
	fill(0)
	wg.Wait()
	if !slices.Contains(dups, true) {
		o.People = make([]*Person, len(persons))
		for j, k := range persons {
			o.People[j] = docs[k].Person
		}
		return
	}
	for _, m := range o.id.parts {
		clear(m)
	}
	o.People = make([]*Person, 0, len(persons))
	first := make([]int32, 0, len(persons)) // the document of each id
	for _, k := range persons {
		d := docs[k]
		m := o.id.part(d.Name)
		if i, dup := m[d.Name]; dup {
			o.dupFirst[d] = docs[first[i]]
			continue
		}
		m[d.Name] = int32(len(o.People))
		o.People = append(o.People, d.Person)
		first = append(first, k)
	}
}

// resolveAll resolves every person's references to ids, once, so that no
// rule looks a name up again: their effective manager, coach and mentors,
// and their traits. The people are split into ranges resolved in parallel
// (each writes only its own people's slots; a name map of a million
// people no longer fits in the cache, so each lookup waits on memory, and
// two cores wait side by side); what a range finds beyond its slots is
// merged in order. parts is how many ranges.
func (o *Org) resolveAll(parts int) {
	n := len(o.People)
	o.managers, o.mgr, o.coach = make([]managerSlot, n), make([]int32, n), make([]int32, n)
	o.traits = make([]trait, n)
	o.mentorStart = make([]int32, n+1)
	found := inRanges(n, parts, func(lo, hi int) resolvedRange { return o.resolveRange(lo, hi) })
	if len(found) == 1 {
		o.mentorIDs = found[0].mentors
	} else {
		total := 0
		for _, r := range found {
			total += len(r.mentors)
		}
		o.mentorIDs = make([]int32, 0, total)
		for _, r := range found {
			o.mentorIDs = append(o.mentorIDs, r.mentors...)
		}
	}
	o.declared = nil
	for _, r := range found {
		for _, d := range r.declared {
			if o.declared == nil {
				o.declared = map[int32]string{}
			}
			o.declared[d.id] = d.name
		}
	}
	// mentorStart holds each person's count so far: sum it up.
	for i := range n {
		o.mentorStart[i+1] += o.mentorStart[i]
	}
	subjects := 0
	for i := range o.traits {
		if !o.departed(int32(i)) {
			subjects++
		}
	}
	o.subjects = make([]*Person, 0, subjects)
	for i, p := range o.People {
		if !o.departed(int32(i)) {
			o.subjects = append(o.subjects, p)
		}
	}
}

// resolvedRange is what resolveRange finds beyond the slots it fills: the
// ids of the range's mentors, in order, and the names declared for
// unknown managers.
type resolvedRange struct {
	mentors  []int32
	declared []declaredName
}

type declaredName struct {
	id   int32
	name string
}

// resolveRange resolves people lo to hi-1 (see resolveAll); o.id must be
// complete. mentorStart[i+1] gets person i's number of mentors.
func (o *Org) resolveRange(lo, hi int) resolvedRange {
	var r resolvedRange
	// The coaches first, in a loop of their own: nearly everyone has one,
	// named at random across the org, so at a million people each lookup
	// waits on memory; with nothing else between them the processor
	// looks several up at once (a fifth less time than with the other
	// lookups of a person between them, at 100,000 people as at a
	// million; issue 18).
	f := o.from
	for i := lo; i < hi; i++ {
		o.coach[i] = -1
		if c, ok := f.coach(int32(i)); ok {
			o.coach[i] = c
			continue
		}
		if name := o.People[i].Coach; name != "" {
			if c, ok := o.id.get(name); ok && c != int32(i) {
				o.coach[i] = c
			}
		}
	}
	for i := lo; i < hi; i++ {
		if f.resolve(o, int32(i), &r) {
			continue
		}
		p := o.People[i]
		slot, m, declared := o.effectiveManager(p)
		o.managers[i], o.mgr[i] = slot, m
		if declared != "" {
			r.declared = append(r.declared, declaredName{int32(i), declared})
		}
		o.mentorStart[i+1] = int32(len(p.Mentors))
		for _, mt := range p.Mentors {
			r.mentors = append(r.mentors, o.idOf(mt.Person))
		}
		o.traits[i] = o.traitOf(p)
	}
	return r
}

// traitOf works out p's trait.
func (o *Org) traitOf(p *Person) trait {
	var t trait
	switch p.Status {
	case schema.StatusDeparted:
		t.flags |= traitDeparted
	case schema.StatusLeave:
		t.flags |= traitLeave
	}
	if l := p.Life; l != nil && l.CoachWilling != nil && !*l.CoachWilling {
		t.flags |= traitUnwilling
	}
	if r := o.levelRank(p); r <= math.MaxInt16 {
		t.rank = int16(r)
	} else {
		t.flags |= traitRankBig
	}
	return t
}

// rangesFor is how many ranges inRanges should split n people into: one
// per core, or one when n is small (a goroutine would cost more than it
// saves).
func rangesFor(n int) int {
	const minRange = 16 << 10
	return max(1, min(runtime.GOMAXPROCS(0), n/minRange))
}

// inRanges splits 0..n-1 into parts ranges of about the same size, calls
// f on each, in parallel when there are several, and returns their
// results in order.
func inRanges[T any](n, parts int, f func(lo, hi int) T) []T {
	parts = max(1, parts)
	out := make([]T, parts)
	if parts == 1 {
		out[0] = f(0, n)
		return out
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { out[k] = f(k*n/parts, (k+1)*n/parts) })
	}
	wg.Wait()
	return out
}

// personNamed reports whether some document that may be a Person is named
// name, participating or not.
func (o *Org) personNamed(name string) bool {
	_, ok := o.id.get(name)
	return ok || o.otherPersonNames[name]
}

// personNames lists every name personNamed accepts, in no set order.
func (o *Org) personNames() []string {
	names := make([]string, 0, o.id.len()+len(o.otherPersonNames))
	for _, p := range o.People {
		names = append(names, p.Name)
	}
	for n := range o.otherPersonNames {
		names = append(names, n)
	}
	return names
}

// HeldBack counts the references that name something whose only document
// failed to load (it did not parse, broke the schema, or has a misspelt
// apiVersion). Each would be an unknown-reference repeating that
// document's own error, so none is reported (SPEC §6: one mistake, one
// finding); the summary says how many were held back.
func (o *Org) HeldBack() int {
	if len(o.otherPersonNames) == 0 && len(o.teamNames) == len(o.team) {
		// Every name that exists is a participating person or team (the
		// usual case): nothing to hold back, and no need to look at a
		// million references to find that out.
		return 0
	}
	return o.countHeldBack()
}

// countHeldBack is HeldBack, counted reference by reference.
func (o *Org) countHeldBack() int {
	n := 0
	person := func(name, self string) {
		if name != "" && name != self && o.otherPersonNames[name] {
			n++
		}
	}
	team := func(name string) {
		if name != "" && o.teamNames[name] && o.team[name] == nil {
			n++
		}
	}
	for _, p := range o.People {
		if p.Status == schema.StatusDeparted {
			continue
		}
		team(p.Team)
		person(p.Manager, p.Name)
		person(p.Coach, p.Name)
		for _, m := range p.Mentors {
			person(m.Person, p.Name)
		}
	}
	for _, t := range o.Teams {
		team(t.Parent)
		person(t.Manager, "")
	}
	if o.Policy != nil {
		for _, r := range o.Policy.Roots {
			person(r, "")
		}
	}
	return n
}

// Person returns the participating person of that name.
func (o *Org) Person(name string) *Person {
	if i, ok := o.id.get(name); ok {
		return o.People[i]
	}
	return nil
}

// idOf returns the id of a participating person, or -1.
func (o *Org) idOf(name string) int32 {
	if i, ok := o.id.get(name); ok {
		return i
	}
	return -1
}

// Team returns the participating team of that name.
func (o *Org) Team(name string) *Team { return o.team[name] }

// Levels returns the level ladder in force, lowest first.
func (o *Org) Levels() []string { return o.levels }

// IsRoot reports whether the Policy allows the person to have no manager.
func (o *Org) IsRoot(name string) bool { return o.roots[name] }

// Manager returns the effective manager of a participating person.
func (o *Org) Manager(name string) ManagerRef {
	if i, ok := o.id.get(name); ok {
		return o.managerRef(i)
	}
	return ManagerRef{}
}

// effectiveManager implements SPEC §2: spec.manager, else the manager of
// the nearest team (own team, then parents) whose manager is someone else,
// else none. A dangling or broken reference on the way makes the manager
// unknown rather than absent, so that no missing-manager piles onto the
// unknown-reference.
//
// It returns what setManager records: the slot, the manager's id (-1 when
// not known) and the name declared for an unknown one. Each name is looked
// up once.
func (o *Org) effectiveManager(p *Person) (managerSlot, int32, string) {
	if p.Manager != "" {
		if p.Manager != p.Name {
			if m, ok := o.id.get(p.Manager); ok {
				return managerSlot{state: refKnown}, m, ""
			}
		}
		return managerSlot{state: refUnknown}, -1, p.Manager
	}
	if p.Team == "" {
		return managerSlot{}, -1, ""
	}
	var seen visited[string]
	for name := p.Team; name != ""; {
		if seen.has(name) {
			return managerSlot{state: refUnknown}, -1, "" // team parent loop
		}
		seen.add(name)
		t := o.team[name]
		if t == nil {
			return managerSlot{state: refUnknown}, -1, "" // dangling or broken team
		}
		if t.Manager != "" && t.Manager != p.Name {
			if m, ok := o.id.get(t.Manager); ok {
				return managerSlot{via: t, state: refKnown}, m, ""
			}
			return managerSlot{via: t, state: refUnknown}, -1, t.Manager
		}
		name = t.Parent
	}
	return managerSlot{}, -1, ""
}

// Chain returns the effective managers above a person, nearest first,
// stopping at the root, at an unknown manager or before repeating anyone.
func (o *Org) Chain(name string) []string {
	i, ok := o.id.get(name)
	if !ok {
		return nil
	}
	out, _ := o.chain(i)
	return out
}

// chain is Chain by id, never nil, with the id of the last one (i when
// the chain is empty).
func (o *Org) chain(i int32) ([]string, int32) {
	n := 0
	o.walkChain(i, func(int32) { n++ })
	out := make([]string, 0, n)
	last := o.walkChain(i, func(m int32) { out = append(out, o.People[m].Name) })
	return out, last
}

// walkChain calls visit with the id of each effective manager above
// person i, nearest first, as Chain lists them; it returns the last one
// (i when there is none).
func (o *Org) walkChain(i int32, visit func(int32)) int32 {
	var seen visited[int32]
	seen.add(i)
	last := i
	for m := o.mgr[i]; m >= 0; m = o.mgr[m] {
		if seen.has(m) {
			break
		}
		seen.add(m)
		visit(m)
		last = m
	}
	return last
}

// Above reports whether anc is one of the effective managers above name:
// the same answer as slices.Contains(o.Chain(name), anc), in constant time.
// Rules ask it twice for every person, and a chain may be as long as the
// org (an import that chains everyone, or a hostile file), so walking it
// each time would cost the square of the org's size.
func (o *Org) Above(anc, name string) bool {
	if anc == name {
		return false
	}
	a, okA := o.id.get(anc)
	b, okB := o.id.get(name)
	if !okA || !okB {
		return false
	}
	return o.above(a, b)
}

// above is Above by ids.
func (o *Org) above(a, b int32) bool {
	if a == b {
		return false
	}
	if o.walkAbove {
		if found, ok := o.aboveByWalk(a, b); ok {
			return found
		}
	}
	r := o.reachIndex()
	na, nb := &r.node[a], &r.node[b]
	if na.tin < nb.tin && nb.tout <= na.tout {
		return true // above b in its tree
	}
	return nb.topLoop >= 0 && na.loop == nb.topLoop
}

// reach answers Above. Each person has at most one effective manager, so
// the manager edges form trees that end at a root or run into one loop.
// Cutting one edge of each loop (at the loop's first member found) leaves
// a forest; tin and tout number a walk round it, so that x is above y in
// the forest exactly when y's numbers nest inside x's. Everyone above y in
// the org is then above y in the forest, or on the loop where y's tree was
// cut (loop is the loop of each person or -1, topLoop the loop of the top
// of their tree). Each person's numbers are side by side, so that asking
// about two people reads two places of memory, not eight.
type reach struct {
	node []reachNode
}

type reachNode struct {
	tin, tout     int32
	loop, topLoop int32
}

func (o *Org) reachIndex() *reach {
	o.reachOnce.Do(func() { o.reach = buildReach(o.mgr) })
	return o.reach
}

// buildReach numbers the forest of mgr (each person's manager id, or -1).
func buildReach(mgr []int32) *reach {
	size := len(mgr)
	r := &reach{node: make([]reachNode, size)}
	next := slices.Clone(mgr)
	// Find the loops, colouring as cycles does, and cut each one.
	for i := range r.node {
		r.node[i].loop = -1
	}
	color := make([]uint8, size) // 0 new, 1 on the current path, 2 done
	loops := int32(0)
	var path []int32
	for start := range size {
		path = path[:0]
		for n := int32(start); n >= 0 && color[n] == 0; n = next[n] {
			color[n] = 1
			path = append(path, n)
			if m := next[n]; m >= 0 && color[m] == 1 {
				for i := m; ; i = next[i] {
					r.node[i].loop = loops
					if next[i] == m {
						break
					}
				}
				next[n] = -1 // the cut: n is the top of the loop's tree
				loops++
				break
			}
		}
		for _, p := range path {
			color[p] = 2
		}
	}
	// Number a walk round the forest, from the tops down.
	// The children of n are kids[first[n]:first[n+1]].
	first := make([]int32, size+1)
	for _, m := range next {
		if m >= 0 {
			first[m+1]++
		}
	}
	for i := range size {
		first[i+1] += first[i]
	}
	kids := make([]int32, first[size])
	fill := slices.Clone(first[:size])
	for i, m := range next {
		if m >= 0 {
			kids[fill[m]] = int32(i)
			fill[m]++
		}
	}
	clock := int32(0)
	type frame struct{ n, child int32 }
	var stack []frame
	for t := range size {
		if next[t] >= 0 {
			continue
		}
		stack = append(stack[:0], frame{n: int32(t)})
		topLoop := r.node[t].loop
		r.node[t].tin, r.node[t].topLoop = clock, topLoop
		clock++
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.child == first[f.n+1]-first[f.n] {
				r.node[f.n].tout = clock
				stack = stack[:len(stack)-1]
				continue
			}
			c := kids[first[f.n]+f.child]
			f.child++
			r.node[c].tin, r.node[c].topLoop = clock, topLoop
			clock++
			stack = append(stack, frame{n: c})
		}
	}
	return r
}

// visited is a set of person ids or team names for walking a chain: a
// small array while the chain is short (most are a handful of levels, and
// walking them allocates nothing), a map beyond.
type visited[T comparable] struct {
	small [16]T
	n     int
	set   map[T]bool
}

func (v *visited[T]) has(x T) bool {
	if v.set != nil {
		return v.set[x]
	}
	return slices.Contains(v.small[:v.n], x)
}

func (v *visited[T]) add(x T) {
	if v.set == nil && v.n < len(v.small) {
		v.small[v.n] = x
		v.n++
		return
	}
	if v.set == nil {
		v.set = make(map[T]bool, 64)
		for _, y := range v.small[:v.n] {
			v.set[y] = true
		}
	}
	v.set[x] = true
}

// Reports returns the participating people whose effective manager is
// name, sorted. The slice is shared: do not modify it.
func (o *Org) Reports(name string) []string {
	o.index()
	return o.reports.of(o.idOf(name))
}

// Coachees returns the participating people coached by name, sorted. The
// slice is shared: do not modify it.
func (o *Org) Coachees(name string) []string {
	o.index()
	if i := o.idOf(name); i >= 0 {
		return o.coachees.of(i)
	}
	return o.otherCoachees[name]
}

// Mentees returns the participating people mentored by name, sorted. The
// slice is shared: do not modify it.
func (o *Org) Mentees(name string) []string {
	o.index()
	if i := o.idOf(name); i >= 0 {
		return o.mentees.of(i)
	}
	return o.otherMentees[name]
}

func (o *Org) levelRank(p *Person) int {
	if p == nil || p.External {
		return -1
	}
	r, ok := o.rank[p.Level]
	if !ok {
		return -1
	}
	return r
}

// managementCycles finds the loops of the effective-manager graph; each is
// returned starting at its alphabetically first member and following the
// manager edges.
func (o *Org) managementCycles() [][]string {
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(o.People))
	var out [][]string
	var path []int32
	for start := range int32(len(o.People)) {
		if color[start] != white {
			continue
		}
		path = path[:0]
		for n := start; ; {
			color[n] = grey
			path = append(path, n)
			m := o.mgr[n]
			if m < 0 || color[m] == black {
				break
			}
			if color[m] == grey {
				i := slices.Index(path, m)
				cyc := make([]string, 0, len(path)-i)
				for _, x := range path[i:] {
					cyc = append(cyc, o.People[x].Name)
				}
				out = append(out, rotateToMin(cyc))
				break
			}
			n = m
		}
		for _, p := range path {
			color[p] = black
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// teamCycles finds loops of the team parent graph.
func (o *Org) teamCycles() [][]string {
	next := func(n string) (string, bool) {
		t := o.team[n]
		if t == nil || t.Parent == "" || o.team[t.Parent] == nil {
			return "", false
		}
		return t.Parent, true
	}
	names := make([]string, 0, len(o.Teams))
	for _, t := range o.Teams {
		names = append(names, t.Name)
	}
	return cycles(names, next)
}

// cycles finds every cycle of a functional graph (each node has at most one
// successor) in linear time. A node that is its own successor is a cycle
// of one (a team that is its own parent); people never are, since a person
// who is their own manager has an unknown manager.
func cycles(nodes []string, next func(string) (string, bool)) [][]string {
	const (
		white = iota
		grey
		black
	)
	color := make(map[string]int, len(nodes))
	var out [][]string
	for _, start := range nodes {
		if color[start] != white {
			continue
		}
		var path []string
		n := start
		for {
			color[n] = grey
			path = append(path, n)
			m, ok := next(n)
			if !ok {
				break
			}
			if color[m] == grey {
				i := slices.Index(path, m)
				out = append(out, rotateToMin(slices.Clone(path[i:])))
				break
			}
			if color[m] == black {
				break
			}
			n = m
		}
		for _, p := range path {
			color[p] = black
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func rotateToMin(c []string) []string {
	i := 0
	for j := range c {
		if c[j] < c[i] {
			i = j
		}
	}
	return append(c[i:], c[:i]...)
}

// Division is the top-level division of team: the team just below the root
// of its tree, or the root itself for the root's own members, so that
// "another division" means a distance in the team tree rather than merely
// another team. A team in a parent loop is its own division, and a parent
// that does not exist ends the tree. "" when team does not exist. The one
// definition for the matcher (spreading coaches across divisions) and the
// report (cross-division share).
func (o *Org) Division(team string) string {
	t := o.Team(team)
	if t == nil {
		return ""
	}
	below, top := t.Name, t.Name
	seen := map[string]bool{t.Name: true}
	for t.Parent != "" {
		next := o.Team(t.Parent)
		if next == nil {
			break
		}
		if seen[next.Name] {
			return team
		}
		seen[next.Name] = true
		below, top = top, next.Name
		t = next
	}
	if top == team {
		return team
	}
	return below
}
