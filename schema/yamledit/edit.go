// Package yamledit edits YAML files in place, byte for byte: it never
// re-serialises a file it changes. It finds the bytes to change from the
// yaml.v3 node positions of the original text and splices new text in, so
// that comments, key order, indentation, quoting, flow or block style, line
// endings and document separators of everything else stay exactly as they
// were. Every edit is checked by decoding the edited document again: it must
// read as before except for the one value edited. Documents are numbered as
// the loader numbers them (schema.Source.Doc; see SplitDocuments).
package yamledit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Field is one key and scalar value of a mapping written by AppendToList.
type Field struct {
	Key, Value string
}

// ErrUnsupportedEdit is returned (wrapped) when the YAML at the place to
// edit uses a construct the editor will not touch (an alias, a block
// scalar, a multi-line key...); the message says what to change by hand.
var ErrUnsupportedEdit = errors.New("unsupported edit")

// SetField sets the scalar at path (mapping keys, or sequence indexes as
// decimal strings) of document docIndex to value. docIndex counts documents
// as schema.Source.Doc does.
//
//   - When the value exists, only its text is replaced, on its own line, in
//     the quoting style it had (plain, 'single' or "double"); a plain value
//     that YAML would read as something other than this string is written
//     double-quoted.
//   - When only the last key is missing, it is added to its mapping: in a
//     block mapping as one new line "key: value" after the mapping's last
//     entry (after any nested lines of that entry, before comments and blank
//     lines that follow it), indented like the mapping's other keys; in a flow
//     mapping as ", key: value" after its last entry.
//
// Setting a value that is already there returns data unchanged, so running
// an edit twice changes nothing the second time.
func SetField(data []byte, docIndex int, path []string, value string) ([]byte, error) {
	return editOne(data, Edit{Doc: docIndex, Path: path, Value: value})
}

// AppendToList appends item (a mapping whose keys are written in the given
// order) to the list at path of document docIndex. In a block list the item
// is written as new lines after the last item, indented like the others; in
// a flow list as ", {key: value, ...}" after the last item. When the last key
// of path is missing, it is added to its mapping (as SetField adds a key)
// holding a one-item block list indented two spaces more than the key, or a
// flow list when the mapping is in flow style.
//
// AppendToList does not look for an equal item: callers that must be
// idempotent check first.
func AppendToList(data []byte, docIndex int, path []string, item []Field) ([]byte, error) {
	if len(item) == 0 {
		return nil, fmt.Errorf("appending to a list: empty path or item")
	}
	return editOne(data, Edit{Doc: docIndex, Path: path, Item: item})
}

func editOne(data []byte, e Edit) ([]byte, error) {
	out, err := EditFile(data, []Edit{e})
	var ee *EditError
	if errors.As(err, &ee) {
		return nil, ee.Err
	}
	return out, err
}

// Edit is one change EditFile makes to document Doc (counted as
// schema.Source.Doc counts): set the scalar at Path to Value (as SetField), or,
// when Item is set, append Item to the list at Path (as AppendToList), or,
// when Keep is set, change nothing but fail unless the scalar at Path
// already reads Value (how a caller makes sure a document is the one it
// means to edit).
type Edit struct {
	Doc   int
	Path  []string
	Value string
	Item  []Field
	Keep  bool
}

// ErrNotAsExpected is returned (wrapped) by a Keep edit whose value is not
// the one expected.
var ErrNotAsExpected = errors.New("not as expected")

// EditError is the error of EditFile when one edit cannot be made: Edit is
// its index in the list, Err says why.
type EditError struct {
	Edit int
	Err  error
}

func (e *EditError) Error() string { return e.Err.Error() }
func (e *EditError) Unwrap() error { return e.Err }

