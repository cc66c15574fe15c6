package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
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

// Two loads at once through one cache (plan's base and head) decode each
// shared file once: the second to come waits for the first's result, and
// both sets are what decoding without the cache gives.
func TestCacheSharedByConcurrentLoads(t *testing.T) {
	src := "../examples/conflicts"
	tmp := t.TempDir()
	if err := os.CopyFS(tmp, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		cache := NewCache()
		sets := make([]*Set, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, dir := range []string{src, tmp} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sets[i], errs[i] = (&Loader{Cache: cache}).LoadPaths([]string{dir})
			}()
		}
		wg.Wait()
		for i, dir := range []string{src, tmp} {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			want, err := (&Loader{}).LoadPaths([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sets[i], want) {
				t.Fatalf("%s: loading through a cache shared with a concurrent load differs from decoding", dir)
			}
		}
		if files := sets[0].Files; cache.hits != files || len(cache.m) != files {
			t.Fatalf("%d files each: %d served from the cache and %d decoded, want %d and %d", files, cache.hits, len(cache.m), files, files)
		}
	}
}
