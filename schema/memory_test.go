package schema

import (
	"runtime/debug"
	"testing"
)

// TestBudgetMemorySetsTheLimitFromTheInput: the limit is the floor plus
// perByte bytes per byte of YAML read so far in the process (plan reads
// two orgs, and budgets both), and GOGC or GOMEMLIMIT in the environment
// leave the collector as the user set it.
func TestBudgetMemorySetsTheLimitFromTheInput(t *testing.T) {
	limit := debug.SetMemoryLimit(-1)
	percent := debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	memoryBudget.Lock()
	read := memoryBudget.bytes
	memoryBudget.bytes = 0
	memoryBudget.Unlock()
	t.Cleanup(func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
		memoryBudget.Lock()
		memoryBudget.bytes = read
		memoryBudget.Unlock()
	})
	current := func() int64 { return debug.SetMemoryLimit(-1) }

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	BudgetMemory(ValidatePerByte)(2000, 30<<20)
	if got, want := current(), int64(16<<20+ValidatePerByte*(30<<20)); got != want {
		t.Errorf("after 30 MiB of YAML the limit is %d, want %d", got, want)
	}
	BudgetMemory(PlanPerByte)(2000, 30<<20)
	if got, want := current(), int64(16<<20+PlanPerByte*(60<<20)); got != want {
		t.Errorf("after a second org of 30 MiB the limit is %d, want %d (both orgs)", got, want)
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
