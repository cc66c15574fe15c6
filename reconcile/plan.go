package reconcile

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// Plan is what a change does to an org: objects added, removed and changed
// on their effective values, and findings introduced, resolved and
// unchanged (matched by fingerprint, so moving lines changes nothing).
type Plan struct {
	Changes  []Change     `json:"changes"`
	Findings PlanFindings `json:"findings"`
	// GitHub lists what apply would do; empty unless a repository and a
	// token are configured.
	GitHub []GitHubAction `json:"github"`
	// Summary counts the changes.
	Summary PlanSummary `json:"summary"`
}

// PlanFindings splits the head's findings against the base's.
type PlanFindings struct {
	Introduced []Finding `json:"introduced"`
	Resolved   []Finding `json:"resolved"`
	Unchanged  []Finding `json:"unchanged"`
}

// PlanSummary counts a plan's changes and new findings.
type PlanSummary struct {
	Add      int `json:"add"`
	Change   int `json:"change"`
	Remove   int `json:"remove"`
	Errors   int `json:"introducedErrors"`
	Warnings int `json:"introducedWarnings"`
}

// Change is one object added, removed or changed.
type Change struct {
	Kind   string        `json:"kind"`
	Name   string        `json:"name"`
	Action string        `json:"action"` // add, remove or change
	Fields []FieldChange `json:"fields"`
	// Effects name the pairings the change leaves behind, e.g. "erin
	// loses her coach dave".
	Effects []string `json:"effects,omitempty"`
	// Relations are the manager, coach and mentor pairings of a Person
	// change that end and begin, typed, for renderers that draw them.
	// They are the structure of the manager, coach and mentors fields,
	// which carry the same in words; a plan read back from JSON gets
	// them from those fields (RelationsOf).
	Relations []RelationChange `json:"-"`
}

// Relation is one pairing of a person, as a plan compares them.
type Relation struct {
	// Role is RoleManager, RoleCoach or RoleMentor.
	Role string
	// Person is the manager, coach or mentor: a name as written.
	Person string
	// Domain is the mentoring domain; mentors only.
	Domain string
	// Unknown marks a manager named in the YAML who is no participating
	// person (ManagerRef.String's "NAME (unknown)").
	Unknown bool
}

// RoleManager is the role of an effective manager in a Relation.
const RoleManager = "manager"

// RelationChange is a pairing that a change ends (Action ActionRemove) or
// begins (ActionAdd).
type RelationChange struct {
	Action string
	Relation
}

// personRelations are a person's pairings in the order of their fields:
// manager, coach, mentors.
func personRelations(o *Org, p *Person) []Relation {
	var out []Relation
	if m := o.Manager(p.Name); m.Known() {
		out = append(out, Relation{Role: RoleManager, Person: m.Name})
	} else if m.Declared != "" {
		out = append(out, Relation{Role: RoleManager, Person: m.Declared, Unknown: true})
	}
	if p.Coach != "" {
		out = append(out, Relation{Role: RoleCoach, Person: p.Coach})
	}
	for _, m := range p.Mentors {
		out = append(out, Relation{Role: RoleMentor, Person: m.Person, Domain: m.Domain})
	}
	return out
}

// diffRelations lists, role by role (manager, coach, mentor), the
// relations of from that to lacks (removed) and then those of to that
// from lacks (added), each in its list's order.
func diffRelations(from, to []Relation) []RelationChange {
	var out []RelationChange
	for _, role := range []string{RoleManager, RoleCoach, RoleMentor} {
		for _, r := range from {
			if r.Role == role && !slices.Contains(to, r) {
				out = append(out, RelationChange{ActionRemove, r})
			}
		}
		for _, r := range to {
			if r.Role == role && !slices.Contains(from, r) {
				out = append(out, RelationChange{ActionAdd, r})
			}
		}
	}
	return out
}

