package reconcile

import (
	"fmt"
	"slices"

	"github.com/orgctl/orgctl/schema"
)

// RuleID names a rule: the first part of every fingerprint, the key of
// Policy.spec.rules and exemptions, and the label orgctl/RULE.
type RuleID string

// The rules orgctl knows, in the order of SPEC §3 (the registry's order).
const (
	RuleParse                  RuleID = schema.RuleParse
	RuleSchema                 RuleID = schema.RuleSchema
	RuleDuplicateName          RuleID = "duplicate-name"
	RuleDuplicateGitHub        RuleID = "duplicate-github"
	RuleUnknownReference       RuleID = "unknown-reference"
	RuleUnknownLevel           RuleID = "unknown-level"
	RuleSelfReference          RuleID = "self-reference"
	RuleManagementCycle        RuleID = "management-cycle"
	RuleMissingManager         RuleID = "missing-manager"
	RuleMissingCoach           RuleID = "missing-coach"
	RuleCoachIsManager         RuleID = "coach-is-manager"
	RuleInactiveAssignee       RuleID = "inactive-assignee"
	RuleCoachInManagementChain RuleID = "coach-in-management-chain"
	RuleCoachReportsToCoachee  RuleID = "coach-reports-to-coachee"
	RuleMentorIsManager        RuleID = "mentor-is-manager"
	RuleRolesNotDistinct       RuleID = "roles-not-distinct"
	RuleCoachJunior            RuleID = "coach-junior"
	RuleMentorNotSenior        RuleID = "mentor-not-senior"
	RuleMentorLacksExpertise   RuleID = "mentor-lacks-expertise"
	RuleCoachCapacity          RuleID = "coach-capacity"
	RuleSpanOfControl          RuleID = "span-of-control"
	RuleExpiredExemption       RuleID = "expired-exemption"
	RuleUnusedExemption        RuleID = "unused-exemption"
)

// Defaults of the rules' max parameters, when the Policy sets none. Each
// is written here only: the checker, the matcher, `orgctl init` and the
// rule reference read it.
const (
	DefaultCoachCapacity = 5
	DefaultSpanOfControl = 12
)

// Rule is everything orgctl knows about one rule: what it checks, why it
// matters, how its findings are fingerprinted and published, and the check
// itself. Adding a rule is adding one entry to registry (and its check
// function next to it); the catalogue, RULES.md, SARIF rules, `orgctl
// rules`, the default issue rules, the structural ranking and the issue
// titles all read it from here.
type Rule struct {
	ID RuleID
	// Name is the rule's friendly name (SARIF's reportingDescriptor.name);
	// "" gives the id in Pascal case, CoachIsManager for coach-is-manager.
	Name string
	// Default is the severity when the Policy does not override it.
	Default Severity
	// Summary is one line: when the rule fires.
	Summary string
	// Rationale is one paragraph: why it matters, from the domain.
	Rationale string
	// Fix says what to change.
	Fix string
	// FingerprintForm documents the fingerprint, e.g. "coach-is-manager/PERSON/COACH".
	FingerprintForm string
	// Params lists the Policy parameters the rule accepts besides severity.
	Params []string
	// Structural marks the rules whose findings say the org itself is
	// malformed (unreadable, ambiguous, dangling or looping), as opposed
	// to a pairing that breaks a guideline. A structural problem hides or
	// distorts what the other rules see, so outputs show these first and
	// apply refuses to run on them.
	Structural bool
	// Private marks the rules whose findings never leave the machine in
	// detail: outputs that are published count them without naming them.
	Private bool
	// Issue marks the rules whose findings get a GitHub issue when
	// Policy.spec.github.issues is not set.
	Issue bool
	// Title is the title of a finding's issue; nil gives "RULE: SUBJECT /
	// OTHER".
	Title func(Finding) string
	// OtherKind is what a finding's Other names: SubjectPerson for the
	// manager, coach or mentor at fault; "" when Other is unset or names
	// nothing that takes part (a missing name, a rule).
	OtherKind SubjectKind
	// Check emits the rule's findings; nil for the rules the loader emits
	// (parse, schema) and for pairing rules, which the checker runs
	// through Org.JudgePair.
	Check func(*checker)
	// Pairing, when set, makes the rule judge one coach or mentor
	// pairing: the checker asks it about every declared pairing and the
	// matcher about every candidate, both through Org.JudgePair.
	Pairing *PairRule
	// late rules run after every other rule, seeing their findings
	// (c.prior): the exemption rules.
	late bool
	// loader marks the rules the loader emits (package schema).
	loader bool
}

