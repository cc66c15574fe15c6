package safewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// snapshot records every entry under dir without following anything:
// "path: mode content" for files, "path -> target" for symlinks.
func snapshot(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				out[p] = "error " + err.Error()
				return nil
			}
			st, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case st.Mode()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				out[p] = "-> " + target
			case st.IsDir():
				out[p] = "dir " + st.Mode().Perm().String()
			case !st.Mode().IsRegular():
				out[p] = st.Mode().String()
			default:
				data, _ := os.ReadFile(p)
				out[p] = st.Mode().String() + " " + string(data)
			}
			return nil
		})
	}
	return out
}

func unchanged(t *testing.T, before map[string]string, dirs ...string) {
	t.Helper()
	after := snapshot(t, dirs...)
	if !maps.Equal(before, after) {
		for _, k := range slices.Sorted(maps.Keys(after)) {
			if before[k] != after[k] {
				t.Errorf("%s changed: %q -> %q", k, before[k], after[k])
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				t.Errorf("%s removed", k)
			}
		}
	}
}

func write(t *testing.T, p, data string, perm fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
}

func three(dir string) []File {
	return []File{
		{Dir: dir, Path: "people/a.yaml", Data: []byte("new a\n")},
		{Dir: dir, Path: "people/b.yaml", Data: []byte("new b\n")},
		{Dir: dir, Path: "teams.yaml", Data: []byte("new teams\n")},
	}
}

func TestWriteCreatesAndReplacesAtomically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "org", "new") // Dir itself is made
	plan, err := Write(three(dir), Refuse)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plan {
		if p.Action != Create {
			t.Errorf("%s: action %v, want Create", p.Name(), p.Action)
		}
		if got, err := os.ReadFile(p.Name()); err != nil || string(got) != string(p.Data) {
			t.Errorf("%s holds %q, %v", p.Name(), got, err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "teams.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	files := three(dir)
	for i := range files {
		files[i].Data = []byte("second " + files[i].Path)
	}
	plan, err = Write(files, Replace)
	if err != nil {
		t.Fatal(err)
	}
	if plan[2].Action != Overwrite {
		t.Errorf("teams.yaml: action %v, want Overwrite", plan[2].Action)
	}
	st, err := os.Stat(filepath.Join(dir, "teams.yaml"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("teams.yaml mode %v, %v: want 0600 kept", st.Mode(), err)
	}
	var names []string
	for p := range snapshot(t, dir) {
		names = append(names, strings.TrimPrefix(filepath.ToSlash(p), filepath.ToSlash(dir)))
	}
	slices.Sort(names)
	if want := []string{"", "/people", "/people/a.yaml", "/people/b.yaml", "/teams.yaml"}; !slices.Equal(names, want) {
		t.Errorf("%s holds %v, want %v (no temporary file left)", dir, names, want)
	}
}

// A symlinked directory below the target, pointing outside it: nothing is
// written, neither outside nor beside it, whatever IfExists says.
func TestSymlinkedSubdirectoryIsRefused(t *testing.T) {
	for _, mode := range []IfExists{Refuse, Replace, Skip} {
		t.Run(fmt.Sprint(mode), func(t *testing.T) {
			dir, outside := t.TempDir(), t.TempDir()
			symlink(t, outside, filepath.Join(dir, "people"))
			before := snapshot(t, dir, outside)
			_, err := Write(three(dir), mode)
			var ue *UnsafeError
			if !errors.As(err, &ue) || len(ue.Problems) != 2 {
				t.Fatalf("err %v, want an UnsafeError for both people/ files", err)
			}
			if want := filepath.ToSlash(dir) + "/people is a symlink (to " + outside + "): orgctl never writes through a symlink; replace it with a real directory"; !strings.HasPrefix(ue.Problems[0], want) {
				t.Errorf("problem %q, want %q…", ue.Problems[0], want)
			}
			unchanged(t, before, dir, outside)
		})
	}
}

// A symlink at the target file, to a file outside, with and without
// replacing: the link and its target stay as they were.
func TestSymlinkedFileIsRefused(t *testing.T) {
	for _, mode := range []IfExists{Refuse, Replace, Skip} {
		t.Run(fmt.Sprint(mode), func(t *testing.T) {
			dir, outside := t.TempDir(), t.TempDir()
			write(t, filepath.Join(outside, "hr.yaml"), "precious\n", 0o644)
			symlink(t, filepath.Join(outside, "hr.yaml"), filepath.Join(dir, "teams.yaml"))
			before := snapshot(t, dir, outside)
			_, err := Write(three(dir), mode)
			var ue *UnsafeError
			if !errors.As(err, &ue) || len(ue.Problems) != 1 || !strings.Contains(ue.Problems[0], "/teams.yaml is a symlink") ||
				!strings.Contains(ue.Problems[0], "replace it with a real file") {
				t.Fatalf("err %v, want an UnsafeError naming teams.yaml", err)
			}
			unchanged(t, before, dir, outside)
		})
	}
}

func TestDanglingSymlinkIsRefused(t *testing.T) {
	for _, mode := range []IfExists{Refuse, Replace, Skip} {
		t.Run(fmt.Sprint(mode), func(t *testing.T) {
			dir, outside := t.TempDir(), t.TempDir()
			target := filepath.Join(outside, "nowhere.yaml")
			symlink(t, target, filepath.Join(dir, "teams.yaml"))
			before := snapshot(t, dir, outside)
			_, err := Write(three(dir), mode)
			var ue *UnsafeError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), "teams.yaml is a symlink (to "+target+")") {
				t.Fatalf("err %v, want an UnsafeError naming the dangling teams.yaml", err)
			}
			if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the link's target was created: %v", err)
			}
			unchanged(t, before, dir, outside)
		})
	}
}

