package render

import (
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/orgctl/orgctl/reconcile"
)

// The JSON of `get -o json`, written by hand: the same bytes encoding/json
// writes for reconcile.PersonView and reconcile.TeamView as an item of
// WriteJSONList (indent prefix "    ", two spaces a level, no HTML
// escaping), without reflection, without the compact copy that
// json.Encoder indents afterwards, and without an allocation per value.
// TestViewJSONMatchesEncodingJSON and FuzzJSONString hold it to
// encoding/json byte for byte: a field added to a view must be added here
// (the test fails until it is).

// jsonOut appends indented JSON to b. depth is the nesting level of the
// value being written: item level is 0, its fields are at 1.
type jsonOut struct {
	b     []byte
	depth int
	// first is whether the next member is the first of its container.
	first bool
}

// listPrefix starts every line of a WriteJSONList item.
const listPrefix = "    "

// indent is a line break and the indentation of the deepest level views
// reach, and more: newline appends the start of it.
const indent = "\n" + listPrefix + "                                "

func (j *jsonOut) newline() {
	if n := 1 + len(listPrefix) + 2*j.depth; n <= len(indent) {
		j.b = append(j.b, indent[:n]...)
		return
	}
	j.b = append(j.b, indent...)
	for range j.depth - (len(indent)-1-len(listPrefix))/2 {
		j.b = append(j.b, ' ', ' ')
	}
}

// open starts an object or array whose members follow.
func (j *jsonOut) open(c byte) {
	j.b = append(j.b, c)
	j.depth++
	j.first = true
}

// close ends the container opened with open; empty is written "{}" or
// "[]" as encoding/json's indenting does.
func (j *jsonOut) close(c byte) {
	j.depth--
	if !j.first {
		j.newline()
	}
	j.b = append(j.b, c)
	j.first = false
}

// next starts a member of the current container.
func (j *jsonOut) next() {
	if !j.first {
		j.b = append(j.b, ',')
	}
	j.first = false
	j.newline()
}

// key starts an object member named k, a field name of the views: plain
// ASCII that JSON holds as it is (TestViewJSONMatchesEncodingJSON checks
// every one).
func (j *jsonOut) key(k string) {
	j.next()
	j.b = append(j.b, '"')
	j.b = append(j.b, k...)
	j.b = append(j.b, '"', ':', ' ')
}

func (j *jsonOut) str(k, v string) {
	j.key(k)
	j.b = appendJSONString(j.b, v)
}

// userStr writes a member whose name is data (a label's key), quoted.
func (j *jsonOut) userStr(k, v string) {
	j.next()
	j.b = appendJSONString(j.b, k)
	j.b = append(j.b, ':', ' ')
	j.b = appendJSONString(j.b, v)
}

func (j *jsonOut) int(k string, v int) {
	j.key(k)
	j.b = strconv.AppendInt(j.b, int64(v), 10)
}

func (j *jsonOut) bool(k string, v bool) {
	j.key(k)
	j.b = strconv.AppendBool(j.b, v)
}

// strings writes a list of strings; nil is null, as encoding/json writes it.
func (j *jsonOut) strings(k string, l []string) {
	j.key(k)
	if l == nil {
		j.b = append(j.b, "null"...)
		return
	}
	j.open('[')
	for _, s := range l {
		j.next()
		j.b = appendJSONString(j.b, s)
	}
	j.close(']')
}

// labels writes a map of strings with its keys sorted, as encoding/json does.
func (j *jsonOut) labels(k string, m map[string]string) {
	j.key(k)
	if m == nil {
		j.b = append(j.b, "null"...)
		return
	}
	j.open('{')
	if len(m) == 1 {
		for k, v := range m {
			j.userStr(k, v)
		}
	} else {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			j.userStr(k, m[k])
		}
	}
	j.close('}')
}

func (j *jsonOut) findings(k string, fs []reconcile.Finding) {
	j.key(k)
	if fs == nil {
		j.b = append(j.b, "null"...)
		return
	}
	j.open('[')
	for _, f := range fs {
		j.next()
		j.open('{')
		j.str("rule", string(f.Rule))
		j.str("severity", f.Severity.String())
		j.str("subject", f.Subject)
		if f.Other != "" {
			j.str("other", f.Other)
		}
		j.str("fingerprint", f.Fingerprint)
		j.str("message", f.Message)
		j.str("file", f.File)
		j.int("line", f.Line)
		j.int("column", f.Column)
		if f.Exempt {
			j.bool("exempt", true)
		}
		j.close('}')
	}
	j.close(']')
}

func (j *jsonOut) source(s reconcile.SourceView) {
	j.key("source")
	j.open('{')
	j.str("file", s.File)
	j.int("line", s.Line)
	j.close('}')
}

// PeopleWithFindings lists the people x has findings about, in no order:
// reconcile.OrgView then asks x about them only.
func (x FindingIndex) PeopleWithFindings() []string {
	names := make([]string, 0, len(x.people))
	for name := range x.people {
		names = append(names, name)
	}
	return names
}

