package main

import "github.com/orgctl/orgctl/reconcile/render"

// progress returns a Loader.Progress callback that keeps one line on
// stderr up to date (see render.Progress), or nil when stderr is not a
// terminal or orgctl runs in CI: logs stay clean.
func progress(ios *ioStreams, what string) func(done, total int) {
	if !ios.ErrTTY || ios.Getenv("CI") != "" {
		return nil
	}
	return render.Progress(ios.ErrOut, what)
}
