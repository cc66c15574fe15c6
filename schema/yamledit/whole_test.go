package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The editor as it was before it went document by document: the whole
// file parsed, every change planned, spliced in, and the whole result
// parsed again and compared. TestEditFileMatchesWholeFile holds EditFile
// to it.

// editFileWhole is EditFile, whole file at a time.
func editFileWhole(data []byte, edits []Edit) ([]byte, error) {
	f, err := openEditFile(data)
	if err != nil {
		return nil, err
	}
	docs, derr := documents(f.body)
	var changes []change
	verify := map[int][]editCheck{}
	for i, e := range edits {
		fail := func(err error) ([]byte, error) { return nil, &EditError{Edit: i, Err: err} }
		doc, err := rootOf(docs, derr, e.Doc)
		if err != nil {
			return fail(err)
		}
		ch, check, err := f.plan(doc, e)
		if err != nil {
			return fail(err)
		}
		if ch != nil {
			changes = append(changes, *ch)
			verify[e.Doc] = append(verify[e.Doc], editCheck{edit: i, path: e.Path, verify: check})
		}
	}
	if len(changes) == 0 {
		return data, nil
	}
	out, err := f.apply(changes)
	if err != nil {
		return nil, err
	}
	if err := checkEdits(docs, derr, out, verify); err != nil {
		return nil, err
	}
	return out, nil
}

// rootOf returns the root mapping of document docIndex.
func rootOf(docs map[int]*yaml.Node, derr error, docIndex int) (*yaml.Node, error) {
	d := docs[docIndex]
	if d == nil {
		if derr != nil {
			return nil, fmt.Errorf("finding document %d: %w", docIndex, derr)
		}
		return nil, fmt.Errorf("the file has no document %d", docIndex)
	}
	if len(d.Content) == 0 || d.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("document %d is not a mapping", docIndex)
	}
	return d.Content[0], nil
}

// documents decodes every document of a file body, numbered as the loader
// numbers them (schema.Source.Doc), with node lines relative to the whole file.
// It stops at the first syntax error of a chunk, as the loader does.
func documents(body []byte) (map[int]*yaml.Node, error) {
	out := map[int]*yaml.Node{}
	for idx, c := range SplitDocuments(body) {
		dec := yaml.NewDecoder(bytes.NewReader(c.Text))
		for sub := 0; ; sub++ {
			var doc yaml.Node
			err := dec.Decode(&doc)
			if err == io.EOF {
				break
			}
			if err != nil {
				return out, fmt.Errorf("document %d does not parse: %v", idx+sub, err)
			}
			shiftLines(&doc, c.First-1)
			if _, dup := out[idx+sub]; !dup {
				out[idx+sub] = &doc
			}
		}
	}
	return out, nil
}

// checkEdits decodes the file after the edits and makes sure that every
// document reads as it did before (docs), except for the values the edits
// of checks set, which their verify functions check. It guards against an
// edit that would break the YAML or touch anything else.
func checkEdits(before map[int]*yaml.Node, berr error, after []byte, checks map[int][]editCheck) error {
	const bug = "; this is a bug in orgctl, please report it"
	a, aerr := documents(bytes.TrimPrefix(after, utf8BOM))
	if aerr != nil && berr == nil {
		return fmt.Errorf("the edit would break the YAML (%v)%s", aerr, bug)
	}
	if len(a) != len(before) {
		return fmt.Errorf("the edit would change the number of documents%s", bug)
	}
	for i, bd := range before {
		ad := a[i]
		if ad == nil {
			return fmt.Errorf("the edit would lose document %d%s", i, bug)
		}
		cs := checks[i]
		if len(cs) == 0 {
			if !sameTree(bd, ad, nil) {
				return fmt.Errorf("the edit would change document %d%s", i, bug)
			}
			continue
		}
		skip := make([][]string, len(cs))
		for k, c := range cs {
			skip[k] = c.path
		}
		if !sameTree(bd, ad, skip) {
			return &EditError{Edit: cs[0].edit, Err: fmt.Errorf("the edit would change more than %s%s", strings.Join(cs[0].path, "."), bug)}
		}
		if len(ad.Content) == 0 {
			return fmt.Errorf("the edit would empty document %d%s", i, bug)
		}
		for _, c := range cs {
			if err := c.verify(ad.Content[0]); err != nil {
				return &EditError{Edit: c.edit, Err: fmt.Errorf("the edit does not read back as intended (%v)%s", err, bug)}
			}
		}
	}
	return nil
}

