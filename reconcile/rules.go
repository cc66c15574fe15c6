package reconcile

import (
	"fmt"
	"hash/maphash"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// Options tune a check run.
type Options struct {
	// Today decides which exemptions have expired; zero means now.
	Today time.Time
}

// checker collects findings for one run over an Org.
type checker struct {
	org      *Org
	findings []Finding
	seen     map[string]bool // fingerprints of relationship findings
	severity map[RuleID]Severity
	// prior holds the findings of every rule that is not late, for the
	// late rules (the exemption rules) to read.
	prior []Finding
	today time.Time
	// memo, when set, keeps what a head's check can reuse (checkKeeping);
	// inc, when set, is what this check reuses from its base (checkFrom).
	memo *checkMemo
	inc  *incremental
}

// emit records a finding once per fingerprint, at the severity in force.
// kind says what subject names. sev overrides the rule's severity when not
// Off (inactive-assignee on leave is a warning).
func (c *checker) emit(rule RuleID, kind SubjectKind, subject, other string, src schema.Source, pos schema.Pos, sev Severity, format string, args ...any) {
	s := c.severity[rule]
	if s == Off {
		return
	}
	if sev != Off && sev < s {
		s = sev
	}
	fp := Fingerprint(rule, subject, other)
	if c.seen[fp] {
		return
	}
	c.seen[fp] = true
	if pos.Line == 0 {
		pos = src.Start
	}
	if pos.Line == 0 {
		pos.Line = 1
	}
	c.findings = append(c.findings, Finding{
		Rule: rule, Severity: s, Subject: subject, SubjectKind: kind, Other: other, Fingerprint: fp,
		Message: fmt.Sprintf(format, args...),
		File:    src.File, Rel: src.Rel, Line: int(pos.Line), Column: int(pos.Column),
	})
}

// ruleSeverities returns the severity of every rule after Policy overrides.
func ruleSeverities(p *Policy) map[RuleID]Severity {
	out := make(map[RuleID]Severity, len(registry))
	for _, r := range registry {
		out[r.ID] = r.Default
	}
	if p != nil {
		for id, rc := range p.Rules {
			if rc.Severity == "" {
				continue
			}
			if s, err := ParseSeverity(rc.Severity); err == nil {
				out[RuleID(id)] = s
			}
		}
	}
	out[RuleParse], out[RuleSchema] = Error, Error
	return out
}

// Check loads nothing and changes nothing: it runs every rule over the
// documents of a Set and returns the findings (loader problems included),
// sorted, with exempted findings marked.
func Check(set *schema.Set, opts Options) Result {
	org := Build(set)
	return org.Check(set, opts)
}

// Check runs every rule of the registry over an Org built from set.
func (o *Org) Check(set *schema.Set, opts Options) Result {
	return o.check(set, opts, nil, nil)
}

// check is Check, keeping what a head's check can reuse in memo or
// reusing what inc says of the base (see incremental.go), when set.
func (o *Org) check(set *schema.Set, opts Options, memo *checkMemo, inc *incremental) Result {
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	o.SetToday(today)
	c := &checker{org: o, seen: map[string]bool{}, severity: ruleSeverities(o.Policy), today: today, memo: memo, inc: inc}
	for _, p := range set.Problems {
		subject, kind := p.Rel, SubjectFile
		if p.Rule == schema.RuleSchema && p.Name != "" {
			subject, kind = p.Name, o.problemKind(set, p)
		}
		pos := p.Pos
		if pos.Line == 0 {
			pos.Line = 1
		}
		rule := RuleID(p.Rule)
		c.findings = append(c.findings, Finding{
			Rule: rule, Severity: Error, Subject: subject, SubjectKind: kind, Fingerprint: Fingerprint(rule, subject, ""),
			Message: p.Message, File: p.File, Rel: p.Rel, Line: int(pos.Line), Column: int(pos.Column),
		})
	}
	c.runChecks()
	c.exemptions()
	if set.Paths != nil {
		// Documents shared with another load (plan's base and head)
		// carry that load's path: show this one's.
		for i := range c.findings {
			if f, ok := set.Paths[c.findings[i].File]; ok {
				c.findings[i].File = f
			}
		}
	}
	SortFindings(c.findings)
	res := Result{Findings: c.findings}
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	res.Summary = Summary{People: len(o.People), Teams: len(o.Teams), Files: set.Files, Skipped: len(set.Skipped), HeldBack: o.HeldBack()}
	for _, f := range res.Findings {
		switch {
		case f.Exempt:
			res.Summary.Exempt++
		case f.Severity == Error:
			res.Summary.Errors++
		case f.Severity == Warning:
			res.Summary.Warnings++
		}
	}
	return res
}

// problemKind is the kind of the document a loader problem is about, or
// "" when the document's kind is not one orgctl knows.
func (o *Org) problemKind(set *schema.Set, p schema.Problem) SubjectKind {
	for _, d := range o.docs {
		if d.Name == p.Name && set.File(d.Source) == p.File {
			return kindSubject(d.Kind)
		}
	}
	return ""
}

// runChecks runs the check of every rule on its own goroutine (bounded by
// GOMAXPROCS), the pairing rules together in one pass through JudgePair,
// then the late rules with the others' findings; findings are merged in
// registry order. Each check emits the findings of its own rule only, so
// fingerprints (which start with the rule) never collide between checks
// and they can run in parallel. No check depends on another: the chain
// rules walk through loops rather than skipping their members.
func (c *checker) runChecks() {
	var early, late []func(*checker)
	for _, r := range registry {
		switch {
		case r.Check == nil || c.severity[r.ID] == Off:
		case r.late:
			late = append(late, r.Check)
		default:
			early = append(early, r.Check)
		}
	}
	// The coach rules ask Above, whose index is built on first use: built
	// first, beside the other checks, it is ready when checkPairings'
	// ranges ask, rather than one range building it while the other waits.
	if (c.severity[RuleCoachInManagementChain] != Off || c.severity[RuleCoachReportsToCoachee] != Off) && !c.org.walkAbove {
		early = append([]func(*checker){func(c *checker) { c.org.reachIndex() }}, early...)
	}
	early = append(early, checkPairings)
	c.run(early)
	c.prior = c.findings
	c.run(late)
}

// run runs checks in parallel and appends their findings in order.
func (c *checker) run(checks []func(*checker)) {
	parts := make([][]Finding, len(checks))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			child := &checker{org: c.org, seen: map[string]bool{}, severity: c.severity, prior: c.prior, today: c.today, memo: c.memo, inc: c.inc}
			check(child)
			parts[i] = child.findings
		}()
	}
	wg.Wait()
	for _, p := range parts {
		c.findings = append(c.findings, p...)
	}
}

