package yamledit

import "bytes"

// Chunk is one piece of a file as SplitDocuments cuts it: the text of one
// or more YAML documents and the line it starts on.
type Chunk struct {
	Text  []byte
	First int // 1-based line of Text[0]
}

// SplitDocuments splits a file at document markers ("---" at the start of a
// line), so that a syntax error in one document does not hide the others.
// Chunks holding only comments, blank lines or directives are merged into
// the next one. It is the one definition of how orgctl numbers the
// documents of a file: the loader (schema.Source.Doc) and this editor both
// count documents chunk by chunk as cut here.
func SplitDocuments(data []byte) []Chunk {
	return AppendDocuments(nil, data)
}

// AppendDocuments is SplitDocuments appending the chunks to out, for a
// caller that reuses a slice (plan splits both versions of every file a
// change touched).
func AppendDocuments(out []Chunk, data []byte) []Chunk {
	start, startLine, line := 0, 1, 1
	substantive := false
	for i := 0; i < len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		next := len(data)
		if end >= 0 {
			next = i + end + 1
		}
		l := data[i:next]
		if IsMarker(l) && i > start && substantive {
			out = append(out, Chunk{Text: data[start:i], First: startLine})
			start, startLine, substantive = i, line, false
		}
		if !substantive && isSubstantive(l) {
			substantive = true
		}
		i = next
		line++
	}
	if start < len(data) && substantive {
		out = append(out, Chunk{Text: data[start:], First: startLine})
	}
	return out
}

// yamlSpace is what YAML counts as white space and line breaks (unlike
// bytes.TrimSpace, no Unicode spaces: those are content).
const yamlSpace = " \t\r\n"

// IsMarker reports whether line l starts a new document ("---" followed by
// white space, a line break or nothing).
func IsMarker(l []byte) bool {
	return bytes.HasPrefix(l, []byte("---")) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n' || l[3] == '\r')
}

// isSubstantive reports whether a line holds document content (not blank,
// not a comment, not a directive, not a bare marker).
func isSubstantive(l []byte) bool {
	t := bytes.Trim(l, yamlSpace)
	if len(t) == 0 || t[0] == '#' || t[0] == '%' {
		return false
	}
	if IsMarker(l) {
		rest := bytes.Trim(t[3:], yamlSpace)
		return len(rest) > 0 && rest[0] != '#'
	}
	if isDocumentEnd(l) {
		return false
	}
	return true
}

// isDocumentEnd reports whether line l is a document end marker: "..." at
// the start of the line, followed by nothing, white space or a comment.
// An indented "..." is not one: YAML reads it as the plain scalar "...".
func isDocumentEnd(l []byte) bool {
	if !bytes.HasPrefix(l, []byte("...")) {
		return false
	}
	rest := l[3:]
	if len(rest) > 0 && !bytes.ContainsRune([]byte(yamlSpace), rune(rest[0])) {
		return false
	}
	rest = bytes.Trim(rest, yamlSpace)
	return len(rest) == 0 || rest[0] == '#'
}
