package schema

import (
	"os"
	"runtime/debug"
	"sync"
)

// The garbage collector's settings for one orgctl run. With the default
// GOGC=100 the heap swings to twice what it keeps alive, and the process's
// peak memory with it. orgctl knows, before it decodes anything, how much
// YAML it is about to read, and what it keeps is proportional to that, so
// it sets a memory limit from the size of its input and lets the
// collector run only when the heap reaches it: fewer collections, and a
// peak that grows linearly with the org. GOGC or GOMEMLIMIT in the
// environment turn this off.
var memoryBudget struct {
	sync.Mutex
	bytes int64 // YAML read so far (plan reads two orgs)
}

// The limit is perByte heap bytes per byte of YAML read so far (the
// budget), plus room above it for the collector to run seldom: memoryFloor
// for a small org, largeHeadroom of the budget for a large one (from about
// 90,000 people on), so that the limit grows linearly with the org. It
// must stay well above what is alive at the end of a command, or the
// collector runs back to back: validate keeps about 1.9 to 2 bytes of
// heap per byte of YAML at 100,000 people (60 MB; the Persons, Documents
// and strings the loader decodes, then the Org's indexes) and the same at
// a million, measured with GODEBUG=gctrace=1 on cmd/orggen's orgs
// (TestValidateBudgetAboveLiveHeap in cmd/orggen holds it below
// ValidatePerByte). Peak RSS follows the limit: at 100,000 people (32 MB
// of YAML) 2.4 gives 95 MB (the target is 1 KiB per person: 100 MiB) and
// two collections; at a million, 830 MB and none (issue 18).
//
// The collector runs only at the limit (GOGC off). With GOGC=400 and a
// floor of 16 MiB, a million people were collected when the heap reached
// five times what the last collection of the listing had left (a few
// hundred MB, far below the limit) and again near the limit: one to three
// collections of 0.5 to 0.7 CPU seconds each over a heap of 500 to 650 MB,
// where 100,000 people paid two of 0.05 s; the 1M/100k time ratio grew
// by a tenth. A heap that outgrows the limit is collected continuously
// whatever GOGC says (the runtime caps the collector at half the CPU).
const (
	memoryFloor   = 10 << 20
	largeHeadroom = 0.15
	// ValidatePerByte is the heap budgeted per byte of YAML by validate,
	// which allocates little once the org is checked.
	ValidatePerByte = 2.4
	// ReadPerByte is the heap budgeted per byte of YAML by the other
	// commands that read one org: those that render all of it (get,
	// describe, graph, report) allocate about as much again, and would
	// collect twice as often on validate's budget.
	ReadPerByte = 3.0
	// PlanPerByte is the heap budgeted per byte of YAML when two orgs are
	// kept alive (plan's base and head).
	PlanPerByte = 6.5
)

func memoryLimit(yamlBytes int64, perByte float64) int64 {
	budget := float64(yamlBytes) * perByte
	return int64(budget + max(memoryFloor, budget*largeHeadroom))
}

// BudgetMemory returns a Loader Sizes callback that budgets perByte heap
// bytes per byte of YAML read in the process so far.
func BudgetMemory(perByte float64) func(files int, bytes int64) {
	return func(_ int, bytes int64) {
		if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
			return
		}
		memoryBudget.Lock()
		defer memoryBudget.Unlock()
		memoryBudget.bytes += bytes
		debug.SetMemoryLimit(memoryLimit(memoryBudget.bytes, perByte))
		// Collections are paced by the limit alone.
		debug.SetGCPercent(-1)
	}
}