// subjects are the people rules look at: participating and not departed,
// in load order. The slice is the Org's: do not modify it.
func (c *checker) subjects() []*Person { return c.org.subjects }

func checkDuplicateNames(c *checker) {
	var policy *schema.Document
	for _, d := range c.org.docs {
		if !d.Valid() || d.Name == "" {
			continue
		}
		if d.Kind == schema.KindPolicy {
			if policy != nil && policy.Name != d.Name {
				c.emit(RuleDuplicateName, kindSubject(d.Kind), d.Name, "", d.Source, d.NamePos, Off,
					"a second Policy %q (the first is %q at %s): an org has one Policy; merge them", d.Name, policy.Name, where(policy.Source.Rel, policy.NamePos))
				continue
			}
			if policy == nil {
				policy = d
			}
		}
		// Build found the first valid document of each kind and name.
		if f, dup := c.org.dupFirst[d]; dup {
			c.emit(RuleDuplicateName, kindSubject(d.Kind), d.Name, "", d.Source, d.NamePos, Off,
				"%s %q is defined twice (first at %s): rename or remove one; orgctl uses the first", d.Kind, d.Name, where(f.Source.Rel, f.NamePos))
		}
	}
}

// where names a place in a message, relative to the org root so that the
// message reads the same whatever directory orgctl ran from (messages are
// published in issues and comments).
func where(file string, p schema.Pos) string { return fmt.Sprintf("%s:%d", file, p.Line) }