// makeUnwritable protects p as a user would (chmod), and as root, whom
// permissions do not stop, with the immutable attribute when chattr can
// set it.
func makeUnwritable(t *testing.T, p string) {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	mode := fs.FileMode(0o444)
	if st.IsDir() {
		mode = 0o555
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(p, st.Mode().Perm()) })
	if os.Geteuid() != 0 {
		return
	}
	if out, err := exec.Command("chattr", "+i", p).CombinedOutput(); err != nil {
		t.Skipf("running as root and chattr +i fails (%v: %s): cannot make %s unwritable", err, out, p)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", p).Run() })
}

// A file the user may not write, in the middle of three to replace: it is
// named, and nothing is written, not even the files before it.
func TestUnwritableFileInTheMiddleChangesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, f := range three(dir) {
		write(t, f.Name(), "old "+f.Path, 0o644)
	}
	makeUnwritable(t, filepath.Join(dir, "people", "b.yaml"))
	before := snapshot(t, dir)
	_, err := Write(three(dir), Replace)
	var ue *UnsafeError
	if !errors.As(err, &ue) || len(ue.Problems) != 1 || !strings.HasPrefix(ue.Problems[0], filepath.ToSlash(dir)+"/people/b.yaml cannot be replaced: ") {
		t.Fatalf("err %v, want an UnsafeError naming people/b.yaml", err)
	}
	unchanged(t, before, dir)
}

// A directory that refuses new files, in the middle: the temporary files
// already written and the directories made are removed again.
func TestUnwritableDirectoryInTheMiddleChangesNothing(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "people", "b.yaml"), "old b", 0o644)
	makeUnwritable(t, filepath.Join(dir, "people"))
	files := []File{
		{Dir: dir, Path: "a/new.yaml", Data: []byte("a")},
		{Dir: dir, Path: "people/b.yaml", Data: []byte("b")},
		{Dir: dir, Path: "z.yaml", Data: []byte("z")},
	}
	before := snapshot(t, dir)
	_, err := Write(files, Replace)
	if err == nil || !strings.Contains(err.Error(), "people/b.yaml") {
		t.Fatalf("err %v, want one naming people/b.yaml", err)
	}
	unchanged(t, before, dir)
}

// Any failure while the temporary files are written undoes them all, and
// the directories made for them, including a target directory that did
// not exist.
func TestFailureBeforeTheRenamesChangesNothing(t *testing.T) {
	parent := t.TempDir()
	existing := filepath.Join(parent, "org")
	write(t, filepath.Join(existing, "teams.yaml"), "old teams", 0o640)
	files := append(three(existing), File{Dir: filepath.Join(parent, "fresh", "deep"), Path: "x/y.yaml", Data: []byte("y")})
	for _, failAt := range []string{"people/a.yaml", "people/b.yaml", "teams.yaml", "x/y.yaml"} {
		t.Run(failAt, func(t *testing.T) {
			hookStage = func(rel string) error {
				if rel == failAt {
					return errors.New("disk full")
				}
				return nil
			}
			defer func() { hookStage = nil }()
			before := snapshot(t, parent)
			_, err := Write(files, Replace)
			if err == nil || !strings.Contains(err.Error(), failAt+": disk full; nothing was written") {
				t.Fatalf("err %v, want the failure at %s", err, failAt)
			}
			unchanged(t, before, parent)
		})
	}
}

