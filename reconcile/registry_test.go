package reconcile

import (
	"slices"
	"testing"
)

// TestStructuralRules pins which rules say the org itself is malformed:
// outputs rank them first and apply refuses to run on them, so changing
// the list changes both.
func TestStructuralRules(t *testing.T) {
	want := []RuleID{"parse", "schema", "duplicate-name", "duplicate-github", "unknown-reference", "unknown-level", "self-reference", "management-cycle"}
	var got []RuleID
	for _, r := range Rules() {
		if IsStructural(r.ID) {
			got = append(got, r.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("structural rules %v, want %v", got, want)
	}
	if !IsStructural("too-many-documents") {
		t.Error("a rule the catalogue does not know comes from the loader and must count as structural")
	}
	for i, r := range Rules() {
		if RuleOrder(r.ID) != i {
			t.Errorf("RuleOrder(%s) = %d, want %d", r.ID, RuleOrder(r.ID), i)
		}
	}
	if RuleOrder("nope") != -1 {
		t.Error("an unknown rule has no place in the catalogue")
	}
}

func TestTierRanksStructuralFirstWithinASeverity(t *testing.T) {
	fs := []Finding{
		{Rule: "coach-junior", Severity: Warning, File: "a.yaml", Line: 1},
		{Rule: "missing-coach", Severity: Error, File: "a.yaml", Line: 2},
		{Rule: "unknown-level", Severity: Warning, File: "b.yaml", Line: 1}, // downgraded by the Policy
		{Rule: "management-cycle", Severity: Error, File: "z.yaml", Line: 9},
		{Rule: "parse", Severity: Error, File: "a.yaml", Line: 1, Exempt: true},
		{Rule: "missing-coach", Severity: Error, File: "a.yaml", Line: 1},
	}
	var got []string
	for _, f := range ByImportance(fs) {
		got = append(got, string(f.Rule)+"@"+f.File)
	}
	want := []string{"management-cycle@z.yaml", "missing-coach@a.yaml", "missing-coach@a.yaml", "unknown-level@b.yaml", "coach-junior@a.yaml", "parse@a.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("ranked %v\nwant   %v", got, want)
	}
	if fs[0].Rule != "coach-junior" {
		t.Error("ByImportance sorted its argument in place")
	}
}
