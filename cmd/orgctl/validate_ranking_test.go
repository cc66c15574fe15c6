package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importedOrg writes an org as `import csv` leaves it: 1,500 people in 30
// teams, nobody with a coach yet, a team of contractors nobody manages,
// a few coaching pairs the wrong way round, and one management loop
// between two team leads, in the file that comes last.
func importedOrg(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := func(kind, name, spec string) string {
		return fmt.Sprintf("---\napiVersion: orgctl.dev/v1\nkind: %s\nmetadata: {name: %s}\nspec: {%s}\n", kind, name, spec)
	}
	write("policy.yaml", "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec: {roots: [ceo]}\n")
	var teams, leads strings.Builder
	teams.WriteString(doc("Team", "company", "displayName: Company, manager: ceo"))
	teams.WriteString(doc("Team", "contractors", "displayName: Contractors"))
	leads.WriteString(doc("Person", "ceo", "displayName: CEO, team: company, level: executive"))
	for i := 1; i <= 30; i++ {
		tm, lead := fmt.Sprintf("t%02d", i), fmt.Sprintf("lead%02d", i)
		teams.WriteString(doc("Team", tm, fmt.Sprintf("displayName: Team %d, parent: company, manager: %s", i, lead)))
		spec := "displayName: Lead, team: company, level: senior"
		switch i {
		case 7:
			spec += ", manager: lead08"
		case 8:
			spec += ", manager: lead07"
		}
		leads.WriteString(doc("Person", lead, spec))
		var people strings.Builder
		n := 49
		if i == 30 {
			n = 8 // 1,500 people in all
		}
		for j := 1; j <= n; j++ {
			spec := fmt.Sprintf("displayName: Person %d-%d, team: %s, level: mid", i, j, tm)
			if i == 1 && j <= 5 {
				spec = fmt.Sprintf("displayName: Person %d-%d, team: %s, level: senior, coach: p%02d-%02d", i, j, tm, i, j+10)
			}
			people.WriteString(doc("Person", fmt.Sprintf("p%02d-%02d", i, j), spec))
		}
		write(fmt.Sprintf("people/%s.yaml", tm), people.String())
	}
	var contractors strings.Builder
	for j := 1; j <= 40; j++ {
		contractors.WriteString(doc("Person", fmt.Sprintf("c%02d", j), "displayName: Contractor, team: contractors, level: mid"))
	}
	write("people/contractors.yaml", contractors.String())
	write("teams.yaml", teams.String())
	write("people/zz-leads.yaml", leads.String())
	return dir
}

// TestImportedOrgShowsTheCycleFirst: in an imported org of 1,500 people
// the one management loop is the first annotation GitHub shows, the
// thousand missing coaches are counted rather than listed, the step
// summary starts with the loop and stays under 1 MiB, and the text
// output ends by naming the loop.
func TestImportedOrgShowsTheCycleFirst(t *testing.T) {
	dir := importedOrg(t)
	summaryFile := filepath.Join(t.TempDir(), "summary.md")
	ios, out, errOut := testIO(map[string]string{"ORGCTL_TODAY": "2026-11-24", "GITHUB_STEP_SUMMARY": summaryFile})
	if code := run([]string{"validate", "-o", "github", dir}, ios); code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if !strings.Contains(lines[len(lines)-1], "in 1500 people") {
		t.Errorf("summary line %q: want 1500 people", lines[len(lines)-1])
	}
	annotations := lines[:len(lines)-1]
	if !strings.HasPrefix(annotations[0], "::error file=people/zz-leads.yaml,") || !strings.Contains(annotations[0], "title=orgctl management-cycle::management chain loops: lead07 → lead08 → lead07") {
		t.Errorf("annotation 1 is not the loop:\n%s", annotations[0])
	}
	count := map[string]int{}
	for _, a := range annotations {
		count[strings.SplitN(a, " ", 2)[0]]++
	}
	if count["::error"] > 10 || count["::warning"] > 10 || len(annotations) > 20 {
		t.Errorf("%v annotations: GitHub shows only 10 errors and 10 warnings", count)
	}
	// Every finding of a rule is either annotated or counted.
	all := validateJSON(t, 1, dir)
	for _, rule := range []string{"missing-manager", "missing-coach", "span-of-control"} {
		total, shown := 0, strings.Count(out.String(), "title=orgctl "+rule+"::")-1
		for _, f := range all.Findings {
			if f.Rule == rule {
				total++
			}
		}
		want := fmt.Sprintf("title=orgctl %s::and %s more %s findings: see the step summary\n", rule, thousandsOf(total-shown), rule)
		if total < 20 || !strings.Contains(out.String(), want) {
			t.Errorf("%d %s findings; no summary annotation %q in:\n%s", total, rule, want, out.String())
		}
	}

	summary, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(summary) > 1<<20 {
		t.Errorf("step summary is %d bytes, over GitHub's 1 MiB", len(summary))
	}
	s := string(summary)
	row := strings.Index(s, "\n| error |")
	if row < 0 || !strings.HasPrefix(s[row:], "\n| error | management-cycle |") {
		t.Errorf("the first row of the step summary is not the loop:\n%.600s", s)
	}
	if !strings.Contains(s[:row], "**The first row is a structural problem: fix it first.**") {
		t.Errorf("the step summary does not point at the loop:\n%.600s", s)
	}

	ios, out, _ = testIO(map[string]string{"ORGCTL_TODAY": "2026-11-24"})
	if code := run([]string{"validate", dir}, ios); code != 1 {
		t.Fatalf("text: exit code %d, want 1", code)
	}
	text := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	recap := text[len(text)-3 : len(text)-1]
	if recap[0] != "fix this structural problem first (the other findings may follow from it):" ||
		!strings.HasPrefix(recap[1], "  management-cycle/lead07 at ") {
		t.Errorf("text does not end by naming the loop:\n%s", strings.Join(text[len(text)-4:], "\n"))
	}
}

// thousandsOf writes n as GitHub's readers expect, 1,412.
func thousandsOf(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
