package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile/match"
)

// SuggestNotes writes what orgctl suggest says on stderr beside its table:
// each person named in req who needs nothing, and, when nobody at all
// needs what req asks for, that nobody does.
func SuggestNotes(w io.Writer, req match.Request, out match.Result) {
	for _, n := range out.NotNeeded {
		fmt.Fprintf(w, "%s: nothing to suggest\n", n.Why)
	}
	if len(out.Suggestions) > 0 || len(out.Unmatched) > 0 || len(req.People) > 0 {
		return
	}
	what := "a coach"
	switch {
	case req.Role == match.RoleMentor && strings.TrimSpace(req.Domain) == "":
		what = "a new mentor"
	case req.Role == match.RoleMentor:
		what = "a new mentor in " + req.Domain
	case req.Rotate:
		what = "a coach or a rotation"
	}
	fmt.Fprintf(w, "nobody needs %s\n", what)
}

// SuggestWritten lists the files suggest --write changed, one a line,
// with how many suggestions each received.
func SuggestWritten(w io.Writer, written []match.Written) {
	for _, f := range written {
		fmt.Fprintf(w, "wrote %s (%s)\n", f.File, CountWords(f.Edits, f.Role))
	}
}

// SuggestJSON writes orgctl suggest -o json: the suggestions, the people
// left unmatched and the quality summary, indented by two spaces.
func SuggestJSON(w io.Writer, out match.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing the suggestions: %w", err)
	}
	return nil
}