// RelationsOf rebuilds the relation changes of a Person change from its
// manager, coach and mentors fields, for a plan read back from JSON (where
// Relations are not written): the inverse of how those fields are written
// ("NAME", "NAME (unknown)", "NAME (DOMAIN)"). Names are DNS labels, so
// the first " (" ends one. Diff sets Relations itself.
func RelationsOf(c Change) []RelationChange {
	if c.Kind != schema.KindPerson {
		return nil
	}
	var from, to []Relation
	read := func(role string, v any) []Relation {
		var out []Relation
		one := func(s string) {
			switch role {
			case RoleMentor:
				name, domain, _ := strings.Cut(s, " (")
				out = append(out, Relation{Role: role, Person: name, Domain: strings.TrimSuffix(domain, ")")})
			case RoleManager:
				name, unknown := strings.CutSuffix(s, " (unknown)")
				out = append(out, Relation{Role: role, Person: name, Unknown: unknown})
			default:
				out = append(out, Relation{Role: role, Person: s})
			}
		}
		switch x := v.(type) {
		case string:
			one(x)
		case []string:
			for _, s := range x {
				one(s)
			}
		}
		return out
	}
	for _, f := range c.Fields {
		role := f.Field
		if role == "mentors" {
			role = RoleMentor
		}
		if role != RoleManager && role != RoleCoach && role != RoleMentor {
			continue
		}
		from = append(from, read(role, f.From)...)
		to = append(to, read(role, f.To)...)
	}
	return diffRelations(from, to)
}

// FieldChange is one field's effective value before and after; an absent
// value is null. Lists are compared and shown as lists.
type FieldChange struct {
	Field string `json:"field"`
	From  any    `json:"from"`
	To    any    `json:"to"`
}

// GitHubAction is one thing apply would do on GitHub.
type GitHubAction struct {
	Action      string `json:"action"` // create, update, close, reopen, comment
	Type        string `json:"type"`   // issue or pull
	Fingerprint string `json:"fingerprint"`
	Number      int    `json:"number,omitempty"`
	Title       string `json:"title,omitempty"`
}

// Actions of a Change.
const (
	ActionAdd    = "add"
	ActionRemove = "remove"
	ActionChange = "change"
)

// Diff compares two checked orgs. base and head are the orgs with their
// check results.
func Diff(base *Org, baseRes Result, head *Org, headRes Result) Plan {
	return planOf(diffObjects(base, head), baseRes, headRes)
}

// diffObjects lists the objects added, removed and changed from base to
// head: people, then teams, then the Policy. It needs no findings, so it
// can run while the orgs are checked; it reads the orgs only.
func diffObjects(base, head *Org) []Change {
	changes := []Change{}
	changes = append(changes, diffPeople(base, head)...)
	changes = append(changes, diffTeams(base, head)...)
	return append(changes, diffPolicy(base, head)...)
}

// planOf is the plan of changes between two orgs checked with these
// results.
func planOf(changes []Change, baseRes, headRes Result) Plan {
	p := Plan{Changes: changes, GitHub: []GitHubAction{}}
	for _, c := range p.Changes {
		switch c.Action {
		case ActionAdd:
			p.Summary.Add++
		case ActionRemove:
			p.Summary.Remove++
		default:
			p.Summary.Change++
		}
	}
	p.Findings = splitFindings(baseRes.Reported(false), headRes.Reported(false))
	for _, f := range p.Findings.Introduced {
		if f.Severity == Error {
			p.Summary.Errors++
		} else if f.Severity == Warning {
			p.Summary.Warnings++
		}
	}
	return p
}

func splitFindings(base, head []Finding) PlanFindings {
	inBase := make(map[string]bool, len(base))
	for _, f := range base {
		inBase[f.Fingerprint] = true
	}
	inHead := make(map[string]bool, len(head))
	out := PlanFindings{Introduced: []Finding{}, Resolved: []Finding{}, Unchanged: []Finding{}}
	for _, f := range head {
		inHead[f.Fingerprint] = true
		if inBase[f.Fingerprint] {
			out.Unchanged = append(out.Unchanged, f)
		} else {
			out.Introduced = append(out.Introduced, f)
		}
	}
	for _, f := range base {
		if !inHead[f.Fingerprint] {
			out.Resolved = append(out.Resolved, f)
		}
	}
	return out
}

