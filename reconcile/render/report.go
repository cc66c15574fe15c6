package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile/report"
)

// ReportFormats are the output formats of orgctl report.
var ReportFormats = []string{"text", "json", "markdown", "html"}

// Report writes r in format (one of ReportFormats).
func Report(w io.Writer, r report.Report, format string) error {
	switch format {
	case "text":
		return ReportText(w, r)
	case "json":
		return WriteJSON(w, r)
	case "markdown":
		return ReportMarkdown(w, r)
	case "html":
		return ReportHTML(w, r)
	}
	return fmt.Errorf("unknown report format %q: use %s", format, strings.Join(ReportFormats, ", "))
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func signed(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}

// maxListed bounds the lists of names in text and markdown (the counts are
// always complete; json and html list everything).
const maxListed = 50

// ReportText writes the report for a terminal.
func ReportText(w io.Writer, r report.Report) error {
	bw := bufio.NewWriter(w)
	c := r.Coverage
	fmt.Fprintf(bw, "Coaching report for %s\n\n", r.Today)
	fmt.Fprintf(bw, "Coverage (%d active internal people)\n", c.People)
	fmt.Fprintf(bw, "  with a coach   %d (%s)\n", c.WithCoach, percent(c.CoachShare()))
	fmt.Fprintf(bw, "  with a mentor  %d (%s)\n\n", c.WithMentor, percent(c.MentorShare()))

	over := 0
	for _, l := range r.Load {
		if l.Over() {
			over++
		}
	}
	fmt.Fprintf(bw, "Coach load (%d pairings, %d coaches, %d over capacity)\n", r.Pairings, len(r.Load), over)
	if len(r.Load) > 0 {
		width := len("COACH")
		for _, l := range r.Load {
			width = max(width, len(oneLine(l.Coach)))
		}
		fmt.Fprintf(bw, "  %-*s  COACHEES  CAPACITY\n", width, "COACH")
		for i, l := range r.Load {
			if i == maxListed {
				fmt.Fprintf(bw, "  … %d more (-o json lists all)\n", len(r.Load)-maxListed)
				break
			}
			mark := ""
			if l.Over() {
				mark = "  over"
			}
			fmt.Fprintf(bw, "  %-*s  %8d  %s%s\n", width, oneLine(l.Coach), l.Coachees, capacityText(l), mark)
		}
	}

	fmt.Fprintf(bw, "\nLevel gaps (coach level − coachee level; negative: coached from below)\n")
	if len(r.LevelGaps.Histogram) == 0 {
		fmt.Fprintf(bw, "  no pairing with both levels known\n")
	}
	most := 1
	for _, g := range r.LevelGaps.Histogram {
		most = max(most, g.Pairings)
	}
	for _, g := range r.LevelGaps.Histogram {
		bar := strings.Repeat("#", (g.Pairings*40+most-1)/most)
		fmt.Fprintf(bw, "  %3s  %4d  %s\n", signed(g.Gap), g.Pairings, bar)
	}
	if r.LevelGaps.Unknown > 0 {
		fmt.Fprintf(bw, "  not counted: %d (external coach, or a level missing or off the ladder)\n", r.LevelGaps.Unknown)
	}

	x := r.CrossDivision
	fmt.Fprintf(bw, "\nCross-division coaching: %d of %d pairings (%s)", x.Cross, x.Compared, percent(x.Share()))
	if x.Unknown > 0 {
		fmt.Fprintf(bw, "; %d not compared (no division)", x.Unknown)
	}
	fmt.Fprintln(bw)

	fmt.Fprintf(bw, "\nRotations due: %d\n", len(r.RotationsDue))
	for i, d := range r.RotationsDue {
		if i == maxListed {
			fmt.Fprintf(bw, "  … %d more\n", len(r.RotationsDue)-maxListed)
			break
		}
		fmt.Fprintf(bw, "  %s coached by %s since %s (due %s)\n", oneLine(d.Person), oneLine(d.Coach), d.Since, d.Due)
	}
	fmt.Fprintf(bw, "\nPairings without a start date: %d\n", len(r.Undated))
	for i, u := range r.Undated {
		if i == maxListed {
			fmt.Fprintf(bw, "  … %d more\n", len(r.Undated)-maxListed)
			break
		}
		fmt.Fprintf(bw, "  %s: %s %s%s\n", oneLine(u.Person), u.Role, oneLine(u.Other), domainSuffix(u.Domain, oneLine))
	}

	t := r.Trend
	fmt.Fprintf(bw, "\nTrend (coverage at the last commit of each month)\n")
	if t.Note != "" {
		fmt.Fprintf(bw, "  %s\n", oneLine(t.Note))
	}
	if len(t.Points) > 0 {
		fmt.Fprintf(bw, "  MONTH    PEOPLE  COACH        MENTOR       COMMIT\n")
		for _, p := range t.Points {
			fmt.Fprintf(bw, "  %s  %6d  %4d (%4s)  %4d (%4s)  %.12s\n", p.Month, p.People, p.WithCoach, percent(p.CoachShare()), p.WithMentor, percent(p.MentorShare()), p.Commit)
		}
	}
	if len(t.NotSeen) > 0 {
		fmt.Fprintf(bw, "  not seen: %s (%s)\n", monthRange(t.NotSeen), shallowWhy(t))
	}
	return bw.Flush()
}

// capacityText is a coach's capacity and where it comes from: "4 (policy)",
// or "none (coach-capacity off)".
func capacityText(l report.CoachLoad) string {
	if l.CapacityFrom == report.CapacityOff {
		return "none (coach-capacity off)"
	}
	return fmt.Sprintf("%d (%s)", l.Capacity, l.CapacityFrom)
}

func domainSuffix(d string, esc func(string) string) string {
	if d == "" {
		return ""
	}
	return " (" + esc(d) + ")"
}

// monthRange shows a list of months as "2024-06 … 2026-02 (21 months)" or
// the one month.
func monthRange(ms []string) string {
	if len(ms) == 1 {
		return ms[0]
	}
	return fmt.Sprintf("%s … %s, %d months", ms[0], ms[len(ms)-1], len(ms))
}

func shallowWhy(t report.Trend) string {
	if t.OldestCommit == "" {
		return "a shallow clone: fetch the full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
	}
	return fmt.Sprintf("a shallow clone whose oldest commit is %.12s of %s: fetch the full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)", t.OldestCommit, t.OldestDate)
}

// ReportMarkdown writes the report as GitHub Flavored Markdown, for a
// workflow's step summary or a tracking issue. Every name from the org is
// escaped.
func ReportMarkdown(w io.Writer, r report.Report) error {
	bw := bufio.NewWriter(w)
	c := r.Coverage
	fmt.Fprintf(bw, "## Coaching report, %s\n\n", r.Today)
	fmt.Fprintf(bw, "| | people | share |\n|---|---:|---:|\n")
	fmt.Fprintf(bw, "| active internal people | %d | |\n", c.People)
	fmt.Fprintf(bw, "| with a coach | %d | %s |\n", c.WithCoach, percent(c.CoachShare()))
	fmt.Fprintf(bw, "| with a mentor | %d | %s |\n\n", c.WithMentor, percent(c.MentorShare()))
	x := r.CrossDivision
	fmt.Fprintf(bw, "**%d** coaching pairings; **%d** of %d compared cross a division (%s). **%d** rotations due, **%d** pairings without a start date.\n\n",
		r.Pairings, x.Cross, x.Compared, percent(x.Share()), len(r.RotationsDue), len(r.Undated))

	fmt.Fprintf(bw, "### Coach load\n\n")
	if len(r.Load) == 0 {
		fmt.Fprintf(bw, "Nobody coaches anyone yet.\n\n")
	} else {
		fmt.Fprintf(bw, "| coach | coachees | capacity | |\n|---|---:|---:|---|\n")
		for i, l := range r.Load {
			if i == maxListed {
				fmt.Fprintf(bw, "\n%d more coaches (the HTML report lists all).\n", len(r.Load)-maxListed)
				break
			}
			mark := ""
			if l.Over() {
				mark = "over capacity"
			}
			fmt.Fprintf(bw, "| %s | %d | %s | %s |\n", EscapeMarkdown(l.Coach), l.Coachees, capacityText(l), mark)
		}
		fmt.Fprintln(bw)
	}

	fmt.Fprintf(bw, "### Level gaps\n\nCoach level index minus coachee level index; negative is coached from below.\n\n")
	if len(r.LevelGaps.Histogram) > 0 {
		fmt.Fprintf(bw, "| gap | pairings |\n|---:|---:|\n")
		for _, g := range r.LevelGaps.Histogram {
			fmt.Fprintf(bw, "| %s | %d |\n", signed(g.Gap), g.Pairings)
		}
		fmt.Fprintln(bw)
	}
	if r.LevelGaps.Unknown > 0 {
		fmt.Fprintf(bw, "%d pairings not counted (external coach, or a level missing or off the ladder).\n\n", r.LevelGaps.Unknown)
	}

	if len(r.RotationsDue) > 0 {
		fmt.Fprintf(bw, "### Rotations due\n\n| person | coach | since | due |\n|---|---|---|---|\n")
		for i, d := range r.RotationsDue {
			if i == maxListed {
				fmt.Fprintf(bw, "\n%d more.\n", len(r.RotationsDue)-maxListed)
				break
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", EscapeMarkdown(d.Person), EscapeMarkdown(d.Coach), d.Since, d.Due)
		}
		fmt.Fprintln(bw)
	}
	if len(r.Undated) > 0 {
		fmt.Fprintf(bw, "### Pairings without a start date\n\n| person | role | with |\n|---|---|---|\n")
		for i, u := range r.Undated {
			if i == maxListed {
				fmt.Fprintf(bw, "\n%d more.\n", len(r.Undated)-maxListed)
				break
			}
			fmt.Fprintf(bw, "| %s | %s | %s%s |\n", EscapeMarkdown(u.Person), u.Role, EscapeMarkdown(u.Other), domainSuffix(u.Domain, EscapeMarkdown))
		}
		fmt.Fprintln(bw)
	}

	t := r.Trend
	fmt.Fprintf(bw, "### Trend\n\nCoverage at the last commit of each month.\n\n")
	if t.Note != "" {
		fmt.Fprintf(bw, "%s\n\n", EscapeMarkdown(t.Note))
	}
	if len(t.Points) > 0 {
		fmt.Fprintf(bw, "| month | people | with a coach | with a mentor | commit |\n|---|---:|---:|---:|---|\n")
		for _, p := range t.Points {
			fmt.Fprintf(bw, "| %s | %d | %d (%s) | %d (%s) | %s |\n", p.Month, p.People, p.WithCoach, percent(p.CoachShare()), p.WithMentor, percent(p.MentorShare()), CodeSpan(fmt.Sprintf("%.12s", p.Commit)))
		}
		fmt.Fprintln(bw)
	}
	if len(t.NotSeen) > 0 {
		fmt.Fprintf(bw, "Not seen: %s (%s).\n", monthRange(t.NotSeen), EscapeMarkdown(shallowWhy(t)))
	}
	return bw.Flush()
}
