package match

import (
	"reflect"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

func TestDesiredProposalsFollowTheFindingTheyFix(t *testing.T) {
	o, res := memOrg(&Policy{Roots: []string{"boss"}}, []*reconcile.Team{{Name: "eng", Manager: "boss"}}, []*reconcile.Person{
		{Name: "boss", Team: "eng", Level: "executive", Coach: "ext", GitHub: "boss-gh"},
		{Name: "ext", External: true, GitHub: "ext-gh"},
		{Name: "carol", Team: "eng", Level: "senior", Coach: "ext"},
		{Name: "erin", Team: "eng", Level: "mid", GitHub: "erin-gh"},
		{Name: "finn", Team: "eng", Level: "mid", Coach: "boss"},
	})
	props, err := DesiredProposals(o, res, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range props {
		got = append(got, p.Fingerprint+" "+p.Branch+" "+p.Suggestion.Candidate+" "+strings.Join(p.Reviewers, ",")+" "+p.Labels[1])
	}
	want := []string{
		// erin and finn are mids, coached from above: carol, the one
		// senior, takes both; carol and finn have no GitHub login, so
		// the manager reviews, and erin as the coachee.
		"coach-is-manager/finn/boss orgctl/coach-is-manager-finn-boss carol boss-gh orgctl/coach-is-manager",
		"missing-coach/erin orgctl/missing-coach-erin carol boss-gh,erin-gh orgctl/missing-coach",
	}
	wantPeople := []ProposalPerson{{Role: "coach", Name: "carol"}, {Role: "coachee", Name: "erin", GitHub: "erin-gh"}, {Role: "manager", Name: "boss", GitHub: "boss-gh"}}
	if !reflect.DeepEqual(props[1].People, wantPeople) {
		t.Errorf("erin's proposal concerns %+v, want %+v", props[1].People, wantPeople)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("proposals:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if props[0].Title != "Propose carol as finn's coach instead of boss" {
		t.Errorf("title %q", props[0].Title)
	}
}

func TestEditForSuggestionRefusesSomeoneElsesDocument(t *testing.T) {
	data := []byte("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: erin}\nspec: {displayName: Erin, team: eng, level: mid}\n---\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: gus}\nspec:\n  displayName: Gus\n  coach: boss # was the manager\n")
	s := Suggestion{Person: "gus", Role: RoleCoach, Candidate: "carol", Entry: -1}
	if _, err := EditForSuggestion(data, 0, s); err == nil || !strings.Contains(err.Error(), "is not gus's") {
		t.Errorf("editing erin's document for gus: err = %v", err)
	}
	out, err := EditForSuggestion(data, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(string(data), "coach: boss #", "coach: carol #", 1); string(out) != want {
		t.Errorf("edited:\n%s\nwant:\n%s", out, want)
	}
}
