package reconcile

import (
	"testing"
)

// TestJudgePair: the one predicate decides what the checker reports for
// declared pairings, names the first error rule that forbids a pair, and
// allocates nothing, so the matcher can call it for every candidate.
func TestJudgePair(t *testing.T) {
	o, _ := orgOf(t, with(
		person("lead", "team: eng, level: senior, coach: ext, manager: boss, expertise: [go]"),
		person("ann", "team: eng, level: mid, coach: ext, manager: lead, mentors: [{person: lead, domain: go}]"),
		person("jun", "team: eng, level: junior, coach: ext, manager: lead"),
		person("gone", "team: eng, level: senior, coach: ext, status: departed"))...)
	p := func(name string) *Person { return o.Person(name) }
	tests := []struct {
		name   string
		pair   Pair
		forbid RuleID
		breaks []RuleID
	}{
		{"a manager may not coach", Pair{Role: RoleCoach, Coach: p("lead"), Person: p("ann")}, RuleCoachIsManager, []RuleID{RuleCoachIsManager, RuleRolesNotDistinct}},
		{"a skip-level manager is a warning", Pair{Role: RoleCoach, Coach: p("boss"), Person: p("ann")}, "", []RuleID{RuleCoachInManagementChain}},
		{"a junior coach reporting to the coachee", Pair{Role: RoleCoach, Coach: p("jun"), Person: p("lead")}, "", []RuleID{RuleCoachReportsToCoachee, RuleCoachJunior}},
		{"a mentor without the domain", Pair{Role: RoleMentor, Coach: p("boss"), Person: p("ann"), Domain: "go"}, "", []RuleID{RuleMentorLacksExpertise}},
		{"a manager mentoring", Pair{Role: RoleMentor, Coach: p("lead"), Person: p("ann"), Domain: "go"}, "", []RuleID{RuleMentorIsManager}},
		{"oneself", Pair{Role: RoleMentor, Coach: p("ann"), Person: p("ann"), Domain: "go"}, RuleSelfReference, nil},
		{"someone who left", Pair{Role: RoleCoach, Coach: p("gone"), Person: p("ann")}, RuleInactiveAssignee, nil},
		{"an external coach", Pair{Role: RoleCoach, Coach: p("ext"), Person: p("ann")}, "", nil},
	}
	for _, tt := range tests {
		v := o.JudgePair(tt.pair)
		var got []RuleID
		for r := range v.Rules() {
			got = append(got, r.ID)
		}
		if v.Rule != tt.forbid || v.Allowed() != (tt.forbid == "") || len(got) != len(tt.breaks) {
			t.Errorf("%s: forbidden by %q, breaks %v; want %q, %v", tt.name, v.Rule, got, tt.forbid, tt.breaks)
			continue
		}
		for i, id := range tt.breaks {
			if got[i] != id || !v.Breaks(id) {
				t.Errorf("%s: breaks %v, want %v", tt.name, got, tt.breaks)
			}
		}
		if rule, why := o.MayPair(tt.pair); rule != tt.forbid || (why == "") != (rule == "") {
			t.Errorf("%s: MayPair = %q, %q", tt.name, rule, why)
		}
	}
	for _, pair := range []Pair{tests[1].pair, tests[4].pair, tests[7].pair} {
		if n := testing.AllocsPerRun(100, func() { o.JudgePair(pair) }); n != 0 {
			t.Errorf("JudgePair(%s %s %s) allocates %v times", pair.Coach.Name, pair.Role, pair.Person.Name, n)
		}
	}
}