// EditFile makes every edit of the list to data at once, in one pass over
// the file: document by document (as SplitDocuments cuts them), each is
// parsed, its edits are computed from the original positions, and the
// edited text is decoded again to check that it reads as before except
// for the values edited; then every change is spliced in at once. Only
// one document's node tree is alive at a time, so its cost is linear in
// the size of the file and the number of edits, and its memory does not
// grow with the file. Documents after the last one edited are not read.
// Edits are independent of each other (no two may touch the same value);
// an edit that changes nothing (the value is there already) is fine.
// Nothing is changed unless every edit can be made: the error is the
// first edit in the list that cannot be made, else the first check that
// fails.
func EditFile(data []byte, edits []Edit) ([]byte, error) {
	f, err := openEditFile(data)
	if err != nil {
		return nil, err
	}
	byDoc := map[int][]int{} // document → its edits, in list order
	last := -1
	for i, e := range edits {
		byDoc[e.Doc] = append(byDoc[e.Doc], i)
		last = max(last, e.Doc)
	}
	chunks := SplitDocuments(f.body)
	n := min(len(chunks), last+1) // the chunks to read: none after the last edited
	starts := make([]int, n+1)    // where each chunk starts in the body
	for c := range n {
		starts[c+1] = starts[c] + len(chunks[c].Text)
	}
	var p *chunkPass
	if h := n / 2; n >= parallelChunks && runtime.GOMAXPROCS(0) > 1 {
		// Two halves at once. The second half numbers its documents as if
		// the first numbered exactly one per chunk, which holds unless a
		// chunk of the first holds several documents ("..." ends) and
		// numbers one at or past h: then the second half is done again
		// after the first. A first half that stops at a broken document
		// makes the second half's work moot, as reading stops there.
		var first *chunkPass
		done := make(chan struct{})
		go func() {
			defer close(done)
			first = f.editChunks(chunks, starts, 0, h, edits, byDoc, map[int]bool{})
		}()
		second := f.editChunks(chunks, starts, h, n, edits, byDoc, map[int]bool{})
		<-done
		switch {
		case first.derr != nil:
			p = first
		case first.maxOwned >= h:
			p = first.then(f.editChunks(chunks, starts, h, n, edits, byDoc, first.owned))
		default:
			p = first.then(second)
		}
	} else {
		p = f.editChunks(chunks, starts, 0, n, edits, byDoc, map[int]bool{})
	}
	owned, changes, derr := p.owned, p.changes, p.derr
	planAt, planErr, checkErr := p.planAt, p.planErr, p.checkErr
	failPlan := func(i int, err error) {
		if planErr == nil || i < planAt {
			planAt, planErr = i, &EditError{Edit: i, Err: err}
		}
	}
	for i, e := range edits {
		if owned[e.Doc] {
			continue
		}
		if derr != nil {
			failPlan(i, fmt.Errorf("finding document %d: %w", e.Doc, derr))
		} else {
			failPlan(i, fmt.Errorf("the file has no document %d", e.Doc))
		}
	}
	if planErr != nil {
		return nil, planErr
	}
	if len(changes) == 0 {
		return data, nil
	}
	if checkErr != nil {
		return nil, checkErr
	}
	out, err := f.apply(changes)
	if err != nil {
		return nil, err
	}
	// The edits were checked chunk by chunk: the edited file must cut into
	// as many chunks as the original, or documents would be numbered anew.
	if len(SplitDocuments(bytes.TrimPrefix(out, utf8BOM))) != len(SplitDocuments(f.body)) {
		return nil, fmt.Errorf("the edit would change the number of documents; this is a bug in orgctl, please report it")
	}
	return out, nil
}

// parallelChunks is how many chunks a file must have to the last one
// edited before EditFile reads its two halves at once.
var parallelChunks = 256

// chunkPass is what editChunks found in a run of chunks.
type chunkPass struct {
	owned   map[int]bool // documents numbered (the first of a number wins)
	changes []change     // in the order of the body
	// planErr is the error of the first edit (in list order) that cannot
	// be made, planAt its index; checkErr the first check (in the order of
	// the body) that fails once the edits are made.
	planAt            int
	planErr, checkErr error
	// derr is the first document that does not parse: the loader reads
	// nothing after it, and neither does editChunks.
	derr     error
	maxOwned int // the highest document number owned, or -1
}

// then is p followed by q, a pass over the chunks after p's.
func (p *chunkPass) then(q *chunkPass) *chunkPass {
	for d := range q.owned {
		p.owned[d] = true
	}
	p.changes = append(p.changes, q.changes...)
	if q.planErr != nil && (p.planErr == nil || q.planAt < p.planAt) {
		p.planAt, p.planErr = q.planAt, q.planErr
	}
	if p.checkErr == nil {
		p.checkErr = q.checkErr
	}
	p.derr = q.derr
	p.maxOwned = max(p.maxOwned, q.maxOwned)
	return p
}

// editChunks parses the chunks [from, to) one at a time, numbering their
// documents (owned holds the numbers taken before from), plans the edits
// of each document it numbers, and checks each edited chunk, keeping only
// one chunk's node trees alive at a time. It stops after a chunk that
// does not parse.
func (f *editFile) editChunks(chunks []Chunk, starts []int, from, to int, edits []Edit, byDoc map[int][]int, owned map[int]bool) *chunkPass {
	p := &chunkPass{owned: owned, maxOwned: -1}
	failPlan := func(i int, err error) {
		if p.planErr == nil || i < p.planAt {
			p.planAt, p.planErr = i, &EditError{Edit: i, Err: err}
		}
	}
	for c := from; c < to; c++ {
		chunk := chunks[c]
		start, end := starts[c], starts[c+1]
		var mine []docAt // the documents this chunk numbers
		var chunkErr error
		decoded := 0
		dec := yaml.NewDecoder(bytes.NewReader(chunk.Text))
		for sub := 0; ; sub++ {
			doc := new(yaml.Node)
			err := dec.Decode(doc)
			if err == io.EOF {
				break
			}
			if err != nil {
				chunkErr = fmt.Errorf("document %d does not parse: %v", c+sub, err)
				break
			}
			decoded++
			shiftLines(doc, chunk.First-1)
			if !p.owned[c+sub] {
				p.owned[c+sub] = true
				p.maxOwned = max(p.maxOwned, c+sub)
				mine = append(mine, docAt{num: c + sub, sub: sub, node: doc})
			}
		}
		var chunkChanges []change
		verify := map[int][]editCheck{}
		for _, d := range mine {
			for _, i := range byDoc[d.num] {
				root, err := rootNode(d.node, d.num)
				if err != nil {
					failPlan(i, err)
					continue
				}
				ch, check, err := f.plan(root, edits[i])
				if err != nil {
					failPlan(i, err)
					continue
				}
				if ch != nil {
					if ch.from < start || ch.to > end {
						failPlan(i, fmt.Errorf("the edit would change text outside document %d; this is a bug in orgctl, please report it", d.num))
						continue
					}
					chunkChanges = append(chunkChanges, *ch)
					verify[d.num] = append(verify[d.num], editCheck{edit: i, path: edits[i].Path, verify: check})
				}
			}
		}
		if len(chunkChanges) > 0 && p.planErr == nil && p.checkErr == nil {
			p.checkErr = f.checkChunk(start, end, c, decoded, chunkErr != nil, chunkChanges, mine, verify)
		}
		p.changes = append(p.changes, chunkChanges...)
		if chunkErr != nil {
			p.derr = chunkErr
			break
		}
	}
	return p
}

