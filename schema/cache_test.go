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
	"unsafe"
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

// richPersonDoc is a Person document of name that writes every field
// that has a position: mentors, the lifecycle fields, labels.
func richPersonDoc(name string) string {
	return "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: " + name + "\n  labels: {office: kyiv}\nspec:\n" +
		"  displayName: " + name + "\n  github: gh-" + name + "\n  team: eng\n  level: mid\n  status: leave\n  manager: p1\n" +
		"  expertise: [go, ci]\n  coach: p0\n  coachSince: 2025-06-16\n" +
		"  mentors:\n    - person: p2\n      domain: go\n      since: 2025-07-01\n    - person: p3\n      domain: ci\n" +
		"  pastPairings:\n    - role: mentor\n      person: p4\n      domain: go\n      from: 2024-01-01\n      until: 2025-01-31\n" +
		"  coaching:\n    willing: true\n    capacity: 2\n  mentoringWanted: [kubernetes, go]\n"
}

// A file that another load decoded with other content at the same
// relative path (plan's base, for a file the change touched) is decoded
// document by document: a document whose text, line and index are
// unchanged shares the other load's decoding, a Person whose text is
// another's of the other load's file is a copy of it with its lines
// moved, and the file loads exactly as decoding it whole gives, whatever
// the change: a field edited in place, a document removed (those after it
// move), added, made invalid, moved within the file, a change of white
// space or comments only, or the file turned into one the fast parser
// refuses. It is so whether the base's version is read again to be
// compared or its chunk prints were kept (Expect), which a change of size
// tells.
func TestCacheDecodesOnlyTheDocumentsAChangeTouched(t *testing.T) {
	var docs []string
	for i := range 8 {
		docs = append(docs, personDoc(fmt.Sprintf("p%d", i), "p0"))
	}
	docs[5] = richPersonDoc("p5")
	docs[7] = richPersonDoc("p7")
	join := func(docs []string) string { return "# a header\n" + strings.Join(docs, "---\n") }
	edit := func(f func(d []string) []string) string { return join(f(slices.Clone(docs))) }
	for _, tc := range []struct {
		name          string
		head          string
		reused, moved int
	}{
		{"a coach changed in place", edit(func(d []string) []string { d[3] = personDoc("p3", "p1"); return d }), 7, 0},
		{"a document removed", edit(func(d []string) []string { return slices.Delete(d, 4, 5) }), 4, 3},
		{"a document added at the end", edit(func(d []string) []string { return append(d, personDoc("p8", "p2")) }), 8, 0},
		// The first document's text holds the header: it is decoded again.
		{"a document added first", edit(func(d []string) []string { return slices.Insert(d, 0, personDoc("p8", "p2")) }), 0, 7},
		{"a document made invalid", edit(func(d []string) []string { d[2] += "  shoeSize: 44\n"; return d }), 2, 5},
		// A document that does not parse is recovered, not counted: the
		// file is decoded whole.
		{"a syntax error", edit(func(d []string) []string { d[6] += "  coach: [unclosed\n"; return d }), 0, 0},
		{"an anchor", edit(func(d []string) []string { d[4] = strings.Replace(d[4], "team: eng", "team: &t eng", 1); return d }), 7, 0},
		{"a document marker with a comment", edit(func(d []string) []string { d[1] = "# moved\n" + d[1]; return d }), 1, 6},
		{"a file of other line ends", strings.ReplaceAll(join(docs), "\n", "\r\n"), 0, 0},
		{"two documents swapped", edit(func(d []string) []string { d[5], d[7] = d[7], d[5]; return d }), 6, 2},
		{"two documents of other lengths swapped", edit(func(d []string) []string { d[1], d[7] = d[7], d[1]; return d }), 1, 7},
		{"a document moved up", edit(func(d []string) []string { return slices.Insert(slices.Delete(d, 5, 6), 2, d[5]) }), 2, 6},
		{"a blank line added", edit(func(d []string) []string { d[3] += "\n"; return d }), 3, 4},
		{"a comment added to the header", "# another header\n" + join(docs), 0, 7},
		{"a document written twice", edit(func(d []string) []string { return append(d, d[5]) }), 8, 1},
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
			for _, expect := range []bool{false, true} {
				cache := NewCache()
				if expect {
					// The head listed before the base is read: the
					// base's version is compared without a second read
					// when the sizes tell the change.
					files, err := (&Loader{}).List([]string{head})
					if err != nil {
						t.Fatal(err)
					}
					cache.Expect(files)
				}
				first, err := (&Loader{Cache: cache}).LoadPaths([]string{base})
				if err != nil {
					t.Fatal(err)
				}
				got, err := (&Loader{Cache: cache}).LoadPaths([]string{head})
				if err != nil {
					t.Fatal(err)
				}
				rereads := 1
				if expect && len(tc.head) != len(join(docs)) {
					rereads = 0
				}
				if cache.rereads != rereads {
					t.Errorf("expecting the head: %v; the base's file read %d more times, want %d", expect, cache.rereads, rereads)
				}
				checkAgainst(t, cache, first, got, head, tc.reused, tc.moved)
			}
		})
	}
}