// checkDuplicateGitHub finds the logins two people share. Most logins
// are unique: a first pass marks, in two bit sets indexed by a hash of the
// login, the hashes seen and those seen twice; only the people whose hash
// was seen twice (every holder of a shared login, and a few who merely
// share a hash) go into the map that finds the first of each login. A
// map of every login of a million people would not fit in the cache, and
// filling it cost more than all the rest of the check.
func checkDuplicateGitHub(c *checker) {
	o := c.org
	subjects := c.subjects()
	size := uint64(1) << 10
	for size < 16*uint64(len(subjects)) {
		size <<= 1
	}
	seen, twice := make([]uint64, size/64), make([]uint64, size/64)
	// Each subject's login hashed, with its top bit set (0: no login).
	// A plan's head takes the hash of a login from the base's check
	// when the document is the base's (see loginHashes).
	seed, base := c.loginHashes()
	hash := func(i int32, p *Person) uint64 {
		if j := c.inc.cleanFor(o, documentOnly, i); j >= 0 && base != nil {
			return base[j]
		}
		if p.GitHub == "" {
			return 0
		}
		return maphash.String(seed, strings.ToLower(p.GitHub)) | 1<<63
	}
	var kept []uint64
	if c.memo != nil {
		kept = make([]uint64, len(o.People))
	}
	slot := func(h uint64) (int, uint64) {
		h &= size - 1
		return int(h / 64), 1 << (h % 64)
	}
	for i, p := range o.People {
		if o.departed(int32(i)) {
			continue
		}
		h := hash(int32(i), p)
		if kept != nil {
			kept[i] = h
		}
		if h == 0 {
			continue
		}
		w, b := slot(h)
		if seen[w]&b != 0 {
			twice[w] |= b
		}
		seen[w] |= b
	}
	if c.memo != nil {
		c.memo.loginSeed, c.memo.logins = seed, kept
	}
	first := map[string]*Person{}
	for i, p := range o.People {
		if o.departed(int32(i)) {
			continue
		}
		h := hash(int32(i), p)
		if h == 0 {
			continue
		}
		if w, b := slot(h); twice[w]&b == 0 {
			continue
		}
		login := strings.ToLower(p.GitHub)
		if f, dup := first[login]; dup {
			c.emit(RuleDuplicateGitHub, SubjectLogin, login, "", *p.Source, p.GitHubPos, Off,
				"%s and %s share the GitHub login %q: issues and reviews would reach the wrong person; correct one of them", f.Name, p.Name, p.GitHub)
			continue
		}
		first[login] = p
	}
}

// didYouMean suggests a close existing name.
func didYouMean(name string, candidates []string) string {
	return hintFor(schema.Suggest(name, candidates))
}

// hintFor words a suggested name, "" for none.
func hintFor(suggested string) string {
	if suggested == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", suggested)
}

// once returns an index of list's names for did-you-mean hints, built on
// first use: most orgs have no unknown reference at all, and a large one
// with many asks every name once per missing name. The names may come in
// any order (a tie goes to the smallest), so a million need no sorting.
func once(list func() []string) func() *schema.Suggester {
	var x *schema.Suggester
	return func() *schema.Suggester {
		if x == nil {
			x = schema.NewSuggesterAnyOrder(list())
		}
		return x
	}
}

// indexed is a field name with an index, as "spec.mentors[2].person" is
// indexed{"spec.mentors[", 2, "].person"}: written out only for a finding.
type indexed struct {
	before string
	i      int
	after  string
}

func (f indexed) String() string {
	if f.before == "" {
		return f.after
	}
	return f.before + strconv.Itoa(f.i) + f.after
}

// field is a field name without an index.
func field(name string) indexed { return indexed{after: name} }