// docAt is a document of a chunk: its number in the file, its place in
// the chunk, and its nodes.
type docAt struct {
	num, sub int
	node     *yaml.Node
}

// rootNode returns the root mapping of document num.
func rootNode(d *yaml.Node, num int) (*yaml.Node, error) {
	if len(d.Content) == 0 || d.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("document %d is not a mapping", num)
	}
	return d.Content[0], nil
}

// checkChunk makes changes to the chunk [start, end) of the body (chunk
// number c, which decoded to decoded documents, and is broken when it
// does not parse to the end), decodes
// the result, and makes sure that every document of mine reads as it did
// before, except for the values the edits of checks set, which their
// verify functions check. It guards against an edit that would break the
// YAML or touch anything else.
func (f *editFile) checkChunk(start, end, c, decoded int, broken bool, changes []change, mine []docAt, checks map[int][]editCheck) error {
	const bug = "; this is a bug in orgctl, please report it"
	sub := &editFile{body: f.body[start:end]}
	local := make([]change, len(changes))
	for i, ch := range changes {
		local[i] = change{from: ch.from - start, to: ch.to - start, text: ch.text}
	}
	text, err := sub.apply(local)
	if err != nil {
		return err
	}
	var after []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for {
		doc := new(yaml.Node)
		err := dec.Decode(doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			if !broken {
				return fmt.Errorf("the edit would break the YAML (document %d does not parse: %v)%s", c+len(after), err, bug)
			}
			break
		}
		after = append(after, doc)
	}
	for _, d := range mine {
		if d.sub >= len(after) {
			return fmt.Errorf("the edit would lose document %d%s", d.num, bug)
		}
		ad := after[d.sub]
		cs := checks[d.num]
		if len(cs) == 0 {
			if !sameTree(d.node, ad, nil) {
				return fmt.Errorf("the edit would change document %d%s", d.num, bug)
			}
			continue
		}
		skip := make([][]string, len(cs))
		for k, c := range cs {
			skip[k] = c.path
		}
		if !sameTree(d.node, ad, skip) {
			return &EditError{Edit: cs[0].edit, Err: fmt.Errorf("the edit would change more than %s%s", strings.Join(cs[0].path, "."), bug)}
		}
		if len(ad.Content) == 0 {
			return fmt.Errorf("the edit would empty document %d%s", d.num, bug)
		}
		for _, c := range cs {
			if err := c.verify(ad.Content[0]); err != nil {
				return &EditError{Edit: c.edit, Err: fmt.Errorf("the edit does not read back as intended (%v)%s", err, bug)}
			}
		}
	}
	if len(after) != decoded {
		return fmt.Errorf("the edit would change the number of documents%s", bug)
	}
	return nil
}

// editCheck is what checkEdits verifies for one edit.
type editCheck struct {
	edit   int
	path   []string
	verify func(*yaml.Node) error
}

