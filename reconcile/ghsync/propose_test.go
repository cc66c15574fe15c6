package ghsync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/match"
)

// proposeOrg: boss (boss-gh) manages eng; erin has no coach, and carol
// (senior, same team, carol-gh) is the one suggest picks; ext is an
// external coach (ext-gh, not a collaborator).
func proposeOrg() map[string]string {
	return map[string]string{
		"policy.yaml":      "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  roots: [boss]\n  github: {repo: acme/people}\n",
		"teams.yaml":       "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: eng}\nspec: {manager: boss}\n",
		"boss.yaml":        person("boss", "team: eng, level: executive, coach: ext, github: boss-gh"),
		"ext.yaml":         person("ext", "external: true, github: ext-gh"),
		"carol.yaml":       person("carol", "team: eng, level: senior, coach: ext, github: carol-gh"),
		"people/erin.yaml": "# erin joined in October\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: erin\nspec:\n  displayName: Erin <b>@everyone</b>\n  email: erin@example.com\n  team: eng\n  level: mid\n  github: erin-gh\n",
	}
}

const erinFP = "missing-coach/erin"
const erinBranch = "orgctl/missing-coach-erin"

func newProposeEnv(t *testing.T, files map[string]string) *env {
	e := newEnv(t)
	e.fake.AddUser("carol-gh")
	e.fake.AddUser("erin-gh") // the coachee, asked for a review too
	e.push(files)
	return e
}

// push commits the org's files to the default branch, as a merge would.
func (e *env) push(files map[string]string) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if got, ok := e.fake.File("acme", "people", "", n); !ok || got != files[n] {
			e.fake.AddFile("acme", "people", "", n, files[n])
		}
	}
}

// propose runs apply --propose: issues and proposal pull requests.
func (e *env) propose(files map[string]string, maxProposals int) (ghsync.Report, error) {
	e.t.Helper()
	org, res, c := e.setup(files)
	ctx := context.Background()
	opts := ghsync.ApplyOptions{Label: "orgctl", MaxChanges: 50, Commit: "abc1234"}
	desired := org.DesiredIssues(res)
	for _, d := range desired {
		opts.Labels = append(opts.Labels, d.Labels...)
	}
	obs, err := c.Observe(ctx, desired, ghsync.ObserveOptions{Label: "orgctl", Proposals: true})
	if err != nil {
		return ghsync.Report{}, err
	}
	observed := obs.Objects
	actions := ghsync.Diff(obs.Wants, observed)
	props, err := match.DesiredProposals(org, res, time.Time{})
	if err != nil {
		return ghsync.Report{}, err
	}
	pactions, skips, err := c.PlanProposals(ctx, props, observed, ghsync.ProposalOptions{MaxProposals: maxProposals})
	if err != nil {
		return ghsync.Report{}, err
	}
	actions = append(actions, pactions...)
	if err := ghsync.Check(actions, observed, opts); err != nil {
		return ghsync.Report{}, err
	}
	var rep ghsync.Report
	if e.dryRun {
		rep = ghsync.Report{Actions: actions, DryRun: true}
	} else {
		rep = c.Execute(ctx, actions, opts)
	}
	rep.Skipped, rep.Foreign = skips, obs.Foreign
	return rep, nil
}

func mustPropose(t *testing.T, e *env, files map[string]string) ghsync.Report {
	t.Helper()
	rep, err := e.propose(files, 10)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed > 0 {
		t.Fatalf("%d actions failed: %+v", rep.Failed, rep.Actions)
	}
	return rep
}

// zeroMutations runs again and fails when anything is written.
func zeroMutations(t *testing.T, e *env, files map[string]string) {
	t.Helper()
	before := e.fake.MutatingRequests()
	rep := mustPropose(t, e, files)
	if n := e.fake.MutatingRequests() - before; n != 0 || len(rep.Actions) != 0 {
		t.Errorf("a run on unchanged input sent %d mutating requests; actions %+v", n, rep.Actions)
	}
}

func pullsFor(e *env, fp string) []githubfake.Pull {
	var out []githubfake.Pull
	for _, p := range e.fake.Pulls("acme", "people") {
		if ghsync.FingerprintOf(p.Body) == fp {
			out = append(out, p)
		}
	}
	return out
}

