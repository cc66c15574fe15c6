package importcsv

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hr.csv")
	if err := os.WriteFile(file, []byte("name\nann\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, source, data, err string
	}{
		{name: "a file", file: file, source: filepath.ToSlash(file), data: "name\nann\n"},
		{name: "- is standard input", file: "-", source: "standard input", data: "from stdin\n"},
		{name: "a file that does not exist", file: filepath.Join(dir, "nope.csv"), err: filepath.Join(dir, "nope.csv") + " does not exist: check the path of the export"},
		{name: "a path through a file", file: filepath.Join(file, "x.csv"), err: "opening the export: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, source, err := Open(tc.file, strings.NewReader("from stdin\n"))
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("error %v, want one starting %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			data, err := io.ReadAll(in)
			if err != nil || string(data) != tc.data || source != tc.source {
				t.Errorf("read %q (%v) from %q, want %q from %q", data, err, source, tc.data, tc.source)
			}
		})
	}
}