// plan works out the change one edit makes to doc (nil when there is
// nothing to change) and how to check it once made.
func (f *editFile) plan(doc *yaml.Node, e Edit) (*change, func(*yaml.Node) error, error) {
	path := e.Path
	if len(path) == 0 {
		return nil, nil, fmt.Errorf("editing a field: empty path")
	}
	where := strings.Join(path, ".")
	last := path[len(path)-1]
	switch {
	case e.Keep:
		v, _, err := walk(doc, path)
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", where, err)
		}
		if v.Kind != yaml.ScalarNode || v.Value != e.Value {
			return nil, nil, fmt.Errorf("%s is %q, not %q: %w", where, v.Value, e.Value, ErrNotAsExpected)
		}
		return nil, nil, nil
	case e.Item != nil:
		parent, _, err := walk(doc, path[:len(path)-1])
		if err != nil {
			return nil, nil, fmt.Errorf("appending to %s: %w", where, err)
		}
		if parent.Kind != yaml.MappingNode {
			return nil, nil, fmt.Errorf("appending to %s: %s is not a mapping", where, strings.Join(path[:len(path)-1], "."))
		}
		var ch change
		if err := once(parent, last, path); err != nil {
			return nil, nil, err
		}
		old := mappingValue(parent, last)
		switch v := old; {
		case v == nil:
			ch, err = f.insertListKey(parent, last, e.Item)
		case v.Kind == yaml.AliasNode:
			err = fmt.Errorf("%w: %s is an alias (*%s); edit it by hand", ErrUnsupportedEdit, where, v.Value)
		case v.Kind == yaml.SequenceNode:
			ch, err = f.appendItem(v, e.Item)
		case isEmptyNull(v):
			ch, err = f.fillNullList(parent, v, e.Item)
		default:
			err = fmt.Errorf("%w: the value is not a list", ErrUnsupportedEdit)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("appending to %s: %w", where, err)
		}
		item := e.Item
		verify := func(doc *yaml.Node) error {
			l, _, err := walk(doc, path)
			if err != nil {
				return err
			}
			n := 0
			if old != nil && old.Kind == yaml.SequenceNode {
				n = len(old.Content)
			}
			if l.Kind != yaml.SequenceNode || len(l.Content) != n+1 {
				return fmt.Errorf("the list does not read back with one more item")
			}
			for i := 0; i < n; i++ {
				if !sameTree(old.Content[i], l.Content[i], nil) {
					return fmt.Errorf("item %d changed", i)
				}
			}
			got := l.Content[n]
			if got.Kind != yaml.MappingNode || len(got.Content) != 2*len(item) {
				return fmt.Errorf("the new item does not read back as a mapping of %d keys", len(item))
			}
			for i, fl := range item {
				k, v := got.Content[2*i], got.Content[2*i+1]
				if k.Value != fl.Key || v.Value != fl.Value || v.ShortTag() != "!!str" {
					return fmt.Errorf("the new item reads back as %s: %q", k.Value, v.Value)
				}
			}
			return nil
		}
		return &ch, wrapVerify("appending to "+where, verify), nil
	}
	value := e.Value
	parent, flow, err := walk(doc, path[:len(path)-1])
	if err != nil {
		return nil, nil, fmt.Errorf("setting %s: %w", where, err)
	}
	var ch change
	switch parent.Kind {
	case yaml.MappingNode:
		if err := once(parent, last, path); err != nil {
			return nil, nil, err
		}
		if v := mappingValue(parent, last); v != nil {
			if v.Kind == yaml.AliasNode {
				return nil, nil, fmt.Errorf("setting %s: %w: %s is an alias (*%s); edit it by hand", where, ErrUnsupportedEdit, where, v.Value)
			}
			if v.Kind == yaml.ScalarNode && v.Value == value && v.ShortTag() == "!!str" {
				return nil, nil, nil
			}
			ch, err = f.replaceScalar(v, value, flow)
		} else {
			ch, err = f.insertKey(parent, last, value)
		}
	case yaml.SequenceNode:
		i, aerr := strconv.Atoi(last)
		if aerr != nil || i < 0 || i >= len(parent.Content) {
			return nil, nil, fmt.Errorf("setting %s: no item %s in the list", where, last)
		}
		if v := parent.Content[i]; v.Kind == yaml.ScalarNode && v.Value == value && v.ShortTag() == "!!str" {
			return nil, nil, nil
		}
		ch, err = f.replaceScalar(parent.Content[i], value, flow)
	default:
		return nil, nil, fmt.Errorf("setting %s: %s is not a mapping or a list", where, strings.Join(path[:len(path)-1], "."))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("setting %s: %w", where, err)
	}
	verify := func(doc *yaml.Node) error {
		v, _, err := walk(doc, path)
		if err != nil {
			return err
		}
		if v.Kind != yaml.ScalarNode || v.Value != value || v.ShortTag() != "!!str" {
			return fmt.Errorf("the value reads back as %q", v.Value)
		}
		return nil
	}
	return &ch, wrapVerify("setting "+where, verify), nil
}

func wrapVerify(what string, verify func(*yaml.Node) error) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if err := verify(n); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
}

// editFile is a file's text prepared for editing: its body (without a
// UTF-8 byte order mark), where each line starts, and its line ending.
type editFile struct {
	bom   bool
	body  []byte
	lines []int // lines[i] is the offset of line i+1
	nl    string
}

