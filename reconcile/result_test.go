package reconcile

import (
	"slices"
	"testing"
)

func TestResultFails(t *testing.T) {
	warning := Finding{Rule: RuleCoachCapacity, Severity: Warning}
	errorF := Finding{Rule: RuleMissingCoach, Severity: Error}
	exemptError := Finding{Rule: RuleMissingCoach, Severity: Error, Exempt: true}
	for _, tc := range []struct {
		name     string
		findings []Finding
		failOn   Severity
		want     bool
	}{
		{"clean", nil, Warning, false},
		{"an error fails --fail-on error", []Finding{warning, errorF}, Error, true},
		{"a warning does not fail --fail-on error", []Finding{warning}, Error, false},
		{"a warning fails --fail-on warning", []Finding{warning}, Warning, true},
		{"an error fails --fail-on warning too", []Finding{errorF}, Warning, true},
		{"an exempt error fails nothing", []Finding{exemptError}, Warning, false},
	} {
		if got := (Result{Findings: tc.findings}).Fails(tc.failOn); got != tc.want {
			t.Errorf("%s: Fails(%v) = %v, want %v", tc.name, tc.failOn, got, tc.want)
		}
	}
}

func TestResultStructuralErrors(t *testing.T) {
	parse := Finding{Rule: RuleParse, Severity: Error, Fingerprint: "parse/a.yaml"}
	cycle := Finding{Rule: RuleManagementCycle, Severity: Error, Fingerprint: "management-cycle/ann"}
	exemptRef := Finding{Rule: RuleUnknownReference, Severity: Error, Exempt: true, Fingerprint: "unknown-reference/bob/zed"}
	refWarning := Finding{Rule: RuleUnknownReference, Severity: Warning, Fingerprint: "unknown-reference/cat/zed"}
	missing := Finding{Rule: RuleMissingCoach, Severity: Error, Fingerprint: "missing-coach/dan"}
	summary := Summary{People: 9, Teams: 2, Errors: 4, Warnings: 3, Files: 5, Exempt: 1}
	for _, tc := range []struct {
		name     string
		findings []Finding
		want     []string
		summary  Summary
	}{
		{"only structural errors count", []Finding{parse, missing, cycle, exemptRef, refWarning}, []string{"parse/a.yaml", "management-cycle/ann"},
			Summary{People: 9, Teams: 2, Errors: 2, Warnings: 0, Files: 5, Exempt: 1}},
		{"none: the summary is left as it was", []Finding{missing, exemptRef, refWarning}, nil, summary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Result{Findings: tc.findings, Summary: summary}.StructuralErrors()
			var fps []string
			for _, f := range got.Findings {
				fps = append(fps, f.Fingerprint)
			}
			if !slices.Equal(fps, tc.want) || got.Summary != tc.summary {
				t.Errorf("StructuralErrors() = %q %+v, want %q %+v", fps, got.Summary, tc.want, tc.summary)
			}
		})
	}
}

func TestPlanChanged(t *testing.T) {
	f := []Finding{{Rule: RuleMissingCoach, Severity: Error}}
	for _, tc := range []struct {
		name string
		plan Plan
		want bool
	}{
		{"nothing", Plan{}, false},
		{"empty lists", Plan{Changes: []Change{}, GitHub: []GitHubAction{}}, false},
		{"a change of the org", Plan{Changes: []Change{{Action: ActionAdd}}}, true},
		{"only GitHub", Plan{GitHub: []GitHubAction{{Action: "close"}}}, true},
		{"a finding introduced", Plan{Findings: PlanFindings{Introduced: f}}, true},
		{"a finding resolved", Plan{Findings: PlanFindings{Resolved: f}}, true},
	} {
		if got := tc.plan.Changed(); got != tc.want {
			t.Errorf("%s: Changed() = %v, want %v", tc.name, got, tc.want)
		}
	}
}
