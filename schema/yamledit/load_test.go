package yamledit_test

import (
	"bytes"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/schema"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestEditedFilesStillLoad decodes every golden after.yaml with the loader:
// an edit never leaves a parse or schema problem behind.
func TestEditedFilesStillLoad(t *testing.T) {
	files, _ := filepath.Glob("testdata/edit/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name != "after.yaml" || bytes.Contains(ar.Comment, []byte("not-orgctl")) {
				continue
			}
			set, err := (&schema.Loader{}).LoadFS(fstest.MapFS{"after.yaml": {Data: f.Data}}, ".", "")
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if len(set.Documents) == 0 {
				t.Errorf("%s: the edited file holds no orgctl document", file)
			}
			for _, p := range set.Problems {
				t.Errorf("%s: %s problem at %d:%d: %s", file, p.Rule, p.Pos.Line, p.Pos.Column, p.Message)
			}
		}
	}
}
