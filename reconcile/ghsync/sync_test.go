package ghsync_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync"
)

// sync runs Client.Sync over files with proposals, as plan (apply nil)
// or apply do, and returns its report, error and warnings.
func (e *env) sync(files map[string]string, apply *ghsync.ApplyRunOptions) (ghsync.Report, error, []string) {
	e.t.Helper()
	org, res, c := e.setup(files)
	var warnings []string
	rep, err := c.Sync(context.Background(), org, res, ghsync.SyncOptions{
		RunOptions: ghsync.RunOptions{Propose: true, MaxProposals: 10},
		Apply:      apply,
		Warn:       func(w string) { warnings = append(warnings, w) },
	})
	return rep, err, warnings
}

// previewLines renders a plan's GitHub part as "action type fingerprint".
func previewLines(p []reconcile.GitHubAction) []string {
	out := []string{}
	for _, a := range p {
		out = append(out, a.Action+" "+a.Type+" "+a.Fingerprint)
	}
	return out
}

func TestSyncPreviewIsWhatApplyThenDoes(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	before := e.fake.MutatingRequests()
	rep, err, warnings := e.sync(org, nil)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("preview: error %v, warnings %q", err, warnings)
	}
	want := []string{"create issue " + erinFP, "create pull " + erinFP}
	if got := previewLines(rep.Preview()); !slices.Equal(got, want) {
		t.Errorf("preview %q, want %q", got, want)
	}
	if n := e.fake.MutatingRequests() - before; n != 0 || !rep.DryRun {
		t.Errorf("the preview wrote %d times (dry run %v): it must only read", n, rep.DryRun)
	}

	rep, err, _ = e.sync(org, &ghsync.ApplyRunOptions{MaxChanges: 50, Commit: "abc1234"})
	if err != nil || rep.Failed > 0 || rep.DryRun {
		t.Fatalf("apply: error %v, %d failed, dry run %v", err, rep.Failed, rep.DryRun)
	}
	if got := previewLines(rep.Preview()); !slices.Equal(got, want) {
		t.Errorf("apply did %q, the preview said %q", got, want)
	}
	if len(e.fake.Pulls("acme", "people")) != 1 || len(e.fake.Issues("acme", "people")) != 1 {
		t.Errorf("apply left %d pull requests and %d issues, want one each", len(e.fake.Pulls("acme", "people")), len(e.fake.Issues("acme", "people")))
	}
	if rep.Usage == nil || rep.Usage.Requests == 0 {
		t.Errorf("apply's report carries no usage: %+v", rep.Usage)
	}

	rep, _, _ = e.sync(org, nil)
	if got := rep.Preview(); len(got) != 0 {
		t.Errorf("after apply, the preview still lists %q: the runs do not converge", previewLines(got))
	}
}

func TestSyncFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(e *env)
		apply ghsync.ApplyRunOptions
		// preview and warning are what plan shows; applyErr what apply
		// fails with ("" for no error), guard whether it is a *GuardError.
		preview  []string
		warning  string
		applyErr string
		guard    bool
	}{
		{
			name:     "GitHub cannot be read: the preview is empty and says why, apply fails",
			setup:    func(e *env) { e.fake.ServerError("GET", "/repos/{owner}/{repo}/issues", 100, 503) },
			apply:    ghsync.ApplyRunOptions{MaxChanges: 50},
			preview:  []string{},
			warning:  "could not preview the GitHub changes: ",
			applyErr: "503",
		},
		{
			name:     "the proposals cannot be planned: the preview keeps the issues, apply refuses",
			setup:    func(e *env) { e.fake.ServerError("GET", "/repos/{owner}/{repo}", 100, 502) },
			apply:    ghsync.ApplyRunOptions{MaxChanges: 50},
			preview:  []string{"create issue " + erinFP},
			warning:  "could not preview the proposal pull requests: ",
			applyErr: "planning the proposal pull requests: ",
		},
		{
			name:     "a guard refuses the apply before any write, and not the preview",
			setup:    func(*env) {},
			apply:    ghsync.ApplyRunOptions{MaxChanges: 1},
			preview:  []string{"create issue " + erinFP, "create pull " + erinFP},
			applyErr: "more than --max-changes 1",
			guard:    true,
		},
		{
			name: "an issue someone else opened: both warn and leave it alone",
			setup: func(e *env) {
				foreignIssue(t, e, "a question", "how do I add a coach?", "orgctl")
			},
			apply:   ghsync.ApplyRunOptions{MaxChanges: 50},
			preview: []string{"create issue " + erinFP, "create pull " + erinFP},
			warning: "issue #1 carries the label orgctl but was opened by mallory, not by orgctl (orgctl-bot): left untouched",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			org := proposeOrg()
			e := newProposeEnv(t, org)
			tc.setup(e)
			before := e.fake.MutatingRequests()
			rep, err, warnings := e.sync(org, nil)
			if err != nil {
				t.Fatalf("the preview failed: %v; it must only warn", err)
			}
			if got := previewLines(rep.Preview()); !slices.Equal(got, tc.preview) {
				t.Errorf("preview %q, want %q", got, tc.preview)
			}
			if !hasPrefix(warnings, tc.warning) {
				t.Errorf("preview warnings %q, want one starting %q", warnings, tc.warning)
			}
			rep, err, warnings = e.sync(org, &tc.apply)
			var guard *ghsync.GuardError
			switch {
			case tc.applyErr == "" && err != nil:
				t.Fatalf("apply failed: %v", err)
			case tc.applyErr != "" && (err == nil || !strings.Contains(err.Error(), tc.applyErr)):
				t.Fatalf("apply error %v, want one containing %q", err, tc.applyErr)
			case errors.As(err, &guard) != tc.guard:
				t.Errorf("apply error %T: a *GuardError = %v, want %v", err, !tc.guard, tc.guard)
			}
			if tc.applyErr != "" && e.fake.MutatingRequests() != before {
				t.Errorf("a refused apply wrote %d times", e.fake.MutatingRequests()-before)
			}
			if tc.applyErr == "" && (rep.Failed > 0 || !hasPrefix(warnings, tc.warning)) {
				t.Errorf("apply: %d failed, warnings %q, want none failed and one starting %q", rep.Failed, warnings, tc.warning)
			}
		})
	}
}

// hasPrefix says whether a line of lines starts with prefix; "" wants no
// line at all.
func hasPrefix(lines []string, prefix string) bool {
	if prefix == "" {
		return len(lines) == 0
	}
	return slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
}

func TestReportPreviewShowsADuplicateAsAClose(t *testing.T) {
	rep := ghsync.Report{Actions: []ghsync.Action{
		{Kind: ghsync.Create, Type: "issue", Fingerprint: "missing-coach/ann", Title: "ann has no coach"},
		{Kind: ghsync.Duplicate, Type: "issue", Fingerprint: "missing-coach/bob", Number: 7},
		{Kind: ghsync.Close, Type: "pull", Fingerprint: "missing-coach/cat", Number: 9},
	}}
	got := rep.Preview()
	want := []reconcile.GitHubAction{
		{Action: ghsync.Create, Type: "issue", Fingerprint: "missing-coach/ann", Title: "ann has no coach"},
		{Action: ghsync.Close, Type: "issue", Fingerprint: "missing-coach/bob", Number: 7},
		{Action: ghsync.Close, Type: "pull", Fingerprint: "missing-coach/cat", Number: 9},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Preview() = %+v, want %+v", got, want)
	}
	if got := (ghsync.Report{}).Preview(); got == nil || len(got) != 0 {
		t.Errorf("an empty report previews as %#v, want an empty, non-nil list (plan json writes [])", got)
	}
}

func TestReportWriteAsApplyPrintsIt(t *testing.T) {
	rep := ghsync.Report{Actions: []ghsync.Action{{Kind: ghsync.Create, Type: "issue", Fingerprint: "missing-coach/ann", Title: "ann has no coach <soon>"}}, DryRun: true}
	var text, js strings.Builder
	if err := rep.Write("text", &text, "acme/people"); err != nil {
		t.Fatal(err)
	}
	if err := rep.Write("json", &js, "acme/people"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "create issue: ann has no coach <soon> (missing-coach/ann)") || !strings.Contains(text.String(), "acme/people") {
		t.Errorf("text output:\n%s", text.String())
	}
	if !strings.HasPrefix(js.String(), "{\n  \"actions\": [\n") || !strings.Contains(js.String(), `"title": "ann has no coach <soon>"`) || !strings.Contains(js.String(), `"dryRun": true`) {
		t.Errorf("json output (indented, markup unescaped):\n%s", js.String())
	}
}
