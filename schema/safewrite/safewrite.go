// Package safewrite is the one way orgctl writes files on the user's disk
// (import csv, init, suggest --write): every file stays inside the
// directory it is meant for, nothing is written through a symlink, each
// file is replaced atomically, and a run that fails leaves every file as
// it was.
//
// A write happens in three steps. Check looks at every target first: a
// path that leaves its directory, a symlink (the file itself or any
// directory between it and its target directory, dangling or not), a
// directory or device where a file should be, or a file that cannot be
// replaced is refused with its name. Then every file is written to a
// temporary file in its own directory and synced; if any of that fails,
// the temporary files and the directories made for them are removed, and
// nothing has changed. Last, each temporary file is renamed over its
// target. A rename failing at that point (rare: the disk was checked and
// written already) is reported with the files that were and were not
// written.
//
// Directories are opened with os.Root, which refuses any path that
// resolves outside them even when a directory is swapped for a symlink
// while orgctl runs; the symlink checks themselves are made before
// writing, so a symlink planted between the check and the write can only
// point inside the target directory.
package safewrite

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// File is one file to write.
type File struct {
	// Dir is the directory the file must stay in: --out, the directory
	// init scaffolds, or the org root a file was loaded from. Dir itself
	// may be reached through a symlink (the user named it); nothing below
	// it may be one.
	Dir string
	// Path is the file's path below Dir, with forward slashes.
	Path string
	// Data is the whole new content.
	Data []byte
}

// Name is how the file is shown to the user: Dir (cleaned) and Path
// joined, with forward slashes; Path is shown as given, so that a path
// that leaves Dir reads as such.
func (f File) Name() string {
	dir := filepath.ToSlash(filepath.Clean(f.Dir))
	if dir == "." || f.Path == "" {
		return f.Path
	}
	return strings.TrimSuffix(dir, "/") + "/" + f.Path
}

// IfExists says what to do with a target that already exists.
type IfExists int

const (
	// Refuse makes an existing target an error (*ExistError), and nothing
	// is written: import without --force.
	Refuse IfExists = iota
	// Replace replaces an existing target, keeping its mode: import
	// --force, suggest --write.
	Replace
	// Skip leaves an existing target alone and writes the others: init.
	Skip
)

// Action is what a write does to one file.
type Action int

const (
	// Create makes a new file (mode 0644, less the umask).
	Create Action = iota
	// Overwrite replaces an existing regular file, keeping its mode.
	Overwrite
	// Keep leaves an existing file alone (IfExists Skip).
	Keep
)

// Planned is one file with what a write does to it.
type Planned struct {
	File
	Action Action
	perm   fs.FileMode
}

// UnsafeError lists the targets that must not be written: outside their
// directory, through a symlink, over something that is not a regular
// file, or a file that cannot be replaced.
type UnsafeError struct {
	// Problems are "NAME: why" sentences, one per target, in the order of
	// the files.
	Problems []string
}

func (e *UnsafeError) Error() string { return strings.Join(e.Problems, "; ") }

// ExistError lists the targets that already exist when IfExists is Refuse.
type ExistError struct {
	// Names are the existing targets, as File.Name shows them.
	Names []string
}

func (e *ExistError) Error() string {
	if len(e.Names) == 1 {
		return "1 file already exists (" + e.Names[0] + ")"
	}
	return fmt.Sprintf("%d files already exist (%s)", len(e.Names), strings.Join(e.Names, ", "))
}

// PartialError is a failure after some files were renamed into place: the
// only failure that leaves the disk changed.
type PartialError struct {
	// Written are the files already in place, NotWritten the others
	// (Failed first), as File.Name shows them.
	Written, NotWritten []string
	// Failed is the file whose rename failed, Err why.
	Failed string
	Err    error
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("replacing %s: %v; written: %s; not written: %s", e.Failed, e.Err, listOrNone(e.Written), strings.Join(e.NotWritten, ", "))
}

