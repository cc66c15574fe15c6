package reconcile

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
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
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	o.SetToday(today)
	c := &checker{org: o, seen: map[string]bool{}, severity: ruleSeverities(o.Policy), today: today}
	for _, p := range set.Problems {
		subject, kind := p.Rel, SubjectFile
		if p.Rule == schema.RuleSchema && p.Name != "" {
			subject, kind = p.Name, o.problemKind(p)
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
func (o *Org) problemKind(p schema.Problem) SubjectKind {
	for _, d := range o.docs {
		if d.Name == p.Name && d.Source.File == p.File {
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
			child := &checker{org: c.org, seen: map[string]bool{}, severity: c.severity, prior: c.prior, today: c.today}
			check(child)
			parts[i] = child.findings
		}()
	}
	wg.Wait()
	for _, p := range parts {
		c.findings = append(c.findings, p...)
	}
}

// subjects are the people rules look at: participating and not departed.
func (c *checker) subjects() []*Person {
	out := make([]*Person, 0, len(c.org.People))
	for _, p := range c.org.People {
		if p.Status != schema.StatusDeparted {
			out = append(out, p)
		}
	}
	return out
}

// active returns the participating, non-departed person of that name.
func (c *checker) active(name string) *Person {
	p := c.org.person[name]
	if p == nil || p.Status == schema.StatusDeparted {
		return nil
	}
	return p
}

func checkDuplicateNames(c *checker) {
	type key struct{ kind, name string }
	first := map[key]*schema.Document{}
	var policy *schema.Document
	for _, d := range c.org.docs {
		if !d.Valid || d.Name == "" {
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
		k := key{d.Kind, d.Name}
		if f, dup := first[k]; dup {
			c.emit(RuleDuplicateName, kindSubject(d.Kind), d.Name, "", d.Source, d.NamePos, Off,
				"%s %q is defined twice (first at %s): rename or remove one; orgctl uses the first", d.Kind, d.Name, where(f.Source.Rel, f.NamePos))
			continue
		}
		first[k] = d
	}
}

// where names a place in a message, relative to the org root so that the
// message reads the same whatever directory orgctl ran from (messages are
// published in issues and comments).
func where(file string, p schema.Pos) string { return fmt.Sprintf("%s:%d", file, p.Line) }

func checkDuplicateGitHub(c *checker) {
	first := map[string]*Person{}
	for _, p := range c.subjects() {
		if p.GitHub == "" {
			continue
		}
		login := strings.ToLower(p.GitHub)
		if f, dup := first[login]; dup {
			c.emit(RuleDuplicateGitHub, SubjectLogin, login, "", p.Source, p.GitHubPos, Off,
				"%s and %s share the GitHub login %q: issues and reviews would reach the wrong person; correct one of them", f.Name, p.Name, p.GitHub)
			continue
		}
		first[login] = p
	}
}

// didYouMean suggests a close existing name.
func didYouMean(name string, candidates []string) string {
	if s := schema.Suggest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// sortedNames returns the keys of names in order, computed on first use:
// most orgs have no unknown reference at all.
func sortedNames(names map[string]bool) func() []string {
	var sorted []string
	return func() []string {
		if sorted == nil {
			sorted = slices.Sorted(maps.Keys(names))
		}
		return sorted
	}
}

func checkReferences(c *checker) {
	o := c.org
	candidates := map[string]func() []string{
		schema.KindPerson: sortedNames(o.personNames),
		schema.KindTeam:   sortedNames(o.teamNames),
	}
	hints := map[string]string{}
	ref := func(subjectKind SubjectKind, subject, field, name, kind string, names map[string]bool, src schema.Source, pos schema.Pos) {
		if name == "" || names[name] {
			return
		}
		// One missing name is often referenced many times (a departed
		// coach deleted from the files): compute its hint once.
		key := kind + "/" + name
		hint, ok := hints[key]
		if !ok {
			hint = didYouMean(name, candidates[kind]())
			hints[key] = hint
		}
		if kind == schema.KindPerson && o.teamNames[name] {
			hint = fmt.Sprintf(" (%q is a Team; name its manager instead)", name)
		}
		c.emit(RuleUnknownReference, subjectKind, subject, name, src, pos, Off,
			"%s: %s names %q, but there is no %s of that name%s", subject, field, name, kind, hint)
	}
	for _, p := range c.subjects() {
		// A person naming themselves is a self-reference, not an
		// unknown one (their own document may be the broken one).
		person := func(field, name string, pos schema.Pos) {
			if name != p.Name {
				ref(SubjectPerson, p.Name, field, name, schema.KindPerson, o.personNames, p.Source, pos)
			}
		}
		ref(SubjectPerson, p.Name, "spec.team", p.Team, schema.KindTeam, o.teamNames, p.Source, p.TeamPos)
		person("spec.manager", p.Manager, p.ManagerPos)
		person("spec.coach", p.Coach, p.CoachPos)
		for i, m := range p.Mentors {
			person(fmt.Sprintf("spec.mentors[%d].person", i), m.Person, m.Pos)
		}
		for i, pp := range p.PastPairings {
			person(fmt.Sprintf("spec.pastPairings[%d].person", i), pp.Person, pp.PersonPos)
		}
	}
	for _, t := range o.Teams {
		ref(SubjectTeam, t.Name, "spec.parent", t.Parent, schema.KindTeam, o.teamNames, t.Source, t.ParentPos)
		ref(SubjectTeam, t.Name, "spec.manager", t.Manager, schema.KindPerson, o.personNames, t.Source, t.ManagerPos)
	}
	// A root naming nobody would silently allow nobody: the person meant
	// then gets missing-manager with no hint why the Policy did not help.
	if p := o.Policy; p != nil {
		for i, r := range p.Roots {
			var pos schema.Pos
			if i < len(p.RootPos) {
				pos = p.RootPos[i]
			}
			ref(SubjectPolicy, p.Name, fmt.Sprintf("Policy.spec.roots[%d]", i), r, schema.KindPerson, o.personNames, p.Source, pos)
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
	for _, p := range c.subjects() {
		if p.External {
			continue
		}
		if p.Level == "" {
			// Not a schema error, so that the people who report to someone
			// imported without a level still resolve their manager.
			c.emit(RuleUnknownLevel, SubjectPerson, p.Name, "", p.Source, p.NamePos, Off,
				"%s has no level: set spec.level to one of [%s]", p.Name, strings.Join(c.org.levels, ", "))
			continue
		}
		if _, ok := c.org.rank[p.Level]; !ok {
			hint := ""
			if s := didYouMean(p.Level, c.org.levels); s != "" {
				hint = s
			}
			c.emit(RuleUnknownLevel, SubjectPerson, p.Name, "", p.Source, p.LevelPos, Off,
				"%s has level %q, which is not on the ladder [%s]%s: use one of those or add it to Policy.spec.levels",
				p.Name, p.Level, strings.Join(c.org.levels, ", "), hint)
		}
	}
}

func checkSelfReferences(c *checker) {
	for _, p := range c.subjects() {
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
			c.emit(RuleSelfReference, SubjectPerson, p.Name, "", p.Source, pos, Off,
				"%s is named as their own %s: name someone else", p.Name, strings.Join(fields, " and "))
		}
	}
}

func checkCycles(c *checker) {
	o := c.org
	for _, cyc := range o.managementCycles() {
		first := o.person[cyc[0]]
		src, pos := managerSource(first, o.manager[first.Name])
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
		return p.Source, p.ManagerPos
	}
	return p.Source, p.SpecPos
}

func checkMissingManager(c *checker) {
	o := c.org
	for _, p := range c.subjects() {
		if p.External || p.Status != schema.StatusActive {
			continue
		}
		if m := o.manager[p.Name]; m.state == refNone && !o.roots[p.Name] {
			c.emit(RuleMissingManager, SubjectPerson, p.Name, "", p.Source, p.SpecPos, Off,
				"%s has no manager: set spec.manager, give team %q a manager, or list %s in Policy.spec.roots", p.Name, p.Team, p.Name)
		}
	}
}

func checkMissingCoach(c *checker) {
	for _, p := range c.subjects() {
		if p.External || p.Status != schema.StatusActive {
			continue
		}
		if p.Coach == "" {
			c.emit(RuleMissingCoach, SubjectPerson, p.Name, "", p.Source, p.SpecPos, Off,
				"%s has no coach; everyone needs one, seniors too: set spec.coach to a trusted peer or someone more senior", p.Name)
		}
	}
}

func checkInactive(c *checker) {
	o := c.org
	for _, p := range c.subjects() {
		check := func(role, name string, src schema.Source, pos schema.Pos) {
			a := o.person[name]
			if a == nil || a == p {
				return
			}
			switch a.Status {
			case schema.StatusDeparted:
				c.emit(RuleInactiveAssignee, SubjectPerson, p.Name, a.Name, src, pos, Off,
					"%s's %s %s has departed: name someone who is still here", p.Name, role, a.Name)
			case schema.StatusLeave:
				c.emit(RuleInactiveAssignee, SubjectPerson, p.Name, a.Name, src, pos, Warning,
					"%s's %s %s is on leave: consider someone who is around in the meantime", p.Name, role, a.Name)
			}
		}
		if m := o.manager[p.Name]; m.Known() {
			src, pos := managerSource(p, m)
			check("manager", m.Name, src, pos)
		}
		check("coach", p.Coach, p.Source, p.CoachPos)
		for _, m := range p.Mentors {
			check("mentor", m.Person, p.Source, m.Pos)
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
	coachees := map[string][]string{}
	for _, p := range c.subjects() {
		if p.Coach != "" && p.Coach != p.Name {
			coachees[p.Coach] = append(coachees[p.Coach], p.Name)
		}
	}
	for _, p := range c.subjects() {
		n := coachees[p.Name]
		if max, limited := o.CoachCapacity(p); limited && len(n) > max {
			sort.Strings(n)
			if p.CoachCapacity != nil {
				// The coach's own capacity: reported where it is written.
				c.emit(RuleCoachCapacity, SubjectPerson, p.Name, "", p.Source, p.CoachCapacityPos, Off,
					"%s coaches %d people (%s), more than their own coaching.capacity of %d: move some to coaches with capacity, or raise it with %s", p.Name, len(n), strings.Join(n, ", "), max, p.Name)
				continue
			}
			c.emit(RuleCoachCapacity, SubjectPerson, p.Name, "", p.Source, p.NamePos, Off,
				"%s coaches %d people (%s), more than the %d allowed: move some to coaches with capacity", p.Name, len(n), strings.Join(n, ", "), max)
		}
	}
}

func checkSpanOfControl(c *checker) {
	o := c.org
	reports := map[string][]string{}
	for _, p := range c.subjects() {
		if m := o.manager[p.Name]; m.Known() {
			reports[m.Name] = append(reports[m.Name], p.Name)
		}
	}
	spanMax := o.ruleMax(RuleSpanOfControl, DefaultSpanOfControl)
	for _, p := range c.subjects() {
		if n := reports[p.Name]; len(n) > spanMax {
			sort.Strings(n)
			c.emit(RuleSpanOfControl, SubjectPerson, p.Name, "", p.Source, p.NamePos, Off,
				"%s has %d direct reports, more than the %d allowed: split the team or move some reports", p.Name, len(n), spanMax)
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
