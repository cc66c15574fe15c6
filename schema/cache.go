package schema

import (
	"crypto/sha256"
	"sync"
)

// Cache remembers decoded files by their content, so that loading the same
// bytes again (plan reads the base and the head of a change, which share
// all but a few files) skips decoding and schema validation. The documents
// of a file found in the cache are copies carrying the new path; the
// values they point to (labels, mentors, expertise) are shared, which is
// safe because nothing modifies a loaded document. Safe for concurrent use:
// plan loads its base and head at once, and when both come to the same
// bytes, one decodes them and the other waits for its result.
type Cache struct {
	mu   sync.Mutex
	m    map[[sha256.Size]byte]*cacheEntry
	hits int // files served from the cache, for tests
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[[sha256.Size]byte]*cacheEntry{}} }

// cacheEntry is one file's decoding: res is set before done is closed.
type cacheEntry struct {
	done chan struct{}
	res  fileResult
}

// decode returns decodeFile(data, file, rel, mode), from the cache when the
// same bytes were decoded before.
func (c *Cache) decode(data []byte, file, rel string, mode PrecheckMode, strs *interner) fileResult {
	key := sha256.Sum256(data)
	c.mu.Lock()
	e := c.m[key]
	if e == nil {
		e = &cacheEntry{done: make(chan struct{})}
		c.m[key] = e
		c.mu.Unlock()
		e.res = decodeFileWith(strs, data, file, rel, mode)
		close(e.done)
		return e.res
	}
	c.hits++
	c.mu.Unlock()
	<-e.done
	return e.res.relocate(file, rel)
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
