package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// withHistory gives an org made by randomOrgParts or syntheticOrg a life:
// start dates (some pairings due to rotate), past pairings (some recent),
// doNotPair entries, unwilling coaches, personal capacities and mentoring
// wishes, all drawn at random. Dates lie before today.
func withHistory(r *rand.Rand, pol *Policy, people []*Person) {
	date := func(monthsAgo int) string {
		return today.AddDate(0, -monthsAgo, -r.IntN(28)).Format(time.DateOnly)
	}
	rotate := 6 + r.IntN(19)
	pol.Coaching.RotateAfterMonths = &rotate
	if r.IntN(2) == 0 {
		n := 6 + r.IntN(31)
		pol.Coaching.NoRepeatMonths = &n
	}
	name := func() string { return people[r.IntN(len(people))].Name }
	for range r.IntN(2 + len(people)/20) {
		d := schema.DoNotPair{People: []string{name(), name()}}
		if r.IntN(4) == 0 {
			d.People = append(d.People, name())
		}
		pol.DoNotPair = append(pol.DoNotPair, d)
	}
	for _, p := range people {
		if p.Life == nil {
			p.Life = new(schema.Lifecycle)
		}
		l := p.Life
		if p.Coach != "" && r.IntN(4) > 0 {
			l.CoachSince = date(1 + r.IntN(40))
		}
		for range r.IntN(3) {
			pp := schema.PastPairing{Role: RoleCoach, Person: name(), Until: date(r.IntN(48))}
			if r.IntN(4) == 0 {
				// On the window's edge, to the day and one day either
				// side, where the checker and the matcher must agree.
				window := schema.DefaultNoRepeatMonths
				if n := pol.Coaching.NoRepeatMonths; n != nil {
					window = *n
				}
				pp.Until = today.AddDate(0, -window, r.IntN(3)-1).Format(time.DateOnly)
			}
			if r.IntN(3) == 0 {
				pp.Role, pp.Domain = RoleMentor, []string{"go", "sql"}[r.IntN(2)]
			}
			if pp.Person != p.Name {
				l.PastPairings = append(l.PastPairings, pp)
			}
		}
		switch x := r.IntN(20); {
		case x < 3:
			l.CoachWilling = new(bool)
		case x < 7:
			c := r.IntN(5)
			l.CoachCapacity = &c
		}
		if r.IntN(3) == 0 && !p.External {
			l.MentoringWanted = []string{[]string{"go", "sql", "kubernetes"}[r.IntN(3)]}
		}
	}
}

// applied is people after the suggestions are written, as Write writes
// them: the new coach or mentor dated today, the replaced one moved to
// pastPairings. The people of the org are not changed.
func applied(people []*Person, sugs []Suggestion) []*Person {
	by := map[string][]Suggestion{}
	for _, s := range sugs {
		by[s.Person] = append(by[s.Person], s)
	}
	out := make([]*Person, len(people))
	for i, p := range people {
		if len(by[p.Name]) == 0 {
			out[i] = p
			continue
		}
		q := *p
		q.Mentors = slices.Clone(p.Mentors)
		life := p.Lifecycle()
		life.PastPairings = slices.Clone(life.PastPairings)
		q.Life = &life
		for _, s := range by[p.Name] {
			if s.Replaces != "" && s.Replaces != s.Person {
				life.PastPairings = append(life.PastPairings, schema.PastPairing{Role: s.Role, Person: s.Replaces, Domain: s.Domain, From: s.ReplacedSince, Until: s.Since})
			}
			switch {
			case s.Role == RoleCoach:
				q.Coach, life.CoachSince = s.Candidate, s.Since
			case s.Entry >= 0:
				q.Mentors[s.Entry].Person, q.Mentors[s.Entry].Since = s.Candidate, s.Since
			default:
				q.Mentors = append(q.Mentors, schema.Mentor{Person: s.Candidate, Domain: s.Domain, Since: s.Since})
			}
		}
		out[i] = &q
	}
	return out
}

