package schema

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// translated is set as it shows its documents: each one's file translated
// (Set.File) in a copy, for comparing with a load that shares nothing.
func translated(set *Set) *Set {
	out := *set
	out.Paths = nil
	out.Documents = make([]*Document, len(set.Documents))
	for i, d := range set.Documents {
		src := d.Source
		src.File = set.File(d.Source)
		out.Documents[i] = d.withSource(src)
	}
	return &out
}

// A file found in the cache loads as if it had been decoded at its new
// path: same documents, problems and skips, with the new file names as
// the set shows them. A file another load decoded at the same relative
// path shares that load's documents (no copies); one it decoded at
// another path gets copies carrying the new one.
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

		// One file moves: its documents are copies with the new path.
		var moved string
		err = filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
			if err != nil || moved != "" || d.IsDir() || !isYAML(p) || d.Name() == "policy.yaml" {
				return err
			}
			moved = filepath.ToSlash(mustRel(tmp, p))
			return os.Rename(p, filepath.Join(tmp, "moved-"+d.Name()))
		})
		if err != nil || moved == "" {
			t.Fatalf("moving a file of %s: %v", src, err)
		}

		cache := NewCache()
		first, err := (&Loader{Precheck: PrecheckAudit, Cache: cache}).LoadPaths([]string{src})
		if err != nil {
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
		if !reflect.DeepEqual(translated(got), want) {
			t.Errorf("%s: loading through the cache differs from decoding", src)
		}
		if cache.hits != want.Files-1 || cache.shared != want.Files-2 {
			t.Errorf("%s: %d of %d files came from the cache and %d shared documents, want all but the changed one and all but the moved one", src, cache.hits, want.Files, cache.shared)
		}
		ofFirst := map[*Document]bool{}
		for _, d := range first.Documents {
			ofFirst[d] = true
		}
		for _, d := range got.Documents {
			rel := d.Source.Rel
			if shared := ofFirst[d]; shared != (rel != "policy.yaml" && rel != "moved-"+path.Base(moved)) {
				t.Errorf("%s: %s document %d: shared with the first load: %v", src, rel, d.Source.Doc, shared)
			}
			if f, want := got.File(d.Source), filepath.ToSlash(filepath.Join(tmp, rel)); f != want {
				t.Errorf("%s: %s document %d shows as %s, want %s", src, rel, d.Source.Doc, f, want)
			}
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
			if !reflect.DeepEqual(translated(sets[i]), want) {
				t.Fatalf("%s: loading through a cache shared with a concurrent load differs from decoding", dir)
			}
		}
		if files := sets[0].Files; cache.hits != files || len(cache.m) != files {
			t.Fatalf("%d files each: %d served from the cache and %d decoded, want %d and %d", files, cache.hits, len(cache.m), files, files)
		}
	}
}

// personDoc is a Person document of name coached by coach.
func personDoc(name, coach string) string {
	return "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: " + name + "\nspec:\n  displayName: " + name + "\n  team: eng\n  coach: " + coach + "\n"
}

// A file that another load decoded with other content at the same
// relative path (plan's base, for a file the change touched) is decoded
// document by document: a document whose text, line and index are
// unchanged shares the other load's decoding, and the file loads exactly
// as decoding it whole gives, whatever the change: a field edited in
// place, a document removed (those after it move), added, made invalid,
// or the file turned into one the fast parser refuses.
func TestCacheDecodesOnlyTheDocumentsAChangeTouched(t *testing.T) {
	var docs []string
	for i := range 8 {
		docs = append(docs, personDoc(fmt.Sprintf("p%d", i), "p0"))
	}
	join := func(docs []string) string { return "# a header\n" + strings.Join(docs, "---\n") }
	edit := func(f func(d []string) []string) string { return join(f(slices.Clone(docs))) }
	for _, tc := range []struct {
		name   string
		head   string
		reused int
	}{
		{"a coach changed in place", edit(func(d []string) []string { d[3] = personDoc("p3", "p1"); return d }), 7},
		{"a document removed", edit(func(d []string) []string { return slices.Delete(d, 5, 6) }), 5},
		{"a document added at the end", edit(func(d []string) []string { return append(d, personDoc("p8", "p2")) }), 8},
		{"a document added first", edit(func(d []string) []string { return slices.Insert(d, 0, personDoc("p8", "p2")) }), 0},
		{"a document made invalid", edit(func(d []string) []string { d[2] += "  shoeSize: 44\n"; return d }), 2},
		// A document that does not parse is recovered, not counted: the
		// file is decoded whole.
		{"a syntax error", edit(func(d []string) []string { d[6] += "  coach: [unclosed\n"; return d }), 0},
		{"an anchor", edit(func(d []string) []string { d[4] = strings.Replace(d[4], "team: eng", "team: &t eng", 1); return d }), 7},
		{"a document marker with a comment", edit(func(d []string) []string { d[1] = "# moved\n" + d[1]; return d }), 1},
		{"a file of other line ends", strings.ReplaceAll(join(docs), "\n", "\r\n"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, head := t.TempDir(), t.TempDir()
			writeFile := func(dir, data string) {
				if err := os.WriteFile(filepath.Join(dir, "people.yaml"), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			writeFile(base, join(docs))
			writeFile(head, tc.head)
			cache := NewCache()
			first, err := (&Loader{Cache: cache}).LoadPaths([]string{base})
			if err != nil {
				t.Fatal(err)
			}
			got, err := (&Loader{Cache: cache}).LoadPaths([]string{head})
			if err != nil {
				t.Fatal(err)
			}
			want, err := (&Loader{}).LoadPaths([]string{head})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(translated(got), want) {
				t.Errorf("loading through the cache differs from decoding:\ngot  %+v\nwant %+v", translated(got).Problems, want.Problems)
				for i := range min(len(got.Documents), len(want.Documents)) {
					if g := translated(got).Documents[i]; !reflect.DeepEqual(g, want.Documents[i]) {
						t.Errorf("document %d: got %+v\nwant %+v", i, *g, *want.Documents[i])
					}
				}
			}
			ofFirst := map[*Document]bool{}
			for _, d := range first.Documents {
				ofFirst[d] = true
			}
			shared := 0
			for _, d := range got.Documents {
				if ofFirst[d] {
					shared++
				}
			}
			if cache.reused != tc.reused || shared != tc.reused {
				t.Errorf("%d documents reused, %d shared with the base; want %d", cache.reused, shared, tc.reused)
			}
		})
	}
}
