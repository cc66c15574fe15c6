package main

import (
	"strings"
	"testing"
)

func TestProgressOnlyOnATerminalOutsideCI(t *testing.T) {
	for _, tt := range []struct {
		name  string
		tty   bool
		env   map[string]string
		files int
		shown bool
	}{
		{"terminal, many files", true, nil, 500, true},
		{"piped", false, nil, 500, false},
		{"in CI", true, map[string]string{"CI": "true"}, 500, false},
		{"few files", true, nil, 20, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, errOut := testIO(tt.env)
			ios.ErrTTY = tt.tty
			p := progress(ios, "reading")
			if p != nil {
				for i := 1; i <= tt.files; i++ {
					p(i, tt.files)
				}
			}
			got := errOut.String()
			if shown := strings.Contains(got, "reading: 1/"); shown != tt.shown {
				t.Errorf("progress shown = %v, want %v (%q)", shown, tt.shown, got)
			}
			if tt.shown && !strings.HasSuffix(got, "\r\x1b[K") {
				t.Errorf("the progress line is not cleared at the end: %q", got)
			}
		})
	}
}
