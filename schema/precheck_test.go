package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xeipuuv/gojsonschema"
	"go.yaml.in/yaml/v3"
)

func TestPrecheckCompilesTheEmbeddedSchema(t *testing.T) {
	pc := prechecks()
	if pc == nil {
		// Say which keyword is missing.
		for _, kind := range []string{"", KindPerson, KindTeam, KindPolicy} {
			root, _ := kindRoot(kind)
			if _, err := compilePrecheck(root); err != nil {
				t.Fatalf("the precheck cannot compile the %q schema, so every document goes through gojsonschema alone: %v", kind, err)
			}
		}
		t.Fatal("prechecks() is nil")
	}
	for _, kind := range []string{"", KindPerson, KindTeam, KindPolicy} {
		if pc[kind] == nil {
			t.Errorf("no precheck for kind %q", kind)
		}
	}
	if _, err := compilePrecheck(map[string]any{"oneOf": []any{}}); err == nil {
		t.Error("an unknown keyword must disable the precheck")
	}
}

// exampleValues returns every document under examples/ and testdata/ as the
// converter builds it.
func exampleValues(t *testing.T) []any {
	t.Helper()
	var out []any
	for _, root := range []string{"../examples", "testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".txtar") {
				return nil
			}
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			for {
				var n yaml.Node
				if err := dec.Decode(&n); err != nil {
					break
				}
				if len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
					continue
				}
				c := &converter{}
				v, err := c.value(n.Content[0], 0)
				if err == nil {
					out = append(out, v)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d example documents found", len(out))
	}
	return out
}

// mutations returns v with one change at every place: each value replaced
// by values of every type and edge length, each key removed, an unknown key
// added to every mapping, the first item of every list repeated.
func mutations(v any) []any {
	replacements := []any{
		nil, true, false, json.Number("0"), json.Number("1"), json.Number("-3"), json.Number("1.5"), json.Number("2.0"),
		"", "x", "Person", "Team", "Policy", "orgctl.dev/v1", "active", "departed", "a-b", "-a", "A", "a b", "a@b", "a@b c",
		strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("é", 39), strings.Repeat("é", 40),
		"octo-cat", "octo--cat", "error", "off", "missing-coach", "team/x", "k8s.io/name",
		[]any{}, []any{"a"}, []any{"a", "a"}, []any{json.Number("1"), json.Number("1.0")},
		[]any{map[string]any{"person": "a", "domain": "go"}, map[string]any{"person": "a", "domain": "go"}},
		map[string]any{}, map[string]any{"a": "b"}, map[string]any{"person": "a", "domain": "go"},
		// Lifecycle fields: dates, past pairings (a mentor needs a domain),
		// doNotPair entries.
		"2026-03-01", "2026-13-01", "2026-02-30", "coach", "mentor",
		map[string]any{"role": "mentor", "person": "a", "until": "2026-01-01"},
		map[string]any{"role": "coach", "person": "a", "until": "2026-01-01"},
		[]any{map[string]any{"role": "mentor", "person": "a", "domain": "go", "until": "2026-01-01"}},
		map[string]any{"people": []any{"a", "b"}}, map[string]any{"willing": false, "capacity": json.Number("2")},
	}
	// Every place in the document, as a path of keys and indexes.
	var paths [][]any
	var collect func(cur any, path []any)
	collect = func(cur any, path []any) {
		paths = append(paths, path)
		switch x := cur.(type) {
		case map[string]any:
			for k, e := range x {
				collect(e, append(append([]any{}, path...), k))
			}
		case []any:
			for i, e := range x {
				collect(e, append(append([]any{}, path...), i))
			}
		}
	}
	collect(v, nil)
	sort.Slice(paths, func(i, j int) bool { return fmt.Sprint(paths[i]) < fmt.Sprint(paths[j]) })

	// edit copies v and applies f to the value at path (f returns the
	// new value, or remove to delete it from its mapping).
	edit := func(path []any, f func(any) any) any {
		doc := deepCopy(v)
		if len(path) == 0 {
			return f(doc)
		}
		cur := doc
		for _, step := range path[:len(path)-1] {
			switch s := step.(type) {
			case string:
				cur = cur.(map[string]any)[s]
			case int:
				cur = cur.([]any)[s]
			}
		}
		switch s := path[len(path)-1].(type) {
		case string:
			m := cur.(map[string]any)
			if n := f(m[s]); n == remove {
				delete(m, s)
			} else {
				m[s] = n
			}
		case int:
			cur.([]any)[s] = f(cur.([]any)[s])
		}
		return doc
	}
	var out []any
	for _, p := range paths {
		for _, r := range replacements {
			out = append(out, edit(p, func(any) any { return deepCopy(r) }))
		}
		if len(p) > 0 {
			if _, ok := p[len(p)-1].(string); ok {
				out = append(out, edit(p, func(any) any { return remove }))
			}
		}
		out = append(out, edit(p, func(cur any) any {
			switch x := cur.(type) {
			case map[string]any:
				x["unknownField"] = "x"
			case []any:
				if len(x) > 0 {
					return append(x, x[0])
				}
			}
			return cur
		}))
	}
	return out
}

