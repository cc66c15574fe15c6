package reconcile

import (
	"encoding/binary"
	"github.com/orgctl/orgctl/internal/hugepage"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/orgctl/orgctl/schema"
)

// FindingLookup answers which findings are about a participating person or
// team; render.FindingIndex is the one orgctl uses.
type FindingLookup interface {
	Person(name string) []Finding
	Team(name string) []Finding
}

// PersonView is a person with every effective value `get` and `describe`
// show; it is also the JSON of `get people -o json`. Email is left out:
// it is private.
type PersonView struct {
	Name        string            `json:"name"`
	DisplayName string            `json:"displayName"`
	Labels      map[string]string `json:"labels"`
	GitHub      string            `json:"github"`
	Team        string            `json:"team"`
	Level       string            `json:"level"`
	Expertise   []string          `json:"expertise"`
	Status      string            `json:"status"`
	External    bool              `json:"external"`
	// Manager is the effective manager: a name, "NAME (unknown)" for a
	// reference to nobody, or "" for none.
	Manager string `json:"manager"`
	// ManagerFromTeam is the team whose manager the effective manager is;
	// empty when spec.manager sets it.
	ManagerFromTeam string `json:"managerFromTeam"`
	// Chain is the effective managers above the person, nearest first, up
	// to the root (or until the chain breaks or loops).
	Chain []string `json:"chain"`
	// ChainLoops is set when the chain goes round in a loop.
	ChainLoops bool         `json:"chainLoops,omitempty"`
	Root       bool         `json:"root"`
	Coach      string       `json:"coach"`
	Mentors    []MentorView `json:"mentors"`
	Coachees   []string     `json:"coachees"`
	Mentees    []string     `json:"mentees"`
	Reports    []string     `json:"reports"`
	Findings   []Finding    `json:"findings"`
	Source     SourceView   `json:"source"`

	// chainFrom is 1 + the id of the manager whose shared chain Chain is
	// (see ChainID), 0 when Chain is the view's own.
	chainFrom int32
}

// ChainID says which chain Chain is (see also OrgView.ChainText): views
// of one OrgView with the same ChainID have the same Chain and the same
// Manager, Chain's first name (the id is the manager's index in
// Org.People). ok is false when the chain is the view's own: none,
// broken, looping or long.
func (v *PersonView) ChainID() (id int32, ok bool) { return v.chainFrom - 1, v.chainFrom != 0 }

// MentorView is one mentor of a PersonView.
type MentorView struct {
	Person string `json:"person"`
	Domain string `json:"domain"`
}

// String is how tables show a mentor: "dave (kubernetes)".
func (m MentorView) String() string { return m.Person + " (" + m.Domain + ")" }

// SourceView is where a viewed object is declared.
type SourceView struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// TeamView is a team with its members and place in the tree; it is also
// the JSON of `get teams -o json`.
type TeamView struct {
	Name        string            `json:"name"`
	DisplayName string            `json:"displayName"`
	Labels      map[string]string `json:"labels"`
	Parent      string            `json:"parent"`
	// Manager is the team's declared manager ("NAME (unknown)" for a
	// reference to nobody).
	Manager string `json:"manager"`
	// Members are the people whose spec.team is the team, departed ones
	// included, sorted.
	Members  []string `json:"members"`
	SubTeams []string `json:"subTeams"`
	// Chain is the parent teams, nearest first, up to the top (or until
	// the chain breaks or loops).
	Chain    []string   `json:"chain"`
	Findings []Finding  `json:"findings"`
	Source   SourceView `json:"source"`

	// ActiveMembers counts the members who have not departed.
	ActiveMembers int `json:"-"`
}

// OrgView answers get and describe about an org, with the findings and
// the team relationships (members, sub-teams) indexed once, so that a view
// of every person takes time linear in the size of the org (the Org
// indexes reports, coachees and mentees itself).
type OrgView struct {
	Org      *Org
	findings FindingLookup
	// withFindings has bit i set when findings has some about person i
	// (see PeopleWithFindings); nil when it does not say.
	withFindings []uint64
	// members and subTeams are built on first use: only team views need
	// them.
	teamsOnce sync.Once
	members   map[string][]string
	subTeams  map[string][]string
	// byName is the participating people in name order: their names and
	// their indexes in Org.People, built on first use or by Prepare.
	orderOnce sync.Once
	byName    []string
	byNameIdx []int32
	// roots are the indexes of the people the Policy names as roots.
	roots []int32
	// chains are the management chains views share, built on first use
	// or by Prepare (see sharedChains).
	chainsOnce sync.Once
	chains     sharedChains
	// recs are the people's viewRecs by id, and one past the last, built
	// on first use of ViewChunk or by Prepare.
	recsOnce sync.Once
	recs     []viewRec
	// chainFormat, when a printer set it (SetChainFormat), is how the
	// chains' text shows them.
	chainFormat atomic.Pointer[ChainFormat]
}

