package schema

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hangGuard is how long a hostile input may take before the test calls it
// a hang. It is not a benchmark: the machine running the tests may be
// busy, and a hang is minutes or forever.
const hangGuard = 30 * time.Second

// decodeGuarded decodes data on its own goroutine and fails the test when
// it does not finish within hangGuard. It logs the bytes allocated.
func decodeGuarded(t *testing.T, data []byte) fileResult {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	done := make(chan fileResult, 1)
	go func() { done <- decodeFile(data, "f.yaml", "f.yaml", PrecheckAudit) }()
	select {
	case res := <-done:
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%d bytes decoded in %v, %d MiB allocated", len(data), time.Since(start).Round(time.Millisecond), alloc>>20)
		// Linear in bytes: a generous multiple of the input, far below
		// the gigabytes these inputs once took.
		if limit := uint64(120*len(data) + 64<<20); alloc > limit {
			t.Errorf("allocated %d MiB for %d bytes (limit %d MiB)", alloc>>20, len(data), limit>>20)
		}
		return res
	case <-time.After(hangGuard):
		t.Fatalf("decoding %d bytes did not finish in %v", len(data), hangGuard)
	}
	return fileResult{}
}

// mergeBomb is a Person whose extra keys are merges (<<) of merges of
// empty mappings, each level twice the one below: 2^levels mappings to
// expand, in a few hundred bytes.
func mergeBomb(levels int) string {
	var b strings.Builder
	b.WriteString("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: bomb}\nm0: &m0 {}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "m%d: &m%d {<<: [*m%d, *m%d]}\n", i, i, i-1, i-1)
	}
	return b.String()
}

func TestHostileInputsAreBounded(t *testing.T) {
	var persons strings.Builder
	for i := range maxDocuments + 500 {
		fmt.Fprintf(&persons, "---\napiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t%d}\nspec: {displayName: T}\n", i)
	}
	var unknown strings.Builder
	unknown.WriteString("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\nspec:\n  displayName: T\n")
	for i := range 50000 {
		fmt.Fprintf(&unknown, "  k%d: 1\n", i)
	}
	tests := []struct {
		name, data string
		// want is a substring of one problem, at line (0: any line).
		want string
		line int32
	}{
		{"merge keys over empty mappings", mergeBomb(40), "merge keys (<<) expand to more than", 16},
		{"merge keys in a sequence of aliases", "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\na: &a {x: 1}\nb: &b {<<: [*a, *a, *a, *a, *a, *a, *a, *a]}\nc: &c {<<: [*b, *b, *b, *b, *b, *b, *b, *b]}\nd: &d {<<: [*c, *c, *c, *c, *c, *c, *c, *c]}\ne: &e {<<: [*d, *d, *d, *d, *d, *d, *d, *d]}\nf: &f {<<: [*e, *e, *e, *e, *e, *e, *e, *e]}\ng: {<<: [*f, *f, *f, *f, *f, *f, *f, *f]}\n", "expand to more than", 0},
		{"a million empty documents", strings.Repeat("--- {}\n", 1000000), "more than 20000 documents", maxDocuments + 1},
		{"too many orgctl documents", persons.String(), "more than 20000 documents", 5*maxDocuments + 2},
		{"one list of two million items", strings.Repeat("- a\n", 2000000), "more than 100000 lines and entries", 1},
		{"one flow list of four million items", "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\nspec: {displayName: T, x: [" + strings.Repeat("a,", 4000000) + "a]}\n", "more than 100000 lines and entries", 1},
		{"fifty thousand unknown fields", unknown.String(), "more problems in this file are not shown", 0},
		{"ninety thousand duplicate keys", "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\nspec:\n" + strings.Repeat("  k: 1\n", 90000), "more problems in this file are not shown", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && len(tt.data) > 1<<20 {
				t.Skip("large input")
			}
			res := decodeGuarded(t, []byte(tt.data))
			if len(res.problems) > maxProblems+2 {
				t.Errorf("%d problems, want at most %d per file", len(res.problems), maxProblems+2)
			}
			found := false
			for _, p := range res.problems {
				if strings.Contains(p.Message, tt.want) && (tt.line == 0 || p.Pos.Line == tt.line) && p.Pos.Line > 0 {
					found = true
				}
			}
			if !found {
				var got []string
				for i, p := range res.problems {
					if i == 3 {
						break
					}
					got = append(got, fmt.Sprintf("%d: %s", p.Pos.Line, p.Message))
				}
				t.Errorf("want a problem %q at line %d, got %q", tt.want, tt.line, got)
			}
		})
	}
}