// checkLife verifies the suggestions against the lifecycle constraints,
// computed here from the documents alone: no doNotPair pair (either way),
// no past coach (or mentor in the domain) whose pairing ended less than
// noRepeatMonths before today, no unwilling coach, never the one replaced,
// and no coach above their capacity after the run.
func checkLife(t *testing.T, desc string, pol *Policy, people []*Person, out Result) {
	t.Helper()
	byName := map[string]*Person{}
	for _, p := range people {
		byName[p.Name] = p
	}
	noRepeat := pol.Coaching.NoRepeat()
	for _, s := range out.Suggestions {
		p, c := byName[s.Person], byName[s.Candidate]
		for _, d := range pol.DoNotPair {
			if slices.Contains(d.People, s.Person) && slices.Contains(d.People, s.Candidate) {
				t.Fatalf("%s: %s→%s is listed in doNotPair %v", desc, s.Person, s.Candidate, d.People)
			}
		}
		for _, pp := range p.Lifecycle().PastPairings {
			if pp.Person != s.Candidate || pp.Role != s.Role || s.Role == RoleMentor && !strings.EqualFold(pp.Domain, s.Domain) {
				continue
			}
			until, err := time.Parse(time.DateOnly, pp.Until)
			if err != nil || today.Before(until.AddDate(0, noRepeat, 0)) {
				t.Fatalf("%s: %s→%s repeats a pairing that ended on %s (noRepeatMonths %d)", desc, s.Person, s.Candidate, pp.Until, noRepeat)
			}
		}
		if s.Role == RoleCoach && c.Lifecycle().CoachWilling != nil && !*c.Lifecycle().CoachWilling {
			t.Fatalf("%s: %s→%s: %s takes no coachees", desc, s.Person, s.Candidate, s.Candidate)
		}
		if s.Candidate == s.Replaces {
			t.Fatalf("%s: %s→%s proposes the %s being replaced", desc, s.Person, s.Candidate, s.Role)
		}
		if s.Since != today.Format(time.DateOnly) {
			t.Fatalf("%s: %s→%s starts on %q, want today", desc, s.Person, s.Candidate, s.Since)
		}
	}
	if len(out.Suggestions) == 0 || out.Suggestions[0].Role != RoleCoach {
		return
	}
	capMax, limited := 5, true
	if rc, ok := pol.Rules["coach-capacity"]; ok {
		if rc.Max != nil {
			capMax = *rc.Max
		}
		limited = rc.Severity != "off"
	}
	load := map[string]int{}
	for _, p := range applied(people, out.Suggestions) {
		if p.Status != schema.StatusDeparted && p.Coach != "" && p.Coach != p.Name {
			load[p.Coach]++
		}
	}
	for _, s := range out.Suggestions {
		c := byName[s.Candidate]
		switch {
		case c.Lifecycle().CoachCapacity != nil && load[c.Name] > *c.Lifecycle().CoachCapacity:
			t.Fatalf("%s: %s ends with %d coachees, over their own capacity %d", desc, c.Name, load[c.Name], *c.Lifecycle().CoachCapacity)
		case c.Lifecycle().CoachCapacity == nil && limited && load[c.Name] > capMax:
			t.Fatalf("%s: %s ends with %d coachees, over coach-capacity's max %d", desc, c.Name, load[c.Name], capMax)
		}
	}
}