// ChainFormat is how a printer shows a chain of names: each name appended
// by Quote, Sep between two names.
type ChainFormat struct {
	Quote func(b []byte, name string) []byte
	Sep   string
}

// SetChainFormat asks for the text of every shared chain as f shows it,
// built with the chains (by Prepare, or on first use) and read back with
// ChainText: a printer then copies the text of a chain that a manager's
// reports share rather than encoding the chain per view, and a large
// org's chains are built in the order of the managers, each from the
// text of the chain above it, rather than read name by name in the order
// the views are printed. Call it before Prepare and before any view: once
// the chains are built, or once a format is set, it does nothing.
func (ov *OrgView) SetChainFormat(f ChainFormat) {
	ov.chainFormat.CompareAndSwap(nil, &f)
}

// ChainText returns the text of v's chain, as the format SetChainFormat
// set shows it, and the length of its first name's text (the manager's).
// ok is false when there is none: the chain is v's own (see ChainID), no
// format was set before the chains were built, or the budget of text ran
// out. v must be a view of ov. The text is shared: do not modify it.
func (ov *OrgView) ChainText(v *PersonView) (text []byte, first int, ok bool) {
	m, shared := v.ChainID()
	if !shared || int(m) >= len(ov.chains.texts) {
		return nil, 0, false
	}
	t := ov.chains.texts[m]
	if t.end == 0 {
		return nil, 0, false
	}
	return ov.chains.text[t.start:t.end:t.end], int(t.first), true
}

// sharedChains holds, for each manager m whose chain ends at the top
// without a loop (and is at most maxSharedChain long), the chain that
// starts at m: m, then the managers above m. Each of m's reports has it
// as their chain, so a view costs no walk up the chain (one miss a
// manager in a large org). A manager's chain is the tail of the chains of
// those they manage, so most share one array: pool[span.start:][:span.n].
type sharedChains struct {
	spans []chainSpan
	pool  []string
	// text is the chains as the OrgView's ChainFormat shows them, when it
	// has one, laid out as pool is (a chain's text ends with the text of
	// the chain above it): manager m's is text[texts[m].start:texts[m].end].
	text  []byte
	texts []chainText
}

// chainText is where a manager's chain is in sharedChains.text, and how
// long the text of its first name is; end is 0 when it has none.
type chainText struct {
	start, end, first int32
}

// textPerPerson bounds the bytes of sharedChains.text per person, as
// poolPerPerson bounds the pool: a chain of long names has none past it.
// A generated org of 1,000,000 people has about 30 bytes per person.
const textPerPerson = 64

// chainSpan is where a manager's chain is in sharedChains.pool; n <= 0
// when the manager has none shared (their reports' chains are walked).
type chainSpan struct {
	start, n int32
}

// maxSharedChain bounds a shared chain, and poolPerPerson the names in
// the pool, so that the copies stay linear in the size of the org,
// however it is shaped (a chain as long as the org is walked per person,
// as it always was). A generated org of 100,000 people has 0.8 names
// per person in the pool.
const (
	maxSharedChain = 64
	poolPerPerson  = 4
)

// NewOrgView indexes o for views; findings says which findings each view
// lists (nil: none yet, see SetFindings).
func NewOrgView(o *Org, findings FindingLookup) *OrgView {
	ov := &OrgView{Org: o}
	ov.SetFindings(findings)
	return ov
}

// PeopleWithFindings is what a FindingLookup may also say: the people it
// has findings about, so that views ask it about them only (usually few
// people have any, and asking costs a lookup by name).
type PeopleWithFindings interface {
	PeopleWithFindings() []string
}

// SetFindings says which findings each view lists, for a view made
// (and prepared) before the org was checked. Call it before building any
// view, not while views are built.
func (ov *OrgView) SetFindings(findings FindingLookup) {
	ov.findings, ov.withFindings = findings, nil
	if l, ok := findings.(PeopleWithFindings); ok {
		bits := make([]uint64, (len(ov.Org.People)+63)/64)
		for _, name := range l.PeopleWithFindings() {
			if i := ov.Org.idOf(name); i >= 0 {
				bits[i/64] |= 1 << (i % 64)
			}
		}
		ov.withFindings = bits
	}
}

// mayHaveFindings reports whether the findings may hold some about person
// i: false only when they said whom they are about.
func (ov *OrgView) mayHaveFindings(i int32) bool {
	return ov.withFindings == nil || ov.withFindings[i/64]&(1<<(i%64)) != 0
}