func openEditFile(data []byte) (*editFile, error) {
	f := &editFile{}
	body := data
	if bytes.HasPrefix(body, utf8BOM) {
		f.bom, body = true, body[len(utf8BOM):]
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("the file is not valid UTF-8: save it as UTF-8 first")
	}
	f.body = body
	f.lines = append(f.lines, 0)
	for i, b := range body {
		if b == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	f.nl = "\n"
	if i := bytes.IndexByte(body, '\n'); i > 0 && body[i-1] == '\r' {
		f.nl = "\r\n"
	}
	return f, nil
}

// utf8BOM is the UTF-8 byte order mark, kept as it was by every edit.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// walk follows path from n without following aliases: editing through an
// alias would change every place that uses the anchor. flow reports
// whether the node sits inside a flow collection.
func walk(n *yaml.Node, path []string) (node *yaml.Node, flow bool, err error) {
	cur := n
	for i, seg := range path {
		flow = flow || cur.Style&yaml.FlowStyle != 0
		var next *yaml.Node
		switch cur.Kind {
		case yaml.MappingNode:
			if err := once(cur, seg, path[:i+1]); err != nil {
				return nil, false, err
			}
			next = mappingValue(cur, seg)
		case yaml.SequenceNode:
			if j, err := strconv.Atoi(seg); err == nil && j >= 0 && j < len(cur.Content) {
				next = cur.Content[j]
			}
		}
		if next == nil {
			return nil, false, fmt.Errorf("%s not found", strings.Join(path[:i+1], "."))
		}
		if next.Kind == yaml.AliasNode {
			return nil, false, fmt.Errorf("%w: %s is an alias (*%s); edit it by hand", ErrUnsupportedEdit, strings.Join(path[:i+1], "."), next.Value)
		}
		cur = next
	}
	return cur, flow || cur.Style&yaml.FlowStyle != 0, nil
}

// once refuses an edit through key when mapping m writes key more than
// once (path names it): which of the two is meant is anyone's guess, and
// the loader refuses such a file anyway.
func once(m *yaml.Node, key string, path []string) error {
	n := 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("%w: %s is written %d times; remove all but one first", ErrUnsupportedEdit, strings.Join(path, "."), n)
	}
	return nil
}

// mappingValue returns the value of key in mapping m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func isEmptyNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "" && n.ShortTag() == "!!null" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0
}

// offset turns a node position (1-based line, column in characters) into a
// byte offset of the body.
func (f *editFile) offset(line, col int) int {
	if line < 1 || line > len(f.lines) {
		return len(f.body)
	}
	off := f.lines[line-1]
	for c := 1; c < col && off < len(f.body) && f.body[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(f.body[off:])
		off += size
	}
	return off
}

func (f *editFile) start(n *yaml.Node) int { return f.offset(n.Line, n.Column) }

// lineOf returns the 1-based line holding byte offset off.
func (f *editFile) lineOf(off int) int {
	lo, hi := 0, len(f.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if f.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// lineEnd returns the offset of the line break ending the line that holds
// off (its "\r\n" or "\n"), or the end of the body.
func (f *editFile) lineEnd(off int) int {
	i := bytes.IndexByte(f.body[off:], '\n')
	if i < 0 {
		return len(f.body)
	}
	end := off + i
	if end > 0 && f.body[end-1] == '\r' {
		end--
	}
	return end
}

// afterBreak returns the offset after the line break at le (a lineEnd
// before the end of the body): the line's own "\r\n" or "\n", which need
// not be the file's usual one (f.nl) in a file whose lines end both ways.
func (f *editFile) afterBreak(le int) int {
	if f.body[le] == '\r' {
		return le + 2 // lineEnd stops at '\r' only before '\n'
	}
	return le + 1
}

// indentOf counts the leading spaces of a line.
func (f *editFile) indentOf(line int) int {
	off := f.lines[line-1]
	n := 0
	for off+n < len(f.body) && f.body[off+n] == ' ' {
		n++
	}
	return n
}

// blankOrComment reports whether a line holds only spaces or a comment.
func (f *editFile) blankOrComment(line int) bool {
	off := f.lines[line-1]
	t := bytes.TrimSpace(f.body[off:f.lineEnd(off)])
	return len(t) == 0 || t[0] == '#'
}

// change replaces the body's bytes [from, to) with text.
type change struct {
	from, to int
	text     string
}

func (f *editFile) splice(from, to int, text string) change {
	return change{from: from, to: to, text: text}
}

// apply makes every change at once, in one pass over the body: changes
// are sorted by offset (insertions at one offset keep their order) and
// must not overlap.
func (f *editFile) apply(changes []change) ([]byte, error) {
	slices.SortStableFunc(changes, func(a, b change) int { return a.from - b.from })
	size := len(f.body) + len(utf8BOM)
	for i, c := range changes {
		size += len(c.text)
		if i > 0 && c.from < changes[i-1].to {
			return nil, fmt.Errorf("%w: two edits touch the same text", ErrUnsupportedEdit)
		}
	}
	out := make([]byte, 0, size)
	if f.bom {
		out = append(out, utf8BOM...)
	}
	at := 0
	for _, c := range changes {
		out = append(out, f.body[at:c.from]...)
		out = append(out, c.text...)
		at = c.to
	}
	return append(out, f.body[at:]...), nil
}

// skipProperties skips an anchor (&a) and a tag (!!str) before a value.
func (f *editFile) skipProperties(off int) int {
	for off < len(f.body) && (f.body[off] == '&' || f.body[off] == '!') {
		for off < len(f.body) && !isSpace(f.body[off]) && f.body[off] != '\n' && f.body[off] != '\r' {
			off++
		}
		for off < len(f.body) && isSpace(f.body[off]) {
			off++
		}
	}
	return off
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' }

// scalarSpan returns where the text of a scalar starts (after any anchor
// or tag) and ends. flow says whether the scalar sits in a flow collection.
func (f *editFile) scalarSpan(n *yaml.Node, flow bool) (from, to int, err error) {
	from = f.skipProperties(f.start(n))
	b := f.body
	if from >= len(b) {
		return from, from, nil
	}
	switch b[from] {
	case '"':
		for i := from + 1; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return from, i + 1, nil
			}
		}
		return 0, 0, fmt.Errorf("%w: unterminated double-quoted value", ErrUnsupportedEdit)
	case '\'':
		for i := from + 1; i < len(b); i++ {
			if b[i] == '\'' {
				if i+1 < len(b) && b[i+1] == '\'' {
					i++
					continue
				}
				return from, i + 1, nil
			}
		}
		return 0, 0, fmt.Errorf("%w: unterminated single-quoted value", ErrUnsupportedEdit)
	case '|', '>':
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return from, f.blockScalarEnd(from), nil
		}
	}
	if isEmptyNull(n) {
		// An empty value ("key:" with nothing after it) has no text; yaml.v3
		// places it right after the colon.
		return from, from, nil
	}
	// A plain scalar: to the end of the line, a comment, or (in a flow
	// collection) an indicator.
	end := from
	for end < len(b) {
		c := b[end]
		if c == '\n' || c == '\r' {
			break
		}
		if c == '#' && end > from && isSpace(b[end-1]) {
			break
		}
		if flow && (c == ',' || c == ']' || c == '}') {
			break
		}
		end++
	}
	for end > from && isSpace(b[end-1]) {
		end--
	}
	if n.Kind == yaml.ScalarNode && string(b[from:end]) != n.Value && n.Style&yaml.TaggedStyle == 0 {
		// A plain scalar folded over several lines: extend line by line
		// until the text read matches the value.
		text := string(b[from:end])
		line := f.lineOf(from)
		for l := line + 1; l <= len(f.lines) && len(text) < len(n.Value); l++ {
			off := f.lines[l-1]
			le := f.lineEnd(off)
			t := strings.TrimSpace(string(b[off:le]))
			if t == "" {
				text += "\n"
				continue
			}
			if strings.HasSuffix(text, "\n") {
				text += t
			} else {
				text += " " + t
			}
			end = off + bytes.Index(b[off:le], []byte(t)) + len(t)
		}
		if text != n.Value {
			return 0, 0, fmt.Errorf("%w: the value spans lines in a way orgctl cannot follow (line %d)", ErrUnsupportedEdit, line)
		}
	}
	return from, end, nil
}

