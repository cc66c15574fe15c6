package main

import (
	"crypto/sha256"
	"encoding/csv"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// check loads and checks a generated org the way `orgctl validate` does.
func check(t testing.TB, dir string) (*schema.Set, reconcile.Result) {
	t.Helper()
	set, err := (&schema.Loader{}).LoadPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return set, reconcile.Check(set, reconcile.Options{})
}

func rules(res reconcile.Result) map[string]int {
	out := map[string]int{}
	for _, f := range res.Findings {
		out[string(f.Rule)]++
	}
	return out
}

func TestGeneratedOrgHasOnlyItsDeliberateFindings(t *testing.T) {
	want := map[string]map[string]bool{
		"base": {"missing-coach": true, "unknown-reference": true, "coach-is-manager": true},
		"head": {"missing-coach": true, "unknown-reference": true, "coach-is-manager": true, "inactive-assignee": true},
	}
	for _, variant := range []string{"base", "head"} {
		t.Run(variant, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "org")
			st, err := Generate(Config{People: 2000, Out: dir, Seed: 7, Variant: variant})
			if err != nil {
				t.Fatal(err)
			}
			set, res := check(t, dir)
			if len(set.Problems) != 0 {
				t.Fatalf("%d parse/schema problems, first: %+v", len(set.Problems), set.Problems[0])
			}
			if res.Summary.People != st.People || res.Summary.Teams != st.Teams || set.Files != st.Files {
				t.Errorf("loaded %d people, %d teams, %d files; generated %d, %d, %d",
					res.Summary.People, res.Summary.Teams, set.Files, st.People, st.Teams, st.Files)
			}
			if variant == "base" && st.People != 2000 {
				t.Errorf("generated %d people, want 2000", st.People)
			}
			if st.Teams < 30 || st.Teams > 50 {
				t.Errorf("%d teams for 2000 people, want about 2%%", st.Teams)
			}
			if got := rules(res); !maps.Equal(got, st.Findings) {
				t.Errorf("findings by rule = %v, want %v", got, st.Findings)
			}
			for rule := range want[variant] {
				if st.Findings[rule] == 0 {
					t.Errorf("no deliberate %s finding", rule)
				}
			}
			for rule := range st.Findings {
				if !want[variant][rule] {
					t.Errorf("unexpected rule %s among the generated findings", rule)
				}
			}
			if n := len(res.Findings); variant == "base" && n > 2000*3/1000 {
				t.Errorf("%d findings, want about 0.1%% of people", n)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, shape := range []string{"synthetic", "realistic"} {
		t.Run(shape, func(t *testing.T) { testDeterministic(t, shape) })
	}
}

func testDeterministic(t *testing.T, shape string) {
	digest := func(seed uint64) [32]byte {
		dir := filepath.Join(t.TempDir(), "org")
		if _, err := Generate(Config{People: 500, Out: dir, Seed: seed, Shape: shape}); err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			h.Write([]byte(p[len(dir):] + "\x00"))
			h.Write(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return [32]byte(h.Sum(nil))
	}
	if digest(3) != digest(3) {
		t.Error("the same seed wrote different orgs")
	}
	if digest(3) == digest(4) {
		t.Error("different seeds wrote the same org")
	}
}

func TestHeadIsAPullRequestSizedChange(t *testing.T) {
	base, head := filepath.Join(t.TempDir(), "base"), filepath.Join(t.TempDir(), "head")
	if _, err := Generate(Config{People: 2000, Out: base, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	st, err := Generate(Config{People: 2000, Out: head, Seed: 5, Variant: "head"})
	if err != nil {
		t.Fatal(err)
	}
	baseSet, baseRes := check(t, base)
	headSet, headRes := check(t, head)
	plan := reconcile.Diff(reconcile.Build(baseSet), baseRes, reconcile.Build(headSet), headRes)
	if plan.Summary.Add != st.Added || plan.Summary.Remove != st.Removed {
		t.Errorf("plan adds %d and removes %d; generated %d added, %d removed", plan.Summary.Add, plan.Summary.Remove, st.Added, st.Removed)
	}
	teams := 0
	for _, c := range plan.Changes {
		if c.Kind == schema.KindTeam {
			teams++
		}
	}
	if teams != 1 {
		t.Errorf("%d teams changed, want 1 (a new manager)", teams)
	}
	// Coach changes, the departure, the team's members whose effective
	// manager changes, and the two leads.
	if min := st.CoachChanges + st.Departures + 2; plan.Summary.Change < min || plan.Summary.Change > 2000*2/100 {
		t.Errorf("%d objects changed, want between %d and 2%% of people", plan.Summary.Change, min)
	}
	intro := map[string]int{}
	for _, f := range plan.Findings.Introduced {
		intro[string(f.Rule)]++
	}
	if intro["missing-coach"] != 1 || intro["inactive-assignee"] != st.Findings["inactive-assignee"] || len(intro) != 2 {
		t.Errorf("introduced findings by rule = %v, want one missing-coach and %d inactive-assignee", intro, st.Findings["inactive-assignee"])
	}
	if len(plan.Findings.Resolved) != 0 {
		t.Errorf("the change resolves %d findings, want none", len(plan.Findings.Resolved))
	}
}

func TestGenerateRefusesANonEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(Config{People: 500, Out: dir}); err == nil {
		t.Error("Generate wrote into a non-empty directory")
	}
}

// TestRealisticOrg checks the shape that makes the realistic org
// realistic, on the loaded org rather than on the generator's own
// bookkeeping: only the findings it announces, divisions without direct
// members, a CEO inside a department with a chief of staff, skewed spans,
// an intern cohort, nobody coached; and an HR export with one row per
// employee, job titles and no level column, whose managers resolve.
func TestRealisticOrg(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "org")
	csvPath := filepath.Join(t.TempDir(), "hr.csv")
	st, err := Generate(Config{People: 1500, Out: dir, Seed: 2, Shape: "realistic", CSV: csvPath})
	if err != nil {
		t.Fatal(err)
	}
	set, res := check(t, dir)
	if len(set.Problems) != 0 {
		t.Fatalf("%d parse/schema problems, first: %+v", len(set.Problems), set.Problems[0])
	}
	if got := rules(res); !maps.Equal(got, st.Findings) {
		t.Errorf("findings by rule = %v, want %v", got, st.Findings)
	}
	o := reconcile.Build(set)
	if res.Summary.People != 1500 {
		t.Errorf("%d people, want 1500", res.Summary.People)
	}
	members := map[string]int{}
	interns := map[string]int{}
	reports := map[string]int{}
	titles := 0
	for _, p := range o.People {
		members[p.Team]++
		if p.Level == "intern" {
			interns[p.Team]++
		}
		if p.Coach != "" {
			t.Errorf("%s has a coach (%s); on day one nobody has", p.Name, p.Coach)
		}
		if m := o.Manager(p.Name); m.Known() {
			reports[m.Name]++
		}
	}
	memberless := 0
	for _, tm := range o.Teams {
		if members[tm.Name] == 0 && tm.Parent != "" {
			memberless++
		}
	}
	if memberless < 6 {
		t.Errorf("%d teams below the top have no direct members, want the six divisions at least", memberless)
	}
	ceo := o.Policy.Roots[0]
	if team := o.Team(o.Person(ceo).Team); team.Parent == "" {
		t.Errorf("the CEO sits in the root team %s, want a department", team.Name)
	}
	var spans []int
	for _, n := range reports {
		spans = append(spans, n)
	}
	slices.Sort(spans)
	if spans[len(spans)-1] < 20 || spans[len(spans)/2] > 10 {
		t.Errorf("spans %v: want a median of 10 or fewer and some of 20 or more", spans)
	}
	cohort := 0
	for _, n := range interns {
		cohort = max(cohort, n)
	}
	if cohort < 15 {
		t.Errorf("the largest group of interns in one team is %d, want a cohort", cohort)
	}

	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	if slices.ContainsFunc(header, func(h string) bool { return strings.Contains(strings.ToLower(h), "level") }) || !slices.Contains(header, "Job Title") {
		t.Errorf("header %v: want job titles and no level column", header)
	}
	ids := map[string]bool{}
	for _, r := range rows[1:] {
		ids[r[0]] = true
	}
	internal := res.Summary.People - st.Externals
	if len(rows)-1 != internal {
		t.Errorf("%d rows, want one per employee (%d)", len(rows)-1, internal)
	}
	roots := 0
	for _, r := range rows[1:] {
		switch {
		case r[4] == "":
			roots++
		case !ids[r[4]]:
			t.Errorf("row %v: manager %s is not an employee", r, r[4])
		}
		if r[8] == "Chief of Staff" {
			titles++
			if r[4] != rows[1][0] {
				t.Errorf("the chief of staff reports to %s, not the CEO (%s)", r[4], rows[1][0])
			}
		}
	}
	if roots != 1 || titles != 1 {
		t.Errorf("%d rows without a manager and %d chiefs of staff, want one of each", roots, titles)
	}
}
