package main

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The local writes of import csv, init and suggest --write (SPEC §5
// Trust): never outside the target directory, never through a symlink,
// and a failed run leaves every file as it was.

// tree records every entry under the dirs without following anything.
func tree(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			st, lerr := os.Lstat(p)
			switch {
			case err != nil || lerr != nil:
				out[p] = "error"
			case st.Mode()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				out[p] = "-> " + target
			case st.Mode().IsRegular():
				data, _ := os.ReadFile(p)
				out[p] = st.Mode().String() + " " + string(data)
			default:
				out[p] = st.Mode().String()
			}
			return nil
		})
	}
	return out
}

func sameTree(t *testing.T, before map[string]string, dirs ...string) {
	t.Helper()
	after := tree(t, dirs...)
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if before[k] != after[k] {
			t.Errorf("%s changed: %.60q -> %.60q", k, before[k], after[k])
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			t.Errorf("%s was removed", k)
		}
	}
}

func mustWrite(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
}

// protect makes p unwritable: chmod for a user, and for root (whom
// permissions do not stop) the immutable attribute too.
func protect(t *testing.T, p string) {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	mode := os.FileMode(0o444)
	if st.IsDir() {
		mode = 0o555
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(p, st.Mode().Perm()) })
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", p).CombinedOutput(); err != nil {
			t.Skipf("root, and chattr +i fails (%v: %s): cannot make %s unwritable", err, out, p)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", p).Run() })
	}
}

// runFails runs orgctl, which must exit 2 with a message holding every
// one of want.
func runFails(t *testing.T, args []string, want ...string) {
	t.Helper()
	ios, out, errOut := testIO(nil)
	if code := run(args, ios); code != exitUsage {
		t.Fatalf("orgctl %s: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("orgctl %s: stderr lacks %q:\n%s", strings.Join(args, " "), w, errOut)
		}
	}
	if strings.Contains(out.String(), "wrote ") || strings.Contains(out.String(), "created ") {
		t.Errorf("orgctl %s reports writes:\n%s", strings.Join(args, " "), out)
	}
}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	ios, out, errOut := testIO(nil)
	if code := run(args, ios); code != exitOK {
		t.Fatalf("orgctl %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, errOut)
	}
	return out.String()
}

const hrCSV = `Employee ID,Full Name,Department,Job Level,Reports To
ceo,Ada Boss,executive,executive,
eng1,Bo Dev,platform,senior,ceo
eng2,Cy Dev,platform,mid,eng1
ana,Ana Data,data,mid,ceo
`

// importTargets: what the import of hrCSV writes under --out.
var importTargets = []string{"people/data.yaml", "people/executive.yaml", "people/platform.yaml", "teams.yaml"}

