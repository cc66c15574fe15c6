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

// The limit is memoryFloor plus perByte heap bytes per byte of YAML read
// so far. It must stay well above what is alive at the end of a command,
// or the collector runs back to back: validate keeps about 1.9 to 2 bytes of
// heap per byte of YAML at 100,000 people (60 MB; the Persons, Documents
// and strings the loader decodes, then the Org's indexes) and the same at
// a million, measured with GODEBUG=gctrace=1 on cmd/orggen's orgs
// (TestValidateBudgetAboveLiveHeap in cmd/orggen holds it below
// ValidatePerByte). Peak RSS follows the limit: at 100,000 people (32 MB of
// YAML), alternated with the earlier 3.0 on the same org, 2.4 gives 95 MB
// instead of 101 (the target is 1 KiB per person: 100 MiB) for the same
// three collections and CPU time; 2.6 gives 100 MB, 2.2 a fourth
// collection. At a million people: 765 MB instead of 857, for one more
// collection.
const (
	memoryFloor = 16 << 20
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
	return memoryFloor + int64(float64(yamlBytes)*perByte)
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
		// Collections are paced by the limit; GOGC stays finite so that a
		// heap that outgrows the estimate is collected normally instead
		// of continuously.
		debug.SetGCPercent(400)
	}
}
