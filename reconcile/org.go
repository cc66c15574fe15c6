// Package reconcile is orgctl's pure core: it builds the org graph from
// loaded documents (references, effective managers, chains to the root),
// runs the rule catalogue, and turns the result into findings. It knows
// nothing of terminals, cobra or GitHub.
package reconcile

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// Person, Team and Policy are the decoded documents of package schema.
type (
	Person = schema.Person
	Team   = schema.Team
	Policy = schema.Policy
)

// refState says what a reference resolves to.
type refState int

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

	person map[string]*Person
	team   map[string]*Team
	// names that exist, including broken documents: references to them
	// are not unknown-reference.
	personNames map[string]bool
	teamNames   map[string]bool

	levels  []string
	rank    map[string]int
	roots   map[string]bool
	manager map[string]ManagerRef

	// docs are every document, for duplicate-name.
	docs []*schema.Document

	// today is the day the date rules judge against (SetToday), and
	// repeatCutoff the earliest end of a past coaching pairing that still
	// counts as recent for repeat-pairing, as YYYY-MM-DD.
	today        time.Time
	repeatCutoff string

	// ruleSettings are the Policy's rule settings, computed on first use
	// (settings).
	settingsOnce sync.Once
	ruleSettings *ruleSettings

	// reach answers Above, built on first use.
	reachOnce sync.Once
	reach     *reach

	// reverse holds who points at whom, built on first use (validate
	// never needs it; get, describe and plan ask for it per person).
	reverse  sync.Once
	reports  map[string][]string
	coachees map[string][]string
	mentees  map[string][]string
}

// index builds the reverse indexes: each list in load order is sorted
// once, so that Reports, Coachees and Mentees cost one lookup.
func (o *Org) index() {
	o.reverse.Do(func() {
		o.reports = map[string][]string{}
		o.coachees = map[string][]string{}
		o.mentees = map[string][]string{}
		for _, p := range o.People {
			if m := o.manager[p.Name]; m.Known() {
				o.reports[m.Name] = append(o.reports[m.Name], p.Name)
			}
			if p.Coach != "" && p.Coach != p.Name {
				o.coachees[p.Coach] = append(o.coachees[p.Coach], p.Name)
			}
			for i, m := range p.Mentors {
				if m.Person != p.Name && !slices.ContainsFunc(p.Mentors[:i], func(x schema.Mentor) bool { return x.Person == m.Person }) {
					o.mentees[m.Person] = append(o.mentees[m.Person], p.Name)
				}
			}
		}
		for _, idx := range []map[string][]string{o.reports, o.coachees, o.mentees} {
			for _, names := range idx {
				sort.Strings(names)
			}
		}
	})
}