// Prepare builds, ahead of the first view, all that views of the people
// need besides their findings: the people in name order, the Org's
// reverse indexes (reports, coachees, mentees) and the shared chains
// (with their text, when a printer set a ChainFormat before). It
// needs only the built Org, so `get` runs it on the core the checks leave
// idle while the org is checked; views build the same on first use
// otherwise. Safe for concurrent use with the views and with Org.Check.
// It runs on one goroutine: each step reads what the one before found
// (the indexes are filled in name order and need no sort; the names are
// read off the people once), and the checks keep the other core.
func (ov *OrgView) Prepare() {
	var names []string // by id, when this call sorted them
	ov.orderOnce.Do(func() {
		names = peopleNames(ov.Org)
		ov.sortPeople(names)
	})
	ov.Org.indexInOrder(ov.byName, ov.byNameIdx)
	ov.chainsOnce.Do(func() { ov.buildChains(names) })
	ov.recsOnce.Do(ov.buildRecs)
}

// shareChains builds ov.chains, once.
func (ov *OrgView) shareChains() {
	ov.chainsOnce.Do(func() { ov.buildChains(nil) })
}

// buildChains builds ov.chains: every manager is put on a walk up the
// chain at most once, and each walk ends at the top, at a manager seen
// before or at a loop. names are the people's names by id (see
// peopleNames), or nil to read them off the people.
func (ov *OrgView) buildChains(names []string) {
	o := ov.Org
	nameOf := func(i int32) string { return o.People[i].Name }
	if names != nil {
		nameOf = func(i int32) string { return names[i] }
	}
	const onPath = -2 // n of a chainSpan on the walk being made
	spans := make([]chainSpan, len(o.People))
	hugepage.Advise(spans)
	// A generated org needs 0.8 names a person at 100,000 people and 1.05
	// at 1,000,000: room for 1.25 saves copying the pool as it grows (16
	// MB at 1,000,000), and the pages it does not fill take no memory.
	pool := make([]string, 0, len(o.People)+len(o.People)/4+maxSharedChain)
	hugepage.Advise(pool)
	var (
		format *ChainFormat
		text   []byte
		texts  []chainText
		budget int
	)
	if format = ov.chainFormat.Load(); format != nil {
		texts = make([]chainText, len(o.People))
		hugepage.Advise(texts)
		budget = min(textPerPerson*len(o.People)+64<<10, math.MaxInt32)
		// Room for all of it: the pages untouched take no memory.
		text = make([]byte, 0, budget)
		hugepage.Advise(text)
	}
	var path []int32
	for _, m := range o.mgr {
		if m < 0 || spans[m].n != 0 {
			continue
		}
		path = path[:0]
		x := m
		for x >= 0 && spans[x].n == 0 && len(path) <= maxSharedChain {
			spans[x].n = onPath
			path = append(path, x)
			x = o.mgr[x]
		}
		var tail []string
		ok := true
		switch {
		case x < 0: // the top
		case spans[x].n > 0:
			tail = pool[spans[x].start:][:spans[x].n]
		default: // a loop, into a loop, or too long
			ok = false
		}
		if !ok || len(path)+len(tail) > maxSharedChain || len(pool)+len(path)+len(tail) > poolPerPerson*len(spans)+maxSharedChain {
			for _, y := range path {
				spans[y].n = -1
			}
			continue
		}
		start, n := int32(len(pool)), int32(len(path)+len(tail))
		for _, y := range path {
			pool = append(pool, nameOf(y))
		}
		pool = append(pool, tail...)
		for k, y := range path {
			spans[y] = chainSpan{start + int32(k), n - int32(k)}
		}
		if format != nil {
			text = appendChainText(text, texts, format, path, x, nameOf, budget)
		}
	}
	ov.chains = sharedChains{spans: spans, pool: pool, text: text, texts: texts}
}

// appendChainText appends the text of the chains of the managers on
// path, a walk up the chain that stopped at x (the top when x < 0, else a
// manager whose chain has its text or has none), and records where each
// is in texts: the names of path, then x's text. When x's chain has no
// text, or the budget would run out, path's chains have none either.
func appendChainText(text []byte, texts []chainText, f *ChainFormat, path []int32, x int32, nameOf func(int32) string, budget int) []byte {
	var tail []byte
	if x >= 0 {
		t := texts[x]
		if t.end == 0 {
			return text
		}
		tail = text[t.start:t.end]
	}
	lo := len(text)
	for k, y := range path {
		if k > 0 {
			text = append(text, f.Sep...)
		}
		at := len(text)
		text = f.Quote(text, nameOf(y))
		texts[y] = chainText{start: int32(min(at, budget)), first: int32(min(len(text)-at, budget))}
	}
	if x >= 0 {
		text = append(text, f.Sep...)
		text = append(text, tail...)
	}
	if len(text) > budget {
		for _, y := range path {
			texts[y] = chainText{}
		}
		return text[:lo]
	}
	for _, y := range path {
		texts[y].end = int32(len(text))
	}
	return text
}