func openPull(t *testing.T, e *env, fp string) githubfake.Pull {
	t.Helper()
	var open []githubfake.Pull
	for _, p := range pullsFor(e, fp) {
		if p.State == "open" {
			open = append(open, p)
		}
	}
	if len(open) != 1 {
		t.Fatalf("%d open pull requests for %s, want 1: %+v", len(open), fp, e.fake.Pulls("acme", "people"))
	}
	return open[0]
}

// pullStats reads the pull request as GitHub describes it.
func pullStats(t *testing.T, e *env, n int) (commits, changed, additions, deletions int) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.fake.URL()+"/repos/acme/people/pulls/"+itoa(n), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.fake.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var pr struct{ Commits, ChangedFiles, Additions, Deletions int }
	var raw map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	pr.Commits, pr.ChangedFiles = int(raw["commits"].(float64)), int(raw["changed_files"].(float64))
	pr.Additions, pr.Deletions = int(raw["additions"].(float64)), int(raw["deletions"].(float64))
	return pr.Commits, pr.ChangedFiles, pr.Additions, pr.Deletions
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// changedLines is the diff of a to b, after dropping the lines they share
// at both ends: "-old" and "+new" lines.
func changedLines(t *testing.T, a, b string) []string {
	t.Helper()
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	p := 0
	for p < len(la) && p < len(lb) && la[p] == lb[p] {
		p++
	}
	s := 0
	for s < len(la)-p && s < len(lb)-p && la[len(la)-1-s] == lb[len(lb)-1-s] {
		s++
	}
	var out []string
	for _, l := range la[p : len(la)-s] {
		out = append(out, "-"+l)
	}
	for _, l := range lb[p : len(lb)-s] {
		out = append(out, "+"+l)
	}
	return out
}

func TestProposeOpensOnePullRequestWithOneCommitChangingOneLine(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	rep := mustPropose(t, e, org)

	pr := openPull(t, e, erinFP)
	if pr.Head != erinBranch || pr.Base != "main" {
		t.Errorf("head %s base %s, want %s into main", pr.Head, pr.Base, erinBranch)
	}
	if pr.Title != "Propose carol as erin's coach" {
		t.Errorf("title %q", pr.Title)
	}
	labels := slices.Clone(pr.Labels)
	slices.Sort(labels)
	if !slices.Equal(labels, []string{"orgctl", "orgctl/missing-coach"}) {
		t.Errorf("labels %v", labels)
	}
	reviewers := slices.Clone(pr.RequestedReviewers)
	slices.Sort(reviewers)
	if !slices.Equal(reviewers, []string{"boss-gh", "carol-gh", "erin-gh"}) {
		t.Errorf("reviewers %v, want the manager, the proposed coach and the coachee", reviewers)
	}
	for _, want := range []string{"<!-- orgctl:fingerprint=missing-coach/erin -->", "one level up \\(senior\\)", "everyone needs one", "`people/erin.yaml`"} {
		if !strings.Contains(pr.Body, want) {
			t.Errorf("the body lacks %q:\n%s", want, pr.Body)
		}
	}
	for _, never := range []string{"erin@example.com", "<b>", "@everyone", "@boss-gh", token} {
		if strings.Contains(pr.Body, never) {
			t.Errorf("the body contains %q:\n%s", never, pr.Body)
		}
	}
	mainFile, _ := e.fake.File("acme", "people", "main", "people/erin.yaml")
	branchFile, ok := e.fake.File("acme", "people", erinBranch, "people/erin.yaml")
	if !ok {
		t.Fatalf("no people/erin.yaml on %s", erinBranch)
	}
	if got := changedLines(t, mainFile, branchFile); !slices.Equal(got, []string{"+  coach: carol"}) {
		t.Errorf("the branch changes %q, want exactly the new coach line", got)
	}
	if commits, changed, add, del := pullStats(t, e, pr.Number); commits != 1 || changed != 1 || add != 1 || del != 0 {
		t.Errorf("the pull request has %d commits changing %d files (+%d -%d), want 1 commit, 1 file, +1", commits, changed, add, del)
	}
	// The issue for the finding is a different object with the same
	// fingerprint, and both exist.
	if got := e.openFingerprints()[erinFP]; got != 1 {
		t.Errorf("%d open issues for %s, want 1", got, erinFP)
	}
	var kinds []string
	for _, a := range rep.Actions {
		kinds = append(kinds, a.Kind+" "+a.Type)
	}
	if !slices.Equal(kinds, []string{"create issue", "create pull"}) {
		t.Errorf("actions %v", kinds)
	}
	zeroMutations(t, e, org)
}

