package yamledit

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"go.yaml.in/yaml/v3"
)

var updateEdits = flag.Bool("update", false, "rewrite the after.yaml sections of testdata/edit/*.txtar")

// TestEditGolden runs each testdata/edit/*.txtar case: its comment names
// the edit, one per line,
//
//	set DOC PATH VALUE             (PATH is dotted: spec.mentors.0.person)
//	append DOC PATH KEY=VALUE...
//	crlf                           (run the case on CRLF line endings too)
//	bom                            (run the case with a UTF-8 byte order mark too)
//
// and the archive holds before.yaml and the expected after.yaml. Every
// edit is applied twice: the second application must change nothing
// (appends are exempt; callers check for an equal item first).
func TestEditGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/edit/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var before, after []byte
			afterIdx := -1
			for i, f := range ar.Files {
				switch f.Name {
				case "before.yaml":
					before = f.Data
				case "after.yaml":
					after, afterIdx = f.Data, i
				}
			}
			var ops []string
			variants := map[string]bool{}
			for _, l := range strings.Split(string(ar.Comment), "\n") {
				l = strings.TrimSpace(l)
				switch {
				case l == "crlf" || l == "bom":
					variants[l] = true
				case strings.HasPrefix(l, "set ") || strings.HasPrefix(l, "append "):
					ops = append(ops, l)
				}
			}
			got := applyOps(t, before, ops)
			if *updateEdits {
				if afterIdx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "after.yaml"})
					afterIdx = len(ar.Files) - 1
				}
				ar.Files[afterIdx].Data = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(got, after) {
				t.Fatalf("after the edit:\n%s\nwant:\n%s", got, after)
			}
			if variants["crlf"] {
				crlf := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }
				if got := applyOps(t, crlf(before), ops); !bytes.Equal(got, crlf(after)) {
					t.Errorf("with CRLF line endings:\n%q\nwant:\n%q", got, crlf(after))
				}
			}
			if variants["bom"] {
				bom := func(b []byte) []byte { return append(append([]byte{}, utf8BOM...), b...) }
				if got := applyOps(t, bom(before), ops); !bytes.Equal(got, bom(after)) {
					t.Errorf("with a byte order mark:\n%q\nwant:\n%q", got, bom(after))
				}
			}
		})
	}
}

// applyOps applies each op in turn; each set is then applied again and
// must change nothing.
func applyOps(t *testing.T, data []byte, ops []string) []byte {
	t.Helper()
	for _, op := range ops {
		f := strings.Fields(op)
		if len(f) < 4 {
			t.Fatalf("bad op %q", op)
		}
		doc, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("bad op %q: %v", op, err)
		}
		path := strings.Split(f[2], ".")
		switch f[0] {
		case "set":
			out, err := SetField(data, doc, path, f[3])
			if err != nil {
				t.Fatalf("%s: %v", op, err)
			}
			again, err := SetField(out, doc, path, f[3])
			if err != nil {
				t.Fatalf("%s (again): %v", op, err)
			}
			if !bytes.Equal(again, out) {
				t.Fatalf("%s is not idempotent:\n%s\nthen:\n%s", op, out, again)
			}
			data = out
		case "append":
			var item []Field
			for _, kv := range f[3:] {
				k, v, _ := strings.Cut(kv, "=")
				item = append(item, Field{Key: k, Value: v})
			}
			out, err := AppendToList(data, doc, path, item)
			if err != nil {
				t.Fatalf("%s: %v", op, err)
			}
			data = out
		}
	}
	return data
}

