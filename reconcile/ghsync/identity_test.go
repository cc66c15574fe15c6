package ghsync_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
)

// Trust (SPEC §5): orgctl changes only what its own identity wrote. (The
// transport side of trust is in trust_test.go.)

// foreignIssue opens an issue as mallory and returns its number.
func foreignIssue(t *testing.T, e *env, title, body string, labels ...string) int {
	t.Helper()
	got := asPerson(t, e, "POST", "/repos/acme/people/issues", map[string]any{"title": title, "body": body, "labels": append([]string{}, labels...)}, http.StatusCreated)
	return int(got["number"].(float64))
}

// foreignComment comments as mallory and returns the comment's id.
func foreignComment(t *testing.T, e *env, number int, body string) int64 {
	t.Helper()
	got := asPerson(t, e, "POST", "/repos/acme/people/issues/"+itoa(number)+"/comments", map[string]string{"body": body}, http.StatusCreated)
	return int64(got["id"].(float64))
}

// itemState renders everything a write could change on issues or pull
// requests numbers (and their comments, and a pull request's branch).
func itemState(e *env, numbers ...int) string {
	var b strings.Builder
	render := func(i githubfake.Issue) {
		fmt.Fprintf(&b, "#%d %q %q %s/%s labels=%v assignees=%v updated=%s closedBy=%s\n", i.Number, i.Title, i.Body, i.State, i.StateReason,
			i.Labels, i.Assignees, i.UpdatedAt, i.ClosedBy)
		for _, c := range e.fake.Comments("acme", "people", i.Number) {
			fmt.Fprintf(&b, "  comment %d by %s %q updated=%s\n", c.ID, c.Author, c.Body, c.UpdatedAt)
		}
	}
	for _, i := range e.fake.Issues("acme", "people") {
		if slices.Contains(numbers, i.Number) {
			render(i)
		}
	}
	for _, p := range e.fake.Pulls("acme", "people") {
		if slices.Contains(numbers, p.Number) {
			render(p.Issue)
			sha, ok := e.fake.BranchSHA("acme", "people", p.Head)
			fmt.Fprintf(&b, "  head %s at %s (%v) reviewers=%v\n", p.Head, sha, ok, p.RequestedReviewers)
		}
	}
	return b.String()
}

var itemPath = regexp.MustCompile(`^/repos/acme/people/(?:issues|pulls)/(\d+)(?:/|$)`)
var commentPath = regexp.MustCompile(`^/repos/acme/people/issues/comments/(\d+)$`)

// orgctlWritesTo lists the mutating requests orgctl (not mallory) sent to
// the given issues, pull requests or comments.
func orgctlWritesTo(e *env, numbers []int, commentIDs []int64) []string {
	var out []string
	for _, r := range e.fake.Requests() {
		if r.Method == http.MethodGet || strings.Contains(r.Header.Get("Authorization"), personToken) {
			continue
		}
		if m := itemPath.FindStringSubmatch(r.Path); m != nil {
			if n, _ := strconv.Atoi(m[1]); slices.Contains(numbers, n) {
				out = append(out, r.Method+" "+r.Path)
			}
		}
		if m := commentPath.FindStringSubmatch(r.Path); m != nil {
			if id, _ := strconv.ParseInt(m[1], 10, 64); slices.Contains(commentIDs, id) {
				out = append(out, r.Method+" "+r.Path)
			}
		}
	}
	return out
}

// ownOpen counts orgctl's own open issues by fingerprint.
func ownOpen(e *env) map[string]int {
	open := map[string]int{}
	for _, i := range e.fake.Issues("acme", "people") {
		if i.State == "open" && i.Author == "orgctl-bot" {
			open[ghsync.FingerprintOf(i.Body)]++
		}
	}
	return open
}

func foreignNumbers(rep ghsync.Report) []string {
	var out []string
	for _, f := range rep.Foreign {
		out = append(out, fmt.Sprintf("%s #%d by %s (%s)", f.Type, f.Number, f.Author, f.Carries))
	}
	return out
}

