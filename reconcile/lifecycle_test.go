package reconcile

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// lifecycleOrg is a small org in block style (so that every field has a
// line of its own) where each lifecycle rule fires once, next to a clean
// person whose findings must not be lost. Lines matter: the test checks
// them. Today is 2026-11-24.
var lifecycleOrg = []string{
	`apiVersion: orgctl.dev/v1
kind: Policy
metadata: {name: default}
spec:
  roots: [boss]
  coaching:
    rotateAfterMonths: 12
    noRepeatMonths: 24
  doNotPair:
    - people: [boss, fay]
      reason: married to each other
    - people:
        - gus
        - nobody
`,
	team("eng", "manager: boss"),
	person("boss", "team: eng, level: executive, coach: ext"),
	person("ext", "external: true, level: principal, expertise: [go]"),
	`apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: cora}
spec:
  displayName: Cora
  external: true
  coaching:
    willing: false
    capacity: 1
`,
	`apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: ann}
spec:
  displayName: Ann
  team: eng
  level: mid
  coach: ext
  coachSince: 2027-01-01
  mentors:
    - person: boss
      domain: go
      since: 2026-02-30
  pastPairings:
    - role: coach
      person: zed
      until: 2025-01-01
    - role: coach
      person: boss
      from: 2025-03-01
      until: 2025-02-01
`,
	`apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: bea}
spec:
  displayName: Bea
  team: eng
  level: mid
  coach: cora
  coachSince: 2025-01-10
  pastPairings:
    - role: coach
      person: cora
      from: 2023-01-01
      until: 2024-12-31
`,
	`apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: fay}
spec:
  displayName: Fay
  team: eng
  level: mid
  coach: boss
  coachSince: 2026-06-01
`,
	person("gus", "team: eng, level: mid, coach: cora"),
	person("hal", "team: eng, level: mid"), // missing-coach: not lost among the others
}

func TestLifecycleFindingsAtTheirLines(t *testing.T) {
	_, res := orgOf(t, lifecycleOrg...)
	var got []string
	msgs := map[string]string{}
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s %s:%d", f.Fingerprint, f.File, f.Line))
		msgs[f.Fingerprint] = f.Message
	}
	slices.Sort(got)
	// f000 is the Policy, f004 cora, f005 ann, f006 bea, f007 fay, f008
	// gus, f009 hal.
	want := []string{
		"coach-capacity/cora f004.yaml:9",                               // her own capacity, below her load of 2
		"coach-is-manager/fay/boss f007.yaml:8",                         // (not a lifecycle rule: still there)
		"coach-unwilling/bea/cora f006.yaml:8",                          // cora takes no coachees
		"coach-unwilling/gus/cora f008.yaml:4",                          //
		"forbidden-pair/fay/boss f007.yaml:8",                           // doNotPair
		"mentor-is-manager/ann/boss f005.yaml:11",                       // (not a lifecycle rule)
		"mentor-lacks-expertise/ann/boss f005.yaml:11",                  // (not a lifecycle rule)
		"missing-coach/hal f009.yaml:4",                                 // nothing else lost
		"pairing-dates/ann/coachSince f005.yaml:9",                      // start in the future
		"pairing-dates/ann/mentors[0].since f005.yaml:13",               // no such day
		"pairing-dates/ann/pastPairings[1].until f005.yaml:21",          // end before start
		"repeat-pairing/bea/cora f006.yaml:8",                           // cora again, 23 months on
		"rotation-due/bea/cora f006.yaml:9",                             // 22 months > 12
		"unknown-reference/ann/zed f005.yaml:16",                        // history naming nobody
		"unknown-reference/default/doNotPair[1].people[1] f000.yaml:14", // doNotPair naming nobody
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}

	for fp, words := range map[string][]string{
		"coach-capacity/cora":                              {"own coaching.capacity of 1", "bea, gus"},
		"pairing-dates/ann/coachSince":                     {"2027-01-01", "in the future (today is 2026-11-24)"},
		"pairing-dates/ann/mentors[0].since":               {"2026-02-30", "not a day of the calendar"},
		"pairing-dates/ann/pastPairings[1].until":          {"2025-02-01", "before the pairing's start, 2025-03-01"},
		"repeat-pairing/bea/cora":                          {"until 2024-12-31", "24 months"},
		"rotation-due/bea/cora":                            {"since 2025-01-10", "after 12 months (due 2026-01-10)", "suggest --rotate"},
		"forbidden-pair/fay/boss":                          {"doNotPair"},
		"unknown-reference/default/doNotPair[1].people[1]": {"names no Person"},
	} {
		for _, w := range words {
			if !strings.Contains(msgs[fp], w) {
				t.Errorf("%s: message %q lacks %q", fp, msgs[fp], w)
			}
		}
	}
	// The reason of a doNotPair entry, and the names of an entry naming
	// nobody, are in no finding.
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "married") || strings.Contains(f.Message, "nobody") || strings.Contains(f.Fingerprint, "nobody") {
			t.Errorf("%s says what doNotPair keeps private: %s", f.Fingerprint, f.Message)
		}
	}
	if r, _ := LookupRule(RuleForbiddenPair); !r.Private || r.Issue {
		t.Error("forbidden-pair must be private and open no issue by default")
	}
}

