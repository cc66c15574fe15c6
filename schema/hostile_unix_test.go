//go:build unix

package schema

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadGuarded runs LoadPaths on its own goroutine and fails the test when
// it does not finish within hangGuard (opening a FIFO blocks forever).
func loadGuarded(t *testing.T, paths ...string) *Set {
	t.Helper()
	type result struct {
		set *Set
		err error
	}
	done := make(chan result, 1)
	go func() {
		set, err := (&Loader{Precheck: PrecheckAudit}).LoadPaths(paths)
		done <- result{set, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.set
	case <-time.After(hangGuard):
		t.Fatalf("loading %v did not finish in %v", paths, hangGuard)
	}
	return nil
}

func TestNonRegularFilesAreNeverOpened(t *testing.T) {
	dir := t.TempDir()
	org := filepath.Join(dir, "org")
	if err := os.Mkdir(org, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(org, "alice.yaml"), []byte(alice), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(org, "pipe.yaml"), filepath.Join(org, "target"), filepath.Join(dir, "outside")} {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	if err := os.Symlink("target", filepath.Join(org, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside", filepath.Join(org, "out.yaml")); err != nil {
		t.Fatal(err)
	}
	set := loadGuarded(t, org)
	got := strings.Join(problems(set), "\n")
	for _, want := range []string{
		"org/link.yaml:1:0 parse this is a named pipe (FIFO), not a regular file",
		"org/pipe.yaml:1:0 parse this is a named pipe (FIFO), not a regular file",
		"org/out.yaml:1:0 parse symlink points outside",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want a problem %q, got\n%s", want, got)
		}
	}
	if len(set.Problems) != 3 || len(set.Documents) != 1 || !set.Documents[0].Valid() {
		t.Errorf("want 3 problems and alice, got %d problems and %d documents", len(set.Problems), len(set.Documents))
	}
	// A FIFO named on the command line is refused the same way.
	set = loadGuarded(t, filepath.Join(org, "pipe.yaml"))
	if p := problems(set); len(p) != 1 || !strings.Contains(p[0], "named pipe") {
		t.Errorf("command-line FIFO: %q", p)
	}
}

func TestSymlinkCheckedAgainWhenRead(t *testing.T) {
	dir := t.TempDir()
	org := filepath.Join(dir, "org")
	if err := os.Mkdir(org, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(org, "real.yaml"), []byte(alice), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: secret}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(org, "link.yaml")
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Fatal(err)
	}
	inputs, err := (&Loader{Precheck: PrecheckAudit}).listPath(org)
	if err != nil {
		t.Fatal(err)
	}
	// Between listing and reading, the link is pointed outside the org.
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret.yaml", link); err != nil {
		t.Fatal(err)
	}
	set := (&Loader{Precheck: PrecheckAudit}).load(inputs)
	for _, d := range set.Documents {
		if d.Name == "secret" {
			t.Fatalf("read the file outside the org through a swapped link")
		}
	}
	if got := strings.Join(problems(set), "\n"); !strings.Contains(got, "link.yaml:1:0 parse symlink points outside") {
		t.Errorf("problems: %s", got)
	}
}

// A directory holding every hostile input at once: each gets its finding,
// the good file beside them is loaded as usual, within the hang guard.
func TestHostileDirectoryLosesNothingElse(t *testing.T) {
	org := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(org, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("alice.yaml", alice)
	write("merge.yaml", mergeBomb(40))
	write("many.yaml", strings.Repeat("--- {}\n", 1000000))
	write("versions.yaml", strings.Replace(strings.Replace(alice, "alice", "carol", 1), "orgctl.dev/v1", "orgtcl.dev/v1", 1))
	if err := syscall.Mkfifo(filepath.Join(org, "fifo.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	set := loadGuarded(t, org)
	byFile := map[string]int{}
	for _, p := range set.Problems {
		byFile[filepath.Base(p.File)]++
	}
	for _, f := range []string{"merge.yaml", "many.yaml", "versions.yaml", "fifo.yaml"} {
		if byFile[f] == 0 {
			t.Errorf("no finding on %s", f)
		}
	}
	if byFile["alice.yaml"] != 0 || byFile["many.yaml"] > maxProblems+2 {
		t.Errorf("findings per file: %v", byFile)
	}
	valid := 0
	for _, d := range set.Documents {
		if d.Valid() && d.Name == "alice" {
			valid++
		}
	}
	if valid != 1 {
		t.Errorf("alice is not loaded")
	}
}