func (e *PartialError) Unwrap() error { return e.Err }

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Check decides what writing files would do, without changing anything:
// every file's action, in the order given, or an *UnsafeError naming every
// target that may not be written, or (IfExists Refuse) an *ExistError
// naming every target that exists. Two files with one target are an
// error.
func Check(files []File, ifExists IfExists) ([]Planned, error) {
	var (
		plan   []Planned
		unsafe []string
		exist  []string
		seen   = map[string]bool{}
		roots  = map[string]*os.Root{}
		badDir = map[string]bool{}
	)
	defer func() {
		for _, r := range roots {
			if r != nil {
				r.Close()
			}
		}
	}()
	for _, f := range files {
		if f.Dir == "" {
			f.Dir = "."
		}
		name := f.Name()
		rel, err := cleanRel(f.Path)
		if err != nil {
			unsafe = append(unsafe, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		key := filepath.Clean(f.Dir) + "\x00" + rel
		if seen[key] {
			unsafe = append(unsafe, fmt.Sprintf("%s: named twice (a bug in orgctl, please report it)", name))
			continue
		}
		seen[key] = true
		if badDir[f.Dir] {
			continue
		}
		root, ok := roots[f.Dir]
		if !ok {
			root, err = openDir(f.Dir)
			if err != nil {
				badDir[f.Dir] = true // said once, for all its files
				unsafe = append(unsafe, err.Error())
				continue
			}
			roots[f.Dir] = root // nil when Dir does not exist yet
		}
		p := Planned{File: f, Action: Create, perm: 0o644}
		if root != nil {
			st, problem := inspect(root, f.Dir, rel)
			switch {
			case problem != "":
				unsafe = append(unsafe, problem)
				continue
			case st != nil && ifExists == Refuse:
				exist = append(exist, name)
				continue
			case st != nil && ifExists == Skip:
				p.Action = Keep
			case st != nil:
				if err := writable(root, rel); err != nil {
					unsafe = append(unsafe, fmt.Sprintf("%s cannot be replaced: %v", name, unwrapPath(err)))
					continue
				}
				p.Action, p.perm = Overwrite, st.Mode().Perm()
			}
		}
		plan = append(plan, p)
	}
	if len(unsafe) > 0 {
		return nil, &UnsafeError{Problems: unsafe}
	}
	if len(exist) > 0 {
		return nil, &ExistError{Names: exist}
	}
	return plan, nil
}

// Write checks files as Check does, then writes them all or none: see the
// package comment. It returns what it did to each file.
func Write(files []File, ifExists IfExists) ([]Planned, error) {
	plan, err := Check(files, ifExists)
	if err != nil {
		return nil, err
	}
	return plan, commit(plan)
}

// cleanRel checks that p is a relative slash path that stays below its
// directory, and returns it cleaned.
func cleanRel(p string) (string, error) {
	if p == "" || path.IsAbs(p) || filepath.IsAbs(filepath.FromSlash(p)) || strings.Contains(p, "\\") {
		return "", fmt.Errorf("not a relative path below its directory")
	}
	c := path.Clean(p)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("leaves its directory")
	}
	return c, nil
}

// openDir opens dir as a Root, or returns nil when it does not exist yet
// (every file in it is then new).
func openDir(dir string) (*os.Root, error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil && !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory: name a directory (it is created when missing)", filepath.ToSlash(dir))
	}
	var root *os.Root
	if err == nil {
		root, err = os.OpenRoot(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.ToSlash(dir), unwrapPath(err))
	}
	return root, nil
}

// inspect walks rel below root one component at a time without following
// anything: it returns the target's FileInfo when it exists as a regular
// file, nil when it (or a directory above it) does not exist yet, and a
// problem sentence for a symlink, or for something that is not a
// directory or not a regular file where one is needed.
func inspect(root *os.Root, dir, rel string) (fs.FileInfo, string) {
	parts := strings.Split(rel, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		shown := filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(sub)))
		st, err := root.Lstat(sub)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ""
		}
		if err != nil {
			return nil, fmt.Sprintf("%s: %v", shown, unwrapPath(err))
		}
		last := i == len(parts)-1
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			what := "a symlink"
			if target, err := root.Readlink(sub); err == nil {
				what = fmt.Sprintf("a symlink (to %s)", target)
			}
			real := "directory"
			if last {
				real = "file"
			}
			return nil, fmt.Sprintf("%s is %s: orgctl never writes through a symlink; replace it with a real %s or write somewhere else", shown, what, real)
		case !last && !st.IsDir():
			return nil, fmt.Sprintf("%s is not a directory: move it away or write somewhere else", shown)
		case last && !st.Mode().IsRegular():
			return nil, fmt.Sprintf("%s is not a regular file (%s): move it away or write somewhere else", shown, kindOf(st.Mode()))
		case last:
			return st, ""
		}
	}
	return nil, ""
}

