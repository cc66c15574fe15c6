package match

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// lifeOrg is base plus: lead manages team web (ann's), sam and tom are
// in eng (sam senior, tom mid). Without a constraint ann's best coach is sam, a peer
// outside her line; the external coach ext comes next.
func lifeOrg(policyExtra string, extra ...string) []string {
	docs := withPolicy("  roots: [boss]"+policyExtra,
		team("web", "parent: eng, manager: lead"),
		person("lead", "team: eng, level: staff, coach: ext"),
		person("tom", "team: eng, level: mid, coach: ext, expertise: [sql]"),
	)
	has := func(name string) bool {
		for _, d := range extra {
			if strings.Contains(d, "name: "+name+"}") {
				return true
			}
		}
		return false
	}
	for name, spec := range map[string]string{
		"ann": "team: web, level: senior",
		"sam": "team: eng, level: senior, coach: ext, expertise: [go]",
	} {
		if !has(name) {
			docs = append(docs, person(name, spec))
		}
	}
	return append(docs, extra...)
}

// TestSuggestLifecycleConstraints: each constraint of a pairing's life
// turns the matcher away from the pair it would otherwise propose.
func TestSuggestLifecycleConstraints(t *testing.T) {
	coach := Request{Today: today}
	rotate := Request{Today: today, Rotate: true}
	mentor := Request{Role: RoleMentor, Today: today}
	tests := []struct {
		name string
		docs []string
		req  Request
		want []string
	}{
		{"no constraint: a peer outside the line", lifeOrg(""), coach, []string{"ann→sam"}},
		{"doNotPair", lifeOrg("\n  doNotPair:\n    - people: [ann, sam]\n      reason: relationship"), coach, []string{"ann→ext"}},
		{"doNotPair the other way round", lifeOrg("\n  doNotPair:\n    - people: [sam, ann]"), coach, []string{"ann→ext"}},
		{"doNotPair of three people", lifeOrg("\n  doNotPair:\n    - people: [tom, sam, ann]"), coach, []string{"ann→ext"}},
		{"a past coach until 18 months ago (within the default 24)",
			lifeOrg("", person("ann", "team: web, level: senior, pastPairings: [{role: coach, person: sam, from: 2023-01-01, until: 2025-06-01}]")),
			coach, []string{"ann→ext"}},
		{"a past coach until 29 months ago may coach again",
			lifeOrg("", person("ann", "team: web, level: senior, pastPairings: [{role: coach, person: sam, until: 2024-06-01}]")),
			coach, []string{"ann→sam"}},
		{"a shorter noRepeatMonths lets a past coach return sooner",
			lifeOrg("\n  coaching: {noRepeatMonths: 12}", person("ann", "team: web, level: senior, pastPairings: [{role: coach, person: sam, until: 2025-06-01}]")),
			coach, []string{"ann→sam"}},
		{"the window ends on the day: 24 months to the day",
			lifeOrg("", person("ann", "team: web, level: senior, pastPairings: [{role: coach, person: sam, until: 2024-11-24}]")),
			coach, []string{"ann→sam"}},
		{"one day short of the window",
			lifeOrg("", person("ann", "team: web, level: senior, pastPairings: [{role: coach, person: sam, until: 2024-11-25}]")),
			coach, []string{"ann→ext"}},
		{"a past mentor may coach",
			lifeOrg("", person("ann", "team: web, level: senior, pastPairings: [{role: mentor, person: sam, domain: go, until: 2026-06-01}]")),
			coach, []string{"ann→sam"}},
		{"an unwilling coach is never proposed",
			lifeOrg("", person("sam", "team: eng, level: senior, coach: ext, coaching: {willing: false}")),
			coach, []string{"ann→ext"}},
		{"willing: true changes nothing",
			lifeOrg("", person("sam", "team: eng, level: senior, coach: ext, coaching: {willing: true}")),
			coach, []string{"ann→sam"}},
		{"at the Policy's capacity (ext, who coaches boss, too)",
			lifeOrg("\n  rules:\n    coach-capacity: {max: 1}", person("x", "team: eng, level: junior, coach: sam")),
			coach, []string{"ann→tom"}},
		{"a personal capacity above the Policy's max",
			lifeOrg("\n  rules:\n    coach-capacity: {max: 1}", person("x", "team: eng, level: junior, coach: sam"),
				person("sam", "team: eng, level: senior, coach: ext, coaching: {capacity: 2}")),
			coach, []string{"ann→sam"}},
		{"a personal capacity below the Policy's max",
			lifeOrg("", person("x", "team: eng, level: junior, coach: sam"),
				person("sam", "team: eng, level: senior, coach: ext, coaching: {capacity: 1}")),
			coach, []string{"ann→ext"}},
		{"a personal capacity holds when coach-capacity is off",
			lifeOrg("\n  rules:\n    coach-capacity: {severity: off}", person("x", "team: eng, level: junior, coach: sam"),
				person("sam", "team: eng, level: senior, coach: ext, coaching: {capacity: 1}")),
			coach, []string{"ann→ext"}},
		{"a capacity of 0 takes nobody",
			lifeOrg("", person("sam", "team: eng, level: senior, coach: ext, coaching: {capacity: 0}")),
			coach, []string{"ann→ext"}},

		{"rotation due: a successor, never the current coach",
			lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: sam, coachSince: 2024-01-10")),
			rotate, []string{"ann→ext"}},
		{"rotation due on the day",
			lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: tom, coachSince: 2025-05-24")),
			rotate, []string{"ann→sam"}},
		{"not due yet",
			lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: tom, coachSince: 2025-05-25")),
			rotate, nil},
		{"due, but not asked to rotate",
			lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: tom, coachSince: 2024-01-10")),
			coach, nil},
		{"no rotateAfterMonths: nothing rotates",
			lifeOrg("", person("ann", "team: web, level: senior, coach: tom, coachSince: 2020-01-10")),
			rotate, nil},
		{"no coachSince: not known to be due",
			lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: tom")),
			rotate, nil},
		{"a successor is never a recent past coach",
			lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: tom, coachSince: 2025-01-02, pastPairings: [{role: coach, person: sam, until: 2025-01-01}]")),
			rotate, []string{"ann→ext"}},

		{"mentors for every domain wanted, by expertise",
			lifeOrg("", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [go, SQL]")),
			mentor, []string{"mia→sam", "mia→tom"}},
		{"a domain with a mentor already is not asked again",
			lifeOrg("", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [go, sql], mentors: [{person: lead, domain: go}]"),
				person("lead", "team: eng, level: staff, coach: ext, expertise: [go]")),
			mentor, []string{"mia→tom"}},
		{"doNotPair holds for mentors too",
			lifeOrg("\n  doNotPair:\n    - people: [mia, sam]", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [go]")),
			mentor, []string{"mia→-"}},
		{"a recent past mentor in the domain is not proposed again",
			lifeOrg("", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [go], pastPairings: [{role: mentor, person: sam, domain: go, until: 2026-01-01}]")),
			mentor, []string{"mia→-"}},
		{"--domain also covers those who want it",
			lifeOrg("", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [sql]"), person("max", "team: web, level: junior, coach: ext, mentoringWanted: [go]")),
			Request{Role: RoleMentor, Domain: "go", Today: today}, []string{"max→sam"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := suggestYAML(t, tc.req, tc.docs...)
			if got := pairs(r); !slices.Equal(got, tc.want) {
				t.Fatalf("pairs = %v, want %v\nunmatched: %+v", got, tc.want, r.Unmatched)
			}
		})
	}
}

// TestSuggestLifecycleWords: the dates a suggestion carries, what a
// rotation says it replaces and fixes, and that a blocked doNotPair pair
// is not named as such in the output.
func TestSuggestLifecycleWords(t *testing.T) {
	r := suggestYAML(t, Request{Today: today, Rotate: true},
		lifeOrg("\n  coaching: {rotateAfterMonths: 18}", person("ann", "team: web, level: senior, coach: tom, coachSince: 2024-01-10"))...)
	if len(r.Suggestions) != 1 {
		t.Fatalf("suggestions %+v, want one", r.Suggestions)
	}
	s := r.Suggestions[0]
	if s.Since != "2026-11-24" || s.ReplacedSince != "2024-01-10" || s.Replaces != "tom" || s.Fixes != "rotation-due/ann/tom" {
		t.Errorf("suggestion %+v: want since 2026-11-24, replacing tom (since 2024-01-10), fixing rotation-due/ann/tom", s)
	}
	if !strings.Contains(s.Reasons[0], "replaces tom, whose pairing started on 2024-01-10 and is due to rotate after 18 months") {
		t.Errorf("reasons %q do not say what is replaced and why", s.Reasons)
	}

	// Nobody but sam could mentor mia, and the Policy says never: the
	// reason says so without naming the list.
	r = suggestYAML(t, Request{Role: RoleMentor, Today: today},
		lifeOrg("\n  doNotPair:\n    - people: [mia, sam]\n      reason: they are married", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [go]"))...)
	if len(r.Unmatched) != 1 {
		t.Fatalf("unmatched %+v, want mia", r.Unmatched)
	}
	why := r.Unmatched[0].Why
	if !strings.Contains(why, "sam is not available to mentor mia") || strings.Contains(why, "married") || strings.Contains(why, "doNotPair") {
		t.Errorf("why = %q: want sam named as not available, without the list or its reason", why)
	}

	// No domain and nobody wants mentoring: the request is incomplete.
	o, res := orgOf(t, lifeOrg("")...)
	if _, err := Suggest(o, res, Request{Role: RoleMentor, Today: today}); !errors.Is(err, ErrNoDomain) {
		t.Errorf("mentors without a domain or a wish: err = %v, want ErrNoDomain", err)
	}
	// Named, with no wish: said, not suggested.
	o, res = orgOf(t, lifeOrg("", person("mia", "team: web, level: junior, coach: ext, mentoringWanted: [go]"))...)
	got, err := Suggest(o, res, Request{Role: RoleMentor, Today: today, People: []string{"mia", "ann"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := pairs(got); !slices.Equal(p, []string{"mia→sam"}) || len(got.NotNeeded) != 1 || !strings.Contains(got.NotNeeded[0].Why, "ann asks for no mentoring") {
		t.Errorf("pairs %v, not needed %+v: want mia→sam and ann asking for nothing", p, got.NotNeeded)
	}
}
