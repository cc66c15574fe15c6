package ghsync

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestETagCacheStaysUnderItsBound: writing past MaxBytes removes the
// oldest entries, keeping the newest.
func TestETagCacheStaysUnderItsBound(t *testing.T) {
	c := &ETagCache{Dir: filepath.Join(t.TempDir(), "cache"), MaxBytes: 20 << 10}
	body := []byte(strings.Repeat("x", 1000))
	when := time.Now().Add(-time.Hour)
	for i := 0; i < 60; i++ {
		key := "GET https://api.github.com/page/" + itoa(i)
		if err := c.put(key, `W/"e"`, http.Header{}, body); err != nil {
			t.Fatal(err)
		}
		// Distinct, increasing write times, whatever the file system's
		// clock resolution.
		if err := os.Chtimes(c.path(key), when, when.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	for _, f := range c.files() {
		total += f.size
	}
	if total > c.MaxBytes {
		t.Errorf("cache holds %d bytes, over its bound of %d", total, c.MaxBytes)
	}
	if c.get("GET https://api.github.com/page/59") == nil {
		t.Error("the newest entry was pruned")
	}
	if c.get("GET https://api.github.com/page/0") != nil {
		t.Error("the oldest entry survived pruning")
	}
	info, err := os.Stat(c.Dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v (%v), want 0700", info.Mode().Perm(), err)
	}
}

// TestETagCacheKeyNamesTokenOnlyByHash: the key differs per token and per
// Accept header (go-github asks for other media types on some calls), and
// never contains the token.
func TestETagCacheKeyNamesTokenOnlyByHash(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://api.github.com/user", nil)
	a, b := cacheKey(req, secretToken), cacheKey(req, secretToken+"2")
	if a == b || strings.Contains(a, secretToken) {
		t.Errorf("keys %q and %q: want distinct, without the token", a, b)
	}
	req.Header.Set("Accept", "application/vnd.github.v3.diff")
	if cacheKey(req, secretToken) == a {
		t.Error("another Accept header shares the entry")
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}
