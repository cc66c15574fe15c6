package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

const alice = `apiVersion: orgctl.dev/v1
kind: Person
metadata:
  name: alice
spec:
  displayName: Alice
  team: platform
  level: senior
  coach: carol
`

// problems renders a set's problems as "file:line:col rule message".
func problems(s *Set) []string {
	var out []string
	for _, p := range s.Problems {
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s", p.File, p.Pos.Line, p.Pos.Column, p.Rule, p.Message))
	}
	return out
}

func loadMap(t *testing.T, files map[string]string) *Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	set, err := (&Loader{Precheck: PrecheckAudit}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestDecodeValidPerson(t *testing.T) {
	set := loadMap(t, map[string]string{"people.yaml": alice})
	if len(set.Problems) != 0 {
		t.Fatalf("unexpected problems: %v", problems(set))
	}
	if len(set.Documents) != 1 || set.Documents[0].Person == nil {
		t.Fatalf("want one Person, got %+v", set.Documents)
	}
	p := set.Documents[0].Person
	if p.Name != "alice" || p.Team != "platform" || p.Level != "senior" || p.Coach != "carol" || p.Status != StatusActive {
		t.Errorf("decoded %+v", p)
	}
	if p.CoachPos != (Pos{9, 10}) || p.NamePos != (Pos{4, 9}) {
		t.Errorf("positions: coach %v name %v", p.CoachPos, p.NamePos)
	}
}

func TestBadInput(t *testing.T) {
	bomb := "apiVersion: orgctl.dev/v1\nkind: Person\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	tests := []struct {
		name, data string
		want       string // substring of the one problem: "line:col rule message"
	}{
		{"invalid YAML", "a: 1\nb: [c\nd: e\n", "2:0 parse invalid YAML: did not find expected ',' or ']'"},
		{"invalid YAML, scanner", "a: 1\nb: c: d\n", "2:0 parse invalid YAML: mapping values are not allowed in this context"},
		{"unknown anchor", "a: 1\nb: *nope\n", "2:0 parse invalid YAML: unknown anchor 'nope' referenced"},
		{"typo of a required field is one error", strings.Replace(alice, "level:", "levle:", 1), `8:3 schema unknown field "levle" in spec (did you mean "level"?)`},
		{"tab indentation", "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n\tname: x\n", "4:1 parse tab character in indentation"},
		{"duplicate key", strings.Replace(alice, "  coach: carol\n", "  coach: carol\n  coach: dave\n", 1), `10:3 parse duplicate key "coach" (first at line 9)`},
		{"not UTF-8", "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: \xff}\n", "3:18 parse the file is not valid UTF-8"},
		{"a list document", "- a\n- b\n", "1:1 parse the document is a list, not a mapping"},
		{"a scalar document", "hello\n", "1:1 parse the document is a scalar"},
		{"alias bomb", bomb, "parse aliases and merge keys (<<) expand to more than"},
		{"missing apiVersion", strings.Replace(alice, "apiVersion: orgctl.dev/v1\n", "", 1), "schema missing required field apiVersion"},
		{"missing kind", strings.Replace(alice, "kind: Person\n", "", 1), "schema missing required field kind"},
		{"unknown kind", strings.Replace(alice, "kind: Person", "kind: Persn", 1), `2:7 schema kind "Persn" is not allowed (did you mean "Person"?)`},
		{"unknown field", strings.Replace(alice, "coach:", "coahc:", 1), `9:3 schema unknown field "coahc" in spec (did you mean "coach"?)`},
		{"wrong type", strings.Replace(alice, "level: senior", "level: [senior]", 1), "8:10 schema spec.level must be a string, not a list"},
		{"bad name", strings.Replace(alice, "name: alice", "name: Alice_S", 1), `4:9 schema metadata.name "Alice_S" is not a valid name`},
		{"mentor without domain", alice + "  mentors:\n    - person: dave\n", "11:7 schema missing required field spec.mentors[0].domain"},
		{"team required unless external", strings.Replace(alice, "  team: platform\n", "", 1), "schema missing required field spec.team (or set spec.external: true"},
		{"bad GitHub login", alice + "  github: -bad-\n", `schema spec.github "-bad-" is not a valid GitHub login`},
		{"negative max", "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  rules:\n    coach-capacity: {max: -1}\n", "6:27 schema spec.rules.coach-capacity.max: must be greater than or equal to 0"},
		{"fractional max", "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  rules:\n    span-of-control: {max: 2.5}\n", "spec.rules.span-of-control.max must be an integer, not a number"},
		{"our group, another version", strings.Replace(alice, "orgctl.dev/v1", "orgctl.dev/v1beta1", 1), `1:13 schema apiVersion "orgctl.dev/v1beta1" is not one orgctl reads (did you mean "orgctl.dev/v1"?)`},
		{"misspelt group", strings.Replace(alice, "orgctl.dev/v1", "orgtcl.dev/v1", 1), `1:13 schema apiVersion "orgtcl.dev/v1" is not one orgctl reads (did you mean "orgctl.dev/v1"?)`},
		{"our kind in another group", strings.Replace(alice, "orgctl.dev/v1", "example.com/v1", 1), `1:13 schema kind Person with apiVersion "example.com/v1" is not an orgctl document (did you mean apiVersion "orgctl.dev/v1"?)`},
		{"unknown rule in exemption", "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  exemptions: [{rule: coach-is-manger, person: a}]\n", `(did you mean "coach-is-manager"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := loadMap(t, map[string]string{"f.yaml": tt.data})
			got := problems(set)
			if len(got) != 1 || !strings.Contains(got[0], tt.want) {
				t.Fatalf("want one problem containing %q, got %q", tt.want, got)
			}
			for _, d := range set.Documents {
				if d.Valid() {
					t.Errorf("document %s is valid despite the problem", d.Name)
				}
			}
		})
	}
}

func TestOneBrokenDocumentDoesNotHideTheOthers(t *testing.T) {
	data := alice + "---\nkind: [\n---\n" + strings.Replace(alice, "alice", "bob", 1)
	set := loadMap(t, map[string]string{"f.yaml": data})
	if got := problems(set); len(got) != 1 || !strings.HasPrefix(got[0], "f.yaml:11:") {
		t.Errorf("want one parse problem on line 11, got %q", got)
	}
	var names []string
	for _, d := range set.Documents {
		if d.Valid() {
			names = append(names, d.Name)
		}
	}
	if strings.Join(names, ",") != "alice,bob" {
		t.Errorf("valid documents: %v", names)
	}
	// Lines keep counting across documents.
	if p := set.Documents[1].Person; p.NamePos.Line != 16 {
		t.Errorf("bob's name is at line %d, want 16", p.NamePos.Line)
	}
}

func TestBrokenDocumentsKeepTheirNames(t *testing.T) {
	set := loadMap(t, map[string]string{"f.yaml": strings.Replace(alice, "coach:", "coahc:", 1)})
	if len(set.Documents) != 1 || set.Documents[0].Name != "alice" || set.Documents[0].Valid() {
		t.Errorf("want invalid alice, got %+v", set.Documents)
	}
}

func TestEmptyDocumentsAreSkipped(t *testing.T) {
	set := loadMap(t, map[string]string{"f.yaml": "# just a comment\n---\n---\n" + alice + "---\n...\n", "empty.yaml": ""})
	if len(set.Problems) != 0 || len(set.Documents) != 1 {
		t.Errorf("problems %q, %d documents", problems(set), len(set.Documents))
	}
}

func TestOtherAPIGroupsAreSkipped(t *testing.T) {
	set := loadMap(t, map[string]string{"f.yaml": "apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: ConfigMap\n"})
	if len(set.Problems) != 0 || len(set.Documents) != 0 || len(set.Skipped) != 2 {
		t.Errorf("problems %q, docs %d, skipped %d", problems(set), len(set.Documents), len(set.Skipped))
	}
}

func TestMisversionedDocumentsKeepTheirNames(t *testing.T) {
	set := loadMap(t, map[string]string{"f.yaml": strings.Replace(alice, "orgctl.dev/v1", "orgctl.dev/v2", 1)})
	if len(set.Documents) != 1 || set.Documents[0].Name != "alice" || set.Documents[0].Kind != KindPerson || set.Documents[0].Valid() {
		t.Errorf("want invalid Person alice, got %+v", set.Documents)
	}
}

func TestCloseAPIVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"orgctl.dev/v1beta1": true, "orgctl.dev/v2": true, "Orgctl.dev/v1": true, "orgtcl.dev/v1": true,
		"orgctl.io/v1": true, "orgctl.dev": true, "orgctl.dv/v1": true,
		"apps/v1": false, "v1": false, "networking.k8s.io/v1": false, "argoproj.io/v1alpha1": false,
		"kyverno.io/v1": false, "org.dev/v1": false, "batch/v1": false,
	} {
		if got := closeAPIVersion(v); got != want {
			t.Errorf("closeAPIVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestBOMAndCRLF(t *testing.T) {
	data := "\xEF\xBB\xBF" + strings.ReplaceAll(alice, "\n", "\r\n")
	set := loadMap(t, map[string]string{"f.yaml": data})
	if len(set.Problems) != 0 || set.Documents[0].Person == nil || set.Documents[0].Person.Coach != "carol" {
		t.Errorf("problems %q", problems(set))
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	data := strings.Replace(alice, "spec:\n", "spec:\n  <<: &defaults {team: platform, level: senior}\n", 1)
	data = strings.Replace(data, "  team: platform\n  level: senior\n", "  expertise: &ex [go, k8s]\n", 1)
	set := loadMap(t, map[string]string{"f.yaml": data})
	if len(set.Problems) != 0 {
		t.Fatalf("problems %q", problems(set))
	}
	p := set.Documents[0].Person
	if p.Team != "platform" || p.Level != "senior" || len(p.Expertise) != 2 {
		t.Errorf("decoded %+v", p)
	}
}

func TestTimestampsStayStrings(t *testing.T) {
	data := "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  exemptions: [{rule: missing-coach, person: a, expires: 2027-03-31}]\n"
	set := loadMap(t, map[string]string{"f.yaml": data})
	if len(set.Problems) != 0 || set.Documents[0].Policy.Exemptions[0].Expires != "2027-03-31" {
		t.Errorf("problems %q, %+v", problems(set), set.Documents[0].Policy)
	}
}

func TestLoadPathsWalksDirectories(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("people/a.yaml", alice)
	write("people/b.YML", strings.Replace(alice, "alice", "bob", 1))
	write("people/notes.txt", "not yaml")
	write(".hidden/c.yaml", "broken: [")
	write("big.yaml", alice+strings.Repeat("# padding\n", 200))
	secret := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(secret, []byte("password: hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "people", "escape.yaml")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "people", "a.yaml"), filepath.Join(dir, "inside.yaml")); err != nil {
		t.Fatal(err)
	}

	set, err := (&Loader{Precheck: PrecheckAudit, MaxFileSize: 1024}).LoadPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems(set), "\n")
	for _, want := range []string{"big.yaml:1:0 parse file is", "over the 1.0 KiB limit", "people/escape.yaml:1:0 parse symlink points outside"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, secret) || strings.Contains(got, "hunter2") || strings.Contains(got, "c.yaml") {
		t.Errorf("problems leak the symlink target or read a hidden directory:\n%s", got)
	}
	var names []string
	for _, d := range set.Documents {
		names = append(names, d.Name)
	}
	// big.yaml is not decoded but its name is recovered (invalid);
	// inside.yaml links to a file inside the root and is read (alice again:
	// duplicate-name is the rules' business, not the loader's).
	if strings.Join(names, ",") != "alice,alice,alice,bob" || set.Documents[0].Valid() {
		t.Errorf("documents %v", names)
	}
	if set.Files != 5 {
		t.Errorf("files = %d, want 5", set.Files)
	}
}

func TestLoadPathsMissingPath(t *testing.T) {
	_, err := (&Loader{Precheck: PrecheckAudit}).LoadPaths([]string{filepath.Join(t.TempDir(), "nope")})
	var pe *PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("want a PathError for a missing path, got %v", err)
	}
}

func TestLoadPathsIsDeterministic(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 50 {
		fsys[fmt.Sprintf("p%02d.yaml", i)] = &fstest.MapFile{Data: []byte(strings.Replace(alice, "alice", fmt.Sprintf("p%02d", i), 1))}
	}
	first := ""
	for range 5 {
		set, err := (&Loader{Precheck: PrecheckAudit, Workers: 8}).LoadFS(fsys, ".", "")
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, d := range set.Documents {
			b.WriteString(d.Name + " ")
		}
		if first == "" {
			first = b.String()
		} else if b.String() != first {
			t.Fatalf("order changed between runs:\n%s\n%s", first, b.String())
		}
	}
	if !strings.HasPrefix(first, "p00 p01 p02") {
		t.Errorf("not in path order: %s", first)
	}
}

func TestSuggest(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"coahc", "coach"}, {"mentor", "mentors"}, {"DisplayName", "displayName"}, {"zzzzzz", ""}, {"tem", "team"},
	} {
		if got := Suggest(tt.in, propertiesAt("Person", []string{"spec"})); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzDecodeFile feeds arbitrary bytes to the decoder: it must never panic
// or hang, every problem must carry a line, and the schema precheck (run in
// audit mode) must agree with gojsonschema on every document.
func FuzzDecodeFile(f *testing.F) {
	f.Add([]byte(alice))
	f.Add([]byte(alice + "---\n- a\n---\nkind: [\n"))
	f.Add([]byte("a: &a [x]\nb: [*a, *a]\n<<: *a\n"))
	f.Add([]byte("\xEF\xBB\xBFa: \t b\n"))
	f.Add([]byte("---\n---\n" + alice + "--- # c\n\n---\n~\n---\n" + strings.ReplaceAll(alice, "\n", "\r\n") + "...\n"))
	f.Add([]byte("# c\n---\nx: 1\nx: 2\n--- []\n---\n\"s\"\n"))
	f.Add([]byte("0\n---\n ...\n")) // an indented "..." is a scalar, not a document end
	f.Add([]byte(" "))              // no document: the fast path sized its slice for one
	// Hostile and careless input (issue 14): merge-key bombs, many tiny
	// documents, misspelt apiVersions, names in documents that fail.
	f.Add([]byte(mergeBomb(24)))
	f.Add([]byte("a: &a {}\nb: &b {<<: [*a, *a]}\nc: {<<: [*b, *b], <<: *a}\n"))
	f.Add([]byte(strings.Repeat("--- {}\n", 300)))
	f.Add([]byte(strings.Repeat("---\napiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\n", 50)))
	f.Add([]byte(strings.Replace(alice, "orgctl.dev/v1", "orgctl.dev/v1beta1", 1) + "---\n" + strings.Replace(alice, "orgctl.dev", "orgtcl.dev", 1)))
	f.Add([]byte(alice + "---\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: bob\nspec: [\n"))
	f.Add([]byte("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t, labels: {a: b}}\nspec: \xff\n"))
	f.Add([]byte(strings.Replace(alice, "  coach: carol\n", "  email: \"bad address@\"\n", 1)))
	f.Add([]byte("site_name: People\nnav: [index.md]\n---\nreplicaCount: 1\n---\napiVersion: apps/v1\nkind: Policy\nmetadata: {name: p}\n"))
	f.Add([]byte("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: t}\nspec:\n" + strings.Repeat("  k: 1\n", 200) + strings.Repeat("  x: [a, b]\n", 50)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var res fileResult
		done := make(chan struct{})
		go func() { res = decodeFile(data, "f.yaml", "f.yaml", PrecheckAudit); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("decoding hangs on %q", data)
		}
		for _, p := range res.problems {
			if p.Pos.Line < 1 {
				t.Fatalf("problem without a line: %+v", p)
			}
			if p.File != "f.yaml" || (p.Rule != "parse" && p.Rule != "schema") {
				t.Fatalf("bad problem %+v", p)
			}
			if strings.Contains(p.Message, errPrecheckDisagrees.Error()) {
				t.Fatalf("%s on %q", p.Message, data)
			}
		}
		for _, d := range res.docs {
			if (d.Person != nil && (d.Team != nil || d.Policy != nil)) || (d.Team != nil && d.Policy != nil) {
				t.Fatalf("document with more than one value: %+v", d)
			}
		}
		// The one-decoder fast path must give exactly what decoding
		// document by document gives.
		clean := loneCRToLF(bytes.TrimPrefix(data, utf8BOM))
		if whole, ok := decodeWhole(nil, clean, "f.yaml", "f.yaml", PrecheckAudit); ok && utf8.Valid(data) {
			split := decodeSplit(nil, clean, "f.yaml", "f.yaml", PrecheckAudit)
			if !reflect.DeepEqual(whole, split) {
				t.Fatalf("fast path differs from the split path on %q:\nwhole %s\nsplit %s", data, dump(whole), dump(split))
			}
		}
	})
}

func dump(r fileResult) string {
	var b strings.Builder
	for _, p := range r.problems {
		fmt.Fprintf(&b, "problem %+v\n", p)
	}
	for _, d := range r.docs {
		fmt.Fprintf(&b, "doc %+v person=%+v team=%+v policy=%+v\n", *d, d.Person, d.Team, d.Policy)
	}
	for _, s := range r.skipped {
		fmt.Fprintf(&b, "skipped %+v\n", s)
	}
	return b.String()
}

// suggest skips candidates by length; it must still pick what comparing
// with every candidate picks.
func TestSuggestPruningMatchesBruteForce(t *testing.T) {
	brute := func(s string, candidates []string) string {
		best, bestD := "", 1<<30
		for _, c := range candidates {
			if strings.EqualFold(c, s) {
				return c
			}
			if d := levenshtein(strings.ToLower(s), strings.ToLower(c)); d < bestD {
				best, bestD = c, d
			}
		}
		if bestD <= max(2, len(s)/3) && bestD < len(s) {
			return best
		}
		return ""
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ascii := false
	word := func() string {
		// With letters equal but for case in other lengths of UTF-8
		// (the Kelvin sign is k's, the long s is s's); every other round
		// all ASCII, where Suggest also bounds by counting characters.
		alphabet := []rune("abcdeE-éß✓\u212Aks\u017F")
		if ascii {
			alphabet = []rune("abcdeEKks-")
		}
		b := make([]rune, 1+rng.IntN(9))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for round := range 6000 {
		ascii = round%2 == 1
		candidates := make([]string, rng.IntN(12))
		for i := range candidates {
			candidates[i] = word()
		}
		s := word()
		if got, want := suggest(s, candidates), brute(s, candidates); got != want {
			t.Fatalf("suggest(%q, %q) = %q, brute force says %q", s, candidates, got, want)
		}
		// One index answers many questions, as unknown-reference asks it;
		// in any order, it answers as the sorted list does.
		x := NewSuggester(candidates)
		shuffled := slices.Clone(candidates)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		anyOrder := NewSuggesterAnyOrder(shuffled)
		sorted := slices.Sorted(slices.Values(candidates))
		for range 5 {
			s := word()
			if got, want := x.Suggest(s), brute(s, candidates); got != want {
				t.Fatalf("NewSuggester(%q).Suggest(%q) = %q, brute force says %q", candidates, s, got, want)
			}
			if got, want := anyOrder.Suggest(s), brute(s, sorted); got != want {
				t.Fatalf("NewSuggesterAnyOrder(%q).Suggest(%q) = %q, brute force on the sorted list says %q", shuffled, s, got, want)
			}
		}
	}
}

func TestBoundedDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("abcé")
	word := func() string {
		b := make([]rune, rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 20000 {
		a, b, bound := word(), word(), 1+rng.IntN(5)
		d, got := levenshtein(a, b), boundedDistance(a, b, bound)
		if d < bound && got != d || d >= bound && got < bound {
			t.Fatalf("boundedDistance(%q, %q, %d) = %d; levenshtein = %d", a, b, bound, got, d)
		}
	}
}

func TestPersonalFieldsAreNeverQuoted(t *testing.T) {
	long := strings.Repeat("x", 250) + "@secret.example"
	for name, email := range map[string]string{
		"no at":    `"jane.secret at example.com"`,
		"two ats":  `"jane@secret@example.com"`,
		"too long": `"` + long + `"`,
		"a list":   `[jane@secret.example]`,
	} {
		t.Run(name, func(t *testing.T) {
			set := loadMap(t, map[string]string{"f.yaml": alice + "  email: " + email + "\n"})
			got := problems(set)
			if len(got) != 1 || !strings.Contains(got[0], "10:10 schema spec.email") {
				t.Fatalf("want one problem on spec.email, got %q", got)
			}
			if strings.Contains(got[0], "secret") {
				t.Errorf("the value leaks: %q", got[0])
			}
		})
	}
	if !personalAt(KindPerson, []string{"spec", "email"}) || personalAt(KindPerson, []string{"spec", "github"}) {
		t.Error("the schema marks spec.email, and only it, as personal")
	}
	// The marker must not switch the fast schema precheck off.
	if prechecks() == nil {
		t.Error("the precheck does not understand the schema")
	}
}

// A file named by several paths, relative and absolute, directly and
// through its directory, is read once.
func TestLoadPathsReadsAFileOnce(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.yaml", "b.yaml"} {
		doc := "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata:\n  name: " + strings.TrimSuffix(name, ".yaml") + "\nspec: {}\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	set, err := (&Loader{}).LoadPaths([]string{".", "a.yaml", dir, filepath.Join(dir, "b.yaml"), "./b.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range set.Documents {
		names = append(names, d.Name)
	}
	if set.Files != 2 || strings.Join(names, ",") != "a,b" {
		t.Errorf("%d files read, documents %v; want 2: a, b", set.Files, names)
	}
}
