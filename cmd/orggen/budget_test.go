package main

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// TestValidateBudgetAboveLiveHeap: validate's heap budget
// (schema.ValidatePerByte bytes per byte of YAML, above a floor) must stay
// well above what validate keeps alive, the loaded Set and the checked Org,
// or the collector runs back to back once the org is loaded. On a
// generated org of 20,000 people (the same bytes per person as `make
// bench`'s 100,000) that is 1.99 bytes per byte of YAML, and 0.3 below the
// budget (9 MB at 100,000 people) is about the least headroom that keeps
// validate at three collections there: a change that keeps more alive per
// person must keep less elsewhere, or raise the budget, measuring peak RSS
// and CPU time as schema/memory.go says.
func TestValidateBudgetAboveLiveHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a 20,000-person org")
	}
	dir := filepath.Join(t.TempDir(), "org")
	st, err := Generate(Config{People: 20000, Out: dir, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	yamlBytes := st.Bytes
	check(t, dir) // the schema is compiled once, outside what is measured
	type checked struct {
		set *schema.Set
		org *reconcile.Org
		res reconcile.Result
	}
	live := settledHeap(func() any {
		set, err := (&schema.Loader{}).LoadPaths([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		org := reconcile.Build(set)
		return checked{set, org, org.Check(set, reconcile.Options{})}
	})
	perByte := float64(live) / float64(yamlBytes)
	t.Logf("%d bytes of YAML keep %d bytes of heap alive: %.2f per byte", yamlBytes, live, perByte)
	if perByte > schema.ValidatePerByte-0.3 {
		t.Errorf("validate keeps %.2f bytes of heap alive per byte of YAML, within 0.3 of its budget of %.2f: the collector would run back to back; keep less alive, or raise schema.ValidatePerByte", perByte, schema.ValidatePerByte)
	}
}

// settledHeap is liveHeap with what pools hold left out: it collects
// twice on each side, since a pooled value survives one collection.
func settledHeap(load func() any) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	v := load()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(v)
	if ms.HeapAlloc < before {
		return 0
	}
	return ms.HeapAlloc - before
}
