package ghsync_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync"
)

// largeDesired returns n issues to open, modelled on a real missing-coach
// issue of baseOrg: what a 100,000-person org with n findings asks of
// apply (the size of the org reaches apply only through its findings).
func largeDesired(t *testing.T, n int) []reconcile.DesiredIssue {
	t.Helper()
	e := newEnv(t)
	org, res, _ := e.setup(baseOrg())
	var tmpl *reconcile.DesiredIssue
	for _, d := range org.DesiredIssues(res) {
		if d.Finding.Rule == "missing-coach" {
			tmpl = &d
			break
		}
	}
	if tmpl == nil {
		t.Fatal("baseOrg has no missing-coach issue to model the others on")
	}
	out := make([]reconcile.DesiredIssue, n)
	for i := range out {
		who := fmt.Sprintf("person-%05d", i)
		d := *tmpl
		d.Assignee = ""
		d.Finding.Subject = who
		d.Finding.Fingerprint = reconcile.Fingerprint(d.Finding.Rule, who, "")
		d.Fingerprint = d.Finding.Fingerprint
		d.Finding.Message = strings.ReplaceAll(d.Finding.Message, tmpl.Finding.Subject, who)
		d.Title = strings.ReplaceAll(d.Title, tmpl.Finding.Subject, who)
		out[i] = d
	}
	return out
}

// creates times the issue creations on the test's clock, and cancels the
// run (a cut: Ctrl-C, a killed job) once cutAfter of them were answered.
type creates struct {
	mu       sync.Mutex
	now      func() time.Time
	at       []time.Time
	cutAfter int
	cancel   context.CancelFunc
}

func (c *creates) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/repos/acme/people/issues") {
		c.mu.Lock()
		c.at = append(c.at, c.now())
		if c.cancel != nil && len(c.at) == c.cutAfter {
			c.cancel()
		}
		c.mu.Unlock()
	}
	return resp, err
}

// count returns the issue list calls and the writes among reqs.
func count(reqs []githubfake.Request) (lists, issueCreates, otherWrites int) {
	for _, r := range reqs {
		switch {
		case r.Method == http.MethodGet && r.Path == "/repos/acme/people/issues":
			lists++
		case r.Method == http.MethodPost && r.Path == "/repos/acme/people/issues":
			issueCreates++
		case r.Method != http.MethodGet:
			otherWrites++
		}
	}
	return
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// TestFirstApplyOnALargeOrg: the first apply of an org with 10,000
// findings (ORGCTL_TEST_LARGE=1; 2,000 by default) lists the issues once per 100 observed (one call when there are
// none) and sends exactly the writes needed (one create per finding, plus
// the two labels), never more than 80 creates in any minute of the
// injected clock; cut short, the next run lists what the first created,
// creates only what is missing, and the run after that writes nothing.
func TestFirstApplyOnALargeOrg(t *testing.T) {
	// 10,000 findings take a couple of minutes on the fake: the suite runs
	// 2,000 (the same assertions), ORGCTL_TEST_LARGE=1 the full size.
	findings, cut := 2000, 1234
	if os.Getenv("ORGCTL_TEST_LARGE") != "" {
		findings, cut = 10000, 4321
	} else if testing.Short() {
		findings, cut = 500, 321
	}
	var mu sync.Mutex
	clock := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		clock = clock.Add(d)
		mu.Unlock()
		return ctx.Err()
	}
	// The primary limit (5,000 an hour) is not what this test is about:
	// 10,000 creates paced at 80 a minute take two hours anyway.
	fake := githubfake.New(t, githubfake.WithToken(token), githubfake.WithClock(now), githubfake.WithRateLimit(1_000_000))
	fake.AddRepo("acme", "people", "main")
	desired := largeDesired(t, findings)

	run := func(ctx context.Context, tr http.RoundTripper) ghsync.Report {
		t.Helper()
		c, err := ghsync.New(ghsync.Options{Token: token, BaseURL: fake.URL(), Repo: "acme/people", Sleep: sleep, Now: now, Transport: tr})
		if err != nil {
			t.Fatal(err)
		}
		obs, err := c.Observe(ctx, desired, ghsync.ObserveOptions{Label: "orgctl"})
		if err != nil {
			t.Fatal(err)
		}
		actions := ghsync.Diff(obs.Wants, obs.Objects)
		opts := ghsync.ApplyOptions{Label: "orgctl", Labels: desired[0].Labels, MaxChanges: findings, Commit: "abc1234"}
		if err := ghsync.Check(actions, obs.Objects, opts); err != nil {
			t.Fatal(err)
		}
		return c.Execute(ctx, actions, opts)
	}

	// The first run, cut after `cut` creates.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := &creates{now: now, cutAfter: cut, cancel: cancel}
	rep := run(ctx, first)
	if !strings.Contains(rep.Stopped, "interrupted") {
		t.Fatalf("the cut run did not stop on the cut: %q", rep.Stopped)
	}
	reqs := fake.Requests()
	lists, made, other := count(reqs)
	if lists != 1 || made != cut || other != len(desired[0].Labels) {
		t.Errorf("first run: %d issue lists (want 1: nothing observed), %d creates (want %d), %d other writes (want %d labels)",
			lists, made, cut, other, len(desired[0].Labels))
	}
	checkPace(t, first.at)

	// The run after the cut: it observes the `cut` issues and creates the
	// rest, nothing else.
	from := len(reqs)
	second := &creates{now: now}
	rep = run(context.Background(), second)
	if rep.Failed > 0 || rep.Stopped != "" {
		t.Fatalf("resumed run: %d failed, stopped %q", rep.Failed, rep.Stopped)
	}
	reqs = fake.Requests()
	lists, made, other = count(reqs[from:])
	if want := ceilDiv(cut, 100); lists != want || made != findings-cut || other != 0 {
		t.Errorf("resumed run: %d issue lists (want %d for %d observed), %d creates (want %d), %d other writes (want 0)",
			lists, want, cut, made, findings-cut, other)
	}
	checkPace(t, second.at)
	open := map[string]int{}
	for _, i := range fake.Issues("acme", "people") {
		if i.State == "open" {
			open[ghsync.FingerprintOf(i.Body)]++
		}
	}
	for _, d := range desired {
		if open[d.Fingerprint] != 1 {
			t.Fatalf("%s has %d open issues after the resumed run, want 1", d.Fingerprint, open[d.Fingerprint])
		}
	}

	// And the run after that only reads: one list call per 100 issues.
	from = len(reqs)
	if rep := run(context.Background(), nil); len(rep.Actions) != 0 {
		t.Fatalf("a third run acts: %d actions", len(rep.Actions))
	}
	if lists, made, other := count(fake.Requests()[from:]); lists != ceilDiv(findings, 100) || made+other != 0 {
		t.Errorf("third run: %d issue lists (want %d), %d writes (want 0)", lists, ceilDiv(findings, 100), made+other)
	}
}

// checkPace fails when more than 80 creates fall within one minute, or when
// the pacing waits far longer than 80 a minute needs.
func checkPace(t *testing.T, at []time.Time) {
	t.Helper()
	for i := 80; i < len(at); i++ {
		if d := at[i].Sub(at[i-80]); d < time.Minute {
			t.Fatalf("creates %d and %d sent %s apart: 81 within a minute", i-80, i, d)
		}
	}
	if len(at) > 80 {
		if took, need := at[len(at)-1].Sub(at[0]), time.Duration(len(at)-80)*time.Minute/80; took > need+need/10+time.Minute {
			t.Errorf("%d creates took %s on the clock, 80 a minute needs %s", len(at), took, need)
		}
	}
}
