package match

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// syntheticOrg builds an org of about n people in memory: a tree of teams
// of 20 (each team's lead is a member of the parent team, so reporting
// lines are 5 or 6 deep), levels by depth, 1% on leave, 0.5% departed, 1
// external coach per 500 people, some mentors, and everyone coached (by a
// random person with room who is not their manager) except uncoached
// people chosen at random. capMax is the coach-capacity max.
func syntheticOrg(n, uncoached, capMax int, seed uint64) (*reconcile.Policy, []*reconcile.Team, []*reconcile.Person) {
	r := rand.New(rand.NewPCG(seed, seed))
	levels := schema.DefaultLevels
	pol := &Policy{Roots: []string{"p0"}, Rules: map[string]schema.RuleConfig{"coach-capacity": {Max: intp(capMax)}}}
	var people []*reconcile.Person
	var teams []*reconcile.Team
	newPerson := func(team string, depth int) *reconcile.Person {
		// executive at the top, then mostly a level or two lower per depth.
		top := len(levels) - 1 - depth
		rank := max(0, min(len(levels)-1, top-r.IntN(3)+1))
		p := &Person{Name: fmt.Sprintf("p%d", len(people)), Team: team, Level: levels[rank], Status: schema.StatusActive}
		switch x := r.IntN(1000); {
		case x < 10:
			p.Status = schema.StatusLeave
		case x < 15:
			p.Status = schema.StatusDeparted
		}
		if r.IntN(5) == 0 {
			p.Expertise = []string{[]string{"go", "sql", "kubernetes", "sales"}[r.IntN(4)]}
		}
		people = append(people, p)
		return p
	}
	type pending struct {
		team  *reconcile.Team
		depth int
	}
	ceo := newPerson("t0", 0)
	ceo.Level, ceo.Status = "executive", schema.StatusActive
	root := &Team{Name: "t0", Manager: ceo.Name}
	teams = append(teams, root)
	queue := []pending{{root, 1}}
	for len(queue) > 0 && len(people) < n {
		pt := queue[0]
		queue = queue[1:]
		for range 20 {
			if len(people) >= n {
				break
			}
			p := newPerson(pt.team.Name, pt.depth)
			// About a third of the members lead a team of their own.
			if r.IntN(3) == 0 && p.Status == schema.StatusActive {
				t := &Team{Name: fmt.Sprintf("t%d", len(teams)), Parent: pt.team.Name, Manager: p.Name}
				teams = append(teams, t)
				queue = append(queue, pending{t, pt.depth + 1})
			}
		}
	}
	for i := range n / 500 {
		people = append(people, &Person{Name: fmt.Sprintf("x%d", i), External: true, Status: schema.StatusActive, Expertise: []string{"coaching"}})
	}
	manager := map[string]string{}
	for _, t := range teams {
		manager[t.Name] = t.Manager
	}
	load := map[string]int{}
	skip := map[int]bool{}
	for len(skip) < uncoached {
		i := r.IntN(len(people))
		if p := people[i]; !p.External && p.Status == schema.StatusActive {
			skip[i] = true
		}
	}
	for i, p := range people {
		if p.External || skip[i] || p.Status == schema.StatusDeparted {
			continue
		}
		if r.IntN(10) == 0 {
			p.Mentors = []schema.Mentor{{Person: people[r.IntN(len(people))].Name, Domain: "go"}}
			if p.Mentors[0].Person == p.Name {
				p.Mentors = nil
			}
		}
		for try := 0; try < 50; try++ {
			c := people[r.IntN(len(people))]
			if c == p || c.Status != schema.StatusActive || load[c.Name] >= capMax || c.Name == manager[p.Team] {
				continue
			}
			p.Coach = c.Name
			load[c.Name]++
			break
		}
	}
	return pol, teams, people
}

// upperBound is a bound on how many people any assignment can match that
// does not come from the flow: the people who need a coach, and the slots
// left over all active people (not counting, for each person who needs a
// coach, their own slots).
func upperBound(o *reconcile.Org, res reconcile.Result, out Result) int {
	s, _ := newSuggester(o, res, Request{})
	s.buildCandidates()
	var room int
	for _, c := range s.cands {
		room += c.room
	}
	return min(len(s.needs), room)
}

