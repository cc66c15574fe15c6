package render

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile/report"
)

const hostileName = `<script>alert(1)</script>@everyone #1 [x](https://evil.example) ` + "\x1b[31m"

// sampleReport has a hostileName name in every place a name from the org can
// appear, n coaches, and a trend of months points.
func sampleReport(coaches, months int) report.Report {
	r := report.Report{
		Today:         "2026-12-04",
		Coverage:      report.Coverage{People: 10, WithCoach: 7, WithMentor: 3},
		Pairings:      coaches,
		LevelGaps:     report.LevelGaps{Histogram: []report.GapCount{{Gap: -1, Pairings: 1}, {Gap: 0, Pairings: 0}, {Gap: 1, Pairings: 5}}, Unknown: 2},
		CrossDivision: report.CrossDivision{Compared: 4, Cross: 1},
		RotationsDue:  []report.Rotation{{Person: hostileName, Coach: hostileName, Since: "2024-01-01", Due: "2025-07-01"}},
		Undated:       []report.Undated{{Person: hostileName, Role: "mentor", Other: hostileName, Domain: hostileName}},
		Trend:         report.Trend{Points: []report.TrendPoint{}, NotSeen: []string{"2025-01", "2025-02"}, Shallow: true, OldestCommit: strings.Repeat("a", 40), OldestDate: "2025-03-04", Note: hostileName},
	}
	for i := range coaches {
		name := fmt.Sprintf("coach%02d", i)
		if i == 0 {
			name = hostileName
		}
		r.Load = append(r.Load, report.CoachLoad{Coach: name, Coachees: 1 + i%4, Capacity: 2, CapacityFrom: report.CapacityPolicy})
	}
	for i := range months {
		r.Trend.Points = append(r.Trend.Points, report.TrendPoint{Month: fmt.Sprintf("2026-%02d", i+1), Commit: strings.Repeat("b", 40), Coverage: report.Coverage{People: 10, WithCoach: i % 10, WithMentor: 1}})
	}
	return r
}

func TestReportHTMLEscapesAndDrawsEveryMark(t *testing.T) {
	var b bytes.Buffer
	if err := ReportHTML(&b, sampleReport(45, 7)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script") || strings.Contains(out, "\x1b") {
		t.Errorf("a name from the org reached the HTML unescaped")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the hostileName name is not shown escaped")
	}
	for _, c := range []struct {
		re   string
		want int
	}{
		{`<circle class="point coach"`, 7},
		{`<circle class="point mentor"`, 7},
		{`<rect class="bar (ok|over)"`, maxBars}, // the most loaded 40 of 45
		{`<rect class="bar (gap|below)"`, 3},
		{`<tr><th scope="row"`, 7 + 45 + 3 + 1 + 1},
		{`<svg [^>]*role="img" aria-labelledby="`, 3},
	} {
		if got := len(regexp.MustCompile(c.re).FindAllString(out, -1)); got != c.want {
			t.Errorf("%d matches of %s, want %d", got, c.re, c.want)
		}
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(out)
	if csp == nil || html.UnescapeString(csp[1]) != ReportCSP || !strings.HasPrefix(ReportCSP, "default-src 'none'; style-src 'sha256-") {
		t.Errorf("no strict Content-Security-Policy meta tag")
	}
	if !strings.Contains(out, "Not seen: 2025-01 … 2025-02, 2 months (a shallow clone whose oldest commit is aaaaaaaaaaaa of 2025-03-04") {
		t.Errorf("the months a shallow clone cannot see are not named")
	}
}

func TestReportMarkdownEscapesNames(t *testing.T) {
	var b bytes.Buffer
	if err := ReportMarkdown(&b, sampleReport(3, 2)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "@everyone", "](https", "\x1b"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q unescaped", bad)
		}
	}
	if got := strings.Count(out, "\n| "+EscapeMarkdown(hostileName)+" |"); got != 3 {
		t.Errorf("%d table rows start with the escaped hostileName name, want 3 (load, rotation, undated)\n%s", got, out)
	}
}

func TestReportTextKeepsNamesOnOneLine(t *testing.T) {
	var b bytes.Buffer
	if err := ReportText(&b, sampleReport(60, 2)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "\x1b") {
		t.Errorf("an escape sequence from a name reached the terminal")
	}
	if !strings.Contains(out, "  … 10 more (-o json lists all)\n") {
		t.Errorf("the load list is not cut at %d with a count of the rest\n%s", maxListed, out)
	}
}

func TestReportCapacityOffIsNoLimit(t *testing.T) {
	off := report.CoachLoad{Coach: "amy", Coachees: 9, CapacityFrom: report.CapacityOff}
	if off.Over() || capacityText(off) != "none (coach-capacity off)" {
		t.Errorf("coach-capacity off: over %v, %q", off.Over(), capacityText(off))
	}
	var b bytes.Buffer
	if err := ReportHTML(&b, report.Report{Load: []report.CoachLoad{off, {Coach: "bob", Coachees: 3, Capacity: 2, CapacityFrom: report.CapacityPerson}}}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b.String(), `<line class="cap"`); got != 1 {
		t.Errorf("%d capacity ticks, want 1 (none for a coach without a limit)", got)
	}
}