func TestImportWritesStayInOut(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "hr.csv")
	mustWrite(t, csv, hrCSV)
	for _, force := range []bool{false, true} {
		args := func(out string) []string {
			a := []string{"import", "csv", csv, "--out", out}
			if force {
				a = append(a, "--force")
			}
			return a
		}
		name := map[bool]string{false: "", true: "/force"}[force]
		t.Run("symlinked subdirectory"+name, func(t *testing.T) {
			org, outside := t.TempDir(), t.TempDir()
			mustSymlink(t, outside, filepath.Join(org, "people"))
			before := tree(t, org, outside)
			runFails(t, args(org), "nothing written: "+filepath.ToSlash(org)+"/people is a symlink (to "+outside+"): orgctl never writes through a symlink")
			sameTree(t, before, org, outside)
		})
		t.Run("symlinked file"+name, func(t *testing.T) {
			org, outside := t.TempDir(), t.TempDir()
			mustWrite(t, filepath.Join(outside, "payroll.yaml"), "precious\n")
			mustSymlink(t, filepath.Join(outside, "payroll.yaml"), filepath.Join(org, "teams.yaml"))
			before := tree(t, org, outside)
			runFails(t, args(org), filepath.ToSlash(org)+"/teams.yaml is a symlink (to "+filepath.Join(outside, "payroll.yaml")+")", "replace it with a real file")
			sameTree(t, before, org, outside)
		})
		t.Run("dangling symlink"+name, func(t *testing.T) {
			org, outside := t.TempDir(), t.TempDir()
			mustSymlink(t, filepath.Join(outside, "new.yaml"), filepath.Join(org, "people", "data.yaml"))
			before := tree(t, org, outside)
			runFails(t, args(org), filepath.ToSlash(org)+"/people/data.yaml is a symlink")
			sameTree(t, before, org, outside)
		})
	}
	t.Run("unwritable file in the middle", func(t *testing.T) {
		org := filepath.Join(t.TempDir(), "org")
		runOK(t, "import", "csv", csv, "--out", org)
		for _, p := range importTargets {
			if _, err := os.Stat(filepath.Join(org, p)); err != nil {
				t.Fatal(err)
			}
		}
		protect(t, filepath.Join(org, "people", "executive.yaml"))
		// Files before and after the protected one change.
		mustWrite(t, csv, strings.NewReplacer("Bo Dev", "Bo Developer", "Ana Data", "Ana Datum").Replace(hrCSV))
		before := tree(t, org)
		runFails(t, []string{"import", "csv", csv, "--out", org, "--force"}, "nothing written: "+filepath.ToSlash(org)+"/people/executive.yaml cannot be replaced: ")
		sameTree(t, before, org)
	})
}

func TestInitWritesStayInDir(t *testing.T) {
	t.Run("symlinked subdirectory", func(t *testing.T) {
		dir, outside := t.TempDir(), t.TempDir()
		mustSymlink(t, outside, filepath.Join(dir, ".github"))
		before := tree(t, dir, outside)
		runFails(t, []string{"init", dir}, "nothing written: "+filepath.ToSlash(dir)+"/.github is a symlink (to "+outside+")")
		sameTree(t, before, dir, outside)
	})
	t.Run("symlinked file", func(t *testing.T) {
		dir, outside := t.TempDir(), t.TempDir()
		mustWrite(t, filepath.Join(outside, "policy.yaml"), "someone else's\n")
		mustSymlink(t, filepath.Join(outside, "policy.yaml"), filepath.Join(dir, "policy.yaml"))
		before := tree(t, dir, outside)
		runFails(t, []string{"init", dir}, filepath.ToSlash(dir)+"/policy.yaml is a symlink (to "+filepath.Join(outside, "policy.yaml")+")")
		sameTree(t, before, dir, outside)
	})
	t.Run("dangling symlink", func(t *testing.T) {
		dir, outside := t.TempDir(), t.TempDir()
		target := filepath.Join(outside, "elsewhere.yaml")
		mustSymlink(t, target, filepath.Join(dir, "teams.yaml"))
		before := tree(t, dir, outside)
		runFails(t, []string{"init", dir}, filepath.ToSlash(dir)+"/teams.yaml is a symlink (to "+target+")")
		if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("init wrote through the dangling symlink: %v", err)
		}
		sameTree(t, before, dir, outside)
	})
	t.Run("unwritable directory in the middle", func(t *testing.T) {
		// policy.yaml and teams.yaml come before people/ and would be
		// written; README.md after it. None is.
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "people"), 0o755); err != nil {
			t.Fatal(err)
		}
		protect(t, filepath.Join(dir, "people"))
		before := tree(t, dir)
		runFails(t, []string{"init", dir}, "writing "+filepath.ToSlash(dir)+"/people/platform.yaml: ", "nothing was written")
		sameTree(t, before, dir)
	})
	t.Run("existing files are skipped, not replaced", func(t *testing.T) {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "teams.yaml"), "# mine\n")
		out := runOK(t, "init", dir)
		if !strings.Contains(out, "skipped teams.yaml: already exists\n") || !strings.Contains(out, "created policy.yaml\n") {
			t.Errorf("output:\n%s", out)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "teams.yaml")); string(got) != "# mine\n" {
			t.Errorf("teams.yaml replaced: %q", got)
		}
	})
}

