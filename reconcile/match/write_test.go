package match

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/reconcile"

	"github.com/orgctl/orgctl/schema"
)

// peopleFile is one file of n Person documents in block style, every
// other one with a coach to replace and a comment to keep, and the
// suggestions that give each of them a coach.
func peopleFile(n int) ([]byte, []SuggestionEdit) {
	var b bytes.Buffer
	edits := make([]SuggestionEdit, 0, n)
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: p%d\nspec:\n  displayName: P %d\n  team: eng\n  level: mid\n", i, i)
		if i%2 == 1 {
			b.WriteString("  coach: boss  # was the manager\n")
		}
		edits = append(edits, SuggestionEdit{Doc: i, Suggestion: Suggestion{Person: fmt.Sprintf("p%d", i), Role: RoleCoach, Candidate: fmt.Sprintf("c%d", i%97), Entry: -1}})
	}
	return b.Bytes(), edits
}

// TestEditForSuggestionsWritesEveryEditOfAFile: edits to one file made at
// once give the same bytes as made one at a time; 2,000 of them load back
// clean with every comment kept; and a document that is not the person's
// stops the whole file, naming them.
func TestEditForSuggestionsWritesEveryEditOfAFile(t *testing.T) {
	small, smallEdits := peopleFile(100)
	at, err := EditForSuggestions(small, smallEdits)
	if err != nil {
		t.Fatal(err)
	}
	one := small
	for _, e := range smallEdits {
		if one, err = EditForSuggestion(one, e.Doc, e.Suggestion); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(at, one) {
		t.Errorf("edits at once differ from edits one by one")
	}
	data, edits := peopleFile(2000)
	got, err := EditForSuggestions(data, edits)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "\n  coach: c"); n != 2000 {
		t.Errorf("%d coach lines, want 2000", n)
	}
	if n := strings.Count(string(got), "# was the manager"); n != 1000 {
		t.Errorf("%d comments kept, want 1000", n)
	}
	set, err := (&schema.Loader{}).LoadFS(fstest.MapFS{"people.yaml": {Data: got}}, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Problems) != 0 || len(set.Documents) != 2000 {
		t.Errorf("the edited file loads with %d problems and %d documents", len(set.Problems), len(set.Documents))
	}
	edits[7].Doc = 8
	_, err = EditForSuggestions(data, edits)
	if err == nil || !strings.Contains(err.Error(), "document 9 of the file is not p7's") {
		t.Errorf("a document that is not the person's: err = %v", err)
	}
}

// BenchmarkEditForSuggestions writes 20,000 coaches into one file of
// 20,000 people, as `suggest --write` does for an org imported into a
// single file: one parse, one pass, one check. Run with
//
//	go test ./reconcile -run '^$' -bench EditForSuggestions -benchtime 3x
func BenchmarkEditForSuggestions(b *testing.B) {
	data, edits := peopleFile(20_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := EditForSuggestions(data, edits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// TestWriteChecksBeforeWriting writes a suggestion that would add an error
// (ann's manager as her coach): nothing is written and the error is named.
// Then the matcher's own suggestion is written and ann's file gets exactly
// the line it needs.
func TestWriteChecksBeforeWriting(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"org.yaml": strings.Join(withPolicy("  roots: [boss]",
			team("web", "parent: eng, manager: lead"),
			person("lead", "team: eng, level: staff, coach: ext"),
			person("sam", "team: eng, level: senior, coach: ext")), "---\n"),
		"ann.yaml": "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: ann\nspec:\n  displayName: Ann  # keep me\n  team: web\n  level: senior\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := (&schema.Loader{}).LoadPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Build(set)
	opts := reconcile.Options{Today: today}
	res := o.Check(set, opts)
	annFile := filepath.Join(dir, "ann.yaml")

	bad := Suggestion{Person: "ann", Role: RoleCoach, Candidate: "lead", Entry: -1}
	if _, err := Write(set, res, o, []Suggestion{bad}, opts); err == nil || !strings.Contains(err.Error(), "nothing written: the edits would introduce errors") || !strings.Contains(err.Error(), "coach-is-manager") {
		t.Fatalf("writing ann's manager as her coach: %v, want a refusal naming coach-is-manager", err)
	}
	if got, _ := os.ReadFile(annFile); string(got) != files["ann.yaml"] {
		t.Fatalf("a refused write changed ann.yaml:\n%s", got)
	}

	out, err := Suggest(o, res, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Suggestions) != 1 || out.Suggestions[0].Candidate != "sam" {
		t.Fatalf("suggestions %+v, want ann→sam", out.Suggestions)
	}
	gc := debug.SetGCPercent(100)
	debug.SetGCPercent(gc)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(limit); debug.SetGCPercent(gc) })
	written, err := Write(set, res, o, out.Suggestions, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The write reads ann.yaml again and decodes it with the loaded org
	// alive: the heap limit grows by that file's share (on the loaded
	// org's limit alone a 20,000-person file took 15 CPU s instead of 4,
	// the collector running back to back).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		if got, min := debug.SetMemoryLimit(-1), int64(SuggestPerByte*float64(len(files["ann.yaml"]))); got == limit || got < min {
			t.Errorf("memory limit after the write: %d (before: %d), want at least %d: the edited file's bytes budgeted", got, limit, min)
		}
	}
	if len(written) != 1 || written[0].File != filepath.ToSlash(annFile) && written[0].File != annFile || written[0].Edits != 1 || written[0].Role != RoleCoach {
		t.Fatalf("written %+v, want ann.yaml with 1 coach", written)
	}
	want := files["ann.yaml"] + "  coach: sam\n"
	if got, _ := os.ReadFile(annFile); string(got) != want {
		t.Fatalf("ann.yaml after writing:\n%s\nwant:\n%s", got, want)
	}
}