// checkAgainst checks that got, the load of head through cache after
// first, is what loading head alone gives, and that the cache reused and
// moved so many of first's documents.
func checkAgainst(t *testing.T, cache *Cache, first, got *Set, head string, reused, moved int) {
	t.Helper()
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
	if cache.reused != reused || shared != reused || cache.moved != moved {
		t.Errorf("%d documents reused, %d shared with the base and %d moved; want %d, %d and %d", cache.reused, shared, cache.moved, reused, reused, moved)
	}
}

// A moved document has every position of the one it copies, the same
// number of lines further down, and the one it copies keeps its own:
// every Pos a Person can hold, found by walking its type, so that a field
// added to Person later is moved too or this fails.
func TestMovedDocumentMovesEveryPosition(t *testing.T) {
	const line, delta = 10, 7
	p := &Person{Name: "ann"}
	fill(t, reflect.ValueOf(p).Elem(), line)
	d := &Document{Kind: KindPerson, Name: "ann", Source: Source{File: "a.yaml", Rel: "a.yaml", Doc: 1, Start: Pos{Line: line, Column: 1}}, NamePos: Pos{Line: line, Column: 3}, Person: p}
	p.Source = &d.Source
	m := d.moved("b/a.yaml", "a.yaml", 4, delta)
	if m.Source != (Source{File: "b/a.yaml", Rel: "a.yaml", Doc: 4, Start: Pos{Line: line + delta, Column: 1}}) || m.NamePos != (Pos{Line: line + delta, Column: 3}) {
		t.Errorf("moved document at %+v, name at %+v", m.Source, m.NamePos)
	}
	if m.Person.Source != &m.Source {
		t.Errorf("the moved person's Source is not its document's")
	}
	var found int
	walkPos(reflect.ValueOf(m.Person).Elem(), func(path string, at Pos) {
		found++
		if at != (Pos{Line: line + delta, Column: 5}) {
			t.Errorf("moved %s is %+v, want line %d", path, at, line+delta)
		}
	})
	walkPos(reflect.ValueOf(p).Elem(), func(path string, at Pos) {
		if at != (Pos{Line: line, Column: 5}) {
			t.Errorf("the original's %s is %+v: moving a copy changed it", path, at)
		}
	})
	if found < 20 {
		t.Fatalf("%d positions found in a filled Person: the walk misses some", found)
	}
	// The unknown position stays unknown.
	var zero Person
	zd := &Document{Kind: KindPerson, Person: &zero}
	zero.Source = &zd.Source
	walkPos(reflect.ValueOf(zd.moved("a.yaml", "a.yaml", 0, delta).Person).Elem(), func(path string, at Pos) {
		if at != (Pos{}) {
			t.Errorf("unknown %s moved to %+v", path, at)
		}
	})
}

var posType = reflect.TypeFor[Pos]()

// fill sets every Pos reachable from v (through pointers, slices of one
// element and structs, not through Source, which the Document holds) to
// line, column 5.
func fill(t *testing.T, v reflect.Value, line int32) {
	switch {
	case v.Type() == posType:
		v.Set(reflect.ValueOf(Pos{Line: line, Column: 5}))
	case v.Type() == reflect.TypeFor[*Source]():
	case v.Kind() == reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), line)
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), line)
		}
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), line)
		}
	}
}

// walkPos calls f with every Pos reachable from v as fill reaches them.
func walkPos(v reflect.Value, f func(path string, at Pos)) {
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch {
		case v.Type() == posType:
			f(path, v.Interface().(Pos))
		case v.Type() == reflect.TypeFor[*Source]():
		case v.Kind() == reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	}
	walk(v, "Person")
}

// The loads through a cache asked to keep strings intern into its first
// load's table of strings, kept until Release: the head's new document
// names its coach with the base's copy of the name, and Release drops the
// table. A cache not asked keeps nothing.
func TestCacheKeepsTheFirstLoadsStringsUntilRelease(t *testing.T) {
	base, head := t.TempDir(), t.TempDir()
	write := func(dir, data string) {
		if err := os.WriteFile(filepath.Join(dir, "people.yaml"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(base, personDoc("ann", "coach-of-everyone"))
	write(head, personDoc("ann", "coach-of-everyone")+"---\n"+personDoc("bob", "coach-of-everyone"))
	cache := NewCache()
	cache.KeepStrings()
	b, err := (&Loader{Cache: cache}).LoadPaths([]string{base})
	if err != nil {
		t.Fatal(err)
	}
	if loadStrings.shards.Load() == nil {
		t.Fatal("the table of strings went away with the first load")
	}
	h, err := (&Loader{Cache: cache}).LoadPaths([]string{head})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Documents) != 2 || h.Documents[1].Person == nil || cache.reused != 1 {
		t.Fatalf("head: %d documents, %d reused; want bob decoded after ann reused", len(h.Documents), cache.reused)
	}
	if a, c := b.Documents[0].Person.Coach, h.Documents[1].Person.Coach; unsafe.StringData(a) != unsafe.StringData(c) {
		t.Error("the head interned the coach's name apart from the base's")
	}
	cache.Release()
	if loadStrings.shards.Load() != nil {
		t.Error("the table of strings outlived Release")
	}
	if _, err := (&Loader{Cache: NewCache()}).LoadPaths([]string{base}); err != nil {
		t.Fatal(err)
	}
	if loadStrings.shards.Load() != nil {
		t.Error("a cache not asked to keep strings kept them")
	}
}
