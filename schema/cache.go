package schema

import (
	"bytes"
	"hash/maphash"
	"io"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/orgctl/orgctl/schema/yamledit"
)

// Cache remembers decoded files by their content, so that loading the same
// bytes again (plan reads the base and the head of a change, which share
// all but a few files) skips decoding and schema validation. A file found
// in the cache that another load decoded at the same relative path shares
// that load's documents: the same *Document, *Person, *Team and *Policy,
// whose Source.File is the other load's path, which the Set translates
// (Set.File). Any other file found in the cache gets copies of the
// documents carrying its own path. Sharing is safe because nothing
// modifies a loaded document. Safe for concurrent use: plan loads its
// base and head at once, and when both come to the same bytes, one
// decodes them and the other waits for its result.
//
// A file whose content is not in the cache, but that another load decoded
// at the same relative path with other content (plan's head file that the
// change touched, the base's decoded first), is decoded document by
// document as the split path does (see yamledit.SplitDocuments): each
// document whose text and place (line and index) are those of the other
// load's shares its decoding; a Person whose text is that of one of the
// other load's documents, elsewhere in the file (the documents after one
// added or removed, about one in eight of a touched file's), is a copy of
// that document with its lines moved; only the others are decoded.
type Cache struct {
	mu sync.Mutex
	m  map[contentKey]*cacheEntry
	// byRel is the first entry decoded at each relative path.
	byRel map[string]*cacheEntry
	hits  int // files served from the cache, for tests
	// shared counts the hits that shared the documents, reused the
	// documents shared with another version of a file, and moved those
	// copied from another version with their lines moved, for tests.
	shared, reused, moved int
	// rereads counts the files read again to be compared (see Expect),
	// for tests.
	rereads int
	// keep says whether the cache is to keep the table of interned
	// strings (loadStrings) of its next load for the loads after it
	// (KeepStrings), keeps whether it does, until Release.
	keep, keeps bool
	// expect maps the relative paths of the files a load to come reads
	// (Expect) to their sizes.
	expect map[string]int64
}

// Expect tells c the files a load through it to come will read (plan's
// head, listed while the base is): the first load keeps the chunk prints
// of each file it reads at a path where the listing's file has another
// size (one the change touched), and the later load compares its version
// with them instead of reading the first's again.
func (c *Cache) Expect(files *Listing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expect = make(map[string]int64, len(files.inputs))
	for _, in := range files.inputs {
		if in.open != nil && in.size > 0 {
			c.expect[in.rel] = in.size
		}
	}
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{m: map[contentKey]*cacheEntry{}, byRel: map[string]*cacheEntry{}}
}

// KeepStrings makes c keep the table of interned strings of its next load
// for the loads through c after it, until Release: plan's head then
// interns what it decodes into the base's table, which holds most of it
// already, instead of into a new table sized for a whole org.
func (c *Cache) KeepStrings() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keep = true
}

// keepStrings is called by each load through c once its table of strings
// is set up: the table is kept when KeepStrings asked for it.
func (c *Cache) keepStrings() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keep && !c.keeps {
		loadStrings.begin(0)
		c.keeps = true
	}
}

// Release lets go of the table of strings c keeps (see KeepStrings); the
// documents decoded stay as they are.
func (c *Cache) Release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keep = false
	if c.keeps {
		loadStrings.end()
		c.keeps = false
	}
}

// contentKey identifies a file's content: two hashes of it with seeds
// drawn at random for the process, 128 bits that two contents share only
// by a chance no input can arrange (it cannot know the seeds). A
// cryptographic hash cost 30 ms of plan's time at 100,000 people, for the
// 64 MB of the base and the head; this is a few.
type contentKey [2]uint64

var contentSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// keyOf is the contentKey of data.
func keyOf(data []byte) contentKey {
	return contentKey{maphash.Bytes(contentSeeds[0], data), maphash.Bytes(contentSeeds[1], data)}
}

// cacheEntry is one file's decoding: res is set before done is closed.
// load, file and rel say who decoded it, where; key is its content's
// hash, and reopen reads that content again. mixed marks a decoding that
// shares some documents with another entry's (whose Source.File is
// then that entry's): it is never shared whole.
type cacheEntry struct {
	done      chan struct{}
	res       fileResult
	load      *sharing
	file, rel string
	key       contentKey
	reopen    func() (io.ReadCloser, int64, error)
	mixed     bool
	// prints are the prints of the content's chunks, kept when a load to
	// come is expected to read another version of the file (Expect), so
	// that comparing the two needs no second read of this one; nil
	// otherwise.
	prints []chunkPrint
}