func TestMergeBombIsOneFinding(t *testing.T) {
	res := decodeGuarded(t, []byte(mergeBomb(30)))
	if len(res.problems) != 1 || res.problems[0].Rule != "parse" {
		t.Fatalf("want one parse problem, got %+v", res.problems)
	}
	// Its name survives, so references to it do not cascade.
	if len(res.docs) != 1 || res.docs[0].Name != "bomb" || res.docs[0].Valid() {
		t.Errorf("want the invalid document bomb, got %+v", res.docs)
	}
}

func TestMergeKeysWithinBudgetStillWork(t *testing.T) {
	data := alice + "  <<: &x {github: al}\n"
	data = strings.Replace(data, "spec:\n", "spec:\n  <<: [{expertise: [go]}, {external: false}]\n", 1)
	res := decodeGuarded(t, []byte(data))
	if len(res.problems) != 0 || res.docs[0].Person == nil || len(res.docs[0].Person.Expertise) != 1 {
		t.Fatalf("problems %+v", res.problems)
	}
}

func TestProblemsPerFileAreCapped(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "---\n%s", strings.Replace(strings.Replace(alice, "alice", fmt.Sprintf("p%d", i), 1), "coach:", "coahc:", 1))
	}
	res := decodeGuarded(t, []byte(b.String()))
	if len(res.problems) != maxProblems+1 {
		t.Fatalf("want %d problems and one summary, got %d", maxProblems, len(res.problems))
	}
	last := res.problems[maxProblems]
	if !strings.HasPrefix(last.Message, "200 more problems in this file are not shown") {
		t.Errorf("summary problem: %q", last.Message)
	}
	if last.Pos.Line < res.problems[maxProblems-1].Pos.Line {
		t.Errorf("the summary (line %d) comes before the problems it follows", last.Pos.Line)
	}
	// Every document keeps its name, shown or not.
	if len(res.docs) != 300 || res.docs[299].Name != "p299" {
		t.Errorf("%d documents", len(res.docs))
	}
}

func TestDocumentsPastTheCapKeepTheirNames(t *testing.T) {
	var b strings.Builder
	for i := range maxDocuments + 3 {
		fmt.Fprintf(&b, "---\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: p%d\nspec: {displayName: P, external: true}\n", i)
	}
	res := decodeGuarded(t, []byte(b.String()))
	names := map[string]bool{}
	for _, d := range res.docs {
		names[d.Name] = true
		if d.Name == fmt.Sprint("p", maxDocuments+2) && (d.Valid() || d.Kind != KindPerson || d.NamePos.Line != 6*(maxDocuments+2)+5) {
			t.Errorf("recovered document %+v", d)
		}
	}
	if len(names) != maxDocuments+3 {
		t.Errorf("%d names, want %d", len(names), maxDocuments+3)
	}
}

// laughs is a "billion laughs" document of levels lists of ten aliases.
func laughs(levels int) string {
	var b strings.Builder
	b.WriteString("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: lol}\nl0: &l0 [lol]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	return b.String()
}

// TestExpansionsAreRememberedExactly: the converter's memo of expansions
// changes nothing but the work: on merge-key bombs and billion laughs of
// every size around the budget, and on anchors reused where they are
// valid, the loader's result is the same with and without it.
func TestExpansionsAreRememberedExactly(t *testing.T) {
	docs := []string{
		"apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t, labels: &l {a: b}}\nspec:\n  displayName: &n T\n  parent: x\nx: &x {p: [1, *n], q: {<<: *l}}\ny: [*x, *x, {<<: [*x, *l], r: 2}, *l]\n",
		"apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: &m {name: t}\nspec: {displayName: T}\n---\napiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {<<: *m}\nspec: {displayName: T}\n",
	}
	for levels := 1; levels <= 16; levels++ {
		docs = append(docs, mergeBomb(levels), laughs(levels%6))
	}
	// Lists of aliases whose expansion costs just under and just over
	// the budget: the memo must charge each repeat what it cost.
	for n := 1990; n <= 2010; n++ {
		docs = append(docs, "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\nx: &x {a: 1, b: 2, c: 3}\ny: ["+strings.TrimSuffix(strings.Repeat("*x, ", n), ", ")+"]\n")
	}
	for _, doc := range docs {
		rememberExpansions = false
		want := decodeFile([]byte(doc), "f.yaml", "f.yaml", PrecheckAudit)
		rememberExpansions = true
		got := decodeFile([]byte(doc), "f.yaml", "f.yaml", PrecheckAudit)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("with the memo:\n%s\nwithout:\n%s\non:\n%s", dump(got), dump(want), doc)
		}
	}
	// The memo is what makes a bomb cheap: the budget runs out after a
	// few dozen expansions, not ten thousand.
	bomb := []byte(mergeBomb(24))
	if allocs := testing.AllocsPerRun(5, func() { decodeFile(bomb, "f.yaml", "f.yaml", PrecheckOn) }); allocs > 2000 {
		t.Errorf("refusing a merge-key bomb takes %.0f allocations", allocs)
	}
}
