package ghsync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/schema"
)

const token = "ghs_apply_test_token_0123456789"

// personToken is a token of mallory, a person writing outside orgctl (a
// reviewer, or an attacker copying orgctl's markers).
const personToken = "ghp_mallory_person_token_0123456789"

func person(name, spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: %s}\nspec: {displayName: %s, %s}\n", name, name, spec)
}

// baseOrg: boss (github boss-gh) manages eng; ann and bob lack a coach;
// cat is coached by her manager.
func baseOrg() map[string]string {
	return map[string]string{
		"policy.yaml": "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  roots: [boss]\n  github: {repo: acme/people}\n",
		"teams.yaml":  "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: eng}\nspec: {manager: boss}\n",
		"boss.yaml":   person("boss", "team: eng, level: executive, coach: ext, github: boss-gh"),
		"ext.yaml":    person("ext", "external: true"),
		"ann.yaml":    person("ann", "team: eng, level: mid, github: ann-gh"),
		"bob.yaml":    person("bob", "team: eng, level: mid"),
		"cat.yaml":    person("cat", "team: eng, level: mid, coach: boss"),
	}
}

type env struct {
	t       *testing.T
	fake    *githubfake.Server
	slept   time.Duration
	dryRun  bool
	maxWait time.Duration
	// transport, when set, sits between the client and the fake.
	transport http.RoundTripper
	// token is the one orgctl runs with ("" means token); botLogin and
	// assumeLogin are the client's identity options.
	token, botLogin, assumeLogin string
	// cacheDir is the client's ETag cache ("" for none); client is the
	// last client setup made, for its Usage.
	cacheDir string
	client   *ghsync.Client
}

// newEnv starts a fake where token is orgctl-bot's personal token and
// personToken is mallory's; opts add more.
func newEnv(t *testing.T, opts ...githubfake.Option) *env {
	fake := githubfake.New(t, append([]githubfake.Option{githubfake.WithToken(token), githubfake.WithUserToken(personToken, "mallory")}, opts...)...)
	fake.AddRepo("acme", "people", "main")
	fake.AddUser("boss-gh")
	return &env{t: t, fake: fake}
}

