package reconcile

import "sync"

// RuleInfo describes one rule of the catalogue: what it checks, why it
// matters and how its findings are fingerprinted. Renderers (SARIF rules,
// `orgctl rules`, issue bodies) read it; the check itself lives in rules.go.
type RuleInfo struct {
	ID string
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
}

// Catalog is every rule orgctl knows, in the order of SPEC §3.
var Catalog = []RuleInfo{
	{ID: "parse", Default: Error, Structural: true, FingerprintForm: "parse/FILE",
		Summary:   "a file is not valid YAML, has a duplicate key, is not UTF-8, is too large, or a document is not a mapping",
		Rationale: "A file that cannot be read hides every person and team in it: nothing about them can be checked until the file is fixed.",
		Fix:       "fix the YAML at the reported line; indent with spaces, keep each key once per mapping, save the file as UTF-8"},
	{ID: "schema", Default: Error, Structural: true, FingerprintForm: "schema/NAME",
		Summary:   "a document breaks the JSON Schema (missing field, wrong type, unknown field)",
		Rationale: "The schema is the shape every tool and editor agrees on. A misspelt field such as `coahc` silently means \"no coach\", so unknown fields are errors rather than being ignored.",
		Fix:       "correct the field named in the message; `orgctl schema` prints the full schema"},
	{ID: "duplicate-name", Default: Error, Structural: true, FingerprintForm: "duplicate-name/NAME",
		Summary:   "two objects of one kind share metadata.name",
		Rationale: "Names are the identities every reference points at. With two objects of one name nobody can tell which one a manager, coach or mentor field means; orgctl uses the first and ignores the rest.",
		Fix:       "rename or remove one of the two objects"},
	{ID: "duplicate-github", Default: Error, Structural: true, FingerprintForm: "duplicate-github/LOGIN",
		Summary:   "two people share a GitHub login (case-insensitive)",
		Rationale: "orgctl assigns issues and requests reviews by GitHub login; a login shared by two people sends one person's responsibilities to the other.",
		Fix:       "correct the github field of one of the two people"},
	{ID: "unknown-reference", Default: Error, Structural: true, FingerprintForm: "unknown-reference/SUBJECT/MISSING",
		Summary:   "a manager, coach, mentor, team or parent field names nothing",
		Rationale: "A pairing with someone who does not exist is no pairing at all: the person believes they are covered while nobody is actually there for them.",
		Fix:       "correct the name (names are metadata.name values), or add the missing person or team"},
	{ID: "unknown-level", Default: Error, Structural: true, FingerprintForm: "unknown-level/PERSON (or unknown-level/POLICY/FIELD)",
		Summary:   "a person has no level, or a level (of a person, coaching.coachFromAbove or allowFromLevel) is not one of Policy.spec.levels",
		Rationale: "Levels order people by seniority; the coaching and mentoring rules compare them. A level outside the policy's ladder cannot be compared, so those checks would be silently skipped.",
		Fix:       "use one of the levels listed in the Policy, or add the level to Policy.spec.levels in order"},
	{ID: "self-reference", Default: Error, Structural: true, FingerprintForm: "self-reference/PERSON",
		Summary:   "a person is their own manager, coach or mentor",
		Rationale: "Managing, coaching and mentoring are relationships between two people. Naming yourself leaves you without anyone in that role.",
		Fix:       "name someone else, or remove the field to fall back to the team's manager"},
	{ID: "management-cycle", Default: Error, Structural: true, FingerprintForm: "management-cycle/FIRST",
		Summary:   "the effective-manager chain, or the team parent chain, loops",
		Rationale: "Reporting lines must lead up to someone accountable. In a loop every member reports to someone below themselves, and escalation goes round in circles.",
		Fix:       "break the loop by changing one manager (or parent) so that the chain ends at a root"},
	{ID: "missing-manager", Default: Error, FingerprintForm: "missing-manager/PERSON",
		Summary:   "an active internal person has no effective manager and is not a root",
		Rationale: "The manager acts for the company on pay, promotion and performance, and makes sure the person has a coach. Without one, nobody is accountable for them.",
		Fix:       "set spec.manager, give the person's team a manager, or list the person in Policy.spec.roots"},
	{ID: "missing-coach", Default: Error, FingerprintForm: "missing-coach/PERSON",
		Summary:   "an active internal person has no coach (seniors too)",
		Rationale: "Everybody should have a coach, seniors included: a neutral thought partner who helps them find their own way. The manager makes sure each person has one, but need not be that coach.",
		Fix:       "set spec.coach to a trusted peer or someone more senior, ideally outside the reporting line"},
	{ID: "coach-is-manager", Default: Error, FingerprintForm: "coach-is-manager/PERSON/COACH", Params: []string{"allowFromLevel"},
		Summary:   "the coach is the person's effective manager",
		Rationale: "A manager acts for the company and decides on pay and promotion; a coach should be someone you can be completely honest with. Few people can vent about work, or weigh leaving, with the person who can promote or fire them.",
		Fix:       "choose a coach outside the reporting line; for senior people, Policy.spec.rules.coach-is-manager.allowFromLevel can allow it"},
	{ID: "inactive-assignee", Default: Error, FingerprintForm: "inactive-assignee/PERSON/ASSIGNEE",
		Summary:   "a manager, coach or mentor has departed (a warning when on leave)",
		Rationale: "A pairing with someone who has left, or is away, exists only on paper. The person needs someone who is actually there.",
		Fix:       "name an active manager, coach or mentor (or remove the mentor entry)"},
	{ID: "coach-in-management-chain", Default: Warning, FingerprintForm: "coach-in-management-chain/PERSON/COACH",
		Summary:   "the coach is a skip-level manager (above the direct manager)",
		Rationale: "A skip-level manager still has a say in the person's career. Coaching works best with someone outside the reporting line, where there is nothing to lose by being candid.",
		Fix:       "prefer a coach outside the person's reporting line"},
	{ID: "coach-reports-to-coachee", Default: Warning, FingerprintForm: "coach-reports-to-coachee/PERSON/COACH",
		Summary:   "the coach sits in the coachee's reporting subtree",
		Rationale: "A coach who reports (directly or not) to the coachee cannot be a neutral party: the coachee has power over the coach's career.",
		Fix:       "choose a coach who is a peer or more senior and not in the person's own organisation"},
	{ID: "mentor-is-manager", Default: Warning, FingerprintForm: "mentor-is-manager/PERSON/MENTOR",
		Summary:   "a mentor is the person's effective manager",
		Rationale: "Managing and mentoring are different jobs with different goals: the manager serves the company's objectives, the mentor the mentee's growth in a domain. Separate people keep the advice unconflicted.",
		Fix:       "find a mentor with the expertise outside the reporting line"},
	{ID: "roles-not-distinct", Default: Warning, FingerprintForm: "roles-not-distinct/PERSON/OTHER",
		Summary:   "one person is both coach and mentor of the same person",
		Rationale: "A mentor gives advice in a domain; a coach asks questions and lets you find your own answer. Held by one person, the advice tends to crowd out the coaching.",
		Fix:       "keep the person as either coach or mentor, and find someone else for the other role"},
	{ID: "coach-junior", Default: Warning, FingerprintForm: "coach-junior/PERSON/COACH",
		Summary:   "the coach's level is below the coachee's (peers are fine)",
		Rationale: "A coach is a trusted peer or someone more senior; coaching up the ladder is hard to sustain and rarely asked for.",
		Fix:       "choose a coach at the same level or above"},
	{ID: "mentor-not-senior", Default: Warning, FingerprintForm: "mentor-not-senior/PERSON/MENTOR",
		Summary:   "the mentor's level is not above the mentee's",
		Rationale: "A mentor shares experience the mentee does not have yet; that needs more experience than the mentee.",
		Fix:       "choose a mentor at a higher level"},
	{ID: "mentor-lacks-expertise", Default: Warning, FingerprintForm: "mentor-lacks-expertise/PERSON/MENTOR",
		Summary:   "the mentoring domain is not in the mentor's expertise",
		Rationale: "Mentoring always happens in a domain the mentor knows. Without the expertise the pairing has nothing to pass on.",
		Fix:       "add the domain to the mentor's expertise if it is true, or choose a mentor who has it"},
	{ID: "coach-capacity", Default: Warning, FingerprintForm: "coach-capacity/COACH", Params: []string{"max"},
		Summary:   "a coach has more than `max` coachees (default 5)",
		Rationale: "Coaching is spread over senior people so that no one carries too many coachees; an overloaded coach has too little time for each of them.",
		Fix:       "move some coachees to coaches with capacity left"},
	{ID: "span-of-control", Default: Warning, FingerprintForm: "span-of-control/MANAGER", Params: []string{"max"},
		Summary:   "a manager has more than `max` direct reports (default 12)",
		Rationale: "A manager with too many reports cannot give each of them the attention the role needs, from feedback to making sure each has a coach.",
		Fix:       "split the team or move some reports to another manager"},
	{ID: "expired-exemption", Default: Warning, FingerprintForm: "expired-exemption/PERSON/RULE",
		Summary:   "an exemption's expiry date has passed",
		Rationale: "Exemptions are for temporary situations. Once expired, the exemption no longer hides the finding, and it should be renewed on purpose or removed.",
		Fix:       "fix the underlying finding and remove the exemption, or extend its expiry date with a reason"},
	{ID: "unused-exemption", Default: Warning, FingerprintForm: "unused-exemption/PERSON/RULE",
		Summary:   "an exemption matches no finding",
		Rationale: "An exemption that covers nothing is stale: the situation it was written for is over, and leaving it in place could silently hide a future problem.",
		Fix:       "remove the exemption"},
}

// IsStructural reports whether findings of the rule are structural (see
// RuleInfo.Structural). A rule the catalogue does not know comes from the
// loader, which reports only input it could not read, so it counts as
// structural.
func IsStructural(rule string) bool {
	r, ok := LookupRule(rule)
	return !ok || r.Structural
}

// LookupRule returns the catalogue entry for id.
func LookupRule(id string) (RuleInfo, bool) {
	if i, ok := catalogIndex()[id]; ok {
		return Catalog[i], true
	}
	return RuleInfo{}, false
}

// CatalogOrder is the place of a rule in Catalog, for listing rules in
// the SPEC's order; -1 for a rule the catalogue does not know.
func CatalogOrder(rule string) int {
	if i, ok := catalogIndex()[rule]; ok {
		return i
	}
	return -1
}

// catalogIndex maps each rule id to its place in Catalog; outputs sort
// thousands of findings by what the catalogue says of their rule.
var catalogIndex = sync.OnceValue(func() map[string]int {
	m := make(map[string]int, len(Catalog))
	for i, r := range Catalog {
		m[r.ID] = i
	}
	return m
})
