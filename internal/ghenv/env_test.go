package ghenv

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// env is a getenv over a map.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestBaseRef(t *testing.T) {
	for _, tc := range []struct {
		name string
		flag string
		env  map[string]string
		want string
	}{
		{"--base wins over the workflow", "v1.0", map[string]string{"GITHUB_BASE_REF": "main"}, "v1.0"},
		{"a pull request compares with its base branch as fetched", "", map[string]string{"GITHUB_BASE_REF": "release/2"}, "origin/release/2"},
		{"outside a pull request: the last commit", "", map[string]string{"GITHUB_REF": "refs/heads/main"}, "HEAD"},
		{"an empty base ref is no base ref", "", map[string]string{"GITHUB_BASE_REF": ""}, "HEAD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BaseRef(tc.flag, env(tc.env)); got != tc.want {
				t.Errorf("BaseRef(%q) = %q, want %q", tc.flag, got, tc.want)
			}
		})
	}
}

func TestWriteStepSummaryAppends(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(p, []byte("# an earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := env(map[string]string{"GITHUB_STEP_SUMMARY": p})
	for _, line := range []string{"first\n", "second\n"} {
		if err := WriteStepSummary(getenv, func(w io.Writer) error { _, err := io.WriteString(w, line); return err }); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(p)
	if want := "# an earlier step\nfirst\nsecond\n"; string(got) != want {
		t.Errorf("step summary holds %q, want %q (appended, never replaced)", got, want)
	}
}

func TestStepSummaryOutsideAWorkflowAndOnFailure(t *testing.T) {
	called := false
	if err := WriteStepSummary(env(nil), func(io.Writer) error { called = true; return nil }); err != nil || called {
		t.Errorf("without $GITHUB_STEP_SUMMARY: error %v, written %v; want nothing done", err, called)
	}
	w, done, err := StepSummary(env(nil))
	if w != nil || err != nil || done() != nil {
		t.Errorf("StepSummary without $GITHUB_STEP_SUMMARY = %v, %v; want a nil writer and no error", w, err)
	}

	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "summary.md")
	if _, _, err := StepSummary(env(map[string]string{"GITHUB_STEP_SUMMARY": missing})); err == nil || !strings.HasPrefix(err.Error(), "opening $GITHUB_STEP_SUMMARY: ") {
		t.Errorf("an unopenable summary: error %v, want one saying what was being opened", err)
	}
	p := filepath.Join(t.TempDir(), "summary.md")
	boom := errors.New("boom")
	err = WriteStepSummary(env(map[string]string{"GITHUB_STEP_SUMMARY": p}), func(io.Writer) error { return boom })
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "writing $GITHUB_STEP_SUMMARY: ") {
		t.Errorf("a failed write: error %v, want boom wrapped with what was being written", err)
	}
}
