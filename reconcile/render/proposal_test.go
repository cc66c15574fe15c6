package render

import (
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
)

func TestProposalBodyEscapesWhatComesFromTheOrg(t *testing.T) {
	d := match.DesiredProposal{
		Fingerprint: "missing-coach/erin",
		Rule:        "missing-coach",
		Finding:     reconcile.Finding{Rule: "missing-coach", Message: "erin has no coach <img src=x> @everyone"},
		Suggestion: match.Suggestion{Person: "erin", Candidate: "carol", Role: match.RoleCoach,
			Reasons: []string{"in another team ([evil](https://x.example))", "<script>alert(1)</script>"}},
	}
	body := ProposalBody(d, "people/erin.yaml", Reviews{Asked: []string{"boss-gh"}, Refused: []string{"carol-gh"}})
	for _, never := range []string{"<img", "<script>", "](https://", "@everyone", "@boss-gh"} {
		if strings.Contains(body, never) {
			t.Errorf("the body contains %q:\n%s", never, body)
		}
	}
	for _, want := range []string{fpMarker("missing-coach/erin"), "<!-- orgctl:reviewers=boss-gh,!carol-gh -->",
		"could not request a review from carol-gh", "`people/erin.yaml`", "Everybody should have a coach"} {
		if !strings.Contains(body, want) {
			t.Errorf("the body lacks %q:\n%s", want, body)
		}
	}
}
