package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAtomicLeavesOnlyTheFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "people", "web.yaml")
	for _, data := range []string{"first\n", "second\n"} {
		if err := writeAtomic(file, []byte(data)); err != nil {
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

func TestWriteAtomicFailsWhenTheDirectoryIsAFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "people"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(filepath.Join(dir, "people", "web.yaml"), []byte("x")); err == nil {
		t.Fatal("wrote under a file")
	}
}

// Replacing a file keeps its mode, and writing through a symlink replaces
// the file it names, leaving the link in place.
func TestWriteAtomicKeepsModeAndSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	if err := os.WriteFile(real, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(link, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(real); string(got) != "new\n" {
		t.Errorf("real.yaml holds %q, want the new content", got)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.yaml is no longer a symlink: %v, %v", st.Mode(), err)
	}
	if st, err := os.Stat(real); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600 kept", st.Mode(), err)
	}
}