func checkReferences(c *checker) {
	o := c.org
	candidates := map[string]func() *schema.Suggester{
		schema.KindPerson: once(o.personNames),
		schema.KindTeam:   once(func() []string { return slices.Collect(maps.Keys(o.teamNames)) }),
	}
	// suggested holds the name suggested for each missing kind/name, ""
	// for none.
	suggested := map[string]string{}
	ref := func(subjectKind SubjectKind, subject string, fld indexed, name, kind string, src schema.Source, pos schema.Pos) {
		if name == "" || (kind == schema.KindTeam && o.teamNames[name]) || (kind == schema.KindPerson && o.personNamed(name)) {
			return
		}
		field := fld.String()
		// One missing name is often referenced many times (a departed
		// coach deleted from the files): compute its hint once.
		key := kind + "/" + name
		sug, ok := suggested[key]
		if !ok {
			if sug, ok = c.inc.suggestion(o, kind, name); !ok {
				sug = candidates[kind]().Suggest(name)
			}
			suggested[key] = sug
		}
		hint := hintFor(sug)
		if kind == schema.KindPerson && o.teamNames[name] {
			hint = fmt.Sprintf(" (%q is a Team; name its manager instead)", name)
		}
		c.emit(RuleUnknownReference, subjectKind, subject, name, src, pos, Off,
			"%s: %s names %q, but there is no %s of that name%s", subject, field, name, kind, hint)
	}
	var loud []bool // for memo: whether person i has anything to look at
	if c.memo != nil {
		loud = make([]bool, len(o.People))
	}
	for i, p := range o.People {
		if c.inc.refQuiet(o, int32(i)) {
			continue
		}
		if p.Status == schema.StatusDeparted {
			continue
		}
		before := len(c.findings)
		// A person naming themselves is a self-reference, not an
		// unknown one (their own document may be the broken one).
		person := func(field indexed, name string, pos schema.Pos) {
			if name != p.Name {
				ref(SubjectPerson, p.Name, field, name, schema.KindPerson, *p.Source, pos)
			}
		}
		ref(SubjectPerson, p.Name, field("spec.team"), p.Team, schema.KindTeam, *p.Source, p.TeamPos)
		// Build resolved the names: only those naming no participating
		// person need a look. A known manager came from spec.manager
		// or from a team (then spec.manager is empty).
		if o.mgr[i] < 0 {
			person(field("spec.manager"), p.Manager, p.ManagerPos)
		}
		if o.coach[i] < 0 {
			person(field("spec.coach"), p.Coach, p.CoachPos)
		}
		for j, id := range o.mentorsOf(int32(i)) {
			if id < 0 {
				m := &p.Mentors[j]
				person(indexed{"spec.mentors[", j, "].person"}, m.Person, m.Pos)
			}
		}
		past := p.Lifecycle().PastPairings
		for i, pp := range past {
			person(indexed{"spec.pastPairings[", i, "].person"}, pp.Person, pp.PersonPos)
		}
		if loud != nil {
			loud[i] = len(c.findings) > before || len(past) > 0
		}
	}
	if c.memo != nil {
		c.memo.refLoud = loud
	}
	defer func() {
		if c.memo != nil {
			c.memo.suggested = suggested
		}
	}()
	for _, t := range o.Teams {
		ref(SubjectTeam, t.Name, field("spec.parent"), t.Parent, schema.KindTeam, t.Source, t.ParentPos)
		ref(SubjectTeam, t.Name, field("spec.manager"), t.Manager, schema.KindPerson, t.Source, t.ManagerPos)
	}
	// A root naming nobody would silently allow nobody: the person meant
	// then gets missing-manager with no hint why the Policy did not help.
	if p := o.Policy; p != nil {
		for i, r := range p.Roots {
			var pos schema.Pos
			if i < len(p.RootPos) {
				pos = p.RootPos[i]
			}
			ref(SubjectPolicy, p.Name, indexed{"Policy.spec.roots[", i, "]"}, r, schema.KindPerson, p.Source, pos)
		}
	}
	checkDoNotPairReferences(c)
}

