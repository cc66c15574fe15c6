package schema

import (
	"slices"
	"strings"
	"testing"
)

// lifecyclePerson carries every lifecycle field of issue 17 (line numbers
// matter: the test checks positions).
const lifecyclePerson = `apiVersion: orgctl.dev/v1
kind: Person
metadata:
  name: kateryna
spec:
  displayName: Kateryna
  team: platform
  level: mid
  coach: carol
  coachSince: 2026-03-01
  mentors:
    - person: dave
      domain: kubernetes
      since: 2026-05-01
    - person: erin
      domain: go
  pastPairings:
    - role: coach
      person: frank
      from: 2024-01-10
      until: 2026-02-28
    - {role: mentor, person: gina, domain: sql, until: "2025-06-30"}
  coaching:
    willing: false
    capacity: 2
  mentoringWanted: [kubernetes, go]
`

const lifecyclePolicy = `apiVersion: orgctl.dev/v1
kind: Policy
metadata:
  name: default
spec:
  coaching:
    coachFromAbove: senior
    rotateAfterMonths: 18
    noRepeatMonths: 12
  doNotPair:
    - people: [alice, bob]
      reason: relationship
    - people: [carol, dave, erin]
`

func TestDecodeLifecycleFields(t *testing.T) {
	set := loadMap(t, map[string]string{"p.yaml": lifecyclePerson, "policy.yaml": lifecyclePolicy})
	if len(set.Problems) != 0 {
		t.Fatalf("unexpected problems: %v", problems(set))
	}
	var p *Person
	var pol *Policy
	for _, d := range set.Documents {
		if d.Person != nil {
			p = d.Person
		}
		if d.Policy != nil {
			pol = d.Policy
		}
	}
	if p == nil || pol == nil {
		t.Fatalf("want a Person and a Policy, got %+v", set.Documents)
	}
	l := p.Lifecycle()
	if l.CoachSince != "2026-03-01" || l.CoachSincePos != (Pos{10, 15}) {
		t.Errorf("coachSince %q at %v", l.CoachSince, l.CoachSincePos)
	}
	if len(p.Mentors) != 2 || p.Mentors[0].Since != "2026-05-01" || p.Mentors[0].SincePos != (Pos{14, 14}) ||
		p.Mentors[1].Since != "" || p.Mentors[1].SincePos != (Pos{}) {
		t.Errorf("mentors %+v", p.Mentors)
	}
	want := []PastPairing{
		{Role: RoleCoach, Person: "frank", From: "2024-01-10", Until: "2026-02-28",
			Pos: Pos{18, 7}, PersonPos: Pos{19, 15}, FromPos: Pos{20, 13}, UntilPos: Pos{21, 14}},
		{Role: RoleMentor, Person: "gina", Domain: "sql", Until: "2025-06-30",
			Pos: Pos{22, 7}, PersonPos: Pos{22, 30}, UntilPos: Pos{22, 56}},
	}
	if !slices.Equal(l.PastPairings, want) {
		t.Errorf("pastPairings\n got %+v\nwant %+v", l.PastPairings, want)
	}
	if l.CoachWilling == nil || *l.CoachWilling || l.CoachWillingPos != (Pos{24, 14}) {
		t.Errorf("coaching.willing %v at %v", l.CoachWilling, l.CoachWillingPos)
	}
	if l.CoachCapacity == nil || *l.CoachCapacity != 2 || l.CoachCapacityPos != (Pos{25, 15}) {
		t.Errorf("coaching.capacity %v at %v", l.CoachCapacity, l.CoachCapacityPos)
	}
	if !slices.Equal(l.MentoringWanted, []string{"kubernetes", "go"}) || !slices.Equal(l.MentoringWantedPos, []Pos{{26, 21}, {26, 33}}) {
		t.Errorf("mentoringWanted %v at %v", l.MentoringWanted, l.MentoringWantedPos)
	}

	c := pol.Coaching
	if c.RotateAfterMonths == nil || *c.RotateAfterMonths != 18 || c.RotateAfterMonthsPos != (Pos{8, 24}) {
		t.Errorf("rotateAfterMonths %v at %v", c.RotateAfterMonths, c.RotateAfterMonthsPos)
	}
	if c.NoRepeat() != 12 || c.NoRepeatMonthsPos != (Pos{9, 21}) {
		t.Errorf("noRepeatMonths %d at %v", c.NoRepeat(), c.NoRepeatMonthsPos)
	}
	if len(pol.DoNotPair) != 2 {
		t.Fatalf("doNotPair %+v", pol.DoNotPair)
	}
	d := pol.DoNotPair[0]
	if !slices.Equal(d.People, []string{"alice", "bob"}) || d.Reason != "relationship" || d.Pos != (Pos{11, 15}) ||
		!slices.Equal(d.PeoplePos, []Pos{{11, 16}, {11, 23}}) {
		t.Errorf("doNotPair[0] %+v", d)
	}
	if !d.Forbids("bob", "alice") || d.Forbids("alice", "alice") || d.Forbids("alice", "carol") {
		t.Error("doNotPair[0] forbids the wrong pairs")
	}
	if g := pol.DoNotPair[1]; !g.Forbids("erin", "carol") || g.Reason != "" {
		t.Errorf("a group of three forbids every pair of it: %+v", g)
	}
}

