package history

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// pairKey identifies a pairing across commits.
type pairKey struct{ role, coach, person, domain string }

// blobPairs is what one file (a git blob) says about the person: the
// pairings in it that involve them, and whether it holds their document.
type blobPairs struct {
	pairs  []pairKey
	holds  bool
	parsed bool
}

// ReadGit walks the commits that touched paths (files or directories of
// one git working tree), oldest first along the first parent, and returns
// each pairing involving name as git shows it: the commit that first
// declares it, and the first one that no longer does. holds is true when
// some commit had a Person document of that name. Each file version (blob)
// is read and decoded once, however many commits share it. A repository
// that cannot be read is no error: GitInfo.Note says why, and the files
// alone tell the history.
func ReadGit(paths []string, name string, loader *schema.Loader) (seen []Pairing, info GitInfo, holds bool) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if _, err := exec.LookPath("git"); err != nil {
		info.Note = "git is not on PATH, so only the files were read: install git to see the history in commits"
		return nil, info, false
	}
	dir := paths[0]
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	top, err := schema.Git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		info.Note = fmt.Sprintf("%s is not in a git repository, so only the files were read", dir)
		return nil, info, false
	}
	if _, err := schema.Git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); err != nil {
		info.Note = "the git repository has no commits yet, so only the files were read"
		return nil, info, false
	}
	var specs []string
	for _, p := range paths {
		rel, err := relTo(top, p)
		if err != nil {
			info.Note = err.Error()
			return nil, info, false
		}
		specs = append(specs, rel)
	}
	info.Shallow, _ = isShallow(top)
	log, err := schema.Git(top, append([]string{"log", "--first-parent", "--reverse", "--format=%H %cs", "HEAD", "--"}, specs...)...)
	if err != nil {
		info.Note = fmt.Sprintf("reading the git log failed, so only the files were read: %v", err)
		return nil, info, false
	}
	if log == "" {
		info.Note = "no commit touches the org files yet, so only the files were read"
		return nil, info, false
	}
	cat, err := newCatFile(top)
	if err != nil {
		info.Note = fmt.Sprintf("reading files from git failed, so only the files were read: %v", err)
		return nil, info, false
	}
	defer cat.close()

	info.Read = true
	blobs := map[string]*blobPairs{}
	open := map[pairKey]*Seen{}
	var order []pairKey // open pairs in the order they opened
	for i, line := range strings.Split(log, "\n") {
		commit, date, _ := strings.Cut(line, " ")
		if i == 0 {
			info.Oldest, info.OldestDate = commit, date
		}
		files, err := lsTree(top, commit, specs)
		if err != nil {
			info.Note = fmt.Sprintf("the walk stopped at commit %s: %v", short(commit), err)
			break
		}
		now := map[pairKey]bool{}
		for _, f := range files {
			b := blobs[f.hash]
			if b == nil {
				b = &blobPairs{}
				blobs[f.hash] = b
			}
			if !b.parsed {
				data, err := cat.read(f.hash)
				if err != nil {
					info.Note = fmt.Sprintf("the walk stopped at commit %s: reading %s: %v", short(commit), f.path, err)
					return finish(seen, open, order), info, holds
				}
				*b = decodeBlob(loader, f.path, data, name)
			}
			holds = holds || b.holds
			for _, k := range b.pairs {
				now[k] = true
			}
		}
		info.Commits++
		// Close what ended, then open what began, in a stable order.
		kept := order[:0]
		for _, k := range order {
			if now[k] {
				kept = append(kept, k)
				continue
			}
			s := open[k]
			s.Until, s.UntilCommit = date, commit
			seen = append(seen, pairing(k, s))
			delete(open, k)
		}
		order = kept
		for _, f := range files {
			for _, k := range blobs[f.hash].pairs {
				if open[k] == nil {
					open[k] = &Seen{From: date, FromCommit: commit, SinceOldest: i == 0 && info.Shallow}
					order = append(order, k)
				}
			}
		}
	}
	return finish(seen, open, order), info, holds
}

// finish adds the pairings still open at the last commit read.
func finish(seen []Pairing, open map[pairKey]*Seen, order []pairKey) []Pairing {
	for _, k := range order {
		seen = append(seen, pairing(k, open[k]))
	}
	return seen
}

func pairing(k pairKey, s *Seen) Pairing {
	return Pairing{Role: k.role, Coach: k.coach, Person: k.person, Domain: k.domain, Current: s.Until == "", Git: s}
}

// decodeBlob reads one file version and keeps the pairings in it that
// involve name.
func decodeBlob(loader *schema.Loader, file string, data []byte, name string) blobPairs {
	out := blobPairs{parsed: true}
	set := loader.LoadFiles([]schema.File{{Path: path.Base(file), Data: data}}, path.Dir(file))
	for _, d := range set.Documents {
		p := d.Person
		if p == nil {
			continue
		}
		if p.Name == name {
			out.holds = true
		}
		if p.Coach != "" && (p.Name == name || p.Coach == name) {
			out.pairs = append(out.pairs, pairKey{schema.RoleCoach, p.Coach, p.Name, ""})
		}
		for _, m := range p.Mentors {
			if p.Name == name || m.Person == name {
				out.pairs = append(out.pairs, pairKey{schema.RoleMentor, m.Person, p.Name, m.Domain})
			}
		}
	}
	return out
}

// treeFile is one org file at a commit.
type treeFile struct{ hash, path string }

// lsTree lists the YAML files under specs at commit, as the loader would
// read them from disk (no hidden directories, no symlinks).
func lsTree(top, commit string, specs []string) ([]treeFile, error) {
	out, err := schema.Git(top, append([]string{"ls-tree", "-r", "-z", commit, "--"}, specs...)...)
	if err != nil {
		return nil, err
	}
	var files []treeFile
	for _, e := range strings.Split(out, "\x00") {
		meta, file, ok := strings.Cut(e, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 || f[1] != "blob" || f[0] == "120000" {
			continue
		}
		if ext := path.Ext(file); ext != ".yaml" && ext != ".yml" || hidden(file) {
			continue
		}
		files = append(files, treeFile{hash: f[2], path: file})
	}
	return files, nil
}

func hidden(file string) bool {
	for _, part := range strings.Split(path.Dir(file), "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return true
		}
	}
	return false
}

// relTo is p relative to the repository top, with forward slashes.
func relTo(top, p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if r, err := filepath.EvalSymlinks(top); err == nil {
		top = r
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%s is outside the git repository at %s, so only the files were read", p, top)
	}
	return filepath.ToSlash(rel), nil
}

func isShallow(top string) (bool, error) {
	out, err := schema.Git(top, "rev-parse", "--is-shallow-repository")
	return out == "true", err
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// catFile reads blobs through one long-running git cat-file --batch.
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func newCatFile(top string) (*catFile, error) {
	cmd := exec.Command("git", "-C", top, "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &catFile{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

func (c *catFile) read(hash string) ([]byte, error) {
	if _, err := io.WriteString(c.in, hash+"\n"); err != nil {
		return nil, err
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(header)
	if len(f) != 3 {
		return nil, fmt.Errorf("git cat-file: %s", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %s", strings.TrimSpace(header))
	}
	data := make([]byte, size+1) // the content and its trailing newline
	if _, err := io.ReadFull(c.out, data); err != nil {
		return nil, err
	}
	return data[:size], nil
}

func (c *catFile) close() {
	c.in.Close()
	_ = c.cmd.Wait()
}
