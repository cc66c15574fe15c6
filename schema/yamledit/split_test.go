package yamledit

import "testing"

// A document ends at "..." only when it starts the line; an indented "..."
// is content (the plain scalar "..."), so the chunk holding it must not be
// dropped as empty. FuzzDecodeFile found the loader's two paths disagreeing
// on exactly this.
func TestSplitDocumentsDocumentEnd(t *testing.T) {
	for _, tt := range []struct {
		in     string
		chunks int
	}{
		{"a: 1\n---\n...\n", 1},
		{"a: 1\n---\n... # end\n", 1},
		{"a: 1\n---\n ...\n", 2},
		{"a: 1\n---\n ...", 2},
		{"a: 1\n---\n...x\n", 2},
		{"a: 1\n---\n...#x\n", 2},
		{"a: 1\n---\n\t...\n", 2},
	} {
		if got := len(SplitDocuments([]byte(tt.in))); got != tt.chunks {
			t.Errorf("SplitDocuments(%q): %d chunks, want %d", tt.in, got, tt.chunks)
		}
	}
}