// sharedChainOf returns the shared chain of manager m's reports (capped:
// appending to it copies), or nil when there is none (or m < 0: no known
// manager).
func (ov *OrgView) sharedChainOf(m int32) []string {
	if m < 0 {
		return nil
	}
	ov.shareChains()
	s := ov.chains.spans[m]
	if s.n <= 0 {
		return nil
	}
	return ov.chains.pool[s.start : s.start+s.n : s.start+s.n]
}

// order sorts the participating people by name, once, and finds the
// roots' indexes.
func (ov *OrgView) order() { ov.orderOnce.Do(func() { ov.sortPeople(peopleNames(ov.Org)) }) }

// peopleNames lists the names of o.People, by id: one read of each
// Person, so that what needs the names after it reads one array.
func peopleNames(o *Org) []string {
	names := make([]string, len(o.People))
	hugepage.Advise(names)
	for i, p := range o.People {
		names[i] = p.Name
	}
	return names
}

// sortPeople sets byName and byNameIdx from the people's names by id
// (see peopleNames), and finds the roots' indexes.
func (ov *OrgView) sortPeople(names []string) {
	idx := nameOrder(names)
	byName := make([]string, len(idx))
	hugepage.Advise(byName)
	for k, i := range idx {
		byName[k] = names[i]
	}
	ov.byName, ov.byNameIdx = byName, idx
	for r := range ov.Org.roots {
		if i := ov.Org.idOf(r); i >= 0 {
			ov.roots = append(ov.roots, i)
		}
	}
}

// named is a name in nameOrder's sort: its first 24 bytes as three
// big-endian numbers (see prefixKey), and its index.
type named struct {
	k [3]uint64
	i int32
}

// nameOrder returns the indexes of names, which are unique, in the byte
// order of the names (as slices.Sort orders them). It sorts the first 24
// bytes of each name by radix, a byte at a time from the first, in
// place, moving only numbers: nearly every step then reads no string (a
// name is elsewhere in memory) and makes no comparison, though generated
// names share their first bytes often ("aisha-andersen-13k4"). Names
// equal in their first 24 bytes are compared whole.
func nameOrder(names []string) []int32 {
	l := make([]named, len(names))
	hugepage.Advise(l)
	for i, s := range names {
		l[i] = named{[3]uint64{prefixKey(s, 0), prefixKey(s, 8), prefixKey(s, 16)}, int32(i)}
	}
	radixSortNamed(l, 0, names)
	out := make([]int32, len(l))
	hugepage.Advise(out)
	for k, x := range l {
		out[k] = x.i
	}
	return out
}

// smallBucket is the size below which radixSortNamed sorts by comparing.
const smallBucket = 32

// radixSortNamed sorts l, whose names are equal before byte depth, by
// their keys and then by the names.
func radixSortNamed(l []named, depth int, names []string) {
	for {
		if len(l) <= smallBucket {
			insertionSortNamed(l, names)
			return
		}
		if depth == 24 {
			slices.SortFunc(l, func(a, b named) int { return strings.Compare(names[a.i], names[b.i]) })
			return
		}
		w, shift := depth/8, 56-8*(depth%8)
		var count [256]int
		for j := range l {
			count[byte(l[j].k[w]>>shift)]++
		}
		if count[byte(l[0].k[w]>>shift)] == len(l) {
			depth++ // one byte for all: nothing to move
			continue
		}
		// Move each into its byte's bucket, in place: next[b] is the
		// first slot of bucket b not yet holding one of its own, end[b]
		// the end of the bucket.
		var next, end [256]int
		sum := 0
		for b, c := range count {
			next[b] = sum
			sum += c
			end[b] = sum
		}
		for b := range next {
			for next[b] < end[b] {
				x := l[next[b]]
				for {
					xb := byte(x.k[w] >> shift)
					if int(xb) == b {
						break
					}
					x, l[next[xb]] = l[next[xb]], x
					next[xb]++
				}
				l[next[b]] = x
				next[b]++
			}
		}
		start := 0
		for _, c := range count {
			if c > 1 {
				radixSortNamed(l[start:start+c], depth+1, names)
			}
			start += c
		}
		return
	}
}

// insertionSortNamed sorts a few names by their keys, then the names.
func insertionSortNamed(l []named, names []string) {
	for j := 1; j < len(l); j++ {
		x := l[j]
		k := j
		for ; k > 0 && namedLess(&x, &l[k-1], names); k-- {
			l[k] = l[k-1]
		}
		l[k] = x
	}
}

// namedLess reports whether a's name sorts before b's.
func namedLess(a, b *named, names []string) bool {
	for w := range a.k {
		if a.k[w] != b.k[w] {
			return a.k[w] < b.k[w]
		}
	}
	return names[a.i] < names[b.i]
}

