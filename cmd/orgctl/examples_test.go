package main

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

// testIO returns streams writing to buffers, as a pipe would.
func testIO(env map[string]string) (*ioStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &ioStreams{
		In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv: func(k string) string { return env[k] },
	}, &out, &errOut
}

type jsonReport struct {
	Findings []struct {
		Rule, Severity, Subject, Fingerprint, Message, File string
		Line, Column                                        int
	} `json:"findings"`
	Summary struct{ People, Teams, Errors, Warnings int } `json:"summary"`
}

func validateJSON(t *testing.T, wantCode int, args ...string) jsonReport {
	t.Helper()
	ios, out, errOut := testIO(map[string]string{"ORGCTL_TODAY": "2026-11-24"})
	code := run(append([]string{"validate", "-o", "json"}, args...), ios)
	if code != wantCode {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, wantCode, errOut)
	}
	var r jsonReport
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return r
}

// TestExampleAcmeIsClean: the README's tour org has no findings at all.
func TestExampleAcmeIsClean(t *testing.T) {
	r := validateJSON(t, 0, "--fail-on", "warning", "../../examples/acme")
	if len(r.Findings) != 0 || r.Summary.People < 40 || r.Summary.Teams < 6 {
		t.Errorf("acme: %d findings, %d people, %d teams", len(r.Findings), r.Summary.People, r.Summary.Teams)
	}
}

// TestExampleConflictsFiresEveryRule compares the findings of
// examples/conflicts with expected.txt, which was derived from SPEC §3 by
// hand, independently of the code.
func TestExampleConflictsFiresEveryRule(t *testing.T) {
	r := validateJSON(t, 1, "../../examples/conflicts")
	var got []string
	rules := map[string]bool{}
	for _, f := range r.Findings {
		got = append(got, f.Fingerprint+" "+f.Severity)
		rules[f.Rule] = true
		if f.File == "" || f.Line < 1 || f.Message == "" {
			t.Errorf("finding without a place or message: %+v", f)
		}
	}
	slices.Sort(got)
	data, err := os.ReadFile("../../examples/conflicts/expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(data)), "\n")
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings differ from expected.txt\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rules) != len(reconcile.Rules()) {
		t.Errorf("%d rules fired, want all %d", len(rules), len(reconcile.Rules()))
	}
}
