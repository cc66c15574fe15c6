package ghsync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultCacheMaxBytes bounds the ETag cache directory: past it, the
// least recently written entries are removed.
const DefaultCacheMaxBytes = 256 << 20

// maxCachedBody is the largest body kept: a page of 100 issues is far
// below it.
const maxCachedBody = 8 << 20

// cacheVersion changes when the entry format does; entries of another
// version are ignored.
const cacheVersion = 1

// ETagCache keeps GitHub's answers to GET requests with their ETag, on
// disk, so that the next run can ask "has it changed?" (If-None-Match):
// GitHub answers 304 Not Modified, which costs no rate-limit point, and
// the transport serves the kept body. Each apply is a new process, so the
// cache lives in a directory (--cache-dir).
//
// Entries are keyed by method, URL, Accept header and a hash of the token
// (never the token itself): one token never reuses another's answers.
// Bodies hold what GitHub answered (issue titles and bodies), so the
// directory is private (0700, files 0600); responses to requests with a
// body are never kept. Files are written atomically; an unreadable or
// corrupt entry is ignored (the request is then sent unconditionally and
// the entry rewritten). The directory is kept under MaxBytes by removing
// the oldest entries. A failure to write is not an error: the run only
// loses the saving.
type ETagCache struct {
	// Dir holds one file per entry; it is created (0700) when needed.
	Dir string
	// MaxBytes bounds the directory (0: DefaultCacheMaxBytes).
	MaxBytes int64

	mu     sync.Mutex
	total  int64 // bytes in Dir, once scanned
	loaded bool
}

// cacheEntry is one kept answer.
type cacheEntry struct {
	Version int         `json:"v"`
	Key     string      `json:"key"`
	ETag    string      `json:"etag"`
	Header  http.Header `json:"header"`
	Body    []byte      `json:"body"`
}

// keptHeaders are the response headers a served entry carries: the
// pagination links and the body's type.
var keptHeaders = []string{"Link", "Content-Type"}

// cacheKey identifies a request for the cache. The token is hashed with a
// prefix of orgctl's own, so the key says nothing usable about it.
func cacheKey(req *http.Request, token string) string {
	th := sha256.Sum256([]byte("orgctl etag cache token\x00" + token))
	return req.Method + " " + req.URL.String() + "\naccept: " + req.Header.Get("Accept") + "\ntoken: " + hex.EncodeToString(th[:16])
}

func (c *ETagCache) path(key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(c.Dir, hex.EncodeToString(h[:])+".json")
}

func (c *ETagCache) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return DefaultCacheMaxBytes
}

// get returns the entry for key, or nil when there is none usable.
func (c *ETagCache) get(key string) *cacheEntry {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if err := json.Unmarshal(data, &e); err != nil || e.Version != cacheVersion || e.Key != key || e.ETag == "" || e.Body == nil {
		return nil
	}
	return &e
}

// put keeps body and its ETag for key, atomically; errors only lose the
// saving, so they are returned for the caller to ignore or report.
func (c *ETagCache) put(key, etag string, header http.Header, body []byte) error {
	if len(body) > maxCachedBody {
		return nil
	}
	e := cacheEntry{Version: cacheVersion, Key: key, ETag: etag, Header: http.Header{}, Body: body}
	if e.Body == nil {
		e.Body = []byte{}
	}
	for _, k := range keptHeaders {
		if v := header.Values(k); len(v) > 0 {
			e.Header[k] = append([]string(nil), v...)
		}
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	dst := c.path(key)
	old := int64(0)
	if fi, err := os.Stat(dst); err == nil {
		old = fi.Size()
	}
	tmp, err := os.CreateTemp(c.Dir, ".tmp-*") // created 0600
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), dst)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return werr
	}
	c.grew(int64(len(data)) - old)
	return nil
}

// grew accounts for delta bytes written and prunes the directory once it
// is over its bound.
func (c *ETagCache) grew(delta int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		c.total, c.loaded = c.scan(), true
	} else {
		c.total += delta
	}
	if c.total > c.maxBytes() {
		c.total = c.prune()
	}
}

func (c *ETagCache) scan() int64 {
	var total int64
	for _, f := range c.files() {
		total += f.size
	}
	return total
}

type cacheFile struct {
	path string
	size int64
	mod  int64
}

func (c *ETagCache) files() []cacheFile {
	ents, err := os.ReadDir(c.Dir)
	if err != nil {
		return nil
	}
	var out []cacheFile
	for _, d := range ents {
		if !d.Type().IsRegular() || !strings.HasSuffix(d.Name(), ".json") {
			continue
		}
		fi, err := d.Info()
		if err != nil {
			continue
		}
		out = append(out, cacheFile{path: filepath.Join(c.Dir, d.Name()), size: fi.Size(), mod: fi.ModTime().UnixNano()})
	}
	return out
}