// prefixKey is the eight bytes of s from at as a big-endian number
// (zeros past its end): for keys of equal earlier bytes, prefixKey(a, at)
// < prefixKey(b, at) implies a < b, and equal keys say nothing.
func prefixKey(s string, at int) uint64 {
	if len(s) >= at+8 {
		return binary.BigEndian.Uint64([]byte(s[at : at+8]))
	}
	var k uint64
	for j := at; j < at+8; j++ {
		k <<= 8
		if j < len(s) {
			k |= uint64(s[j])
		}
	}
	return k
}

// names lists the participating people or teams, sorted, as Org.Names
// does; the people's list is shared: do not modify it.
func (ov *OrgView) names(kind string) []string {
	if kind == schema.KindTeam {
		return ov.Org.Names(kind)
	}
	ov.order()
	return ov.byName[:len(ov.byName):len(ov.byName)]
}

// PersonIndexes returns the index in Org.People of each named person, -1
// for a name no participating person has. For the people in name order
// (what Select lists for `get people`) it costs no lookup.
func (ov *OrgView) PersonIndexes(names []string) []int32 {
	ov.order()
	if len(names) == len(ov.byName) && slices.Equal(names, ov.byName) {
		return ov.byNameIdx
	}
	out := make([]int32, len(names))
	for k, n := range names {
		out[k] = ov.Org.idOf(n)
	}
	return out
}

// indexTeams builds members and subTeams.
func (ov *OrgView) indexTeams() {
	ov.teamsOnce.Do(func() {
		o := ov.Org
		ov.members, ov.subTeams = map[string][]string{}, map[string][]string{}
		for _, p := range o.People {
			if p.Team != "" {
				ov.members[p.Team] = append(ov.members[p.Team], p.Name)
			}
		}
		for _, t := range o.Teams {
			if t.Parent != "" && t.Parent != t.Name {
				ov.subTeams[t.Parent] = append(ov.subTeams[t.Parent], t.Name)
			}
		}
		for _, m := range []map[string][]string{ov.members, ov.subTeams} {
			for _, l := range m {
				slices.Sort(l)
			}
		}
	})
}

// nonNil returns a list, never nil (JSON shows []), capped so that
// appending to it copies rather than writes into the Org's indexes.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l[:len(l):len(l)]
}

// RefName shows a person reference: the name, or "NAME (unknown)" when it
// names no participating person.
func (o *Org) RefName(name string) string {
	if name == "" || o.Person(name) != nil {
		return name
	}
	return name + " (unknown)"
}

// Person builds the view of a participating person.
func (ov *OrgView) Person(name string) PersonView {
	var v PersonView
	ov.PersonAt(&v, ov.Org.idOf(name))
	return v
}

// emptyLabels are the labels of a view of a person who has none: shared,
// like the labels of those who have some (the Org's own).
var emptyLabels = map[string]string{}

// PersonAt fills v with the view of o.People[i] (see PersonIndexes),
// reusing the room v's Chain and Mentors already have: a loop that views
// every person into one PersonView allocates nothing per person. The view
// shares the Org's slices and maps: do not modify them.
func (ov *OrgView) PersonAt(v *PersonView, i int32) {
	o := ov.Org
	o.index()
	ov.order()
	r, end := o.recOf(i), o.listStarts(i+1)
	ov.fill(v, i, &r, &end)
}

// viewRec is what a view of person i reads by id besides the Person, the
// names its lists hold and its manager's chain, in 32 bytes (see
// OrgView.ViewChunk): the same as o.People[i], the starts of i's lists
// in o.reports, o.coachees, o.mentees and o.mentorIDs (each ends where
// i+1's starts), o.mgr[i], and flags.
type viewRec struct {
	p     *Person
	start [4]int32
	mgr   int32
	flags uint32
}

// The flags of a viewRec.
const (
	recNoCoach uint32 = 1 << iota // o.coach[i] < 0
	recVia                        // o.managers[i].via is set
)

// listStarts is where person i's reports, coachees, mentees and mentor
// ids start (see viewRec), for i up to len(o.People): where the last
// lists end.
func (o *Org) listStarts(i int32) [4]int32 {
	return [4]int32{o.reports.start[i], o.coachees.start[i], o.mentees.start[i], o.mentorStart[i]}
}

// recOf gathers person i's viewRec from the Org's indexes (built: see
// index); i may be len(o.People), whose record holds only where the last
// lists end.
func (o *Org) recOf(i int32) viewRec {
	r := viewRec{start: o.listStarts(i)}
	if int(i) < len(o.People) {
		r.p, r.mgr = o.People[i], o.mgr[i]
		if o.coach[i] < 0 {
			r.flags |= recNoCoach
		}
		if o.managers[i].via != nil {
			r.flags |= recVia
		}
	}
	return r
}

