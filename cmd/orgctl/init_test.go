package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitNeverFollowsASymlink: a symlink where init would write, even a
// dangling one, counts as an existing file; nothing is written through it.
func TestInitNeverFollowsASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "elsewhere.yaml")
	if err := os.Symlink(target, filepath.Join(dir, "teams.yaml")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	ios, out, errOut := testIO(nil)
	if code := run([]string{"init", dir}, ios); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out.String(), "skipped teams.yaml: already exists\n") {
		t.Errorf("teams.yaml not reported as skipped:\n%s", out)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("init wrote through the symlink: %v", err)
	}
}

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
