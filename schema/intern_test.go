package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"go.yaml.in/yaml/v3"
)

// TestLoadedStringsOutliveTheBuffers loads one org, then another that
// reuses the same read buffers, parser nodes and interners, and checks
// that every string of the first is still what its files say: nothing
// decoded may point into memory that loading reuses.
func TestLoadedStringsOutliveTheBuffers(t *testing.T) {
	write := func(prefix string) string {
		dir := t.TempDir()
		for f := range 6 {
			var b strings.Builder
			for i := range 20 {
				fmt.Fprintf(&b, "---\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: %[1]s-%[2]d-%[3]d\n  labels: {office: %[1]s-office}\nspec:\n  displayName: %[1]s %[2]d %[3]d\n  github: %[1]s%[2]d%[3]d\n  email: %[1]s-%[2]d-%[3]d@example.com\n  team: %[1]s-team-%[2]d\n  level: senior\n  expertise: [%[1]s-go, %[1]s-sql]\n  coach: %[1]s-%[2]d-%[4]d\n  coachSince: \"2026-01-0%[5]d\"\n  mentors:\n    - {person: %[1]s-0-0, domain: %[1]s-go}\n",
					prefix, f, i, (i+1)%20, 1+i%9)
			}
			// The files must take the fast parser's path, whose nodes
			// point into the read buffer (hence the quoted date).
			if !fastParseEach([]byte(b.String()), func(*yaml.Node) bool { return true }) {
				t.Fatal("the test's files are outside the fast parser's subset")
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.yaml", f)), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	first, err := (&Loader{Workers: 2}).LoadPaths([]string{write("alpha")})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := (&Loader{Workers: 2}).LoadPaths([]string{write("omega")}); err != nil {
			t.Fatal(err)
		}
	}
	if len(first.Documents) != 120 || len(first.Problems) != 0 {
		t.Fatalf("%d documents, problems %v", len(first.Documents), first.Problems)
	}
	for _, d := range first.Documents {
		p := d.Person
		if p == nil {
			t.Fatalf("%s is not a valid person", d.Name)
		}
		var f, i, c int
		if _, err := fmt.Sscanf(p.Name, "alpha-%d-%d", &f, &i); err != nil {
			t.Fatalf("name %q: %v", p.Name, err)
		}
		fmt.Sscanf(p.Coach, "alpha-%d-%d", &f, &c)
		want := []string{fmt.Sprintf("alpha %d %d", f, i), fmt.Sprintf("alpha%d%d", f, i), fmt.Sprintf("alpha-%d-%d@example.com", f, i),
			fmt.Sprintf("alpha-team-%d", f), "senior", "alpha-go,alpha-sql", fmt.Sprintf("alpha-%d-%d", f, (i+1)%20), fmt.Sprintf("2026-01-0%d", 1+i%9),
			"alpha-0-0 alpha-go", "alpha-office", d.Name}
		got := []string{p.DisplayName, p.GitHub, p.Email, p.Team, p.Level, strings.Join(p.Expertise, ","), p.Coach, p.Lifecycle().CoachSince,
			p.Mentors[0].Person + " " + p.Mentors[0].Domain, p.Labels["office"], p.Name}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after later loads, %s reads\n%q, want\n%q", d.Name, got, want)
		}
	}
}

