package ghsync

import (
	"fmt"
	"strings"
	"testing"
)

func want(fp string) Want {
	return Want{Fingerprint: fp, Title: "title " + fp, Body: "<!-- orgctl:fingerprint=" + fp + " -->\nbody", Labels: []string{"orgctl", "orgctl/" + strings.Split(fp, "/")[0]}, Assignee: "boss"}
}

func issue(n int, state string, w Want) Object {
	return Object{Number: n, Title: w.Title, Body: w.Body, State: state, Labels: w.Labels, Assignees: []string{w.Assignee}, Fingerprint: w.Fingerprint}
}

func summarize(actions []Action) string {
	var out []string
	for _, a := range actions {
		s := fmt.Sprintf("%s #%d %s", a.Kind, a.Number, a.Fingerprint)
		if len(a.Changes) > 0 {
			s += " " + strings.Join(a.Changes, ",")
		}
		if a.KeepNumber > 0 {
			s += fmt.Sprintf(" keep #%d", a.KeepNumber)
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestDiff(t *testing.T) {
	a, b, c := want("missing-coach/ann"), want("missing-coach/bob"), want("coach-is-manager/cat/dan")
	changed := a
	changed.Body += " (changed)"
	extraLabels := issue(1, "open", a)
	extraLabels.Labels = append(extraLabels.Labels, "people-ops")
	extraLabels.Assignees = append(extraLabels.Assignees, "someone")
	pull := issue(9, "open", a)
	pull.IsPull = true
	noMarker := Object{Number: 10, State: "open", Labels: []string{"orgctl"}, Title: "hand-made"}

	tests := []struct {
		name     string
		wants    []Want
		observed []Object
		want     string
	}{
		{"nothing observed: create", []Want{a, b}, nil, "create #0 missing-coach/ann; create #0 missing-coach/bob"},
		{"identical: nothing to do", []Want{a, b}, []Object{issue(1, "open", a), issue(2, "open", b)}, ""},
		{"labels and assignees people added are kept", []Want{a}, []Object{extraLabels}, ""},
		{"different body: update in place", []Want{changed}, []Object{issue(1, "open", a)}, "update #1 missing-coach/ann body"},
		{"missing label and assignee", []Want{a}, []Object{{Number: 1, Title: a.Title, Body: a.Body, State: "open", Labels: []string{"orgctl"}, Fingerprint: a.Fingerprint}}, "update #1 missing-coach/ann labels,assignees"},
		{"resolved: close", []Want{a}, []Object{issue(1, "open", a), issue(2, "open", b)}, "close #2 missing-coach/bob"},
		{"closed by a person while the finding persists: reopen the latest", []Want{a}, []Object{issue(1, "closed", a), issue(3, "closed", a)}, "reopen #3 missing-coach/ann"},
		{"closed and resolved: nothing", nil, []Object{issue(1, "closed", a)}, ""},
		{"duplicates: keep the oldest", []Want{a}, []Object{issue(4, "open", a), issue(2, "open", a), issue(7, "open", a)}, "close-duplicate #4 missing-coach/ann keep #2; close-duplicate #7 missing-coach/ann keep #2"},
		{"pull requests and unmarked issues are not issues to manage", []Want{c}, []Object{pull, noMarker}, "create #0 coach-is-manager/cat/dan"},
		{"order: create, reopen, update, duplicates, close", []Want{a, changed, c}[1:], []Object{issue(1, "open", a), issue(2, "open", b), issue(5, "open", a), issue(6, "closed", c)},
			"reopen #6 coach-is-manager/cat/dan; update #1 missing-coach/ann body; close-duplicate #5 missing-coach/ann keep #1; close #2 missing-coach/bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(Diff(tt.wants, tt.observed))
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestGuards(t *testing.T) {
	var observed []Object
	var actions []Action
	for i := range 20 {
		w := want(fmt.Sprintf("missing-coach/p%02d", i))
		observed = append(observed, issue(i+1, "open", w))
		if i < 6 {
			actions = append(actions, Action{Kind: Close, Number: i + 1, Fingerprint: w.Fingerprint})
		}
	}
	if err := Check(actions, observed, ApplyOptions{MaxChanges: 5}); err == nil || !strings.Contains(err.Error(), "more than --max-changes 5") {
		t.Errorf("max-changes: %v", err)
	}
	if err := Check(actions, observed, ApplyOptions{MaxChanges: 50}); err == nil || !strings.Contains(err.Error(), "--allow-mass-close") {
		t.Errorf("mass close of 6/20: %v", err)
	}
	if err := Check(actions, observed, ApplyOptions{MaxChanges: 50, AllowMassClose: true}); err != nil {
		t.Errorf("allowed mass close: %v", err)
	}
	if err := Check(actions[:5], observed, ApplyOptions{MaxChanges: 50}); err != nil {
		t.Errorf("closing five is never a mass close: %v", err)
	}
	if err := Check(actions, append(observed, observed...), ApplyOptions{MaxChanges: 50}); err != nil {
		t.Errorf("6 of 40 is under a quarter: %v", err)
	}
}

func TestGuardsCountProposalPullRequests(t *testing.T) {
	var observed []Object
	var actions []Action
	for i := range 8 {
		w := want(fmt.Sprintf("missing-coach/p%02d", i))
		pr := issue(i+1, "open", w)
		pr.IsPull = true
		observed = append(observed, pr)
		if i < 6 {
			actions = append(actions, Action{Kind: Close, Type: "pull", Number: i + 1, Fingerprint: w.Fingerprint})
		}
	}
	if err := Check(actions, observed, ApplyOptions{MaxChanges: 50}); err == nil || !strings.Contains(err.Error(), "close 6 of the 8 open orgctl issues and pull requests") {
		t.Errorf("closing 6 of 8 proposals: %v", err)
	}
	if err := Check(actions, observed, ApplyOptions{MaxChanges: 5, AllowMassClose: true}); err == nil || !strings.Contains(err.Error(), "6 changes") {
		t.Errorf("pull request changes count towards --max-changes: %v", err)
	}
}
