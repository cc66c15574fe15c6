package schema

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// GitError is returned when the base of a comparison cannot be read from
// git; it prevents a verdict (exit code 2).
type GitError struct {
	Ref string
	Err error
}

func (e *GitError) Error() string { return e.Err.Error() }
func (e *GitError) Unwrap() error { return e.Err }

// ReadGitTree reads the files under dir (a directory of the working tree)
// as they are at ref, straight from git: no checkout, no temporary clone.
// Paths are relative to dir. A directory that does not exist at ref gives
// no files (the org is new). Symlinks are followed only to files inside
// dir at the same ref; others become Problems.
func ReadGitTree(dir, ref string) ([]File, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, &GitError{Ref: ref, Err: fmt.Errorf("reading the base %q needs git on PATH: install git, or compare with a directory using --base-dir", ref)}
	}
	top, err := Git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &GitError{Ref: ref, Err: fmt.Errorf("%s is not inside a git repository: run orgctl plan from the org repository, or use --base-dir: %w", dir, err)}
	}
	if _, err := Git(dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		hint := "check the name"
		if strings.HasPrefix(ref, "origin/") {
			hint = fmt.Sprintf("fetch it first (git fetch origin %s)", strings.TrimPrefix(ref, "origin/"))
		}
		return nil, &GitError{Ref: ref, Err: fmt.Errorf("git ref %q does not exist: %s, or compare with a directory using --base-dir", ref, hint)}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, &GitError{Ref: ref, Err: err}
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	topResolved := strings.TrimSpace(top)
	if r, err := filepath.EvalSymlinks(topResolved); err == nil {
		topResolved = r
	}
	prefix, err := filepath.Rel(topResolved, abs)
	if err != nil || strings.HasPrefix(prefix, "..") {
		return nil, &GitError{Ref: ref, Err: fmt.Errorf("%s is outside the git repository at %s", dir, top)}
	}
	prefix = filepath.ToSlash(prefix)
	// Does the directory exist at ref?
	pathspec := "."
	if prefix != "." {
		pathspec = prefix
		if _, err := Git(topResolved, "cat-file", "-e", ref+":"+prefix); err != nil {
			return nil, nil
		}
	}
	cmd := exec.Command("git", "-C", topResolved, "archive", "--format=tar", ref, "--", pathspec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &GitError{Ref: ref, Err: fmt.Errorf("reading %s at %s with git archive: %s: %w", prefix, ref, strings.TrimSpace(stderr.String()), err)}
	}
	return untar(out, prefix)
}

// Git runs git -C dir with args and returns its output without the
// surrounding white space; a failure carries git's own message. The one
// way orgctl runs git (the plan's base, history, the report's trend).
func Git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// untar reads a git archive, keeping the files under prefix with paths
// relative to it, sorted.
func untar(data []byte, prefix string) ([]File, error) {
	tr := tar.NewReader(bytes.NewReader(data))
	files := map[string][]byte{}
	links := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading git archive: %w", err)
		}
		rel := h.Name
		if prefix != "." {
			if !strings.HasPrefix(rel, prefix+"/") {
				continue
			}
			rel = strings.TrimPrefix(rel, prefix+"/")
		}
		switch h.Typeflag {
		case tar.TypeReg:
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("reading git archive: %w", err)
			}
			files[rel] = b
		case tar.TypeSymlink:
			links[rel] = h.Linkname
		}
	}
	out := make([]File, 0, len(files)+len(links))
	for p, b := range files {
		out = append(out, File{Path: p, Data: b})
	}
	for p, target := range links {
		t := path.Clean(path.Join(path.Dir(p), target))
		if b, ok := files[t]; ok && !path.IsAbs(target) && !strings.HasPrefix(t, "../") && t != ".." {
			out = append(out, File{Path: p, Data: b})
			continue
		}
		out = append(out, File{Path: p, Problem: "symlink points outside the org (or to nothing) at the base revision; orgctl does not follow it"})
	}
	sort.Slice(out, func(i, j int) bool { return walkLess(out[i].Path, out[j].Path) })
	return out, nil
}

// walkLess orders slash paths as filepath.WalkDir visits them (directory
// by directory, names sorted), so that "first of a duplicate name" means
// the same in a git tree as on disk.
func walkLess(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] != bs[i] {
			return as[i] < bs[i]
		}
	}
	return len(as) < len(bs)
}
