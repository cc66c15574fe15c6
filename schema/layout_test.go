package schema

import (
	"testing"
	"unsafe"
)

// TestPersonFitsItsSizeClass: a loaded org keeps one Person per person
// alive (100,000 of them in `make bench`'s org), allocated in the
// runtime's 352-byte size class. A field added to Person that pushes it
// past 352 bytes costs 32 bytes more per person of peak memory; put a
// rarely written field in Lifecycle instead, or shrink another first.
func TestPersonFitsItsSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Person{}); n > 352 {
		t.Errorf("schema.Person is %d bytes, past the 352-byte size class it is kept in", n)
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