// Build resolves the documents of a Set into an Org.
func Build(set *schema.Set) *Org {
	o := &Org{
		person:      map[string]*Person{},
		team:        map[string]*Team{},
		personNames: map[string]bool{},
		teamNames:   map[string]bool{},
		docs:        set.Documents,
	}
	for _, d := range set.Documents {
		if d.Name == "" {
			continue
		}
		switch d.Kind {
		case schema.KindPerson:
			o.personNames[d.Name] = true
		case schema.KindTeam:
			o.teamNames[d.Name] = true
		case schema.KindPolicy:
		default:
			// A document whose kind is misspelt still names something:
			// do not turn references to it into a cascade.
			o.personNames[d.Name] = true
			o.teamNames[d.Name] = true
		}
		if !d.Valid {
			continue
		}
		switch {
		case d.Person != nil:
			if _, dup := o.person[d.Name]; !dup {
				o.person[d.Name] = d.Person
				o.People = append(o.People, d.Person)
			}
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
	o.manager = make(map[string]ManagerRef, len(o.People))
	for _, p := range o.People {
		o.manager[p.Name] = o.effectiveManager(p)
	}
	return o
}

// HeldBack counts the references that name something whose only document
// failed to load (it did not parse, broke the schema, or has a misspelt
// apiVersion). Each would be an unknown-reference repeating that
// document's own error, so none is reported (SPEC §6: one mistake, one
// finding); the summary says how many were held back.
func (o *Org) HeldBack() int {
	n := 0
	person := func(name, self string) {
		if name != "" && name != self && o.personNames[name] && o.person[name] == nil {
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
func (o *Org) Person(name string) *Person { return o.person[name] }

// Team returns the participating team of that name.
func (o *Org) Team(name string) *Team { return o.team[name] }

// Levels returns the level ladder in force, lowest first.
func (o *Org) Levels() []string { return o.levels }

// IsRoot reports whether the Policy allows the person to have no manager.
func (o *Org) IsRoot(name string) bool { return o.roots[name] }

// Manager returns the effective manager of a participating person.
func (o *Org) Manager(name string) ManagerRef { return o.manager[name] }

// resolve looks a person reference up.
func (o *Org) resolve(name string) refState {
	switch {
	case name == "":
		return refNone
	case o.person[name] != nil:
		return refKnown
	default:
		return refUnknown
	}
}

// effectiveManager implements SPEC §2: spec.manager, else the manager of
// the nearest team (own team, then parents) whose manager is someone else,
// else none. A dangling or broken reference on the way makes the manager
// unknown rather than absent, so that no missing-manager piles onto the
// unknown-reference.
func (o *Org) effectiveManager(p *Person) ManagerRef {
	if p.Manager != "" {
		if p.Manager != p.Name && o.resolve(p.Manager) == refKnown {
			return ManagerRef{Name: p.Manager, state: refKnown}
		}
		return ManagerRef{state: refUnknown, Declared: p.Manager}
	}
	if p.Team == "" {
		return ManagerRef{}
	}
	var seen visited
	for name := p.Team; name != ""; {
		if seen.has(name) {
			return ManagerRef{state: refUnknown} // team parent loop
		}
		seen.add(name)
		t := o.team[name]
		if t == nil {
			return ManagerRef{state: refUnknown} // dangling or broken team
		}
		if t.Manager != "" && t.Manager != p.Name {
			if o.resolve(t.Manager) == refKnown {
				return ManagerRef{Name: t.Manager, state: refKnown, Via: t}
			}
			return ManagerRef{state: refUnknown, Via: t, Declared: t.Manager}
		}
		name = t.Parent
	}
	return ManagerRef{}
}

// Chain returns the effective managers above a person, nearest first,
// stopping at the root, at an unknown manager or before repeating anyone.
func (o *Org) Chain(name string) []string {
	var out []string
	var seen visited
	seen.add(name)
	for m := o.manager[name]; m.Known(); m = o.manager[m.Name] {
		if seen.has(m.Name) {
			break
		}
		seen.add(m.Name)
		out = append(out, m.Name)
	}
	return out
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
	r := o.reachIndex()
	a, okA := r.index[anc]
	b, okB := r.index[name]
	if !okA || !okB {
		return false
	}
	if r.tin[a] < r.tin[b] && r.tout[b] <= r.tout[a] {
		return true // above b in its tree
	}
	top := r.top[b]
	return r.loop[top] >= 0 && r.loop[a] == r.loop[top]
}

// reach answers Above. Each person has at most one effective manager, so
// the manager edges form trees that end at a root or run into one loop.
// Cutting one edge of each loop (at the loop's first member found) leaves
// a forest; tin and tout number a walk round it, so that x is above y in
// the forest exactly when y's numbers nest inside x's. Everyone above y in
// the org is then above y in the forest, or on the loop where y's tree was
// cut (top[y] is the top of y's tree, loop the loop of each person or -1).
type reach struct {
	index     map[string]int32
	tin, tout []int32
	top       []int32
	loop      []int32
}

func (o *Org) reachIndex() *reach {
	o.reachOnce.Do(func() { o.reach = buildReach(o.manager) })
	return o.reach
}

func buildReach(manager map[string]ManagerRef) *reach {
	r := &reach{index: make(map[string]int32, len(manager))}
	var names []string
	add := func(n string) int32 {
		i, ok := r.index[n]
		if !ok {
			i = int32(len(names))
			r.index[n] = i
			names = append(names, n)
		}
		return i
	}
	for n, m := range manager {
		add(n)
		if m.Known() {
			add(m.Name)
		}
	}
	slices.Sort(names) // the numbering does not change answers; keep it reproducible
	for i, n := range names {
		r.index[n] = int32(i)
	}
	size := len(names)
	next := make([]int32, size)
	for i, n := range names {
		next[i] = -1
		if m := manager[n]; m.Known() {
			next[i] = r.index[m.Name]
		}
	}
	// Find the loops, colouring as cycles does, and cut each one.
	r.loop = make([]int32, size)
	for i := range r.loop {
		r.loop[i] = -1
	}
	color := make([]uint8, size) // 0 new, 1 on the current path, 2 done
	loops := int32(0)
	for start := range size {
		var path []int32
		for n := int32(start); n >= 0 && color[n] == 0; n = next[n] {
			color[n] = 1
			path = append(path, n)
			if m := next[n]; m >= 0 && color[m] == 1 {
				for i := m; ; i = next[i] {
					r.loop[i] = loops
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
	children := make([][]int32, size)
	for i, m := range next {
		if m >= 0 {
			children[m] = append(children[m], int32(i))
		}
	}
	r.tin, r.tout, r.top = make([]int32, size), make([]int32, size), make([]int32, size)
	clock := int32(0)
	type frame struct{ n, child int32 }
	var stack []frame
	for t := range size {
		if next[t] >= 0 {
			continue
		}
		stack = append(stack[:0], frame{n: int32(t)})
		r.tin[t], r.top[t] = clock, int32(t)
		clock++
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if int(f.child) == len(children[f.n]) {
				r.tout[f.n] = clock
				stack = stack[:len(stack)-1]
				continue
			}
			c := children[f.n][f.child]
			f.child++
			r.tin[c], r.top[c] = clock, int32(t)
			clock++
			stack = append(stack, frame{n: c})
		}
	}
	return r
}

// visited is a set of names for walking a chain: a short slice while the
// chain is short (most are a handful of levels), a map beyond.
type visited struct {
	list []string
	set  map[string]bool
}

func (v *visited) has(n string) bool {
	if v.set != nil {
		return v.set[n]
	}
	for _, x := range v.list {
		if x == n {
			return true
		}
	}
	return false
}

func (v *visited) add(n string) {
	if v.set == nil && len(v.list) < 32 {
		v.list = append(v.list, n)
		return
	}
	if v.set == nil {
		v.set = make(map[string]bool, 64)
		for _, x := range v.list {
			v.set[x] = true
		}
	}
	v.set[n] = true
}

// Reports returns the participating people whose effective manager is
// name, sorted. The slice is shared: do not modify it.
func (o *Org) Reports(name string) []string {
	o.index()
	return o.reports[name]
}

// Coachees returns the participating people coached by name, sorted. The
// slice is shared: do not modify it.
func (o *Org) Coachees(name string) []string {
	o.index()
	return o.coachees[name]
}

// Mentees returns the participating people mentored by name, sorted. The
// slice is shared: do not modify it.
func (o *Org) Mentees(name string) []string {
	o.index()
	return o.mentees[name]
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
	next := func(n string) (string, bool) {
		m := o.manager[n]
		return m.Name, m.Known()
	}
	names := make([]string, 0, len(o.People))
	for _, p := range o.People {
		names = append(names, p.Name)
	}
	return cycles(names, next)
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
