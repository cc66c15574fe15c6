package main

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
			if first[i].path != again[i].path || !bytes.Equal(first[i].content, again[i].content) {
				t.Fatalf("%s differs between runs", first[i].path)
			}
		}
	}
	for _, f := range first {
		if !strings.HasSuffix(f.path, ".yaml") || strings.HasPrefix(f.path, ".github/") {
			continue
		}
		for i, doc := range strings.Split(string(f.content), "---\n") {
			if !strings.HasPrefix(doc, "# "+modeline+"\n") {
				t.Errorf("%s: document %d does not start with the modeline:\n%s", f.path, i, doc)
			}
		}
	}
}
