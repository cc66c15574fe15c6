package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/orgctl/orgctl/reconcile/match"
)

// SuggestTable writes orgctl suggest's suggestions and unmatched people,
// one row per person: an aligned table with a header on a terminal,
// tab-separated values without one elsewhere.
func SuggestTable(w io.Writer, tty bool, out match.Result) {
	type row struct{ person, role, cand, reasons string }
	var rows []row
	for _, s := range out.Suggestions {
		rows = append(rows, row{s.Person, s.Role, s.Candidate, strings.Join(s.Reasons, "; ")})
	}
	for _, u := range out.Unmatched {
		rows = append(rows, row{u.Person, u.Role, "-", u.Why})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return strings.Compare(a.person, b.person) })
	if !tty {
		for _, r := range rows {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.person, r.role, r.cand, r.reasons)
		}
		return
	}
	if len(rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tROLE\tCANDIDATE\tREASONS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.person, r.role, r.cand, r.reasons)
	}
	tw.Flush()
}

// SuggestQuality writes the quality summary of a run, for a people team
// to judge it before sending it out.
func SuggestQuality(w io.Writer, role string, q match.Quality) {
	pct := func(n int) string { return fmt.Sprintf("%d%%", (100*n+q.Pairs/2)/q.Pairs) }
	fmt.Fprintf(w, "quality of these %s:\n", CountWords(q.Pairs, "suggestion"))
	if role == match.RoleCoach {
		fmt.Fprintf(w, "  mutual pairs: %d\n", q.Mutual)
	}
	var gaps []string
	for _, g := range q.LevelGaps {
		gaps = append(gaps, fmt.Sprintf("%s: %d", gapWords(g.Gap), g.Pairs))
	}
	if q.External > 0 {
		gaps = append(gaps, fmt.Sprintf("external: %d", q.External))
	}
	if q.UnknownLevel > 0 {
		gaps = append(gaps, fmt.Sprintf("level unknown: %d", q.UnknownLevel))
	}
	fmt.Fprintf(w, "  level gap (%s minus person): %s\n", role, strings.Join(gaps, ", "))
	if role == match.RoleCoach && q.Below > 0 {
		fmt.Fprintf(w, "  below %s, coached from above: %d of %d\n", q.CoachFromAbove, q.FromAbove, q.Below)
	}
	fmt.Fprintf(w, "  same division: %d (%s), same team: %d\n", q.SameDivision, pct(q.SameDivision), q.SameTeam)
	var loads []string
	for _, l := range q.Load {
		loads = append(loads, fmt.Sprintf("%d with %d", l.Candidates, l.Load))
	}
	capacity := ""
	if q.Capacity >= 0 {
		capacity = fmt.Sprintf(", capacity %d", q.Capacity)
	}
	fmt.Fprintf(w, "  load after this run: %s (max %d%s)\n", strings.Join(loads, ", "), q.MaxLoad, capacity)
}

// CountWords says "1 coach", "3 coaches", "2 mentors": a count with its
// noun, for the counts in orgctl's messages.
func CountWords(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// gapWords writes a level gap as "+2", "0", "-1".
func gapWords(g int) string {
	if g == 0 {
		return "0"
	}
	return fmt.Sprintf("%+d", g)
}
