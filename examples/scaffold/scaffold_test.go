package scaffold

import (
	"bytes"
	"strings"
	"testing"
)

// TestScaffoldIsDeterministic: the same files, byte for byte, every time
// (no map-order leaks into the policy's rules), and every YAML document
// starts with the modeline.
func TestScaffoldIsDeterministic(t *testing.T) {
	first, err := scaffold("", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := scaffold("", false, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range first {
			if first[i].Path != again[i].Path || !bytes.Equal(first[i].Data, again[i].Data) {
				t.Fatalf("%s differs between runs", first[i].Path)
			}
		}
	}
	for _, f := range first {
		if !strings.HasSuffix(f.Path, ".yaml") || strings.HasPrefix(f.Path, ".github/") {
			continue
		}
		for i, doc := range strings.Split(string(f.Data), "---\n") {
			if !strings.HasPrefix(doc, "# "+modeline+"\n") {
				t.Errorf("%s: document %d does not start with the modeline:\n%s", f.Path, i, doc)
			}
		}
	}
}
