package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

func planFixture() reconcile.Plan {
	f := fixture().Findings
	missing := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "zoe", Fingerprint: "missing-coach/zoe", Message: "zoe has no coach", File: "org/people.yaml", Line: 39, Column: 1}
	oldMissing := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "walt", Fingerprint: "missing-coach/walt", Message: "walt has no coach", File: "org/people.yaml", Line: 9, Column: 1}
	return reconcile.Plan{
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
	}
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
	md := PlanMarkdown(p, PlanOptions{})
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