// personFields are the effective values of a person that a plan compares,
// in display order. Email is private and never shown.
func personFields(o *Org, p *Person) []FieldChange {
	mentors := make([]string, 0, len(p.Mentors))
	for _, m := range p.Mentors {
		mentors = append(mentors, m.Person+" ("+m.Domain+")")
	}
	labels := make([]string, 0, len(p.Labels))
	for _, k := range slices.Sorted(maps.Keys(p.Labels)) {
		labels = append(labels, k+"="+p.Labels[k])
	}
	return []FieldChange{
		{Field: "displayName", To: str(p.DisplayName)},
		{Field: "status", To: str(p.Status)},
		{Field: "external", To: boolStr(p.External)},
		{Field: "team", To: str(p.Team)},
		{Field: "level", To: str(p.Level)},
		{Field: "manager", To: str(o.Manager(p.Name).String())},
		{Field: "coach", To: str(p.Coach)},
		{Field: "mentors", To: list(mentors)},
		{Field: "expertise", To: list(p.Expertise)},
		{Field: "github", To: str(p.GitHub)},
		{Field: "labels", To: list(labels)},
	}
}

// samePersonFields reports whether personFields would be equal for b and
// h, without building them, but for the manager (see sameManager).
func samePersonFields(b, h *Person) bool {
	return b.DisplayName == h.DisplayName && b.Status == h.Status && b.External == h.External &&
		b.Team == h.Team && b.Level == h.Level && b.Coach == h.Coach && b.GitHub == h.GitHub &&
		slices.Equal(b.Expertise, h.Expertise) && maps.Equal(b.Labels, h.Labels) &&
		slices.EqualFunc(b.Mentors, h.Mentors, func(x, y schema.Mentor) bool { return x.Person == y.Person && x.Domain == y.Domain })
}

func teamFields(o *Org, t *Team) []FieldChange {
	return []FieldChange{
		{Field: "displayName", To: str(t.DisplayName)},
		{Field: "parent", To: str(t.Parent)},
		{Field: "manager", To: str(t.Manager)},
	}
}

func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolStr(b bool) any {
	if !b {
		return nil
	}
	return "true"
}

func list(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return slices.Clone(l)
}

func equalValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	}
	return false
}

// diffFields compares two field lists of one object; for an add or remove,
// one side is nil and every set field is listed.
func diffFields(from, to []FieldChange) []FieldChange {
	out := []FieldChange{}
	n := max(len(from), len(to))
	for i := range n {
		var f FieldChange
		var a, b any
		if i < len(from) {
			f.Field, a = from[i].Field, from[i].To
		}
		if i < len(to) {
			f.Field, b = to[i].Field, to[i].To
		}
		if equalValue(a, b) {
			continue
		}
		f.From, f.To = a, b
		out = append(out, f)
	}
	return out
}

