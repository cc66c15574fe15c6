package schema

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"
	"unique"

	"go.yaml.in/yaml/v3"

	"github.com/orgctl/orgctl/schema/yamledit"
)

// DefaultMaxFileSize is the default for --max-file-size.
const DefaultMaxFileSize = 8 << 20

// Loader reads orgctl documents. The zero value is ready to use.
type Loader struct {
	// MaxFileSize refuses larger files with a parse problem; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// Workers is the number of files decoded at once; 0 means one per CPU.
	Workers int
	// Progress, when set, is called after each file with the number of
	// files done and the total.
	Progress func(done, total int)
	// Sizes, when set, is called once before anything is decoded with the
	// number of files and their total size in bytes (as listed; files
	// that cannot be stat'ed count as 0), for callers that plan memory.
	Sizes func(files int, bytes int64)
	// Cache, when set, decodes each distinct file content once across
	// loads (see Cache).
	Cache *Cache
	// Exclude holds patterns (gitignore syntax, relative to each
	// directory loaded) of paths to leave out, on top of the directory's
	// .orgctlignore (--exclude).
	Exclude []string
	// Precheck says how the schema precheck is used (see PrecheckMode);
	// the zero value, PrecheckOn, is what users run.
	Precheck PrecheckMode
}

// ignoreFor builds the ignore rules of an org root from its
// .orgctlignore (read by readFile, which returns fs.ErrNotExist when there
// is none) and the Loader's excludes. A problem reading the file is
// returned as a message to report.
func (l *Loader) ignoreFor(readFile func() (io.ReadCloser, error)) (*Ignore, string) {
	ig := &Ignore{}
	problem := ""
	if rc, err := readFile(); err == nil {
		read, rerr := readIgnore(rc)
		rc.Close()
		if rerr != nil {
			problem = fmt.Sprintf("cannot read %s: %v; nothing it lists was left out", IgnoreFile, rerr)
		} else {
			ig = read
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		var refused refusal
		if errors.As(err, &refused) {
			problem = string(refused)
		} else {
			problem = fmt.Sprintf("cannot read %s: %v; nothing it lists was left out", IgnoreFile, unwrapPathErr(err))
		}
	}
	for _, e := range l.Exclude {
		ig.Add(e)
	}
	return ig, problem
}

// PathError is returned when a path given on the command line cannot be
// read at all; it prevents a verdict (exit code 2).
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("path %q does not exist: check the spelling, or run orgctl from the org repository's root", e.Path)
	}
	return fmt.Sprintf("reading %q: %v", e.Path, e.Err)
}

func (e *PathError) Unwrap() error { return e.Err }

// input is one file to decode, or a problem found while listing files.
type input struct {
	file, rel string
	open      func() (io.ReadCloser, int64, error)
	problem   string // set: report this instead of reading
	size      int64  // as listed, for Loader.Sizes; 0 when unknown
}

// sizeOf is the size of a listed file, or 0 when it cannot be known
// without reading it.
func sizeOf(d fs.DirEntry) int64 {
	if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
		return info.Size()
	}
	return 0
}

// LoadPaths reads files and directories (recursively, *.yaml and *.yml,
// hidden directories skipped, symlinks that leave the directory refused).
// A path that does not exist is a *PathError; bad files are Problems in the
// returned Set.
func (l *Loader) LoadPaths(paths []string) (*Set, error) {
	ls, err := l.List(paths)
	if err != nil {
		return nil, err
	}
	return l.LoadListed(ls), nil
}

// Listing is the files LoadPaths would read, listed but not read yet
// (List): plan lists its head while it reads the base.
type Listing struct {
	inputs []input
}