func TestApplyLeavesForeignIssuesAloneAndReportsThemOnce(t *testing.T) {
	e := newEnv(t)
	org := baseOrg()
	annMarker := fpMarker("missing-coach/ann")
	// Before orgctl ever runs, mallory forges issues that look like its own.
	forged := foreignIssue(t, e, "ann has no coach", "forged\n"+annMarker, "orgctl", "orgctl/missing-coach") // older than orgctl's
	markerOnly := foreignIssue(t, e, "bob has no coach", fpMarker("missing-coach/bob"))
	stale := foreignIssue(t, e, "zed has no coach", fpMarker("missing-coach/zed"), "orgctl") // orgctl would close it
	labelOnly := foreignIssue(t, e, "a question about orgctl", "how do I add a coach?", "orgctl")
	closed := e.fake.AddIssue("acme", "people", githubfake.Issue{Title: "bob", Body: fpMarker("missing-coach/bob"),
		Labels: []string{"orgctl"}, Author: "mallory", State: "closed"}) // orgctl would reopen it
	foreign := []int{forged, markerOnly, stale, labelOnly, closed}
	before := itemState(e, foreign...)

	rep := mustApply(t, e, org)
	want := []string{
		fmt.Sprintf("issue #%d by mallory (the label orgctl and an orgctl fingerprint marker)", forged),
		fmt.Sprintf("issue #%d by mallory (the label orgctl and an orgctl fingerprint marker)", stale),
		fmt.Sprintf("issue #%d by mallory (the label orgctl)", labelOnly),
		fmt.Sprintf("issue #%d by mallory (the label orgctl and an orgctl fingerprint marker)", closed),
	}
	if got := foreignNumbers(rep); !slices.Equal(got, want) {
		t.Errorf("reported foreign objects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := ownOpen(e); len(got) != 3 || got["missing-coach/ann"] != 1 || got["missing-coach/bob"] != 1 || got["coach-is-manager/cat/boss"] != 1 {
		t.Errorf("orgctl's open issues by fingerprint: %v, want one for each of the three findings", got)
	}

	// mallory copies orgctl's own issue for bob, newer this time: it is not
	// taken for a duplicate to close.
	var bob githubfake.Issue
	for _, i := range e.fake.Issues("acme", "people") {
		if i.Author == "orgctl-bot" && ghsync.FingerprintOf(i.Body) == "missing-coach/bob" {
			bob = i
		}
	}
	foreign = append(foreign, foreignIssue(t, e, bob.Title, bob.Body, bob.Labels...))
	before += itemState(e, foreign[len(foreign)-1])

	writes := e.fake.MutatingRequests() - countPersonWrites(e)
	rep = mustApply(t, e, org)
	if n := e.fake.MutatingRequests() - countPersonWrites(e) - writes; n != 0 || len(rep.Actions) != 0 {
		t.Errorf("a second run sent %d mutating requests: %+v", n, rep.Actions)
	}
	if len(rep.Foreign) != 5 {
		t.Errorf("second run reports %d foreign objects, want 5 (each once): %v", len(rep.Foreign), foreignNumbers(rep))
	}

	// ann gets a coach: orgctl closes its own issue, and only its own.
	org["ann.yaml"] = person("ann", "team: eng, level: mid, github: ann-gh, coach: ext")
	mustApply(t, e, org)
	if got := ownOpen(e); got["missing-coach/ann"] != 0 {
		t.Errorf("orgctl's issue for ann is still open: %v", got)
	}

	if after := itemState(e, foreign...); after != before {
		t.Errorf("foreign issues changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if w := orgctlWritesTo(e, foreign, nil); len(w) != 0 {
		t.Errorf("orgctl wrote to foreign issues: %v", w)
	}
}

// countPersonWrites counts mallory's own mutating requests.
func countPersonWrites(e *env) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method != http.MethodGet && strings.Contains(r.Header.Get("Authorization"), personToken) {
			n++
		}
	}
	return n
}