// blockScalarEnd finds the end of a literal (|) or folded (>) scalar whose
// header starts at off: its content is every following line that is blank
// or indented more than the header's line.
func (f *editFile) blockScalarEnd(off int) int {
	line := f.lineOf(off)
	base := f.indentOf(line)
	end := f.lineEnd(off)
	for l := line + 1; l <= len(f.lines); l++ {
		lo := f.lines[l-1]
		le := f.lineEnd(lo)
		if len(bytes.TrimSpace(f.body[lo:le])) == 0 {
			continue
		}
		if f.indentOf(l) <= base {
			break
		}
		end = le
	}
	return end
}

// nodeEnd returns the offset just after the text of a value.
func (f *editFile) nodeEnd(n *yaml.Node, flow bool) (int, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		_, end, err := f.scalarSpan(n, flow)
		return end, err
	case yaml.AliasNode:
		return f.start(n) + 1 + len(n.Value), nil
	case yaml.MappingNode, yaml.SequenceNode:
		from := f.skipProperties(f.start(n))
		if from < len(f.body) && (f.body[from] == '{' || f.body[from] == '[') && n.Style&yaml.FlowStyle != 0 {
			return f.flowEnd(from)
		}
		if len(n.Content) == 0 {
			return from, nil
		}
		return f.nodeEnd(n.Content[len(n.Content)-1], flow)
	}
	return 0, fmt.Errorf("%w: unexpected node", ErrUnsupportedEdit)
}