// sharing is what one load through a Cache knows of the documents it
// shares with other loads: its own files' paths (to never take another
// load's documents whose path is also one of its own), and the paths of
// the documents it shares, translated (Set.Paths).
type sharing struct {
	own   map[string]bool
	mu    sync.Mutex
	paths map[string]string
}

// newSharing is the sharing of a load of inputs.
func newSharing(inputs []input) *sharing {
	s := &sharing{own: make(map[string]bool, len(inputs))}
	for _, in := range inputs {
		s.own[in.file] = true
	}
	return s
}

// share records that the documents of file in this load are those of
// from in another, and reports whether it may: a path that is one of
// this load's own, or that another file of it already shares, cannot be
// translated without ambiguity.
func (s *sharing) share(from, file string) bool {
	if from == file {
		return true // the same path: nothing to translate
	}
	if s.own[from] {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.paths[from]; taken {
		return false
	}
	if s.paths == nil {
		s.paths = map[string]string{}
	}
	s.paths[from] = file
	return true
}

// decode returns decodeFile(data, file, rel, mode), from the cache when the
// same bytes were decoded before: shared with the load that decoded them
// when that was another load (own is this one) at the same rel, else
// relocated.
func (c *Cache) decode(data []byte, file, rel string, mode PrecheckMode, strs *interner, own *sharing, reopen func() (io.ReadCloser, int64, error)) fileResult {
	key := keyOf(data)
	c.mu.Lock()
	e := c.m[key]
	if e == nil {
		e = &cacheEntry{done: make(chan struct{}), load: own, file: file, rel: rel, key: key, reopen: reopen}
		c.m[key] = e
		prev := c.byRel[rel]
		if prev == nil {
			c.byRel[rel] = e
		}
		size, expected := c.expect[rel]
		c.mu.Unlock()
		if res, ok := c.decodeAgainst(prev, data, file, rel, mode, strs, own); ok {
			e.res, e.mixed = res, true
		} else {
			e.res = decodeFileWith(strs, data, file, rel, mode)
		}
		if prev == nil && expected && size != int64(len(data)) {
			e.prints = printsOf(data)
		}
		close(e.done)
		return e.res
	}
	c.hits++
	c.mu.Unlock()
	<-e.done
	if e.load != own && e.rel == rel && !e.mixed && own.share(e.file, file) {
		c.mu.Lock()
		c.shared++
		c.mu.Unlock()
		return e.res.shared(file)
	}
	return e.res.relocate(file, rel)
}

// decodeAgainst decodes data (the content of file at rel) as the split path
// does, taking the decoding of each document whose text, first line and
// index are those of a document of prev (another load's version of the
// same file, decoded already) from prev. It reports false, having decoded
// nothing that counts, when prev cannot serve: not decoded yet, decoded
// by this load, with problems or skipped documents, not one document per
// chunk, or its content no longer readable as it was.
func (c *Cache) decodeAgainst(prev *cacheEntry, data []byte, file, rel string, mode PrecheckMode, strs *interner, own *sharing) (fileResult, bool) {
	if prev == nil || prev.load == own || prev.mixed || prev.reopen == nil {
		return fileResult{}, false
	}
	select {
	case <-prev.done:
	default:
		return fileResult{}, false // still decoding: not worth the wait
	}
	if len(prev.res.problems) > 0 || len(prev.res.skipped) > 0 || len(prev.res.docs) == 0 {
		return fileResult{}, false
	}
	oldPrints := prev.prints
	if oldPrints == nil {
		c.mu.Lock()
		c.rereads++
		c.mu.Unlock()
		old, release, ok := prev.content()
		if !ok {
			return fileResult{}, false
		}
		oldPrints = printsOf(old)
		release() // nothing decoded points into old: only its prints are kept
	}
	data, ok := splitReady(data)
	if !ok || oldPrints == nil {
		return fileResult{}, false
	}
	split := chunkSlices.Get().(*[]chunk)
	defer func() {
		clear(*split)
		chunkSlices.Put(split)
	}()
	chunks := yamledit.AppendDocuments((*split)[:0], data)
	*split = chunks
	if len(oldPrints) != len(prev.res.docs) || len(chunks) >= maxDocuments {
		return fileResult{}, false
	}
	for i, d := range prev.res.docs {
		if d.Source.Doc != i || d.Source.File != prev.file {
			return fileResult{}, false
		}
	}
	d := &fileDecoder{file: file, rel: rel, precheck: mode, in: strs}
	d.res.docs = make([]*Document, 0, len(chunks))
	var persons *printIndex // of prev's Persons, once needed
	reused, moved := 0, 0
	for j, ch := range chunks {
		p := printOf(ch)
		if j < len(oldPrints) && oldPrints[j] == p {
			d.res.docs = append(d.res.docs, prev.res.docs[j])
			d.docs++
			reused++
			continue
		}
		if persons == nil {
			persons = indexPrints(oldPrints, func(k int) bool { return prev.res.docs[k].Person != nil })
		}
		if k := persons.find(oldPrints, p); k >= 0 {
			d.res.docs = append(d.res.docs, prev.res.docs[k].moved(file, rel, j, int32(ch.First-oldPrints[k].first)))
			d.docs++
			moved++
			continue
		}
		if !decodeChunkFast(d, ch) && !decodeChunk(d, ch) || d.docs != j+1 {
			// The document cap, or other than one document in the
			// chunk: the documents after would be numbered otherwise.
			d.release()
			return fileResult{}, false
		}
	}
	if reused+moved == 0 || reused > 0 && !own.share(prev.file, file) {
		d.release()
		return fileResult{}, false
	}
	c.mu.Lock()
	c.reused += reused
	c.moved += moved
	c.mu.Unlock()
	return d.finish(data), true
}

// chunkSlices hold the chunks of a file while decodeAgainst compares
// them with another version's.
var chunkSlices = sync.Pool{New: func() any { return new([]chunk) }}

// chunkPrint stands for one chunk of a file (see yamledit.SplitDocuments)
// in comparisons: the line it starts on, its size and the contentKey of
// its text. Two chunks of equal prints have the same text at the same
// line, but for a chance no input can arrange (see contentKey).
type chunkPrint struct {
	first, size int
	key         contentKey
}

func printOf(ch chunk) chunkPrint {
	return chunkPrint{first: ch.First, size: len(ch.Text), key: keyOf(ch.Text)}
}

// printsOf returns the prints of the chunks of a file's content as the
// split path cuts it, or nil when the split path would not see it (see
// splitReady) or it holds no chunk.
func printsOf(data []byte) []chunkPrint {
	data, ok := splitReady(data)
	if !ok {
		return nil
	}
	split := chunkSlices.Get().(*[]chunk)
	defer func() {
		clear(*split)
		chunkSlices.Put(split)
	}()
	chunks := yamledit.AppendDocuments((*split)[:0], data)
	*split = chunks
	if len(chunks) == 0 {
		return nil
	}
	out := make([]chunkPrint, len(chunks))
	for i, ch := range chunks {
		out[i] = printOf(ch)
	}
	return out
}

// printIndex finds chunks by the text their prints stand for: the chunks
// of each text chained, first to last, without a slice for each.
type printIndex struct {
	first map[contentKey]int32 // text → first chunk
	next  []int32              // chunk → next chunk of the same text, -1: none
}

// indexPrints indexes the chunks whose prints are prints for which keep is
// true.
func indexPrints(prints []chunkPrint, keep func(int) bool) *printIndex {
	x := &printIndex{first: make(map[contentKey]int32, len(prints)), next: make([]int32, len(prints))}
	for k := len(prints) - 1; k >= 0; k-- {
		x.next[k] = -1
		if !keep(k) {
			continue
		}
		if f, ok := x.first[prints[k].key]; ok {
			x.next[k] = f
		}
		x.first[prints[k].key] = int32(k)
	}
	return x
}

// find returns the first indexed chunk whose text is that of p, or -1.
func (x *printIndex) find(prints []chunkPrint, p chunkPrint) int {
	k, ok := x.first[p.key]
	if !ok {
		return -1
	}
	for ; k >= 0; k = x.next[k] {
		if prints[k].size == p.size {
			return int(k)
		}
	}
	return -1
}

// moved returns a copy of d, a valid Person document decoded from the same
// text as the document it stands for, as if that text had been decoded
// where it stands: in file at rel, as document doc, delta lines further
// down (columns do not change: a document starts a line). The copy shares
// what holds no position (strings, labels, expertise, the lifecycle's
// pointers) with d; TestMovedDocumentMovesEveryPosition checks that every
// position a Person holds is moved.
func (d *Document) moved(file, rel string, doc int, delta int32) *Document {
	src := d.Source
	src.File, src.Rel, src.Doc = file, rel, doc
	src.Start = src.Start.down(delta)
	c := d.withSource(src)
	c.NamePos = c.NamePos.down(delta)
	p := c.Person
	for _, at := range []*Pos{&p.NamePos, &p.SpecPos, &p.GitHubPos, &p.TeamPos, &p.LevelPos, &p.StatusPos, &p.ManagerPos, &p.CoachPos} {
		*at = at.down(delta)
	}
	if p.Mentors != nil {
		p.Mentors = append([]Mentor(nil), p.Mentors...)
		for i := range p.Mentors {
			m := &p.Mentors[i]
			m.Pos, m.SincePos = m.Pos.down(delta), m.SincePos.down(delta)
		}
	}
	if p.Life != nil {
		l := *p.Life
		l.CoachSincePos = l.CoachSincePos.down(delta)
		l.CoachWillingPos = l.CoachWillingPos.down(delta)
		l.CoachCapacityPos = l.CoachCapacityPos.down(delta)
		if l.PastPairings != nil {
			l.PastPairings = append([]PastPairing(nil), l.PastPairings...)
			for i := range l.PastPairings {
				e := &l.PastPairings[i]
				e.Pos, e.PersonPos, e.FromPos, e.UntilPos = e.Pos.down(delta), e.PersonPos.down(delta), e.FromPos.down(delta), e.UntilPos.down(delta)
			}
		}
		if l.MentoringWantedPos != nil {
			l.MentoringWantedPos = append([]Pos(nil), l.MentoringWantedPos...)
			for i := range l.MentoringWantedPos {
				l.MentoringWantedPos[i] = l.MentoringWantedPos[i].down(delta)
			}
		}
		p.Life = &l
	}
	return c
}

// down is p delta lines further down; the unknown position stays unknown.
func (p Pos) down(delta int32) Pos {
	if p.Line == 0 {
		return p
	}
	p.Line += delta
	return p
}

// content reads the entry's content again into a buffer of readBuffers
// (release puts it back), and reports false when it is not what was
// decoded (the file changed since, or cannot be read).
func (e *cacheEntry) content() (data []byte, release func(), ok bool) {
	rc, size, err := e.reopen()
	if err != nil {
		return nil, nil, false
	}
	defer rc.Close()
	buf := readBuffers.Get().(*bytes.Buffer)
	release = func() {
		clear(buf.Bytes())
		buf.Reset()
		readBuffers.Put(buf)
	}
	buf.Grow(int(size) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(rc, size+1)); err != nil || keyOf(buf.Bytes()) != e.key {
		release()
		return nil, nil, false
	}
	return buf.Bytes(), release, true
}

// splitReady is data as decodeFileWith hands it to the split path (no
// byte order mark, lone carriage returns as line feeds), and false when
// the split path would not see it (not UTF-8).
func splitReady(data []byte) ([]byte, bool) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		return nil, false
	}
	return loneCRToLF(data), true
}

