package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

// withRelations sets the typed relations of hand-built changes, as Diff
// sets them for real ones.
func withRelations(p reconcile.Plan) reconcile.Plan {
	for i := range p.Changes {
		p.Changes[i].Relations = reconcile.RelationsOf(p.Changes[i])
	}
	return p
}

func planFixture() reconcile.Plan {
	f := fixture().Findings
	missing := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "zoe", Fingerprint: "missing-coach/zoe", Message: "zoe has no coach", File: "org/people.yaml", Line: 39, Column: 1}
	oldMissing := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "walt", Fingerprint: "missing-coach/walt", Message: "walt has no coach", File: "org/people.yaml", Line: 9, Column: 1}
	return withRelations(reconcile.Plan{
		Changes: []reconcile.Change{
			{Kind: "Person", Name: "ann", Action: reconcile.ActionChange, Fields: []reconcile.FieldChange{{Field: "manager", From: "lead", To: "sue"}}},
			{Kind: "Person", Name: "erin", Action: reconcile.ActionChange,
				Fields:  []reconcile.FieldChange{{Field: "status", From: "active", To: "departed"}, {Field: "mentors", From: []string{"sue (go)"}, To: []string{"sue (go)", "max (" + hostile + ")"}}},
				Effects: []string{"bob loses their coach: erin departs"}},
			{Kind: "Person", Name: "zoe", Action: reconcile.ActionAdd, Fields: []reconcile.FieldChange{{Field: "displayName", To: hostile}, {Field: "coach", To: "ext"}}},
			{Kind: "Team", Name: "old", Action: reconcile.ActionRemove, Fields: []reconcile.FieldChange{{Field: "manager", From: "x"}}},
		},
		Findings: reconcile.PlanFindings{
			Introduced: []reconcile.Finding{missing, f[4]},
			Resolved:   []reconcile.Finding{f[1]},
			Unchanged:  []reconcile.Finding{oldMissing, f[3]},
		},
		GitHub:  []reconcile.GitHubAction{{Action: "create", Type: "issue", Fingerprint: "missing-coach/zoe", Title: "zoe has no coach"}, {Action: "close", Type: "issue", Fingerprint: "coach-is-manager/abe/bea", Number: 12, Title: "abe is coached by their manager bea"}},
		Summary: reconcile.PlanSummary{Add: 1, Change: 2, Remove: 1, Errors: 2},
	})
}

func TestPlanGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := WritePlan(format, &b, planFixture(), PlanOptions{Base: "origin/main", Head: "the working tree", HeadSHA: fixtureSHA}); err != nil {
				t.Fatal(err)
			}
			golden(t, "plan-"+format+".golden", b.Bytes())
		})
	}
}

func TestPlanMarkdownEscapesEverything(t *testing.T) {
	md := PlanMarkdown(planFixture(), PlanOptions{})
	if !strings.HasPrefix(md, PlanMarker+"\n") {
		t.Error("the comment does not start with the plan marker")
	}
	outsideFence := md
	if i := strings.Index(md, "```mermaid"); i >= 0 {
		j := strings.Index(md[i+3:], "```")
		outsideFence = md[:i] + md[i+3+j+3:]
		fence := md[i : i+3+j+3]
		for _, bad := range []string{`"<`, "<script", "`rm"} {
			if strings.Contains(fence, bad) {
				t.Errorf("mermaid block contains %q:\n%s", bad, fence)
			}
		}
	}
	for _, bad := range []string{"<script>", "](https://", "@everyone", " `rm", " | cell", "\nnew line"} {
		if strings.Contains(outsideFence, bad) {
			t.Errorf("markdown contains %q unescaped", bad)
		}
	}
	if !strings.Contains(md, "- **zoe** (new with this change)") || !strings.Contains(md, "- walt") {
		t.Errorf("people without a coach are not listed prominently:\n%s", md)
	}
	if strings.Count(md, "```")%2 != 0 {
		t.Error("unbalanced code fences")
	}
}