// buildRecs builds ov.recs, in one pass over the Org's indexes in the
// order of their ids.
func (ov *OrgView) buildRecs() {
	o := ov.Org
	o.index()
	recs := make([]viewRec, len(o.People)+1)
	hugepage.Advise(recs)
	for i := range recs {
		recs[i] = o.recOf(int32(i))
	}
	ov.recs = recs
}

// fill fills v with the view of person i, whose viewRec is r, the ends of
// whose lists are end (see PersonAt).
func (ov *OrgView) fill(v *PersonView, i int32, r *viewRec, end *[4]int32) {
	o, p := ov.Org, r.p
	names := func(l *lists, x int) []string {
		if a, b := r.start[x], end[x]; a < b {
			return l.names[a:b:b]
		}
		return []string{}
	}
	chain, mentors := v.Chain[:0], v.Mentors[:0]
	if chain == nil || v.chainFrom != 0 {
		chain = []string{} // never append to a shared chain
	}
	if mentors == nil {
		mentors = []MentorView{}
	}
	*v = PersonView{
		Name: p.Name, DisplayName: p.DisplayName, Labels: p.Labels, GitHub: p.GitHub,
		Team: p.Team, Level: p.Level, Expertise: p.Expertise, Status: p.Status, External: p.External,
		Root:    slices.Contains(ov.roots, i),
		Coach:   p.Coach,
		Reports: names(&o.reports, 0), Coachees: names(&o.coachees, 1), Mentees: names(&o.mentees, 2),
		Source: SourceView{File: p.Source.File, Line: int(p.Source.Start.Line)},
	}
	if ov.findings != nil && ov.mayHaveFindings(i) {
		v.Findings = ov.findings.Person(p.Name)
	}
	if r.flags&recNoCoach != 0 && p.Coach != p.Name {
		v.Coach = o.RefName(p.Coach)
	}
	if r.flags&recVia != 0 {
		v.ManagerFromTeam = o.managers[i].via.Name
	}
	// The effective manager, as managerRef says, and the chain: shared by
	// the manager's reports when it ends at the top, else walked. The
	// chain stops before repeating anyone: if the last one still has a
	// known manager, the chain loops.
	m := r.mgr
	if shared := ov.sharedChainOf(m); shared != nil {
		v.Manager, v.Chain, v.chainFrom = shared[0], shared, m+1
	} else {
		v.Manager = o.managerRef(i).String()
		last := o.walkChain(i, func(m int32) { chain = append(chain, o.People[m].Name) })
		v.Chain = chain
		v.ChainLoops = o.mgr[last] >= 0
	}
	for j, id := range o.mentorIDs[r.start[3]:end[3]] {
		mm := p.Mentors[j]
		name := mm.Person
		if id < 0 && name != "" {
			name += " (unknown)" // as RefName says, without looking the name up
		}
		mentors = append(mentors, MentorView{Person: name, Domain: mm.Domain})
	}
	v.Mentors = mentors
	if v.Labels == nil {
		v.Labels = emptyLabels
	}
	if v.Expertise == nil {
		v.Expertise = []string{}
	}
	if v.Findings == nil {
		v.Findings = []Finding{}
	}
}

// ViewChunk fills views[k] with the view of person ids[k], as PersonAt
// does, for a few dozen ids (no more than views holds). A large org's
// people, viewed in name order, are all over the heap, and viewed one at
// a time each costs many trips to memory in turn: ViewChunk first reads
// what the views and a printer read of them, in passes over all of ids
// whose reads do not wait on one another, so that the memory system
// fetches many at once, and it reads what the Org keeps of each by id
// from the person's viewRec, one cache line, rather than from eight
// arrays. The result means nothing; it keeps the reads from being
// optimized away.
func (ov *OrgView) ViewChunk(views []PersonView, ids []int32) int {
	o := ov.Org
	o.index()
	ov.order()
	ov.shareChains()
	ov.recsOnce.Do(ov.buildRecs)
	sink := 0
	for len(ids) > 0 {
		b := min(len(ids), viewBatch)
		sink += ov.prefetchRecs(ids[:b])
		for k, i := range ids[:b] {
			ov.fill(&views[k], i, &ov.recs[i], &ov.recs[i+1].start)
		}
		ids, views = ids[b:], views[b:]
	}
	return sink
}

// viewBatch is how many people ViewChunk reads ahead at once.
const viewBatch = 64