func TestStickyCommentTouchesOnlyOrgctlsOwnComments(t *testing.T) {
	e := newEnv(t)
	e.fake.AddBranch("acme", "people", "erin", "main")
	pr := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "add erin", Author: "mallory"}, Head: "erin", Base: "main"})
	_, _, c := e.setup(baseOrg())
	ctx := context.Background()
	const marker = marker.PlanLine
	// Before orgctl's: an attacker types the marker.
	typed := foreignComment(t, e, pr, marker+"\nLooks good, merge it! [plan](https://evil.example)")
	if got, err := c.UpsertSticky(ctx, pr, marker, marker+"\nfirst"); err != nil || got != ghsync.StickyCreated {
		t.Fatalf("first upsert: %q, %v", got, err)
	}
	// After orgctl's: a reviewer quotes the plan; and an interrupted run
	// of orgctl left a second copy of its own.
	quoted := foreignComment(t, e, pr, "> "+marker+"\n> first\n\nwhy?")
	extra := e.fake.AddComment("acme", "people", pr, "orgctl-bot", marker+"\nleft by an interrupted run")
	if got, err := c.UpsertSticky(ctx, pr, marker, marker+"\nsecond"); err != nil || got != ghsync.StickyUpdated {
		t.Fatalf("second upsert: %q, %v", got, err)
	}
	var got []string
	for _, cm := range e.fake.Comments("acme", "people", pr) {
		got = append(got, cm.Author+": "+strings.ReplaceAll(cm.Body, "\n", " | "))
	}
	want := []string{
		"mallory: " + marker + " | Looks good, merge it! [plan](https://evil.example)",
		"orgctl-bot: " + marker + " | second",
		"mallory: > " + marker + " | > first |  | why?",
	}
	if !slices.Equal(got, want) {
		t.Errorf("comments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if w := orgctlWritesTo(e, nil, []int64{typed, quoted}); len(w) != 0 {
		t.Errorf("orgctl wrote to others' comments: %v", w)
	}
	deleted := false
	for _, r := range e.fake.Requests() {
		deleted = deleted || r.Method == http.MethodDelete && r.Path == "/repos/acme/people/issues/comments/"+strconv.FormatInt(extra, 10)
	}
	if !deleted {
		t.Error("orgctl's own extra copy was not deleted")
	}
}

func TestIdentityIsResolvedOnceAndOnlyAsked(t *testing.T) {
	countUser := func(e *env) int {
		n := 0
		for _, r := range e.fake.Requests() {
			if r.Path == "/user" {
				n++
			}
		}
		return n
	}
	t.Run("a personal token: GET /user, once per run", func(t *testing.T) {
		e := newEnv(t)
		mustApply(t, e, baseOrg())
		if n := countUser(e); n != 1 {
			t.Errorf("%d GET /user in one run, want 1", n)
		}
	})
	t.Run("--bot-login is taken as is, case-insensitively", func(t *testing.T) {
		e := newEnv(t)
		e.botLogin = "ORGCTL-Bot"
		mustApply(t, e, baseOrg())
		zero := e.fake.MutatingRequests()
		mustApply(t, e, baseOrg())
		if n := e.fake.MutatingRequests() - zero; n != 0 {
			t.Errorf("second run sent %d mutating requests: orgctl did not recognise its issues", n)
		}
		if n := countUser(e); n != 0 {
			t.Errorf("%d GET /user with --bot-login, want 0", n)
		}
	})
}