func TestProposeUpdatesInPlaceWhenTheCandidateChanges(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	mustPropose(t, e, org)
	first := openPull(t, e, erinFP)

	// carol leaves: ext, the external coach, is the next best.
	org["carol.yaml"] = person("carol", "team: eng, level: senior, coach: ext, github: carol-gh, status: departed")
	e.push(org)
	rep := mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)
	if pr.Number != first.Number {
		t.Errorf("a new pull request #%d replaced #%d; want an update in place", pr.Number, first.Number)
	}
	if !strings.Contains(pr.Title, "ext") || !strings.Contains(pr.Body, "from outside the company") {
		t.Errorf("the pull request was not updated: %q\n%s", pr.Title, pr.Body)
	}
	mainFile, _ := e.fake.File("acme", "people", "main", "people/erin.yaml")
	branchFile, _ := e.fake.File("acme", "people", erinBranch, "people/erin.yaml")
	if got := changedLines(t, mainFile, branchFile); !slices.Equal(got, []string{"+  coach: ext"}) {
		t.Errorf("the branch changes %q, want the new candidate", got)
	}
	if commits, _, _, _ := pullStats(t, e, pr.Number); commits != 1 {
		t.Errorf("%d commits after the update, want one on top of main", commits)
	}
	// ext-gh is not a collaborator: refused, reported, noted, and the run
	// does not fail.
	var warned bool
	for _, a := range rep.Actions {
		warned = warned || len(a.Warnings) > 0 && strings.Contains(a.Warnings[0], "ext-gh")
	}
	if !warned || !strings.Contains(pr.Body, "could not request a review from ext-gh") {
		t.Errorf("the refused reviewer was not reported: %+v\n%s", rep.Actions, pr.Body)
	}
	if !slices.Equal(sortedReviewers(pr), []string{"boss-gh", "erin-gh"}) {
		t.Errorf("reviewers %v, want only boss-gh and erin-gh: carol-gh is no longer proposed", pr.RequestedReviewers)
	}
	zeroMutations(t, e, org)
}

// requestReviewAsPerson asks for a review of pull request n as a person
// would, in GitHub's interface, outside orgctl.
// asPerson sends one request to the fake as mallory, a person outside
// orgctl, and fails the test unless GitHub answers want; it returns the
// decoded answer.
func asPerson(t *testing.T, e *env, method, path string, payload any, want int) map[string]any {
	t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, e.fake.URL()+path, strings.NewReader(string(raw)))
	req.Header.Set("Authorization", "Bearer "+personToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.fake.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %s", method, path, resp.Status)
	}
	var got map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&got) // 204s and lists decode to nil
	return got
}

// requestReviewAsPerson asks login to review pull request n outside orgctl.
func requestReviewAsPerson(t *testing.T, e *env, n int, login string) {
	t.Helper()
	asPerson(t, e, "POST", "/repos/acme/people/pulls/"+itoa(n)+"/requested_reviewers", map[string][]string{"reviewers": {login}}, http.StatusCreated)
}

func sortedReviewers(p githubfake.Pull) []string {
	r := slices.Clone(p.RequestedReviewers)
	slices.Sort(r)
	return r
}

// departCarol makes carol leave: ext, the external coach, becomes the
// proposed coach of erin.
func departCarol(e *env, org map[string]string) {
	org["carol.yaml"] = person("carol", "team: eng, level: senior, coach: ext, github: carol-gh, status: departed")
	e.push(org)
}

