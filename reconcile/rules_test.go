package reconcile

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// person renders a Person document with spec given in YAML flow style.
func person(name, spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: %s}\nspec: {displayName: %s, %s}\n", name, name, spec)
}

func team(name, spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: %s}\nspec: {%s}\n", name, spec)
}

func policy(spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n%s\n", spec)
}

// base is a tiny clean org: boss runs team eng and is coached by an
// external coach.
var base = []string{
	policy("  roots: [boss]"),
	team("eng", "manager: boss"),
	person("boss", "team: eng, level: executive, coach: ext"),
	person("ext", "external: true"),
}

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// check runs every rule over documents, each file holding one document
// in the given order, and returns "fingerprint severity" lines, sorted,
// with exempt findings marked.
func check(t *testing.T, docs ...string) []string {
	t.Helper()
	_, res := orgOf(t, docs...)
	var out []string
	for _, f := range res.Findings {
		s := f.Fingerprint + " " + f.Severity.String()
		if f.Exempt {
			s += " exempt"
		}
		if f.File == "" || f.Line < 1 {
			t.Errorf("finding %s has no position: %+v", f.Fingerprint, f)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func with(extra ...string) []string { return append(slices.Clone(base), extra...) }

// withPolicy replaces base's policy: spec holds the lines under spec:.
func withPolicy(spec string, extra ...string) []string {
	docs := append([]string{policy(spec)}, base[1:]...)
	return append(docs, extra...)
}

func TestRules(t *testing.T) {
	tests := []struct {
		name string
		docs []string
		want []string
	}{
		{"clean base org", base, nil},
		{"a clean member reporting through the team", with(person("ann", "team: eng, level: mid, coach: ext")), nil},

		// missing-coach
		{"missing-coach fires for an active member", with(person("ann", "team: eng, level: mid")),
			[]string{"missing-coach/ann error"}},
		{"missing-coach fires for seniors too", with(person("ann", "team: eng, level: principal")),
			[]string{"missing-coach/ann error"}},
		{"missing-coach does not fire on leave", with(person("ann", "team: eng, level: mid, status: leave")), nil},
		{"missing-coach does not fire for departed", with(person("ann", "team: eng, level: mid, status: departed")), nil},
		{"missing-coach does not fire for externals", with(person("x2", "external: true")), nil},
		{"missing-coach exempted", withPolicy("  roots: [boss]\n  exemptions: [{rule: missing-coach, person: ann, reason: new hire, expires: 2027-01-31}]",
			person("ann", "team: eng, level: mid")),
			[]string{"missing-coach/ann error exempt"}},

		// missing-manager
		{"missing-manager fires without team manager", with(team("solo", ""), person("ann", "team: solo, level: mid, coach: ext")),
			[]string{"missing-manager/ann error"}},
		{"missing-manager: team lead falls back to parent team's manager", with(
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: web, level: senior, coach: ext")), nil},
		{"missing-manager: roots need none", withPolicy("  roots: [boss, ann]", team("solo", ""), person("ann", "team: solo, level: mid, coach: ext")), nil},
		{"missing-manager: not on leave", with(team("solo", ""), person("ann", "team: solo, level: mid, coach: ext, status: leave")), nil},

		// unknown-reference
		{"unknown-reference for a coach, without missing-coach", with(person("ann", "team: eng, level: mid, coach: nobody")),
			[]string{"unknown-reference/ann/nobody error"}},
		{"unknown-reference for a team, without missing-manager", with(person("ann", "team: nope, level: mid, coach: ext")),
			[]string{"unknown-reference/ann/nope error"}},
		{"unknown-reference for a team's manager, members not missing a manager", with(team("web", "manager: ghost"), person("ann", "team: web, level: mid, coach: ext")),
			[]string{"unknown-reference/web/ghost error"}},
		{"unknown-reference for a team parent", with(team("web", "parent: nowhere, manager: boss")),
			[]string{"unknown-reference/web/nowhere error"}},
		{"unknown-reference for a mentor", with(person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: zed, domain: go}]")),
			[]string{"unknown-reference/ann/zed error"}},
		{"a reference to a document that fails the schema is not unknown", with(
			"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: carol}\nspec: {displayName: Carol, team: eng, level: mid, coahc: ext}\n",
			person("ann", "team: eng, level: mid, coach: carol")),
			[]string{"schema/carol error"}},
		{"a person named where a team belongs", with(person("ann", "team: eng, level: mid, coach: eng")),
			[]string{"unknown-reference/ann/eng error"}},
		{"unknown-reference for a Policy root naming nobody", withPolicy("  roots: [boss, bos]"),
			[]string{"unknown-reference/default/bos error"}},
		{"unknown-reference for a team manager named like the team", with(team("zed", "manager: zed")),
			[]string{"unknown-reference/zed/zed error"}},

		// unknown-level
		{"unknown-level", with(person("ann", "team: eng, level: guru, coach: ext")), []string{"unknown-level/ann error"}},
		{"unknown-level uses the policy's ladder", withPolicy("  roots: [boss]\n  levels: [l1, l2, l3, executive]", person("ann", "team: eng, level: l3, coach: ext")), nil},

		// self-reference
		{"self-reference as manager yields only that", with(person("ann", "team: eng, level: mid, coach: ext, manager: ann")),
			[]string{"self-reference/ann error"}},
		{"self-reference as coach, once, no missing-coach", with(person("ann", "team: eng, level: mid, coach: ann, mentors: [{person: ann, domain: go}]")),
			[]string{"self-reference/ann error"}},

		// management-cycle
		{"management-cycle names the first member", with(
			person("cat", "team: eng, level: senior, coach: ext, manager: bob"),
			person("bob", "team: eng, level: senior, coach: ext, manager: cat")),
			[]string{"management-cycle/bob error"}},
		{"management-cycle of teams", with(team("t1", "parent: t2"), team("t2", "parent: t1")),
			[]string{"management-cycle/t1 error"}},
		{"a chain leading into a loop is not a loop member", with(
			person("cat", "team: eng, level: senior, coach: ext, manager: bob"),
			person("bob", "team: eng, level: senior, coach: ext, manager: cat"),
			person("dan", "team: eng, level: mid, coach: ext, manager: cat")),
			[]string{"management-cycle/bob error"}},
		{"a team that is its own parent is a loop of one", with(team("t1", "parent: t1")),
			[]string{"management-cycle/t1 error"}},

		// coach-is-manager
		{"coach-is-manager", with(person("ann", "team: eng, level: mid, coach: boss")),
			[]string{"coach-is-manager/ann/boss error"}},
		{"coach-is-manager allowed from a level", withPolicy("  roots: [boss]\n  rules: {coach-is-manager: {allowFromLevel: staff}}", person("ann", "team: eng, level: staff, coach: boss")), nil},
		{"coach-is-manager below the allowed level", withPolicy("  roots: [boss]\n  rules: {coach-is-manager: {allowFromLevel: staff}}", person("ann", "team: eng, level: senior, coach: boss")),
			[]string{"coach-is-manager/ann/boss error"}},
		{"coach-is-manager can be a warning", withPolicy("  roots: [boss]\n  rules: {coach-is-manager: {severity: warning}}", person("ann", "team: eng, level: mid, coach: boss")),
			[]string{"coach-is-manager/ann/boss warning"}},
		{"coach-is-manager can be off", withPolicy("  roots: [boss]\n  rules: {coach-is-manager: {severity: off}}", person("ann", "team: eng, level: mid, coach: boss")), nil},

		// inactive-assignee
		{"inactive-assignee: departed coach is an error", with(
			person("old", "team: eng, level: senior, status: departed"),
			person("ann", "team: eng, level: mid, coach: old")),
			[]string{"inactive-assignee/ann/old error"}},
		{"inactive-assignee: coach on leave is a warning", with(
			person("away", "team: eng, level: senior, coach: ext, status: leave"),
			person("ann", "team: eng, level: mid, coach: away")),
			[]string{"inactive-assignee/ann/away warning"}},
		{"inactive-assignee: a departed team manager reaches the members", with(
			team("web", "manager: old"),
			person("old", "team: eng, level: senior, status: departed"),
			person("ann", "team: web, level: mid, coach: ext")),
			[]string{"inactive-assignee/ann/old error"}},
		{"inactive-assignee: one finding when manager and coach are the same departed person", with(
			person("old", "team: eng, level: senior, status: departed"),
			person("ann", "team: eng, level: mid, coach: old, manager: old")),
			[]string{"inactive-assignee/ann/old error"}},

		// chain rules
		{"coach-in-management-chain", with(
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: web, level: senior, coach: ext"),
			person("ann", "team: web, level: mid, coach: boss")),
			[]string{"coach-in-management-chain/ann/boss warning"}},
		{"coach-reports-to-coachee", with(
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: web, level: senior, coach: ann"),
			person("ann", "team: web, level: senior, coach: ext")),
			[]string{"coach-reports-to-coachee/lead/ann warning"}},
		{"coach-reports-to-coachee when the coachee is on a loop", with(
			person("cy", "team: eng, level: mid, coach: ext, manager: ann"),
			person("ann", "team: eng, level: mid, coach: cy, manager: bob"),
			person("bob", "team: eng, level: mid, coach: ext, manager: ann")),
			[]string{"coach-reports-to-coachee/ann/cy warning", "management-cycle/ann error"}},
		{"coach-in-management-chain when the chain above ends in a loop", with(
			person("ann", "team: eng, level: mid, coach: dan, manager: bob"),
			person("bob", "team: eng, level: mid, coach: ext, manager: cy"),
			person("cy", "team: eng, level: mid, coach: ext, manager: dan"),
			person("dan", "team: eng, level: mid, coach: ext, manager: cy")),
			[]string{"coach-in-management-chain/ann/dan warning", "management-cycle/cy error"}},

		// mentors
		{"mentor-is-manager", with(
			team("web", "parent: eng, manager: sue"),
			person("sue", "team: eng, level: senior, coach: ext, expertise: [go]"),
			person("ann", "team: web, level: mid, coach: ext, mentors: [{person: sue, domain: go}]")),
			[]string{"mentor-is-manager/ann/sue warning"}},
		{"roles-not-distinct", with(
			person("sue", "team: eng, level: senior, coach: ext, expertise: [Go]"),
			person("ann", "team: eng, level: mid, coach: sue, mentors: [{person: sue, domain: go}]")),
			[]string{"roles-not-distinct/ann/sue warning"}},
		{"mentor-not-senior (peers are not enough)", with(
			person("sue", "team: eng, level: mid, coach: ext, expertise: [go]"),
			person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: sue, domain: go}]")),
			[]string{"mentor-not-senior/ann/sue warning"}},
		{"mentor-lacks-expertise", with(
			person("sue", "team: eng, level: senior, coach: ext, expertise: [go]"),
			person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: sue, domain: rust}]")),
			[]string{"mentor-lacks-expertise/ann/sue warning"}},
		{"external mentor: no level rule, expertise still checked", with(
			person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: ext, domain: rust}]")),
			[]string{"mentor-lacks-expertise/ann/ext warning", "roles-not-distinct/ann/ext warning"}},

		// coach-junior
		{"coach-junior", with(
			person("jun", "team: eng, level: junior, coach: ext"),
			person("ann", "team: eng, level: senior, coach: jun")),
			[]string{"coach-junior/ann/jun warning"}},
		{"coach-junior: peers are fine", with(
			person("peer", "team: eng, level: senior, coach: ext"),
			person("ann", "team: eng, level: senior, coach: peer")), nil},

		// capacity and span
		{"coach-capacity", withPolicy("  roots: [boss]\n  rules: {coach-capacity: {max: 1}}",
			person("sue", "team: eng, level: senior, coach: ext"),
			person("a1", "team: eng, level: mid, coach: sue"),
			person("a2", "team: eng, level: mid, coach: sue"),
			person("a3", "team: eng, level: mid, coach: sue, status: departed")),
			[]string{"coach-capacity/ext warning", "coach-capacity/sue warning"}},
		{"a coach's own capacity overrides the Policy's max", withPolicy("  roots: [boss]\n  rules: {coach-capacity: {max: 2}}",
			person("sue", "team: eng, level: senior, coach: ext, coaching: {capacity: 1}"),
			person("tom", "team: eng, level: senior, coach: ext, coaching: {capacity: 3}"),
			person("a1", "team: eng, level: mid, coach: sue"),
			person("a2", "team: eng, level: mid, coach: sue"),
			person("b1", "team: eng, level: mid, coach: tom"),
			person("b2", "team: eng, level: mid, coach: tom"),
			person("b3", "team: eng, level: mid, coach: tom")),
			[]string{"coach-capacity/ext warning", "coach-capacity/sue warning"}},
		{"span-of-control counts team defaults", withPolicy("  roots: [boss]\n  rules: {span-of-control: {max: 1}, coach-capacity: {max: 10}}",
			person("a1", "team: eng, level: mid, coach: ext"),
			person("a2", "team: eng, level: mid, coach: ext")),
			[]string{"span-of-control/boss warning"}},

		// duplicates
		{"duplicate-name keeps the first", with(person("boss", "team: eng, level: junior")),
			[]string{"duplicate-name/boss error"}},
		{"same name, different kinds is fine", with(team("ann", "manager: boss"), person("ann", "team: ann, level: mid, coach: ext")), nil},
		{"duplicate-github is case-insensitive", with(
			person("a1", "team: eng, level: mid, coach: ext, github: Octo"),
			person("a2", "team: eng, level: mid, coach: ext, github: octo")),
			[]string{"duplicate-github/octo error"}},

		// exemptions
		{"expired exemption does not hide its finding", withPolicy("  roots: [boss]\n  exemptions: [{rule: missing-coach, person: ann, reason: x, expires: 2020-01-31}]",
			person("ann", "team: eng, level: mid")),
			[]string{"expired-exemption/ann/missing-coach warning", "missing-coach/ann error"}},
		{"unused exemption", withPolicy("  roots: [boss]\n  exemptions: [{rule: missing-coach, person: boss, reason: x, expires: 2099-01-31}]"),
			[]string{"unused-exemption/boss/missing-coach warning"}},
		{"exemption valid through its last day", withPolicy("  roots: [boss]\n  exemptions: [{rule: missing-coach, person: ann, expires: 2026-11-24}]",
			person("ann", "team: eng, level: mid")),
			[]string{"missing-coach/ann error exempt"}},

		// the life of a pairing (issue 17); today is 2026-11-24
		{"rotation-due on the day it is due", withPolicy("  roots: [boss]\n  coaching: {rotateAfterMonths: 18}",
			person("ann", "team: eng, level: mid, coach: ext, coachSince: 2025-05-24")),
			[]string{"rotation-due/ann/ext warning"}},
		{"rotation-due not a day early", withPolicy("  roots: [boss]\n  coaching: {rotateAfterMonths: 18}",
			person("ann", "team: eng, level: mid, coach: ext, coachSince: 2025-05-25")), nil},
		{"rotation-due needs a Policy that rotates", with(person("ann", "team: eng, level: mid, coach: ext, coachSince: 2010-01-01")), nil},
		{"rotation-due exempted", withPolicy("  roots: [boss]\n  coaching: {rotateAfterMonths: 18}\n  exemptions: [{rule: rotation-due, person: ann}]",
			person("ann", "team: eng, level: mid, coach: ext, coachSince: 2020-01-01")),
			[]string{"rotation-due/ann/ext warning exempt"}},
		{"repeat-pairing: the same coach again within 24 months", with(
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: coach, person: ext, until: 2024-11-25}]")),
			[]string{"repeat-pairing/ann/ext warning"}},
		// Exactly 24 months ago is no longer "less than 24 months ago": the
		// matcher may propose that coach again on this day
		// (TestSuggestLifecycleConstraints), so the rule must not flag it.
		{"repeat-pairing: not once the window has passed, to the day", with(
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: coach, person: ext, until: 2024-11-24}]")), nil},
		{"repeat-pairing: the Policy's window", withPolicy("  roots: [boss]\n  coaching: {noRepeatMonths: 6}",
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: coach, person: ext, until: 2026-05-01}]")), nil},
		{"repeat-pairing: a past mentor may coach", with(
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: mentor, person: ext, domain: go, until: 2026-01-01}]")), nil},
		{"forbidden-pair for a coach", withPolicy("  roots: [boss]\n  doNotPair: [{people: [ann, ext], reason: family}]",
			person("ann", "team: eng, level: mid, coach: ext")),
			[]string{"forbidden-pair/ann/ext error"}},
		{"forbidden-pair for a mentor, in a group of three", withPolicy("  roots: [boss]\n  doNotPair: [{people: [boss, mia, ann]}]",
			person("mia", "team: eng, level: principal, coach: ext, expertise: [go]"),
			person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: mia, domain: go}]")),
			[]string{"forbidden-pair/ann/mia error"}},
		{"forbidden-pair exempted", withPolicy("  roots: [boss]\n  doNotPair: [{people: [ann, ext]}]\n  exemptions: [{rule: forbidden-pair, person: ann}]",
			person("ann", "team: eng, level: mid, coach: ext")),
			[]string{"forbidden-pair/ann/ext error exempt"}},
		{"pairing-dates: a coachSince in the future", with(person("ann", "team: eng, level: mid, coach: ext, coachSince: 2026-11-25")),
			[]string{"pairing-dates/ann/coachSince error"}},
		{"pairing-dates: a since that is no day", with(person("mia", "team: eng, level: principal, coach: ext, expertise: [go]"),
			person("ann", "team: eng, level: mid, coach: ext, mentors: [{person: mia, domain: go, since: 2026-02-30}]")),
			[]string{"pairing-dates/ann/mentors[0].since error"}},
		{"pairing-dates: a past pairing that ends before it starts", with(
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: coach, person: boss, from: 2024-05-01, until: 2024-04-30}]")),
			[]string{"pairing-dates/ann/pastPairings[0].until error"}},
		{"pairing-dates: a past pairing that ends in the future", with(
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: coach, person: boss, until: 2027-01-01}]")),
			[]string{"pairing-dates/ann/pastPairings[0].until error"}},
		{"pairing-dates: today is not the future", with(
			person("ann", "team: eng, level: mid, coach: ext, coachSince: 2026-11-24, pastPairings: [{role: coach, person: boss, from: 2024-01-01, until: 2026-11-24}]")), nil},
		{"coach-unwilling", with(person("cora", "external: true, coaching: {willing: false}"),
			person("ann", "team: eng, level: mid, coach: cora")),
			[]string{"coach-unwilling/ann/cora warning"}},
		{"coach-unwilling: willing is the default", with(person("cora", "external: true, coaching: {willing: true}"),
			person("ann", "team: eng, level: mid, coach: cora")), nil},
		{"coach-capacity: the coach's own capacity, below the Policy's", with(person("cora", "external: true, coaching: {capacity: 1}"),
			person("ann", "team: eng, level: mid, coach: cora"),
			person("bea", "team: eng, level: mid, coach: cora")),
			[]string{"coach-capacity/cora warning"}},
		{"coach-capacity: the coach's own capacity, above the Policy's", withPolicy("  roots: [boss]\n  rules: {coach-capacity: {max: 1}}",
			person("cora", "external: true, coaching: {capacity: 2}"),
			person("ann", "team: eng, level: mid, coach: cora"),
			person("bea", "team: eng, level: mid, coach: cora")), nil},
		{"unknown-reference: a past pairing naming nobody", with(
			person("ann", "team: eng, level: mid, coach: ext, pastPairings: [{role: coach, person: zed, until: 2025-01-01}]")),
			[]string{"unknown-reference/ann/zed error"}},
		{"unknown-reference: a doNotPair entry naming nobody", withPolicy("  roots: [boss]\n  doNotPair: [{people: [boss, zed]}]"),
			[]string{"unknown-reference/default/doNotPair[0].people[1] error"}},

		// departed people take part in nothing
		{"a departed person's own problems are not reported", with(
			person("old", "team: nowhere, level: guru, coach: nobody, status: departed")), nil},
	}
	fired := map[string]bool{}
	exempted := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := check(t, tt.docs...)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n got: %q\nwant: %q", got, tt.want)
			}
			for _, g := range got {
				fired[strings.SplitN(g, "/", 2)[0]] = true
			}
			// A case of its own can show an exemption (when the rule
			// needs a Policy of its own).
			if len(tt.want) == 1 && strings.HasSuffix(tt.want[0], " exempt") {
				exempted[strings.SplitN(tt.want[0], "/", 2)[0]] = true
			}
			// Exempting the subject from the rule hides the finding, and
			// the exemption counts as used.
			if len(tt.want) != 1 || tt.docs[0] != base[0] {
				return
			}
			parts := strings.Split(strings.Fields(tt.want[0])[0], "/")
			rule, subject := parts[0], parts[1]
			if rule == "schema" || rule == "parse" || strings.HasSuffix(rule, "-exemption") || strings.Contains(tt.want[0], "exempt") {
				return
			}
			docs := append([]string{policy(fmt.Sprintf("  roots: [boss]\n  exemptions: [{rule: %s, person: %s, reason: test}]", rule, subject))}, tt.docs[1:]...)
			got = check(t, docs...)
			if want := tt.want[0] + " exempt"; len(got) != 1 || got[0] != want {
				t.Errorf("with an exemption: got %q, want [%q]", got, want)
			}
			exempted[rule] = true
		})
	}
	for _, r := range Rules() {
		switch r.ID {
		case "parse", "schema", "expired-exemption", "unused-exemption", "missing-coach", "coach-capacity", "span-of-control":
			continue // not exemptable, or covered by a case of their own
		}
		if !exempted[string(r.ID)] {
			t.Errorf("no case shows that an exemption hides %s", r.ID)
		}
	}
	// Adding a rule means adding a case here: every rule but parse (tested
	// in package schema) must fire in at least one case.
	for _, r := range Rules() {
		if r.ID != RuleParse && !fired[string(r.ID)] {
			t.Errorf("no case of TestRules fires %s", r.ID)
		}
	}
}

