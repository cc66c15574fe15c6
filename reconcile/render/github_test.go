package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

func TestGitHubAnnotation(t *testing.T) {
	base := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "ann", Fingerprint: "missing-coach/ann", Message: "ann has no coach", File: "org/people.yaml", Line: 7, Column: 3}
	with := func(change func(*reconcile.Finding)) reconcile.Finding {
		f := base
		change(&f)
		return f
	}
	for _, tt := range []struct {
		name string
		f    reconcile.Finding
		want string
	}{
		{"error", base, "::error file=org/people.yaml,line=7,col=3,title=orgctl missing-coach::ann has no coach"},
		{"warning", with(func(f *reconcile.Finding) { f.Severity = reconcile.Warning }), "::warning file=org/people.yaml,line=7,col=3,title=orgctl missing-coach::ann has no coach"},
		{"no column", with(func(f *reconcile.Finding) { f.Column = 0 }), "::error file=org/people.yaml,line=7,title=orgctl missing-coach::ann has no coach"},
		{"no line", with(func(f *reconcile.Finding) { f.Line, f.Column = 0, 0 }), "::error file=org/people.yaml,title=orgctl missing-coach::ann has no coach"},
		{"no file", with(func(f *reconcile.Finding) { f.File, f.Line, f.Column = "", 0, 0 }), "::error title=orgctl missing-coach::ann has no coach"},
		{"exempt is a notice", with(func(f *reconcile.Finding) { f.Exempt = true }), "::notice file=org/people.yaml,line=7,col=3,title=orgctl missing-coach (exempt)::ann has no coach"},
		// escapeData: % \r \n; escapeProperty: also : and ,
		{"message is escaped as data", with(func(f *reconcile.Finding) { f.Message = "100% a,b:c\r\nd\ne::f" }), "::error file=org/people.yaml,line=7,col=3,title=orgctl missing-coach::100%25 a,b:c%0D%0Ad%0Ae::f"},
		{"file is escaped as a property", with(func(f *reconcile.Finding) { f.File = "o,r:g/100%\n.yaml" }), "::error file=o%2Cr%3Ag/100%25%0A.yaml,line=7,col=3,title=orgctl missing-coach::ann has no coach"},
		{"an escape sequence is not unescaped twice", with(func(f *reconcile.Finding) { f.Message = "%0A%25" }), "::error file=org/people.yaml,line=7,col=3,title=orgctl missing-coach::%250A%2525"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := annotation(tt.f)
			if got != tt.want+"\n" {
				t.Errorf("got  %q\nwant %q", got, tt.want+"\n")
			}
			if strings.Count(got, "\n") != 1 || strings.Count(got, "\r") != 0 {
				t.Errorf("a workflow command must be one line: %q", got)
			}
		})
	}
}

// TestGitHubPutsErrorsFirst: GitHub shows about ten annotations of each
// level per step, so errors must not be crowded out by warnings that come
// earlier in file order.
func TestGitHubPutsErrorsFirst(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, fixture(), Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	var levels, files []string
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		level, rest, ok := strings.Cut(strings.TrimPrefix(l, "::"), " ")
		if !ok || !strings.HasPrefix(l, "::") {
			continue
		}
		levels = append(levels, level)
		files = append(files, strings.SplitN(rest, ",title=", 2)[0])
	}
	wantLevels := []string{"error", "error", "error", "warning", "notice"}
	if !slices.Equal(levels, wantLevels) {
		t.Errorf("levels %v, want %v", levels, wantLevels)
	}
	// File and line order is kept within each level.
	wantFiles := []string{
		"file=org/broken/tabs.yaml,line=8,col=1",
		"file=org/people/a b.yaml,line=13,col=10",
		"file=org/people/z.yaml,line=3,col=10",
		"file=org/people/a b.yaml,line=40",
		"file=org/people/a b.yaml,line=27,col=10",
	}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("order %q, want %q", files, wantFiles)
	}
	if !strings.HasSuffix(b.String(), "\n"+SummaryLine(fixture())+"\n") {
		t.Errorf("the summary line does not come last:\n%s", b.String())
	}

	b.Reset()
	if err := GitHub(&b, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "coach-junior") {
		t.Errorf("without -v an exempt finding is no annotation:\n%s", b.String())
	}
}

