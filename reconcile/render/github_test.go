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
// earlier in file order, nor structural problems by pairing findings.
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
	// Within a level, structural problems (parse, unknown-reference)
	// come before the pairing findings (coach-is-manager), though the
	// unknown reference is further down in file order.
	wantFiles := []string{
		"file=org/broken/tabs.yaml,line=8,col=1",
		"file=org/people/z.yaml,line=3,col=10",
		"file=org/people/a b.yaml,line=13,col=10",
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
	// The one structural problem comes last in file order.
	r.Findings = append(r.Findings, reconcile.Finding{Rule: "management-cycle", Severity: reconcile.Error, Message: "management chain loops: a → b → a", File: "z.yaml", Line: 1})
	r.Summary.Errors = 5001
	var out, summary bytes.Buffer
	if err := GitHub(&out, r, Options{StepSummary: &summary}); err != nil {
		t.Fatal(err)
	}
	s := summary.String()
	if n := summary.Len(); n > 1<<20 || n > StepSummaryLimit {
		t.Fatalf("step summary is %d bytes, over GitHub's 1 MiB", n)
	}
	rows := strings.Count(s, "\n| error |")
	if rows < 2000 || rows == 5001 {
		t.Errorf("%d rows: want as many as fit, not all 5001", rows)
	}
	first := strings.Index(s, "\n| error |")
	if !strings.HasPrefix(s[first:], "\n| error | management-cycle | z.yaml:1 |") {
		t.Errorf("the structural problem is not the first row:\n%s", s[:first+200])
	}
	top := fmt.Sprintf("**Only the first %s of 5,001 findings fit: GitHub's step summary holds at most 1 MiB.** %s findings are left off", thousands(rows), thousands(5001-rows))
	if i := strings.Index(s, top); i < 0 || i > first {
		t.Errorf("no note %q above the table:\n%s", top, s[:first])
	}
	if end := fmt.Sprintf("**%s more findings not shown (1 MiB limit).**\n", thousands(5001-rows)); !strings.HasSuffix(s, end) {
		t.Errorf("no note %q at the end:\n%s", end, s[len(s)-400:])
	}
	// Annotations: the cycle first, then as many missing coaches as leave
	// room for one that counts the rest.
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != AnnotationLimit+1 {
		t.Fatalf("%d lines, want %d annotations and the summary line:\n%s", len(lines), AnnotationLimit, out.String())
	}
	if !strings.HasPrefix(lines[0], "::error file=z.yaml,line=1,title=orgctl management-cycle::") {
		t.Errorf("first annotation is not the cycle: %s", lines[0])
	}
	if want := "::error title=orgctl missing-coach::and 4,992 more missing-coach findings: see the step summary"; lines[9] != want {
		t.Errorf("annotation 10 is\n%s\nwant\n%s", lines[9], want)
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

// findingsOf makes n findings of one rule at one severity, in file order.
func findingsOf(rule reconcile.RuleID, sev reconcile.Severity, n int) []reconcile.Finding {
	var out []reconcile.Finding
	for i := range n {
		out = append(out, reconcile.Finding{Rule: rule, Severity: sev, Message: fmt.Sprintf("%s %d", rule, i+1), File: string(rule) + ".yaml", Line: i + 1})
	}
	return out
}

// annotated returns "level rule message" for each annotation line.
func annotated(lines []string) []string {
	var out []string
	for _, l := range lines {
		level, rest, _ := strings.Cut(strings.TrimPrefix(l, "::"), " ")
		props, msg, _ := strings.Cut(rest, "::")
		_, title, _ := strings.Cut(props, "title=orgctl")
		parts := []string{level}
		if title = strings.TrimSpace(title); title != "" {
			parts = append(parts, title)
		}
		out = append(out, strings.Join(append(parts, strings.TrimSuffix(msg, "\n")), " "))
	}
	return out
}

func TestPickAnnotations(t *testing.T) {
	var imported []reconcile.Finding
	imported = append(imported, findingsOf("missing-coach", reconcile.Error, 1412)...)
	imported = append(imported, findingsOf("missing-manager", reconcile.Error, 80)...)
	imported = append(imported, findingsOf("unknown-reference", reconcile.Error, 3)...)
	imported = append(imported, findingsOf("management-cycle", reconcile.Error, 1)...)
	imported = append(imported, findingsOf("coach-junior", reconcile.Warning, 4)...)
	reconcile.SortFindings(imported)

	var manyRules []reconcile.Finding
	for _, r := range []reconcile.RuleID{"coach-is-manager", "inactive-assignee", "missing-coach", "missing-manager", "coach-in-management-chain", "coach-reports-to-coachee", "mentor-is-manager", "roles-not-distinct", "coach-junior", "mentor-not-senior", "mentor-lacks-expertise", "coach-capacity"} {
		manyRules = append(manyRules, findingsOf(r, reconcile.Error, 2)...)
	}
	exempt := findingsOf("missing-coach", reconcile.Error, 12)
	for i := range exempt {
		exempt[i].Exempt = true
	}

	for _, tt := range []struct {
		name string
		fs   []reconcile.Finding
		want []string
	}{
		{"an imported org: the structural problems, then one rule at a time, then what is left per rule", imported, []string{
			"error unknown-reference unknown-reference 1",
			"error management-cycle management-cycle 1",
			"error unknown-reference unknown-reference 2",
			"error unknown-reference unknown-reference 3",
			"error missing-manager missing-manager 1",
			"error missing-coach missing-coach 1",
			"error missing-manager missing-manager 2",
			"error missing-coach missing-coach 2",
			"error missing-manager and 78 more missing-manager findings: see the step summary",
			"error missing-coach and 1,410 more missing-coach findings: see the step summary",
			"warning coach-junior coach-junior 1",
			"warning coach-junior coach-junior 2",
			"warning coach-junior coach-junior 3",
			"warning coach-junior coach-junior 4",
		}},
		{"more rules left over than room: one summary counts the rest, rule by rule", manyRules, []string{
			"error missing-manager missing-manager 1",
			"error missing-coach missing-coach 1",
			"error coach-is-manager coach-is-manager 1",
			"error inactive-assignee inactive-assignee 1",
			"error coach-in-management-chain coach-in-management-chain 1",
			"error coach-reports-to-coachee coach-reports-to-coachee 1",
			"error mentor-is-manager mentor-is-manager 1",
			"error roles-not-distinct roles-not-distinct 1",
			"error coach-junior coach-junior 1",
			"error and 15 more findings (1 missing-manager, 1 missing-coach, 1 coach-is-manager, 1 inactive-assignee, 1 coach-in-management-chain, 1 coach-reports-to-coachee, 1 mentor-is-manager, 1 roles-not-distinct, 1 coach-junior, 2 mentor-not-senior, 2 mentor-lacks-expertise, 2 coach-capacity): see the step summary",
		}},
		{"exempt findings are notices, counted the same way", exempt, []string{
			"notice missing-coach (exempt) missing-coach 1",
			"notice missing-coach (exempt) missing-coach 2",
			"notice missing-coach (exempt) missing-coach 3",
			"notice missing-coach (exempt) missing-coach 4",
			"notice missing-coach (exempt) missing-coach 5",
			"notice missing-coach (exempt) missing-coach 6",
			"notice missing-coach (exempt) missing-coach 7",
			"notice missing-coach (exempt) missing-coach 8",
			"notice missing-coach (exempt) missing-coach 9",
			"notice missing-coach (exempt) and 3 more exempt missing-coach findings: see the step summary",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := annotated(pickAnnotations(tt.fs, AnnotationLimit, "see the step summary"))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			levels := map[string]int{}
			for _, g := range got {
				levels[strings.Fields(g)[0]]++
			}
			for level, n := range levels {
				if n > AnnotationLimit {
					t.Errorf("%d %s annotations: GitHub shows only %d", n, level, AnnotationLimit)
				}
			}
		})
	}
}

func TestGitHubSaysWhereTheRestIsWithoutAStepSummary(t *testing.T) {
	var r reconcile.Result
	r.Findings = findingsOf("missing-coach", reconcile.Error, 30)
	var out bytes.Buffer
	if err := GitHub(&out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if want := "::error title=orgctl missing-coach::and 21 more missing-coach findings: run orgctl validate for the full list\n"; !strings.Contains(out.String(), want) {
		t.Errorf("no %q in:\n%s", want, out.String())
	}
}
