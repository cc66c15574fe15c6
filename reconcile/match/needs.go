package match

// Who needs a coach or a mentor: the findings and the request decide.

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// need is a person who needs a coach or mentor.
type need struct {
	p          *reconcile.Person
	idx        int // index in suggester.needs
	rank       int
	div        int    // top-level division, or -1
	hash       uint64 // FNV-1a of the name: the order needs enter the flow
	replaces   string // the assignee being replaced, if any
	replaceWhy string // why, in words
	fixes      string // fingerprint of the finding resolved, if any
	entry      int    // mentors entry to replace, or -1
	// domainName is the mentoring domain as the request or the person
	// wrote it, and domain its index in suggester.domains.
	domainName string
	domain     int
	// replacedSince is when the replaced pairing started, if known.
	replacedSince string
	// recent are the people n had in this role too recently to have
	// again, with the day the pairing ended.
	recent  map[string]string
	manager string // known effective manager
	manages bool   // has reports: someone may report to them
}

func newSuggester(o *reconcile.Org, res reconcile.Result, req Request) (*suggester, error) {
	s := &suggester{o: o, role: req.Role, domain: strings.TrimSpace(req.Domain), sev: o.Severities(), allowFrom: -1, reassign: map[string]bool{}, replacedEntries: map[string][]int{},
		life: newLifecycle(o, req.Today), rotate: req.Rotate}
	switch s.role {
	case "", RoleCoach:
		s.role = RoleCoach
		if s.domain != "" {
			return nil, fmt.Errorf("a domain is for mentors: drop the domain, or ask for role %q", RoleMentor)
		}
	case RoleMentor:
		if s.rotate {
			return nil, fmt.Errorf("rotation is for coaching pairings: drop rotate, or ask for role %q", RoleCoach)
		}
	default:
		return nil, fmt.Errorf("unknown role %q: use %s or %s", req.Role, RoleCoach, RoleMentor)
	}
	if o.Policy != nil {
		if rc, ok := o.Policy.Rules["coach-is-manager"]; ok && rc.AllowFromLevel != "" {
			if r, ok := o.LevelIndex(rc.AllowFromLevel); ok {
				s.allowFrom = r
			}
		}
	}
	cfa, err := coachFromAbove(o)
	if err != nil {
		return nil, err
	}
	s.cfa = cfa
	s.capMax = -1
	if n, limited := o.CoachCapacity(nil); limited {
		s.capMax = n
	}
	for _, name := range req.People {
		if o.Person(name) == nil {
			if o.HasPersonName(name) {
				return nil, fmt.Errorf("%s's document has errors, so orgctl cannot suggest for them: run orgctl validate and fix it first", name)
			}
			names := make([]string, len(o.People))
			for i, p := range o.People {
				names[i] = p.Name
			}
			slices.Sort(names)
			return nil, fmt.Errorf("no person named %q%s", name, reconcile.DidYouMean(name, names))
		}
	}
	if s.role == RoleMentor && s.domain == "" && !wantsMentoring(o, req.People) {
		return nil, ErrNoDomain
	}
	if s.role == RoleCoach {
		s.coachNeeds(res, req.People)
	} else {
		s.mentorNeeds(res, req.People)
	}
	s.indexDomains()
	s.divisions, s.divOf = divisions(o)
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
		if m := o.Manager(p.Name); m.Known() {
			hasReports[m.Name] = true
		}
	}
	s.needOf = make(map[string]int, len(s.needs))
	for i, n := range s.needs {
		s.needOf[n.p.Name] = i
		n.idx = i
		n.rank = o.LevelRank(n.p)
		n.div = s.division(n.p)
		if m := o.Manager(n.p.Name); m.Known() {
			n.manager = m.Name
		}
		n.manages = hasReports[n.p.Name]
		n.recent = s.life.recentPast(n.p, s.role, n.domainName)
	}
	return s, nil
}

// coachFromAbove returns the rank of Policy.spec.coaching.coachFromAbove:
// "senior" when unset (or the middle of a ladder that has no senior).
func coachFromAbove(o *reconcile.Org) (int, error) {
	name := ""
	if o.Policy != nil {
		name = o.Policy.Coaching.CoachFromAbove
	}
	if name == "" {
		if r, ok := o.LevelIndex("senior"); ok {
			return r, nil
		}
		return len(o.Levels()) / 2, nil
	}
	r, ok := o.LevelIndex(name)
	if !ok {
		return 0, fmt.Errorf("the Policy's coaching.coachFromAbove %q is not a level of the ladder%s: set it to one of %s", name, reconcile.DidYouMean(name, o.Levels()), strings.Join(o.Levels(), ", "))
	}
	return r, nil
}