func TestGitHubManyErrorsComeBeforeAnyWarning(t *testing.T) {
	var r reconcile.Result
	for i := range 30 {
		sev := reconcile.Warning
		if i%3 == 2 {
			sev = reconcile.Error
		}
		r.Findings = append(r.Findings, reconcile.Finding{Rule: "coach-junior", Severity: sev, Message: "m", File: "a.yaml", Line: i + 1})
	}
	var b bytes.Buffer
	if err := GitHub(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines[:10] {
		if !strings.HasPrefix(l, "::error ") {
			t.Fatalf("line %d is not one of the 10 errors: %q", i+1, l)
		}
	}
	if !strings.HasPrefix(lines[10], "::warning ") {
		t.Errorf("line 11 is not the first warning: %q", lines[10])
	}
}

func TestStepSummaryEscapesHostileText(t *testing.T) {
	var out, summary bytes.Buffer
	if err := GitHub(&out, fixture(), Options{StepSummary: &summary}); err != nil {
		t.Fatal(err)
	}
	s := summary.String()
	for _, bad := range []string{"<script", "](https://", "https://", "@everyone", " `rm", " | cell", "\nnew line", "#1", " $x$"} {
		if strings.Contains(s, bad) {
			t.Errorf("step summary contains %q unescaped:\n%s", bad, s)
		}
	}
	wantRow := "| error | unknown-reference | org/people/z.yaml:3 | &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[click\\]\\(https:&#8203;//evil.example\\) @&#8203;everyone \\`rm -rf\\` \\| cell new line 100% a,b:c #&#8203;1 \\$x\\$ |\n"
	if !strings.Contains(s, wantRow) {
		t.Errorf("step summary lacks the escaped row\n%s\nin:\n%s", wantRow, s)
	}
	// Every table row has exactly the four cells of the header.
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "|") {
			continue
		}
		if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 5 {
			t.Errorf("row has %d cell separators, want 5: %s", n, l)
		}
	}
}

func TestStepSummaryListsEveryFinding(t *testing.T) {
	var r reconcile.Result
	for i := range 25 {
		r.Findings = append(r.Findings, reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Message: fmt.Sprintf("p%d has no coach", i), File: "a.yaml", Line: i + 1})
		r.Findings = append(r.Findings, reconcile.Finding{Rule: "coach-junior", Severity: reconcile.Warning, Message: fmt.Sprintf("q%d is coached by a junior", i), File: "b.yaml", Line: i + 1})
	}
	r.Findings = append(r.Findings, reconcile.Finding{Rule: "coach-junior", Severity: reconcile.Warning, Message: "hidden", File: "b.yaml", Line: 99, Exempt: true})
	r.Summary = reconcile.Summary{People: 50, Teams: 2, Files: 2, Errors: 25, Warnings: 25, Exempt: 1}
	for _, verbose := range []bool{false, true} {
		var out, summary bytes.Buffer
		if err := GitHub(&out, r, Options{Verbose: verbose, StepSummary: &summary}); err != nil {
			t.Fatal(err)
		}
		s := summary.String()
		if got := strings.Count(s, "\n| error | missing-coach |"); got != 25 {
			t.Errorf("verbose=%v: %d error rows, want all 25", verbose, got)
		}
		if got := strings.Count(s, "\n| warning | coach-junior |"); got != 25 {
			t.Errorf("verbose=%v: %d warning rows, want all 25", verbose, got)
		}
		if got := strings.Count(s, "| warning (exempt) | coach-junior | b.yaml:99 | hidden |"); got != map[bool]int{false: 0, true: 1}[verbose] {
			t.Errorf("verbose=%v: %d exempt rows", verbose, got)
		}
		if !strings.Contains(s, "GitHub shows only the first 10 errors and 10 warnings") {
			t.Errorf("no note that annotations were cut:\n%s", s)
		}
		if strings.Index(s, "| p24 has no coach |") > strings.Index(s, "| q0 is coached by a junior |") {
			t.Errorf("errors do not all come before warnings:\n%s", s)
		}
	}
}

func TestStepSummaryStaysUnderGitHubsLimit(t *testing.T) {
	var r reconcile.Result
	long := strings.Repeat("x", 400)
	for i := range 5000 {
		r.Findings = append(r.Findings, reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Message: long, File: "a.yaml", Line: i + 1})
	}
	r.Summary.Errors = 5000
	var out, summary bytes.Buffer
	if err := GitHub(&out, r, Options{StepSummary: &summary}); err != nil {
		t.Fatal(err)
	}
	if n := summary.Len(); n > 1<<20 || n > StepSummaryLimit {
		t.Fatalf("step summary is %d bytes, over GitHub's 1 MiB", n)
	}
	rows := strings.Count(summary.String(), "\n| error |")
	if rows < 2000 || rows == 5000 {
		t.Errorf("%d rows: want as many as fit, not all 5000", rows)
	}
	if note := fmt.Sprintf("**%d more findings are not shown", 5000-rows); !strings.Contains(summary.String(), note) {
		t.Errorf("no note %q at the end:\n%s", note, summary.String()[summary.Len()-400:])
	}
	if got := strings.Count(out.String(), "::error "); got != 5000 {
		t.Errorf("%d annotations, want every finding (GitHub picks the first ones)", got)
	}
}

func TestStepSummaryOfACleanOrg(t *testing.T) {
	var out, summary bytes.Buffer
	if err := GitHub(&out, clean(), Options{StepSummary: &summary}); err != nil {
		t.Fatal(err)
	}
	want := "## orgctl validate\n\n✅ no problems in 45 people and 7 teams (10 files)\n"
	if summary.String() != want {
		t.Errorf("got %q, want %q", summary.String(), want)
	}
	if out.String() != "no problems in 45 people and 7 teams (10 files)\n" {
		t.Errorf("a clean org gets only the summary line, got %q", out.String())
	}
}