func TestProposeWithdrawsTheReviewRequestOfTheOldCandidate(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	e.fake.AddUser("ext-gh")  // a collaborator here, so it can be asked
	e.fake.AddUser("dana-gh") // a person asks dana for a review
	mustPropose(t, e, org)
	first := openPull(t, e, erinFP)
	requestReviewAsPerson(t, e, first.Number, "dana-gh")
	if got := sortedReviewers(openPull(t, e, erinFP)); !slices.Equal(got, []string{"boss-gh", "carol-gh", "dana-gh", "erin-gh"}) {
		t.Fatalf("reviewers before the change %v", got)
	}

	departCarol(e, org)
	rep := mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)
	if pr.Number != first.Number {
		t.Fatalf("a new pull request #%d replaced #%d; want an update in place", pr.Number, first.Number)
	}
	if got := sortedReviewers(pr); !slices.Equal(got, []string{"boss-gh", "dana-gh", "erin-gh", "ext-gh"}) {
		t.Errorf("reviewers %v, want boss-gh, erin-gh, dana-gh (added by a person, kept) and ext-gh (the new candidate), and no longer carol-gh", got)
	}
	var update *ghsync.Action
	for i, a := range rep.Actions {
		if a.Kind == ghsync.Update && a.Type == "pull" {
			update = &rep.Actions[i]
		}
	}
	if update == nil || !slices.Contains(update.Changes, "reviewers") || len(update.Warnings) != 0 {
		t.Errorf("actions %+v, want a pull update changing reviewers, without warnings", rep.Actions)
	}
	var deletes []string
	for _, r := range e.fake.Requests() {
		if r.Method == "DELETE" && strings.HasSuffix(r.Path, "/requested_reviewers") {
			deletes = append(deletes, r.Body)
		}
	}
	if len(deletes) != 1 || !strings.Contains(deletes[0], "carol-gh") || strings.Contains(deletes[0], "dana-gh") {
		t.Errorf("review requests withdrawn: %q, want carol-gh's only", deletes)
	}
	if !strings.Contains(pr.Body, "<!-- orgctl:reviewers=boss-gh,ext-gh,erin-gh -->") {
		t.Errorf("the reviewers marker does not say boss-gh, ext-gh and erin-gh only:\n%s", pr.Body)
	}
	zeroMutations(t, e, org)
	if got := sortedReviewers(openPull(t, e, erinFP)); !slices.Equal(got, []string{"boss-gh", "dana-gh", "erin-gh", "ext-gh"}) {
		t.Errorf("reviewers after another run %v", got)
	}
}

func TestProposeWithdrawalThatFailsIsAWarningAndIsRetried(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	e.fake.AddUser("ext-gh")
	mustPropose(t, e, org)
	departCarol(e, org)
	// More 502s than the transport retries.
	e.fake.ServerError("DELETE", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", 10, 502)
	rep := mustPropose(t, e, org) // fails the test if an action failed
	var warnings []string
	for _, a := range rep.Actions {
		warnings = append(warnings, a.Warnings...)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "carol-gh") || !strings.Contains(warnings[0], "withdraw") {
		t.Errorf("warnings %q, want one about carol-gh's review request", warnings)
	}
	pr := openPull(t, e, erinFP)
	if got := sortedReviewers(pr); !slices.Equal(got, []string{"boss-gh", "carol-gh", "erin-gh", "ext-gh"}) {
		t.Errorf("reviewers %v", got)
	}
	if !strings.Contains(pr.Body, "<!-- orgctl:reviewers=boss-gh,ext-gh,erin-gh,carol-gh -->") || !strings.Contains(pr.Title, "ext") {
		t.Errorf("the marker must still record carol-gh as asked, for the next run to withdraw it:\n%s", pr.Body)
	}
	for i := 0; e.fake.PendingFaults() > 0; i++ {
		if i == 5 {
			t.Fatalf("%d faults left after %d runs: the withdrawal is not retried", e.fake.PendingFaults(), i)
		}
		_, _ = e.propose(org, 10)
	}
	mustPropose(t, e, org)
	pr = openPull(t, e, erinFP)
	if got := sortedReviewers(pr); !slices.Equal(got, []string{"boss-gh", "erin-gh", "ext-gh"}) {
		t.Errorf("reviewers %v after the faults, want carol-gh withdrawn", got)
	}
	if !strings.Contains(pr.Body, "<!-- orgctl:reviewers=boss-gh,ext-gh,erin-gh -->") {
		t.Errorf("marker:\n%s", pr.Body)
	}
	zeroMutations(t, e, org)
}

// TestProposeDryRunShowsAWithdrawalAndSendsNothing: the marker says orgctl
// asked old-gh (say, for an earlier proposal), who is no longer a desired
// reviewer; withdrawing that request is the only reviewer change.
func TestProposeDryRunShowsAWithdrawalAndSendsNothing(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	e.fake.AddUser("old-gh")
	mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)
	requestReviewAsPerson(t, e, pr.Number, "old-gh")
	body := strings.Replace(pr.Body, "<!-- orgctl:reviewers=boss-gh,carol-gh,erin-gh -->", "<!-- orgctl:reviewers=boss-gh,carol-gh,erin-gh,old-gh -->", 1)
	if body == pr.Body {
		t.Fatalf("no reviewers marker to edit:\n%s", pr.Body)
	}
	editBodyAsPerson(t, e, pr.Number, body)

	e.dryRun = true
	before := e.fake.MutatingRequests()
	rep := mustPropose(t, e, org)
	var changes []string
	for _, a := range rep.Actions {
		if a.Kind == ghsync.Update && a.Type == "pull" {
			changes = a.Changes
		}
	}
	if !slices.Contains(changes, "reviewers") {
		t.Errorf("actions %+v, want a pull update changing reviewers", rep.Actions)
	}
	if n := e.fake.MutatingRequests() - before; n != 0 {
		t.Errorf("a dry run sent %d mutating requests", n)
	}
	if got := sortedReviewers(openPull(t, e, erinFP)); !slices.Equal(got, []string{"boss-gh", "carol-gh", "erin-gh", "old-gh"}) {
		t.Errorf("reviewers %v changed in a dry run", got)
	}

	e.dryRun = false
	mustPropose(t, e, org)
	if got := sortedReviewers(openPull(t, e, erinFP)); !slices.Equal(got, []string{"boss-gh", "carol-gh", "erin-gh"}) {
		t.Errorf("reviewers %v, want old-gh withdrawn", got)
	}
	zeroMutations(t, e, org)
}

