package render

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// ProgressMinFiles is how many files a load needs before a progress line
// is worth showing.
const ProgressMinFiles = 200

// progressEvery is how often the progress line is redrawn at most.
const progressEvery = 100 * time.Millisecond

// Progress returns a schema.Loader Progress callback that keeps one line
// on w (a terminal) up to date, "reading: 1200/2000 files", and clears it
// when the load is done. Loads of fewer than ProgressMinFiles files show
// nothing. The callback may be called from several goroutines.
func Progress(w io.Writer, what string) func(done, total int) {
	var (
		mu    sync.Mutex
		last  time.Time
		shown bool
	)
	return func(done, total int) {
		if total < ProgressMinFiles {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if done == total {
			if shown {
				fmt.Fprint(w, "\r\x1b[K")
			}
			return
		}
		if now := time.Now(); now.Sub(last) >= progressEvery {
			last, shown = now, true
			fmt.Fprintf(w, "\r%s: %d/%d files", what, done, total)
		}
	}
}