// checkNothingNew applies the suggestions, checks the org again and
// compares: no new finding at error severity, no new coach-capacity
// finding, every finding a suggestion resolves is gone, and every new
// warning about a suggested pair is one its reasons announced.
func checkNothingNew(t *testing.T, desc string, pol *Policy, teams []*Team, people []*Person, before reconcile.Result, out Result) {
	t.Helper()
	_, after := memOrg(pol, teams, applied(people, out.Suggestions))
	old := map[string]bool{}
	for _, f := range before.Findings {
		old[f.Fingerprint] = true
	}
	now := map[string]bool{}
	reasons := map[[2]string]string{}
	for _, s := range out.Suggestions {
		reasons[[2]string{s.Person, s.Candidate}] += strings.Join(s.Reasons, "; ")
	}
	for _, f := range after.Findings {
		now[f.Fingerprint] = true
		if old[f.Fingerprint] || f.Rule == "unused-exemption" {
			continue
		}
		why, paired := reasons[[2]string{f.Subject, f.Other}]
		switch {
		case f.Severity == reconcile.Error:
			t.Fatalf("%s: the suggestions introduce %s: %s", desc, f.Fingerprint, f.Message)
		case f.Rule == "coach-capacity":
			t.Fatalf("%s: the suggestions overload a coach: %s", desc, f.Message)
		case f.Rule == reconcile.RuleRepeatPairing || f.Rule == reconcile.RuleForbiddenPair || f.Rule == reconcile.RuleCoachUnwilling:
			// Hard constraints of the matcher, whatever their severity: the
			// checker and the matcher must draw the same line (the
			// repeat window's last day once differed by one).
			t.Fatalf("%s: the suggestions break a lifecycle constraint: %s", desc, f.Fingerprint)
		case paired && !strings.Contains(why, string(f.Rule)):
			t.Fatalf("%s: the suggestion %s→%s raises %s, which its reasons (%s) do not announce", desc, f.Subject, f.Other, f.Fingerprint, why)
		}
	}
	for _, s := range out.Suggestions {
		if s.Fixes != "" && now[s.Fixes] {
			t.Fatalf("%s: %s→%s should fix %s, which is still there", desc, s.Person, s.Candidate, s.Fixes)
		}
	}
}

// TestSuggestionsKeepTheRules runs the matcher on random orgs with
// histories, forbidden pairs, unwilling coaches and personal capacities,
// small ones (randomOrgParts) and realistically shaped ones (syntheticOrg:
// a tree of teams, levels by depth), for coaches (with and without
// rotation) and for mentors, and checks every result from outside: the
// lifecycle constraints hold, and written into the org the suggestions
// add no error, overload nobody, fix what they target and raise no
// warning they did not announce.
func TestSuggestionsKeepTheRules(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2026))
	type org struct {
		pol    *Policy
		teams  []*Team
		people []*Person
	}
	var orgs []org
	for i := range 150 {
		pol, teams, people := randomOrgParts(r, i%3 == 2)
		orgs = append(orgs, org{pol, teams, people})
	}
	sizes := []int{300, 1000, 3000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for i, n := range sizes {
		pol, teams, people := syntheticOrg(n, n/10, 1+i, uint64(i+1))
		orgs = append(orgs, org{pol, teams, people})
	}
	var suggested, rotated, mentored int
	for i, g := range orgs {
		withHistory(r, g.pol, g.people)
		o, res := memOrg(g.pol, g.teams, g.people)
		for _, req := range []Request{
			{Today: today},
			{Today: today, Rotate: true},
			{Role: RoleMentor, Today: today},
		} {
			desc := fmt.Sprintf("org %d (%d people), %+v", i, len(g.people), req)
			out, err := Suggest(o, res, req)
			if err != nil {
				if req.Role == RoleMentor && err == ErrNoDomain {
					continue
				}
				t.Fatalf("%s: %v", desc, err)
			}
			checkLife(t, desc, g.pol, g.people, out)
			checkNothingNew(t, desc, g.pol, g.teams, g.people, res, out)
			suggested += len(out.Suggestions)
			for _, s := range out.Suggestions {
				switch {
				case strings.HasPrefix(s.Fixes, "rotation-due/"):
					rotated++
				case s.Role == RoleMentor:
					mentored++
				}
			}
		}
	}
	t.Logf("%d suggestions checked, %d of them rotations and %d mentors", suggested, rotated, mentored)
	if rotated == 0 || mentored == 0 {
		t.Errorf("the random orgs should exercise rotations (%d) and mentoring wishes (%d)", rotated, mentored)
	}
}
