package ghenv

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile/ghsync"
)

// eventFile writes a workflow event and returns a getenv that names it.
func eventFile(t *testing.T, json string) func(string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(p, []byte(json), 0o644); err != nil {
		t.Fatal(err)
	}
	return env(map[string]string{"GITHUB_EVENT_PATH": p})
}

func TestReviewedPull(t *testing.T) {
	for _, tc := range []struct {
		name   string
		getenv func(string) string
		flag   int
		want   int
		err    string
	}{
		{"--pr wins", eventFile(t, `{"pull_request": {"number": 7}}`), 12, 12, ""},
		{"a pull_request_review job's pull request", eventFile(t, `{"action": "submitted", "pull_request": {"number": 7}, "review": {"state": "approved"}}`), 0, 7, ""},
		{"an issue comment names no pull request to review", eventFile(t, `{"issue": {"number": 9}}`), 0, 0, "which pull request? pass --pr N"},
		{"outside a workflow", env(nil), 0, 0, "which pull request? pass --pr N (in a pull_request or pull_request_review job, orgctl reads it from $GITHUB_EVENT_PATH)"},
		{"an event file that is not JSON", eventFile(t, `{`), 0, 0, "reading the workflow event file: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReviewedPull(tc.getenv, tc.flag)
			switch {
			case tc.err == "" && (err != nil || got != tc.want):
				t.Errorf("ReviewedPull = %d, %v; want %d", got, err, tc.want)
			case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
				t.Errorf("ReviewedPull error = %v, want one starting %q", err, tc.err)
			}
		})
	}
}

func TestHeadMoved(t *testing.T) {
	fake := githubfake.New(t, githubfake.WithToken("ghp_headmovedtoken"))
	fake.AddRepo("acme", "people", "main")
	fake.AddBranch("acme", "people", "change", "")
	pr := fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "a change"}, Head: "change"})
	head, _ := fake.BranchSHA("acme", "people", "change")
	client, err := ghsync.New(ghsync.Options{Token: "ghp_headmovedtoken", BaseURL: fake.URL(), Repo: "acme/people"})
	if err != nil {
		t.Fatal(err)
	}
	workflowRun := &Event{}
	if err := json.Unmarshal([]byte(`{"workflow_run": {"event": "pull_request", "head_sha": "`+head+`"}}`), workflowRun); err != nil {
		t.Fatal(err)
	}
	older := strings.Repeat("0", 40)
	for _, tc := range []struct {
		name     string
		ev       *Event
		pr       int
		planned  string
		want     string
		err      string
		requests int
	}{
		{name: "the plan is of the head", ev: workflowRun, pr: pr, planned: strings.ToUpper(head), want: "", requests: 1},
		{name: "the pull request moved on", ev: workflowRun, pr: pr, planned: older, want: head, requests: 1},
		{name: "a pull_request job: nothing asked", ev: &Event{}, pr: pr, planned: older, want: "", requests: 0},
		{name: "outside a workflow: nothing asked", ev: nil, pr: pr, planned: older, want: "", requests: 0},
		{name: "no such pull request", ev: workflowRun, pr: 999, planned: head, err: "reading pull request #999 of acme/people: ", requests: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fake.Requests())
			got, err := HeadMoved(context.Background(), client, tc.ev, tc.pr, tc.planned)
			switch {
			case tc.err == "" && (err != nil || got != tc.want):
				t.Errorf("HeadMoved = %q, %v; want %q", got, err, tc.want)
			case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
				t.Errorf("HeadMoved error = %v, want one starting %q", err, tc.err)
			}
			if n := len(fake.Requests()) - before; n != tc.requests {
				t.Errorf("%d requests to GitHub, want %d", n, tc.requests)
			}
		})
	}
}
