package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/orgctl/orgctl/schema/safewrite"
)

func TestWriteKeepsWhatExists(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("ours\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := Write(dir, []File{{Path: "README.md", Data: []byte("theirs\n")}, {Path: "org/policy.yaml", Data: []byte("kind: Policy\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 2 || plan[0].Path != "README.md" || plan[0].Action != safewrite.Keep || plan[1].Path != "org/policy.yaml" || plan[1].Action == safewrite.Keep {
		t.Errorf("plan %+v, want README.md kept and org/policy.yaml created, in order", plan)
	}
	for path, want := range map[string]string{"README.md": "ours\n", "org/policy.yaml": "kind: Policy\n"} {
		if got, err := os.ReadFile(filepath.Join(dir, path)); err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", path, got, err, want)
		}
	}
}

func TestWriteRefusesAPathOutsideDir(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, []File{{Path: "ok.yaml", Data: []byte("x\n")}, {Path: "../escape.yaml", Data: []byte("x\n")}})
	var unsafe *safewrite.UnsafeError
	if !errors.As(err, &unsafe) {
		t.Fatalf("error %v, want a *safewrite.UnsafeError", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ok.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused write still created ok.yaml: all or none")
	}
}
