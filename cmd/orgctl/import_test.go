package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteNewAtomicLeavesOnlyTheFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "people", "web.yaml")
	for _, data := range []string{"first\n", "second\n"} {
		if err := writeNewAtomic(file, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil || string(got) != data {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "web.yaml" {
		t.Errorf("directory holds %v, want only web.yaml (no temporary file left)", entries)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v; want 0644", st.Mode(), err)
	}
}

func TestWriteNewAtomicFailsWhenTheDirectoryIsAFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "people"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeNewAtomic(filepath.Join(dir, "people", "web.yaml"), []byte("x")); err == nil {
		t.Fatal("wrote under a file")
	}
}