func TestPlanMarkdownStaysUnderTheLimit(t *testing.T) {
	p := planFixture()
	for i := range 3000 {
		name := fmt.Sprintf("person-%04d", i)
		p.Findings.Unchanged = append(p.Findings.Unchanged, reconcile.Finding{Rule: "coach-junior", Severity: reconcile.Warning, Subject: name, Fingerprint: "coach-junior/" + name, Message: name + " is coached by someone more junior", File: "org/people.yaml", Line: i + 1})
	}
	for i := range 800 {
		name := fmt.Sprintf("mover-%04d", i)
		p.Changes = append(p.Changes, reconcile.Change{Kind: "Person", Name: name, Action: reconcile.ActionChange, Fields: []reconcile.FieldChange{{Field: "manager", From: "a", To: "b"}, {Field: "coach", From: "c", To: "d"}}})
	}
	md := PlanMarkdown(withRelations(p), PlanOptions{})
	if n := len(md); n > MaxCommentSize {
		t.Fatalf("comment is %d characters, over GitHub's %d", n, MaxCommentSize)
	}
	if !strings.Contains(md, "not shown to stay under GitHub's comment size limit") {
		t.Error("no visible note that the comment was cut")
	}
	if !strings.Contains(md, "- **zoe** (new with this change)") || !strings.Contains(md, "### New findings (2)") {
		t.Error("cutting removed the most important sections")
	}
	if strings.Count(md, "```")%2 != 0 || strings.Count(md, "<details>") != strings.Count(md, "</details>") {
		t.Error("cutting left a fence or a details block open")
	}
}

// bigPlan is a plan of an HR sync: changed people (manager, coach and
// title each), the findings it introduces (structural ones of several
// rules among many missing coaches and junior coaches), long-standing
// findings and GitHub actions.
func bigPlan(changed, structural, missing int) reconcile.Plan {
	p := reconcile.Plan{}
	for i := range changed {
		name := fmt.Sprintf("person-%04d", i)
		p.Changes = append(p.Changes, reconcile.Change{Kind: "Person", Name: name, Action: reconcile.ActionChange, Fields: []reconcile.FieldChange{
			{Field: "manager", From: fmt.Sprintf("lead-%03d", i%97), To: fmt.Sprintf("lead-%03d", (i+1)%89)},
			{Field: "coach", From: fmt.Sprintf("senior-%03d", i%71), To: fmt.Sprintf("senior-%03d", (i+1)%73)},
			{Field: "title", From: "Software Engineer II", To: "Senior Software Engineer"},
		}})
	}
	p.Summary.Change = changed
	finding := func(rule string, sev reconcile.Severity, subject string, line int) reconcile.Finding {
		return reconcile.Finding{Rule: reconcile.RuleID(rule), Severity: sev, Subject: subject, Fingerprint: rule + "/" + subject,
			Message: subject + " breaks " + rule, File: "org/people/" + subject + ".yaml", Line: line}
	}
	structuralRules := []string{"management-cycle", "unknown-reference", "duplicate-name", "parse"}
	for i := range structural {
		// Spread through the files, so that file order alone would bury
		// them among the missing coaches.
		p.Findings.Introduced = append(p.Findings.Introduced, finding(structuralRules[i%len(structuralRules)], reconcile.Error, fmt.Sprintf("person-%04d", i*37%max(changed, structural)), 3))
	}
	for i := range missing {
		p.Findings.Introduced = append(p.Findings.Introduced, finding("missing-coach", reconcile.Error, fmt.Sprintf("person-%04d", i), 1))
		p.Findings.Introduced = append(p.Findings.Introduced, finding("coach-junior", reconcile.Warning, fmt.Sprintf("person-%04d", i), 2))
	}
	for i := range 800 {
		p.Findings.Unchanged = append(p.Findings.Unchanged, finding("missing-coach", reconcile.Error, fmt.Sprintf("old-%04d", i), 1))
		p.GitHub = append(p.GitHub, reconcile.GitHubAction{Action: "create", Type: "issue", Fingerprint: fmt.Sprintf("missing-coach/new-%04d", i), Title: fmt.Sprintf("new-%04d has no coach", i)})
	}
	for _, f := range p.Findings.Introduced {
		if f.Severity == reconcile.Error {
			p.Summary.Errors++
		} else {
			p.Summary.Warnings++
		}
	}
	return withRelations(p)
}

// rowOf is the table row a finding gets in the plan comment.
func rowOf(f reconcile.Finding) string {
	return fmt.Sprintf("| %s | %s | %s:%d |", EscapeMarkdown(string(f.Rule)), EscapeMarkdown(f.Message), EscapeMarkdown(f.Path()), f.Line)
}

// leftOffNote reads "**N more changes are not shown" and similar notes.
var leftOffNote = regexp.MustCompile(`\*\*([0-9,]+) more (changes are|change is|findings are|finding is|people without a coach are) not shown to stay under GitHub's comment size limit`)