// TestDateRulesJudgeAgainstToday: the same org on two days gives two
// answers, so the rules read Options.Today and not the clock.
func TestDateRulesJudgeAgainstToday(t *testing.T) {
	docs := withPolicy("  roots: [boss]\n  coaching: {rotateAfterMonths: 18}",
		person("ann", "team: eng, level: mid, coach: ext, coachSince: 2026-01-01, pastPairings: [{role: coach, person: boss, until: 2025-12-31}]"))
	fsys := fstest.MapFS{}
	for i, d := range docs {
		fsys[fmt.Sprintf("f%03d.yaml", i)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day  string
		want []string
	}{
		{"2025-06-01", []string{"pairing-dates/ann/coachSince", "pairing-dates/ann/pastPairings[0].until"}},
		{"2026-06-01", nil},
		{"2027-07-01", []string{"rotation-due/ann/ext"}},
	} {
		day, _ := time.Parse(dateLayout, tt.day)
		res := Build(set).Check(set, Options{Today: day})
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Fingerprint)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("on %s: %q, want %q", tt.day, got, tt.want)
		}
	}
}

func TestRotationDueAndRepeatForTheMatcher(t *testing.T) {
	o, _ := orgOf(t, lifecycleOrg...)
	bea, cora, ext := o.Person("bea"), o.Person("cora"), o.Person("ext")
	if due, at := o.RotationDue(bea); !due || at.Format(dateLayout) != "2026-01-10" {
		t.Errorf("RotationDue(bea) = %v, %v", due, at)
	}
	if due, _ := o.RotationDue(o.Person("fay")); due {
		t.Error("fay's coaching started in June: not due")
	}
	if v := o.JudgePair(Pair{Role: RoleCoach, Coach: cora, Person: bea}); !v.Breaks(RuleRepeatPairing) || !v.Breaks(RuleCoachUnwilling) || !v.Allowed() {
		t.Errorf("cora for bea: %+v (repeat and unwilling are warnings)", v)
	}
	if v := o.JudgePair(Pair{Role: RoleMentor, Coach: o.Person("fay"), Person: o.Person("boss"), Domain: "go"}); v.Rule != RuleForbiddenPair {
		t.Errorf("fay mentoring boss: %+v, want forbidden by forbidden-pair", v)
	}
	if v := o.JudgePair(Pair{Role: RoleCoach, Coach: ext, Person: bea}); v.Breaks(RuleRepeatPairing) || v.Breaks(RuleForbiddenPair) {
		t.Errorf("ext for bea: %+v", v)
	}
	allocs := testing.AllocsPerRun(100, func() {
		o.JudgePair(Pair{Role: RoleCoach, Coach: cora, Person: bea})
	})
	if allocs != 0 {
		t.Errorf("JudgePair allocates %v times with the lifecycle rules", allocs)
	}
}
