package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// WriteJSONList writes {"key": [item(0), ..., item(n-1)]} exactly as
// WriteJSON writes a struct with that one field, but one item at a time:
// a list of 100,000 people is never held whole, neither as values nor as
// encoded text (WriteJSON encodes all of it, then indents a second copy).
func WriteJSONList(w io.Writer, key string, n int, item func(i int) any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	k, err := json.Marshal(key)
	if err != nil {
		return err
	}
	if n == 0 {
		bw.WriteString("{\n  ")
		bw.Write(k)
		bw.WriteString(": []\n}\n")
		return bw.Flush()
	}
	bw.WriteString("{\n  ")
	bw.Write(k)
	bw.WriteString(": [\n")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	for i := range n {
		buf.Reset()
		if err := enc.Encode(item(i)); err != nil {
			return err
		}
		bw.WriteString("    ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		if i < n-1 {
			bw.WriteString(",\n")
		} else {
			bw.WriteString("\n")
		}
	}
	bw.WriteString("  ]\n}\n")
	return bw.Flush()
}