// TestEditWritesDatesAndHistory: with a Since date, a suggestion writes the
// pairing's start and moves the pairing it replaces into pastPairings
// (from its old start, if known, until the new start); without one it
// writes the pair alone, as before dates existed. Two suggestions for one
// document (mentors in two domains) both land.
func TestEditWritesDatesAndHistory(t *testing.T) {
	const head = "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: ann\nspec:\n  displayName: Ann\n"
	coach := func(s Suggestion) Suggestion {
		s.Person, s.Role, s.Entry = "ann", RoleCoach, -1
		return s
	}
	mentor := func(s Suggestion) Suggestion {
		s.Person, s.Role = "ann", RoleMentor
		return s
	}
	for _, tc := range []struct {
		name string
		in   string
		sugs []Suggestion
		want string
	}{
		{"a new coach without a date", head,
			[]Suggestion{coach(Suggestion{Candidate: "sam"})},
			head + "  coach: sam\n"},
		{"a new coach with a date", head,
			[]Suggestion{coach(Suggestion{Candidate: "sam", Since: "2026-12-04"})},
			head + "  coach: sam\n  coachSince: \"2026-12-04\"\n"},
		{"a replaced coach goes to the history with its dates", head + "  coach: boss # the manager\n  coachSince: 2024-01-02\n",
			[]Suggestion{coach(Suggestion{Candidate: "sam", Replaces: "boss", ReplacedSince: "2024-01-02", Since: "2026-12-04"})},
			head + "  coach: sam # the manager\n  coachSince: \"2026-12-04\"\n  pastPairings:\n    - role: coach\n      person: boss\n      from: \"2024-01-02\"\n      until: \"2026-12-04\"\n"},
		{"the history list grows, flow style stays flow style",
			"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: ann}\nspec: {displayName: Ann, coach: boss, pastPairings: [{role: coach, person: erin, until: 2023-05-01}]}\n",
			[]Suggestion{coach(Suggestion{Candidate: "sam", Replaces: "boss", Since: "2026-12-04"})},
			"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: ann}\nspec: {displayName: Ann, coach: sam, pastPairings: [{role: coach, person: erin, until: 2023-05-01}, {role: coach, person: boss, until: \"2026-12-04\"}], coachSince: \"2026-12-04\"}\n"},
		{"a self-reference is no pairing to remember", head + "  coach: ann\n",
			[]Suggestion{coach(Suggestion{Candidate: "sam", Replaces: "ann", Since: "2026-12-04"})},
			head + "  coach: sam\n  coachSince: \"2026-12-04\"\n"},
		{"a departed mentor is replaced in its entry and remembered with its domain",
			head + "  mentors:\n    - person: gone\n      domain: go\n      since: 2025-01-01\n",
			[]Suggestion{mentor(Suggestion{Candidate: "sam", Domain: "go", Entry: 0, Replaces: "gone", ReplacedSince: "2025-01-01", Since: "2026-12-04"})},
			head + "  mentors:\n    - person: sam\n      domain: go\n      since: \"2026-12-04\"\n  pastPairings:\n    - role: mentor\n      person: gone\n      domain: go\n      from: \"2025-01-01\"\n      until: \"2026-12-04\"\n"},
		{"mentors in two domains for one person", head,
			[]Suggestion{mentor(Suggestion{Candidate: "sam", Domain: "go", Entry: -1, Since: "2026-12-04"}), mentor(Suggestion{Candidate: "bob", Domain: "sql", Entry: -1, Since: "2026-12-04"})},
			head + "  mentors:\n    - person: sam\n      domain: go\n      since: \"2026-12-04\"\n    - person: bob\n      domain: sql\n      since: \"2026-12-04\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var edits []SuggestionEdit
			for _, s := range tc.sugs {
				edits = append(edits, SuggestionEdit{Doc: 0, Suggestion: s})
			}
			got, err := EditForSuggestions([]byte(tc.in), edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
