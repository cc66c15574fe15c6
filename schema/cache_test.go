package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A file found in the cache loads exactly as if it had been decoded at its
// new path: same documents, problems and skips, with the new file names.
func TestCacheRelocates(t *testing.T) {
	for _, src := range []string{"../examples/acme", "../examples/conflicts"} {
		tmp := t.TempDir()
		if err := os.CopyFS(tmp, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		// One file differs, so one decode is not served from the cache.
		changed := filepath.Join(tmp, "policy.yaml")
		data, err := os.ReadFile(changed)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(changed, append(data, "# changed\n"...), 0o644); err != nil {
			t.Fatal(err)
		}

		cache := NewCache()
		if _, err := (&Loader{Precheck: PrecheckAudit, Cache: cache}).LoadPaths([]string{src}); err != nil {
			t.Fatal(err)
		}
		got, err := (&Loader{Precheck: PrecheckAudit, Cache: cache}).LoadPaths([]string{tmp})
		if err != nil {
			t.Fatal(err)
		}
		want, err := (&Loader{Precheck: PrecheckAudit}).LoadPaths([]string{tmp})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: loading through the cache differs from decoding", src)
		}
		if cache.hits != want.Files-1 {
			t.Errorf("%s: %d of %d files came from the cache, want all but the changed one", src, cache.hits, want.Files)
		}
	}
}