// editBodyAsPerson rewrites the body of pull request n outside orgctl.
func editBodyAsPerson(t *testing.T, e *env, n int, body string) {
	t.Helper()
	asPerson(t, e, "PATCH", "/repos/acme/people/pulls/"+itoa(n), map[string]string{"body": body}, http.StatusOK)
}

func TestProposeRefusedReviewerIsReportedAndThePullRequestStands(t *testing.T) {
	org := proposeOrg()
	e := newEnv(t) // carol-gh is not a collaborator here
	e.fake.AddUser("erin-gh")
	e.push(org)
	rep := mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)
	if !slices.Equal(sortedReviewers(pr), []string{"boss-gh", "erin-gh"}) {
		t.Errorf("reviewers %v, want only boss-gh and erin-gh", pr.RequestedReviewers)
	}
	var warnings []string
	for _, a := range rep.Actions {
		warnings = append(warnings, a.Warnings...)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "carol-gh") || rep.Failed != 0 {
		t.Errorf("warnings %q, failed %d", warnings, rep.Failed)
	}
	if !slices.Contains(pr.Labels, "orgctl") {
		t.Errorf("labels %v: the run stopped at the refused reviewer", pr.Labels)
	}
	zeroMutations(t, e, org)
}

func TestProposeClosesAndDeletesTheBranchOnceTheYAMLIsFixed(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)

	org["people/erin.yaml"] += "  coach: carol\n"
	e.push(org)
	rep := mustPropose(t, e, org)
	var closed bool
	for _, a := range rep.Actions {
		closed = closed || a.Kind == ghsync.Close && a.Type == "pull" && a.Number == pr.Number
	}
	if !closed {
		t.Errorf("actions %+v: no close of #%d", rep.Actions, pr.Number)
	}
	for _, p := range e.fake.Pulls("acme", "people") {
		if p.Number == pr.Number && p.State != "closed" {
			t.Errorf("#%d is %s", pr.Number, p.State)
		}
	}
	if slices.Contains(e.fake.Branches("acme", "people"), erinBranch) {
		t.Errorf("branch %s was not deleted: %v", erinBranch, e.fake.Branches("acme", "people"))
	}
	comments := e.fake.Comments("acme", "people", pr.Number)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "Resolved by abc1234") {
		t.Errorf("comments %+v", comments)
	}
	zeroMutations(t, e, org)
}