// prefetchRecs reads what fill and a printer read of the people ids, at
// most viewBatch of them, in passes (see ViewChunk).
func (ov *OrgView) prefetchRecs(ids []int32) int {
	o, c := ov.Org, &ov.chains
	var (
		rs    [viewBatch]viewRec
		till  [viewBatch][4]int32
		srcs  [viewBatch]*schema.Source
		spans [viewBatch]chainSpan
		texts [viewBatch]chainText
		vias  [viewBatch]*Team
		sink  int
	)
	ls := [3]*lists{&o.reports, &o.coachees, &o.mentees}
	// The people's records (and where their lists end, in the next).
	for k, i := range ids {
		rs[k], till[k] = ov.recs[i], ov.recs[i+1].start
	}
	// Their fields, their managers' shared chains, the first of their
	// lists' names.
	for k := range ids {
		r := &rs[k]
		p := r.p
		srcs[k] = p.Source
		sink += len(p.Name) + len(p.DisplayName) + len(p.Team) + len(p.Coach) + len(p.Expertise) + len(p.Mentors)
		spans[k], texts[k], vias[k] = chainSpan{}, chainText{}, nil
		if m := r.mgr; m >= 0 {
			spans[k] = c.spans[m]
			if c.texts != nil {
				texts[k] = c.texts[m]
			}
		}
		if r.flags&recVia != 0 {
			vias[k] = o.managers[ids[k]].via
		}
		for x, l := range ls {
			if r.start[x] < till[k][x] {
				sink += len(l.names[r.start[x]])
			}
		}
		if r.start[3] < till[k][3] {
			sink += int(o.mentorIDs[r.start[3]])
		}
	}
	// The strings the people point at, where they are declared, their
	// chains' first names and text.
	for k := range ids {
		p := rs[k].p
		sink += firstByte(p.Name) + firstByte(p.GitHub) + firstByte(p.Coach) + firstByte(p.DisplayName) +
			firstByte(p.Team) + int(srcs[k].Start.Line) + len(srcs[k].File)
		if s := spans[k]; s.n > 0 {
			sink += len(c.pool[s.start])
		}
		if t := texts[k]; t.end > 0 {
			for at := t.start; at < t.end; at += 64 {
				sink += int(c.text[at])
			}
			sink += int(c.text[t.end-1])
		}
		if t := vias[k]; t != nil {
			sink += len(t.Name)
		}
		for _, e := range p.Expertise {
			sink += len(e)
		}
		if len(p.Mentors) > 0 {
			sink += len(p.Mentors[0].Person)
		}
	}
	// The names the lists and the expertise hold, the file's name.
	for k := range ids {
		r, p := &rs[k], rs[k].p
		sink += ends(srcs[k].File)
		for _, e := range p.Expertise {
			sink += firstByte(e)
		}
		if len(p.Mentors) > 0 {
			sink += firstByte(p.Mentors[0].Person)
		}
		if t := vias[k]; t != nil {
			sink += firstByte(t.Name)
		}
		for x, l := range ls {
			for _, name := range l.names[r.start[x]:till[k][x]] {
				sink += firstByte(name)
			}
		}
	}
	return sink
}

// ends reads the first and the last byte of s, if any: the cache lines
// of a string of up to 64 bytes.
func ends(s string) int {
	if s == "" {
		return 0
	}
	return int(s[0]) + int(s[len(s)-1])
}

// firstByte reads the first byte of s, if any.
func firstByte(s string) int {
	if s == "" {
		return 0
	}
	return int(s[0])
}

// MentorStrings lists the mentors as tables show them.
func (v PersonView) MentorStrings() []string {
	out := make([]string, len(v.Mentors))
	for i, m := range v.Mentors {
		out[i] = m.String()
	}
	return out
}

// Team builds the view of a participating team.
func (ov *OrgView) Team(name string) TeamView {
	o := ov.Org
	t := o.Team(name)
	ov.indexTeams()
	v := TeamView{
		Name: t.Name, DisplayName: t.DisplayName, Labels: t.Labels,
		Manager:  o.RefName(t.Manager),
		Members:  nonNil(ov.members[name]),
		SubTeams: nonNil(ov.subTeams[name]),
		Chain:    o.TeamChain(name),
		Source:   SourceView{File: t.Source.File, Line: int(t.Source.Start.Line)},
	}
	if ov.findings != nil {
		v.Findings = ov.findings.Team(name)
	}
	if t.Parent != "" {
		v.Parent = t.Parent
		if o.Team(t.Parent) == nil {
			v.Parent += " (unknown)"
		}
	}
	for _, n := range v.Members {
		if o.Person(n).Status != schema.StatusDeparted {
			v.ActiveMembers++
		}
	}
	if v.Labels == nil {
		v.Labels = map[string]string{}
	}
	if v.Findings == nil {
		v.Findings = []Finding{}
	}
	return v
}

// TeamChain returns the parents of a team, nearest first, stopping at the
// top, at an unknown parent or before repeating a team.
func (o *Org) TeamChain(name string) []string {
	out := []string{}
	seen := map[string]bool{name: true}
	for t := o.Team(name); t != nil && t.Parent != "" && o.Team(t.Parent) != nil && !seen[t.Parent]; t = o.Team(t.Parent) {
		seen[t.Parent] = true
		out = append(out, t.Parent)
	}
	return out
}