// BenchmarkSuggest: 10,000 uncoached people in a 100,000-person org, with
// ample coaching capacity (max 5) and with scarce capacity (max 1, where
// fewer slots are left than people need them). Run with
//
//	go test ./reconcile -run '^$' -bench Suggest -benchtime 3x
//
// matched must equal max-matchable (an upper bound that does not come
// from the flow); the build and check of the org are not timed.
func BenchmarkSuggest(b *testing.B) {
	for _, bc := range []struct {
		name   string
		capMax int
	}{{"ample", 5}, {"scarce", 1}} {
		b.Run(bc.name, func(b *testing.B) {
			start := time.Now()
			policy, teams, people := syntheticOrg(100_000, 10_000, bc.capMax, 1)
			o, res := memOrg(policy, teams, people)
			b.Logf("built and checked %d people in %d teams in %v", len(people), len(teams), time.Since(start).Round(time.Millisecond))
			b.ResetTimer()
			cpu := cpuTime()
			var out Result
			for b.Loop() {
				var err error
				out, err = Suggest(o, res, Request{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			bound := upperBound(o, res, out)
			b.ReportMetric(float64(out.Stats.Needy), "needy")
			b.ReportMetric(float64(out.Stats.Matched), "matched")
			b.ReportMetric(float64(bound), "max-matchable")
			b.ReportMetric(float64(out.Stats.Rounds), "rounds")
			b.ReportMetric(float64(out.Stats.Phases), "phases")
			b.ReportMetric(float64(out.Stats.Edges), "edges")
			if out.Stats.Matched != bound {
				b.Errorf("matched %d of %d, but %d could be", out.Stats.Matched, out.Stats.Needy, bound)
			}
		})
	}
}

// TestSuggestLargeOrg runs the benchmark's org at a tenth of the size in
// the ordinary test run: everyone who can be matched is, the assignment
// holds up to the independent checks, and it takes well under a second.
func TestSuggestLargeOrg(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-person org")
	}
	for _, capMax := range []int{5, 1} {
		policy, teams, people := syntheticOrg(10_000, 1_000, capMax, 2)
		o, res := memOrg(policy, teams, people)
		start := time.Now()
		out, err := Suggest(o, res, Request{})
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		if bound := upperBound(o, res, out); out.Stats.Matched != bound {
			t.Errorf("max %d: matched %d of %d, but %d could be", capMax, out.Stats.Matched, out.Stats.Needy, bound)
		}
		s, _ := newSuggester(o, res, Request{})
		s.buildCandidates()
		checkAssignment(t, fmt.Sprintf("max %d", capMax), s, out)
		if out.Stats.Cost != out.Stats.FlowCost {
			t.Errorf("max %d: assignment cost %d, flow cost %d", capMax, out.Stats.Cost, out.Stats.FlowCost)
		}
		t.Logf("max %d: %d needy, %d matched in %v (%+v)", capMax, out.Stats.Needy, out.Stats.Matched, took, out.Stats)
	}
}

// greedy is the baseline the global assignment must beat: people in the
// flow's order each take the cheapest candidate with room left (pairing
// cost plus the load cost of one more), mutual pairs skipped.
func greedy(s *suggester) (matched int, cost int64) {
	given := map[*cand]int{}
	coach := map[string]string{}
	for _, n := range s.needs {
		var best *cand
		var bestCost int64
		for _, c := range s.cands {
			if given[c] >= c.room || coach[c.p.Name] == n.p.Name {
				continue
			}
			ok, pc := s.pairCost(n, c)
			if !ok {
				continue
			}
			if pc += slotCost(c.load, given[c]); best == nil || pc < bestCost {
				best, bestCost = c, pc
			}
		}
		if best != nil {
			given[best]++
			coach[n.p.Name] = best.p.Name
			matched++
			cost += bestCost
		}
	}
	return matched, cost
}

// TestSuggestBeatsGreedyAtScale: on a 3,000-person org with 600 people to
// coach, the global assignment matches at least as many people as the
// greedy baseline and, matching as many, costs less: ample capacity
// (max 5) shows the better matches, scarce capacity (max 1) the people
// greedy strands.
func TestSuggestBeatsGreedyAtScale(t *testing.T) {
	for _, capMax := range []int{5, 1} {
		policy, teams, people := syntheticOrg(3_000, 600, capMax, 3)
		o, res := memOrg(policy, teams, people)
		out, err := Suggest(o, res, Request{})
		if err != nil {
			t.Fatal(err)
		}
		s, _ := newSuggester(o, res, Request{})
		s.buildCandidates()
		gm, gc := greedy(s)
		t.Logf("max %d: flow matched %d at cost %d, greedy %d at %d", capMax, out.Stats.Matched, out.Stats.Cost, gm, gc)
		if out.Stats.Matched < gm || out.Stats.Matched == gm && out.Stats.Cost >= gc {
			t.Errorf("max %d: flow matched %d at cost %d; greedy %d at %d: the flow must do better", capMax, out.Stats.Matched, out.Stats.Cost, gm, gc)
		}
	}
}

// orgYAML renders an org built in memory as the YAML files a user would
// keep: a Policy, teams in files of 1,000 and people in files of 50.
func orgYAML(pol *reconcile.Policy, teams []*reconcile.Team, people []*reconcile.Person) fstest.MapFS {
	var b bytes.Buffer
	fmt.Fprintf(&b, "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata:\n  name: default\nspec:\n  roots: [%s]\n  rules:\n", strings.Join(pol.Roots, ", "))
	for _, id := range slices.Sorted(maps.Keys(pol.Rules)) {
		fmt.Fprintf(&b, "    %s: {max: %d}\n", id, *pol.Rules[id].Max)
	}
	fsys := fstest.MapFS{"policy.yaml": {Data: bytes.Clone(b.Bytes())}}
	for start := 0; start < len(teams); start += 1000 {
		b.Reset()
		for i, t := range teams[start:min(start+1000, len(teams))] {
			if i > 0 {
				b.WriteString("---\n")
			}
			fmt.Fprintf(&b, "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata:\n  name: %s\nspec:\n  manager: %s\n", t.Name, t.Manager)
			if t.Parent != "" {
				fmt.Fprintf(&b, "  parent: %s\n", t.Parent)
			}
		}
		fsys[fmt.Sprintf("teams/%03d.yaml", start/1000)] = &fstest.MapFile{Data: bytes.Clone(b.Bytes())}
	}
	for start := 0; start < len(people); start += 50 {
		b.Reset()
		for i, p := range people[start:min(start+50, len(people))] {
			if i > 0 {
				b.WriteString("---\n")
			}
			// As cmd/orggen writes people (about 320 bytes each), so that
			// the heap budget per byte of YAML means what it does there.
			fmt.Fprintf(&b, "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: %s\n  labels: {office: %s}\nspec:\n  displayName: Person %s\n  github: gh-%s\n  email: %s@example.com\n",
				p.Name, []string{"amsterdam", "toronto", "singapore"}[len(p.Name)%3], strings.ToUpper(p.Name), p.Name, p.Name)
			if p.External {
				b.WriteString("  external: true\n")
			} else {
				fmt.Fprintf(&b, "  team: %s\n  level: %s\n", p.Team, p.Level)
			}
			if p.Status != schema.StatusActive {
				fmt.Fprintf(&b, "  status: %s\n", p.Status)
			}
			if len(p.Expertise) > 0 {
				fmt.Fprintf(&b, "  expertise: [%s]\n", strings.Join(p.Expertise, ", "))
			}
			if p.Coach != "" {
				fmt.Fprintf(&b, "  coach: %s\n", p.Coach)
			}
			for j, m := range p.Mentors {
				if j == 0 {
					b.WriteString("  mentors:\n")
				}
				fmt.Fprintf(&b, "    - person: %s\n      domain: %s\n", m.Person, m.Domain)
			}
		}
		fsys[fmt.Sprintf("people/%06d.yaml", start/50)] = &fstest.MapFile{Data: bytes.Clone(b.Bytes())}
	}
	return fsys
}

// BenchmarkSuggestEndToEnd is `orgctl suggest` on 10,000 uncoached people
// in a 100,000-person org kept in YAML files: loaded and checked as the
// command does (not timed: that is validate, which has its own target; its
// time is reported as load-s), then what suggest adds, timed: the Org the
// rules ran on given to match.Suggest, the function the command calls,
// with the loaded files live as they are in the command and the garbage
// collector held to the memory limit the command sets (schema.BudgetMemory:
// a floor of 32 MiB plus so many bytes per byte of YAML), at validate's
// 4.5 bytes per byte and at suggest's (SuggestPerByte). cpu-s/op is the
// CPU time of every thread, the collector's included. Run with
//
//	go test ./reconcile/match -run '^$' -bench SuggestEndToEnd -benchtime 3x
func BenchmarkSuggestEndToEnd(b *testing.B) {
	policy, teams, people := syntheticOrg(100_000, 10_000, 5, 1)
	fsys := orgYAML(policy, teams, people)
	var yamlBytes int64
	for _, f := range fsys {
		yamlBytes += int64(len(f.Data))
	}
	b.Logf("%d bytes of YAML, %d per person", yamlBytes, yamlBytes/int64(len(people)))
	start := time.Now()
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		b.Fatal(err)
	}
	opts := reconcile.Options{Today: today}
	o := reconcile.Build(set)
	res := o.Check(set, opts)
	load := time.Since(start)
	if len(set.Problems) > 0 {
		b.Fatalf("the generated org does not load clean: %v", set.Problems[0])
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, budget := range []struct {
		name    string
		perByte float64
	}{{"budget=validate", schema.ValidatePerByte}, {"budget=suggest", SuggestPerByte}} {
		b.Run(budget.name, func(b *testing.B) {
			debug.SetMemoryLimit(32<<20 + int64(float64(yamlBytes)*budget.perByte))
			debug.SetGCPercent(400)
			runtime.GC()
			cpu := cpuTime()
			var out Result
			for b.Loop() {
				out, err = Suggest(o, res, Request{Today: today})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(load.Seconds(), "load-s")
			b.ReportMetric(float64(out.Stats.Needy), "needy")
			b.ReportMetric(float64(out.Stats.Matched), "matched")
			if bound := upperBound(o, res, out); out.Stats.Matched != bound {
				b.Errorf("matched %d of %d, but %d could be", out.Stats.Matched, out.Stats.Needy, bound)
			}
		})
	}
	runtime.KeepAlive(set)
}
