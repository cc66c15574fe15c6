package main

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
)

// plan shares what the base and the head of a generated pull request have
// in common (whole files, and the documents the change left alone in the
// files it touched): its plan and the head's result must be exactly those
// of the two orgs loaded and checked apart.
func TestPlanOfSharedLoadsIsThatOfSeparateLoads(t *testing.T) {
	base, head := filepath.Join(t.TempDir(), "base"), filepath.Join(t.TempDir(), "head")
	if _, err := Generate(Config{People: 3000, Out: base, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(Config{People: 3000, Out: head, Seed: 7, Variant: "head"}); err != nil {
		t.Fatal(err)
	}
	opts := reconcile.LoadOptions{Check: reconcile.Options{Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}
	plan, headOrg, headRes, _, err := reconcile.LoadPlan(head, base, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	_, bo, br, _, err := reconcile.LoadBase(head, base, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	_, ho, hr, err := reconcile.LoadOrg([]string{head}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := reconcile.Diff(bo, br, ho, hr)
	if len(want.Changes) < 20 {
		t.Fatalf("the generated change is %d changes: too small to test anything", len(want.Changes))
	}
	if !reflect.DeepEqual(plan, want) {
		t.Errorf("the plan of shared loads differs from that of separate loads: %+v\nwant %+v", plan.Summary, want.Summary)
		for i := range min(len(plan.Changes), len(want.Changes)) {
			if !reflect.DeepEqual(plan.Changes[i], want.Changes[i]) {
				t.Fatalf("change %d: %+v\nwant %+v", i, plan.Changes[i], want.Changes[i])
			}
		}
	}
	if !reflect.DeepEqual(headRes, hr) || len(headOrg.People) != len(ho.People) {
		t.Errorf("the head's result differs from loading it alone: %+v\nwant %+v", headRes.Summary, hr.Summary)
	}
}