// remove marks a key to delete in mutations.
var remove any = &struct{ remove bool }{}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// TestPrecheckAgreesWithGojsonschema is the safety net of the fast path: on
// every example document and thousands of one-change mutations of them,
// a pass is always valid for gojsonschema and a fail always invalid. It also
// checks the precheck is decisive (few unsure answers), or it would save
// nothing.
func TestPrecheckAgreesWithGojsonschema(t *testing.T) {
	schemas, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	pc := prechecks()
	var docs []any
	for _, v := range exampleValues(t) {
		docs = append(docs, v)
		docs = append(docs, mutations(v)...)
	}
	counts := map[verdict]int{}
	for i, v := range docs {
		kind, _ := stringAt(v, "kind")
		s, n := schemas[kind], pc[kind]
		if s == nil {
			s, n = schemas[""], pc[""]
		}
		for _, c := range []struct {
			s *gojsonschema.Schema
			n *pnode
		}{{s, n}, {schemas[""], pc[""]}} {
			got := c.n.check(v)
			res, err := c.s.Validate(gojsonschema.NewRawLoader(v))
			if err != nil {
				t.Fatal(err)
			}
			counts[got]++
			if got == pass && !res.Valid() || got == fail && res.Valid() {
				b, _ := json.Marshal(v)
				t.Fatalf("document %d: precheck says %v, gojsonschema valid=%v: %s\n%v", i, got, res.Valid(), b, res.Errors())
			}
		}
	}
	total := counts[pass] + counts[fail] + counts[unsure]
	t.Logf("%d checks: %d pass, %d fail, %d unsure", total, counts[pass], counts[fail], counts[unsure])
	if total < 5000 || counts[pass] < total/20 || counts[unsure] > total/10 {
		t.Errorf("precheck is not decisive enough: %v of %d", counts, total)
	}
}

// TestAuditReturnsDisagreement: a pass that gojsonschema rejects and a fail
// that it accepts are errors; every other pair is agreement.
func TestAuditReturnsDisagreement(t *testing.T) {
	for _, tt := range []struct {
		quick verdict
		valid bool
		bad   bool
	}{
		{pass, true, false}, {pass, false, true},
		{fail, false, false}, {fail, true, true},
		{unsure, true, false}, {unsure, false, false},
	} {
		err := audit(tt.quick, tt.valid, KindTeam)
		if got := errors.Is(err, errPrecheckDisagrees); got != tt.bad {
			t.Errorf("audit(%v, valid=%v) = %v, want a disagreement: %v", tt.quick, tt.valid, err, tt.bad)
		}
	}
}

// TestPrecheckModeReachesTheValidator loads one valid Team with a precheck
// broken on purpose (it fails every Team): in audit mode the loader
// reports the disagreement as a problem on the document; on (where a fail
// is only a hint and gojsonschema words the errors) and off load it clean.
func TestPrecheckModeReachesTheValidator(t *testing.T) {
	pc := prechecks()
	if pc == nil {
		t.Fatal("the precheck does not compile")
	}
	saved := pc[KindTeam]
	pc[KindTeam] = &pnode{types: []string{"null"}, minLen: -1, maxLen: -1}
	defer func() { pc[KindTeam] = saved }()
	team := fstest.MapFS{"team.yaml": {Data: []byte("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: core}\nspec: {displayName: Core}\n")}}
	for _, mode := range []PrecheckMode{PrecheckOn, PrecheckOff, PrecheckAudit} {
		set, err := (&Loader{Precheck: mode}).LoadFS(team, ".", "")
		if err != nil {
			t.Fatal(err)
		}
		got := problems(set)
		if mode != PrecheckAudit {
			if len(got) != 0 || len(set.Documents) != 1 || !set.Documents[0].Valid() {
				t.Errorf("%v: want the team loaded clean, got %q", mode, got)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0], errPrecheckDisagrees.Error()) || !strings.Contains(got[0], "team.yaml:1:1 schema") {
			t.Errorf("audit: want one schema problem naming the disagreement, got %q", got)
		}
	}
}

func TestParsePrecheckMode(t *testing.T) {
	for in, want := range map[string]PrecheckMode{"": PrecheckOn, "on": PrecheckOn, "off": PrecheckOff, "audit": PrecheckAudit} {
		got, err := ParsePrecheckMode(in)
		if err != nil || got != want {
			t.Errorf("ParsePrecheckMode(%q) = %v, %v; want %v", in, got, err, want)
		}
		if in != "" && got.String() != in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), in)
		}
	}
	if _, err := ParsePrecheckMode("Audit"); err == nil || !strings.Contains(err.Error(), "use on, off or audit") {
		t.Errorf("an unknown mode: err = %v", err)
	}
}

// TestEveryKeywordOfTheSchemaHasAHandler walks the embedded schema: each
// keyword it uses is in the keywords table, and dropping any handled
// keyword from the table makes compilation fail (so a keyword the precheck
// does not know can never be silently ignored).
func TestEveryKeywordOfTheSchemaHasAHandler(t *testing.T) {
	root, err := kindRoot("")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	var walk func(v any, inProps bool)
	walk = func(v any, inProps bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !inProps {
					used[k] = true
				}
				walk(e, !inProps && (k == "properties" || k == "definitions"))
			}
		case []any:
			for _, e := range x {
				walk(e, false)
			}
		}
	}
	walk(root, false)
	for k := range used {
		if _, ok := keywords[k]; !ok {
			t.Errorf("the schema uses %q, which the keywords table lacks", k)
		}
	}
	for _, k := range []string{"pattern", "enum", "allOf", "not"} {
		if !used[k] {
			continue
		}
		h := keywords[k]
		delete(keywords, k)
		_, err := compilePrecheck(root)
		keywords[k] = h
		if err == nil || !strings.Contains(err.Error(), strconv.Quote(k)) {
			t.Errorf("without a handler for %q: err = %v, want it named", k, err)
		}
	}
}
