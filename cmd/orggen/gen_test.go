package main

import (
	"crypto/sha256"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
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
		out[f.Rule]++
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
	digest := func(seed uint64) [32]byte {
		dir := filepath.Join(t.TempDir(), "org")
		if _, err := Generate(Config{People: 500, Out: dir, Seed: seed}); err != nil {
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
		intro[f.Rule]++
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
