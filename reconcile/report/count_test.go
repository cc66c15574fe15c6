package report

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// genPerson and genTeam are the generator's own model of an org: the
// independent count below reads these, never the Org that orgctl builds
// from the YAML they are written to.
type genPerson struct {
	name, team, level, status, coach string
	external                         bool
	mentors                          []genMentor
	since                            string // coachSince
	capacity                         int    // coaching.capacity; -1: unset
}

type genMentor struct{ person, since string }

type genTeam struct{ name, parent string }

type genOrg struct {
	people   []genPerson
	teams    []genTeam
	capacity int  // 0: not set in the Policy
	capOff   bool // coach-capacity: {severity: off}
	rotate   int  // rotateAfterMonths; 0: not set
}

// genDate is a calendar day between 2022 and 2027, the end of a month
// often (the awkward case for "N months later").
func genDate(r *rand.Rand) string {
	y, m := 2022+r.IntN(6), 1+r.IntN(12)
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := 1 + r.IntN(last)
	if r.IntN(3) == 0 {
		d = last
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

var genLevels = []string{"intern", "junior", "mid", "senior", "staff", "principal", "executive"}

// generate makes an org with the awkward cases in it: departed and
// on-leave people, external coaches, self-coaching, coaches naming nobody,
// levels off the ladder, teams missing or in a parent loop, and either one
// company team or several top-level teams.
func generate(r *rand.Rand) genOrg {
	var g genOrg
	nTeams := 1 + r.IntN(6)
	oneTop := r.IntN(2) == 0
	for i := range nTeams {
		t := genTeam{name: fmt.Sprintf("t%d", i)}
		switch {
		case i == 0:
		case oneTop:
			t.parent = fmt.Sprintf("t%d", r.IntN(i))
		case r.IntN(3) == 0:
		case r.IntN(6) == 0:
			t.parent = "gone" // a parent that does not exist
		default:
			t.parent = fmt.Sprintf("t%d", r.IntN(i))
		}
		g.teams = append(g.teams, t)
	}
	if nTeams > 2 && r.IntN(5) == 0 { // a parent loop between the last two
		g.teams[nTeams-2].parent = g.teams[nTeams-1].name
		g.teams[nTeams-1].parent = g.teams[nTeams-2].name
	}
	n := 2 + r.IntN(30)
	name := func(i int) string { return fmt.Sprintf("p%d", i) }
	for i := range n {
		p := genPerson{name: name(i), status: "active"}
		switch r.IntN(8) {
		case 0:
			p.status = "departed"
		case 1:
			p.status = "leave"
		}
		p.external = r.IntN(8) == 0
		switch x := r.IntN(10); {
		case x < 8:
			p.level = genLevels[r.IntN(len(genLevels))]
		case x == 8:
			p.level = "wizard" // off the ladder
		}
		switch x := r.IntN(10); {
		case x < 7:
			p.team = fmt.Sprintf("t%d", r.IntN(nTeams))
		case x == 7 || !p.external: // the schema wants a team for insiders
			p.team = "ghost-team"
		}
		switch x := r.IntN(10); {
		case x < 6:
			p.coach = name(r.IntN(n))
		case x == 6:
			p.coach = "nobody"
		case x == 7:
			p.coach = p.name
		}
		if p.coach != "" && r.IntN(5) < 3 {
			p.since = genDate(r)
		}
		for range r.IntN(3) {
			m := genMentor{person: name(r.IntN(n))}
			if r.IntN(6) == 0 {
				m.person = "nobody"
			}
			if r.IntN(2) == 0 {
				m.since = genDate(r)
			}
			p.mentors = append(p.mentors, m)
		}
		p.capacity = -1
		if r.IntN(5) == 0 {
			p.capacity = r.IntN(4)
		}
		g.people = append(g.people, p)
	}
	if r.IntN(2) == 0 {
		g.capacity = 1 + r.IntN(4)
	}
	g.capOff = r.IntN(8) == 0
	if r.IntN(3) > 0 {
		g.rotate = 1 + r.IntN(30)
	}
	return g
}

func (g genOrg) yaml() string {
	var b strings.Builder
	doc := func(kind, name, spec string) {
		fmt.Fprintf(&b, "---\napiVersion: orgctl.dev/v1\nkind: %s\nmetadata:\n  name: %s\nspec:\n%s", kind, name, spec)
	}
	pol := "  roots: [p0]\n"
	switch {
	case g.capacity > 0 && g.capOff:
		pol += fmt.Sprintf("  rules:\n    coach-capacity: {max: %d, severity: off}\n", g.capacity)
	case g.capacity > 0:
		pol += fmt.Sprintf("  rules:\n    coach-capacity: {max: %d}\n", g.capacity)
	case g.capOff:
		pol += "  rules:\n    coach-capacity: {severity: off}\n"
	}
	if g.rotate > 0 {
		pol += fmt.Sprintf("  coaching:\n    rotateAfterMonths: %d\n", g.rotate)
	}
	doc("Policy", "default", pol)
	for _, t := range g.teams {
		spec := "  displayName: " + t.name + "\n"
		if t.parent != "" {
			spec += "  parent: " + t.parent + "\n"
		}
		doc("Team", t.name, spec)
	}
	for _, p := range g.people {
		spec := "  displayName: " + p.name + "\n  status: " + p.status + "\n"
		if p.external {
			spec += "  external: true\n"
		}
		for _, kv := range [][2]string{{"team", p.team}, {"level", p.level}, {"coach", p.coach}} {
			if kv[1] != "" {
				spec += "  " + kv[0] + ": " + kv[1] + "\n"
			}
		}
		if p.since != "" {
			spec += "  coachSince: " + p.since + "\n"
		}
		if p.capacity >= 0 {
			spec += fmt.Sprintf("  coaching: {capacity: %d}\n", p.capacity)
		}
		if len(p.mentors) > 0 {
			spec += "  mentors:\n"
			for i, m := range p.mentors {
				spec += fmt.Sprintf("    - {person: %s, domain: d%d", m.person, i)
				if m.since != "" {
					spec += ", since: " + m.since
				}
				spec += "}\n"
			}
		}
		doc("Person", p.name, spec)
	}
	return b.String()
}

// naive counts every metric the slow, obvious way over the generator's
// model: linear searches, walks bounded by the number of teams.
func (g genOrg) naive(today time.Time) Report {
	find := func(name string) *genPerson {
		for i := range g.people {
			if g.people[i].name == name {
				return &g.people[i]
			}
		}
		return nil
	}
	partner := func(p genPerson, name string) *genPerson {
		q := find(name)
		if q == nil || q.name == p.name || q.status == "departed" {
			return nil
		}
		return q
	}
	parentOf := func(team string) (string, bool) {
		for _, t := range g.teams {
			if t.name == team {
				return t.parent, true
			}
		}
		return "", false
	}
	// div walks up from the person's team; a walk longer than the number
	// of teams is in a loop, and the team is its own division.
	div := func(p *genPerson) string {
		if p.external {
			return ""
		}
		if _, ok := parentOf(p.team); !ok {
			return ""
		}
		chain := []string{p.team}
		for range len(g.teams) + 1 {
			parent, ok := parentOf(chain[len(chain)-1])
			if parent == "" || !ok {
				if !ok {
					chain = chain[:len(chain)-1] // the parent does not exist
				}
				if len(chain) == 1 {
					return chain[0]
				}
				return chain[len(chain)-2]
			}
			chain = append(chain, parent)
		}
		return p.team
	}
	rank := func(level string) int {
		for i, l := range genLevels {
			if l == level {
				return i
			}
		}
		return -1
	}
	rep := Report{Load: []CoachLoad{}, LevelGaps: LevelGaps{Histogram: []GapCount{}}, RotationsDue: []Rotation{}, Undated: []Undated{}}
	byName := slices.Clone(g.people)
	sort.Slice(byName, func(i, j int) bool { return byName[i].name < byName[j].name })
	for _, p := range byName {
		if p.status == "departed" {
			continue
		}
		if partner(p, p.coach) != nil && p.since == "" {
			rep.Undated = append(rep.Undated, Undated{Person: p.name, Role: "coach", Other: p.coach})
		}
		for i, m := range p.mentors {
			if m.since == "" && partner(p, m.person) != nil {
				rep.Undated = append(rep.Undated, Undated{Person: p.name, Role: "mentor", Other: m.person, Domain: fmt.Sprintf("d%d", i)})
			}
		}
		if partner(p, p.coach) == nil || p.since == "" || g.rotate == 0 {
			continue
		}
		// Count months on the calendar: the due day is the start's day in
		// the month rotate months later, running over into the next month
		// by the days that month lacks (31 January + 1 month = 3 March,
		// as the rotation-due rule counts).
		var y, m, d int
		fmt.Sscanf(p.since, "%d-%d-%d", &y, &m, &d)
		dueY, dueM, dueD := (y*12+m-1+g.rotate)/12, (y*12+m-1+g.rotate)%12+1, d
		if last := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[dueM-1]; dueD > last {
			if dueM == 2 && (dueY%4 == 0 && dueY%100 != 0 || dueY%400 == 0) {
				last = 29
			}
			if dueD > last {
				dueD -= last
				dueY, dueM = dueY+dueM/12, dueM%12+1
			}
		}
		due := fmt.Sprintf("%04d-%02d-%02d", dueY, dueM, dueD)
		if due <= today.Format("2006-01-02") {
			rep.RotationsDue = append(rep.RotationsDue, Rotation{Person: p.name, Coach: p.coach, Since: p.since, Due: due})
		}
	}
	sort.SliceStable(rep.RotationsDue, func(i, j int) bool { return rep.RotationsDue[i].Due < rep.RotationsDue[j].Due })
	gaps := map[int]int{}
	for _, p := range g.people {
		if p.status == "active" && !p.external {
			rep.Coverage.People++
			if partner(p, p.coach) != nil {
				rep.Coverage.WithCoach++
			}
			for _, m := range p.mentors {
				if partner(p, m.person) != nil {
					rep.Coverage.WithMentor++
					break
				}
			}
		}
		if p.status == "departed" {
			continue
		}
		c := partner(p, p.coach)
		if c == nil {
			continue
		}
		rep.Pairings++
		if c.external || p.external || rank(c.level) < 0 || rank(p.level) < 0 {
			rep.LevelGaps.Unknown++
		} else {
			gaps[rank(c.level)-rank(p.level)]++
		}
		switch a, b := div(c), div(&p); {
		case a == "" || b == "":
			rep.CrossDivision.Unknown++
		case a != b:
			rep.CrossDivision.Cross++
			rep.CrossDivision.Compared++
		default:
			rep.CrossDivision.Compared++
		}
	}
	for _, c := range g.people {
		n := 0
		for _, p := range g.people {
			if p.status != "departed" && p.coach == c.name && partner(p, p.coach) != nil {
				n++
			}
		}
		if n == 0 {
			continue
		}
		l := CoachLoad{Coach: c.name, Coachees: n, Capacity: 5, CapacityFrom: CapacityDefault}
		switch {
		case g.capOff:
			l.Capacity, l.CapacityFrom = 0, CapacityOff
		case c.capacity >= 0:
			l.Capacity, l.CapacityFrom = c.capacity, CapacityPerson
		case g.capacity > 0:
			l.Capacity, l.CapacityFrom = g.capacity, CapacityPolicy
		}
		rep.Load = append(rep.Load, l)
	}
	sort.Slice(rep.Load, func(i, j int) bool {
		if rep.Load[i].Coachees != rep.Load[j].Coachees {
			return rep.Load[i].Coachees > rep.Load[j].Coachees
		}
		return rep.Load[i].Coach < rep.Load[j].Coach
	})
	if len(gaps) > 0 {
		for gap := -len(genLevels); gap <= len(genLevels); gap++ {
			if len(rep.LevelGaps.Histogram) > 0 || gaps[gap] > 0 {
				rep.LevelGaps.Histogram = append(rep.LevelGaps.Histogram, GapCount{Gap: gap, Pairings: gaps[gap]})
			}
		}
		for len(rep.LevelGaps.Histogram) > 0 && rep.LevelGaps.Histogram[len(rep.LevelGaps.Histogram)-1].Pairings == 0 {
			rep.LevelGaps.Histogram = rep.LevelGaps.Histogram[:len(rep.LevelGaps.Histogram)-1]
		}
	}
	return rep
}

// TestCountsMatchNaiveCount computes every number of the report a second,
// naive way over generated orgs and compares.
func TestCountsMatchNaiveCount(t *testing.T) {
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for seed := range uint64(300) {
		g := generate(rand.New(rand.NewPCG(seed, 17)))
		src := g.yaml()
		set := (&schema.Loader{}).LoadFiles([]schema.File{{Path: "org.yaml", Data: []byte(src)}}, "gen")
		if len(set.Problems) > 0 {
			t.Fatalf("seed %d: the generated org does not load: %+v\n%s", seed, set.Problems, src)
		}
		got := Compute(reconcile.Build(set), Options{Today: today})
		want := g.naive(today)
		got.Today, got.Trend = "", Trend{}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: report and naive count differ\n got %+v\nwant %+v\n%s", seed, got, want, src)
		}
	}
}

// TestRotationDueOnTheDay: a pairing falls due on the day it has lasted
// rotateAfterMonths (a start on the 31st runs over a shorter month, as the
// rotation-due rule counts), and never without a rotation policy or a
// start date.
func TestRotationDueOnTheDay(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, c := range []struct {
		since  string
		rotate int
		today  string
		due    string // "": not due
	}{
		{"2025-01-31", 1, "2025-03-02", ""},
		{"2025-01-31", 1, "2025-03-03", "2025-03-03"},
		{"2024-01-31", 1, "2024-03-02", "2024-03-02"},
		{"2024-12-31", 2, "2025-03-03", "2025-03-03"},
		{"2024-05-15", 18, "2025-11-14", ""},
		{"2024-05-15", 18, "2025-11-15", "2025-11-15"},
		{"2024-05-15", 0, "2030-01-01", ""},
		{"", 6, "2030-01-01", ""},
		{"2027-01-01", 1, "2026-12-04", ""}, // starts in the future
	} {
		ok, at := reconcile.RotationDueOn(c.since, c.rotate, day(c.today))
		due := ""
		if ok {
			due = at.Format(time.DateOnly)
		}
		if due != c.due || ok != (c.due != "") {
			t.Errorf("since %s, rotate %d, today %s: due %q %v, want %q", c.since, c.rotate, c.today, due, ok, c.due)
		}
	}
}