// decodeChunkFast decodes the documents of one chunk as decodeChunk does,
// through the fast parser, and reports false, having added nothing, when
// that parser cannot (decodeChunk must then).
func decodeChunkFast(d *fileDecoder, ch chunk) bool {
	if bytes.ContainsAny(ch.Text, "&*%") || entries(ch.Text) > maxEntries {
		return false
	}
	saved := *d
	if fastParseEach(ch.Text, func(doc *yaml.Node) bool { return d.add(doc, ch.First-1) }) {
		return true
	}
	*d = saved // what the fast parser handed out before it gave up is discarded
	return false
}

// shared returns r for a load that shares its documents with the load
// that decoded them at the same relative path: the documents themselves,
// and copies of the problems and skips with the new path.
func (r *fileResult) shared(file string) fileResult {
	out := fileResult{
		docs:     r.docs[:len(r.docs):len(r.docs)],
		problems: make([]Problem, len(r.problems)),
		skipped:  make([]Skipped, len(r.skipped)),
	}
	for i, p := range r.problems {
		p.File = file
		out.problems[i] = p
	}
	for i, s := range r.skipped {
		s.File = file
		out.skipped[i] = s
	}
	return out
}

// relocate returns a copy of r as if it had been decoded from file.
func (r *fileResult) relocate(file, rel string) fileResult {
	out := fileResult{
		docs:     make([]*Document, len(r.docs)),
		problems: make([]Problem, len(r.problems)),
		skipped:  make([]Skipped, len(r.skipped)),
	}
	for i, d := range r.docs {
		src := d.Source
		src.File, src.Rel = file, rel
		out.docs[i] = d.withSource(src)
	}
	for i, p := range r.problems {
		p.File, p.Rel = file, rel
		out.problems[i] = p
	}
	for i, s := range r.skipped {
		s.File = file
		out.skipped[i] = s
	}
	return out
}

// withSource returns a copy of d, and of the Person, Team or Policy it
// holds, at src: the copy's object carries src too (a Person points to the
// copy's Source, as the loader's do).
func (d *Document) withSource(src Source) *Document {
	c := *d
	c.Source = src
	switch {
	case d.Person != nil:
		p := *d.Person
		p.Source = &c.Source
		c.Person = &p
	case d.Team != nil:
		t := *d.Team
		t.Source = c.Source
		c.Team = &t
	case d.Policy != nil:
		p := *d.Policy
		p.Source = c.Source
		c.Policy = &p
	}
	return &c
}
