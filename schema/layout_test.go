package schema

import (
	"testing"
	"unsafe"
)

// TestPersonFitsItsSizeClass: a loaded org keeps one Person per person
// alive (100,000 of them in `make bench`'s org), allocated in the
// runtime's 288-byte size class (the next is 320). A field added to Person
// that pushes it past 288 bytes costs 32 bytes more per person of peak
// memory; put a rarely written field in Lifecycle instead, or shrink
// another first.
func TestPersonFitsItsSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Person{}); n > 288 {
		t.Errorf("schema.Person is %d bytes, past the 288-byte size class it is kept in", n)
	}
}

// TestDocumentFitsItsSizeClass: a loaded org keeps one Document per
// person too, in the 112-byte size class (the next is 128): whether it is
// valid is what it holds, not a field of its own.
func TestDocumentFitsItsSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Document{}); n > 112 {
		t.Errorf("schema.Document is %d bytes, past the 112-byte size class it is kept in", n)
	}
}

// TestPersonSharesItsDocumentsSource: the loader gives a Person the Source
// of the Document that holds it, not a copy (which would cost 40 bytes per
// person), whichever way the document was decoded (from its nodes when the
// precheck passes it, through its value otherwise) and when the file came
// from the cache under another path.
func TestPersonSharesItsDocumentsSource(t *testing.T) {
	const bob = `apiVersion: orgctl.dev/v1
kind: Person
metadata:
  name: bob
spec:
  displayName: Bob
  team: platform
  coach: alice
`
	data := []byte(alice + "---\n" + bob)
	cache := NewCache()
	for _, tc := range []struct {
		name string
		l    *Loader
		path string
	}{
		{"precheck on", &Loader{}, "people.yaml"},
		{"precheck off", &Loader{Precheck: PrecheckOff}, "people.yaml"},
		{"precheck audit", &Loader{Precheck: PrecheckAudit}, "people.yaml"},
		{"cache, first", &Loader{Cache: cache}, "base/people.yaml"},
		{"cache, relocated", &Loader{Cache: cache}, "head/people.yaml"},
	} {
		set := tc.l.LoadFiles([]File{{Path: tc.path, Data: data}}, "")
		if len(set.Documents) != 2 || len(set.Problems) != 0 {
			t.Fatalf("%s: want two valid people, got %d documents, problems %+v", tc.name, len(set.Documents), set.Problems)
		}
		for i, d := range set.Documents {
			if d.Person == nil {
				t.Fatalf("%s: document %d is not a decoded Person", tc.name, i)
			}
			if d.Person.Source != &d.Source {
				t.Errorf("%s: %s's Source is not its Document's", tc.name, d.Name)
			}
			if d.Source.File != tc.path || d.Source.Doc != i {
				t.Errorf("%s: %s is at %s document %d, want %s document %d", tc.name, d.Name, d.Source.File, d.Source.Doc, tc.path, i)
			}
		}
	}
	if cache.hits != 1 {
		t.Errorf("the second load through the cache decoded again (%d hits): the relocated case went untested", cache.hits)
	}
}

// TestLifecycleIsACopy: the Lifecycle a reader gets cannot change the
// person's own, nor (for a person who wrote none) the one every such person
// shares.
func TestLifecycleIsACopy(t *testing.T) {
	var bare Person
	l := bare.Lifecycle()
	l.CoachSince = "2026-01-01"
	if bare.Life != nil || (&Person{}).Lifecycle().CoachSince != "" {
		t.Errorf("writing to a bare person's Lifecycle copy changed what others read")
	}
	p := Person{Life: &Lifecycle{CoachSince: "2025-05-05"}}
	l = p.Lifecycle()
	l.CoachSince = "2026-01-01"
	if p.Lifecycle().CoachSince != "2025-05-05" {
		t.Errorf("writing to a copy changed the person's coachSince to %q", p.Lifecycle().CoachSince)
	}
}