// diffPeople lists the people added, removed and changed, by name. Only
// the people who can differ are compared field by field: a person whose
// document base and head share (the same *Person, as plan's cache gives
// for a file both hold unchanged) has the same fields on both sides, so
// only the effective manager, which comes from the teams, is compared.
// People are paired by id, not by looking names up on both sides: a
// change leaves most people in the same order on both sides, so the head's
// person at the index the last pairing suggests is tried before the map.
func diffPeople(base, head *Org) []Change {
	var names []string // of the people who differ, removed ones included
	inBase := make([]bool, len(head.People))
	off := 0 // j - i of the last pair found
	for i, b := range base.People {
		// Names are distinct among an Org's People: the person found at
		// the guessed index is the one of that name.
		j := int32(i + off)
		if j < 0 || int(j) >= len(head.People) || head.People[j].Name != b.Name {
			if j = head.idOf(b.Name); j >= 0 {
				off = int(j) - i
			}
		}
		if j < 0 {
			names = append(names, b.Name)
			continue
		}
		inBase[j] = true
		h := head.People[j]
		if h == b {
			if sameManager(base, int32(i), head, j) {
				continue
			}
		} else if samePersonFields(b, h) && sameManager(base, int32(i), head, j) {
			continue
		}
		names = append(names, b.Name)
	}
	for j, h := range head.People {
		if !inBase[j] {
			names = append(names, h.Name)
		}
	}
	slices.Sort(names) // each name once: base names are distinct, and head's are only those base lacks
	out := make([]Change, 0, len(names))
	var leaving []int // indexes in out of the people removed or departing
	for _, name := range names {
		b, h := base.Person(name), head.Person(name)
		var from, to []FieldChange
		if b != nil {
			from = personFields(base, b)
		}
		if h != nil {
			to = personFields(head, h)
		}
		fields := diffFields(from, to)
		c := Change{Kind: schema.KindPerson, Name: name, Fields: fields}
		var fromRel, toRel []Relation
		if b != nil {
			fromRel = personRelations(base, b)
		}
		if h != nil {
			toRel = personRelations(head, h)
		}
		c.Relations = diffRelations(fromRel, toRel)
		switch {
		case b == nil:
			c.Action = ActionAdd
		case h == nil:
			c.Action = ActionRemove
			leaving = append(leaving, len(out))
		default:
			if len(fields) == 0 {
				continue
			}
			c.Action = ActionChange
			if h.Status == schema.StatusDeparted && b.Status != schema.StatusDeparted {
				leaving = append(leaving, len(out))
			}
		}
		out = append(out, c)
	}
	leftBehind(base, head, out, leaving)
	return out
}

// sameManager reports whether person i of base and person j of head have
// the same effective manager as personFields shows it.
func sameManager(base *Org, i int32, head *Org, j int32) bool {
	bs, hs := base.managers[i].state, head.managers[j].state
	switch {
	case bs == refKnown && hs == refKnown:
		return base.People[base.mgr[i]].Name == head.People[head.mgr[j]].Name
	case bs == refKnown || hs == refKnown:
		return false
	}
	return base.managerRef(i).String() == head.managerRef(j).String()
}

// leftBehind sets the Effects of the changes at leaving (people removed or
// departing): the pairings they leave behind, that is their coachees,
// mentees and reports who stay in the head org, sorted. It goes through
// each org once for all of them, rather than indexing who points at whom.
func leftBehind(base, head *Org, changes []Change, leaving []int) {
	if len(leaving) == 0 {
		return
	}
	at := make(map[string]int, len(leaving)) // name → index in changes
	for _, k := range leaving {
		at[changes[k].Name] = k
	}
	what := func(k int) string {
		if changes[k].Action == ActionRemove {
			return "is removed"
		}
		return "departs"
	}
	add := func(k int, s string) { changes[k].Effects = append(changes[k].Effects, s) }
	stays := func(p *Person, name string) bool {
		return p != nil && p.Status != schema.StatusDeparted && p.Name != name
	}
	for _, p := range head.People {
		if p.Status == schema.StatusDeparted {
			continue
		}
		if k, ok := at[p.Coach]; ok && p.Coach != p.Name {
			add(k, fmt.Sprintf("%s loses their coach: %s %s", p.Name, p.Coach, what(k)))
		}
		for _, m := range p.Mentors {
			if k, ok := at[m.Person]; ok && m.Person != p.Name {
				add(k, fmt.Sprintf("%s loses their mentor in %s: %s %s", p.Name, m.Domain, m.Person, what(k)))
			}
		}
	}
	for i, m := range base.mgr {
		if m < 0 {
			continue
		}
		name := base.People[m].Name
		k, ok := at[name]
		if !ok {
			continue
		}
		n := base.People[i].Name
		if !stays(head.Person(n), name) {
			continue
		}
		if hm := head.Manager(n); hm.Known() && hm.Name != name {
			add(k, fmt.Sprintf("%s now reports to %s: %s %s", n, hm.Name, name, what(k)))
		} else {
			add(k, fmt.Sprintf("%s loses their manager: %s %s", n, name, what(k)))
		}
	}
	for _, k := range leaving {
		sort.Strings(changes[k].Effects)
	}
}

