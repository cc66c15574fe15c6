package ghsync_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/render"
)

// consentEnv opens erin's proposal (carol-gh coaches erin-gh, boss-gh
// manages) on the fake and returns its number.
func consentEnv(t *testing.T) (*env, int) {
	t.Helper()
	org := proposeOrg()
	e := newProposeEnv(t, org)
	mustPropose(t, e, org)
	return e, openPull(t, e, erinFP).Number
}

func consent(t *testing.T, e *env, n int) render.ConsentReport {
	t.Helper()
	_, _, c := e.setup(proposeOrg())
	r, err := c.Consent(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// verdict is "passed" or the Missing list, joined.
func verdict(r render.ConsentReport) string {
	if r.Passed {
		if len(r.Missing()) != 0 {
			return "passed, yet missing " + strings.Join(r.Missing(), "; ")
		}
		return "passed"
	}
	return strings.Join(r.Missing(), "; ")
}

func review(e *env, n int, login, state string) int64 {
	return e.fake.AddReview("acme", "people", n, login, state)
}

func TestConsent(t *testing.T) {
	tests := []struct {
		name string
		act  func(e *env, n int)
		want string
	}{
		{"both approve", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "erin-gh", githubfake.Approved)
		}, "passed"},
		{"nobody has reviewed yet", func(*env, int) {},
			"coach carol (carol-gh): has not reviewed; coachee erin (erin-gh): has not reviewed"},
		{"the coachee is missing; the manager's approval is not theirs", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "boss-gh", githubfake.Approved)
		}, "coachee erin (erin-gh): has not reviewed"},
		{"a dismissed approval does not count", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			id := review(e, n, "erin-gh", githubfake.Approved)
			asPerson(e.t, e, "PUT", "/repos/acme/people/pulls/"+itoa(n)+"/reviews/"+itoa(int(id))+"/dismissals", map[string]string{"message": "asked too early"}, http.StatusOK)
		}, "coachee erin (erin-gh): dismissed"},
		{"a push after the approvals outdates them", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "erin-gh", githubfake.Approved)
			e.fake.AddFile("acme", "people", erinBranch, "people/notes.md", "a new commit\n")
		}, "coach carol (carol-gh): approved an older commit; coachee erin (erin-gh): approved an older commit"},
		{"approving again after the push counts", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "erin-gh", githubfake.Approved)
			e.fake.AddFile("acme", "people", erinBranch, "people/notes.md", "a new commit\n")
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "erin-gh", githubfake.Approved)
		}, "passed"},
		{"changes requested after an approval", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "carol-gh", githubfake.ChangesRequested)
			review(e, n, "erin-gh", githubfake.Approved)
		}, "coach carol (carol-gh): requested changes"},
		{"a comment after an approval changes nothing", func(e *env, n int) {
			review(e, n, "carol-gh", githubfake.Approved)
			review(e, n, "carol-gh", githubfake.Commented)
			review(e, n, "erin-gh", githubfake.Approved)
		}, "passed"},
		{"a stranger's approvals do not count, on any page", func(e *env, n int) {
			e.fake.AddUser("mallory")
			for range 150 { // two pages of reviews before the ones that matter
				review(e, n, "mallory", githubfake.Approved)
			}
			review(e, n, "carol-gh", githubfake.Approved)
		}, "coachee erin (erin-gh): has not reviewed"},
		{"a late approval after a request for changes counts", func(e *env, n int) {
			for range 120 {
				review(e, n, "erin-gh", githubfake.Commented)
			}
			review(e, n, "erin-gh", githubfake.ChangesRequested)
			review(e, n, "erin-gh", githubfake.Approved)
			review(e, n, "carol-gh", githubfake.Approved)
		}, "passed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, n := consentEnv(t)
			tt.act(e, n)
			r := consent(t, e, n)
			if got := verdict(r); got != tt.want {
				t.Errorf("consent: %s\nwant: %s", got, tt.want)
			}
			if head := e.fake.HeadSHA("acme", "people", n); r.HeadSHA != head || r.PullRequest != n {
				t.Errorf("judged #%d at %s, want #%d at %s", r.PullRequest, r.HeadSHA, n, head)
			}
		})
	}
}

