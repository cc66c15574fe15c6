package schema

import (
	"os"
	"runtime/debug"
	"sync"

	"github.com/orgctl/orgctl/internal/hugepage"
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
	huge  bool  // whether the heap was marked for huge pages
}

// The limit is memoryFloor plus perByte heap bytes per byte of YAML read
// so far (the budget), or, for a large org (from about 110,000 people
// on, where that is more), the budget plus largeHeadroom of it: the room
// the collector needs to run seldom then grows with the org. The limit
// must stay well above what is alive at the end of a command, or the
// collector runs back to back: validate keeps about 1.9 to 2 bytes of
// heap per byte of YAML at 100,000 people (60 MB; the Persons, Documents
// and strings the loader decodes, then the Org's indexes) and the same at
// a million, measured with GODEBUG=gctrace=1 on cmd/orggen's orgs
// (TestValidateBudgetAboveLiveHeap in cmd/orggen holds it below
// ValidatePerByte). Peak RSS follows the limit: at 100,000 people (32 MB
// of YAML), alternated with the earlier 3.0 on the same org, 2.4 gives
// 95 MB instead of 101 (the target is 1 KiB per person: 100 MiB) for the
// same collections and CPU time; 2.6 gives 100 MB, 2.2 one more
// collection.
//
// While the floor gives the room, GOGC is 400: a small org's heap is
// collected when it grows fivefold, seldom (none at 10,000 people), and
// at 100,000 people once before the limit, which keeps the peak lower
// than the limit alone. A large org's collections are paced by the limit
// alone (GOGC off): with GOGC=400 a million people were collected when
// the heap reached five times what a collection during the listing had
// left (a few hundred MB, far below the limit) and again near the limit,
// one to three collections of 0.5 to 0.7 CPU seconds each over 500 to
// 650 MB, and with the floor alone the limit (783 MB) was too tight to
// finish without one; with 20% of room (878 MiB) they finish without
// collecting a large heap (peak RSS about 825 MB, 8.7 times 100,000
// people's, and 806 MB since a large load copies the names of coaches
// and mentors instead of interning them, see internLarge; with 15% one
// run in four still collected 640 MB at the end of the checks; issue
// 18). The share is the most that leaves 100,000
// people (30 MiB of YAML) under the floor's rule. A
// heap that outgrows the limit is collected continuously whatever GOGC
// says (the runtime caps the collector at half the CPU).
const (
	memoryFloor   = 16 << 20
	largeHeadroom = 0.2
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

// memoryLimit is the limit for yamlBytes of YAML at perByte, and
// whether the room above the budget is the budget's share (large).
func memoryLimit(yamlBytes int64, perByte float64) (limit int64, large bool) {
	budget := float64(yamlBytes) * perByte
	if share := budget * (1 + largeHeadroom); share > budget+memoryFloor {
		return int64(share), true
	}
	return int64(budget + memoryFloor), false
}

// markHeap marks the heap a large org is about to fill for huge pages
// (a variable for the test to watch).
var markHeap = hugepage.Heap

// BudgetMemory returns a Loader Sizes callback that budgets perByte heap
// bytes per byte of YAML read in the process so far.
func BudgetMemory(perByte float64) func(files int, bytes int64) {
	return func(_ int, bytes int64) {
		if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
			return
		}
		memoryBudget.Lock()
		defer memoryBudget.Unlock()
		first := memoryBudget.bytes == 0
		memoryBudget.bytes += bytes
		limit, large := memoryLimit(memoryBudget.bytes, perByte)
		debug.SetMemoryLimit(limit)
		if large {
			debug.SetGCPercent(-1) // paced by the limit alone
			if first && !memoryBudget.huge {
				// A large org is read at random: on huge pages it
				// misses the TLB far less (see package hugepage).
				// Only the first load decides: a later one (suggest
				// --write checks what it wrote, plan reads its
				// second org) may make a small org's budget large,
				// and marking the heap then puts a small org on
				// huge pages (suggest --write of 20,000 people
				// peaked at 157 MB rather than 114 in one run of
				// three) for nothing.
				memoryBudget.huge = true
				markHeap(limit)
			}
		} else {
			debug.SetGCPercent(400)
		}
	}
}