// TestEditFileMatchesWholeFile holds EditFile, which goes document by
// document, to the whole-file editor on random files of many documents
// (block and flow mappings, lists, scalars, documents that do not parse,
// comment-only chunks, "..." ends that put two documents in one chunk,
// CRLF) and random lists of edits (set, append, keep; to documents that
// exist, do not, or are not mappings), read in one pass and in two halves
// at once: the same bytes out, and an error exactly when it errs, naming
// the same edit.
func TestEditFileMatchesWholeFile(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	pieces := []string{
		"a: 1\nb:\n  - x\n  - y\nm:\n  k: v  # keep\n",
		"a: '1'\nm: {k: v}\n",
		"{a: 1, b: [x], m: {k: v}}\n",
		"# only a comment\n",
		"- 1\n- 2\n",
		"plain scalar\n",
		"a: [unclosed\n",
		"a: 1\n...\na: 2\nb: [q]\n",
		"a: '1'\nb: [x]\nm:\n  k: v\n",
		"a: '1'\n",
		"a: &x 1\nc: *x\n",
		"a: 1\nl: []\n",
		"a: 1\nl:\n",
		"b:\n- x\na: \"1\"\n",
	}
	paths := [][]string{{"a"}, {"b"}, {"b", "0"}, {"c"}, {"m", "k"}, {"m", "n"}, {"n"}, {"l"}}
	outcomes := map[string]int{}
	defer func(n int) { parallelChunks = n }(parallelChunks)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	for run := range 3000 {
		n := 1 + r.IntN(6)
		var b strings.Builder
		for i := range n {
			if i > 0 || r.IntN(4) == 0 {
				b.WriteString([]string{"---\n", "--- \n", "--- # c\n"}[r.IntN(3)])
			}
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		data := []byte(b.String())
		if r.IntN(5) == 0 {
			data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
		}
		var edits []Edit
		used := map[string]bool{}
		for range 1 + r.IntN(3) {
			e := Edit{Doc: r.IntN(n), Path: paths[r.IntN(len(paths))]}
			if r.IntN(10) == 0 {
				e.Doc = n // past the end
			}
			switch r.IntN(5) {
			case 0:
				e.Item = []Field{{Key: "person", Value: "p"}, {Key: "domain", Value: "d: x"}}
			case 1:
				e.Keep, e.Value = true, []string{"1", "2"}[r.IntN(2)]
			case 2:
				e.Path, e.Value = []string{"a"}, "1"
			default:
				e.Value = []string{"new", "1", "o'b: #x", ""}[r.IntN(4)]
			}
			key := fmt.Sprint(e.Doc, e.Path)
			if used[key] && !e.Keep {
				continue // no two edits of one value
			}
			used[key] = true
			edits = append(edits, e)
		}
		// Odd runs read the file in two halves at once (see parallelChunks).
		parallelChunks = []int{1 << 30, 2}[run%2]
		got, gerr := EditFile(data, edits)
		want, werr := editFileWhole(data, edits)
		if (gerr != nil) != (werr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("run %d: EditFile and the whole-file editor differ on\n%q\nedits %+v\ngot  %q, %v\nwant %q, %v", run, data, edits, got, gerr, want, werr)
		}
		var ge, we *EditError
		if errors.As(gerr, &ge) != errors.As(werr, &we) || ge != nil && ge.Edit != we.Edit {
			t.Fatalf("run %d: errors name different edits on\n%q\nedits %+v\ngot  %v\nwant %v", run, data, edits, gerr, werr)
		}
		switch {
		case gerr != nil:
			outcomes["refused"]++
		case bytes.Equal(got, data):
			outcomes["unchanged"]++
		default:
			outcomes["edited"]++
		}
	}
	// The draw must exercise all three outcomes, or it proves little.
	for _, o := range []string{"refused", "unchanged", "edited"} {
		if outcomes[o] < 50 {
			t.Errorf("only %d of 3000 runs %s: %v", outcomes[o], o, outcomes)
		}
	}
}
