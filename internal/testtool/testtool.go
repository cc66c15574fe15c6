// Package testtool finds the external programs some tests drive (Graphviz,
// mermaid-cli and chromium, the SARIF multitool, shellcheck), with one rule
// for when one is missing: on a developer's machine the test skips (or
// checks less) and says how to install it; in CI (CI=true), where .ci/run
// installs every one of them, the test fails, so that a tool CI promises
// can never go missing while its tests quietly stop running.
package testtool

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// InCI reports whether the tests run in CI, which promises every tool.
func InCI() bool { return os.Getenv("CI") == "true" }

// Find returns the first candidate that is set: "$NAME" is the value of an
// environment variable, anything else a program looked up on PATH. It
// returns "" when none is.
func Find(candidates ...string) string {
	for _, c := range candidates {
		if env, ok := strings.CutPrefix(c, "$"); ok {
			if v := os.Getenv(env); v != "" {
				return v
			}
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// Need returns the tool found by Find(candidates...). When there is none,
// it fails the test in CI and skips it elsewhere, naming the tool and how
// to install it.
func Need(t testing.TB, tool, how string, candidates ...string) string {
	t.Helper()
	if p := Find(candidates...); p != "" {
		return p
	}
	if InCI() {
		t.Fatalf("%s is missing, and CI (CI=true) promises it: %s (see .ci/run)", tool, how)
	}
	t.Skipf("%s not found: %s to run this test", tool, how)
	return ""
}

// Optional is Need for a tool a test can do without: when it is missing,
// it fails the test in CI and elsewhere only logs that the test checks
// less, returning "".
func Optional(t testing.TB, tool, how string, candidates ...string) string {
	t.Helper()
	if p := Find(candidates...); p != "" {
		return p
	}
	if InCI() {
		t.Fatalf("%s is missing, and CI (CI=true) promises it: %s (see .ci/run)", tool, how)
	}
	t.Logf("%s not found (%s): this test checks less", tool, how)
	return ""
}