// TestInternerSharesListsAndCopiesStrings: the same expertise list is one
// slice, an empty one is empty (not nil, as the long way decodes it), and
// kept strings do not share memory with what they were read from.
func TestInternerSharesListsAndCopiesStrings(t *testing.T) {
	in := interners.Get().(*interner)
	defer interners.Put(in)
	seq := func(items ...string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, s := range items {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
		}
		return n
	}
	a, b, c := in.list(seq("go", "sql")), in.list(seq("go", "sql")), in.list(seq("sql", "go"))
	if &a[0] != &b[0] || fmt.Sprint(a) != "[go sql]" {
		t.Errorf("equal lists %q and %q are not one slice", a, b)
	}
	if &a[0] == &c[0] || fmt.Sprint(c) != "[sql go]" {
		t.Errorf("lists in another order share a slice: %q", c)
	}
	if e := in.list(seq()); e == nil || len(e) != 0 {
		t.Errorf("an empty list decodes to %#v, want an empty slice", e)
	}
	src := []byte("alice-the-coach")
	kept := in.keep(unsafe.String(&src[0], len(src)))
	shared := in.shared(unsafe.String(&src[0], len(src)))
	copy(src, "xxxxxxxxxxxxxxx")
	if kept != "alice-the-coach" || shared != "alice-the-coach" {
		t.Errorf("kept %q and shared %q changed with the bytes they were read from", kept, shared)
	}
}

// TestLoadStringsLastOnlyDuringLoads: the table of interned strings
// exists while a load is in progress and is dropped when the last ends.
func TestLoadStringsLastOnlyDuringLoads(t *testing.T) {
	var tab internTable
	if _, ok := tab.intern("x"); ok {
		t.Fatal("interned outside a load")
	}
	tab.begin(1 << 20)
	tab.begin(0)
	a, _ := tab.intern(strings.Repeat("ab", 4))
	b, _ := tab.intern(strings.Repeat("ab", 4))
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("one string interned twice")
	}
	tab.end()
	if _, ok := tab.intern("x"); !ok {
		t.Error("the table went away while a load was still in progress")
	}
	tab.end()
	if _, ok := tab.intern("x"); ok || tab.shards.Load() != nil {
		t.Error("the table outlived the loads")
	}
}

// TestLoadStringsOneCopyAcrossWorkers: workers interning the same strings
// at once (the loader's, with no table of their own) get one copy of each,
// whichever shard it falls in.
func TestLoadStringsOneCopyAcrossWorkers(t *testing.T) {
	var tab internTable
	tab.begin(1 << 20)
	defer tab.end()
	const n = 5000
	got := [2][n]string{}
	done := make(chan struct{})
	for w := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range n {
				// A fresh string each time, as a file's buffer gives.
				s := fmt.Sprintf("person-%d", i)
				got[w][i], _ = tab.intern(s)
			}
		}()
	}
	<-done
	<-done
	for i := range n {
		a, b := got[0][i], got[1][i]
		if a != fmt.Sprintf("person-%d", i) || unsafe.StringData(a) != unsafe.StringData(b) {
			t.Fatalf("person-%d interned as %q and %q, two copies", i, a, b)
		}
	}
}

// TestPersonReferencesCopiedInLargeLoads: a coach's name is interned (one
// copy for every document that names it) while the loads in progress are
// small, copied once they are large (internLarge), and read the same
// either way; the table says large only while such a load is in progress.
func TestPersonReferencesCopiedInLargeLoads(t *testing.T) {
	in := newInterner()
	src := []byte("carol-the-coach")
	name := func() string { return in.person(unsafe.String(&src[0], len(src))) }
	for _, size := range []int64{internLarge - 1, internLarge} {
		large := size >= internLarge
		loadStrings.begin(size)
		a, b := name(), name()
		shared, _ := loadStrings.intern("carol-the-coach")
		if loadStrings.large.Load() != large {
			t.Errorf("%d bytes: large %v", size, !large)
		}
		loadStrings.end()
		if a != "carol-the-coach" || b != a {
			t.Fatalf("%d bytes: read %q and %q", size, a, b)
		}
		if same := unsafe.StringData(a) == unsafe.StringData(b); same == large {
			t.Errorf("%d bytes: two references share memory: %v", size, same)
		}
		if interned := unsafe.StringData(a) == unsafe.StringData(shared); interned == large {
			t.Errorf("%d bytes: the reference is the table's copy: %v", size, interned)
		}
		if unsafe.StringData(a) == &src[0] {
			t.Errorf("%d bytes: the reference points into what it was read from", size)
		}
	}
	if loadStrings.large.Load() {
		t.Error("large outlived the load")
	}
}