func checkLevels(c *checker) {
	if pol := c.org.Policy; pol != nil {
		// A level the Policy names must be on the ladder; a typo would
		// otherwise silently switch the setting off.
		policyLevel := func(field, level string, pos schema.Pos) {
			if _, ok := c.org.rank[level]; level == "" || ok {
				return
			}
			c.emit(RuleUnknownLevel, SubjectPolicy, pol.Name, field, pol.Source, pos, Off,
				"Policy %s sets %s to %q, which is not on the ladder [%s]%s: use one of those",
				pol.Name, field, level, strings.Join(c.org.levels, ", "), didYouMean(level, c.org.levels))
		}
		policyLevel("coaching.coachFromAbove", pol.Coaching.CoachFromAbove, pol.Coaching.CoachFromAbovePos)
		if rc, ok := pol.Rules[string(RuleCoachIsManager)]; ok {
			policyLevel("rules.coach-is-manager.allowFromLevel", rc.AllowFromLevel, rc.Pos)
		}
	}
	c.eachPerson(RuleUnknownLevel, documentOnly, func(_ int32, p *Person) {
		if p.External {
			return
		}
		if p.Level == "" {
			// Not a schema error, so that the people who report to someone
			// imported without a level still resolve their manager.
			c.emit(RuleUnknownLevel, SubjectPerson, p.Name, "", *p.Source, p.NamePos, Off,
				"%s has no level: set spec.level to one of [%s]", p.Name, strings.Join(c.org.levels, ", "))
			return
		}
		if _, ok := c.org.rank[p.Level]; !ok {
			hint := ""
			if s := didYouMean(p.Level, c.org.levels); s != "" {
				hint = s
			}
			c.emit(RuleUnknownLevel, SubjectPerson, p.Name, "", *p.Source, p.LevelPos, Off,
				"%s has level %q, which is not on the ladder [%s]%s: use one of those or add it to Policy.spec.levels",
				p.Name, p.Level, strings.Join(c.org.levels, ", "), hint)
		}
	})
}

func checkSelfReferences(c *checker) {
	c.eachPerson(RuleSelfReference, documentOnly, func(_ int32, p *Person) {
		var fields []string
		pos := schema.Pos{}
		add := func(f string, at schema.Pos) {
			fields = append(fields, f)
			if pos.Line == 0 {
				pos = at
			}
		}
		if p.Manager == p.Name {
			add("manager", p.ManagerPos)
		}
		if p.Coach == p.Name {
			add("coach", p.CoachPos)
		}
		for _, m := range p.Mentors {
			if m.Person == p.Name {
				add("mentor", m.Pos)
				break
			}
		}
		if len(fields) > 0 {
			c.emit(RuleSelfReference, SubjectPerson, p.Name, "", *p.Source, pos, Off,
				"%s is named as their own %s: name someone else", p.Name, strings.Join(fields, " and "))
		}
	})
}

func checkCycles(c *checker) {
	o := c.org
	for _, cyc := range o.managementCycles() {
		first := o.Person(cyc[0])
		src, pos := managerSource(first, o.Manager(first.Name))
		c.emit(RuleManagementCycle, SubjectPerson, cyc[0], "", src, pos, Off,
			"management chain loops: %s → %s; change one manager so the chain ends at a root", strings.Join(cyc, " → "), cyc[0])
	}
	for _, cyc := range o.teamCycles() {
		first := o.team[cyc[0]]
		c.emit(RuleManagementCycle, SubjectTeam, cyc[0], "", first.Source, first.ParentPos, Off,
			"team parents loop: %s → %s; change one parent so the teams form a tree", strings.Join(cyc, " → "), cyc[0])
	}
}

// managerSource is where a person's effective manager is declared: their
// spec.manager, or the manager field of the team it comes from.
func managerSource(p *Person, m ManagerRef) (schema.Source, schema.Pos) {
	if m.Via != nil {
		return m.Via.Source, m.Via.ManagerPos
	}
	if p.ManagerPos.Line != 0 {
		return *p.Source, p.ManagerPos
	}
	return *p.Source, p.SpecPos
}

func checkMissingManager(c *checker) {
	o := c.org
	c.eachPerson(RuleMissingManager, managerState, func(i int32, p *Person) {
		if p.External || p.Status != schema.StatusActive {
			return
		}
		if o.managers[i].state == refNone && !o.roots[p.Name] {
			c.emit(RuleMissingManager, SubjectPerson, p.Name, "", *p.Source, p.SpecPos, Off,
				"%s has no manager: set spec.manager, give team %q a manager, or list %s in Policy.spec.roots", p.Name, p.Team, p.Name)
		}
	})
}

