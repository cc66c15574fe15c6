package main

import (
	"fmt"
	"sync"
	"time"
)

// progressMinFiles is how many files a load needs before a progress line
// is worth showing.
const progressMinFiles = 200

// progress returns a Loader.Progress callback that keeps one line on
// stderr up to date ("reading files: 1200/2000"), or nil when stderr is
// not a terminal or orgctl runs in CI: logs stay clean.
func progress(ios *ioStreams, what string) func(done, total int) {
	if !ios.ErrTTY || ios.Getenv("CI") != "" {
		return nil
	}
	var (
		mu    sync.Mutex
		last  time.Time
		shown bool
	)
	return func(done, total int) {
		if total < progressMinFiles {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if done == total {
			if shown {
				fmt.Fprint(ios.ErrOut, "\r\x1b[K")
			}
			return
		}
		if now := time.Now(); now.Sub(last) >= 100*time.Millisecond {
			last, shown = now, true
			fmt.Fprintf(ios.ErrOut, "\r%s: %d/%d files", what, done, total)
		}
	}
}