// TestLifecycleFieldsAreOptional: a file written before issue 17 decodes
// with every new field unset, and the defaults apply.
func TestLifecycleFieldsAreOptional(t *testing.T) {
	set := loadMap(t, map[string]string{"p.yaml": alice + "  mentors: [{person: dave, domain: go}]\n",
		"policy.yaml": "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  coaching: {coachFromAbove: senior}\n"})
	if len(set.Problems) != 0 {
		t.Fatalf("an old file must stay valid: %v", problems(set))
	}
	for _, d := range set.Documents {
		if p := d.Person; p != nil && (p.Life != nil || p.Mentors[0].Since != "") {
			t.Errorf("lifecycle fields set on an old file: %+v", p)
		}
		if p := d.Policy; p != nil && (p.Coaching.RotateAfterMonths != nil || p.Coaching.NoRepeat() != DefaultNoRepeatMonths || p.DoNotPair != nil) {
			t.Errorf("lifecycle policy set on an old file: %+v", p)
		}
	}
}

// TestLifecycleBadInput: each malformed lifecycle field is one schema
// problem at its line, and the message names the field.
func TestLifecycleBadInput(t *testing.T) {
	pol := func(spec string) string {
		return "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n" + spec
	}
	tests := []struct{ name, data, want string }{
		{"not a calendar month", strings.Replace(lifecyclePerson, "coachSince: 2026-03-01", "coachSince: 2026-13-01", 1), `10:15 schema spec.coachSince "2026-13-01" is not a date: write it as YYYY-MM-DD`},
		{"not a date", strings.Replace(lifecyclePerson, "since: 2026-05-01", "since: last may", 1), `14:14 schema spec.mentors[0].since "last may" is not a date`},
		{"past mentor without domain", strings.Replace(lifecyclePerson, "domain: sql, ", "", 1), "22:7 schema missing required field spec.pastPairings[1].domain"},
		{"past pairing without until", strings.Replace(lifecyclePerson, "      until: 2026-02-28\n", "", 1), "18:7 schema missing required field spec.pastPairings[0].until"},
		{"unknown role", strings.Replace(lifecyclePerson, "role: coach", "role: manager", 1), `18:13 schema spec.pastPairings[0].role "manager" is not one of coach, mentor`},
		{"negative capacity", strings.Replace(lifecyclePerson, "capacity: 2", "capacity: -1", 1), "25:15 schema spec.coaching.capacity"},
		{"willing is a boolean", strings.Replace(lifecyclePerson, "willing: false", "willing: maybe", 1), "24:14 schema spec.coaching.willing must be a boolean"},
		{"zero rotation", pol("  coaching: {rotateAfterMonths: 0}\n"), "5:33 schema spec.coaching.rotateAfterMonths"},
		{"a pair of one", pol("  doNotPair: [{people: [alice]}]\n"), "5:24 schema spec.doNotPair[0].people: array must have at least 2 items"},
		{"doNotPair typo", pol("  doNotPair: [{peple: [alice, bob]}]\n"), `unknown field "peple" in spec.doNotPair[0] (did you mean "people"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(loadMap(t, map[string]string{"f.yaml": tt.data}))
			if len(got) != 1 || !strings.Contains(got[0], tt.want) {
				t.Fatalf("want one problem containing %q, got %q", tt.want, got)
			}
		})
	}
}

// TestDoNotPairReasonIsNeverQuoted: the reason is private, so a schema
// error about it does not repeat it.
func TestDoNotPairReasonIsNeverQuoted(t *testing.T) {
	long := strings.Repeat("secret ", 80)
	got := problems(loadMap(t, map[string]string{"f.yaml": "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  doNotPair: [{people: [a, b], reason: " + long + "}]\n"}))
	if len(got) != 1 || strings.Contains(got[0], "secret") || !strings.Contains(got[0], "reason") {
		t.Fatalf("want one problem about the reason that does not quote it, got %q", got)
	}
}