// divisions names the top-level division of every team: the team just
// below the root of its tree (or the root itself), so that "another
// division" means the distance in the team tree, not merely another team.
// It returns the division names, sorted, and each team's index into them.
func divisions(o *reconcile.Org) ([]string, map[string]int) {
	top := make(map[string]string, len(o.Teams))
	for _, t := range o.Teams {
		top[t.Name] = o.Division(t.Name)
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
func (s *suggester) division(p *reconcile.Person) int {
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
var coachRules = map[reconcile.RuleID]bool{
	"coach-is-manager": true, "coach-in-management-chain": true, "coach-reports-to-coachee": true,
	"coach-junior": true, "roles-not-distinct": true, "inactive-assignee": true,
}

func (s *suggester) coachNeeds(res reconcile.Result, named []string) {
	o := s.o
	type state struct {
		missing bool
		rule    reconcile.RuleID // a coach rule at error severity
		fp      string           // the fingerprint of the missing-coach or rule finding
		exempt  reconcile.RuleID // an exempt finding that would otherwise count
	}
	st := map[string]*state{}
	get := func(n string) *state {
		if st[n] == nil {
			st[n] = &state{}
		}
		return st[n]
	}
	for _, f := range res.Findings {
		p := o.Person(f.Subject)
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
		case f.Severity == reconcile.Error && p.Coach != "" && (f.Rule == "self-reference" && p.Coach == p.Name || coachRules[f.Rule] && f.Other == p.Coach):
			if f.Rule == "inactive-assignee" {
				if c := o.Person(p.Coach); c == nil || c.Status != schema.StatusDeparted {
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
	add := func(p *reconcile.Person, x *state) {
		n := &need{p: p, entry: -1, fixes: x.fp}
		if !x.missing {
			n.replaces = p.Coach
			n.replaceWhy = replaceWhy(x.rule, p)
			n.replacedSince = p.Lifecycle().CoachSince
			s.reassign[p.Name] = true
		}
		s.needs = append(s.needs, n)
	}
	// rotating: p's coaching pairing is due to rotate and the request asks
	// for successors.
	rotating := func(p *reconcile.Person) bool {
		return s.rotate && !p.External && p.Status != schema.StatusDeparted && o.Person(p.Coach) != nil && s.life.rotationDue(p)
	}
	// A rotation that finds no successor keeps the pairing, so it frees no
	// slot of the current coach (s.reassign stays unset): capacity holds
	// whichever way it goes.
	rotate := func(p *reconcile.Person) {
		s.needs = append(s.needs, &need{p: p, entry: -1, fixes: "rotation-due/" + p.Name + "/" + p.Coach,
			replaces: p.Coach, replaceWhy: s.life.rotateWhy(p), replacedSince: p.Lifecycle().CoachSince})
	}
	if len(named) == 0 {
		for _, p := range o.People {
			switch x := st[p.Name]; {
			case x != nil && (x.missing || x.rule != "") && p.Status != schema.StatusDeparted:
				add(p, x)
			case rotating(p):
				rotate(p)
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
		p := o.Person(name)
		x := st[name]
		if x != nil && (x.missing || x.rule != "") && p.Status != schema.StatusDeparted {
			add(p, x)
			continue
		}
		if rotating(p) {
			rotate(p)
			continue
		}
		var exempt reconcile.RuleID
		if x != nil {
			exempt = x.exempt
		}
		s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: s.whyNoCoachNeeded(p, exempt)})
	}
}

func replaceWhy(rule reconcile.RuleID, p *reconcile.Person) string {
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
	return "(" + string(rule) + ")"
}

func (s *suggester) whyNoCoachNeeded(p *reconcile.Person, exempt reconcile.RuleID) string {
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
	case o.Person(p.Coach) == nil:
		return fmt.Sprintf("%s's coach %q names nobody orgctl can check: fix the name first (see unknown-reference)", p.Name, p.Coach)
	}
	if s.rotate {
		return fmt.Sprintf("%s already has a coach (%s) that breaks no error rule and is not due to rotate", p.Name, p.Coach)
	}
	return fmt.Sprintf("%s already has a coach (%s) that breaks no error rule", p.Name, p.Coach)
}

// mentorNeeds finds who needs a mentor: with a domain, the people whose
// mentor in it has departed (an inactive-assignee error) and the people who
// want mentoring in it and have no mentor there, or the people named who
// have no active mentor in it; without one, the same for every domain the
// people (or the people named) want mentoring in or lost a mentor in.
func (s *suggester) mentorNeeds(res reconcile.Result, named []string) {
	o := s.o
	errorOn := map[string]bool{} // inactive-assignee fingerprints at error, not exempt
	for _, f := range res.Findings {
		if f.Rule == "inactive-assignee" && f.Severity == reconcile.Error && !f.Exempt {
			errorOn[f.Subject+"/"+f.Other] = true
		}
	}
	add := func(p *reconcile.Person, entry int, domain string) {
		n := &need{p: p, entry: entry, domainName: domain}
		if entry >= 0 {
			n.replaces = p.Mentors[entry].Person
			n.replaceWhy = "who has departed"
			n.replacedSince = p.Mentors[entry].Since
			s.replacedEntries[p.Name] = append(s.replacedEntries[p.Name], entry)
		}
		s.needs = append(s.needs, n)
	}
	// mentorIn is p's mentor entry in domain: the first whose mentor is
	// active (or names nobody orgctl can check: fix that first), or else
	// the first whose mentor has departed; state says which, "" for none.
	mentorIn := func(p *reconcile.Person, domain string) (entry int, state string) {
		entry = -1
		for i, m := range p.Mentors {
			if domainKey(m.Domain) != domainKey(domain) {
				continue
			}
			switch a := o.Person(m.Person); {
			case a == nil:
				return i, "unknown"
			case a == p:
			case a.Status != schema.StatusDeparted:
				return i, "active"
			case entry < 0:
				entry, state = i, "departed"
			}
		}
		return entry, state
	}
	// departedIn is p's first mentor entry in domain whose mentor has
	// departed, or -1.
	departedIn := func(p *reconcile.Person, domain string) int {
		for i, m := range p.Mentors {
			if a := o.Person(m.Person); a != nil && a != p && domainKey(m.Domain) == domainKey(domain) && a.Status == schema.StatusDeparted {
				return i
			}
		}
		return -1
	}
	// domains are the domains to look at for p: the request's, or every
	// domain p lost a mentor in or wants mentoring in, once each.
	domains := func(p *reconcile.Person) []string {
		if s.domain != "" {
			return []string{s.domain}
		}
		var out []string
		seen := map[string]bool{}
		addDomain := func(d string) {
			if d = strings.TrimSpace(d); d != "" && !seen[domainKey(d)] {
				seen[domainKey(d)] = true
				out = append(out, d)
			}
		}
		for _, m := range p.Mentors {
			if a := o.Person(m.Person); a != nil && a != p && a.Status == schema.StatusDeparted {
				addDomain(m.Domain)
			}
		}
		for _, d := range p.Lifecycle().MentoringWanted {
			addDomain(d)
		}
		return out
	}
	wants := func(p *reconcile.Person, domain string) bool {
		for _, d := range p.Lifecycle().MentoringWanted {
			if domainKey(d) == domainKey(domain) {
				return true
			}
		}
		return false
	}
	if len(named) == 0 {
		for _, p := range o.People {
			if p.Status == schema.StatusDeparted {
				continue
			}
			for _, d := range domains(p) {
				// A departed mentor at error is replaced in its entry; a
				// wish with no mentor in the domain gets a new entry (or
				// the departed one's).
				gone := departedIn(p, d)
				_, state := mentorIn(p, d)
				switch {
				case gone >= 0 && errorOn[p.Name+"/"+p.Mentors[gone].Person]:
					add(p, gone, d)
				case !p.External && wants(p, d) && (state == "" || state == "departed"):
					add(p, gone, d)
				}
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
		p := o.Person(name)
		switch {
		case p.Status == schema.StatusDeparted:
			s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: fmt.Sprintf("%s has departed and needs no mentor", name)})
			continue
		case p.External:
			s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: fmt.Sprintf("%s is external and gets no mentor from this org", name)})
			continue
		}
		found := false
		var why []string
		for _, d := range domains(p) {
			i, state := mentorIn(p, d)
			switch state {
			case "unknown":
				why = append(why, fmt.Sprintf("%s's mentor in %s, %q, names nobody orgctl can check: fix the name first (see unknown-reference)", name, d, p.Mentors[i].Person))
			case "active":
				why = append(why, fmt.Sprintf("%s is already mentored in %s by %s", name, d, p.Mentors[i].Person))
			default:
				add(p, i, d)
				found = true
			}
		}
		if !found {
			if len(why) == 0 {
				why = append(why, fmt.Sprintf("%s asks for no mentoring (spec.mentoringWanted) and has no departed mentor", name))
			}
			s.notNeeded = append(s.notNeeded, NotNeeded{Person: name, Why: strings.Join(why, "; ")})
		}
	}
}

// wantsMentoring reports whether anyone (of named, when any are named)
// lists a domain in spec.mentoringWanted.
func wantsMentoring(o *reconcile.Org, named []string) bool {
	if len(named) == 0 {
		for _, p := range o.People {
			if len(p.Lifecycle().MentoringWanted) > 0 {
				return true
			}
		}
		return false
	}
	for _, name := range named {
		if p := o.Person(name); p != nil && len(p.Lifecycle().MentoringWanted) > 0 {
			return true
		}
	}
	return false
}

// domainKey is how domains compare: case and surrounding space ignored, as
// mentor-lacks-expertise compares them.
func domainKey(d string) string { return strings.ToLower(strings.TrimSpace(d)) }

// indexDomains lists the domains of the needs and points each need at its
// own.
func (s *suggester) indexDomains() {
	if s.role != RoleMentor {
		return
	}
	for _, n := range s.needs {
		s.domains = append(s.domains, domainKey(n.domainName))
	}
	slices.Sort(s.domains)
	s.domains = slices.Compact(s.domains)
	for _, n := range s.needs {
		n.domain, _ = slices.BinarySearch(s.domains, domainKey(n.domainName))
	}
}
