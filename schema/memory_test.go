package schema

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/orgctl/orgctl/internal/hugepage"
)

// TestBudgetMemorySetsTheLimitFromTheInput: the limit is perByte bytes
// per byte of YAML read so far in the process (plan reads two orgs, and
// budgets both) plus the floor, or plus largeHeadroom of that once it is
// larger, and then the collector runs only at the limit; and GOGC or
// GOMEMLIMIT in the environment leave the collector as the user set it.
func TestBudgetMemorySetsTheLimitFromTheInput(t *testing.T) {
	limit := debug.SetMemoryLimit(-1)
	percent := debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	memoryBudget.Lock()
	read, huge := memoryBudget.bytes, memoryBudget.huge
	memoryBudget.bytes, memoryBudget.huge = 0, false
	memoryBudget.Unlock()
	var marked []int64
	markHeap = func(n int64) { marked = append(marked, n) }
	t.Cleanup(func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
		memoryBudget.Lock()
		memoryBudget.bytes, memoryBudget.huge = read, huge
		memoryBudget.Unlock()
		markHeap = hugepage.Heap
	})
	current := func() int64 { return debug.SetMemoryLimit(-1) }
	// near: the limits are computed in floating point.
	near := func(got int64, want float64) bool { return math.Abs(float64(got)-want) <= 1 }
	mib := func(n int) float64 { return float64(n << 20) }

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	BudgetMemory(ValidatePerByte)(2000, 30<<20)
	if got, want := current(), mib(16)+ValidatePerByte*mib(30); !near(got, want) {
		t.Errorf("after 30 MiB of YAML the limit is %d, want %.0f (the floor above the budget)", got, want)
	}
	if got := debug.SetGCPercent(400); got != 400 {
		t.Errorf("GOGC is %d under the floor, want 400", got)
	}
	BudgetMemory(ValidatePerByte)(2000, 30<<20)
	if got, want := current(), 1.2*ValidatePerByte*mib(60); !near(got, want) {
		t.Errorf("after 60 MiB of YAML the limit is %d, want %.0f (20%% above the budget)", got, want)
	}
	if got := debug.SetGCPercent(400); got != -1 {
		t.Errorf("GOGC is %d for a large org, want off (-1): collections are paced by the limit alone", got)
	}
	BudgetMemory(PlanPerByte)(2000, 30<<20)
	if got, want := current(), 1.2*PlanPerByte*mib(90); !near(got, want) {
		t.Errorf("after a third org of 30 MiB the limit is %d, want %.0f (all three)", got, want)
	}
	// The heap goes on huge pages only when the first org read is large:
	// the loads above made the budget large only together.
	if len(marked) != 0 {
		t.Errorf("the heap was marked for huge pages (%v) though the first org read was small", marked)
	}
	memoryBudget.Lock()
	memoryBudget.bytes = 0
	memoryBudget.Unlock()
	BudgetMemory(ValidatePerByte)(20000, 300<<20)
	BudgetMemory(ValidatePerByte)(20000, 300<<20)
	if want := int64(1.2 * ValidatePerByte * mib(300)); len(marked) != 1 || math.Abs(float64(marked[0]-want)) > 1 {
		t.Errorf("after a first org of 300 MiB and a second, the heap was marked %v, want once, the limit %d", marked, want)
	}
	// The limit never falls as the input grows, and is continuous where
	// the room changes from the floor to the share of the budget.
	prev, _ := memoryLimit(0, ValidatePerByte)
	for b := int64(1 << 18); b <= 400<<20; b += 1 << 18 {
		l, _ := memoryLimit(b, ValidatePerByte)
		if l < prev || float64(l-prev) > 1.2*ValidatePerByte*mib(1)/4+1 {
			t.Fatalf("the limit jumps from %d to %d at %d bytes of YAML", prev, l, b)
		}
		prev = l
	}

	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			debug.SetMemoryLimit(1 << 40)
			t.Setenv(env, "200")
			BudgetMemory(ValidatePerByte)(1, 1<<20)
			if got := current(); got != 1<<40 {
				t.Errorf("with %s set, the limit changed to %d", env, got)
			}
		})
	}
}