// suggestOrg: ann (people/a.yaml) and bob (people/b.yaml) lack a coach,
// and cy, in another team, can coach either.
func suggestOrg(t *testing.T, dir string) {
	t.Helper()
	person := func(name, spec string) string {
		return "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: " + name + "}\nspec: {displayName: " + name + ", " + spec + "}\n"
	}
	mustWrite(t, filepath.Join(dir, "policy.yaml"), "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec: {roots: [boss]}\n")
	mustWrite(t, filepath.Join(dir, "teams.yaml"), "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: hq}\nspec: {displayName: HQ, manager: boss}\n---\napiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: ops}\nspec: {displayName: Ops, parent: hq}\n")
	mustWrite(t, filepath.Join(dir, "boss.yaml"), person("boss", "team: hq, level: executive, coach: ext")+"---\n"+person("ext", "external: true")+"---\n"+person("cy", "team: ops, level: staff, coach: ext"))
	mustWrite(t, filepath.Join(dir, "people", "a.yaml"), "# ann's file\n"+person("ann", "team: hq, level: mid"))
	mustWrite(t, filepath.Join(dir, "people", "b.yaml"), "# bob's file\n"+person("bob", "team: hq, level: mid"))
}

// The loader never descends into a symlinked directory, so suggest
// --write meets one only if a directory is swapped for a link after
// loading; safewrite's tests cover that refusal.
func TestSuggestWriteStaysInTheOrg(t *testing.T) {
	t.Run("baseline", func(t *testing.T) {
		dir := t.TempDir()
		suggestOrg(t, dir)
		ios, _, errOut := testIO(nil)
		if code := run([]string{"suggest", "-f", dir, "--write"}, ios); code != exitOK {
			t.Fatalf("exit %d:\n%s", code, errOut)
		}
		for _, f := range []string{"a.yaml", "b.yaml"} {
			if got, _ := os.ReadFile(filepath.Join(dir, "people", f)); !strings.Contains(string(got), "coach: ") {
				t.Errorf("people/%s was not edited:\n%s", f, got)
			}
		}
	})
	t.Run("symlinked file", func(t *testing.T) {
		// The loader reads a symlink that stays inside the org; --write
		// refuses to write through it, and edits no other file either.
		dir := t.TempDir()
		suggestOrg(t, dir)
		real := filepath.Join(dir, "store", "b.yaml.txt")
		if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, "people", "b.yaml"), real); err != nil {
			t.Fatal(err)
		}
		mustSymlink(t, "../store/b.yaml.txt", filepath.Join(dir, "people", "b.yaml"))
		before := tree(t, dir)
		runFails(t, []string{"suggest", "-f", dir, "--write"}, "nothing written: "+filepath.ToSlash(dir)+"/people/b.yaml is a symlink (to ../store/b.yaml.txt)")
		sameTree(t, before, dir)
	})
	t.Run("dangling symlink", func(t *testing.T) {
		dir, outside := t.TempDir(), t.TempDir()
		suggestOrg(t, dir)
		target := filepath.Join(outside, "c.yaml")
		mustSymlink(t, target, filepath.Join(dir, "people", "c.yaml"))
		ios, _, _ := testIO(nil)
		run([]string{"suggest", "-f", dir, "--write"}, ios)
		if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("suggest --write created the dangling link's target: %v", err)
		}
		if got, _ := os.Readlink(filepath.Join(dir, "people", "c.yaml")); got != target {
			t.Errorf("the link changed: %q", got)
		}
	})
	t.Run("unwritable file in the middle", func(t *testing.T) {
		dir := t.TempDir()
		suggestOrg(t, dir)
		mustWrite(t, filepath.Join(dir, "people", "c.yaml"), "# cat's file\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: cat}\nspec: {displayName: cat, team: hq, level: mid}\n")
		protect(t, filepath.Join(dir, "people", "b.yaml"))
		before := tree(t, dir)
		runFails(t, []string{"suggest", "-f", dir, "--write"}, "nothing written: "+filepath.ToSlash(dir)+"/people/b.yaml cannot be replaced: ")
		sameTree(t, before, dir)
	})
}