// The line breaks and indentation of a WriteJSONList item's members
// (fieldLine) and of the members of a list or object that is one of them
// (memberLine), and the fragments written between the values of an item
// of `get people -o json`, each appended at once.
const (
	fieldLine  = "\n" + listPrefix + "  "
	memberLine = fieldLine + "  "
)

// personJSON writes the items of `get people -o json` on one goroutine.
// Not safe for concurrent use.
type personJSON struct {
	// ov, when not nil, is the OrgView of the views, whose shared
	// chains' text (see SetJSONChains) is copied rather than encoded.
	ov     *reconcile.OrgView
	labels labelsJSON
}

// SetJSONChains asks ov for the text of its shared chains as `get people
// -o json` writes them (see reconcile.OrgView.SetChainFormat): call it
// before ov.Prepare.
func SetJSONChains(ov *reconcile.OrgView) {
	ov.SetChainFormat(reconcile.ChainFormat{Quote: appendJSONString, Sep: "," + memberLine})
}

// append appends v as an item of `get people -o json`. Each run of
// constant text between two values (a comma, a line break, the
// indentation, the next key) is one append.
func (e *personJSON) append(b []byte, v *reconcile.PersonView) []byte {
	b = append(b, "{"+fieldLine+`"name": `...)
	b = appendJSONString(b, v.Name)
	b = append(b, ","+fieldLine+`"displayName": `...)
	b = appendJSONString(b, v.DisplayName)
	b = append(b, ","+fieldLine+`"labels": `...)
	b = e.labels.append(b, v.Labels)
	b = append(b, ","+fieldLine+`"github": `...)
	b = appendJSONString(b, v.GitHub)
	b = append(b, ","+fieldLine+`"team": `...)
	b = appendJSONString(b, v.Team)
	b = append(b, ","+fieldLine+`"level": `...)
	b = appendJSONString(b, v.Level)
	b = append(b, ","+fieldLine+`"expertise": `...)
	b = appendStrings(b, v.Expertise)
	b = append(b, ","+fieldLine+`"status": `...)
	b = appendJSONString(b, v.Status)
	if v.External {
		b = append(b, ","+fieldLine+`"external": true,`+fieldLine+`"manager": `...)
	} else {
		b = append(b, ","+fieldLine+`"external": false,`+fieldLine+`"manager": `...)
	}
	var (
		text  []byte
		first int
		known bool
	)
	if e.ov != nil {
		text, first, known = e.ov.ChainText(v)
	}
	if known {
		b = append(b, text[:first]...)
		b = append(b, ","+fieldLine+`"managerFromTeam": `...)
		b = appendJSONString(b, v.ManagerFromTeam)
		b = append(b, ","+fieldLine+`"chain": [`+memberLine...)
		b = append(b, text...)
		b = append(b, fieldLine+"]"...)
	} else {
		b = appendJSONString(b, v.Manager)
		b = append(b, ","+fieldLine+`"managerFromTeam": `...)
		b = appendJSONString(b, v.ManagerFromTeam)
		b = append(b, ","+fieldLine+`"chain": `...)
		b = appendStrings(b, v.Chain)
	}
	if v.ChainLoops {
		b = append(b, ","+fieldLine+`"chainLoops": true`...)
	}
	if v.Root {
		b = append(b, ","+fieldLine+`"root": true,`+fieldLine+`"coach": `...)
	} else {
		b = append(b, ","+fieldLine+`"root": false,`+fieldLine+`"coach": `...)
	}
	b = appendJSONString(b, v.Coach)
	b = append(b, ","+fieldLine+`"mentors": `...)
	switch {
	case v.Mentors == nil:
		b = append(b, "null"...)
	case len(v.Mentors) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for k, m := range v.Mentors {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, memberLine+"{"+memberLine+`  "person": `...)
			b = appendJSONString(b, m.Person)
			b = append(b, ","+memberLine+`  "domain": `...)
			b = appendJSONString(b, m.Domain)
			b = append(b, memberLine+"}"...)
		}
		b = append(b, fieldLine+"]"...)
	}
	b = append(b, ","+fieldLine+`"coachees": `...)
	b = appendStrings(b, v.Coachees)
	b = append(b, ","+fieldLine+`"mentees": `...)
	b = appendStrings(b, v.Mentees)
	b = append(b, ","+fieldLine+`"reports": `...)
	b = appendStrings(b, v.Reports)
	if v.Findings != nil && len(v.Findings) == 0 {
		b = append(b, ","+fieldLine+`"findings": [],`+fieldLine+`"source": {`+memberLine+`"file": `...)
	} else {
		j := jsonOut{b: b, depth: 1}
		j.findings("findings", v.Findings)
		b = append(j.b, ","+fieldLine+`"source": {`+memberLine+`"file": `...)
	}
	b = appendJSONString(b, v.Source.File)
	b = append(b, ","+memberLine+`"line": `...)
	b = strconv.AppendInt(b, int64(v.Source.Line), 10)
	return append(b, fieldLine+"}\n"+listPrefix+"}"...)
}