func TestLongChainsAndLoops(t *testing.T) {
	docs := slices.Clone(base)
	// A 60-person loop, and a 100-person chain leading into it.
	for i := range 60 {
		docs = append(docs, person(fmt.Sprintf("l%03d", i), fmt.Sprintf("team: eng, level: mid, coach: ext, manager: l%03d", (i+1)%60)))
	}
	for i := range 100 {
		mgr := fmt.Sprintf("c%03d", i+1)
		if i == 99 {
			mgr = "l000"
		}
		docs = append(docs, person(fmt.Sprintf("c%03d", i), "team: eng, level: mid, coach: ext, manager: "+mgr))
	}
	docs[0] = policy("  roots: [boss]\n  rules: {coach-capacity: {severity: off}}")
	got := check(t, docs...)
	if strings.Join(got, ",") != "management-cycle/l000 error" {
		t.Errorf("got %q", got)
	}
	o, _ := orgOf(t, docs...)
	if chain := o.Chain("c000"); len(chain) != 159 || chain[0] != "c001" || chain[158] != "l059" {
		t.Errorf("chain of c000 has %d links: %v...", len(chain), chain[:3])
	}
}

// TestGhostRootPointsAtTheEntry: a root naming nobody is reported at the
// list entry, with a hint, so that the fix is one click away.
func TestGhostRootPointsAtTheEntry(t *testing.T) {
	docs := withPolicy("  roots:\n    - boss\n    - bos")
	var got []Finding
	for _, f := range checkDocs(t, docs) {
		if f.Rule == "unknown-reference" {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("got %d unknown-reference findings, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.File != "f000.yaml" || f.Line != 7 || f.Column != 7 {
		t.Errorf("at %s:%d:%d, want f000.yaml:7:7 (the second entry of spec.roots)", f.File, f.Line, f.Column)
	}
	for _, want := range []string{"Policy.spec.roots[1]", `"bos"`, `did you mean "boss"`} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q does not say %s", f.Message, want)
		}
	}
	if f.Fingerprint != "unknown-reference/default/bos" || f.Subject != "default" || f.Other != "bos" {
		t.Errorf("fingerprint %q subject %q other %q", f.Fingerprint, f.Subject, f.Other)
	}
}

func TestPolicyLevelsMustBeOnTheLadder(t *testing.T) {
	got := check(t, withPolicy("  roots: [boss]\n  coaching: {coachFromAbove: senoir}\n  rules:\n    coach-is-manager: {allowFromLevel: stafff}")...)
	want := []string{
		"unknown-level/default/coaching.coachFromAbove error",
		"unknown-level/default/rules.coach-is-manager.allowFromLevel error",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	if got := check(t, withPolicy("  roots: [boss]\n  coaching: {coachFromAbove: mid}\n  rules:\n    coach-is-manager: {allowFromLevel: staff}")...); len(got) != 0 {
		t.Errorf("levels on the ladder: %q", got)
	}
}
