package main

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
)

// plan shares what the base and the head of a generated pull request have
// in common (whole files, and the documents the change left alone in the
// files it touched), and checks the head from the base's check (judging
// again only the people the change touched): its plan and the head's
// result must be exactly those of the two orgs loaded and checked apart,
// whatever the org and its change.
func TestPlanOfSharedLoadsIsThatOfSeparateLoads(t *testing.T) {
	for _, tc := range []struct {
		people int
		seed   uint64
	}{{3000, 7}, {8000, 1}, {8000, 2}, {12000, 3}} {
		t.Run(fmt.Sprintf("%d/%d", tc.people, tc.seed), func(t *testing.T) {
			testPlanOfSharedLoads(t, tc.people, tc.seed)
		})
	}
}

func testPlanOfSharedLoads(t *testing.T, people int, seed uint64) {
	base, head := filepath.Join(t.TempDir(), "base"), filepath.Join(t.TempDir(), "head")
	if _, err := Generate(Config{People: people, Out: base, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(Config{People: people, Out: head, Seed: seed, Variant: "head"}); err != nil {
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
