package schema

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"go.yaml.in/yaml/v3"
)

// fastParseEach is a parser for the plain subset of YAML that org files
// are written in (what orgctl itself writes, orggen generates and people
// type): block mappings and sequences indented with spaces, plain scalars
// that start with a letter, quoted scalars without escapes, and one-line
// flow lists and mappings of such scalars, in documents separated by bare
// "---" lines. It builds exactly the yaml.Node trees yaml.v3 builds (kinds,
// tags, styles, values, lines and columns; comments are left out, nothing
// reads them) for every document that holds something (the empty ones
// the loader skips are left out: see pastMarkers), in a fraction of the
// time and garbage: yaml.v3's scanner,
// parser and event machinery are most of the cost of loading an org.
//
// It calls each with every document as soon as it is parsed, and stops
// when each returns false. The tree handed to each is valid only during
// the call: the next document reuses its nodes (an org file's trees would
// otherwise be most of what loading allocates), so each must keep nothing
// of it, values included.
//
// Anything outside the subset, valid YAML or not, makes it give up
// (ok=false) without a word, possibly after some documents were handed
// to each: the caller then discards what each did and decodes the file
// with yaml.v3 as before; so errors, positions and every limit stay
// yaml.v3's and the loader's. FuzzFastParse checks the trees against
// yaml.v3's on whatever it accepts.
//
// The values of the nodes are substrings of data itself, not of a copy:
// data must not change until fastParseEach returns, and whoever keeps a
// value beyond each must clone it (decode.go does).
func fastParseEach(data []byte, each func(doc *yaml.Node) bool) (ok bool) {
	ascii, ok := printable(data)
	if !ok {
		return false
	}
	if len(data) == 0 {
		return true // no documents
	}
	p := parsers.Get().(*fastParser)
	defer p.release()
	*p = fastParser{src: unsafe.String(&data[0], len(data)), ascii: ascii, slabs: p.slabs, kids: p.kids[:0], ptrs: p.ptrs[:0]}
	p.le = -1
	p.advance()
	p.skipBlank()
	if p.marker {
		p.pastMarkers()
		p.explicit = true
	}
	for !p.eof && !p.failed {
		if p.indent != 0 || p.marker {
			return false
		}
		p.reset()
		doc := p.node()
		doc.Kind = yaml.DocumentNode
		if p.explicit {
			doc.Line, doc.Column = p.markerLine, 1
		} else {
			doc.Line, doc.Column = p.line, 1
		}
		root := p.mapping(0, p.ls)
		if p.failed {
			return false
		}
		// The document is complete only once the next line is a
		// marker or the end: check that before handing it out.
		if !p.eof && !p.marker {
			return false
		}
		p.one[0] = root
		doc.Content = p.one[:]
		if !each(doc) {
			return true
		}
		if p.eof {
			break
		}
		p.pastMarkers()
		p.explicit = true
	}
	return !p.failed
}

// pastMarkers moves past the "---" line p is on, and past the empty
// documents that follow it (blank and comment lines up to another "---"
// or the end of the file): yaml.v3 hands out a document holding a null
// for each, which the loader skips (emptyDocument), so they are not
// handed out at all. A file that ends in "---", as concatenated
// manifests often do, then stays on the fast path.
func (p *fastParser) pastMarkers() {
	for p.marker && !p.failed {
		p.advance()
		p.skipBlank()
	}
}

// parsers keeps fastParsers, with their node slabs, between files.
var parsers = sync.Pool{New: func() any { return new(fastParser) }}

// release returns p to the pool, without the file it read.
func (p *fastParser) release() {
	p.src = ""
	p.kids = p.kids[:0]
	parsers.Put(p)
}

// fastParser is the state of fastParse: the current line and the node
// slabs.
type fastParser struct {
	src    string
	ascii  bool // columns are byte offsets + 1
	failed bool

	// The current line: src[ls:le], its 1-based number, its indentation;
	// blank means only spaces or a comment; marker means "---".
	ls, le     int
	line       int
	indent     int
	blank      bool
	marker     bool
	eof        bool
	explicit   bool // the current document started with "---"
	markerLine int  // the line of that "---"

	// Nodes come from slabs, reused from one document to the next:
	// slabs[slab][used] is the next free node.
	slabs      [][]yaml.Node
	slab, used int
	kids       []*yaml.Node  // children of the collections being parsed
	ptrs       []*yaml.Node  // the current slab of Content slices
	one        [1]*yaml.Node // the document node's Content
}

