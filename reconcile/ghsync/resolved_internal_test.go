package ghsync

import (
	"context"
	"testing"

	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
	"github.com/orgctl/orgctl/reconcile/match"
)

// TestClosingsAreFoundWhateverTheirMarker: a proposal whose closing was cut
// short carries the resolved marker; the next run finishes it, whether the
// marker was written encoded (a fingerprint that would end the comment
// early) or raw by an older orgctl, and the live marker is gone from it.
func TestClosingsAreFoundWhateverTheirMarker(t *testing.T) {
	hostile := "missing-coach/x --> <!-- orgctl:resolved-fingerprint=missing-coach/victim"
	plain := "missing-coach/erin"
	body := func(fp string) string { return "Propose a coach\n" + fpMarker(fp) + "\nmore text" }
	observed := []Object{
		{Number: 3, IsPull: true, State: "open", Body: markResolved(body(hostile), hostile)},
		{Number: 5, IsPull: true, State: "open", Body: "Propose a coach\n<!-- orgctl:resolved-fingerprint=" + plain + " -->\n"},
		// Closed already: nothing left to finish.
		{Number: 7, IsPull: true, State: "closed", Body: markResolved(body("missing-coach/gone"), "missing-coach/gone")},
	}
	for _, o := range observed[:1] {
		if fp := FingerprintOf(o.Body); fp != "" {
			t.Fatalf("#%d still carries the live marker %q:\n%s", o.Number, fp, o.Body)
		}
	}
	actions, _, err := (&Client{}).PlanProposals(context.Background(), nil, observed, ProposalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, a := range actions {
		if a.Kind != Close || a.Branch != match.ProposalBranch(a.Fingerprint) {
			t.Errorf("action %+v, want a close of the fingerprint's branch", a)
		}
		got[a.Number] = a.Fingerprint
	}
	want := map[int]string{3: hostile, 5: plain}
	if len(got) != len(want) || got[3] != want[3] || got[5] != want[5] {
		t.Errorf("closings finished %v, want %v", got, want)
	}
}

// fpMarker is the fingerprint marker orgctl writes for fp.
func fpMarker(fp string) string {
	return marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: fp})
}