func TestInstallationTokenIdentity(t *testing.T) {
	const appToken = "ghs_installation_token_0123456789"
	t.Run("Actions' GITHUB_TOKEN is github-actions[bot]", func(t *testing.T) {
		e := newEnv(t, githubfake.WithInstallationToken(appToken, "github-actions[bot]"))
		e.token, e.assumeLogin = appToken, "github-actions[bot]"
		mustApply(t, e, baseOrg())
		for _, i := range e.fake.Issues("acme", "people") {
			if i.Author != "github-actions[bot]" {
				t.Errorf("#%d by %s", i.Number, i.Author)
			}
		}
		before := e.fake.MutatingRequests()
		mustApply(t, e, baseOrg())
		if n := e.fake.MutatingRequests() - before; n != 0 {
			t.Errorf("second run sent %d mutating requests", n)
		}
	})
	t.Run("GitHub Enterprise: GraphQL at /api/graphql", func(t *testing.T) {
		e := newEnv(t, githubfake.WithInstallationToken(appToken, "orgctl-app[bot]"), githubfake.WithEnterprisePrefix())
		e.token = appToken
		mustApply(t, e, baseOrg())
		if got := e.fake.Issues("acme", "people")[0].Author; got != "orgctl-app[bot]" {
			t.Errorf("author %s", got)
		}
	})
	t.Run("GraphQL names an app's bot: no --bot-login needed, in a dry run too", func(t *testing.T) {
		e := newEnv(t, githubfake.WithInstallationToken(appToken, "orgctl-app[bot]"))
		e.token, e.dryRun = appToken, true
		rep, err := e.apply(baseOrg(), ghsync.ApplyOptions{})
		if err != nil || len(rep.Actions) != 3 || e.fake.MutatingRequests() != 0 {
			t.Fatalf("dry run: %v, %d actions, %d mutating requests", err, len(rep.Actions), e.fake.MutatingRequests())
		}
		e.dryRun = false
		mustApply(t, e, baseOrg())
		before := e.fake.MutatingRequests()
		if rep := mustApply(t, e, baseOrg()); len(rep.Actions) != 0 || e.fake.MutatingRequests() != before {
			t.Errorf("second run: %+v, %d mutating requests", rep.Actions, e.fake.MutatingRequests()-before)
		}
		for _, i := range e.fake.Issues("acme", "people") {
			if i.Author != "orgctl-app[bot]" {
				t.Errorf("#%d by %s", i.Number, i.Author)
			}
		}
	})
	t.Run("without GraphQL, --bot-login nor a default: a clear error before any write", func(t *testing.T) {
		e := newEnv(t, githubfake.WithInstallationToken(appToken, "orgctl-app[bot]"), githubfake.WithoutGraphQL())
		e.token = appToken
		_, err := e.apply(baseOrg(), ghsync.ApplyOptions{})
		if err == nil || !strings.Contains(err.Error(), "pass --bot-login APP-SLUG[bot]") {
			t.Errorf("err = %v", err)
		}
		for _, r := range e.fake.Requests() {
			if r.Path != "/user" && r.Path != "/graphql" {
				t.Errorf("%s %s sent before orgctl knew who it is", r.Method, r.Path)
			}
		}
	})
	t.Run("without GraphQL, a wrong guess stops at the first create, naming the login; --bot-login then converges", func(t *testing.T) {
		e := newEnv(t, githubfake.WithInstallationToken(appToken, "orgctl-app[bot]"), githubfake.WithoutGraphQL())
		e.token, e.assumeLogin = appToken, "github-actions[bot]"
		rep, err := e.apply(baseOrg(), ghsync.ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rep.Stopped, "--bot-login orgctl-app[bot]") || rep.Failed != 3 {
			t.Errorf("stopped %q, failed %d of %+v", rep.Stopped, rep.Failed, rep.Actions)
		}
		if n := len(e.fake.Issues("acme", "people")); n != 1 {
			t.Errorf("%d issues created before stopping, want 1", n)
		}
		e.assumeLogin, e.botLogin = "", "orgctl-app[bot]"
		mustApply(t, e, baseOrg())
		if got := len(e.openFingerprints()); got != 3 {
			t.Errorf("open fingerprints %v", e.openFingerprints())
		}
		for fp, n := range e.openFingerprints() {
			if n != 1 {
				t.Errorf("%d open issues for %s", n, fp)
			}
		}
		before := e.fake.MutatingRequests()
		mustApply(t, e, baseOrg())
		if n := e.fake.MutatingRequests() - before; n != 0 {
			t.Errorf("run after the fix sent %d mutating requests", n)
		}
	})
	t.Run("the sticky comment checks its author too", func(t *testing.T) {
		e := newEnv(t, githubfake.WithInstallationToken(appToken, "orgctl-app[bot]"), githubfake.WithoutGraphQL())
		e.token, e.assumeLogin = appToken, "github-actions[bot]"
		e.fake.AddBranch("acme", "people", "erin", "main")
		pr := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "add erin"}, Head: "erin", Base: "main"})
		_, _, c := e.setup(baseOrg())
		_, err := c.UpsertSticky(context.Background(), pr, marker.PlanLine, marker.PlanLine+"\nplan")
		var ie *ghsync.IdentityError
		if !errors.As(err, &ie) || ie.Observed != "orgctl-app[bot]" || !strings.Contains(err.Error(), "--bot-login orgctl-app[bot]") {
			t.Errorf("err = %v", err)
		}
	})
}

// barrier holds every write until n runs have listed the managed issues:
// the interleaving where concurrent runs all see the same empty state.
type barrier struct {
	mu      sync.Mutex
	n       int
	listed  int
	release chan struct{}
}

func newBarrier(n int) *barrier { return &barrier{n: n, release: make(chan struct{})} }

func (b *barrier) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		<-b.release
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method == http.MethodGet && r.URL.Path == "/repos/acme/people/issues" && r.URL.Query().Get("labels") != "" {
		b.mu.Lock()
		b.listed++
		if b.listed == b.n {
			close(b.release)
		}
		b.mu.Unlock()
	}
	return resp, err
}

