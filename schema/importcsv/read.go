package importcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// MaxInputSize is the largest export Import reads (an HR export of 100,000
// people is about 20 MB).
const MaxInputSize = 256 << 20

// Encodings lists what Options.Encoding accepts.
var Encodings = []string{"utf-8", "windows-1252"}

// decode reads all of r as UTF-8 text: a UTF-8 BOM is dropped, UTF-16
// with a BOM (Excel's "Unicode Text") is converted, and windows-1252 is
// converted when asked for. Other bytes that are not UTF-8 are an error
// that names the line and the flag to use.
func decode(r io.Reader, encoding string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the export: %w", err)
	}
	if len(data) > MaxInputSize {
		return nil, fmt.Errorf("the export is larger than %d MiB: split it by department and import each part", MaxInputSize>>20)
	}
	switch strings.ToLower(strings.ReplaceAll(encoding, "_", "-")) {
	case "", "utf-8", "utf8":
	case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1":
		// Windows-1252 is a superset of the printable ISO-8859-1, which is
		// what exports labelled latin-1 hold in practice.
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("decoding windows-1252: %w", err)
		}
		return bytes.TrimPrefix(out, []byte("\uFEFF")), nil
	default:
		return nil, fmt.Errorf("unknown encoding %q: use %s", encoding, strings.Join(Encodings, " or "))
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("decoding UTF-16: %w", err)
		}
		data = out
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidAt(data)], []byte("\n"))
		return nil, fmt.Errorf("line %d is not valid UTF-8: if the file was saved by Excel on Windows, run again with --encoding windows-1252", line)
	}
	return data, nil
}

func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// detectDelimiter picks the delimiter that occurs most often, outside
// quotes, in the first non-empty line (the header): ',', ';', tab or '|'.
// Ties go to ','.
func detectDelimiter(data []byte) rune {
	counts := map[byte]int{}
	quoted, seen := false, false
	for _, c := range data {
		if c == '"' {
			quoted = !quoted
		}
		if !quoted && (c == '\n' || c == '\r') {
			if seen {
				break
			}
			continue
		}
		if !quoted && (c == ',' || c == ';' || c == '\t' || c == '|') {
			counts[c]++
		}
		seen = seen || c != ' '
	}
	best := byte(',')
	for _, c := range []byte{';', '\t', '|'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// ParseDelimiter reads --delimiter: one character, or "tab".
func ParseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n != len(s) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		return 0, fmt.Errorf("invalid --delimiter %q: use one character such as \",\" or \";\", or \"tab\"", s)
	}
	return r, nil
}

// record is one non-empty row of the export and the physical line it
// starts on.
type record struct {
	line  int
	cells []string
}

// readRecords splits the text into records. Rows that are empty or hold
// only empty cells are dropped; a malformed row (a stray quote) is
// reported with its line and skipped, and reading goes on after it.
func readRecords(data []byte, delim rune, warn func(line int, format string, args ...any)) ([]record, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var out []record
	last := int64(-1)
	for {
		cells, err := cr.Read()
		if err != nil && err != io.EOF && cr.InputOffset() == last {
			return out, nil // no progress after an error: nothing more to read
		}
		last = cr.InputOffset()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				where := fmt.Sprintf("column %d", pe.Column)
				if pe.Line != pe.StartLine {
					where = fmt.Sprintf("line %d column %d", pe.Line, pe.Column)
				}
				warn(pe.StartLine, "malformed row (%v, at %s); quote the cell, or double the quote inside it", pe.Err, where)
				continue
			}
			return nil, fmt.Errorf("reading the export: %w", err)
		}
		line, _ := cr.FieldPos(0)
		empty := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if !empty {
			out = append(out, record{line: line, cells: cells})
		}
	}
}