func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// writable reports whether the existing regular file rel could be
// replaced: orgctl does not replace a file its user may not write (a
// rename would succeed in a writable directory, but the user protected
// the file). Opening for writing without O_TRUNC changes nothing.
func writable(root *os.Root, rel string) error {
	f, err := root.OpenFile(rel, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	return f.Close()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// staged is a file written to its temporary name, waiting to be renamed.
type staged struct {
	p    Planned
	root *os.Root
	rel  string
	tmp  string
}

// Test hooks: each runs at its step when set, and its error stands for
// that step failing.
var (
	hookStage  func(rel string) error // before writing rel's temporary file
	hookRename func(rel string) error // before renaming rel into place
)

// commit writes the checked plan: directories and temporary files first
// (undone on any failure), then the renames.
func commit(plan []Planned) (err error) {
	var (
		madeTop []string // the directories os.MkdirAll made for a missing Dir, deepest first
		roots   = map[string]*os.Root{}
		made    []madeDir // directories made below a root, in order
		stage   []staged
	)
	defer func() {
		for _, r := range roots {
			r.Close()
		}
	}()
	undo := func() {
		for _, s := range stage {
			s.root.Remove(s.tmp)
		}
		for i := len(made) - 1; i >= 0; i-- {
			made[i].root.Remove(made[i].rel)
		}
		for _, d := range madeTop {
			os.Remove(d)
		}
	}
	for _, p := range plan {
		if p.Action == Keep {
			continue
		}
		root, ok := roots[p.Dir]
		if !ok {
			tops, err := makeDir(p.Dir)
			madeTop = append(tops, madeTop...)
			if err == nil {
				root, err = os.OpenRoot(p.Dir)
			}
			if err != nil {
				undo()
				return fmt.Errorf("creating %s: %w; nothing was written", filepath.ToSlash(p.Dir), unwrapPath(err))
			}
			roots[p.Dir] = root
		}
		rel, _ := cleanRel(p.Path)
		dirs, err := makeParents(root, rel)
		for _, d := range dirs {
			made = append(made, madeDir{root, d})
		}
		if err != nil {
			undo()
			return fmt.Errorf("creating the directory of %s: %w; nothing was written", p.Name(), unwrapPath(err))
		}
		tmp, err := writeTemp(root, rel, p.Data, p.perm, p.Action == Overwrite)
		if err != nil {
			undo()
			return fmt.Errorf("writing %s: %w; nothing was written", p.Name(), unwrapPath(err))
		}
		stage = append(stage, staged{p: p, root: root, rel: rel, tmp: tmp})
	}
	var written []string
	syncDirs := map[*os.Root]map[string]bool{}
	for i, s := range stage {
		if err := place(s); err != nil {
			for _, rest := range stage[i+1:] {
				rest.root.Remove(rest.tmp)
			}
			s.root.Remove(s.tmp)
			var not []string
			for _, rest := range stage[i:] {
				not = append(not, rest.p.Name())
			}
			return &PartialError{Written: written, NotWritten: not, Failed: s.p.Name(), Err: unwrapPath(err)}
		}
		written = append(written, s.p.Name())
		if syncDirs[s.root] == nil {
			syncDirs[s.root] = map[string]bool{}
		}
		syncDirs[s.root][path.Dir(s.rel)] = true
	}
	// The renames are durable once their directories are synced; a
	// directory that cannot be synced (some file systems refuse) costs
	// durability after a crash, not correctness, so it is not an error.
	for root, dirs := range syncDirs {
		for _, d := range slices.Sorted(maps.Keys(dirs)) {
			if f, err := root.Open(d); err == nil {
				f.Sync()
				f.Close()
			}
		}
	}
	return nil
}

type madeDir struct {
	root *os.Root
	rel  string
}

// makeDir creates dir and its missing parents, and returns the ones it
// created, deepest first, so that they can be removed again.
func makeDir(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return missing, err
	}
	return missing, nil
}

// makeParents creates the missing directories above rel, one at a time
// (Mkdir never follows a symlink at the name it creates), and returns
// those it created, in order.
func makeParents(root *os.Root, rel string) ([]string, error) {
	var made []string
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		d := strings.Join(parts[:i], "/")
		err := root.Mkdir(d, 0o755)
		if err == nil {
			made = append(made, d)
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return made, err
		}
		if st, err := root.Lstat(d); err != nil || !st.IsDir() {
			return made, fmt.Errorf("%s is no longer a directory", d)
		}
	}
	return made, nil
}

// writeTemp writes data to a new temporary file next to rel, syncs it and
// returns its name.
func writeTemp(root *os.Root, rel string, data []byte, perm fs.FileMode, keepMode bool) (string, error) {
	if hookStage != nil {
		if err := hookStage(rel); err != nil {
			return "", err
		}
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	tmp := path.Join(path.Dir(rel), "."+path.Base(rel)+".orgctl-"+hex.EncodeToString(rnd[:]))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		// The mode of a replaced file is kept exactly; a new one gets
		// 0644 less the umask, as it would from any editor.
		if keepMode {
			err = f.Chmod(perm)
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// place moves a staged file into place. A new file is linked, never
// renamed, so that a file that appeared since the check is not
// overwritten; where hard links are not supported it is renamed after
// checking again that nothing is there.
func place(s staged) error {
	if hookRename != nil {
		if err := hookRename(s.rel); err != nil {
			return err
		}
	}
	if s.p.Action == Overwrite {
		if st, err := s.root.Lstat(s.rel); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("it changed while orgctl ran (no longer a regular file)")
		}
		return s.root.Rename(s.tmp, s.rel)
	}
	err := s.root.Link(s.tmp, s.rel)
	if err == nil {
		s.root.Remove(s.tmp)
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("it appeared while orgctl ran: %w", fs.ErrExist)
	}
	if _, lerr := s.root.Lstat(s.rel); !errors.Is(lerr, fs.ErrNotExist) {
		return fmt.Errorf("it appeared while orgctl ran: %w", fs.ErrExist)
	}
	return s.root.Rename(s.tmp, s.rel)
}