// printable reports whether data holds only line feeds and characters
// YAML allows (no tabs, carriage returns or control characters: yaml.v3
// decides about those), and whether they are all ASCII.
func printable(data []byte) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(data); {
		b := data[i]
		if b < utf8.RuneSelf {
			if b < ' ' && b != '\n' || b == 0x7f {
				return false, false
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError || r == 0xFEFF || r < 0xA0 || r >= 0xD800 && r < 0xE000 || r > 0xFFFD && r < 0x10000 {
			return false, false
		}
		i += size
	}
	return ascii, true
}

// advance moves to the next line.
func (p *fastParser) advance() {
	i := p.le + 1
	p.line++
	if i >= len(p.src) {
		p.eof, p.marker, p.blank = true, false, false
		p.ls, p.le, p.indent = len(p.src), len(p.src), 0
		return
	}
	e := strings.IndexByte(p.src[i:], '\n')
	if e < 0 {
		e = len(p.src)
	} else {
		e += i
	}
	p.ls, p.le = i, e
	ind := 0
	for i+ind < e && p.src[i+ind] == ' ' {
		ind++
	}
	p.indent = ind
	p.blank = i+ind == e || p.src[i+ind] == '#'
	p.marker = false
	if ind == 0 && strings.HasPrefix(p.src[i:e], "---") {
		if e-i == 3 {
			p.marker, p.markerLine = true, p.line
		} else {
			p.failed = true // "--- x", "---x": yaml.v3 decides
		}
	}
	if ind == 0 && strings.HasPrefix(p.src[i:e], "...") {
		p.failed = true
	}
}

// skipBlank moves past blank and comment lines.
func (p *fastParser) skipBlank() {
	for !p.eof && !p.failed && p.blank {
		p.advance()
	}
}

// col is the 1-based column of byte offset off of the current line, in
// characters as yaml.v3 counts them.
func (p *fastParser) col(off int) int {
	if p.ascii {
		return off - p.ls + 1
	}
	return utf8.RuneCountInString(p.src[p.ls:off]) + 1
}

// slabSize is the number of nodes per slab: a few documents' worth.
const slabSize = 256

// node returns a zeroed node from the slabs.
func (p *fastParser) node() *yaml.Node {
	if p.slab == len(p.slabs) {
		p.slabs = append(p.slabs, make([]yaml.Node, slabSize))
	}
	n := &p.slabs[p.slab][p.used]
	*n = yaml.Node{}
	if p.used++; p.used == slabSize {
		p.slab, p.used = p.slab+1, 0
	}
	return n
}

// reset makes the nodes and Content slices of the previous document free
// for the next one.
func (p *fastParser) reset() {
	p.slab, p.used = 0, 0
	p.ptrs = p.ptrs[:0]
}

func (p *fastParser) scalar(off int, value, tag string, style yaml.Style) *yaml.Node {
	n := p.node()
	n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, tag, value, style
	n.Line, n.Column = p.line, p.col(off)
	return n
}

// take pops the children pushed since base into a Content slice.
func (p *fastParser) take(base int) []*yaml.Node {
	n := len(p.kids) - base
	if n == 0 {
		return nil
	}
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*yaml.Node, 0, max(1024, n))
	}
	out := p.ptrs[len(p.ptrs) : len(p.ptrs)+n : len(p.ptrs)+n]
	copy(out, p.kids[base:])
	p.ptrs = p.ptrs[:len(p.ptrs)+n]
	p.kids = p.kids[:base]
	return out
}

func (p *fastParser) fail() *yaml.Node {
	p.failed = true
	return nil
}

// mapping parses a block mapping whose keys are at indent, the first of
// them at byte offset at of the current line.
func (p *fastParser) mapping(indent, at int) *yaml.Node {
	m := p.node()
	m.Kind, m.Tag = yaml.MappingNode, "!!map"
	m.Line, m.Column = p.line, p.col(at)
	base := len(p.kids)
	for first := true; ; first = false {
		if !first {
			p.skipBlank()
			if p.failed {
				return nil
			}
			if p.eof || p.marker || p.indent < indent {
				break
			}
			if p.indent > indent {
				return p.fail()
			}
			at = p.ls + indent
		}
		end := p.keyEnd(at)
		if end < 0 {
			return p.fail()
		}
		p.kids = append(p.kids, p.scalar(at, p.src[at:end], "!!str", 0))
		v := p.value(indent, end+1)
		if v == nil {
			return p.fail()
		}
		p.kids = append(p.kids, v)
	}
	m.Content = p.take(base)
	return m
}