// registry is every rule, in the order of SPEC §3; ruleIdx maps each id
// to its place (outputs sort thousands of findings by what the registry
// says of their rule) and pairRules lists the pairing rules. All three are
// set by init, because the checks the registry holds reach back into it
// (through JudgePair), and only replaced by withRule, in tests.
var (
	registry  []*Rule
	ruleIdx   map[RuleID]int
	pairRules []*Rule
)

func init() { setRegistry(ruleTable()) }

func setRegistry(rules []*Rule) {
	idx := make(map[RuleID]int, len(rules))
	var pairs []*Rule
	for i, r := range rules {
		idx[r.ID] = i
		if r.Pairing != nil {
			pairs = append(pairs, r)
		}
	}
	if len(pairs) > 64 {
		panic("reconcile: more than 64 pairing rules do not fit a Verdict")
	}
	registry, ruleIdx, pairRules = rules, idx, pairs
}

// withRule adds r to the end of the registry and returns the function
// that removes it again. It is for tests (export_test.go), which show that
// a rule is one entry: everything derived from the registry picks up the
// new rule with no other edit. Not safe while checks run.
func withRule(r *Rule) (restore func()) {
	old := registry
	setRegistry(append(slices.Clip(old), r))
	return func() { setRegistry(old) }
}

func ruleTable() []*Rule {
	return []*Rule{
		{ID: RuleParse, Name: "InvalidYaml", Default: Error, Structural: true, loader: true, FingerprintForm: "parse/FILE",
			Summary:   "a file is not valid YAML, has a duplicate key, is not UTF-8, is too large, or a document is not a mapping",
			Rationale: "A file that cannot be read hides every person and team in it: nothing about them can be checked until the file is fixed.",
			Fix:       "fix the YAML at the reported line; indent with spaces, keep each key once per mapping, save the file as UTF-8"},
		{ID: RuleSchema, Name: "SchemaViolation", Default: Error, Structural: true, loader: true, FingerprintForm: "schema/NAME",
			Summary:   "a document breaks the JSON Schema (missing field, wrong type, unknown field)",
			Rationale: "The schema is the shape every tool and editor agrees on. A misspelt field such as `coahc` silently means \"no coach\", so unknown fields are errors rather than being ignored.",
			Fix:       "correct the field named in the message; `orgctl schema` prints the full schema"},
		{ID: RuleDuplicateName, Default: Error, Structural: true, FingerprintForm: "duplicate-name/NAME", Check: checkDuplicateNames,
			Summary:   "two objects of one kind share metadata.name",
			Rationale: "Names are the identities every reference points at. With two objects of one name nobody can tell which one a manager, coach or mentor field means; orgctl uses the first and ignores the rest.",
			Fix:       "rename or remove one of the two objects"},
		{ID: RuleDuplicateGitHub, Default: Error, Structural: true, FingerprintForm: "duplicate-github/LOGIN", Check: checkDuplicateGitHub,
			Summary:   "two people share a GitHub login (case-insensitive)",
			Rationale: "orgctl assigns issues and requests reviews by GitHub login; a login shared by two people sends one person's responsibilities to the other.",
			Fix:       "correct the github field of one of the two people"},
		{ID: RuleUnknownReference, Default: Error, Structural: true, FingerprintForm: "unknown-reference/SUBJECT/MISSING", Check: checkReferences,
			Summary:   "a manager, coach, mentor, team or parent field names nothing",
			Rationale: "A pairing with someone who does not exist is no pairing at all: the person believes they are covered while nobody is actually there for them.",
			Fix:       "correct the name (names are metadata.name values), or add the missing person or team",
			Title:     func(f Finding) string { return fmt.Sprintf("%s refers to %s, who does not exist", f.Subject, f.Other) }},
		{ID: RuleUnknownLevel, Default: Error, Structural: true, FingerprintForm: "unknown-level/PERSON (or unknown-level/POLICY/FIELD)", Check: checkLevels,
			Summary:   "a person has no level, or a level (of a person, coaching.coachFromAbove or allowFromLevel) is not one of Policy.spec.levels",
			Rationale: "Levels order people by seniority; the coaching and mentoring rules compare them. A level outside the policy's ladder cannot be compared, so those checks would be silently skipped.",
			Fix:       "use one of the levels listed in the Policy, or add the level to Policy.spec.levels in order"},
		{ID: RuleSelfReference, Default: Error, Structural: true, FingerprintForm: "self-reference/PERSON", Check: checkSelfReferences,
			Summary:   "a person is their own manager, coach or mentor",
			Rationale: "Managing, coaching and mentoring are relationships between two people. Naming yourself leaves you without anyone in that role.",
			Fix:       "name someone else, or remove the field to fall back to the team's manager"},
		{ID: RuleManagementCycle, Default: Error, Structural: true, FingerprintForm: "management-cycle/FIRST", Check: checkCycles,
			Summary:   "the effective-manager chain, or the team parent chain, loops",
			Rationale: "Reporting lines must lead up to someone accountable. In a loop every member reports to someone below themselves, and escalation goes round in circles.",
			Fix:       "break the loop by changing one manager (or parent) so that the chain ends at a root",
			Title:     func(f Finding) string { return fmt.Sprintf("management chain loops through %s", f.Subject) }},
		{ID: RuleMissingManager, Default: Error, Issue: true, FingerprintForm: "missing-manager/PERSON", Check: checkMissingManager,
			Summary:   "an active internal person has no effective manager and is not a root",
			Rationale: "The manager acts for the company on pay, promotion and performance, and makes sure the person has a coach. Without one, nobody is accountable for them.",
			Fix:       "set spec.manager, give the person's team a manager, or list the person in Policy.spec.roots",
			Title:     func(f Finding) string { return fmt.Sprintf("%s has no manager", f.Subject) }},
		{ID: RuleMissingCoach, Default: Error, Issue: true, FingerprintForm: "missing-coach/PERSON", Check: checkMissingCoach,
			Summary:   "an active internal person has no coach (seniors too)",
			Rationale: "Everybody should have a coach, seniors included: a neutral thought partner who helps them find their own way. The manager makes sure each person has one, but need not be that coach.",
			Fix:       "set spec.coach to a trusted peer or someone more senior, ideally outside the reporting line",
			Title:     func(f Finding) string { return fmt.Sprintf("%s has no coach", f.Subject) }},
		{ID: RuleCoachIsManager, Default: Error, Issue: true, FingerprintForm: "coach-is-manager/PERSON/COACH", Params: []string{"allowFromLevel"},
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Breaks: coachIsManager, Explain: explainCoachIsManager},
			Summary:   "the coach is the person's effective manager",
			Rationale: "A manager acts for the company and decides on pay and promotion; a coach should be someone you can be completely honest with. Few people can vent about work, or weigh leaving, with the person who can promote or fire them.",
			Fix:       "choose a coach outside the reporting line; for senior people, Policy.spec.rules.coach-is-manager.allowFromLevel can allow it",
			Title:     func(f Finding) string { return fmt.Sprintf("%s is coached by their manager %s", f.Subject, f.Other) }},
		{ID: RuleInactiveAssignee, Default: Error, Issue: true, FingerprintForm: "inactive-assignee/PERSON/ASSIGNEE", Check: checkInactive,
			OtherKind: SubjectPerson,
			Summary:   "a manager, coach or mentor has departed (a warning when on leave)",
			Rationale: "A pairing with someone who has left, or is away, exists only on paper. The person needs someone who is actually there.",
			Fix:       "name an active manager, coach or mentor (or remove the mentor entry)",
			Title: func(f Finding) string {
				return fmt.Sprintf("%s is paired with %s, who is no longer active", f.Subject, f.Other)
			}},
		{ID: RuleCoachInManagementChain, Default: Warning, FingerprintForm: "coach-in-management-chain/PERSON/COACH",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Breaks: coachInChain, Explain: explainCoachInChain},
			Summary:   "the coach is a skip-level manager (above the direct manager)",
			Rationale: "A skip-level manager still has a say in the person's career. Coaching works best with someone outside the reporting line, where there is nothing to lose by being candid.",
			Fix:       "prefer a coach outside the person's reporting line",
			Title: func(f Finding) string {
				return fmt.Sprintf("%s's coach %s is in their management chain", f.Subject, f.Other)
			}},
		{ID: RuleCoachReportsToCoachee, Default: Warning, FingerprintForm: "coach-reports-to-coachee/PERSON/COACH",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Breaks: coachReportsToCoachee, Explain: explainCoachReportsToCoachee},
			Summary:   "the coach sits in the coachee's reporting subtree",
			Rationale: "A coach who reports (directly or not) to the coachee cannot be a neutral party: the coachee has power over the coach's career.",
			Fix:       "choose a coach who is a peer or more senior and not in the person's own organisation",
			Title:     func(f Finding) string { return fmt.Sprintf("%s's coach %s reports to them", f.Subject, f.Other) }},
		{ID: RuleMentorIsManager, Default: Warning, FingerprintForm: "mentor-is-manager/PERSON/MENTOR",
			OtherKind: SubjectPerson, Pairing: &PairRule{Mentor: true, Breaks: mentorIsManager, Explain: explainMentorIsManager},
			Summary:   "a mentor is the person's effective manager",
			Rationale: "Managing and mentoring are different jobs with different goals: the manager serves the company's objectives, the mentor the mentee's growth in a domain. Separate people keep the advice unconflicted.",
			Fix:       "find a mentor with the expertise outside the reporting line",
			Title:     func(f Finding) string { return fmt.Sprintf("%s is mentored by their manager %s", f.Subject, f.Other) }},
		{ID: RuleRolesNotDistinct, Default: Warning, FingerprintForm: "roles-not-distinct/PERSON/OTHER",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Mentor: true, Breaks: rolesNotDistinct, Explain: explainRolesNotDistinct},
			Summary:   "one person is both coach and mentor of the same person",
			Rationale: "A mentor gives advice in a domain; a coach asks questions and lets you find your own answer. Held by one person, the advice tends to crowd out the coaching.",
			Fix:       "keep the person as either coach or mentor, and find someone else for the other role",
			Title:     func(f Finding) string { return fmt.Sprintf("%s is both coach and mentor of %s", f.Other, f.Subject) }},
		{ID: RuleCoachJunior, Default: Warning, FingerprintForm: "coach-junior/PERSON/COACH",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Breaks: coachJunior, Explain: explainCoachJunior},
			Summary:   "the coach's level is below the coachee's (peers are fine)",
			Rationale: "A coach is a trusted peer or someone more senior; coaching up the ladder is hard to sustain and rarely asked for.",
			Fix:       "choose a coach at the same level or above",
			Title:     func(f Finding) string { return fmt.Sprintf("%s's coach %s is more junior", f.Subject, f.Other) }},
		{ID: RuleMentorNotSenior, Default: Warning, FingerprintForm: "mentor-not-senior/PERSON/MENTOR",
			OtherKind: SubjectPerson, Pairing: &PairRule{Mentor: true, Breaks: mentorNotSenior, Explain: explainMentorNotSenior},
			Summary:   "the mentor's level is not above the mentee's",
			Rationale: "A mentor shares experience the mentee does not have yet; that needs more experience than the mentee.",
			Fix:       "choose a mentor at a higher level",
			Title:     func(f Finding) string { return fmt.Sprintf("%s's mentor %s is not more senior", f.Subject, f.Other) }},
		{ID: RuleMentorLacksExpertise, Default: Warning, FingerprintForm: "mentor-lacks-expertise/PERSON/MENTOR",
			OtherKind: SubjectPerson, Pairing: &PairRule{Mentor: true, Breaks: mentorLacksExpertise, Explain: explainMentorLacksExpertise},
			Summary:   "the mentoring domain is not in the mentor's expertise",
			Rationale: "Mentoring always happens in a domain the mentor knows. Without the expertise the pairing has nothing to pass on.",
			Fix:       "add the domain to the mentor's expertise if it is true, or choose a mentor who has it",
			Title:     func(f Finding) string { return fmt.Sprintf("%s's mentor %s lacks the domain", f.Subject, f.Other) }},
		{ID: RuleCoachCapacity, Default: Warning, FingerprintForm: "coach-capacity/COACH", Params: []string{"max"}, Check: checkCoachCapacity,
			Summary:   fmt.Sprintf("a coach has more than `max` coachees (default %d)", DefaultCoachCapacity),
			Rationale: "Coaching is spread over senior people so that no one carries too many coachees; an overloaded coach has too little time for each of them.",
			Fix:       "move some coachees to coaches with capacity left",
			Title:     func(f Finding) string { return fmt.Sprintf("%s coaches too many people", f.Subject) }},
		{ID: RuleSpanOfControl, Default: Warning, FingerprintForm: "span-of-control/MANAGER", Params: []string{"max"}, Check: checkSpanOfControl,
			Summary:   fmt.Sprintf("a manager has more than `max` direct reports (default %d)", DefaultSpanOfControl),
			Rationale: "A manager with too many reports cannot give each of them the attention the role needs, from feedback to making sure each has a coach.",
			Fix:       "split the team or move some reports to another manager",
			Title:     func(f Finding) string { return fmt.Sprintf("%s has too many direct reports", f.Subject) }},
		// The life of a pairing (issue 17); checks in lifecycle.go.
		{ID: RulePairingDates, Default: Error, FingerprintForm: "pairing-dates/PERSON/FIELD", Check: checkPairingDates,
			Summary:   "a coachSince, since, from or until date is in the future or not a real day, or a past pairing ends before it starts",
			Rationale: "The start and end of pairings are the programme's memory: rotation, the no-repeat window and orgctl history all count from them. A date that has not happened yet, or an end before its start, is a typo that would make every one of them wrong.",
			Fix:       "correct the date (YYYY-MM-DD); keep a pairing that has not ended as spec.coach or spec.mentors rather than in pastPairings",
			Title: func(f Finding) string {
				return fmt.Sprintf("%s has an impossible pairing date (%s)", f.Subject, f.Other)
			}},
		{ID: RuleForbiddenPair, Default: Error, Private: true, FingerprintForm: "forbidden-pair/PERSON/OTHER",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Mentor: true, Breaks: forbiddenPair, Explain: explainForbiddenPair},
			Summary:   "a coach or mentor pairing is listed in Policy.spec.doNotPair (private: counted, never named, in anything published)",
			Rationale: "Some pairs must never work this closely: a conflict of interest, a relationship, a past grievance. A coach has to be someone the coachee can be completely candid with, and a pairing like that puts the trust, and sometimes the people, at risk. The list is sensitive, so its findings stay on the machine.",
			Fix:       "choose another coach or mentor; the entry in Policy.spec.doNotPair stays as it is"},
		{ID: RuleRotationDue, Default: Warning, FingerprintForm: "rotation-due/PERSON/COACH", Check: checkRotationDue,
			OtherKind: SubjectPerson,
			Summary:   "a coaching pairing has lasted Policy.spec.coaching.rotateAfterMonths or longer (counted from coachSince)",
			Rationale: "A coach is a thought partner, not a fixture. After a while the questions get familiar and the coachee leans on one person's view; moving on keeps coaching fresh and spreads the experience of coaching across the seniors.",
			Fix:       "plan a successor with the coachee (orgctl suggest --rotate proposes one) and move the pairing to pastPairings when it ends",
			Title: func(f Finding) string {
				return fmt.Sprintf("%s's coaching with %s is due to rotate", f.Subject, f.Other)
			}},
		{ID: RuleRepeatPairing, Default: Warning, FingerprintForm: "repeat-pairing/PERSON/COACH",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Breaks: repeatPairing, Explain: explainRepeatPairing},
			Summary:   "the coach coached this person before, and that pairing ended less than Policy.spec.coaching.noRepeatMonths ago (default 24)",
			Rationale: "Rotation only helps if it brings someone new. Going straight back to the previous coach undoes it: the same view, and the dependence rotation was meant to avoid.",
			Fix:       "choose a coach the person has not had recently",
			Title:     func(f Finding) string { return fmt.Sprintf("%s is coached again by %s too soon", f.Subject, f.Other) }},
		{ID: RuleCoachUnwilling, Default: Warning, FingerprintForm: "coach-unwilling/PERSON/COACH",
			OtherKind: SubjectPerson, Pairing: &PairRule{Coach: true, Breaks: coachUnwilling, Explain: explainCoachUnwilling},
			Summary:   "the coach has declared coaching.willing: false",
			Rationale: "Coaching is a side job people take on willingly. A coach who has said no, for now, will not have the time or the interest the coachee deserves.",
			Fix:       "agree it with the coach (and update their coaching.willing), or choose a coach who is willing",
			Title:     func(f Finding) string { return fmt.Sprintf("%s's coach %s takes no coachees", f.Subject, f.Other) }},
		{ID: RuleExpiredExemption, Default: Warning, FingerprintForm: "expired-exemption/PERSON/RULE", Check: checkExpiredExemptions, late: true,
			Summary:   "an exemption's expiry date has passed",
			Rationale: "Exemptions are for temporary situations. Once expired, the exemption no longer hides the finding, and it should be renewed on purpose or removed.",
			Fix:       "fix the underlying finding and remove the exemption, or extend its expiry date with a reason"},
		{ID: RuleUnusedExemption, Default: Warning, FingerprintForm: "unused-exemption/PERSON/RULE", Check: checkUnusedExemptions, late: true,
			Summary:   "an exemption matches no finding",
			Rationale: "An exemption that covers nothing is stale: the situation it was written for is over, and leaving it in place could silently hide a future problem.",
			Fix:       "remove the exemption"},
	}
}