func TestSetFieldEdgeCases(t *testing.T) {
	tests := []struct {
		name, data, want string
		path             []string
	}{
		{"no line break at the end of the file",
			"spec:\n  team: t\n  level: mid", "spec:\n  team: t\n  level: mid\n  coach: bob", []string{"spec", "coach"}},
		{"single quotes in a single-quoted value are doubled",
			"a: 'x'\n", "a: 'o''bob'\n", []string{"a"}},
		{"a tagged value keeps its tag",
			"a: !!str x   # c\n", "a: !!str bob   # c\n", []string{"a"}},
		{"an anchored value keeps its anchor",
			"a: &x old\nb: 1\n", "a: &x bob\nb: 1\n", []string{"a"}},
		{"a value with a comment right after the colon",
			"a:    # tbd\nb: 1\n", "a: bob    # tbd\nb: 1\n", []string{"a"}},
		{"a value in a flow mapping spread over lines",
			"a: {x: 1,\n    y: old}\n", "a: {x: 1,\n    y: bob}\n", []string{"a", "y"}},
		{"a key added to a flow mapping spread over lines",
			"a: {x: 1,\n    y: 2 }\n", "a: {x: 1,\n    y: 2, z: bob }\n", []string{"a", "z"}},
		{"a key added to an empty flow mapping",
			"a: {}\n", "a: {z: bob}\n", []string{"a", "z"}},
		{"non-ASCII text before the value",
			"a: {é: ü, y: old}\n", "a: {é: ü, y: bob}\n", []string{"a", "y"}},
		// A file whose lines end both ways: the new line goes after the
		// last line's own "\r\n", not between its '\r' and '\n'.
		{"a key added after a line ending in CRLF in a file that starts with LF",
			"a: 1\nb: 2\r\n", "a: 1\nb: 2\r\nc: bob\n", []string{"c"}},
		{"a key added after a line ending in LF in a file that starts with CRLF",
			"a: 1\r\nb: 2\n", "a: 1\r\nb: 2\nc: bob\r\n", []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value := "bob"
			if strings.Contains(tt.want, "o''bob") {
				value = "o'bob"
			}
			got, err := SetField([]byte(tt.data), 0, tt.path, value)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

// AppendToList on a file whose lines end both ways puts the new item
// after the list's last line break, whichever it is.
func TestAppendToListAfterEitherLineBreak(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"l:\n  - x: 1\r\n", "l:\n  - x: 1\r\n  - x: z\n"},
		{"l:\r\n  - x: 1\n", "l:\r\n  - x: 1\n  - x: z\r\n"},
	} {
		got, err := AppendToList([]byte(c.data), 0, []string{"l"}, []Field{{Key: "x", Value: "z"}})
		if err != nil {
			t.Fatalf("%q: %v", c.data, err)
		}
		if string(got) != c.want {
			t.Errorf("%q: got %q, want %q", c.data, got, c.want)
		}
	}
}

func TestEditErrors(t *testing.T) {
	const doc = "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: a}\nspec:\n  displayName: A\n  anchor: &c carol\n  coach: *c\n  bio: |\n    text\n"
	tests := []struct {
		name   string
		data   string
		doc    int
		path   []string
		want   string
		unsupp bool
	}{
		{"a document that does not exist", doc, 3, []string{"spec", "coach"}, "has no document 3", false},
		{"a mapping that does not exist", doc, 0, []string{"status", "coach"}, "status not found", false},
		{"an alias", doc, 0, []string{"spec", "coach"}, "alias", true},
		{"a block scalar", doc, 0, []string{"spec", "bio"}, "block scalar", true},
		{"a list item out of range", "a: [x]\n", 0, []string{"a", "3"}, "no item 3", false},
		{"a document that is a list", "- a\n", 0, []string{"a"}, "not a mapping", false},
		{"a document that does not parse", "a: [x\n", 0, []string{"a"}, "does not parse", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SetField([]byte(tt.data), tt.doc, tt.path, "bob")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if tt.unsupp != errors.Is(err, ErrUnsupportedEdit) {
				t.Errorf("errors.Is(err, ErrUnsupportedEdit) = %v, want %v", !tt.unsupp, tt.unsupp)
			}
		})
	}
	if _, err := AppendToList([]byte("a:\n  m: text\n"), 0, []string{"a", "m"}, []Field{{"k", "v"}}); !errors.Is(err, ErrUnsupportedEdit) {
		t.Errorf("appending to a scalar: err = %v, want ErrUnsupportedEdit", err)
	}
}

// TestEditLeavesOtherBytesAlone checks, on every golden case, that the
// bytes before the first change and after the last are the original ones:
// the edit is a splice, not a re-serialisation.
func TestEditLeavesOtherBytesAlone(t *testing.T) {
	files, _ := filepath.Glob("testdata/edit/*.txtar")
	for _, file := range files {
		ar, _ := txtar.ParseFile(file)
		var before, after []byte
		for _, f := range ar.Files {
			switch f.Name {
			case "before.yaml":
				before = f.Data
			case "after.yaml":
				after = f.Data
			}
		}
		if before == nil || after == nil {
			continue
		}
		// Lines of before must appear in after in order (an edit adds lines
		// or changes one value; it never reorders or drops lines), except
		// the lines that were edited in place.
		bl, al := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
		j, changed := 0, 0
		for _, l := range bl {
			for j < len(al) && al[j] != l {
				j++
			}
			if j == len(al) {
				changed++
				j = 0
				continue
			}
			j++
		}
		if changed > strings.Count(string(ar.Comment), "set ")+strings.Count(string(ar.Comment), "append ") {
			t.Errorf("%s: %d lines of the original are missing or reordered", file, changed)
		}
	}
}

// A key written twice on the way to the target makes the edit ambiguous:
// it is refused, naming the key, and nothing is written.
func TestSetFieldRefusesADuplicatedKey(t *testing.T) {
	for _, tc := range []struct{ data, path string }{
		{"spec:\n  team: a\nspec:\n  coach: b\n", "spec.coach"},
		{"spec:\n  coach: a\n  coach: b\n", "spec.coach"},
		{"a:\n  b:\n    c: 1\n  b:\n    d: 2\n", "a.b.c"},
	} {
		out, err := SetField([]byte(tc.data), 0, strings.Split(tc.path, "."), "c")
		if !errors.Is(err, ErrUnsupportedEdit) || !strings.Contains(err.Error(), "written 2 times") || out != nil {
			t.Errorf("SetField(%q, %s) = %q, %v; want nothing written and an error naming the duplicated key", tc.data, tc.path, out, err)
		}
	}
}

// TestHyphenatedNamesArePlain holds hyphenatedName to what yaml.Marshal
// says: every string it calls plain, YAML writes plain and reads back as
// itself; and it turns down what does not look like a name.
func TestHyphenatedNamesArePlain(t *testing.T) {
	const alphabet = "aeyno0129x-"
	var all []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		all = append(all, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 5) // every string of up to 5 characters over the alphabet
	all = append(all, "dana-kim-3f", "y-n", "no-1", "e-10", "inf-nan", "null-true")
	plain := 0
	for _, s := range all {
		if !hyphenatedName(s) {
			continue
		}
		plain++
		out, err := yaml.Marshal(s)
		if err != nil || strings.TrimRight(string(out), "\n") != s {
			t.Errorf("hyphenatedName(%q) = true, but yaml.Marshal writes %q", s, out)
		}
	}
	for _, s := range []string{"", "a", "dana", "-a", "a-", "a--b", "A-b", "1-a", "a_b", "a-b c", "a-b:", "a.b-c"} {
		if hyphenatedName(s) {
			t.Errorf("hyphenatedName(%q) = true, want false", s)
		}
	}
	if plain < 1000 {
		t.Fatalf("only %d of %d strings were names: the test checks too little", plain, len(all))
	}
}