func diffTeams(base, head *Org) []Change {
	var out []Change
	names := map[string]bool{}
	for n := range base.team {
		names[n] = true
	}
	for n := range head.team {
		names[n] = true
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		b, h := base.team[name], head.team[name]
		var from, to []FieldChange
		if b != nil {
			from = teamFields(base, b)
		}
		if h != nil {
			to = teamFields(head, h)
		}
		fields := diffFields(from, to)
		c := Change{Kind: schema.KindTeam, Name: name, Fields: fields}
		switch {
		case b == nil:
			c.Action = ActionAdd
		case h == nil:
			c.Action = ActionRemove
		default:
			if len(fields) == 0 {
				continue
			}
			c.Action = ActionChange
		}
		out = append(out, c)
	}
	return out
}

func policyFields(p *Policy) []FieldChange {
	if p == nil {
		return nil
	}
	var rules []string
	for _, id := range slices.Sorted(maps.Keys(p.Rules)) {
		rc := p.Rules[id]
		s := id + ":"
		if rc.Severity != "" {
			s += " severity=" + rc.Severity
		}
		if rc.Max != nil {
			s += fmt.Sprintf(" max=%d", *rc.Max)
		}
		if rc.AllowFromLevel != "" {
			s += " allowFromLevel=" + rc.AllowFromLevel
		}
		rules = append(rules, s)
	}
	var ex []string
	for _, e := range p.Exemptions {
		s := e.Rule + " for " + e.Person
		if e.Expires != "" {
			s += " until " + e.Expires
		}
		ex = append(ex, s)
	}
	return []FieldChange{
		{Field: "levels", To: list(p.Levels)},
		{Field: "roots", To: list(p.Roots)},
		{Field: "github.repo", To: str(p.GitHub.Repo)},
		{Field: "github.labels", To: list(p.GitHub.Labels)},
		{Field: "github.issues", To: list(p.GitHub.Issues)},
		{Field: "rules", To: list(rules)},
		{Field: "exemptions", To: list(ex)},
	}
}

func diffPolicy(base, head *Org) []Change {
	b, h := base.Policy, head.Policy
	if b == nil && h == nil {
		return nil
	}
	fields := diffFields(policyFields(b), policyFields(h))
	c := Change{Kind: schema.KindPolicy, Fields: fields}
	switch {
	case b == nil:
		c.Name, c.Action = h.Name, ActionAdd
	case h == nil:
		c.Name, c.Action = b.Name, ActionRemove
	default:
		if len(fields) == 0 && b.Name == h.Name {
			return nil
		}
		c.Name, c.Action = h.Name, ActionChange
		if b.Name != h.Name {
			c.Fields = append([]FieldChange{{Field: "name", From: b.Name, To: h.Name}}, c.Fields...)
		}
	}
	return []Change{c}
}

// Introduced reports whether the plan introduces a finding at or above sev.
func (p Plan) Introduced(sev Severity) bool {
	for _, f := range p.Findings.Introduced {
		if f.Severity >= sev {
			return true
		}
	}
	return false
}

// Changed says whether the plan changes anything: the org, GitHub or the
// findings (plan --detailed-exitcode exits 2 then).
func (p Plan) Changed() bool {
	return len(p.Changes)+len(p.GitHub)+len(p.Findings.Introduced)+len(p.Findings.Resolved) > 0
}

// Describe renders a field value for text output.
func Describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		return x
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	}
	return fmt.Sprint(v)
}