// TestConsentRefusesAPullRequestOrgctlDidNotOpen: a person copying a
// proposal's body, pairs marker included, into their own pull request gets
// no verdict, nor does orgctl's pull request without a pairs marker.
func TestConsentRefusesAPullRequestOrgctlDidNotOpen(t *testing.T) {
	e, n := consentEnv(t)
	body := openPull(t, e, erinFP).Body
	e.fake.AddBranch("acme", "people", "mallory/erin", "")
	e.fake.AddFile("acme", "people", "mallory/erin", "people/erin.yaml", "x\n")
	forged := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "Propose carol", Body: body, Author: "mallory"}, Head: "mallory/erin"})
	e.fake.AddReview("acme", "people", forged, "carol-gh", githubfake.Approved)
	e.fake.AddReview("acme", "people", forged, "erin-gh", githubfake.Approved)
	_, _, c := e.setup(proposeOrg())
	var npe *ghsync.NotProposalError
	if _, err := c.Consent(context.Background(), forged); !errors.As(err, &npe) || !strings.Contains(err.Error(), "opened by mallory") {
		t.Errorf("consent on mallory's pull request: %v, want a refusal naming its author", err)
	}
	editBodyAsPerson(t, e, n, "no marker here")
	if _, err := c.Consent(context.Background(), n); !errors.As(err, &npe) || !strings.Contains(err.Error(), "no proposed pairing") {
		t.Errorf("consent without a pairs marker: %v", err)
	}
}

// TestProposalAsksCoachCoacheeAndManagerAndNamesWhoHasNoLogin: the pairs
// marker carries the proposed pair, reviews are requested from all three,
// and a coach without a login is named in the body instead.
func TestProposalAsksCoachCoacheeAndManagerAndNamesWhoHasNoLogin(t *testing.T) {
	org := proposeOrg()
	org["carol.yaml"] = person("carol", "team: eng, level: senior, coach: ext")
	e := newProposeEnv(t, org)
	mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)
	if got := strings.Join(sortedReviewers(pr), ","); got != "boss-gh,erin-gh" {
		t.Errorf("reviewers %s, want boss-gh and erin-gh", got)
	}
	for _, want := range []string{"<!-- orgctl:pairs=carol::erin:erin-gh -->", "No GitHub login in the org for carol (the proposed coach)",
		"`erin-gh` (the coachee)", "`boss-gh` (the manager)"} {
		if !strings.Contains(pr.Body, want) {
			t.Errorf("the body lacks %q:\n%s", want, pr.Body)
		}
	}
	r := consent(t, e, pr.Number)
	if got := verdict(r); got != "coach carol: has no GitHub login in the org; coachee erin (erin-gh): has not reviewed" {
		t.Errorf("consent: %s", got)
	}
}

// TestReviewRequestOfTheAuthorIsRefusedGracefully: when the coachee is
// orgctl's own identity (the token's owner), GitHub refuses the review
// request (the pull request's author); the proposal stands, the refusal is
// reported and recorded, and the next run does not ask again.
func TestReviewRequestOfTheAuthorIsRefusedGracefully(t *testing.T) {
	org := proposeOrg()
	org["people/erin.yaml"] = person("erin", "team: eng, level: mid, github: orgctl-bot")
	e := newProposeEnv(t, org)
	e.fake.AddUser("orgctl-bot")
	rep := mustPropose(t, e, org)
	var warnings []string
	for _, a := range rep.Actions {
		warnings = append(warnings, a.Warnings...)
	}
	pr := openPull(t, e, erinFP)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "orgctl-bot") || !strings.Contains(pr.Body, "!orgctl-bot") {
		t.Errorf("warnings %q; body:\n%s", warnings, pr.Body)
	}
	if got := strings.Join(sortedReviewers(pr), ","); got != "boss-gh,carol-gh" {
		t.Errorf("reviewers %s", got)
	}
	zeroMutations(t, e, org)
}
