package render

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

const fixtureSHA = "0123456789abcdef0123456789abcdef01234567"

// TestPlanDocumentRoundTrips checks the two-stage workflow's contract: the
// comment rebuilt from plan -o json is the comment plan -o markdown writes.
func TestPlanDocumentRoundTrips(t *testing.T) {
	hostile := hostilePlan("<img src=x> @everyone\n# h")
	hostile.Changes[2].Kind = "Team"
	for _, p := range []reconcile.Plan{planFixture(), hostile, {}} {
		o := PlanOptions{Base: "origin/main", HeadSHA: fixtureSHA}
		var b bytes.Buffer
		if err := WritePlan("json", &b, p, o); err != nil {
			t.Fatal(err)
		}
		doc, err := ReadPlanDocument(&b)
		if err != nil {
			t.Fatalf("ReadPlanDocument of plan -o json: %v", err)
		}
		if doc.HeadSHA != fixtureSHA || doc.Base != "origin/main" {
			t.Errorf("head %q base %q, want %q and origin/main", doc.HeadSHA, doc.Base, fixtureSHA)
		}
		if got, want := PlanMarkdown(doc.Plan, PlanOptions{Base: doc.Base}), PlanMarkdown(p, o); got != want {
			t.Errorf("the comment rebuilt from JSON differs from plan -o markdown:\n got %s\nwant %s", got, want)
		}
	}
}

// TestPlanDocumentNamesFilesFromTheOrgRoot: the JSON publishes Rel, never
// the path orgctl was given.
func TestPlanDocumentNamesFilesFromTheOrgRoot(t *testing.T) {
	p := reconcile.Plan{Findings: reconcile.PlanFindings{Introduced: []reconcile.Finding{{Rule: "missing-coach", Severity: reconcile.Error, File: "/home/me/org/people/a.yaml", Rel: "people/a.yaml", Line: 1}}}}
	var b bytes.Buffer
	if err := WritePlan("json", &b, p, PlanOptions{HeadSHA: fixtureSHA}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "/home/me") || !strings.Contains(b.String(), `"file": "people/a.yaml"`) {
		t.Errorf("the plan JSON does not name the file from the org root:\n%s", b.String())
	}
}

func TestReadPlanDocumentRefusesWhatOrgctlDidNotWrite(t *testing.T) {
	var good bytes.Buffer
	if err := WritePlan("json", &good, planFixture(), PlanOptions{Base: "origin/main", HeadSHA: fixtureSHA}); err != nil {
		t.Fatal(err)
	}
	valid := good.String()
	edit := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("the fixture lacks %q", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	for _, tt := range []struct {
		name, in, why string
	}{
		{"markdown", PlanMarker + "\n## orgctl plan\n", "not a JSON object"},
		{"empty", "", "not a JSON object"},
		{"a list", "[]", "not a JSON object"},
		{"two values", valid + "{}", "after top-level value"},
		{"unknown top-level field", edit(`"base":`, `"comment": "<b>hi</b>", "base":`), `unknown field "comment"`},
		{"unknown nested field", edit(`"rule":`, `"html": "<b>", "rule":`), `unknown field "html"`},
		{"no head SHA", edit(`"headSha": "`+fixtureSHA+`"`, `"headSha2": ""`), `no "headSha" field`},
		{"short head SHA", edit(fixtureSHA, "0123456"), "headSha is not a full commit SHA"},
		{"upper-case head SHA", edit(fixtureSHA, strings.ToUpper(fixtureSHA)), "headSha is not a full commit SHA"},
		{"number as a string", edit(`"line": 39`, `"line": "13"`), "cannot unmarshal"},
		{"negative line", edit(`"line": 39`, `"line": -1`), "line is negative"},
		{"unknown severity", edit(`"severity": "error"`, `"severity": "fatal"`), "severity"},
		{"severity off", edit(`"severity": "error"`, `"severity": "off"`), "severity is not error or warning"},
		{"unknown change action", edit(`"action": "add"`, `"action": "<b>"`), "action is not one of add, change or remove"},
		{"unknown kind", edit(`"kind": "Person"`, `"kind": "Secret"`), "kind is not one of"},
		{"object as a value", edit(`"to": "sue"`, `"to": {"a": 1}`), "is not null, a string or a list of strings"},
		{"number in a list", edit(`"to": "sue"`, `"to": ["a", 1]`), "is not a string"},
		{"huge string", edit(`"message": "`, `"message": "`+strings.Repeat("a", MaxPlanString+1)), "longer than 16 KiB"},
		{"not UTF-8", edit(`"message": "`, "\"message\": \"\xff"), "not UTF-8"},
		{"huge file", valid + strings.Repeat(" ", MaxPlanFile), "larger than 32 MiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPlanDocument(strings.NewReader(tt.in))
			if err == nil || !errors.Is(err, ErrNotAPlan) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("ReadPlanDocument = %v, want an ErrNotAPlan saying %q", err, tt.why)
			}
		})
	}
}
