package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Config says what to generate.
type Config struct {
	People  int    // people in the base org, externals included
	Out     string // directory to write
	Seed    uint64 // the same seed writes the same org
	Variant string // "base" (or empty) or "head"
	// Shape is "synthetic" (or empty: a tree of equal teams, everyone
	// coached, for benchmarks) or "realistic" (see real.go: an org as an
	// HR export shows it on day one, nobody coached yet).
	Shape string
	// CSV, when set, is where to write the matching HR export.
	CSV string
}

// Stats describes what Generate wrote, so that tests and the benchmark
// script know what to expect.
type Stats struct {
	People, Teams, Files int
	Bytes                int64
	Externals            int
	Leave, Departed      int
	// Findings counts the findings validate must report, by rule: the
	// deliberate ones of the base org, plus those the head change adds.
	Findings map[string]int
	// Head only: what the change does.
	Added, Removed, CoachChanges, ManagerChanges, Departures int
}

func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d people, %d teams, %d files, %d bytes (%d externals, %d on leave, %d departed); findings:",
		s.People, s.Teams, s.Files, s.Bytes, s.Externals, s.Leave, s.Departed)
	for _, r := range sortedKeys(s.Findings) {
		fmt.Fprintf(&b, " %s=%d", r, s.Findings[r])
	}
	if s.Added+s.Removed+s.CoachChanges+s.ManagerChanges+s.Departures > 0 {
		fmt.Fprintf(&b, "; change: %d added, %d removed, %d coach changes, %d team manager changes, %d departures",
			s.Added, s.Removed, s.CoachChanges, s.ManagerChanges, s.Departures)
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Generate builds the org of cfg in memory and writes it to cfg.Out.
func Generate(cfg Config) (Stats, error) {
	if cfg.People < 200 {
		return Stats{}, fmt.Errorf("-people %d is too small: use at least 200", cfg.People)
	}
	if cfg.Variant == "" {
		cfg.Variant = "base"
	}
	if cfg.Variant != "base" && cfg.Variant != "head" {
		return Stats{}, fmt.Errorf("unknown -variant %q: use base or head", cfg.Variant)
	}
	if entries, err := os.ReadDir(cfg.Out); err == nil && len(entries) > 0 {
		return Stats{}, fmt.Errorf("%s is not empty: orggen writes into a new or empty directory", cfg.Out)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Stats{}, err
	}
	var o *org
	var err error
	switch cfg.Shape {
	case "", "synthetic":
		o, err = build(cfg.People, cfg.Seed)
	case "realistic":
		if cfg.Variant == "head" {
			return Stats{}, fmt.Errorf("-variant head needs the synthetic shape: drop -shape realistic")
		}
		o, err = buildRealistic(cfg.People, cfg.Seed)
	default:
		return Stats{}, fmt.Errorf("unknown -shape %q: use synthetic or realistic", cfg.Shape)
	}
	if err != nil {
		return Stats{}, err
	}
	if cfg.Variant == "head" {
		if err := o.change(cfg.Seed); err != nil {
			return Stats{}, err
		}
	}
	if err := o.write(cfg.Out, cfg.People, cfg.Seed); err != nil {
		return Stats{}, err
	}
	if cfg.CSV != "" {
		if err := o.writeCSV(cfg.CSV); err != nil {
			return Stats{}, fmt.Errorf("writing the HR export: %w", err)
		}
	}
	return o.stats, nil
}

// Levels, lowest first (the Policy spells them out).
var levels = []string{"intern", "junior", "mid", "senior", "staff", "principal", "executive"}

const (
	rankSenior = 3
	rankStaff  = 4
	rankTop    = 6
	// maxCoachees is the Policy's coach-capacity max.
	maxCoachees = 5
	// maxSpan is the Policy's span-of-control max.
	maxSpan = 12
)

type status uint8

const (
	active status = iota
	leave
	departed
)

type role uint8

const (
	member  role = iota // reports to a sub-lead (spec.manager) or to the lead (team default)
	lead                // the team's manager; reports to the parent team's manager
	sublead             // reports to the lead (team default); manages members by spec.manager
	external
)

type person struct {
	name, first, last string
	github, email     string
	title             string // job title (realistic shape; the HR export)
	office            string
	team              int // -1 for externals
	rank              int // -1 for externals
	status            status
	role              role
	manager           int // spec.manager, or -1 for the team default
	coach             int // -1: none
	coachRef          string
	mentors           []mentor
	expertise         []string
	load              int  // coachees
	mentees           int  // people this person mentors
	deliberate        bool // carries a deliberate finding: head leaves it alone
	removed           bool
	pinned            bool // head: changed already, leave it alone
}

type mentor struct {
	person int
	domain string
}

type team struct {
	name, display string
	parent        int
	depth         int
	lead          int
	members       []int // in file order, lead first
	children      []int
}

// org is the generated org, with the bookkeeping that keeps it clean.
type org struct {
	r         *rand.Rand
	people    []*person
	teams     []*team
	externals []int
	// byRank lists, per level, the people who may coach or mentor:
	// active and internal.
	byRank [][]int
	names  map[string]bool
	stats  Stats
	// realistic: built by buildRealistic.
	realistic bool
}

var (
	firstNames = strings.Fields(`Olena Taras Bogdan Sofia Lars Kateryna Anneke Femke Hanna Mykola Sanne Eva Oksana Jan
		Pieter Maria Iryna Andriy Dmytro Yulia Anna Lukas Emma Noah Mila Ines Tomas Ravi Priya Chen Wei Yuki Kenji Amara
		Kwame Fatima Omar Leila Diego Lucia Mateo Sara Erik Astrid Nils Freya Jonas Clara Felix Greta Marco Giulia Paulo
		Beatriz Ana Rui Zoe Liam Aisha Tariq Nadia Igor Vera Oskar Elif Emre Selin Jakub Zofia`)
	lastNames = strings.Fields(`Melnyk Lysenko Bakker Hrytsenko Shevchenko Dekker Visser Jansen Kovalenko Bondarenko
		Smit Mulder Boyko Tkachenko Kravets Oliynyk Moroz Novak Horvat Schmidt Fischer Weber Meyer Wagner Becker Rossi Russo
		Ferrari Silva Santos Costa Pereira Garcia Martinez Lopez Kim Park Tanaka Sato Suzuki Nguyen Tran Okafor Mensah
		Haddad Nasser Yilmaz Kaya Demir Nowak Kowalski Lindqvist Berg Hansen Larsen Nielsen Andersen Dubois Laurent Moreau`)
	areas = strings.Fields(`platform payments search growth billing identity mobile web data ml infra security support
		sales marketing finance legal people design research ads maps checkout catalog logistics messaging media devex
		reliability analytics`)
	domains = strings.Fields(`go rust python java kubernetes terraform postgres sql security networking frontend react
		design ux-research product-management data-engineering machine-learning statistics sales negotiation marketing
		finance legal recruiting incident-response architecture testing observability mobile accessibility`)
	offices = strings.Fields(`kyiv amsterdam berlin lisbon toronto austin singapore remote`)
)

// build generates the base org.
func build(n int, seed uint64) (*org, error) {
	o := &org{r: rand.New(rand.NewPCG(seed, 0x6f7267676e)), names: map[string]bool{}, byRank: make([][]int, len(levels))}
	o.stats.Findings = map[string]int{}
	nExt := max(3, n/1000)
	nInt := n - nExt
	o.buildTeams(nInt)
	for i := range nExt {
		p := o.newPerson(-1, -1, external)
		p.expertise = []string{"coaching", "leadership"}
		if i%2 == 0 {
			p.expertise = append(p.expertise, domains[o.r.IntN(len(domains))])
		}
		o.externals = append(o.externals, len(o.people)-1)
	}
	for i, p := range o.people {
		if p.status == active && p.role != external {
			o.byRank[p.rank] = append(o.byRank[p.rank], i)
		}
	}
	o.deliberateFindings(n)
	if err := o.assignCoaches(); err != nil {
		return nil, err
	}
	o.assignMentors()
	o.count()
	return o, nil
}

// buildTeams makes a tree of teams of 36 to 64 people (about 2% of people
// are teams) and fills them: a lead, sub-leads who report to the lead
// through the team default and manage groups of up to ten by
// spec.manager, and a few members who report to the lead directly.
func (o *org) buildTeams(nInt int) {
	nTeams := max(3, (nInt+25)/50)
	// The tree, breadth first: the root has 3 to 6 children, others 2 to 5.
	o.teams = append(o.teams, &team{name: "company", display: "Company", parent: -1})
	quota := 3 + o.r.IntN(4)
	for parent := 0; len(o.teams) < nTeams; parent++ {
		if parent > 0 {
			quota = 2 + o.r.IntN(4)
		}
		for range quota {
			if len(o.teams) >= nTeams {
				break
			}
			i := len(o.teams)
			a := areas[o.r.IntN(len(areas))]
			t := &team{
				name:    a + "-" + strconv.Itoa(i),
				display: strings.ToUpper(a[:1]) + a[1:] + " " + strconv.Itoa(i),
				parent:  parent,
				depth:   o.teams[parent].depth + 1,
			}
			o.teams = append(o.teams, t)
			o.teams[parent].children = append(o.teams[parent].children, i)
		}
	}
	// Sizes: the company team is the CEO and three direct reports (who,
	// being above everyone, can only be coached from outside); the other
	// teams get random weights scaled to the rest.
	const rootSize = 4
	weights := make([]int, nTeams)
	total := 0
	for i := 1; i < nTeams; i++ {
		weights[i] = 36 + o.r.IntN(29)
		total += weights[i]
	}
	sizes := make([]int, nTeams)
	sizes[0] = rootSize
	sum := rootSize
	for i := 1; i < nTeams; i++ {
		sizes[i] = weights[i] * (nInt - rootSize) / total
		sum += sizes[i]
	}
	for i := 1; sum < nInt; i = 1 + i%(nTeams-1) {
		sizes[i]++
		sum++
	}
	for ti, t := range o.teams {
		o.fillTeam(ti, t, sizes[ti])
	}
}

func (o *org) fillTeam(ti int, t *team, size int) {
	leadRank := rankSenior + o.r.IntN(2)
	switch t.depth {
	case 0:
		leadRank = rankTop
	case 1:
		leadRank = 5
	case 2:
		leadRank = rankStaff
	}
	o.newPerson(ti, leadRank, lead)
	t.lead = len(o.people) - 1
	t.members = append(t.members, t.lead)
	rest := size - 1
	subs := (rest + 10) / 11
	if rest <= 3 {
		subs = 0 // the company team: everyone reports to the CEO
	}
	direct := max(0, min(3, maxSpan-1-subs-len(t.children), rest-subs))
	grouped := rest - subs - direct
	for s := range subs {
		o.newPerson(ti, rankSenior+boolInt(o.r.IntN(10) < 3), sublead)
		sl := len(o.people) - 1
		t.members = append(t.members, sl)
		// Round-robin share of the grouped members.
		k := grouped / subs
		if s < grouped%subs {
			k++
		}
		for range k {
			p := o.newPerson(ti, memberRank(o.r), member)
			p.manager = sl
			o.memberStatus(p)
			t.members = append(t.members, len(o.people)-1)
		}
	}
	for range direct {
		rank := memberRank(o.r)
		if t.depth == 0 {
			rank = rankTop // the CEO's direct reports are executives
		}
		p := o.newPerson(ti, rank, member)
		o.memberStatus(p)
		t.members = append(t.members, len(o.people)-1)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// memberRank draws a level: 4% intern, 18% junior, 38% mid, 30% senior,
// 10% staff.
func memberRank(r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 4:
		return 0
	case x < 22:
		return 1
	case x < 60:
		return 2
	case x < 90:
		return 3
	}
	return 4
}

// memberStatus puts 1% of members on leave and 0.5% departed.
func (o *org) memberStatus(p *person) {
	switch x := o.r.IntN(1000); {
	case x < 10:
		p.status = leave
	case x < 15:
		p.status = departed
	}
}

func (o *org) newPerson(ti, rank int, ro role) *person {
	i := len(o.people)
	first, last := firstNames[o.r.IntN(len(firstNames))], lastNames[o.r.IntN(len(lastNames))]
	id := strconv.FormatInt(int64(i), 36)
	p := &person{
		name:    strings.ToLower(first) + "-" + strings.ToLower(last) + "-" + id,
		first:   first,
		last:    last,
		team:    ti,
		rank:    rank,
		role:    ro,
		manager: -1,
		coach:   -1,
	}
	if o.r.IntN(100) < 85 {
		p.github = strings.ToLower(first[:1]) + strings.ToLower(last) + id
	}
	if o.r.IntN(2) == 0 {
		p.email = p.name + "@example.com"
	}
	if o.r.IntN(10) > 0 {
		p.office = offices[o.r.IntN(len(offices))]
	}
	if ro != external {
		k := 1 + o.r.IntN(3)
		for len(p.expertise) < k {
			d := domains[o.r.IntN(len(domains))]
			if !slices.Contains(p.expertise, d) {
				p.expertise = append(p.expertise, d)
			}
		}
	}
	o.people = append(o.people, p)
	o.names[p.name] = true
	return p
}

// effectiveManager follows SPEC §2: spec.manager, else the manager of the
// nearest team (own team first) who is someone else.
func (o *org) effectiveManager(i int) int {
	p := o.people[i]
	if p.manager >= 0 {
		return p.manager
	}
	for t := p.team; t >= 0; t = o.teams[t].parent {
		if l := o.teams[t].lead; l != i {
			return l
		}
	}
	return -1
}

// related reports whether one team is the other or above it: people in
// related teams may share a reporting line, so coaches and mentors come
// from unrelated teams (never a manager, a skip-level manager or a report).
func (o *org) related(a, b int) bool {
	if a < 0 || b < 0 {
		return false
	}
	for o.teams[a].depth > o.teams[b].depth {
		a = o.teams[a].parent
	}
	for o.teams[b].depth > o.teams[a].depth {
		b = o.teams[b].parent
	}
	return a == b
}

// canCoach reports whether c may coach x without any finding.
func (o *org) canCoach(c, x int) bool {
	cp, xp := o.people[c], o.people[x]
	if c == x || cp.status != active || cp.removed || cp.load >= maxCoachees {
		return false
	}
	if cp.role != external && (cp.rank < xp.rank || cp.rank > xp.rank+2 || o.related(cp.team, xp.team)) {
		return false
	}
	for _, m := range xp.mentors {
		if m.person == c {
			return false
		}
	}
	return true
}

// findCoach picks a coach for x: a peer or someone up to two levels more
// senior in an unrelated team with room, or an external coach.
func (o *org) findCoach(x, exclude int) int {
	xp := o.people[x]
	if xp.rank >= rankStaff && o.r.IntN(4) == 0 {
		if c := o.externals[o.r.IntN(len(o.externals))]; c != exclude && o.canCoach(c, x) {
			return c
		}
	}
	lo, hi := xp.rank, min(xp.rank+2, rankTop)
	for range 64 {
		pool := o.byRank[lo+o.r.IntN(hi-lo+1)]
		if len(pool) == 0 {
			continue
		}
		if c := pool[o.r.IntN(len(pool))]; c != exclude && o.canCoach(c, x) {
			return c
		}
	}
	for _, c := range o.externals {
		if c != exclude && o.canCoach(c, x) {
			return c
		}
	}
	for r := lo; r <= hi; r++ {
		for _, c := range o.byRank[r] {
			if c != exclude && o.canCoach(c, x) {
				return c
			}
		}
	}
	return -1
}

// plainMembers lists active members (not leads or sub-leads) in random
// order: the people deliberate findings and head changes are made on.
func (o *org) plainMembers(r *rand.Rand) []int {
	var out []int
	for i, p := range o.people {
		if p.role == member && p.status == active && !p.deliberate && !p.removed && !p.pinned {
			out = append(out, i)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// deliberateFindings plants about one finding per thousand people:
// missing coaches (0.08%), coaches who are the manager (0.01%) and coaches
// whose name is a typo (unknown-reference, 0.01%); at least one of each.
func (o *org) deliberateFindings(n int) {
	pool := o.plainMembers(o.r)
	take := func() int {
		i := pool[0]
		pool = pool[1:]
		o.people[i].deliberate = true
		return i
	}
	for range max(1, n*8/10000) {
		take() // no coach
		o.stats.Findings["missing-coach"]++
	}
	for done := 0; done < max(1, n/10000); {
		x := take()
		m := o.effectiveManager(x)
		if mp := o.people[m]; mp.status != active || mp.load >= maxCoachees || mp.rank < o.people[x].rank {
			o.people[x].deliberate = false
			continue
		}
		o.people[x].coach = m
		o.people[m].load++
		o.stats.Findings["coach-is-manager"]++
		done++
	}
	for range max(1, n/10000) {
		x := take()
		o.people[x].coachRef = o.typo(o.people[o.byRank[o.people[x].rank][0]].name)
		o.stats.Findings["unknown-reference"]++
	}
}

// typo drops one letter of a name's first part: a name nobody has, one
// edit away from a real one (so orgctl has a "did you mean" to offer).
func (o *org) typo(name string) string {
	for k := 1; ; k++ {
		i := strings.IndexByte(name, '-')
		j := min(k, i-1)
		t := name[:j] + name[j+1:]
		if !o.names[t] {
			return t
		}
		if k > 20 {
			return "nobody-" + name
		}
	}
}

// assignCoaches gives every internal person who is not departed (and has
// no deliberate finding) a coach, the most senior first, since their
// coaches are the scarcest.
func (o *org) assignCoaches() error {
	var todo []int
	for i, p := range o.people {
		if p.role != external && p.status != departed && !p.deliberate {
			todo = append(todo, i)
		}
	}
	o.r.Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })
	slices.SortStableFunc(todo, func(a, b int) int { return o.people[b].rank - o.people[a].rank })
	for _, x := range todo {
		c := o.findCoach(x, -1)
		if c < 0 {
			return fmt.Errorf("no coach left for %s (level %s): the org is too small or too top-heavy", o.people[x].name, levels[o.people[x].rank])
		}
		o.people[x].coach = c
		o.people[c].load++
	}
	return nil
}

// assignMentors gives a quarter of the people up to senior one mentor
// (some two): more senior, in an unrelated team, not their coach, in a
// domain of the mentor's expertise.
func (o *org) assignMentors() {
	for _, p := range o.people {
		if p.role == external || p.status == departed || p.rank > rankSenior || o.r.IntN(4) > 0 {
			continue
		}
		want := 1 + boolInt(o.r.IntN(10) == 0)
		for range 32 {
			if len(p.mentors) == want {
				break
			}
			lo, hi := p.rank+1, min(p.rank+3, 5)
			pool := o.byRank[lo+o.r.IntN(hi-lo+1)]
			if len(pool) == 0 {
				continue
			}
			m := pool[o.r.IntN(len(pool))]
			mp := o.people[m]
			if m == p.coach || o.related(mp.team, p.team) || slices.ContainsFunc(p.mentors, func(x mentor) bool { return x.person == m }) {
				continue
			}
			p.mentors = append(p.mentors, mentor{person: m, domain: mp.expertise[o.r.IntN(len(mp.expertise))]})
			mp.mentees++
		}
	}
}

// count fills the head-independent stats.
func (o *org) count() {
	o.stats.People, o.stats.Teams = 0, len(o.teams)
	o.stats.Externals, o.stats.Leave, o.stats.Departed = 0, 0, 0
	for _, p := range o.people {
		if p.removed {
			continue
		}
		o.stats.People++
		switch {
		case p.role == external:
			o.stats.Externals++
		case p.status == leave:
			o.stats.Leave++
		case p.status == departed:
			o.stats.Departed++
		}
	}
}