// value parses what follows "key:" (at byte offset off) of a mapping at
// indent: a scalar or flow collection on the same line, or a block
// collection on the next lines.
func (p *fastParser) value(indent, off int) *yaml.Node {
	j := off
	for j < p.le && p.src[j] == ' ' {
		j++
	}
	if j == p.le || p.src[j] == '#' {
		p.advance()
		p.skipBlank()
		if p.eof || p.marker || p.failed {
			return p.fail() // a null value
		}
		c := p.ls + p.indent
		switch {
		case p.indent > indent && p.isDash(c):
			return p.sequence(p.indent)
		case p.indent > indent:
			return p.mapping(p.indent, c)
		case p.indent == indent && p.isDash(c):
			return p.sequence(indent)
		}
		return p.fail()
	}
	return p.inline(j)
}

func (p *fastParser) isDash(i int) bool {
	return i < p.le && p.src[i] == '-' && (i+1 == p.le || p.src[i+1] == ' ')
}

// sequence parses a block sequence whose dashes are at indent.
func (p *fastParser) sequence(indent int) *yaml.Node {
	s := p.node()
	s.Kind, s.Tag = yaml.SequenceNode, "!!seq"
	s.Line, s.Column = p.line, p.col(p.ls+indent)
	base := len(p.kids)
	for first := true; ; first = false {
		if !first {
			p.skipBlank()
			if p.failed {
				return nil
			}
			if p.eof || p.marker || p.indent < indent {
				break
			}
			if p.indent > indent {
				return p.fail()
			}
		}
		d := p.ls + indent
		if !p.isDash(d) {
			if first {
				return p.fail()
			}
			break // the next key of the mapping the sequence is the value of
		}
		j := d + 1
		for j < p.le && p.src[j] == ' ' {
			j++
		}
		if j == p.le || p.src[j] == '#' || p.src[j] == '-' {
			return p.fail()
		}
		var item *yaml.Node
		if end := p.keyEnd(j); end >= 0 {
			item = p.mapping(j-p.ls, j)
		} else {
			item = p.inline(j)
		}
		if item == nil {
			return p.fail()
		}
		p.kids = append(p.kids, item)
	}
	s.Content = p.take(base)
	return s
}

// inline parses a scalar or flow collection at byte offset j that must end
// the line (but for a comment), and moves to the next line.
func (p *fastParser) inline(j int) *yaml.Node {
	var n *yaml.Node
	var end int
	switch p.src[j] {
	case '[':
		n, end = p.flowSeq(j)
	case '{':
		n, end = p.flowMap(j)
	case '"', '\'':
		n, end = p.quoted(j)
	default:
		end = p.plainEnd(j, false)
		if end < 0 {
			return p.fail()
		}
		v := p.src[j:end]
		tag := "!!str"
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			tag = "!!bool"
		case "null", "Null", "NULL":
			return p.fail()
		}
		n = p.scalar(j, v, tag, 0)
	}
	if n == nil || !p.lineEnds(end) {
		return p.fail()
	}
	p.advance()
	return n
}

// lineEnds reports whether only spaces and a comment follow byte offset i.
func (p *fastParser) lineEnds(i int) bool {
	k := i
	for k < p.le && p.src[k] == ' ' {
		k++
	}
	return k == p.le || p.src[k] == '#' && k > i
}

// keyEnd returns the offset of the ':' ending a simple key at i (letters,
// digits, '-', '_', '.', '/'; starting with a letter; not a word YAML reads
// as a bool or null), or -1.
func (p *fastParser) keyEnd(i int) int {
	k := i
	if k >= p.le || !isLetter(p.src[k]) {
		return -1
	}
	for k < p.le && isKeyByte(p.src[k]) {
		k++
	}
	if k == p.le || p.src[k] != ':' || k+1 < p.le && p.src[k+1] != ' ' || k-i > 128 || special(p.src[i:k]) {
		return -1
	}
	return k
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func isKeyByte(b byte) bool {
	return isLetter(b) || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.' || b == '/'
}

// special reports the words that YAML resolves to something else than a
// string when plain.
func special(s string) bool {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL":
		return true
	}
	return false
}