func checkMissingCoach(c *checker) {
	c.eachPerson(RuleMissingCoach, documentOnly, func(_ int32, p *Person) {
		if p.External || p.Status != schema.StatusActive {
			return
		}
		if p.Coach == "" {
			c.emit(RuleMissingCoach, SubjectPerson, p.Name, "", *p.Source, p.SpecPos, Off,
				"%s has no coach; everyone needs one, seniors too: set spec.coach to a trusted peer or someone more senior", p.Name)
		}
	})
}

func checkInactive(c *checker) {
	o := c.org
	// inactive reports whether id is someone other than person i who has
	// departed or is on leave, from the traits (most are neither).
	inactive := func(i int, id int32) bool {
		return id >= 0 && id != int32(i) && o.traits[id].flags&(traitDeparted|traitLeave) != 0
	}
	for i, p := range o.People {
		if o.departed(int32(i)) {
			continue
		}
		check := func(role string, id int32, src schema.Source, pos schema.Pos) {
			a := o.People[id]
			switch a.Status {
			case schema.StatusDeparted:
				c.emit(RuleInactiveAssignee, SubjectPerson, p.Name, a.Name, src, pos, Off,
					"%s's %s %s has departed: name someone who is still here", p.Name, role, a.Name)
			case schema.StatusLeave:
				c.emit(RuleInactiveAssignee, SubjectPerson, p.Name, a.Name, src, pos, Warning,
					"%s's %s %s is on leave: consider someone who is around in the meantime", p.Name, role, a.Name)
			}
		}
		if o.managers[i].state == refKnown && inactive(i, o.mgr[i]) {
			src, pos := managerSource(p, o.managerRef(int32(i)))
			check("manager", o.mgr[i], src, pos)
		}
		if inactive(i, o.coach[i]) {
			check("coach", o.coach[i], *p.Source, p.CoachPos)
		}
		for j, id := range o.mentorsOf(int32(i)) {
			if inactive(i, id) {
				check("mentor", id, *p.Source, p.Mentors[j].Pos)
			}
		}
	}
}

// ruleMax returns a rule's max parameter.
func (o *Org) ruleMax(rule RuleID, def int) int {
	if o.Policy != nil {
		if rc, ok := o.Policy.Rules[string(rule)]; ok && rc.Max != nil {
			return *rc.Max
		}
	}
	return def
}

func checkCoachCapacity(c *checker) {
	o := c.org
	// Count first; list the coachees only of the coaches over capacity.
	count := make([]int32, len(o.People))
	for i, p := range o.People {
		if p.Status != schema.StatusDeparted && o.coach[i] >= 0 {
			count[o.coach[i]]++
		}
	}
	var over map[int32][]string
	for i, p := range o.People {
		if max, limited := o.CoachCapacity(p); limited && p.Status != schema.StatusDeparted && int(count[i]) > max {
			if over == nil {
				over = map[int32][]string{}
			}
			over[int32(i)] = make([]string, 0, count[i])
		}
	}
	if over == nil {
		return
	}
	for i, p := range o.People {
		if l, ok := over[o.coach[i]]; ok && p.Status != schema.StatusDeparted {
			over[o.coach[i]] = append(l, p.Name)
		}
	}
	for i, p := range o.People {
		n, ok := over[int32(i)]
		if !ok {
			continue
		}
		max, _ := o.CoachCapacity(p)
		sort.Strings(n)
		if p.Lifecycle().CoachCapacity != nil {
			// The coach's own capacity: reported where it is written.
			c.emit(RuleCoachCapacity, SubjectPerson, p.Name, "", *p.Source, p.Lifecycle().CoachCapacityPos, Off,
				"%s coaches %d people (%s), more than their own coaching.capacity of %d: move some to coaches with capacity, or raise it with %s", p.Name, len(n), strings.Join(n, ", "), max, p.Name)
			continue
		}
		c.emit(RuleCoachCapacity, SubjectPerson, p.Name, "", *p.Source, p.NamePos, Off,
			"%s coaches %d people (%s), more than the %d allowed: move some to coaches with capacity", p.Name, len(n), strings.Join(n, ", "), max)
	}
}

