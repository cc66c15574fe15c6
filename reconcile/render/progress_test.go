package render

import (
	"strings"
	"sync"
	"testing"
)

func TestProgressKeepsOneLineAndClearsIt(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total int
		want  string // the output, or its start and end when long
		start string
	}{
		{name: "fewer files than ProgressMinFiles: nothing", total: ProgressMinFiles - 1, want: ""},
		{name: "many files: the first count, then the line cleared", total: 500, start: "\rreading the base: 1/500 files", want: "\r\x1b[K"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			p := Progress(&b, "reading the base")
			for i := 1; i <= tc.total; i++ {
				p(i, tc.total)
			}
			got := b.String()
			if tc.start == "" && got != tc.want {
				t.Fatalf("wrote %q, want %q", got, tc.want)
			}
			if !strings.HasPrefix(got, tc.start) || !strings.HasSuffix(got, tc.want) {
				t.Errorf("wrote %q, want it to start %q and end %q", got, tc.start, tc.want)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("the progress line moved on to a new line: %q", got)
			}
		})
	}
}

func TestProgressIsThrottledAndSafeAcrossGoroutines(t *testing.T) {
	var b strings.Builder
	p := Progress(&b, "reading")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				p(g*1000+i+1, 9000)
			}
		}()
	}
	wg.Wait()
	p(9000, 9000)
	got := b.String()
	if n := strings.Count(got, "\rreading: "); n < 1 || n > 50 {
		t.Errorf("drew the line %d times for 8,000 files read in a moment, want a few (at most one per 100ms): %q", n, got)
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("the line is not cleared at the end: %q", got)
	}
}