// flowEnd finds the bracket that closes the flow collection opening at off
// and returns the offset after it.
func (f *editFile) flowEnd(off int) (int, error) {
	b := f.body
	depth := 0
	for i := off; i < len(b); i++ {
		switch c := b[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(b); i++ {
				if b[i] == '\'' {
					if i+1 < len(b) && b[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > 0 && (isSpace(b[i-1]) || b[i-1] == '\n') {
				for i < len(b) && b[i] != '\n' {
					i++
				}
			}
		}
	}
	return 0, fmt.Errorf("%w: unterminated flow collection", ErrUnsupportedEdit)
}

// replaceScalar writes value over an existing scalar, keeping its style.
func (f *editFile) replaceScalar(n *yaml.Node, value string, flow bool) (change, error) {
	if n.Kind == yaml.AliasNode {
		return change{}, fmt.Errorf("%w: the value is an alias (*%s); edit it by hand", ErrUnsupportedEdit, n.Value)
	}
	if n.Kind != yaml.ScalarNode {
		return change{}, fmt.Errorf("%w: the value is a %s, not a single value", ErrUnsupportedEdit, KindName(n))
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return change{}, fmt.Errorf("%w: the value is a block scalar (| or >); edit it by hand", ErrUnsupportedEdit)
	}
	from, to, err := f.scalarSpan(n, flow)
	if err != nil {
		return change{}, err
	}
	var text string
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		text = doubleQuoted(value)
	case n.Style&yaml.SingleQuotedStyle != 0:
		text = "'" + strings.ReplaceAll(value, "'", "''") + "'"
	default:
		text = plainOrQuoted(value, flow)
	}
	if from == to && from < len(f.body) && f.body[from] != ' ' && f.body[from] != '\n' && f.body[from] != '\r' {
		text += " "
	}
	if from == to && from > 0 && f.body[from-1] == ':' {
		text = " " + text
	}
	return f.splice(from, to, text), nil
}

// insertKey adds "key: value" to mapping m.
func (f *editFile) insertKey(m *yaml.Node, key, value string) (change, error) {
	if m.Style&yaml.FlowStyle != 0 {
		return f.insertFlow(m, key+": "+plainOrQuoted(value, true))
	}
	return f.insertBlockLines(m, []string{key + ": " + plainOrQuoted(value, false)})
}

// insertFlow adds an entry after the last one of flow collection c (or
// right after its opening bracket when it is empty).
func (f *editFile) insertFlow(c *yaml.Node, entry string) (change, error) {
	if len(c.Content) == 0 {
		open := f.skipProperties(f.start(c))
		if open >= len(f.body) || (f.body[open] != '{' && f.body[open] != '[') {
			return change{}, fmt.Errorf("%w: cannot find the opening bracket", ErrUnsupportedEdit)
		}
		return f.splice(open+1, open+1, entry), nil
	}
	end, err := f.nodeEnd(c.Content[len(c.Content)-1], true)
	if err != nil {
		return change{}, err
	}
	return f.splice(end, end, ", "+entry), nil
}

// insertBlockLines inserts lines (without indentation or line breaks) into
// block mapping m after its last entry, indented like its keys.
func (f *editFile) insertBlockLines(m *yaml.Node, lines []string) (change, error) {
	if len(m.Content) < 2 {
		return change{}, fmt.Errorf("%w: empty block mapping", ErrUnsupportedEdit)
	}
	indent := strings.Repeat(" ", m.Content[0].Column-1)
	end, err := f.nodeEnd(m.Content[len(m.Content)-1], false)
	if err != nil {
		return change{}, err
	}
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(indent)
		sb.WriteString(l)
		sb.WriteString(f.nl)
	}
	le := f.lineEnd(end)
	if le == len(f.body) {
		// The last line has no line break: add one before ours, and none after.
		return f.splice(le, le, f.nl+strings.TrimSuffix(sb.String(), f.nl)), nil
	}
	next := f.afterBreak(le)
	return f.splice(next, next, sb.String()), nil
}

// insertListKey adds "key:" holding a one-item list to mapping m.
func (f *editFile) insertListKey(m *yaml.Node, key string, item []Field) (change, error) {
	if m.Style&yaml.FlowStyle != 0 {
		return f.insertFlow(m, key+": ["+flowItem(item)+"]")
	}
	lines := []string{key + ":"}
	for _, l := range blockItem(item, 2) {
		lines = append(lines, l)
	}
	return f.insertBlockLines(m, lines)
}

// fillNullList turns "key:" with no value into a one-item block list.
func (f *editFile) fillNullList(m, v *yaml.Node, item []Field) (change, error) {
	var key *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i+1] == v {
			key = m.Content[i]
		}
	}
	if m.Style&yaml.FlowStyle != 0 || key == nil {
		return change{}, fmt.Errorf("%w: empty value in a flow mapping", ErrUnsupportedEdit)
	}
	indent := strings.Repeat(" ", key.Column-1)
	var sb strings.Builder
	for _, l := range blockItem(item, 2) {
		sb.WriteString(f.nl + indent + l)
	}
	end := f.lineEnd(f.start(v))
	return f.splice(end, end, sb.String()), nil
}