func TestProposeNeverReproposesWhatAPersonClosed(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	mustPropose(t, e, org)
	pr := openPull(t, e, erinFP)
	e.fake.CloseIssue("acme", "people", pr.Number, "boss-gh", "")

	before := e.fake.MutatingRequests()
	rep := mustPropose(t, e, org)
	if n := e.fake.MutatingRequests() - before; n != 0 || len(rep.Actions) != 0 {
		t.Errorf("%d mutating requests, actions %+v", n, rep.Actions)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Number != pr.Number || !strings.Contains(rep.Skipped[0].Why, "does not propose it again") {
		t.Errorf("skipped %+v", rep.Skipped)
	}
	if got := pullsFor(e, erinFP); len(got) != 1 || got[0].State != "closed" {
		t.Errorf("pull requests %+v", got)
	}
}

func TestProposeDryRunSendsNothingButShowsTheProposal(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	e.dryRun = true
	rep := mustPropose(t, e, org)
	var create bool
	for _, a := range rep.Actions {
		create = create || a.Kind == ghsync.Create && a.Type == "pull" && a.Branch == erinBranch
	}
	if !create || !rep.DryRun {
		t.Errorf("the dry run does not show the proposal: %+v", rep.Actions)
	}
	if n := e.fake.MutatingRequests(); n != 0 {
		t.Errorf("a dry run sent %d mutating requests", n)
	}
}

func TestProposeOpensAtMostMaxProposalsNewPullRequests(t *testing.T) {
	org := proposeOrg()
	for _, n := range []string{"fay", "gus"} {
		org[n+".yaml"] = person(n, "team: eng, level: mid")
	}
	e := newProposeEnv(t, org)
	rep, err := e.propose(org, 2)
	if err != nil {
		t.Fatal(err)
	}
	var opened []string
	for _, p := range e.fake.Pulls("acme", "people") {
		opened = append(opened, ghsync.FingerprintOf(p.Body))
	}
	if !slices.Equal(opened, []string{"missing-coach/erin", "missing-coach/fay"}) {
		t.Errorf("opened %v, want the first two by fingerprint", opened)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Fingerprint != "missing-coach/gus" || !strings.Contains(rep.Skipped[0].Why, "--max-proposals") {
		t.Errorf("skipped %+v", rep.Skipped)
	}
	if _, err := e.propose(org, 2); err != nil {
		t.Fatal(err)
	}
	if got := len(e.fake.Pulls("acme", "people")); got != 3 {
		t.Errorf("%d pull requests after the second run, want 3", got)
	}
}

func TestProposeConvergesAfterFaults(t *testing.T) {
	tests := []struct {
		name   string
		inject func(f *githubfake.Server)
	}{
		{"the pull request's answer is lost after it was opened", func(f *githubfake.Server) { f.DropAfterWrite("POST", "/repos/{owner}/{repo}/pulls", 1) }},
		{"the branch's answer is lost after it was created", func(f *githubfake.Server) { f.DropAfterWrite("POST", "/repos/{owner}/{repo}/git/refs", 1) }},
		{"the commit's answer is lost after it was made", func(f *githubfake.Server) { f.DropAfterWrite("PUT", "/repos/{owner}/{repo}/contents/{path}", 1) }},
		{"the commit is answered 502 after it was made", func(f *githubfake.Server) { f.ServerError("PUT", "/repos/{owner}/{repo}/contents/{path}", 1, 502) }},
		{"opening the pull request fails with 500", func(f *githubfake.Server) { f.ServerError("POST", "/repos/{owner}/{repo}/pulls", 1, 500) }},
		{"a review request's answer is lost", func(f *githubfake.Server) {
			f.DropAfterWrite("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", 1)
		}},
		// The run is cut short: labelling keeps failing, so the pull request
		// stays unlabelled (invisible to the label listing) until the next run.
		{"the run is cut short before the pull request is labelled", func(f *githubfake.Server) {
			f.ServerError("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", 20, 503)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := proposeOrg()
			e := newProposeEnv(t, org)
			tt.inject(e.fake)
			_, _ = e.propose(org, 10)
			for e.fake.PendingFaults() > 0 {
				_, _ = e.propose(org, 10)
			}
			mustPropose(t, e, org)
			pr := openPull(t, e, erinFP)
			if len(e.fake.Pulls("acme", "people")) != 1 {
				t.Errorf("duplicate pull requests: %+v", e.fake.Pulls("acme", "people"))
			}
			if !slices.Contains(pr.Labels, "orgctl/missing-coach") || len(pr.RequestedReviewers) != 3 {
				t.Errorf("labels %v reviewers %v", pr.Labels, pr.RequestedReviewers)
			}
			if commits, changed, _, _ := pullStats(t, e, pr.Number); commits != 1 || changed != 1 {
				t.Errorf("%d commits, %d files", commits, changed)
			}
			zeroMutations(t, e, org)
		})
	}
}

func TestProposeConvergesWhenAClosingIsInterrupted(t *testing.T) {
	tests := []struct {
		name string
		// cutShort: the faulty run must fail (the next one finishes).
		cutShort bool
		inject   func(f *githubfake.Server)
	}{
		// Deleting the branch keeps failing: the run stops after the marker
		// was rewritten, with the pull request still open.
		{"deleting the branch keeps failing", true, func(f *githubfake.Server) { f.ServerError("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}", 5, 502) }},
		{"the branch deletion's answer is lost", false, func(f *githubfake.Server) { f.DropAfterWrite("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}", 1) }},
		{"the closing comment's answer is lost", false, func(f *githubfake.Server) {
			f.DropAfterWrite("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 1)
		}},
		{"rewriting the marker keeps failing", true, func(f *githubfake.Server) {
			f.ServerError("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", 5, 502)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := proposeOrg()
			e := newProposeEnv(t, org)
			mustPropose(t, e, org)
			pr := openPull(t, e, erinFP)
			org["people/erin.yaml"] += "  coach: carol\n"
			e.push(org)
			tt.inject(e.fake)
			rep, err := e.propose(org, 10)
			if err != nil {
				t.Fatal(err)
			}
			if cut := rep.Failed > 0; cut != tt.cutShort {
				t.Fatalf("failed %d, want cut short %v: %+v", rep.Failed, tt.cutShort, rep.Actions)
			}
			if n := e.fake.PendingFaults(); n != 0 {
				t.Fatalf("%d faults never triggered", n)
			}
			if tt.cutShort {
				mustPropose(t, e, org)
			}
			if slices.Contains(e.fake.Branches("acme", "people"), erinBranch) {
				t.Errorf("branch %s survived", erinBranch)
			}
			for _, p := range e.fake.Pulls("acme", "people") {
				if p.Number == pr.Number && p.State != "closed" {
					t.Errorf("#%d is still %s", p.Number, p.State)
				}
			}
			if n := len(e.fake.Comments("acme", "people", pr.Number)); n != 1 {
				t.Errorf("%d comments, want one", n)
			}
			zeroMutations(t, e, org)
		})
	}
}

func TestProposeAgainWhenTheFindingReturnsAfterAMerge(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	e.fake.AddBranch("acme", "people", erinBranch, "")
	e.fake.AddFile("acme", "people", erinBranch, "people/erin.yaml", org["people/erin.yaml"]+"  coach: carol\n")
	merged := e.fake.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{
		Title: "Propose carol as erin's coach", State: "closed", Labels: []string{"orgctl"},
		Body: "<!-- orgctl:fingerprint=missing-coach/erin -->\nmerged long ago",
	}, Head: erinBranch, Merged: true})
	rep := mustPropose(t, e, org)
	if len(rep.Skipped) != 0 {
		t.Errorf("skipped %+v: a merged proposal is not a refusal", rep.Skipped)
	}
	pr := openPull(t, e, erinFP)
	if pr.Number == merged {
		t.Errorf("the merged pull request was reopened")
	}
	if commits, _, _, _ := pullStats(t, e, pr.Number); commits != 1 {
		t.Errorf("%d commits: the old branch was not put back on main", commits)
	}
	zeroMutations(t, e, org)
}

func TestProposeClosesAnUnlabelledProposalACutShortRunLeft(t *testing.T) {
	org := proposeOrg()
	e := newProposeEnv(t, org)
	// Labelling keeps failing: the pull request is open but unlabelled,
	// so listing by label does not see it.
	e.fake.ServerError("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", 5, 503)
	if rep, _ := e.propose(org, 10); rep.Failed == 0 {
		t.Fatalf("the cut-short run did not fail: %+v", rep)
	}
	pr := openPull(t, e, erinFP)
	if len(pr.Labels) != 0 {
		t.Fatalf("labels %v: the fault did not bite", pr.Labels)
	}
	org["people/erin.yaml"] += "  coach: carol\n"
	e.push(org)
	mustPropose(t, e, org)
	if got := pullsFor(e, erinFP); len(got) != 0 {
		// The closing rewrote the marker: no live proposal is left.
		t.Errorf("pull requests still carrying the live marker: %+v", got)
	}
	if slices.Contains(e.fake.Branches("acme", "people"), erinBranch) {
		t.Errorf("branch %s survived", erinBranch)
	}
	zeroMutations(t, e, org)
}