// Rules returns every rule, in the order of SPEC §3. The slice is shared:
// do not modify it.
func Rules() []*Rule { return registry }

// LookupRule returns the rule of that id.
func LookupRule(id RuleID) (*Rule, bool) {
	if i, ok := ruleIdx[id]; ok {
		return registry[i], true
	}
	return nil, false
}

// FromLoader reports whether the loader (package schema), not a check,
// emits the rule's findings.
func (r *Rule) FromLoader() bool { return r.loader }

// IsStructural reports whether findings of the rule are structural (see
// Rule.Structural). A rule the registry does not know comes from the
// loader, which reports only input it could not read, so it counts as
// structural.
func IsStructural(id RuleID) bool {
	r, ok := LookupRule(id)
	return !ok || r.Structural
}

// RuleOrder is the place of a rule in Rules, for listing rules in the
// SPEC's order; -1 for a rule the registry does not know.
func RuleOrder(id RuleID) int {
	if i, ok := ruleIdx[id]; ok {
		return i
	}
	return -1
}

// DefaultIssueRules are the rules that get a GitHub issue when the Policy
// does not say otherwise (Rule.Issue), in registry order.
func DefaultIssueRules() []RuleID {
	var out []RuleID
	for _, r := range registry {
		if r.Issue {
			out = append(out, r.ID)
		}
	}
	return out
}