// setup loads and checks the org in files and returns a client of the fake
// configured like the env.
func (e *env) setup(files map[string]string) (*reconcile.Org, reconcile.Result, *ghsync.Client) {
	e.t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		e.t.Fatal(err)
	}
	org := reconcile.Build(set)
	res := org.Check(set, reconcile.Options{Today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	tok := e.token
	if tok == "" {
		tok = token
	}
	c, err := ghsync.New(ghsync.Options{
		Token: tok, BaseURL: e.fake.URL(), Repo: "acme/people", DryRun: e.dryRun, MaxWait: e.maxWait, Transport: e.transport,
		Sleep:    func(_ context.Context, d time.Duration) error { e.slept += d; return nil },
		BotLogin: e.botLogin, AssumeLogin: e.assumeLogin, CacheDir: e.cacheDir,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.client = c
	return org, res, c
}

// apply reconciles the org in files with the fake and returns the report.
func (e *env) apply(files map[string]string, opts ghsync.ApplyOptions) (ghsync.Report, error) {
	e.t.Helper()
	org, res, c := e.setup(files)
	ctx := context.Background()
	opts.Label = "orgctl"
	if opts.MaxChanges == 0 {
		opts.MaxChanges = 50
	}
	desired := org.DesiredIssues(res)
	for _, d := range desired {
		opts.Labels = append(opts.Labels, d.Labels...)
	}
	obs, err := c.Observe(ctx, desired, ghsync.ObserveOptions{Label: "orgctl"})
	if err != nil {
		return ghsync.Report{}, err
	}
	actions := ghsync.Diff(obs.Wants, obs.Objects)
	if err := ghsync.Check(actions, obs.Objects, opts); err != nil {
		return ghsync.Report{}, err
	}
	rep := ghsync.Report{Actions: actions, DryRun: true}
	if !e.dryRun {
		rep = c.Execute(ctx, actions, opts)
	}
	rep.Foreign = obs.Foreign
	return rep, nil
}

// state renders the fake's issues: "#N state fingerprint [labels] @assignees".
func (e *env) state() []string {
	var out []string
	for _, i := range e.fake.Issues("acme", "people") {
		fp := ghsync.FingerprintOf(i.Body)
		labels := slices.Clone(i.Labels)
		slices.Sort(labels)
		out = append(out, fmt.Sprintf("#%d %s %s [%s] @%s", i.Number, i.State, fp, strings.Join(labels, ","), strings.Join(i.Assignees, ",")))
	}
	return out
}

func (e *env) openFingerprints() map[string]int {
	open := map[string]int{}
	for _, i := range e.fake.Issues("acme", "people") {
		if i.State == "open" {
			open[ghsync.FingerprintOf(i.Body)]++
		}
	}
	return open
}

func mustApply(t *testing.T, e *env, files map[string]string) ghsync.Report {
	t.Helper()
	rep, err := e.apply(files, ghsync.ApplyOptions{Commit: "abc1234"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed > 0 {
		t.Fatalf("%d actions failed: %+v", rep.Failed, rep.Actions)
	}
	return rep
}

func TestApplyScenario(t *testing.T) {
	e := newEnv(t)
	org := baseOrg()

	// First run: one issue per finding, labelled and assigned to the manager.
	mustApply(t, e, org)
	want := []string{
		"#1 open coach-is-manager/cat/boss [orgctl,orgctl/coach-is-manager] @boss-gh",
		"#2 open missing-coach/ann [orgctl,orgctl/missing-coach] @boss-gh",
		"#3 open missing-coach/bob [orgctl,orgctl/missing-coach] @boss-gh",
	}
	if got := e.state(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after the first apply:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	issue := e.fake.Issues("acme", "people")[1]
	for _, s := range []string{"Ann has no coach", "### Why it matters", "ann.yaml` at line", "spec.exemptions"} {
		if !strings.Contains(issue.Body, s) {
			t.Errorf("issue body lacks %q:\n%s", s, issue.Body)
		}
	}
	if issue.Title != "ann has no coach" {
		t.Errorf("title %q", issue.Title)
	}

	// Second run on the same org: zero writes.
	before := e.fake.MutatingRequests()
	if rep := mustApply(t, e, org); len(rep.Actions) != 0 {
		t.Errorf("second run planned %+v", rep.Actions)
	}
	if n := e.fake.MutatingRequests() - before; n != 0 {
		t.Errorf("second run sent %d mutating requests", n)
	}

	// ann gets a coach: her issue is closed with a comment naming the commit.
	org["ann.yaml"] = person("ann", "team: eng, level: mid, github: ann-gh, coach: ext")
	mustApply(t, e, org)
	ann := e.fake.Issues("acme", "people")[1]
	if ann.State != "closed" || ann.StateReason != "completed" {
		t.Errorf("ann's issue: %s %s", ann.State, ann.StateReason)
	}
	if cs := e.fake.Comments("acme", "people", 2); len(cs) != 1 || !strings.Contains(cs[0].Body, "Resolved by abc1234") {
		t.Errorf("resolved comment: %+v", cs)
	}

	// A person closes bob's issue while bob still has no coach: reopened,
	// with a comment pointing to exemptions.
	e.fake.CloseIssue("acme", "people", 3, "boss-gh", "not_planned")
	mustApply(t, e, org)
	bob := e.fake.Issues("acme", "people")[2]
	if bob.State != "open" {
		t.Errorf("bob's issue was not reopened: %s", bob.State)
	}
	if cs := e.fake.Comments("acme", "people", 3); len(cs) != 1 || !strings.Contains(cs[0].Body, "exemptions:") {
		t.Errorf("reopen comment: %+v", cs)
	}

	// Someone duplicated bob's issue: the newer copy is closed, the oldest kept.
	dup := e.fake.AddIssue("acme", "people", githubfake.Issue{Title: bob.Title, Body: bob.Body, Labels: []string{"orgctl"}})
	mustApply(t, e, org)
	if got := e.openFingerprints()["missing-coach/bob"]; got != 1 {
		t.Errorf("%d open issues for bob", got)
	}
	d := e.fake.Issues("acme", "people")[dup-1]
	if d.State != "closed" || ghsync.FingerprintOf(d.Body) != "" {
		t.Errorf("duplicate #%d: %s, marker %q", dup, d.State, ghsync.FingerprintOf(d.Body))
	}

	// And the end state is stable.
	before = e.fake.MutatingRequests()
	mustApply(t, e, org)
	if n := e.fake.MutatingRequests() - before; n != 0 {
		t.Errorf("final run sent %d mutating requests", n)
	}
}

func TestApplyDryRunSendsNothing(t *testing.T) {
	e := newEnv(t)
	e.dryRun = true
	rep, err := e.apply(baseOrg(), ghsync.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Actions) != 3 || rep.Actions[0].Kind != ghsync.Create {
		t.Errorf("dry run shows %+v", rep.Actions)
	}
	if n := e.fake.MutatingRequests(); n != 0 {
		t.Errorf("dry run sent %d mutating requests", n)
	}
}

func TestApplyUnassignableManager(t *testing.T) {
	e := newEnv(t)
	org := baseOrg()
	org["boss.yaml"] = person("boss", "team: eng, level: executive, coach: ext, github: not-a-collaborator")
	mustApply(t, e, org)
	for _, i := range e.fake.Issues("acme", "people") {
		if len(i.Assignees) != 0 || !strings.Contains(i.Body, "could not assign this issue") {
			t.Errorf("#%d: assignees %v, body:\n%s", i.Number, i.Assignees, i.Body)
		}
	}
	before := e.fake.MutatingRequests()
	mustApply(t, e, org)
	if n := e.fake.MutatingRequests() - before; n != 0 {
		t.Errorf("second run sent %d mutating requests", n)
	}
}

// dropAssignees behaves like GitHub when it silently ignores assignees the
// token may not set: it strips them from every request body.
type dropAssignees struct{}

func (dropAssignees) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Method != http.MethodGet {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if json.Unmarshal(b, &m) == nil {
			delete(m, "assignees")
			b, _ = json.Marshal(m)
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.GetBody = nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestApplyAssigneeSilentlyDroppedConverges(t *testing.T) {
	e := newEnv(t)
	e.transport = dropAssignees{}
	mustApply(t, e, baseOrg())
	for _, i := range e.fake.Issues("acme", "people") {
		if len(i.Assignees) != 0 || !strings.Contains(i.Body, "could not assign this issue to boss-gh") {
			t.Errorf("#%d: assignees %v, body lacks the note", i.Number, i.Assignees)
		}
	}
	before := e.fake.MutatingRequests()
	mustApply(t, e, baseOrg())
	if n := e.fake.MutatingRequests() - before; n != 0 {
		t.Errorf("second run sent %d mutating requests", n)
	}
}

func TestApplyLostCommentIsNotRepeated(t *testing.T) {
	e := newEnv(t)
	mustApply(t, e, baseOrg())
	org := baseOrg()
	org["ann.yaml"] = person("ann", "team: eng, level: mid, coach: ext")
	e.fake.DropAfterWrite("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 1)
	mustApply(t, e, org)
	if cs := e.fake.Comments("acme", "people", 2); len(cs) != 1 {
		t.Errorf("%d resolved comments, want 1", len(cs))
	}
	if i := e.fake.Issues("acme", "people")[1]; i.State != "closed" {
		t.Errorf("ann's issue is %s", i.State)
	}
}

func TestApplyFaults(t *testing.T) {
	tests := []struct {
		name    string
		inject  func(f *githubfake.Server)
		slept   time.Duration
		maxWait time.Duration
	}{
		{"5xx on listing is retried", func(f *githubfake.Server) { f.ServerError("GET", "/repos/{owner}/{repo}/issues", 2, 502) }, 0, 0},
		{"a create whose answer is lost is adopted, not repeated", func(f *githubfake.Server) { f.DropAfterWrite("POST", "/repos/{owner}/{repo}/issues", 1) }, 0, 0},
		{"a create answered 500 after writing is adopted", func(f *githubfake.Server) { f.ServerError("POST", "/repos/{owner}/{repo}/issues", 1, 500) }, 0, 0},
		{"secondary rate limit: wait Retry-After and go on", func(f *githubfake.Server) {
			f.SecondaryRateLimit("POST", "/repos/{owner}/{repo}/issues", 1, 30*time.Second)
		}, 30 * time.Second, 0},
		{"primary rate limit: wait for the reset when allowed to", func(f *githubfake.Server) { f.PrimaryRateLimit("GET", "/repos/{owner}/{repo}/issues", 1, 403) }, 50 * time.Minute, 2 * time.Hour},
		{"primary rate limit answered 429", func(f *githubfake.Server) { f.PrimaryRateLimit("POST", "/repos/{owner}/{repo}/issues", 1, 429) }, 50 * time.Minute, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.maxWait = tt.maxWait
			tt.inject(e.fake)
			mustApply(t, e, baseOrg())
			for fp, n := range e.openFingerprints() {
				if n != 1 {
					t.Errorf("%d open issues for %s", n, fp)
				}
			}
			if len(e.openFingerprints()) != 3 {
				t.Errorf("open: %v", e.openFingerprints())
			}
			if e.slept < tt.slept {
				t.Errorf("waited %v, want at least %v", e.slept, tt.slept)
			}
			if n := e.fake.PendingFaults(); n != 0 {
				t.Errorf("%d faults were never triggered", n)
			}
			before := e.fake.MutatingRequests()
			mustApply(t, e, baseOrg())
			if n := e.fake.MutatingRequests() - before; n != 0 {
				t.Errorf("the run after the fault sent %d mutating requests", n)
			}
		})
	}
}

func TestApplyStopsClearlyWhenTheRateLimitIsFarFromItsReset(t *testing.T) {
	e := newEnv(t)
	e.fake.PrimaryRateLimit("GET", "/repos/{owner}/{repo}/issues", 1, 403)
	_, err := e.apply(baseOrg(), ghsync.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "rate limit exhausted until") || !strings.Contains(err.Error(), "run again after that") {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(fmt.Sprint(err), token) {
		t.Error("the error contains the token")
	}
	if n := e.fake.MutatingRequests(); n != 0 {
		t.Errorf("%d writes after a rate limit", n)
	}
}

func TestApplyOneFailureDoesNotStopTheOthers(t *testing.T) {
	e := newEnv(t)
	mustApply(t, e, baseOrg())
	org := baseOrg()
	// Moving lines changes the bodies (they name the line to change) of
	// ann's and bob's issues; the update of ann's (#2) fails.
	org["ann.yaml"] = "# moved\n\n" + org["ann.yaml"]
	org["bob.yaml"] = "# moved\n\n" + org["bob.yaml"]
	e.fake.ServerError("PATCH", "/repos/acme/people/issues/2", 10, 500)
	rep, err := e.apply(org, ghsync.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || len(rep.Actions) != 2 {
		t.Fatalf("failed %d of %+v", rep.Failed, rep.Actions)
	}
	for _, a := range rep.Actions {
		if (a.Number == 2) != (a.Error != "") {
			t.Errorf("action on #%d: error %q", a.Number, a.Error)
		}
	}
}

func TestStickyComment(t *testing.T) {
	e := newEnv(t)
	e.fake.AddBranch("acme", "people", "erin", "main")
	e.fake.AddBranch("acme", "people", "zoe", "main")
	pr := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "add erin"}, Head: "erin", Base: "main"})
	c, err := ghsync.New(ghsync.Options{Token: token, BaseURL: e.fake.URL() + "/", Repo: "acme/people"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const marker = "<!-- orgctl:plan -->"
	for i, tt := range []struct{ body, outcome string }{
		{marker + "\nfirst", ghsync.StickyCreated},
		{marker + "\nfirst", ghsync.StickyUnchanged},
		{marker + "\nsecond", ghsync.StickyUpdated},
	} {
		got, err := c.UpsertSticky(ctx, pr, marker, tt.body)
		if err != nil || got != tt.outcome {
			t.Fatalf("step %d: %q, %v; want %q", i, got, err, tt.outcome)
		}
	}
	cs := e.fake.Comments("acme", "people", pr)
	if len(cs) != 1 || !strings.HasSuffix(cs[0].Body, "second") {
		t.Fatalf("comments: %+v", cs)
	}
	// A lost answer to the create is looked for before posting again.
	pr2 := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "add zoe"}, Head: "zoe", Base: "main"})
	e.fake.DropAfterWrite("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 1)
	if _, err := c.UpsertSticky(ctx, pr2, marker, marker+"\nplan"); err != nil {
		t.Fatal(err)
	}
	if cs := e.fake.Comments("acme", "people", pr2); len(cs) != 1 {
		t.Errorf("%d comments after a lost answer, want 1", len(cs))
	}
}

// cancelAfterCreate is a transport that cancels the run (as Ctrl-C does)
// once the first issue has been created.
type cancelAfterCreate struct {
	cancel context.CancelFunc
}

func (c cancelAfterCreate) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/issues") {
		c.cancel()
	}
	return resp, err
}

func TestApplyInterruptedStopsInsteadOfFailingEachAction(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.transport = cancelAfterCreate{cancel: cancel}
	org, res, c := e.setup(baseOrg())
	desired := org.DesiredIssues(res)
	obs, err := c.Observe(context.Background(), desired, ghsync.ObserveOptions{Label: "orgctl"})
	if err != nil {
		t.Fatal(err)
	}
	actions := ghsync.Diff(obs.Wants, obs.Objects)
	if len(actions) < 3 {
		t.Fatalf("want at least 3 creates to interrupt, got %+v", actions)
	}
	rep := c.Execute(ctx, actions, ghsync.ApplyOptions{Label: "orgctl", MaxChanges: 50})
	if !strings.Contains(rep.Stopped, "interrupted") {
		t.Errorf("stopped = %q, want the interruption", rep.Stopped)
	}
	if n := e.fake.MutatingRequests(); n != 1 {
		t.Errorf("%d writes reached GitHub after Ctrl-C during the first, want 1", n)
	}
	for _, a := range rep.Actions[1:] {
		if a.Error != "not attempted: the run stopped (see above)" {
			t.Errorf("action %s %s: error %q, want not attempted", a.Kind, a.Fingerprint, a.Error)
		}
	}
	// The next run converges: the one issue created is adopted, the rest created.
	e.transport = nil
	mustApply(t, e, baseOrg())
	for fp, n := range e.openFingerprints() {
		if n != 1 {
			t.Errorf("%s has %d open issues", fp, n)
		}
	}
	if rep := mustApply(t, e, baseOrg()); len(rep.Actions) != 0 {
		t.Errorf("a third run still acts: %+v", rep.Actions)
	}
}
