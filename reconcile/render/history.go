package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile/history"
	"github.com/orgctl/orgctl/schema"
)

// HistoryText writes a person's pairings over time, oldest first, one a
// line: the relation, the dates the files declare, where, and what git
// shows; then how much of git was read.
func HistoryText(w io.Writer, h history.History) error {
	n := len(h.Pairings)
	fmt.Fprintf(w, "%s: %s, oldest first\n", h.Person, plural(n, "coaching or mentoring pairing", "coaching and mentoring pairings"))
	if n > 0 {
		fmt.Fprintln(w)
		var buf bytes.Buffer
		tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		for _, p := range h.Pairings {
			where := "(git only)"
			if p.File != "" {
				where = fmt.Sprintf("%s:%d", p.File, p.Line)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", relation(h.Person, p), span(p.From, p.Until, p.Current), where, seen(p.Git))
		}
		tw.Flush()
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			fmt.Fprintln(w, strings.TrimRight(line, " "))
		}
	}
	fmt.Fprintln(w)
	_, err := fmt.Fprintln(w, gitLine(h.Git))
	return err
}

// HistoryJSON writes the history as one JSON object.
func HistoryJSON(w io.Writer, h history.History) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(h)
}

// relation says what the pairing is from the point of view of person.
func relation(person string, p history.Pairing) string {
	in := ""
	if p.Role == schema.RoleMentor {
		in = " in " + p.Domain
	}
	if p.Person == person {
		if p.Role == schema.RoleMentor {
			return "mentored by " + p.Coach + in
		}
		return "coached by " + p.Coach
	}
	if p.Role == schema.RoleMentor {
		return "mentors " + p.Person + in
	}
	return "coaches " + p.Person
}

func span(from, until string, current bool) string {
	if from == "" {
		from = "?"
	}
	switch {
	case until != "":
	case current:
		until = "now"
	default:
		until = "?"
	}
	return from + " → " + until
}

func seen(s *history.Seen) string {
	if s == nil {
		return ""
	}
	from := s.From
	if s.SinceOldest {
		from = "≤" + from
	}
	if s.Until == "" {
		return fmt.Sprintf("git: since %s (%s)", from, shortCommit(s.FromCommit))
	}
	return fmt.Sprintf("git: %s (%s) → %s (%s)", from, shortCommit(s.FromCommit), s.Until, shortCommit(s.UntilCommit))
}

func gitLine(g history.GitInfo) string {
	if !g.Read {
		return "git: " + g.Note
	}
	s := fmt.Sprintf("git: %s read, the oldest %s of %s", plural(g.Commits, "commit", "commits"), shortCommit(g.Oldest), g.OldestDate)
	if g.Shallow {
		s += fmt.Sprintf("; this is a shallow clone: nothing before %s is seen (git fetch --unshallow shows it)", g.OldestDate)
	}
	if g.Note != "" {
		s += "; " + g.Note
	}
	return s
}

func shortCommit(c string) string {
	if len(c) > 7 {
		return c[:7]
	}
	return c
}
