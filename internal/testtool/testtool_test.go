package testtool

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a test ended instead of
// ending the real one.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, format
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, format
	runtime.Goexit()
}
func (r *recorder) Logf(format string, args ...any) { r.msg = format }

// run calls f with a recorder in its own goroutine (Fatalf and Skipf end
// it as they end a test) and returns the recorder.
func run(t *testing.T, f func(testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); f(r) }()
	<-done
	return r
}

func TestMissingToolFailsInCIAndSkipsElsewhere(t *testing.T) {
	const absent = "orgctl-no-such-tool-3f9c"
	t.Setenv("ORGCTL_NO_SUCH_TOOL", "")
	for _, ci := range []string{"true", ""} {
		t.Setenv("CI", ci)
		r := run(t, func(tb testing.TB) { Need(tb, "the absent tool", "install it", "$ORGCTL_NO_SUCH_TOOL", absent) })
		if r.failed != (ci == "true") || r.skipped != (ci != "true") || !strings.Contains(r.msg, "%s") {
			t.Errorf("Need with CI=%q: failed %v, skipped %v (%q)", ci, r.failed, r.skipped, r.msg)
		}
		var got string
		r = run(t, func(tb testing.TB) { got = Optional(tb, "the absent tool", "install it", absent) + "returned" })
		if r.failed != (ci == "true") || r.skipped || (ci != "true" && got != "returned") {
			t.Errorf("Optional with CI=%q: failed %v, skipped %v, returned %q", ci, r.failed, r.skipped, got)
		}
	}
}

func TestFindPrefersTheEnvironmentThenPATH(t *testing.T) {
	dir := t.TempDir()
	tool := filepath.Join(dir, "orgctl-fake-tool")
	if err := os.WriteFile(tool, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("ORGCTL_FAKE_TOOL", "/from/env")
	if got := Find("$ORGCTL_FAKE_TOOL", "orgctl-fake-tool"); got != "/from/env" {
		t.Errorf("Find = %q, want the environment's value", got)
	}
	t.Setenv("ORGCTL_FAKE_TOOL", "")
	if got := Find("$ORGCTL_FAKE_TOOL", "orgctl-fake-tool"); got != tool {
		t.Errorf("Find = %q, want %q from PATH", got, tool)
	}
	if got := Find("$ORGCTL_FAKE_TOOL", "orgctl-other-tool"); got != "" {
		t.Errorf("Find = %q, want nothing", got)
	}
	t.Setenv("CI", "true")
	if got := Need(t, "fake", "n/a", "orgctl-fake-tool"); got != tool {
		t.Errorf("Need = %q, want %q", got, tool)
	}
}
