// Command orgctl treats an organisation's people pairings — who manages,
// mentors and coaches whom — as code: it validates Person, Team and Policy
// documents, previews changes and reconciles GitHub with them.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	os.Exit(profiled(func() int { return run(os.Args[1:], systemIO()) }))
}

// profiled runs f, writing a CPU profile to $ORGCTL_CPUPROFILE and a heap
// profile (taken at the end) to $ORGCTL_MEMPROFILE when they are set: how
// the figures in the README's performance section were investigated.
func profiled(f func() int) int {
	if path := os.Getenv("ORGCTL_CPUPROFILE"); path != "" {
		out, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: ORGCTL_CPUPROFILE: %v\n", err)
			return exitUsage
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			fmt.Fprintf(os.Stderr, "error: ORGCTL_CPUPROFILE: %v\n", err)
			return exitUsage
		}
		defer pprof.StopCPUProfile()
	}
	code := f()
	if path := os.Getenv("ORGCTL_MEMPROFILE"); path != "" {
		out, err := os.Create(path)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(out, 0)
			out.Close()
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: ORGCTL_MEMPROFILE: %v\n", err)
		}
	}
	return code
}
