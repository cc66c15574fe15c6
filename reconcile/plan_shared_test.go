package reconcile

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// plan decodes only what a change touched and shares or copies the rest
// (see schema.Cache): whatever the change does to the files, its plan and
// the head's result, findings with their files and lines included, are
// those of the two orgs loaded apart. The change removes a document in
// the middle of a file (those after it move up), adds white space only,
// swaps two documents, moves a document to another file and renames a
// file.
func TestPlanOfSharedLoadsFollowsMovedDocuments(t *testing.T) {
	base := "../examples/conflicts"
	head := t.TempDir()
	if err := os.CopyFS(head, os.DirFS(base)); err != nil {
		t.Fatal(err)
	}
	const sep = "\n---\n"
	read := func(rel string) []string {
		data, err := os.ReadFile(filepath.Join(head, rel))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(string(data), sep)
	}
	write := func(rel string, docs []string) {
		if err := os.WriteFile(filepath.Join(head, rel), []byte(strings.Join(docs, sep)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs := read("people/lifecycle.yaml")
	write("people/lifecycle.yaml", slices.Delete(docs, 3, 4))
	docs = read("people/coaches.yaml")
	docs[2] += "\n\n"
	write("people/coaches.yaml", docs)
	docs = read("people/span-of-control.yaml")
	docs[1], docs[2] = docs[2], docs[1]
	write("people/span-of-control.yaml", docs)
	from, to := read("people/base.yaml"), read("people/coach-capacity.yaml")
	write("people/coach-capacity.yaml", append(to, strings.TrimSuffix(from[len(from)-1], "\n")+"\n"))
	write("people/base.yaml", from[:len(from)-1])
	if err := os.Rename(filepath.Join(head, "people/cycle.yaml"), filepath.Join(head, "people/cycle-renamed.yaml")); err != nil {
		t.Fatal(err)
	}

	// The head is checked from the base's check however much changed.
	defer func(s float64) { maxDirtyShare = s }(maxDirtyShare)
	maxDirtyShare = 1
	opts := LoadOptions{Check: Options{Today: today}}
	plan, headOrg, headRes, _, err := LoadPlan(head, base, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	_, bo, br, _, err := LoadBase(head, base, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	_, ho, hr, err := LoadOrg([]string{head}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := Diff(bo, br, ho, hr)
	if len(hr.Findings) < 20 || len(want.Changes) == 0 {
		t.Fatalf("%d findings and %d changes: the test needs more", len(hr.Findings), len(want.Changes))
	}
	if !reflect.DeepEqual(plan, want) {
		t.Errorf("the plan of shared loads differs from that of separate loads:\n%v\nwant\n%v", changes(plan), changes(want))
	}
	if !reflect.DeepEqual(headRes, hr) || len(headOrg.People) != len(ho.People) {
		for i := range min(len(headRes.Findings), len(hr.Findings)) {
			if g, w := headRes.Findings[i], hr.Findings[i]; !reflect.DeepEqual(g, w) {
				t.Errorf("finding %d: %s at %s:%d\nwant %s at %s:%d", i, g.Fingerprint, g.File, g.Line, w.Fingerprint, w.File, w.Line)
			}
		}
		t.Errorf("the head's result differs from loading it alone: %+v\nwant %+v", headRes.Summary, hr.Summary)
	}
}
