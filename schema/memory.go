package schema

import (
	"os"
	"runtime/debug"
	"sync"
)

// The garbage collector's settings for one orgctl run. With the default
// GOGC=100 the heap swings to twice what it keeps alive, and the process's
// peak memory with it. orgctl knows, before it decodes anything, how much
// YAML it is about to read, and what it keeps is proportional to that
// (about 2.9 bytes of live heap per byte of YAML at 100,000 people since
// the loader decodes from nodes, measured with GODEBUG=gctrace=1 on
// cmd/orggen's orgs; 3.8 before), so it sets a memory limit from the size
// of its input and lets the collector run only when the heap reaches it:
// fewer collections, and a peak that grows linearly with the org. GOGC or
// GOMEMLIMIT in the environment turn this off.
var memoryBudget struct {
	sync.Mutex
	bytes int64 // YAML read so far (plan reads two orgs)
}

// The limit is memoryFloor plus perByte heap bytes per byte of YAML read
// so far. validate uses 3.0: at 100,000 people (32 MB of YAML) that is
// 106 MiB, about 55% above the live heap at its peak (about 70 MB, 2.2
// bytes per byte of YAML, and 2.3 at 300,000 people: the limit must stay
// well above that slope, or a million people would be collected
// continuously). Against the earlier 32 MiB + 3.5 (144 MiB), alternated
// six times on the same org: peak RSS 108.7 MB instead of 119.0, for 4%
// more user CPU (two more collections); 10,000 people unchanged (29.5 MB,
// GOGC paces them), 300,000 people 290 MB instead of 315 at the same CPU.
// Below 3.0 the collections multiply (2.6: six at 100,000 people): a
// lower peak needs a smaller live heap first. plan keeps two orgs alive
// and allocates twice as much, so with the same headroom per org it would
// collect six times as often; it uses 6.5 (see `make bench`).
const (
	memoryFloor = 16 << 20
	// ValidatePerByte is the heap budgeted per byte of YAML when one org
	// is read (validate and most commands).
	ValidatePerByte = 3.0
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