// prune removes the oldest entries until the directory holds at most
// three quarters of its bound, and returns what is left.
func (c *ETagCache) prune() int64 {
	files := c.files()
	sort.Slice(files, func(i, j int) bool {
		if files[i].mod != files[j].mod {
			return files[i].mod < files[j].mod
		}
		return files[i].path < files[j].path
	})
	var total int64
	for _, f := range files {
		total += f.size
	}
	for _, f := range files {
		if total <= c.maxBytes()/4*3 {
			break
		}
		if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= f.size
		}
	}
	return total
}

// cachedResponse is the 200 answer served in place of a 304: the kept
// body and headers, with the 304's own headers (request id, rate limit)
// where the entry has none.
func cachedResponse(req *http.Request, notModified *http.Response, e *cacheEntry) *http.Response {
	h := notModified.Header.Clone()
	for _, k := range keptHeaders {
		h.Del(k)
		if v := e.Header.Values(k); len(v) > 0 {
			h[k] = append([]string(nil), v...)
		}
	}
	h.Set("ETag", e.ETag)
	h.Del("Content-Length")
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: notModified.Proto, ProtoMajor: notModified.ProtoMajor, ProtoMinor: notModified.ProtoMinor,
		Header: h, Body: io.NopCloser(bytes.NewReader(e.Body)), ContentLength: int64(len(e.Body)),
		Request: req,
	}
}

// keep reads a 200 answer with an ETag into the cache, leaving the
// response readable.
func (t *Transport) keep(key string, resp *http.Response) error {
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err := t.Cache.put(key, resp.Header.Get("ETag"), resp.Header, b); err != nil {
		t.cacheWarn.Do(func() {
			t.logf("cannot write the GitHub answer cache in %s (%v): this run works without it; set --cache-dir to a writable directory, or --no-cache", t.Cache.Dir, err)
		})
	}
	return nil
}

// Usage is what a run spent of GitHub's API.
type Usage struct {
	// Requests is how many requests GitHub answered (retries included).
	Requests int `json:"requests"`
	// NotModified is how many of them were answered 304 Not Modified from
	// the ETag cache.
	NotModified int `json:"notModified"`
	// Points is the primary (REST) rate-limit points they cost as GitHub
	// counts them: one a request, none for a 304, none for a GraphQL query
	// (GraphQL has its own limit; orgctl sends one only to name an app
	// token's bot).
	Points int `json:"points"`
}

// String is the usage line shown at the end of a run.
func (u Usage) String() string {
	return fmt.Sprintf("GitHub API: %d requests (%d not modified), %d rate-limit points", u.Requests, u.NotModified, u.Points)
}

// Usage returns what the transport has spent so far.
func (t *Transport) Usage() Usage {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.usage
}

func (t *Transport) count(req *http.Request, resp *http.Response) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.usage.Requests++
	switch {
	case resp.StatusCode == http.StatusNotModified:
		t.usage.NotModified++
	case !isReadOnly(req.Context()):
		t.usage.Points++
	}
}

// DefaultWritesPerMinute paces content-creating requests (POST, PATCH,
// PUT, DELETE) under GitHub's secondary limit of about 80 a minute.
const DefaultWritesPerMinute = 80

func (t *Transport) writesPerMinute() int {
	if t.WritesPerMinute != 0 {
		return t.WritesPerMinute
	}
	return DefaultWritesPerMinute
}

// pace waits before a content-creating request when the last minute has
// already seen WritesPerMinute of them, so that a big first apply stays
// under GitHub's secondary limits instead of being throttled by them.
// The wait is not a rate-limit wait: it does not count against --max-wait
// (a run of 10,000 writes takes about two hours whatever the budget), and
// Ctrl-C stops it.
func (t *Transport) pace(ctx context.Context, req *http.Request) error {
	limit := t.writesPerMinute()
	if limit < 0 || !Mutating(req.Method) || isReadOnly(ctx) {
		return nil
	}
	t.mu.Lock()
	now := t.now()
	var wait time.Duration
	if len(t.writes) >= limit {
		if at := t.writes[len(t.writes)-limit].Add(time.Minute); at.After(now) {
			wait = at.Sub(now)
		}
	}
	t.writes = append(t.writes, now.Add(wait))
	if len(t.writes) > limit {
		t.writes = append(t.writes[:0], t.writes[len(t.writes)-limit:]...)
	}
	t.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	t.paceNote.Do(func() {
		t.logf("pacing writes to GitHub at %d a minute (its secondary limit); the run takes longer, nothing is lost", limit)
	})
	if err := t.sleep(ctx, wait); err != nil {
		return interrupted(ctx)
	}
	return nil
}