func TestConcurrentAppliesConverge(t *testing.T) {
	e := newEnv(t)
	org := baseOrg()
	// Foreign objects in several shapes, which no run may touch.
	forged := foreignIssue(t, e, "ann has no coach", fpMarker("missing-coach/ann"), "orgctl")
	markerOnly := foreignIssue(t, e, "bob has no coach", fpMarker("missing-coach/bob"))
	foreign := []int{forged, markerOnly}
	before := itemState(e, foreign...)

	e.transport = newBarrier(2)
	var wg sync.WaitGroup
	reps := make([]ghsync.Report, 2)
	errs := make([]error, 2)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = e.apply(org, ghsync.ApplyOptions{Commit: "abc1234"})
		}()
	}
	wg.Wait()
	for i := range reps {
		if errs[i] != nil || reps[i].Failed > 0 {
			t.Fatalf("concurrent run %d: %v, %+v", i, errs[i], reps[i].Actions)
		}
	}
	if got := ownOpen(e)["missing-coach/ann"]; got != 2 {
		t.Fatalf("the barrier did not interleave the runs: %d open issues for ann, want 2 (one per run)", got)
	}

	e.transport = nil
	rep := mustApply(t, e, org)
	dups := 0
	for _, a := range rep.Actions {
		if a.Kind == ghsync.Duplicate {
			dups++
		}
	}
	if dups != 3 {
		t.Errorf("the third run closed %d duplicates, want 3: %+v", dups, rep.Actions)
	}
	open := ownOpen(e)
	if len(open) != 3 {
		t.Errorf("open fingerprints %v, want 3", open)
	}
	for fp, n := range open {
		if n != 1 {
			t.Errorf("%d open issues for %s after the third run", n, fp)
		}
	}
	// The oldest of each pair is kept: each duplicate points to an older,
	// open issue.
	issues := e.fake.Issues("acme", "people")
	dupOf := regexp.MustCompile(`<!-- orgctl:duplicate-of=(\d+) -->`)
	for _, i := range issues {
		m := dupOf.FindStringSubmatch(i.Body)
		if m == nil {
			continue
		}
		kept, _ := strconv.Atoi(m[1])
		if i.State != "closed" || kept >= i.Number || issues[kept-1].State != "open" {
			t.Errorf("duplicate #%d (%s) points to #%d (%s): the oldest must be kept open", i.Number, i.State, kept, issues[kept-1].State)
		}
	}
	writes := e.fake.MutatingRequests()
	if rep := mustApply(t, e, org); len(rep.Actions) != 0 || e.fake.MutatingRequests() != writes {
		t.Errorf("the fourth run sent %d mutating requests: %+v", e.fake.MutatingRequests()-writes, rep.Actions)
	}
	if after := itemState(e, foreign...); after != before {
		t.Errorf("foreign issues changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if w := orgctlWritesTo(e, foreign, nil); len(w) != 0 {
		t.Errorf("orgctl wrote to foreign issues: %v", w)
	}
}

