package schema

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"regexp"

	"github.com/orgctl/orgctl/schema/yamledit"
)

// scannedName is an orgctl name found by scanNames.
type scannedName struct {
	kind, name string
	pos        Pos // of the name's value
	start      Pos // of the document's first line
}

// nameRE is a valid metadata.name (DNS-1123 label).
var nameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// maxScanLine is the longest line scanNames reads; the rest of a longer
// line is skipped (a name fits on a short line).
const maxScanLine = 4096

// scanNames reads text that could not be decoded as YAML (a syntax error,
// a file past the size or document limit, bytes that are not UTF-8) the
// tolerant way, line by line: for each document (split at "---" lines) it
// takes the top-level apiVersion and kind and metadata.name, in block or
// flow style, and returns the names of documents that are, or look like,
// orgctl's. Lines are numbered from first; lines before from are skipped.
// It holds one line at a time, so its work is linear in the bytes read
// and its memory bounded; it stops after limit names.
func scanNames(text io.Reader, first, from, limit int) []scannedName {
	var (
		out  []scannedName
		doc  scannedName
		api  string
		meta = -1 // indentation of metadata's entries; -1: not inside metadata; -2: inside, not yet known
	)
	flush := func() {
		if nameRE.MatchString(doc.name) && len(doc.name) <= 63 && (isOurKind(doc.kind) || api == APIVersion || closeAPIVersion(api)) {
			out = append(out, doc)
		}
		doc, api, meta = scannedName{}, "", -1
	}
	r := bufio.NewReaderSize(text, maxScanLine)
	for line := first; len(out) < limit; line++ {
		l, err := r.ReadSlice('\n')
		long := false
		for errors.Is(err, bufio.ErrBufferFull) {
			long = true
			_, err = r.ReadSlice('\n')
		}
		if line >= from && len(l) > 0 {
			scanLine(l, line, long, &doc, &api, &meta, flush)
		}
		if err != nil {
			break
		}
	}
	if len(out) < limit {
		flush()
	}
	return out
}

// scanLine reads one line into the state of scanNames.
func scanLine(l []byte, line int, long bool, doc *scannedName, api *string, meta *int, flush func()) {
	t := bytes.TrimRight(l, yamlSpace)
	if yamledit.IsMarker(l) {
		flush()
		// A whole document on the marker line: --- {apiVersion: ...}
		t = bytes.TrimLeft(t[3:], " \t")
		if len(t) == 0 || t[0] != '{' || long {
			return
		}
		doc.start = posAt(line, len(l)-len(bytes.TrimLeft(l[3:], " \t"))+1)
		scanFlowDocument(t, line, len(bytes.TrimRight(l, yamlSpace))-len(t), doc, api)
		return
	}
	trimmed := bytes.TrimLeft(t, " ")
	if len(trimmed) == 0 || trimmed[0] == '#' {
		return
	}
	indent := len(t) - len(trimmed)
	if doc.start == (Pos{}) {
		doc.start = posAt(line, indent+1)
	}
	if long {
		return
	}
	if indent == 0 && t[0] == '{' {
		scanFlowDocument(t, line, 0, doc, api)
		return
	}
	if indent > 0 {
		if *meta == -2 {
			*meta = indent
		}
		if *meta == indent {
			if v, col, ok := scalarField(trimmed, "name"); ok && doc.name == "" {
				doc.name, doc.pos = v, posAt(line, indent+col)
			}
		}
		return
	}
	*meta = -1
	switch {
	case bytes.HasPrefix(t, []byte("apiVersion:")):
		*api, _, _ = scalarField(t, "apiVersion")
	case bytes.HasPrefix(t, []byte("kind:")):
		doc.kind, _, _ = scalarField(t, "kind")
	case bytes.HasPrefix(t, []byte("metadata:")):
		rest := bytes.TrimLeft(t[len("metadata:"):], " ")
		if len(rest) == 0 || rest[0] == '#' {
			*meta = -2
			return
		}
		// Flow style: metadata: {name: alice, labels: {...}}
		if rest[0] == '{' {
			body := rest[1:]
			for len(body) > 0 {
				body = bytes.TrimLeft(body, " ")
				if v, col, ok := scalarField(body, "name"); ok && doc.name == "" {
					doc.name = v
					doc.pos = posAt(line, len(t)-len(body)+col)
					return
				}
				i := bytes.IndexByte(body, ',')
				if i < 0 {
					return
				}
				body = body[i+1:]
			}
		}
	}
}

// scalarField reads `key: value` at the start of l and returns the plain
// or quoted value (up to a comment, a comma or a closing brace) and its
// 1-based column in l.
func scalarField(l []byte, key string) (string, int, bool) {
	rest, ok := bytes.CutPrefix(l, []byte(key+":"))
	if !ok {
		return "", 0, false
	}
	col := len(key) + 2 // 1-based column of rest[0]
	for len(rest) > 0 && rest[0] == ' ' {
		rest, col = rest[1:], col+1
	}
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		q := rest[0]
		if i := bytes.IndexByte(rest[1:], q); i >= 0 {
			return string(rest[1 : 1+i]), col, true
		}
		return "", 0, false
	}
	end := len(rest)
	for i, b := range rest {
		if b == ',' || b == '}' || b == '#' && i > 0 && rest[i-1] == ' ' {
			end = i
			break
		}
	}
	return string(bytes.TrimRight(rest[:end], " ")), col, true
}

var (
	flowAPIVersion = regexp.MustCompile(`(?:^\{|,)\s*apiVersion:\s*["']?([^,}"'\s]+)`)
	flowKind       = regexp.MustCompile(`(?:^\{|,)\s*kind:\s*["']?([^,}"'\s]+)`)
	flowName       = regexp.MustCompile(`metadata:\s*\{\s*(?:[^{}]*,\s*)?name:\s*["']?([a-z0-9][-a-z0-9]*)`)
)

// scanFlowDocument reads a document written on one line in flow style,
// {apiVersion: ..., kind: ..., metadata: {name: ...}, ...}, that starts
// at 0-based column off of its line.
func scanFlowDocument(t []byte, line, off int, doc *scannedName, api *string) {
	if m := flowAPIVersion.FindSubmatch(t); m != nil {
		*api = string(m[1])
	}
	if m := flowKind.FindSubmatch(t); m != nil {
		doc.kind = string(m[1])
	}
	if m := flowName.FindSubmatchIndex(t); m != nil && doc.name == "" {
		doc.name = string(t[m[2]:m[3]])
		doc.pos = posAt(line, off+m[2]+1)
	}
}
