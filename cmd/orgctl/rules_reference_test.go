package main

import (
	"os"
	"testing"
)

// reconcile/RULES.md, the rule reference the README links, is exactly what
// `orgctl rules -o markdown` prints; -update rewrites it.
func TestRulesReferenceIsCurrent(t *testing.T) {
	ios, out, errOut := testIO(nil)
	if code := run([]string{"rules", "-o", "markdown"}, ios); code != 0 {
		t.Fatalf("orgctl rules -o markdown: exit %d: %s", code, errOut)
	}
	const path = "../../reconcile/RULES.md"
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./cmd/orgctl -run RulesReference -update", err)
	}
	if out.String() != string(want) {
		t.Fatalf("%s is out of date: run go test ./cmd/orgctl -run RulesReference -update and review the diff", path)
	}
}