func noteCount(t *testing.T, md, what string) int {
	t.Helper()
	for _, m := range leftOffNote.FindAllStringSubmatch(md, -1) {
		if strings.HasPrefix(m[2], what) {
			n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	return 0
}

// checkBalanced checks that a cut comment leaves no block open and still
// announces every section of bigPlan.
func checkBalanced(t *testing.T, md string) {
	t.Helper()
	for _, title := range []string{"### New findings", "### 🧭 People without a coach", "### Changes", "Relationships that changed", "What orgctl apply would do", "Unchanged findings"} {
		if !strings.Contains(md, title) {
			t.Errorf("section %q is gone", title)
		}
	}
	if strings.Count(md, "```")%2 != 0 || strings.Count(md, "<details>") != strings.Count(md, "</details>") {
		t.Errorf("a fence or a details block is left open")
	}
}

// TestPlanMarkdownKeepsNewFindingsOnABigChange: on a change of 1,500
// people the changes table no longer eats the room of the new findings:
// every new finding is listed, the changes table is cut with a note that
// counts what it leaves off, and the comment fits GitHub's limit.
func TestPlanMarkdownKeepsNewFindingsOnABigChange(t *testing.T) {
	p := bigPlan(1500, 12, 150)
	md := PlanMarkdown(p, PlanOptions{Base: "origin/main"})
	if len(md) > MaxCommentSize {
		t.Fatalf("comment is %d characters, over GitHub's %d", len(md), MaxCommentSize)
	}
	for _, f := range p.Findings.Introduced {
		if !strings.Contains(md, rowOf(f)) {
			t.Errorf("new finding %s is not listed", f.Fingerprint)
		}
	}
	shown := strings.Count(md, "| ~ | Person | person-")
	if shown == 0 || shown == len(p.Changes) {
		t.Fatalf("%d of %d changes shown: the table should be cut, not dropped", shown, len(p.Changes))
	}
	if left := noteCount(t, md, "change"); left != len(p.Changes)-shown {
		t.Errorf("the note counts %d changes left off, %d are", left, len(p.Changes)-shown)
	}
	if i, j := strings.Index(md, "### New findings (312)"), strings.Index(md, "### Changes"); i < 0 || j < i {
		t.Errorf("the new findings (at %d) do not come before the changes (at %d)", i, j)
	}
	if !strings.Contains(md, "This comment is cut short") {
		t.Error("the head does not say the comment is cut short")
	}
	checkBalanced(t, md)
}

// TestPlanMarkdownCutsNewFindingsLeastImportantFirst: when the new
// findings alone do not fit, the structural ones are all listed (they
// rank first), and the note counts the others rule by rule.
func TestPlanMarkdownCutsNewFindingsLeastImportantFirst(t *testing.T) {
	p := bigPlan(1500, 40, 2000)
	md := PlanMarkdown(p, PlanOptions{})
	if len(md) > MaxCommentSize {
		t.Fatalf("comment is %d characters, over GitHub's %d", len(md), MaxCommentSize)
	}
	listed := map[reconcile.RuleID]int{}
	for _, f := range p.Findings.Introduced {
		if strings.Contains(md, rowOf(f)) {
			listed[f.Rule]++
		} else if reconcile.IsStructural(f.Rule) {
			t.Errorf("structural finding %s is not listed", f.Fingerprint)
		}
	}
	if listed["missing-coach"] == 0 || listed["coach-junior"] != 0 {
		t.Errorf("listed %v: errors should fill the room before any warning", listed)
	}
	left := len(p.Findings.Introduced) - listed["missing-coach"] - 40
	want := fmt.Sprintf("%s more findings are not shown to stay under GitHub's comment size limit (%s missing-coach, 2,000 coach-junior)",
		thousands(left), thousands(2000-listed["missing-coach"]))
	if !strings.Contains(md, want) {
		t.Errorf("no note %q", want)
	}
	// The changes get what the cut findings leave: a row at most.
	shown := strings.Count(md, "| ~ | Person | person-")
	if n := noteCount(t, md, "change"); shown > 1 || n != len(p.Changes)-shown {
		t.Errorf("%d changes shown, the note counts %d left off, of %d", shown, n, len(p.Changes))
	}
	checkBalanced(t, md)
}

// TestPlanMarkdownCutsStructuralFindingsWithANote: even structural
// findings that alone exceed the limit leave a comment under it, with the
// rows that fit and a note counting the rest.
func TestPlanMarkdownCutsStructuralFindingsWithANote(t *testing.T) {
	p := bigPlan(10, 2000, 0)
	md := PlanMarkdown(p, PlanOptions{Limit: 20000})
	if len(md) > 20000 {
		t.Fatalf("comment is %d characters, over the limit of 20,000", len(md))
	}
	shown := 0
	for _, f := range p.Findings.Introduced {
		if strings.Contains(md, rowOf(f)) {
			shown++
		}
	}
	if shown == 0 || noteCount(t, md, "finding") != 2000-shown {
		t.Errorf("%d rows shown, note counts %d left off, want %d", shown, noteCount(t, md, "finding"), 2000-shown)
	}
	checkBalanced(t, md)
}
