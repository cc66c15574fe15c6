package render

import (
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
)

func TestReviewersMarkerRoundTrips(t *testing.T) {
	in := Reviews{Asked: []string{"boss-gh", "carol-gh"}, Refused: []string{"ext-gh"}}
	body := "x\n" + ReviewersMarker(in) + "\ny"
	got, ok := ParseReviewersMarker(body)
	if !ok || strings.Join(got.Asked, ",") != "boss-gh,carol-gh" || strings.Join(got.Refused, ",") != "ext-gh" {
		t.Errorf("ParseReviewersMarker(%q) = %+v, %v", body, got, ok)
	}
	if _, ok := ParseReviewersMarker("no marker"); ok {
		t.Errorf("a body without the marker parsed")
	}
}

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
	for _, want := range []string{FingerprintMarker("missing-coach/erin"), "<!-- orgctl:reviewers=boss-gh,!carol-gh -->",
		"could not request a review from carol-gh", "`people/erin.yaml`", "Everybody should have a coach"} {
		if !strings.Contains(body, want) {
			t.Errorf("the body lacks %q:\n%s", want, body)
		}
	}
}
