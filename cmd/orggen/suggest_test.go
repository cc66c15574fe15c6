package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/schema"
)

// TestSuggestOnARealisticOrg runs suggest on a realistic 1,500-person org
// on its first day (nobody coached) and checks what a people team would
// check before sending the pairings out, independently of the matcher:
// everyone matched, no mutual pair, everyone below senior coached by
// someone more senior, no intern coaching, most pairs across divisions,
// nobody over coach-capacity, load spread over many senior people, coach
// and coachee no closer in name order than chance would put them, and the
// same pairings when the files are renamed (so documents load in another
// order).
func TestSuggestOnARealisticOrg(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 1,500-person org")
	}
	dir := filepath.Join(t.TempDir(), "org")
	st, err := Generate(Config{People: 1500, Out: dir, Seed: 11, Shape: "realistic"})
	if err != nil {
		t.Fatal(err)
	}
	set, res := check(t, dir)
	o := reconcile.Build(set)
	start := time.Now()
	out, err := match.Suggest(o, res, match.Request{})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)

	if len(out.Unmatched) > 0 || len(out.Suggestions) != st.Findings["missing-coach"] {
		t.Fatalf("%d suggestions, %d unmatched (first %+v); want one for each of the %d people without a coach",
			len(out.Suggestions), len(out.Unmatched), out.Unmatched, st.Findings["missing-coach"])
	}
	levels := schema.DefaultLevels
	rank := func(name string) int { return slices.Index(levels, o.Person(name).Level) }
	senior := slices.Index(levels, "senior")
	division := func(name string) string {
		team := o.Team(o.Person(name).Team)
		for team.Parent != "" && o.Team(team.Parent).Parent != "" {
			team = o.Team(team.Parent)
		}
		return team.Name
	}
	coach := map[string]string{}
	load := map[string]int{}
	for _, s := range out.Suggestions {
		coach[s.Person] = s.Candidate
		load[s.Candidate]++
	}
	var mutual, sameDivision, internal int
	for _, s := range out.Suggestions {
		p, c := s.Person, s.Candidate
		if coach[c] == p {
			mutual++
		}
		if o.Person(c).External {
			continue
		}
		internal++
		if rank(p) < senior && rank(c) <= rank(p) {
			t.Errorf("%s (%s) is coached by %s (%s), who is not more senior", p, o.Person(p).Level, c, o.Person(c).Level)
		}
		if rank(c) == 0 {
			t.Errorf("intern %s coaches %s", c, p)
		}
		if division(p) == division(c) {
			sameDivision++
		}
	}
	if mutual > 0 {
		t.Errorf("%d mutual pairs, want none", mutual)
	}
	if sameDivision*5 > internal {
		t.Errorf("%d of %d internal pairs inside one division; want most across divisions", sameDivision, internal)
	}
	seniors, coaching := 0, 0
	for _, p := range o.People {
		if !p.External && p.Status == schema.StatusActive && rank(p.Name) >= senior {
			seniors++
		}
	}
	for c, n := range load {
		if n > 5 {
			t.Errorf("%s coaches %d, over coach-capacity's max of 5", c, n)
		}
		if !o.Person(c).External {
			coaching++
		}
	}
	if coaching*10 < seniors*8 {
		t.Errorf("%d of %d active senior people coach: want the load spread over most of them", coaching, seniors)
	}
	// Name order: random pairs are about a third of the org apart.
	names := make([]string, 0, len(o.People))
	for _, p := range o.People {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	var dist []int
	for _, s := range out.Suggestions {
		i, _ := slices.BinarySearch(names, s.Person)
		j, _ := slices.BinarySearch(names, s.Candidate)
		dist = append(dist, max(i-j, j-i))
	}
	slices.Sort(dist)
	if median := dist[len(dist)/2]; median < len(names)/5 {
		t.Errorf("median name-rank distance between coach and coachee is %d of %d; random pairs are about %d apart", median, len(names), len(names)/3)
	}
	if q := out.Quality; q.Mutual != 0 || q.FromAbove != q.Below || q.Pairs != len(out.Suggestions) || q.SameDivision != sameDivision {
		t.Errorf("quality summary %+v disagrees with the pairs (%d same-division)", q, sameDivision)
	}
	t.Logf("%d pairs in %v: %d of %d internal in one division, %d senior people coaching of %d, median name distance %d; stats %+v",
		len(out.Suggestions), took.Round(time.Millisecond), sameDivision, internal, coaching, seniors, dist[len(dist)/2], out.Stats)

	// Renamed files load in another order; the pairs and their reasons stay.
	people := filepath.Join(dir, "people")
	entries, err := os.ReadDir(people)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		to := fmt.Sprintf("%04d-%s", len(entries)-i, e.Name())
		if err := os.Rename(filepath.Join(people, e.Name()), filepath.Join(people, to)); err != nil {
			t.Fatal(err)
		}
	}
	set2, res2 := check(t, dir)
	out2, err := match.Suggest(reconcile.Build(set2), res2, match.Request{})
	if err != nil {
		t.Fatal(err)
	}
	render := func(r match.Result) string {
		var b strings.Builder
		for _, s := range r.Suggestions {
			fmt.Fprintf(&b, "%s→%s %s\n", s.Person, s.Candidate, strings.Join(s.Reasons, "; "))
		}
		return b.String()
	}
	if render(out) != render(out2) {
		t.Errorf("the pairs differ once the files are renamed")
	}
}