// plainEnd returns the end of a plain scalar starting at i (trailing spaces
// excluded), or -1 when it leaves the subset. In flow context the scalar
// ends at ',', ']' or '}'.
func (p *fastParser) plainEnd(i int, flow bool) int {
	if i >= p.le {
		return -1
	}
	if b := p.src[i]; b < utf8.RuneSelf && !isLetter(b) {
		return -1
	}
	end := i
	for k := i; k < p.le; {
		b := p.src[k]
		switch {
		case b == ' ':
			k++
			continue
		case flow && (b == ',' || b == ']' || b == '}'):
			return end
		case b == '#':
			if p.src[k-1] == ' ' {
				return end
			}
			return -1
		case b == ':':
			if flow || k+1 == p.le || p.src[k+1] == ' ' {
				return -1
			}
		case b < utf8.RuneSelf:
			if !isKeyByte(b) && b != '@' && b != '+' && (flow || b != '(' && b != ')' && b != ',' && b != '\'') {
				return -1
			}
		default:
			r, size := utf8.DecodeRuneInString(p.src[k:])
			if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) {
				return -1
			}
			k += size
			end = k
			continue
		}
		k++
		end = k
	}
	if flow {
		return -1 // a flow collection ends on its line
	}
	return end
}

// quoted parses a one-line quoted scalar without escapes at i.
func (p *fastParser) quoted(i int) (*yaml.Node, int) {
	q := p.src[i]
	for k := i + 1; k < p.le; {
		b := p.src[k]
		switch {
		case b == q:
			if q == '\'' && k+1 < p.le && p.src[k+1] == '\'' {
				return nil, -1
			}
			style := yaml.DoubleQuotedStyle
			if q == '\'' {
				style = yaml.SingleQuotedStyle
			}
			return p.scalar(i, p.src[i+1:k], "!!str", style), k + 1
		case b == '\\':
			return nil, -1
		case b < utf8.RuneSelf:
			if b < ' ' || b == 0x7f {
				return nil, -1
			}
			k++
		default:
			r, size := utf8.DecodeRuneInString(p.src[k:])
			if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) {
				return nil, -1
			}
			k += size
		}
	}
	return nil, -1
}

// flowScalar parses a scalar inside a flow collection at i; it returns the
// offset after it.
func (p *fastParser) flowScalar(i int) (*yaml.Node, int) {
	if i < p.le && (p.src[i] == '"' || p.src[i] == '\'') {
		return p.quoted(i)
	}
	end := p.plainEnd(i, true)
	if end < 0 || special(p.src[i:end]) {
		return nil, -1
	}
	return p.scalar(i, p.src[i:end], "!!str", 0), end
}

func (p *fastParser) skipSpaces(i int) int {
	for i < p.le && p.src[i] == ' ' {
		i++
	}
	return i
}

// flowSeq parses [a, b, c] on one line at i.
func (p *fastParser) flowSeq(i int) (*yaml.Node, int) {
	s := p.node()
	s.Kind, s.Tag, s.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
	s.Line, s.Column = p.line, p.col(i)
	base := len(p.kids)
	k := p.skipSpaces(i + 1)
	if k < p.le && p.src[k] == ']' {
		return s, k + 1
	}
	for {
		n, e := p.flowScalar(k)
		if n == nil {
			return nil, -1
		}
		p.kids = append(p.kids, n)
		k = p.skipSpaces(e)
		if k >= p.le {
			return nil, -1
		}
		if p.src[k] == ']' {
			s.Content = p.take(base)
			return s, k + 1
		}
		if p.src[k] != ',' {
			return nil, -1
		}
		k = p.skipSpaces(k + 1)
	}
}

// flowMap parses {k: v, k: v} on one line at i.
func (p *fastParser) flowMap(i int) (*yaml.Node, int) {
	m := p.node()
	m.Kind, m.Tag, m.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
	m.Line, m.Column = p.line, p.col(i)
	base := len(p.kids)
	k := p.skipSpaces(i + 1)
	if k < p.le && p.src[k] == '}' {
		return m, k + 1
	}
	for {
		e := k
		if e >= p.le || !isLetter(p.src[e]) {
			return nil, -1
		}
		for e < p.le && isKeyByte(p.src[e]) {
			e++
		}
		if e+1 >= p.le || p.src[e] != ':' || p.src[e+1] != ' ' || special(p.src[k:e]) {
			return nil, -1
		}
		p.kids = append(p.kids, p.scalar(k, p.src[k:e], "!!str", 0))
		v, ve := p.flowScalar(p.skipSpaces(e + 1))
		if v == nil {
			return nil, -1
		}
		p.kids = append(p.kids, v)
		k = p.skipSpaces(ve)
		if k >= p.le {
			return nil, -1
		}
		if p.src[k] == '}' {
			m.Content = p.take(base)
			return m, k + 1
		}
		if p.src[k] != ',' {
			return nil, -1
		}
		k = p.skipSpaces(k + 1)
	}
}