func checkSpanOfControl(c *checker) {
	o := c.org
	reports := make([]int32, len(o.People))
	for i, p := range o.People {
		if p.Status != schema.StatusDeparted && o.mgr[i] >= 0 {
			reports[o.mgr[i]]++
		}
	}
	spanMax := o.ruleMax(RuleSpanOfControl, DefaultSpanOfControl)
	for i, p := range o.People {
		if n := reports[i]; p.Status != schema.StatusDeparted && int(n) > spanMax {
			c.emit(RuleSpanOfControl, SubjectPerson, p.Name, "", *p.Source, p.NamePos, Off,
				"%s has %d direct reports, more than the %d allowed: split the team or move some reports", p.Name, n, spanMax)
		}
	}
}

// exemptionState says what an exemption does on a given day.
type exemptionState int

const (
	exemptionLive    exemptionState = iota // hides the findings it matches
	exemptionExpired                       // its expiry date has passed
	exemptionBadDate                       // its expiry date is not a date
)

// state of an exemption on day (YYYY-MM-DD).
func exemptionOn(ex schema.Exemption, day string) exemptionState {
	if ex.Expires == "" {
		return exemptionLive
	}
	if _, err := time.Parse("2006-01-02", ex.Expires); err != nil {
		return exemptionBadDate
	}
	if ex.Expires < day {
		return exemptionExpired
	}
	return exemptionLive
}

func (c *checker) day() string { return c.today.Format("2006-01-02") }

func checkExpiredExemptions(c *checker) {
	p := c.org.Policy
	if p == nil {
		return
	}
	day := c.day()
	for _, ex := range p.Exemptions {
		if exemptionOn(ex, day) == exemptionExpired {
			c.emit(RuleExpiredExemption, SubjectPerson, ex.Person, ex.Rule, p.Source, ex.Pos, Off,
				"the exemption of %s from %s expired on %s: fix the finding, or renew the exemption on purpose", ex.Person, ex.Rule, ex.Expires)
		}
	}
}

func checkUnusedExemptions(c *checker) {
	p := c.org.Policy
	if p == nil {
		return
	}
	day := c.day()
	for _, ex := range p.Exemptions {
		if exemptionOn(ex, day) != exemptionLive {
			continue
		}
		if !slices.ContainsFunc(c.prior, func(f Finding) bool { return exempts(ex, f) }) {
			c.emit(RuleUnusedExemption, SubjectPerson, ex.Person, ex.Rule, p.Source, ex.Pos, Off,
				"the exemption of %s from %s matches no finding: remove it", ex.Person, ex.Rule)
		}
	}
}

// exempts reports whether an exemption covers a finding.
func exempts(ex schema.Exemption, f Finding) bool {
	return string(f.Rule) == ex.Rule && f.Subject == ex.Person
}

// exemptions reports exemptions whose expiry is not a date and marks the
// findings that live exemptions cover.
func (c *checker) exemptions() {
	p := c.org.Policy
	if p == nil {
		return
	}
	day := c.day()
	for _, ex := range p.Exemptions {
		switch exemptionOn(ex, day) {
		case exemptionBadDate:
			c.findings = append(c.findings, Finding{
				Rule: RuleSchema, Severity: Error, Subject: p.Name, SubjectKind: SubjectPolicy, Fingerprint: Fingerprint(RuleSchema, p.Name, ""),
				Message: fmt.Sprintf("exemption expires %q, which is not a calendar date: write it as YYYY-MM-DD", ex.Expires),
				File:    p.Source.File, Rel: p.Source.Rel, Line: int(ex.Pos.Line), Column: int(ex.Pos.Column),
			})
		case exemptionLive:
			for i := range c.findings {
				if exempts(ex, c.findings[i]) {
					c.findings[i].Exempt = true
				}
			}
		}
	}
}