// appendItem adds item to the end of list l.
func (f *editFile) appendItem(l *yaml.Node, item []Field) (change, error) {
	if l.Style&yaml.FlowStyle != 0 {
		return f.insertFlow(l, flowItem(item))
	}
	if len(l.Content) == 0 {
		return change{}, fmt.Errorf("%w: empty block list", ErrUnsupportedEdit)
	}
	// yaml.v3 places a block list at its first "-"; items' keys sit where
	// the first item's mapping starts.
	dash := l.Column - 1
	keyOff := 2
	if first := l.Content[0]; first.Kind == yaml.MappingNode && first.Style&yaml.FlowStyle == 0 && first.Line == l.Line {
		keyOff = first.Column - 1 - dash
	}
	end, err := f.nodeEnd(l.Content[len(l.Content)-1], false)
	if err != nil {
		return change{}, err
	}
	var sb strings.Builder
	for i, fl := range item {
		if i == 0 {
			sb.WriteString(strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", max(1, keyOff-1)))
		} else {
			sb.WriteString(strings.Repeat(" ", dash+max(2, keyOff)))
		}
		sb.WriteString(fl.Key + ": " + plainOrQuoted(fl.Value, false) + f.nl)
	}
	le := f.lineEnd(end)
	if le == len(f.body) {
		return f.splice(le, le, f.nl+strings.TrimSuffix(sb.String(), f.nl)), nil
	}
	next := f.afterBreak(le)
	return f.splice(next, next, sb.String()), nil
}

// blockItem renders a list item as lines, relative to the key that holds
// the list, with the "- " indented by indent.
func blockItem(item []Field, indent int) []string {
	out := make([]string, 0, len(item))
	for i, fl := range item {
		prefix := strings.Repeat(" ", indent+2)
		if i == 0 {
			prefix = strings.Repeat(" ", indent) + "- "
		}
		out = append(out, prefix+fl.Key+": "+plainOrQuoted(fl.Value, false))
	}
	return out
}

func flowItem(item []Field) string {
	parts := make([]string, len(item))
	for i, fl := range item {
		parts[i] = fl.Key + ": " + plainOrQuoted(fl.Value, true)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// plainOrQuoted writes s plain when YAML reads it back as the same string,
// and double-quoted otherwise ("true", "123", "a: b", "" ...).
func plainOrQuoted(s string, flow bool) string {
	if hyphenatedName(s) {
		return s // what nearly every value orgctl writes is: no need to ask yaml.v3
	}
	if s == "" || (flow && strings.ContainsAny(s, ",[]{}")) || strings.ContainsAny(s, "\n\r\t#\"'") {
		return doubleQuoted(s)
	}
	out, err := yaml.Marshal(s)
	if err != nil || strings.TrimRight(string(out), "\n") != s {
		return doubleQuoted(s)
	}
	return s
}

// hyphenatedName reports whether s is lower-case letters and digits in
// two or more parts joined by single hyphens, starting with a letter
// ("dana-kim-3f"): YAML reads such a word back as the same string (no
// boolean, null, number or date is spelt so), as yaml.Marshal would
// confirm at a hundred times the cost (TestHyphenatedNamesArePlain).
func hyphenatedName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	hyphen := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
			hyphen = true
		default:
			return false
		}
	}
	return hyphen
}

func doubleQuoted(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimRight(buf.String(), "\n")
}

// sameTree compares two node trees by content (kinds, tags, values,
// anchors), ignoring positions and styles. The subtree at skip (a path of
// mapping keys and list indexes below the document's root) may differ, and
// its last key may be new.
func sameTree(a, b *yaml.Node, skip [][]string) bool {
	if a.Kind == yaml.DocumentNode {
		if b.Kind != yaml.DocumentNode || len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !sameTree(a.Content[i], b.Content[i], skip) {
				return false
			}
		}
		return true
	}
	if a.Kind != b.Kind || a.Value != b.Value || a.ShortTag() != b.ShortTag() || a.Anchor != b.Anchor {
		return false
	}
	// under returns the paths of skip below a child reached by seg, and
	// whether that child is an edited value itself.
	under := func(seg string) (rest [][]string, edited bool) {
		for _, p := range skip {
			switch {
			case len(p) == 0 || p[0] != seg:
			case len(p) == 1:
				edited = true
			default:
				rest = append(rest, p[1:])
			}
		}
		return rest, edited
	}
	switch a.Kind {
	case yaml.MappingNode:
		// Keys that an edit may have added: the last key of a one-step
		// path that a does not have.
		var added map[string]bool
		for _, p := range skip {
			if len(p) == 1 && mappingValue(a, p[0]) == nil {
				if added == nil {
					added = map[string]bool{}
				}
				added[p[0]] = true
			}
		}
		skipAdded := func(bi int) int {
			for bi+1 < len(b.Content) && added[b.Content[bi].Value] {
				delete(added, b.Content[bi].Value)
				bi += 2 // the key was added here
			}
			return bi
		}
		bi := 0
		for ai := 0; ai+1 < len(a.Content); ai += 2 {
			bi = skipAdded(bi)
			if bi+1 >= len(b.Content) {
				return false
			}
			if !sameTree(a.Content[ai], b.Content[bi], nil) {
				return false
			}
			rest, edited := under(a.Content[ai].Value)
			if !edited && !sameTree(a.Content[ai+1], b.Content[bi+1], rest) {
				return false
			}
			bi += 2
		}
		// Only added keys may follow the others.
		return skipAdded(bi) >= len(b.Content)
	case yaml.SequenceNode, yaml.DocumentNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			rest, edited := under(strconv.Itoa(i))
			if !edited && !sameTree(a.Content[i], b.Content[i], rest) {
				return false
			}
		}
		return true
	}
	return len(a.Content) == len(b.Content)
}

// KindName names the kind of node n as an error message shows it to a
// person: list, mapping, alias, document or scalar.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	}
	return "scalar"
}