// List lists the files of paths as LoadPaths does, with the same errors,
// for LoadListed to read.
func (l *Loader) List(paths []string) (*Listing, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var inputs []input
	seen := map[string]bool{}
	// filepath.Abs of each file, with the working directory looked up
	// once: Abs looks it up every time, two stats a file.
	wd, wdErr := os.Getwd()
	for _, p := range paths {
		in, err := l.listPath(p)
		if err != nil {
			return nil, err
		}
		for _, i := range in {
			key := i.file
			if f := filepath.FromSlash(i.file); filepath.IsAbs(f) {
				key = filepath.Clean(f)
			} else if wdErr == nil {
				key = filepath.Join(wd, f)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			inputs = append(inputs, i)
		}
	}
	return &Listing{inputs: inputs}, nil
}

// LoadListed reads and decodes the files of a listing, as LoadPaths does
// (it is LoadPaths once the files are listed).
func (l *Loader) LoadListed(ls *Listing) *Set {
	return l.load(ls.inputs)
}

// LoadFS reads every *.yaml and *.yml file under root in fsys (use "." for
// all of it), skipping hidden directories. Paths in the Set are relative to
// root, prefixed by display (which may be empty).
func (l *Loader) LoadFS(fsys fs.FS, root, display string) (*Set, error) {
	var inputs []input
	ignore, problem := l.ignoreFor(func() (io.ReadCloser, error) { return fsys.Open(path.Join(root, IgnoreFile)) })
	if problem != "" {
		inputs = append(inputs, input{file: path.Join(display, IgnoreFile), rel: IgnoreFile, problem: problem})
	}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if p != root && ignore.Ignored(relSlash(root, p), d != nil && d.IsDir()) {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err != nil {
			if p == root {
				return &PathError{Path: path.Join(display, root), Err: err}
			}
			rel := relSlash(root, p)
			inputs = append(inputs, input{file: path.Join(display, rel), rel: rel, problem: fmt.Sprintf("cannot read: %v", errors.Unwrap(err))})
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !isYAML(d.Name()) {
			return nil
		}
		rel := relSlash(root, p)
		if !d.Type().IsRegular() {
			inputs = append(inputs, input{file: path.Join(display, rel), rel: rel, problem: notRegular(d.Type())})
			return nil
		}
		inputs = append(inputs, input{file: path.Join(display, rel), rel: rel, open: func() (io.ReadCloser, int64, error) {
			f, err := fsys.Open(p)
			if err != nil {
				return nil, 0, err
			}
			st, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, 0, err
			}
			return f, st.Size(), nil
		}, size: sizeOf(d)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l.load(inputs), nil
}

func relSlash(root, p string) string {
	if root == "." || root == "" {
		return p
	}
	return strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
}

func isYAML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

func display(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// openFile opens p for reading only when it is a regular file. It stats
// first, so that a FIFO, a device or a socket is never opened (opening a
// FIFO blocks until someone writes to it), then opens without blocking and
// checks again on the open file that it is the same regular file, in case
// the path was swapped in between.
func openFile(p string) func() (io.ReadCloser, int64, error) {
	return func() (io.ReadCloser, int64, error) {
		st, err := os.Stat(p)
		if err != nil {
			return nil, 0, err
		}
		if !st.Mode().IsRegular() {
			return nil, 0, refusal(notRegular(st.Mode()))
		}
		f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return nil, 0, err
		}
		fst, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		if !fst.Mode().IsRegular() || !os.SameFile(st, fst) {
			f.Close()
			return nil, 0, refusal(notRegular(fst.Mode()))
		}
		return f, fst.Size(), nil
	}
}

// refusal is a file orgctl will not read, with the reason as users see it.
type refusal string

func (r refusal) Error() string { return string(r) }

// notRegular says what a non-regular file is and what to do about it.
func notRegular(mode fs.FileMode) string {
	what := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeCharDevice != 0:
		what = "a character device"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeIrregular != 0:
		what = "an irregular file"
	}
	return "this is " + what + ", not a regular file; orgctl never opens it: remove it, or list it in .orgctlignore"
}

// listPath lists the YAML files of one command-line path: a directory is
// walked, leaving out hidden directories and what its .orgctlignore and
// the Loader's excludes name.
func (l *Loader) listPath(arg string) ([]input, error) {
	st, err := os.Stat(arg)
	if err != nil {
		return nil, &PathError{Path: arg, Err: err}
	}
	if !st.IsDir() {
		return []input{{file: display(arg), rel: filepath.Base(arg), open: openFile(arg), size: st.Size()}}, nil
	}
	realRoot, err := filepath.EvalSymlinks(arg)
	if err != nil {
		return nil, &PathError{Path: arg, Err: err}
	}
	if realRoot, err = filepath.Abs(realRoot); err != nil {
		return nil, &PathError{Path: arg, Err: err}
	}
	var out []input
	ignore, problem := l.ignoreFor(func() (io.ReadCloser, error) {
		rc, _, err := openFile(filepath.Join(arg, IgnoreFile))()
		return rc, err
	})
	if problem != "" {
		out = append(out, input{file: display(filepath.Join(arg, IgnoreFile)), rel: IgnoreFile, problem: problem})
	}
	err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		rel := filepath.ToSlash(mustRel(arg, p))
		if p != arg && ignore.Ignored(rel, d != nil && d.IsDir()) {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err != nil {
			if p == arg {
				return &PathError{Path: arg, Err: err}
			}
			out = append(out, input{file: display(p), rel: rel, problem: fmt.Sprintf("cannot read: %v", unwrapPathErr(err))})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != arg && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if !isYAML(d.Name()) {
				return nil // symlinked directories and other files are not followed
			}
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				out = append(out, input{file: display(p), rel: rel, problem: "symlink cannot be resolved (its target is missing or unreadable): fix or remove the link"})
				return nil
			}
			if abs, err := filepath.Abs(target); err != nil || !within(realRoot, abs) {
				// Never read or print the target: it is outside what the user asked to check.
				out = append(out, input{file: display(p), rel: rel, problem: "symlink points outside " + display(arg) + "; orgctl does not follow it: copy the file into the org repository instead"})
				return nil
			}
			out = append(out, input{file: display(p), rel: rel, open: openWithin(p, realRoot, display(arg))})
			return nil
		}
		if !isYAML(d.Name()) {
			return nil
		}
		if !d.Type().IsRegular() {
			out = append(out, input{file: display(p), rel: rel, problem: notRegular(d.Type())})
			return nil
		}
		out = append(out, input{file: display(p), rel: rel, open: openFile(p), size: sizeOf(d)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// openWithin opens a symlink's target after checking again, at the moment
// of reading, that it still resolves inside root: the link may have changed
// since the directory was listed.
func openWithin(link, root, shown string) func() (io.ReadCloser, int64, error) {
	return func() (io.ReadCloser, int64, error) {
		target, err := filepath.EvalSymlinks(link)
		if err != nil {
			return nil, 0, err
		}
		abs, err := filepath.Abs(target)
		if err != nil || !within(root, abs) {
			return nil, 0, refusal("symlink points outside " + shown + "; orgctl does not follow it: copy the file into the org repository instead")
		}
		return openFile(abs)()
	}
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return r
}

func within(root, p string) bool {
	if p == root {
		return true
	}
	return strings.HasPrefix(p, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))
}

// fileResult is what decoding one file yields.
type fileResult struct {
	docs     []*Document
	problems []Problem
	skipped  []Skipped
}

// load decodes the inputs on a pool of workers and assembles the results in
// input order, so output never depends on scheduling.
func (l *Loader) load(inputs []input) *Set {
	workers := l.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	maxSize := l.MaxFileSize
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	var total int64
	for _, in := range inputs {
		total += in.size
	}
	if l.Sizes != nil {
		l.Sizes(len(inputs), total)
	}
	loadStrings.begin(total)
	defer loadStrings.end()
	if l.Cache != nil {
		l.Cache.keepStrings()
	}
	results := make([]fileResult, len(inputs))
	var own *sharing
	if l.Cache != nil {
		own = newSharing(inputs)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	next := make(chan int)
	for range min(workers, max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The worker's own interner: its maps go with it when the
			// load ends, instead of staying in a pool.
			strs := newInterner()
			for i := range next {
				results[i] = loadInput(inputs[i], maxSize, l.Cache, own, l.Precheck, strs)
				if l.Progress != nil {
					mu.Lock()
					done++
					l.Progress(done, len(inputs))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()

	// Sized once: at 100,000 people, growing the slice by appending
	// allocated twice what it ends up holding.
	docs := 0
	for _, r := range results {
		docs += len(r.docs)
	}
	set := &Set{Files: len(inputs), Documents: make([]*Document, 0, docs)}
	if own != nil {
		set.Paths = own.paths
	}
	for _, r := range results {
		set.Documents = append(set.Documents, r.docs...)
		set.Problems = append(set.Problems, r.problems...)
		set.Skipped = append(set.Skipped, r.skipped...)
	}
	return set
}

func loadInput(in input, maxSize int64, cache *Cache, own *sharing, mode PrecheckMode, strs *interner) fileResult {
	parse := func(pos Pos, msg string) fileResult {
		return fileResult{problems: []Problem{{Rule: RuleParse, File: in.file, Rel: in.rel, Pos: pos, Message: msg}}}
	}
	if in.problem != "" {
		return parse(Pos{Line: 1}, in.problem)
	}
	rc, size, err := in.open()
	var refused refusal
	if errors.As(err, &refused) {
		return parse(Pos{Line: 1}, string(refused))
	}
	if err != nil {
		return parse(Pos{Line: 1}, fmt.Sprintf("cannot read the file: %v", unwrapPathErr(err)))
	}
	defer rc.Close()
	// A file over the limit is not decoded, but the names it holds are
	// recovered by a tolerant scan of a bounded prefix, so that references
	// to them do not cascade into unknown-reference.
	tooBig := func(msg string, read io.Reader) fileResult {
		d := &fileDecoder{file: in.file, rel: in.rel}
		d.prob(RuleParse, Pos{Line: 1}, "", msg)
		d.recover(io.LimitReader(read, maxScan(maxSize)), 1, 1)
		return d.res
	}
	if size > maxSize {
		return tooBig(fmt.Sprintf("file is %s, over the %s limit: split it, or raise --max-file-size", humanBytes(size), humanBytes(maxSize)), rc)
	}
	buf := readBuffers.Get().(*bytes.Buffer)
	defer func() {
		// Nothing decoded may point into the buffer: zeroing it makes
		// a string that does show at once, as NULs, not as a rare
		// mix-up of two files.
		clear(buf.Bytes())
		buf.Reset()
		readBuffers.Put(buf)
	}()
	buf.Grow(int(size) + bytes.MinRead)
	_, err = buf.ReadFrom(io.LimitReader(rc, maxSize+1))
	data := buf.Bytes()
	if err != nil {
		return parse(Pos{Line: 1}, fmt.Sprintf("cannot read the file: %v", unwrapPathErr(err)))
	}
	if int64(len(data)) > maxSize {
		return tooBig(fmt.Sprintf("file is over the %s limit: split it, or raise --max-file-size", humanBytes(maxSize)), io.MultiReader(bytes.NewReader(data), rc))
	}
	if cache != nil {
		return cache.decode(data, in.file, in.rel, mode, strs, own, in.open)
	}
	return decodeFileWith(strs, data, in.file, in.rel, mode)
}

// readBuffers hold files while they are decoded: reused, since what is
// decoded never points into the file's bytes (it clones or interns every
// string it keeps), and reading 2,000 files into fresh buffers was a tenth
// of loading's time.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxScan is how much of a file over the size limit is scanned for names:
// a few times the limit, so that the work stays bounded however large the
// file is.
func maxScan(maxSize int64) int64 { return max(4*maxSize, 32<<20) }

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Per-file caps, so that the work on any file under the size limit stays
// linear in its bytes and its report readable: documents past
// maxDocuments are not decoded (their names are still recovered), and
// problems past maxProblems are counted in one last problem.
const (
	maxDocuments = 20000
	maxProblems  = 100
	// maxRecovered bounds the names recovered from one file that could
	// not be decoded in full (a document of 35 bytes is the smallest that
	// names something: an 8 MiB file holds at most about 240,000).
	maxRecovered = 250000
	// maxEntries bounds one document's lines and flow entries, a cheap
	// measure of how many YAML nodes it holds (within a small factor):
	// yaml.v3 builds every node before orgctl sees any, and an org
	// document has a few dozen.
	maxEntries = 100000
)

// entries is the measure maxEntries bounds: lines, commas and opening
// brackets.
func entries(text []byte) int {
	return bytes.Count(text, []byte("\n")) + bytes.Count(text, []byte(",")) + bytes.Count(text, []byte("[")) + bytes.Count(text, []byte("{")) + 1
}

// fileDecoder decodes the documents of one file within the per-file caps.
type fileDecoder struct {
	file, rel string
	precheck  PrecheckMode
	res       fileResult
	docs      int       // documents decoded (empty ones are not counted)
	hidden    int       // problems past maxProblems
	hiddenAt  Pos       // where the first of them is
	overAt    int       // line of the first document past maxDocuments; 0: none
	in        *interner // the load worker's, else from the pool once needed
	pooled    bool      // in is from the pool: finish returns it
}

// interner returns the decoder's interner.
func (d *fileDecoder) interner() *interner {
	if d.in == nil {
		d.in, d.pooled = interners.Get().(*interner), true
	}
	return d.in
}

// release returns a pooled interner to the pool.
func (d *fileDecoder) release() {
	if d.pooled {
		interners.Put(d.in)
		d.in, d.pooled = nil, false
	}
}

// prob records a problem, or counts it once maxProblems are recorded.
func (d *fileDecoder) prob(rule string, pos Pos, name, msg string) {
	if len(d.res.problems) >= maxProblems {
		if d.hidden == 0 {
			d.hiddenAt = pos
		}
		d.hidden++
		return
	}
	d.res.problems = append(d.res.problems, Problem{Rule: rule, File: d.file, Rel: d.rel, Pos: pos, Name: name, Message: msg})
}

// hide counts n problems that are not worded (past the cap).
func (d *fileDecoder) hide(pos Pos, n int) {
	if d.hidden == 0 {
		d.hiddenAt = pos
	}
	d.hidden += n
}

// quiet reports whether further problems would only be counted: then the
// costly wording of schema errors is skipped.
func (d *fileDecoder) quiet() bool { return len(d.res.problems) >= maxProblems }

// add decodes one parsed document whose lines are offset lines into the
// file, and reports false when the document cap is reached (the document
// is then not decoded).
func (d *fileDecoder) add(doc *yaml.Node, offset int) bool {
	if emptyDocument(doc) {
		return true
	}
	if d.docs == maxDocuments {
		d.overAt = doc.Content[0].Line + offset
		return false
	}
	decodeDocument(d, doc, offset, d.docs)
	d.docs++
	return true
}

// finish adds the problems that summarise the caps and recovers the names
// held by the documents past the document cap.
func (d *fileDecoder) finish(data []byte) fileResult {
	d.release()
	if len(d.res.docs) == 0 {
		d.res.docs = nil // sized in advance (decodeWhole) but empty: as decoding document by document leaves it
	}
	if d.overAt > 0 {
		d.res.problems = append(d.res.problems, Problem{Rule: RuleParse, File: d.file, Rel: d.rel, Pos: posAt(d.overAt, 0),
			Message: fmt.Sprintf("the file holds more than %d documents; orgctl read only the first %d: split it into several files", maxDocuments, maxDocuments)})
		d.recover(bytes.NewReader(data), 1, d.overAt)
	}
	if d.hidden > 0 {
		// Shown after the problems it follows: at the last of them.
		at := d.hiddenAt
		for _, p := range d.res.problems {
			if p.Pos.Line > at.Line {
				at = p.Pos
			}
		}
		d.res.problems = append(d.res.problems, Problem{Rule: RuleParse, File: d.file, Rel: d.rel, Pos: Pos{Line: max(1, at.Line), Column: at.Column},
			Message: fmt.Sprintf("%d more problems in this file are not shown (%d are): fix those and validate again", d.hidden, maxProblems)})
	}
	return d.res
}

// recover adds, as documents that failed, the orgctl names a tolerant scan
// finds in text (which starts at line first of the file) from line from
// on: references to them then do not cascade into unknown-reference.
func (d *fileDecoder) recover(text io.Reader, first, from int) {
	for _, n := range scanNames(text, first, from, maxRecovered) {
		d.res.docs = append(d.res.docs, &Document{Kind: n.kind, Name: n.name, NamePos: n.pos,
			Source: Source{File: d.file, Rel: d.rel, Doc: d.docs, Start: n.start}})
	}
}

// DecodeFile decodes the documents of one file's content. file is the path
// shown to users, rel the path relative to the org root. It never panics
// and never returns an error: bad input becomes Problems. Its work is
// linear in len(data): documents and problems per file are capped.
func DecodeFile(data []byte, file, rel string) fileResult {
	return decodeFile(data, file, rel, PrecheckOn)
}

// decodeFile is DecodeFile with the schema precheck used as mode says.
func decodeFile(data []byte, file, rel string, mode PrecheckMode) fileResult {
	return decodeFileWith(nil, data, file, rel, mode)
}

// decodeFileWith is decodeFile keeping strings with strs (nil: an
// interner from the pool).
func decodeFileWith(strs *interner, data []byte, file, rel string, mode PrecheckMode) fileResult {
	d := &fileDecoder{file: file, rel: rel, precheck: mode}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		d.prob(RuleParse, posAt(line, col), "", "the file is not valid UTF-8: save it as UTF-8")
		d.recover(bytes.NewReader(data), 1, 1)
		return d.res
	}
	data = loneCRToLF(data)
	if whole, ok := decodeWhole(strs, data, file, rel, mode); ok {
		return whole
	}
	return decodeSplit(strs, data, file, rel, mode)
}

// decodeSplit decodes a file document by document (see yamledit.SplitDocuments).
func decodeSplit(strs *interner, data []byte, file, rel string, mode PrecheckMode) fileResult {
	d := &fileDecoder{file: file, rel: rel, precheck: mode, in: strs}
	for _, c := range yamledit.SplitDocuments(data) {
		if !decodeChunk(d, c) {
			break
		}
	}
	return d.finish(data)
}

// loneCRToLF turns a carriage return not followed by a line feed (old Mac
// line ends, which YAML counts as line breaks) into a line feed, so that
// splitting at document markers sees the same lines YAML does. Lines and
// columns are unchanged.
func loneCRToLF(data []byte) []byte {
	i := bytes.IndexByte(data, '\r')
	if i < 0 {
		return data
	}
	out := bytes.Clone(data)
	for ; i < len(out); i++ {
		if out[i] == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

// decodeWhole is DecodeFile's fast path for the common file: valid YAML,
// no anchors, aliases or directives. It decodes the file with one decoder
// (a yaml.v3 parser per document allocates as much as a small document)
// and gives up, returning false, at the first syntax error or anything
// else whose handling needs the file split into documents first; the
// result is then that of the split path, which FuzzDecodeFile checks.
func decodeWhole(strs *interner, data []byte, file, rel string, mode PrecheckMode) (res fileResult, ok bool) {
	if bytes.ContainsAny(data, "&*%") {
		return res, false
	}
	if entries(data) > maxEntries {
		// A large file: the fast path only when no document is too
		// large for it (the split path refuses those).
		for _, c := range yamledit.SplitDocuments(data) {
			if entries(c.Text) > maxEntries {
				return res, false
			}
		}
	}
	d := &fileDecoder{file: file, rel: rel, precheck: mode, in: strs}
	// A document per "---" line, about: sized once instead of grown.
	d.res.docs = make([]*Document, 0, min(bytes.Count(data, []byte("\n---"))+1, maxDocuments))
	if fastParseEach(data, func(doc *yaml.Node) bool { return d.add(doc, 0) }) {
		return d.finish(data), true
	}
	// What the fast parser handed out before it gave up is discarded.
	d.release()
	d = &fileDecoder{file: file, rel: rel, precheck: mode, in: strs}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return d.finish(data), true
		}
		if err != nil {
			return res, false
		}
		if !d.add(&doc, 0) {
			return d.finish(data), true
		}
	}
}

// chunk is one document's text and the line it starts on, as
// yamledit.SplitDocuments cuts a file: the loader and the editor number
// documents the same way.
type chunk = yamledit.Chunk

// yamlSpace is what YAML counts as white space and line breaks (unlike
// bytes.TrimSpace, no Unicode spaces: those are content).
const yamlSpace = " \t\r\n"

var (
	yamlLine      = regexp.MustCompile(`^yaml: line (\d+): `)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '([^']*)' referenced`)
)

// decodeChunk decodes the documents of one chunk; false when the document
// cap is reached. A chunk that fails to parse gets one problem, and the
// names a tolerant scan finds in it.
func decodeChunk(d *fileDecoder, c chunk) bool {
	if entries(c.Text) > maxEntries {
		d.prob(RuleParse, posAt(c.First, 0), "", fmt.Sprintf("this document has more than %d lines and entries, where an orgctl document has a few dozen: orgctl did not read it; is this file part of the org? if not, list it in .orgctlignore", maxEntries))
		d.recover(bytes.NewReader(c.Text), c.First, c.First)
		return true
	}
	dec := yaml.NewDecoder(bytes.NewReader(c.Text))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return true
		}
		if err != nil {
			pos, msg := syntaxError(err, c)
			d.prob(RuleParse, pos, "", msg)
			d.recover(bytes.NewReader(c.Text), c.First, c.First)
			return true
		}
		if !d.add(&doc, c.First-1) {
			return false
		}
	}
}

// emptyDocument reports a document with no content, or only a null ("---"
// followed by nothing, or by "~"): skipped, and not counted.
func emptyDocument(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	root := doc.Content[0]
	return root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null"
}

// syntaxError turns a yaml.v3 error into a position in the file and a
// message that says what to do; tabs get a message of their own because
// yaml's is cryptic.
func syntaxError(err error, c chunk) (Pos, string) {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0])
		// yaml.v3 reports parser errors (unlike scanner errors) with a
		// 0-based line: that of the collection being parsed.
		if strings.HasPrefix(msg, "did not find expected") {
			line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
			for i, l := range bytes.Split(c.Text, []byte("\n")) {
				if bytes.Contains(l, []byte("*"+m[1])) {
					line = i + 1
					break
				}
			}
		}
	}
	if tl, tc, ok := indentTab(c.Text); ok {
		return posAt(c.First-1+tl, tc), "tab character in indentation: YAML indents with spaces only, replace the tab"
	}
	// Errors found at the end of the input are reported past it.
	lines := bytes.Count(c.Text, []byte("\n"))
	if len(c.Text) > 0 && c.Text[len(c.Text)-1] != '\n' {
		lines++
	}
	line = max(1, min(line, lines))
	return posAt(c.First-1+line, 0), "invalid YAML: " + msg
}

// indentTab finds the first tab in a line's leading whitespace.
func indentTab(text []byte) (line, col int, ok bool) {
	for i, l := range bytes.Split(text, []byte("\n")) {
		for j, b := range l {
			if b == '\t' {
				return i + 1, j + 1, true
			}
			if b != ' ' && b != '-' {
				break
			}
		}
	}
	return 0, 0, false
}

func invalidUTF8At(data []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

func decodeDocument(fd *fileDecoder, doc *yaml.Node, offset, idx int) {
	res, file, rel, prob := &fd.res, fd.file, fd.rel, fd.prob
	c := &converter{offset: offset, budget: maxAliasNodes}
	c.shiftTree(doc)
	root := doc.Content[0]
	start := posOf(root)
	if root.Kind != yaml.MappingNode {
		prob(RuleParse, start, "", fmt.Sprintf("the document is a %s, not a mapping: each document must be one object with apiVersion, kind, metadata and spec", yamledit.KindName(root)))
		return
	}
	name, namePos := docName(fd.interner(), root)
	apiVersion, kind := scalarAt(root, "apiVersion"), scalarAt(root, "kind")
	switch classify(apiVersion, kind) {
	case foreign:
		res.skipped = append(res.skipped, Skipped{File: file, Pos: start, APIVersion: apiVersion, Kind: kind})
		return
	case unmarked:
		prob(RuleSchema, start, name, unmarkedMessage)
		if name != "" {
			res.docs = append(res.docs, &Document{Name: name, NamePos: namePos, Source: Source{File: file, Rel: rel, Doc: idx, Start: start}})
		}
		return
	case misversioned:
		prob(RuleSchema, cmp.Or(at(root, "apiVersion"), start), name, misversionMessage(apiVersion, kind))
		if namePos == (Pos{}) {
			namePos = start
		}
		res.docs = append(res.docs, &Document{Name: name, Kind: kind, NamePos: namePos, Source: Source{File: file, Rel: rel, Doc: idx, Start: start}})
		return
	}
	if fd.precheck != PrecheckOff && decodePassing(fd, c, root, kind, name, namePos, start, idx) {
		return
	}
	decodeValue(fd, c, root, name, namePos, start, idx)
}

// decodePassing decodes a Person or Team document straight from its nodes
// when checkNode passes it (nearly every document of an org), and reports
// whether it did. In audit mode it decodes the document the long way as
// well, and records a problem when the two differ.
func decodePassing(fd *fileDecoder, c *converter, root *yaml.Node, kind, name string, namePos, start Pos, idx int) bool {
	if kind != KindPerson && kind != KindTeam {
		return false
	}
	pc := prechecks()
	if pc == nil || pc[kind].checkNode(root, 0) != pass {
		return false
	}
	src := Source{File: fd.file, Rel: fd.rel, Doc: idx, Start: start}
	d := &Document{Kind: kind, Name: name, NamePos: namePos, Source: src}
	if d.NamePos == (Pos{}) {
		d.NamePos = start
	}
	if kind == KindPerson {
		d.Person = decodePersonNode(fd.interner(), root, name, &d.Source)
	} else {
		d.Team = decodeTeamNode(fd.interner(), root, name, src)
	}
	fd.res.docs = append(fd.res.docs, d)
	if fd.precheck == PrecheckAudit {
		long := &fileDecoder{file: fd.file, rel: fd.rel, precheck: PrecheckAudit}
		decodeValue(long, c, root, name, namePos, start, idx)
		if len(long.res.problems) > 0 || len(long.res.docs) != 1 || !reflect.DeepEqual(long.res.docs[0], d) {
			fd.prob(RuleSchema, start, name, fmt.Sprintf("%v on this %s document (the checks on its nodes passed it, the long way gave another result): a bug in orgctl, please report it with the document", errPrecheckDisagrees, kind))
		}
	}
	return true
}

// decodeValue decodes a document through its plain value: the converter,
// the schema (precheck, then gojsonschema) and the typed decoders.
func decodeValue(fd *fileDecoder, c *converter, root *yaml.Node, name string, namePos, start Pos, idx int) {
	res, file, rel, prob := &fd.res, fd.file, fd.rel, fd.prob
	value, err := c.value(root, 0)
	if err != nil {
		at := start
		if errors.Is(err, errAliasBomb) && c.expanding != (Pos{}) {
			at = c.expanding
		}
		prob(RuleParse, at, name, err.Error())
		res.docs = append(res.docs, &Document{Name: name, Kind: scalarAt(root, "kind"), NamePos: namePos, Source: Source{File: file, Rel: rel, Doc: idx, Start: start}})
		return
	}
	m, _ := value.(map[string]any)
	kind, _ := m["kind"].(string)
	kind = unique.Make(kind).Value()
	d := &Document{Kind: kind, Name: name, NamePos: namePos, Source: Source{File: file, Rel: rel, Doc: idx, Start: start}}
	res.docs = append(res.docs, d)
	if d.NamePos == (Pos{}) {
		d.NamePos = start
	}
	bad := false
	for _, dk := range c.dups {
		bad = true
		prob(RuleParse, dk.then, name, fmt.Sprintf("duplicate key %q (first at line %d): keep only one", dk.key, dk.first.Line))
	}
	limit := maxProblems - len(res.problems)
	errs, more, err := validate(root, value, max(0, limit), fd.precheck)
	if err != nil {
		prob(RuleSchema, start, name, err.Error())
		return
	}
	for _, e := range errs {
		bad = true
		pos := e.pos
		if pos == (Pos{}) {
			pos = start
		}
		prob(RuleSchema, pos, name, e.msg)
	}
	if more > 0 {
		bad = true
		fd.hide(start, more)
	}
	if bad {
		return
	}
	// Any other kind (unreachable: the schema allows only these) leaves
	// the document not Valid.
	switch kind {
	case KindPerson:
		d.Person = decodePerson(root, m, &d.Source)
	case KindTeam:
		d.Team = decodeTeam(root, m, d.Source)
	case KindPolicy:
		d.Policy = decodePolicy(root, m, d.Source)
	}
}

func apiGroup(apiVersion string) string {
	i := strings.LastIndexByte(apiVersion, '/')
	if i < 0 {
		return ""
	}
	return apiVersion[:i]
}

// docName reads metadata.name straight from the nodes, even when the
// document is otherwise broken, so that the name still exists for
// references.
func docName(in *interner, root *yaml.Node) (string, Pos) {
	v, _, ok := lookup(root, []string{"metadata", "name"})
	if !ok || v.Kind != yaml.ScalarNode || v.Value == "" {
		return "", Pos{}
	}
	return in.keep(v.Value), posOf(v)
}

// scalarAt reads a top-level scalar (apiVersion, kind): interned, because
// it is kept and every document repeats it.
func scalarAt(root *yaml.Node, key string) string {
	v, _, ok := lookup(root, []string{key})
	if !ok || v.Kind != yaml.ScalarNode {
		return ""
	}
	return unique.Make(v.Value).Value()
}
