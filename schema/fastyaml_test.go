package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlDocs decodes data with yaml.v3, document by document.
func yamlDocs(data []byte) ([]*yaml.Node, error) {
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, &n)
	}
}

// fastDiff describes the first difference between two node trees in what
// the loader reads (comments aside), or returns "".
func fastDiff(path string, a, b *yaml.Node) string {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style ||
		a.Line != b.Line || a.Column != b.Column || a.Anchor != b.Anchor || (a.Alias == nil) != (b.Alias == nil) ||
		len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {kind %d tag %q value %q style %d at %d:%d, %d children}, yaml.v3 {kind %d tag %q value %q style %d at %d:%d, %d children}",
			path, a.Kind, a.Tag, a.Value, a.Style, a.Line, a.Column, len(a.Content), b.Kind, b.Tag, b.Value, b.Style, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := fastDiff(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// fastParse collects the documents fastParseEach hands out, each copied
// (the parser reuses its nodes from one document to the next).
func fastParse(data []byte) ([]*yaml.Node, bool) {
	var docs []*yaml.Node
	ok := fastParseEach(data, func(doc *yaml.Node) bool {
		docs = append(docs, copyTree(doc))
		return true
	})
	return docs, ok
}

// copyTree copies a node tree (the fast parser builds no aliases).
func copyTree(n *yaml.Node) *yaml.Node {
	c := *n
	c.Value = strings.Clone(n.Value)
	c.Content = nil
	for _, k := range n.Content {
		c.Content = append(c.Content, copyTree(k))
	}
	return &c
}

// checkFast fails when fastParse accepts data and builds anything else
// than yaml.v3's trees; it reports whether fastParse accepted it.
func checkFast(t *testing.T, data []byte) bool {
	t.Helper()
	fast, ok := fastParse(data)
	if !ok {
		return false
	}
	all, err := yamlDocs(data)
	if err != nil {
		t.Fatalf("fastParse accepted what yaml.v3 refuses (%v):\n%s", err, data)
	}
	// Empty documents, which the loader skips, are not handed out.
	want := slices.DeleteFunc(all, emptyDocument)
	if len(fast) != len(want) {
		t.Fatalf("fastParse found %d documents, yaml.v3 %d:\n%s", len(fast), len(want), data)
	}
	for i := range fast {
		if d := fastDiff(fmt.Sprintf("doc %d", i), fast[i], want[i]); d != "" {
			t.Fatalf("%s in\n%s", d, data)
		}
	}
	return true
}

// fastAccepted are inputs inside the subset: fastParse must take them
// (else the fast path silently stops applying) and build yaml.v3's trees.
var fastAccepted = []string{
	benchString(),
	"# a comment\n\n" + alice,
	"---\n" + alice + "---\n" + alice,
	"a: b # comment\nc:   'single'  # c\nd: \"dou ble\"\ne: [x, \"y\", 'z' ]\nf: {g: h, i: 'j'}\nk: []\nl: {}\n",
	"a:\n- x\n- y\nb:\n  - c: d\n    e: f\n  -   g: h\n  - plain words, with comma\n",
	"a:\n\n  # indented comment\n  b: c\n\n# end\n",
	"name: José Müller\nx: [ñandú, é]\ny: {z: ü}\n",
	"url: https://example.com/a\nmail: a@b.c\ndots: v1.2.3\nt: true\nf: False\n",
	"spec:\n  mentors:\n  - person: a\n    domain: go\n  coach: b\n",
	"a: b\n---\nc: d\n",
	"# only comments\n",
	"",
	// Empty documents: none is handed out, as the loader skips them.
	"a: b\n---\n",      // a file ending in "---"
	"---\n---\na: b\n", // an empty first document
	"a: b\n---\n\n# nothing here\n---\nc: d\n", // one in the middle
	"a: b\n---\n# a trailing comment\n",
	"---\n",
	"---\n---\n",
}

// fastRefused are inputs outside the subset (valid YAML or not): the
// loader must hand them to yaml.v3.
var fastRefused = []string{
	"a: b\n  c\n",          // a multi-line plain scalar
	"a: 1\n",               // a number
	"a: null\n",            // null
	"a:\n",                 // an empty value
	"a: \"x\\ty\"\n",       // an escape
	"a: 'it''s'\n",         // a doubled quote
	"a: [b,\n  c]\n",       // a flow list over two lines
	"a: [b, [c]]\n",        // nested flow
	"a: |\n  text\n",       // a block scalar
	"- a\n",                // a top-level list
	"a:\n\t- b\n",          // a tab
	"a: b\r\nc: d\r\n",     // CRLF
	"a: b: c\n",            // a mapping on one line
	"? a\n: b\n",           // an explicit key
	"a: b\n...\n",          // a document end
	"--- a: b\n",           // content on the marker
	"a: !tag b\n",          // a tag
	"a:\n  - - b\n",        // nested sequences
	"true: b\n",            // a key that is a bool
	"a: {b: c, }\n",        // a trailing comma (valid: refused anyway)
	"a: b\n c: d\n",        // a stray indentation
	"a:\n  b: c\n d: e\n",  // a dedent to nowhere
	"a: b#c\n",             // # inside a plain scalar
	"a: 2027-03-31\n",      // a timestamp
	"a: \u00a0b\n",         // a non-breaking space
	"a: b\n  # c\n  d\n",   // a continuation after a comment
	"a: [b, c] x\n",        // text after a flow list
	"a:\n- b\n c\n",        // a continuation of an item
	"a:  \n  b: c\n  d:\n", // an empty value at the end
}

func benchString() string { return string(benchFile()) }

func TestFastParseMatchesYAML(t *testing.T) {
	for _, in := range fastAccepted {
		if !checkFast(t, []byte(in)) {
			t.Errorf("fastParse refused an input of the subset:\n%s", in)
		}
	}
	for _, in := range fastRefused {
		if _, ok := fastParse([]byte(in)); ok {
			t.Errorf("fastParse accepted an input outside the subset: %q", in)
		}
	}
}

// TestFastParseTakesGeneratedOrgs: every file of the generated org in
// testdata and of the examples goes through the fast path, with yaml.v3's
// trees.
func TestFastParseTakesGeneratedOrgs(t *testing.T) {
	var files []string
	for _, glob := range []string{"../examples/*/*.yaml", "../examples/*/*/*.yaml"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no example files found")
	}
	taken := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkFast(t, data) {
			taken++
		}
	}
	t.Logf("%d of %d example files took the fast path", taken, len(files))
	if taken == 0 {
		t.Error("no example file took the fast path")
	}
}

// FuzzFastParse: on any input fastParse accepts, its trees are yaml.v3's;
// and DecodeFile gives the same result with and without it.
func FuzzFastParse(f *testing.F) {
	for _, in := range fastAccepted {
		f.Add([]byte(in))
	}
	for _, in := range fastRefused {
		f.Add([]byte(in))
	}
	f.Add([]byte(alice))
	f.Add([]byte(strings.Replace(alice, "coach: carol", "coach: Carol", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data)
	})
}