// Names lists the participating people (kind schema.KindPerson) or teams
// (schema.KindTeam), sorted.
func (o *Org) Names(kind string) []string {
	var names []string
	if kind == schema.KindTeam {
		for _, t := range o.Teams {
			names = append(names, t.Name)
		}
	} else {
		for _, p := range o.People {
			names = append(names, p.Name)
		}
	}
	slices.Sort(names)
	return names
}

// Has reports whether the org has a participating person or team of that
// name.
func (o *Org) Has(kind, name string) bool {
	if kind == schema.KindTeam {
		return o.Team(name) != nil
	}
	return o.Person(name) != nil
}

// ResourceKind reads the resource argument of get and describe ("people",
// "person", "teams"...): schema.KindPerson or schema.KindTeam, or "" for
// anything else.
func ResourceKind(arg string) string {
	switch strings.ToLower(arg) {
	case "people", "person", "persons":
		return schema.KindPerson
	case "teams", "team":
		return schema.KindTeam
	}
	return ""
}

// ResourceWord is how messages name one object of a kind: "person" or
// "team".
func ResourceWord(kind string) string {
	if kind == schema.KindTeam {
		return "team"
	}
	return "person"
}

// ResourcePlural is the get resource of a kind: "people" or "teams".
func ResourcePlural(kind string) string {
	if kind == schema.KindTeam {
		return "teams"
	}
	return "people"
}

// fieldGetters are the paths --field-selector and -o custom-columns read,
// per kind, with how each is read off a view: the document's own paths
// (metadata.name, spec.level...), with effective values where the views
// show them (spec.manager is the effective manager).
var fieldGetters = map[string]map[string]func(any) string{
	schema.KindPerson: {
		"metadata.name":    func(v any) string { return v.(PersonView).Name },
		"spec.displayName": func(v any) string { return v.(PersonView).DisplayName },
		"spec.github":      func(v any) string { return v.(PersonView).GitHub },
		"spec.team":        func(v any) string { return v.(PersonView).Team },
		"spec.level":       func(v any) string { return v.(PersonView).Level },
		"spec.status":      func(v any) string { return v.(PersonView).Status },
		"spec.external":    func(v any) string { return boolString(v.(PersonView).External) },
		"spec.manager":     func(v any) string { return v.(PersonView).Manager },
		"spec.coach":       func(v any) string { return v.(PersonView).Coach },
		"spec.expertise":   func(v any) string { return strings.Join(v.(PersonView).Expertise, ",") },
		"spec.mentors":     func(v any) string { return strings.Join(v.(PersonView).MentorStrings(), ",") },
	},
	schema.KindTeam: {
		"metadata.name":    func(v any) string { return v.(TeamView).Name },
		"spec.displayName": func(v any) string { return v.(TeamView).DisplayName },
		"spec.parent":      func(v any) string { return v.(TeamView).Parent },
		"spec.manager":     func(v any) string { return v.(TeamView).Manager },
	},
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Fields lists the paths of a kind that FieldValue reads (besides
// metadata.labels.KEY), sorted.
func Fields(kind string) []string {
	var out []string
	for p := range fieldGetters[kind] {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// ViewLabels are the labels of a PersonView or TeamView.
func ViewLabels(view any) map[string]string {
	switch v := view.(type) {
	case PersonView:
		return v.Labels
	case TeamView:
		return v.Labels
	}
	return nil
}

// FieldValue reads a field of a PersonView or TeamView by its document
// path ("spec.level", "metadata.labels.office"); ok is false for a path
// the kind does not have.
func FieldValue(view any, path string) (value string, ok bool) {
	kind := schema.KindPerson
	switch view.(type) {
	case PersonView:
	case TeamView:
		kind = schema.KindTeam
	default:
		return "", false
	}
	if key, found := strings.CutPrefix(path, "metadata.labels."); found && key != "" {
		return ViewLabels(view)[key], true
	}
	get, ok := fieldGetters[kind][path]
	if !ok {
		return "", false
	}
	return get(view), true
}

// FieldCompletions completes a --field-selector value typed so far
// (prefix): the fields of kind (and metadata.labels.), each with "=" and
// "!=", after the selectors already written before the last comma.
func FieldCompletions(kind, prefix string) []string {
	done, last := "", prefix
	if i := strings.LastIndex(prefix, ","); i >= 0 {
		done, last = prefix[:i+1], prefix[i+1:]
	}
	var out []string
	for _, f := range append(Fields(kind), "metadata.labels.") {
		for _, op := range []string{"=", "!="} {
			if strings.HasSuffix(f, ".") {
				op = ""
			}
			if strings.HasPrefix(f+op, last) {
				out = append(out, done+f+op)
			}
			if op == "" {
				break
			}
		}
	}
	return out
}
