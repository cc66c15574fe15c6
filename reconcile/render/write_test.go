package render

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile/history"
)

func TestWriteHistory(t *testing.T) {
	h := history.History{Person: "alice", Pairings: []history.Pairing{}}
	for _, tc := range []struct {
		format, start string
	}{
		{"text", "alice: 0 coaching and mentoring pairings, oldest first\n"},
		{"", "alice: 0 coaching and mentoring pairings, oldest first\n"},
		{"json", "{\n"},
	} {
		var b strings.Builder
		if err := WriteHistory(tc.format, &b, h); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), tc.start) || !strings.Contains(b.String(), "alice") {
			t.Errorf("-o %q wrote %q, want it to start %q", tc.format, b.String(), tc.start)
		}
	}
	err := WriteHistory("json", failingWriter{}, h)
	if !errors.Is(err, os.ErrClosed) || !strings.HasPrefix(err.Error(), "writing the history: ") {
		t.Errorf("a failing writer: %v, want its error, saying what was being written", err)
	}
}