// appendStrings appends a list of strings that is a member of an item:
// nil is null, as encoding/json writes it, and empty is [].
func appendStrings(b []byte, l []string) []byte {
	if len(l) == 0 {
		if l == nil {
			return append(b, "null"...)
		}
		return append(b, "[]"...)
	}
	b = append(b, "["+memberLine...)
	b = appendJSONString(b, l[0])
	for _, s := range l[1:] {
		b = append(b, ","+memberLine...)
		b = appendJSONString(b, s)
	}
	return append(b, fieldLine+"]"...)
}

// labelsJSON remembers the JSON of the labels of the views one goroutine
// writes, by map: the loader keeps one map per distinct set of labels
// (an org has a few dozen), and encoding a map costs an iteration with
// its random start and, for two labels or more, a sort. Keys are the maps'
// addresses, held as pointers so that no map is collected (and its
// address reused) while it is remembered. Not safe for concurrent use.
type labelsJSON struct {
	maps [labelSlots]unsafe.Pointer
	json [labelSlots][]byte
}

// labelSlots is how many maps a labelsJSON remembers at once.
const labelSlots = 64

// append appends m as appendLabels does, from what it remembers when it
// can; a nil labelsJSON remembers nothing.
func (c *labelsJSON) append(b []byte, m map[string]string) []byte {
	if c == nil || len(m) == 0 {
		return appendLabels(b, m)
	}
	p := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	k := int((uint64(uintptr(p)) >> 4 * 0x9e3779b97f4a7c15) >> (64 - 6))
	if c.maps[k] == p {
		return append(b, c.json[k]...)
	}
	lo := len(b)
	b = appendLabels(b, m)
	c.maps[k], c.json[k] = p, append(c.json[k][:0], b[lo:]...)
	return b
}

// appendLabels appends labels that are a member of an item, with their
// keys sorted, as encoding/json does.
func appendLabels(b []byte, m map[string]string) []byte {
	switch len(m) {
	case 0:
		if m == nil {
			return append(b, "null"...)
		}
		return append(b, "{}"...)
	case 1:
		for k, v := range m {
			b = append(b, "{"+memberLine...)
			b = appendJSONString(b, k)
			b = append(b, ": "...)
			b = appendJSONString(b, v)
		}
		return append(b, fieldLine+"}"...)
	}
	var room [8]string
	keys := room[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for n, k := range keys {
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, memberLine...)
		b = appendJSONString(b, k)
		b = append(b, ": "...)
		b = appendJSONString(b, m[k])
	}
	return append(b, fieldLine+"}"...)
}

// appendTeamJSON appends v as an item of `get teams -o json`.
func appendTeamJSON(b []byte, v *reconcile.TeamView) []byte {
	j := jsonOut{b: b}
	j.open('{')
	j.str("name", v.Name)
	j.str("displayName", v.DisplayName)
	j.labels("labels", v.Labels)
	j.str("parent", v.Parent)
	j.str("manager", v.Manager)
	j.strings("members", v.Members)
	j.strings("subTeams", v.SubTeams)
	j.strings("chain", v.Chain)
	j.findings("findings", v.Findings)
	j.source(v.Source)
	j.close('}')
	return j.b
}

const hexDigits = "0123456789abcdef"

// jsonPlain marks the ASCII bytes a JSON string holds as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s quoted as encoding/json quotes a string with
// HTML escaping off: '"' and '\\' escaped, control characters as \b, \f,
// \n, \r, \t or \u00XX, U+2028 and U+2029 as \u2028 and \u2029 (they end
// lines in JavaScript), and each byte of invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	// Nearly every string of a view (names, teams, levels, paths) is
	// plain ASCII: test that eight bytes at a time, and copy it at once.
	if isPlain(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendEscaped(b, s)
}

// Eight copies of a byte, for testing eight bytes of a string at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// isPlain reports whether JSON holds every byte of s as it is: ASCII, not
// a control character, '"' or '\\'.
func isPlain(s string) bool {
	n := len(s)
	if n < 8 {
		for i := range n {
			if c := s[i]; c >= utf8.RuneSelf || !jsonPlain[c] {
				return false
			}
		}
		return true
	}
	// Whole words of eight bytes, then the last eight bytes (which may
	// overlap the word before).
	for i := 0; i < n-8; i += 8 {
		if !plainWord(word(s[i : i+8])) {
			return false
		}
	}
	return plainWord(word(s[n-8:]))
}

// word reads eight bytes, the first in the lowest.
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// plainWord reports whether each byte of x is plain (see isPlain). The
// high bit of a byte of t is set when some byte of x is below 0x20, is
// '"' or '\\', or is not ASCII: the classic tests for a byte below a bound
// and for a zero byte (of x^c), which may flag a neighbour of such a byte
// too, but never miss one.
func plainWord(x uint64) bool {
	q, bs := x^('"'*ones), x^('\\'*ones)
	t := (x - 0x20*ones) & ^x
	t |= (q - ones) & ^q
	t |= (bs - ones) & ^bs
	t |= x
	return t&highs == 0
}

// appendEscaped is appendJSONString for a string that needs escaping,
// one byte or rune at a time.
func appendEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