// A rename failing midway is the one failure that leaves the disk
// changed: the error says which files were written and which were not,
// and no temporary file is left.
func TestRenameFailingMidwaySaysWhatWasWritten(t *testing.T) {
	dir := t.TempDir()
	for _, f := range three(dir) {
		write(t, f.Name(), "old", 0o644)
	}
	hookRename = func(rel string) error {
		if rel == "people/b.yaml" {
			return syscall.EIO
		}
		return nil
	}
	defer func() { hookRename = nil }()
	_, err := Write(three(dir), Replace)
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("err %v, want a PartialError", err)
	}
	name := func(p string) string { return filepath.ToSlash(filepath.Join(dir, p)) }
	if !slices.Equal(pe.Written, []string{name("people/a.yaml")}) || !slices.Equal(pe.NotWritten, []string{name("people/b.yaml"), name("teams.yaml")}) || pe.Failed != name("people/b.yaml") {
		t.Errorf("written %v, not written %v, failed %s", pe.Written, pe.NotWritten, pe.Failed)
	}
	if !errors.Is(err, syscall.EIO) || !strings.Contains(err.Error(), "written: "+name("people/a.yaml")+"; not written: "+name("people/b.yaml")+", "+name("teams.yaml")) {
		t.Errorf("message %q", err)
	}
	snap := snapshot(t, dir)
	want := map[string]string{
		dir: snap[dir], filepath.Join(dir, "people"): snap[filepath.Join(dir, "people")],
		filepath.Join(dir, "people", "a.yaml"): "-rw-r--r-- new a\n",
		filepath.Join(dir, "people", "b.yaml"): "-rw-r--r-- old",
		filepath.Join(dir, "teams.yaml"):       "-rw-r--r-- old",
	}
	if !maps.Equal(snap, want) {
		t.Errorf("after the failure:\n%v\nwant\n%v", snap, want)
	}
}

func TestExistingFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "people", "b.yaml"), "hand-written", 0o644)
	write(t, filepath.Join(dir, "teams.yaml"), "hand-written", 0o644)
	before := snapshot(t, dir)
	_, err := Write(three(dir), Refuse)
	var ee *ExistError
	if !errors.As(err, &ee) || err.Error() != fmt.Sprintf("2 files already exist (%s/people/b.yaml, %s/teams.yaml)", filepath.ToSlash(dir), filepath.ToSlash(dir)) {
		t.Fatalf("err %v, want an ExistError naming both", err)
	}
	unchanged(t, before, dir)

	plan, err := Write(three(dir), Skip)
	if err != nil {
		t.Fatal(err)
	}
	var actions []Action
	for _, p := range plan {
		actions = append(actions, p.Action)
	}
	if !slices.Equal(actions, []Action{Create, Keep, Keep}) {
		t.Errorf("actions %v, want Create, Keep, Keep", actions)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "teams.yaml")); string(got) != "hand-written" {
		t.Errorf("Skip replaced teams.yaml: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "people", "a.yaml")); string(got) != "new a\n" {
		t.Errorf("Skip did not write people/a.yaml: %q", got)
	}
}

func TestWhatIsNotAFileOrLeavesTheDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "teams.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "people"), "a file where a directory should be", 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := append(three(dir),
		File{Dir: dir, Path: "pipe.yaml"}, File{Dir: dir, Path: "../escape.yaml"}, File{Dir: dir, Path: "/etc/passwd"},
		File{Dir: dir, Path: "x/../../escape.yaml"})
	before := snapshot(t, dir)
	_, err := Write(files, Replace)
	var ue *UnsafeError
	if !errors.As(err, &ue) {
		t.Fatalf("err %v, want an UnsafeError", err)
	}
	d := filepath.ToSlash(dir)
	want := []string{
		d + "/people is not a directory",
		d + "/people is not a directory",
		d + "/teams.yaml is not a regular file (a directory)",
		d + "/pipe.yaml is not a regular file (a named pipe)",
		d + "/../escape.yaml: leaves its directory",
		d + "//etc/passwd: not a relative path",
		d + "/x/../../escape.yaml: leaves its directory",
	}
	if len(ue.Problems) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(ue.Problems, "\n"))
	}
	for i := range want {
		if !strings.Contains(ue.Problems[i], want[i]) {
			t.Errorf("problem %d %q, want %q", i, ue.Problems[i], want[i])
		}
	}
	unchanged(t, before, dir)
	if _, err := os.Lstat(filepath.Join(filepath.Dir(dir), "escape.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("escape.yaml was written outside: %v", err)
	}
}
