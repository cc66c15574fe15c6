package schema

import (
	"crypto/sha256"
	"sync"
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
type Cache struct {
	mu   sync.Mutex
	m    map[[sha256.Size]byte]*cacheEntry
	hits int // files served from the cache, for tests
	// shared counts the hits that shared the documents, for tests.
	shared int
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[[sha256.Size]byte]*cacheEntry{}} }

// cacheEntry is one file's decoding: res is set before done is closed.
// load, file and rel say who decoded it, where.
type cacheEntry struct {
	done      chan struct{}
	res       fileResult
	load      *sharing
	file, rel string
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
func (c *Cache) decode(data []byte, file, rel string, mode PrecheckMode, strs *interner, own *sharing) fileResult {
	key := sha256.Sum256(data)
	c.mu.Lock()
	e := c.m[key]
	if e == nil {
		e = &cacheEntry{done: make(chan struct{}), load: own, file: file, rel: rel}
		c.m[key] = e
		c.mu.Unlock()
		e.res = decodeFileWith(strs, data, file, rel, mode)
		close(e.done)
		return e.res
	}
	c.hits++
	c.mu.Unlock()
	<-e.done
	if e.load != own && e.rel == rel && own.share(e.file, file) {
		c.mu.Lock()
		c.shared++
		c.mu.Unlock()
		return e.res.shared(file)
	}
	return e.res.relocate(file, rel)
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
		c := *d
		c.Source.File, c.Source.Rel = file, rel
		switch {
		case d.Person != nil:
			p := *d.Person
			p.Source = &c.Source // c is the copy out.docs[i] points to
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
		out.docs[i] = &c
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
