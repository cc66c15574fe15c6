package ghsync_test

import (
	"context"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/internal/githubfake"
)

// GitHub's labels filter is comma-separated ("a,b" means both a and b), so
// listing by a label with a comma finds none of orgctl's own issues and
// every run would open them again. ListManaged refuses such a label (and
// an empty one) before any request leaves; a label GitHub can filter on
// finds the issue.
func TestListManagedRefusesAFilterGitHubCannotExpress(t *testing.T) {
	e := newEnv(t)
	e.fake.AddIssue("acme", "people", githubfake.Issue{Title: "a", Body: "<!-- orgctl:fingerprint=missing-coach/ann -->", Labels: []string{"people,ops"}})
	e.fake.AddIssue("acme", "people", githubfake.Issue{Title: "b", Body: "<!-- orgctl:fingerprint=missing-coach/bob -->", Labels: []string{"orgctl"}})
	_, _, c := e.setup(baseOrg())
	for _, label := range []string{"people,ops", ""} {
		_, err := c.ListManaged(context.Background(), label)
		if err == nil || !strings.Contains(err.Error(), "Policy.spec.github.labels") {
			t.Errorf("ListManaged(%q): %v, want an error naming Policy.spec.github.labels", label, err)
		}
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d requests sent for labels GitHub cannot filter on", n)
	}
	got, err := c.ListManaged(context.Background(), "orgctl")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Number != 2 {
		t.Errorf("ListManaged(orgctl) = %+v, want issue #2 only", got)
	}
}