func TestProposeLeavesForeignPullRequestsAlone(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	// mallory opens, outside orgctl: a pull request from an orgctl/ branch
	// for a finding the org does not have (orgctl would close it and delete
	// its branch), and a labelled copy of erin's proposal from her own
	// branch (orgctl would adopt or close it as a duplicate).
	e.fake.AddBranch("acme", "people", "orgctl/missing-coach-zed", "main")
	e.fake.AddFile("acme", "people", "orgctl/missing-coach-zed", "zed.yaml", "# zed\n")
	zed := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "Coach for zed", Author: "mallory",
		Body: fpMarker("missing-coach/zed")}, Head: "orgctl/missing-coach-zed", Base: "main"})
	e.fake.AddBranch("acme", "people", "mallory/erin", "main")
	e.fake.AddFile("acme", "people", "mallory/erin", "people/erin.yaml", "# mine\n")
	copied := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "Coach for erin", Author: "mallory",
		Body: fpMarker(erinFP), Labels: []string{"orgctl", "orgctl/missing-coach"}}, Head: "mallory/erin", Base: "main"})
	// A copy mallory closed without merging would, were it orgctl's, stop
	// orgctl from ever proposing a coach for erin.
	e.fake.AddBranch("acme", "people", "mallory/block", "main")
	blocker := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "Coach for erin", Author: "mallory", State: "closed",
		Body: fpMarker(erinFP), Labels: []string{"orgctl"}}, Head: "mallory/block", Base: "main"})
	foreign := []int{zed, copied, blocker}
	before := itemState(e, foreign...)

	rep := mustPropose(t, e, org)
	want := []string{
		fmt.Sprintf("pull #%d by mallory (an orgctl fingerprint marker)", zed),
		fmt.Sprintf("pull #%d by mallory (the label orgctl and an orgctl fingerprint marker)", copied),
		fmt.Sprintf("pull #%d by mallory (the label orgctl and an orgctl fingerprint marker)", blocker),
	}
	if got := foreignNumbers(rep); !slices.Equal(got, want) {
		t.Errorf("reported foreign objects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var mine []string
	for _, p := range pullsFor(e, erinFP) {
		if p.Author == "orgctl-bot" {
			mine = append(mine, fmt.Sprintf("#%d %s from %s", p.Number, p.State, p.Head))
		}
	}
	if len(mine) != 1 || !strings.HasSuffix(mine[0], "open from "+erinBranch) {
		t.Errorf("orgctl's proposals for erin: %v, want one, open, from %s", mine, erinBranch)
	}
	zeroMutations(t, e, org)
	if after := itemState(e, foreign...); after != before {
		t.Errorf("foreign pull requests changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if w := orgctlWritesTo(e, foreign, nil); len(w) != 0 {
		t.Errorf("orgctl wrote to foreign pull requests: %v", w)
	}
}

func TestProposeRefusesABranchAForeignPullRequestUses(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	// mallory opens a pull request from the very branch orgctl would push
	// erin's proposal to: forcing that branch would rewrite her pull request.
	e.fake.AddBranch("acme", "people", erinBranch, "main")
	e.fake.AddFile("acme", "people", erinBranch, "people/erin.yaml", "# mallory's erin\n")
	theirs := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "Coach for erin", Author: "mallory",
		Body: fpMarker(erinFP)}, Head: erinBranch, Base: "main"})
	sha, _ := e.fake.BranchSHA("acme", "people", erinBranch)
	before := itemState(e, theirs)

	for run := 0; run < 2; run++ {
		rep, err := e.propose(org, 10)
		if err != nil {
			t.Fatal(err)
		}
		var failed []string
		for _, a := range rep.Actions {
			if a.Error != "" {
				failed = append(failed, a.Error)
			}
		}
		if len(failed) != 1 || !strings.Contains(failed[0], fmt.Sprintf("pull request #%d, opened by mallory", theirs)) {
			t.Errorf("run %d: failures %q, want one naming mallory's pull request", run, failed)
		}
	}
	if got, _ := e.fake.BranchSHA("acme", "people", erinBranch); got != sha {
		t.Errorf("branch %s moved from %s to %s", erinBranch, sha, got)
	}
	if n := len(e.fake.Pulls("acme", "people")); n != 1 {
		t.Errorf("%d pull requests, want mallory's only", n)
	}
	if after := itemState(e, theirs); after != before {
		t.Errorf("mallory's pull request changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if w := orgctlWritesTo(e, []int{theirs}, nil); len(w) != 0 {
		t.Errorf("orgctl wrote to mallory's pull request: %v", w)
	}
}

func TestConcurrentProposalRunsConverge(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	e.transport = newBarrier(2)
	var wg sync.WaitGroup
	reps := make([]ghsync.Report, 2)
	errs := make([]error, 2)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = e.propose(org, 10)
		}()
	}
	wg.Wait()
	for i := range reps {
		if errs[i] != nil {
			t.Fatalf("concurrent run %d: %v", i, errs[i])
		}
		for _, a := range reps[i].Actions {
			t.Logf("run %d: %s %s #%d %s", i, a.Kind, a.Type, a.Number, a.Error)
		}
	}
	e.transport = nil
	mustPropose(t, e, org)
	if p := openPull(t, e, erinFP); p.Head != erinBranch || len(p.RequestedReviewers) != 3 {
		t.Errorf("erin's proposal: from %s, reviewers %v", p.Head, p.RequestedReviewers)
	}
	for fp, n := range ownOpen(e) {
		if n != 1 {
			t.Errorf("%d open issues for %s", n, fp)
		}
	}
	zeroMutations(t, e, org)
}

// fpMarker is the fingerprint marker orgctl writes for fp.
func fpMarker(fp string) string {
	return marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: fp})
}
