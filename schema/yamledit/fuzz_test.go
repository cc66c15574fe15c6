package yamledit

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/txtar"
	"go.yaml.in/yaml/v3"
)

// FuzzSetField checks the editor's two promises on arbitrary files, paths
// and values: an edit changes only its target (every byte before the edited
// node's start and from the next node's start on is the original one; a
// missing key is a pure insertion inside its mapping; no comment is lost or
// changed; the value reads back), and applying the same edit twice equals
// applying it once. The seeds are the golden cases' files and edits.
func FuzzSetField(f *testing.F) {
	files, _ := filepath.Glob("testdata/edit/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var before []byte
		for _, fl := range ar.Files {
			if fl.Name == "before.yaml" {
				before = fl.Data
			}
		}
		for _, l := range strings.Split(string(ar.Comment), "\n") {
			if fs := strings.Fields(l); len(fs) == 4 && fs[0] == "set" {
				doc, _ := strconv.Atoi(fs[1])
				f.Add(before, doc, fs[2], fs[3])
				f.Add(before, doc, fs[2], "o'b: #x")
			}
		}
	}
	f.Add([]byte("a: {x: 1, y: 'q'}  # c\nb:\n  - 1\n  - two\n"), 0, "b.1", "three")
	f.Add([]byte("\xef\xbb\xbfa: 1\r\n# tail\r\n"), 0, "c", "new")
	f.Add([]byte("a: 1\nb: 2\r\n"), 0, "c", "new")
	f.Fuzz(func(t *testing.T, data []byte, doc int, dotted, value string) {
		if doc < 0 || doc > 4 || len(data) > 4096 || strings.Contains(value, "\x00") {
			return
		}
		path := strings.Split(dotted, ".")
		out, err := SetField(data, doc, path, value)
		if err != nil {
			return
		}
		again, err := SetField(out, doc, path, value)
		if err != nil {
			t.Fatalf("the second application fails: %v\nafter the first:\n%q", err, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("twice is not once:\nonce:  %q\ntwice: %q", out, again)
		}
		checkOnlyTarget(t, data, out, doc, path, value)
	})
}

// checkOnlyTarget verifies, from yaml.v3's node positions alone, that out
// differs from data only inside the span of the edited node (or, for a
// missing key, by text inserted inside the parent mapping).
func checkOnlyTarget(t *testing.T, data, out []byte, doc int, path []string, value string) {
	t.Helper()
	bom := 0
	if bytes.HasPrefix(data, utf8BOM) {
		bom = len(utf8BOM)
	}
	body := data[bom:]
	docs, errBefore := documents(body)
	root := docs[doc]
	if root == nil || len(root.Content) == 0 {
		t.Fatalf("the edit succeeded on a document that does not decode")
	}
	// The differing region: data[from:to] became out[from:len(out)-(len(data)-to)].
	from := 0
	for from < len(data) && from < len(out) && data[from] == out[from] {
		from++
	}
	to := len(data)
	for to > from && len(out)-(len(data)-to) > from && data[to-1] == out[len(out)-(len(data)-to)-1] {
		to--
	}
	var starts []int
	var all func(n *yaml.Node)
	all = func(n *yaml.Node) {
		if n.Kind != yaml.DocumentNode {
			starts = append(starts, bom+offset(body, n.Line, n.Column))
		}
		for _, c := range n.Content {
			all(c)
		}
	}
	for _, d := range docs {
		all(d)
	}
	// next is where the first node after the subtree of n starts.
	next := func(n *yaml.Node) int {
		last := bom + offset(body, n.Line, n.Column)
		var deepest func(*yaml.Node)
		deepest = func(m *yaml.Node) {
			if s := bom + offset(body, m.Line, m.Column); s > last {
				last = s
			}
			for _, c := range m.Content {
				deepest(c)
			}
		}
		deepest(n)
		end := len(data)
		for _, s := range starts {
			if s > last && s < end {
				end = s
			}
		}
		return end
	}
	target, parent := lookup(root.Content[0], path)
	switch {
	case target != nil:
		start := bom + offset(body, target.Line, target.Column)
		end := next(target)
		if e, ok := scalarEnd(data, start, target); ok {
			end = e
		}
		if from < start || to > end {
			t.Fatalf("bytes %d..%d changed, outside the edited node's span %d..%d:\nbefore: %q\nafter:  %q", from, to, start, end, data, out)
		}
	case parent != nil:
		start := bom + offset(body, parent.Line, parent.Column)
		if to != from || from < start || from > next(parent) {
			t.Fatalf("adding a key replaced bytes %d..%d or inserted outside its mapping's span %d..%d:\nbefore: %q\nafter:  %q", from, to, start, next(parent), data, out)
		}
	default:
		t.Fatalf("the edit succeeded though %s has no mapping or list to hold it", strings.Join(path, "."))
	}
	// The edited document must decode; another document that did not
	// parse before the edit may still not parse after it.
	after, err := documents(bytes.TrimPrefix(out, utf8BOM))
	if after[doc] == nil || err != nil && errBefore == nil {
		t.Fatalf("the edited file does not decode: %v", err)
	}
	if got, _ := lookup(after[doc].Content[0], path); got == nil || got.Kind != yaml.ScalarNode || got.Value != value || got.ShortTag() != "!!str" {
		t.Fatalf("the value does not read back as %q:\n%q", value, out)
	}
	// A line break is never split: every '\r' the edit leaves alone is
	// still followed by what followed it, so a lone '\r' (which YAML
	// reads as a line break, but few editors do) appears only if the
	// file had it.
	if b, a := loneCRs(data), loneCRs(out); a != b {
		t.Fatalf("the edit left %d lone '\\r' (the file had %d):\nbefore: %q\nafter:  %q", a, b, data, out)
	}
	if b, a := comments(docs), comments(after); b != a {
		t.Fatalf("comments changed:\nbefore: %q\nafter:  %q", b, a)
	}
}

// scalarEnd finds where the text of scalar n, starting at byte start of
// data, ends: the closing quote of a quoted scalar, the last character of a
// one-line plain scalar. It gives up (false) on anchors, explicit tags,
// empty and multi-line plain values, where the next node's start bounds the
// span instead.
func scalarEnd(data []byte, start int, n *yaml.Node) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 || start >= len(data) {
		return 0, false
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && data[start] == '"':
		for i := start + 1; i < len(data); i++ {
			switch data[i] {
			case '\\':
				i++
			case '"':
				return i + 1, true
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0 && data[start] == '\'':
		for i := start + 1; i < len(data); i++ {
			if data[i] == '\'' {
				if i+1 < len(data) && data[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, true
			}
		}
	case n.Style == 0 && n.Value != "" && !strings.ContainsAny(n.Value, "\n"):
		if strings.HasPrefix(string(data[start:]), n.Value) {
			return start + len(n.Value), true
		}
	}
	return 0, false
}

// lookup follows path from n (mapping keys, list indexes); when only the
// last step is missing it returns the mapping that would hold it.
func lookup(n *yaml.Node, path []string) (target, parent *yaml.Node) {
	cur := n
	for i, seg := range path {
		var nextNode *yaml.Node
		switch cur.Kind {
		case yaml.MappingNode:
			for j := 0; j+1 < len(cur.Content); j += 2 {
				if cur.Content[j].Kind == yaml.ScalarNode && cur.Content[j].Value == seg {
					nextNode = cur.Content[j+1]
				}
			}
			if nextNode == nil && i == len(path)-1 {
				return nil, cur
			}
		case yaml.SequenceNode:
			if k, err := strconv.Atoi(seg); err == nil && k >= 0 && k < len(cur.Content) {
				nextNode = cur.Content[k]
			}
		}
		if nextNode == nil {
			return nil, nil
		}
		cur = nextNode
	}
	return cur, nil
}

// comments lists every comment of every document in document order.
//
// yaml.v3 gives a comment after a null value, in a file with "\r\n" line
// breaks, a trailing "\n" it does not give the same comment after a
// value ("0:\n#\r\n" against "0: A\n#\r\n"): the comments are compared
// without their trailing line breaks.
func comments(docs map[int]*yaml.Node) string {
	var b strings.Builder
	var walkC func(*yaml.Node)
	walkC = func(n *yaml.Node) {
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			if c = strings.TrimRight(c, "\n"); c != "" {
				b.WriteString(c)
				b.WriteByte('\n')
			}
		}
		for _, c := range n.Content {
			walkC(c)
		}
	}
	for i := 0; i < len(docs); i++ {
		if d := docs[i]; d != nil {
			walkC(d)
		}
	}
	return b.String()
}

// loneCRs counts the '\r' of b not followed by '\n'.
func loneCRs(b []byte) int {
	return bytes.Count(b, []byte("\r")) - bytes.Count(b, []byte("\r\n"))
}

// offset is the byte offset in body of a 1-based line and column (in
// characters), computed independently of the editor's own bookkeeping.
func offset(body []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(body[off:], '\n')
		if i < 0 {
			return len(body)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(body) && body[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(body[off:])
		off += size
	}
	return off
}
