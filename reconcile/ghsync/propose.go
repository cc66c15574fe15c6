package ghsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/reconcile/render"
)

// Proposal pull requests (apply --propose). Each desired proposal is one
// pull request from branch orgctl/<fingerprint with / as -> into the default
// branch, holding one commit on top of the default branch's head that makes
// the suggest --write edit to one file. The reconciler is level-based like
// the issue side: observe, compare, act only where they differ.
//
// The states a pull request goes through, and how an interrupted run
// converges from each:
//
//   - created: branch created (or, when an interrupted run left it, forced
//     back to the default branch's head), file committed through the
//     contents API, pull request opened (or, when one is already open for
//     the branch, adopted), reviewers requested, then labels and the final
//     body written in one issues PATCH. A run cut short before the label
//     leaves a pull request the next run does not list by label; it takes
//     the create path again, which adopts it instead of opening another.
//   - live: the body carries <!-- orgctl:fingerprint=FP -->. Updated in
//     place when the title, body, labels, reviewers or the file on the
//     branch differ from the desired state.
//   - closing: when the org no longer needs it, orgctl comments, rewrites the
//     marker to <!-- orgctl:resolved-fingerprint=FP --> (still open), deletes
//     the branch (GitHub closes the pull request) and closes it if GitHub
//     did not. An open pull request with the resolved marker is a closing
//     that was cut short, and is finished.
//   - closed by a person without merging, marker still live: orgctl leaves
//     it alone and never proposes that fingerprint again.

// markResolved rewrites the live marker of a proposal's body into the
// resolved one (marker.Resolved), which the next run reads back.
func markResolved(body, fp string) string {
	return strings.Replace(body, marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: fp}),
		marker.Write(marker.Marker{Kind: marker.Resolved, Fingerprint: fp}), 1)
}

// Skip is a proposal orgctl deliberately does not act on this run.
type Skip struct {
	Type        string `json:"type"`
	Fingerprint string `json:"fingerprint"`
	Number      int    `json:"number,omitempty"`
	Why         string `json:"why"`
}

// ProposalOptions configure PlanProposals.
type ProposalOptions struct {
	// PathPrefix is the org root's path inside the repository: "" when the
	// org is the repository's top level, else a path ending in "/".
	PathPrefix string
	// MaxProposals caps how many new proposal pull requests one run opens
	// (in fingerprint order); the others wait for a later run. 0 opens none.
	MaxProposals int
}

// proposalWant is the desired state of one proposal pull request, with
// what the default branch holds now.
type proposalWant struct {
	desired match.DesiredProposal
	path    string // the file's path in the repository
	base    string // default branch
	baseSHA string // its head commit
	blobSHA string // the file's blob at baseSHA
	content string // the file as the branch should hold it
	reviews render.Reviews
	// unask are the logins orgctl asked for a review (per the body's
	// reviewers marker) that are no longer desired reviewers: their
	// requests are withdrawn. Reviewers a person added are never in it.
	unask []string
	body  string
}

func (w *proposalWant) render() {
	// The marker lists the reviewers in the desired order (the ones still
	// to withdraw last), whatever order they were asked in, so that the
	// next run renders the same body.
	rank := func(l string) int {
		for i, d := range w.desired.Reviewers {
			if strings.EqualFold(d, l) {
				return i
			}
		}
		return len(w.desired.Reviewers)
	}
	sort.SliceStable(w.reviews.Asked, func(i, j int) bool { return rank(w.reviews.Asked[i]) < rank(w.reviews.Asked[j]) })
	w.body = render.ProposalBody(w.desired, w.path, w.reviews)
}

// toAsk are the desired reviewers not asked for yet.
func (w *proposalWant) toAsk() []string {
	var out []string
	for _, l := range w.desired.Reviewers {
		if !containsFold(w.reviews.Asked, l) && !containsFold(w.reviews.Refused, l) {
			out = append(out, l)
		}
	}
	return out
}

// baseBranch is the default branch and its head commit.
type baseBranch struct{ name, sha string }

func (c *Client) defaultBranch(ctx context.Context) (baseBranch, error) {
	r, _, err := c.gh.Repositories.Get(ctx, c.owner, c.repo)
	if err != nil {
		return baseBranch{}, fmt.Errorf("reading %s: %w", c.Repo(), explain(err))
	}
	name := r.GetDefaultBranch()
	ref, _, err := c.gh.Git.GetRef(ctx, c.owner, c.repo, "heads/"+name)
	if err != nil {
		return baseBranch{}, fmt.Errorf("reading the head of %s in %s: %w", name, c.Repo(), explain(err))
	}
	if name == "" || ref.GetObject().GetSHA() == "" {
		return baseBranch{}, fmt.Errorf("reading the default branch of %s: GitHub's answer lacks its name or head commit: run again later", c.Repo())
	}
	return baseBranch{name: name, sha: ref.GetObject().GetSHA()}, nil
}

// fileAt reads a file at a ref: its content and blob sha.
func (c *Client) fileAt(ctx context.Context, path, ref string) (string, string, error) {
	f, _, _, err := c.gh.Repositories.GetContents(ctx, c.owner, c.repo, path, &gh.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		return "", "", explain(err)
	}
	if f == nil {
		return "", "", fmt.Errorf("%s is a directory in %s", path, c.Repo())
	}
	content, err := f.GetContent()
	if err != nil {
		return "", "", fmt.Errorf("decoding %s: %w", path, err)
	}
	return content, f.GetSHA(), nil
}

// want reads the person's file at the default branch's head and makes the
// edit.
func (c *Client) want(ctx context.Context, d match.DesiredProposal, base baseBranch, opts ProposalOptions) (*proposalWant, error) {
	w := &proposalWant{desired: d, path: opts.PathPrefix + d.File, base: base.name, baseSHA: base.sha}
	content, blob, err := c.fileAt(ctx, w.path, base.sha)
	if err != nil {
		return nil, fmt.Errorf("reading %s at %s in %s: %w (is the org pushed, and is the path inside the repository right?)", w.path, base.name, c.Repo(), err)
	}
	edited, err := match.EditForSuggestion([]byte(content), d.Doc, d.Suggestion)
	if err != nil {
		return nil, fmt.Errorf("editing %s as it is on %s: %w", w.path, base.name, err)
	}
	if string(edited) == content {
		return nil, fmt.Errorf("%s on %s already has this change: the org checked here differs from %s; run apply on a checkout of %s", w.path, base.name, base.name, base.name)
	}
	w.blobSHA, w.content = blob, string(edited)
	return w, nil
}

// observedReviews reads what the pull request's body says orgctl asked,
// keeping only the reviewers still desired, and returns apart the logins
// orgctl asked that are no longer desired (a previous candidate), whose
// review requests are to be withdrawn.
func observedReviews(body string, desired []string) (r render.Reviews, unask []string) {
	got, _ := marker.Parse(body, marker.Reviewers)
	for _, l := range desired {
		switch {
		case containsFold(got.Asked, l):
			r.Asked = append(r.Asked, l)
		case containsFold(got.Refused, l):
			r.Refused = append(r.Refused, l)
		}
	}
	for _, l := range got.Asked {
		if !containsFold(desired, l) && !containsFold(unask, l) {
			unask = append(unask, l)
		}
	}
	return r, unask
}

// PlanProposals compares the desired proposals with orgctl's own pull
// requests (Observation.Objects, observed with ObserveOptions.Proposals)
// and returns the actions that make GitHub match, and the proposals
// deliberately left alone. It only reads: the files on the default branch
// and on the proposal branches. An action that could not be planned
// carries its Error and is counted as failed.
func (c *Client) PlanProposals(ctx context.Context, desired []match.DesiredProposal, observed []Object, opts ProposalOptions) ([]Action, []Skip, error) {
	byFP := map[string]*proposalGroup{}
	get := func(fp string) *proposalGroup {
		if byFP[fp] == nil {
			byFP[fp] = &proposalGroup{}
		}
		return byFP[fp]
	}
	sorted := append([]Object(nil), observed...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Number < sorted[j].Number })
	for _, o := range sorted {
		if !o.IsPull {
			continue
		}
		switch {
		case o.Fingerprint != "" && o.State == "open":
			get(o.Fingerprint).open = append(get(o.Fingerprint).open, o)
		case o.Fingerprint != "":
			get(o.Fingerprint).closed = append(get(o.Fingerprint).closed, o)
		case o.State == "open":
			if m, ok := marker.Parse(o.Body, marker.Resolved); ok {
				fp := m.Fingerprint
				get(fp).closing = append(get(fp).closing, o)
			}
		}
	}
	if len(desired) == 0 {
		return closeUndesired(byFP, nil), nil, nil
	}
	base, err := c.defaultBranch(ctx)
	if err != nil {
		return nil, nil, err
	}
	var actions []Action
	var skips []Skip
	wanted := map[string]bool{}
	created := 0
	for _, d := range desired {
		wanted[d.Fingerprint] = true
		g := get(d.Fingerprint)
		a := Action{Type: "pull", Fingerprint: d.Fingerprint, Title: d.Title, Branch: d.Branch}
		if len(g.open) == 0 {
			if human := humanClosed(g.closed); human != nil {
				skips = append(skips, Skip{Type: "pull", Fingerprint: d.Fingerprint, Number: human.Number,
					Why: fmt.Sprintf("closed without merging, so orgctl does not propose it again (set a coach in the YAML by hand, or add an exemption for %s)", d.Rule)})
				continue
			}
			if created >= opts.MaxProposals {
				skips = append(skips, Skip{Type: "pull", Fingerprint: d.Fingerprint,
					Why: fmt.Sprintf("waits for a later run (--max-proposals %d)", opts.MaxProposals)})
				continue
			}
			created++
			a.Kind = Create
			w, err := c.want(ctx, d, base, opts)
			if err != nil {
				a.Error = err.Error()
			} else {
				w.render()
				a.proposal = w
			}
			actions = append(actions, a)
			continue
		}
		keep := g.open[0]
		a.Number, a.observe = keep.Number, keep
		// The pairing starts on the day the proposal was opened, if that
		// is earlier: its date does not move every day.
		if opened := keep.Created.UTC().Format(time.DateOnly); !keep.Created.IsZero() && d.Suggestion.Since != "" && opened < d.Suggestion.Since {
			d.Suggestion.Since = opened
		}
		w, err := c.want(ctx, d, base, opts)
		if err != nil {
			a.Kind, a.Error = Update, err.Error()
			actions = append(actions, a)
			continue
		}
		w.reviews, w.unask = observedReviews(keep.Body, d.Reviewers)
		w.render()
		a.proposal = w
		var ch []string
		got, _, err := c.fileAt(ctx, w.path, d.Branch)
		switch {
		case err != nil && StatusOf(err) != http.StatusNotFound:
			a.Kind, a.Error = Update, fmt.Sprintf("reading %s on %s: %v", w.path, d.Branch, err)
			actions = append(actions, a)
			continue
		case err != nil || got != w.content:
			ch = append(ch, "content")
		}
		ch = append(ch, differences(Want{Title: d.Title, Body: w.body, Labels: d.Labels}, keep)...)
		if len(w.toAsk()) > 0 || len(w.unask) > 0 {
			ch = append(ch, "reviewers")
		}
		if len(ch) > 0 {
			a.Kind, a.Changes = Update, ch
			actions = append(actions, a)
		}
		for _, dup := range g.open[1:] {
			actions = append(actions, Action{Kind: Duplicate, Type: "pull", Fingerprint: d.Fingerprint, Number: dup.Number, Title: dup.Title, KeepNumber: keep.Number, observe: dup})
		}
	}
	actions = append(actions, closeUndesired(byFP, wanted)...)
	sortActions(actions)
	return actions, skips, nil
}

// unlabelledProposals lists the open pull requests from orgctl/ branches
// that carry a fingerprint marker but not the label (a run cut short
// between opening one and labelling it), so that they are adopted rather
// than left open for ever; whoever opened them (the caller keeps orgctl's
// own). observed are the labelled objects, already known.
func (c *Client) unlabelledProposals(ctx context.Context, observed []Object) ([]Object, error) {
	seen := map[int]bool{}
	for _, o := range observed {
		seen[o.Number] = true
	}
	opts := &gh.PullRequestListOptions{State: "open", Sort: "created", Direction: "asc", ListOptions: gh.ListOptions{PerPage: 100}}
	prs, err := listAll("open pull requests in "+c.Repo(), &opts.ListOptions, func() ([]*gh.PullRequest, *gh.Response, error) {
		return c.gh.PullRequests.List(ctx, c.owner, c.repo, opts)
	})
	if err != nil {
		return nil, err
	}
	var out []Object
	for _, pr := range prs {
		fp := FingerprintOf(pr.GetBody())
		if pr.GetNumber() <= 0 || seen[pr.GetNumber()] || fp == "" || !strings.HasPrefix(pr.GetHead().GetRef(), match.ProposalBranchPrefix) {
			continue
		}
		o := Object{Number: pr.GetNumber(), Title: pr.GetTitle(), Body: pr.GetBody(), State: pr.GetState(), IsPull: true,
			Created: pr.GetCreatedAt().Time, Author: pr.GetUser().GetLogin(), Fingerprint: fp}
		for _, l := range pr.Labels {
			if l.GetName() != "" {
				o.Labels = append(o.Labels, l.GetName())
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// humanClosed is the newest pull request closed without being merged, or
// nil. Merged ones do not count: the finding came back after the fix.
func humanClosed(closed []Object) *Object {
	for i := len(closed) - 1; i >= 0; i-- {
		if !closed[i].Merged {
			return &closed[i]
		}
	}
	return nil
}

// proposalGroup is what GitHub has for one fingerprint: open pull
// requests with the live marker, closed ones with it, and open ones whose
// closing was cut short.
type proposalGroup struct{ open, closed, closing []Object }

// closeUndesired closes the open proposals the org no longer needs, and
// finishes the closings an interrupted run left.
func closeUndesired(byFP map[string]*proposalGroup, wanted map[string]bool) []Action {
	var out []Action
	for fp, g := range byFP {
		if !wanted[fp] {
			for _, o := range g.open {
				out = append(out, Action{Kind: Close, Type: "pull", Fingerprint: fp, Number: o.Number, Title: o.Title, Branch: match.ProposalBranch(fp), observe: o})
			}
		}
		for _, o := range g.closing {
			out = append(out, Action{Kind: Close, Type: "pull", Fingerprint: fp, Number: o.Number, Title: o.Title, Branch: match.ProposalBranch(fp), Changes: []string{"finish"}, observe: o})
		}
	}
	sortActions(out)
	return out
}

// sortActions orders actions by kind, then fingerprint and number.
func sortActions(out []Action) {
	order := map[string]int{Create: 0, Reopen: 1, Update: 2, Duplicate: 3, Close: 4}
	sort.SliceStable(out, func(i, j int) bool {
		if order[out[i].Kind] != order[out[j].Kind] {
			return order[out[i].Kind] < order[out[j].Kind]
		}
		if out[i].Fingerprint != out[j].Fingerprint {
			return out[i].Fingerprint < out[j].Fingerprint
		}
		return out[i].Number < out[j].Number
	})
}

// executeProposal carries out one pull-request action.
func (c *Client) executeProposal(ctx context.Context, a *Action, opts ApplyOptions) error {
	if a.Error != "" {
		return errors.New(a.Error)
	}
	switch a.Kind {
	case Create:
		return c.createProposal(ctx, a)
	case Update:
		return c.updateProposal(ctx, a)
	case Close:
		return c.closeProposal(ctx, a, opts)
	case Duplicate:
		err := c.commentOnce(ctx, a.Number, fmt.Sprintf("Duplicate of #%d: orgctl keeps one pull request per proposal.", a.KeepNumber))
		state := "closed"
		body := markDuplicate(a.observe.Body, a.Fingerprint, a.KeepNumber)
		_, cerr := c.EditIssue(ctx, a.Number, &gh.IssueRequest{State: &state, Body: &body})
		return errors.Join(err, cerr)
	}
	return fmt.Errorf("unknown action %q", a.Kind)
}

// createProposal pushes the branch, opens (or adopts) the pull request,
// asks for reviews, then labels it and writes the final body.
func (c *Client) createProposal(ctx context.Context, a *Action) error {
	w := a.proposal
	if err := c.refuseForeignPull(ctx, w.desired.Branch); err != nil {
		return err
	}
	if err := c.pushProposal(ctx, w, false); err != nil {
		return err
	}
	n, err := c.openPull(ctx, w)
	if err != nil {
		return err
	}
	a.Number = n
	return c.finishPull(ctx, a)
}

// updateProposal brings an open proposal in line: the branch is forced
// back onto the default branch's head with a fresh commit when the file
// differs, then reviewers, title, body and labels.
func (c *Client) updateProposal(ctx context.Context, a *Action) error {
	w := a.proposal
	for _, ch := range a.Changes {
		if ch == "content" {
			if err := c.pushProposal(ctx, w, true); err != nil {
				return err
			}
			break
		}
	}
	for _, ch := range a.Changes {
		if ch != "content" {
			return c.finishPull(ctx, a)
		}
	}
	return nil
}

// refuseForeignPull refuses to push to branch while a pull request someone
// else opened from it is open: forcing the branch would change that pull
// request.
func (c *Client) refuseForeignPull(ctx context.Context, branch string) error {
	me, err := c.Identity(ctx)
	if err != nil {
		return err
	}
	prs, _, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, &gh.PullRequestListOptions{
		State: "open", Head: c.owner + ":" + branch, ListOptions: gh.ListOptions{PerPage: 100},
	})
	if err != nil {
		return fmt.Errorf("listing the pull requests from %s: %w", branch, explain(err))
	}
	for _, pr := range prs {
		if login := pr.GetUser().GetLogin(); pr.GetNumber() > 0 && !isMine(login, me) {
			return fmt.Errorf("pull request #%d, opened by %s, not by orgctl (%s), is open from branch %s: orgctl leaves it and its branch alone; close it (or rename its branch) so that orgctl can propose", pr.GetNumber(), login, me, branch)
		}
	}
	return nil
}

// pushProposal points the branch at the default branch's head and commits
// the edited file on it through the contents API.
func (c *Client) pushProposal(ctx context.Context, w *proposalWant, exists bool) error {
	branch := w.desired.Branch
	if err := c.pointBranch(ctx, branch, w.baseSHA, exists); err != nil {
		return fmt.Errorf("pointing branch %s at %s: %w", branch, w.base, err)
	}
	msg := w.desired.Title + "\n\nProposed by orgctl apply --propose (" + w.desired.Fingerprint + ")."
	_, _, err := c.gh.Repositories.UpdateFile(ctx, c.owner, c.repo, w.path, &gh.RepositoryContentFileOptions{
		Message: &msg, Content: []byte(w.content), SHA: &w.blobSHA, Branch: &branch,
	})
	if err == nil {
		return nil
	}
	err = explain(err)
	if errors.Is(err, ErrDryRun) {
		return err
	}
	// A lost answer, or a retry that met its own write (a stale sha): the
	// branch tells whether the commit is there.
	if got, _, gerr := c.fileAt(ctx, w.path, branch); gerr == nil && got == w.content {
		return nil
	}
	return fmt.Errorf("committing %s to %s: %w", w.path, branch, err)
}

// pointBranch makes branch point at sha, creating it or forcing it, and
// switching between the two when GitHub says the branch does (not) exist
// or an answer is lost.
func (c *Client) pointBranch(ctx context.Context, branch, sha string, exists bool) error {
	ref := "refs/heads/" + branch
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		r := &gh.Reference{Ref: &ref, Object: &gh.GitObject{SHA: &sha}}
		if exists {
			_, _, err = c.gh.Git.UpdateRef(ctx, c.owner, c.repo, r, true)
		} else {
			_, _, err = c.gh.Git.CreateRef(ctx, c.owner, c.repo, r)
		}
		err = explain(err)
		if err == nil || errors.Is(err, ErrDryRun) {
			return err
		}
		if StatusOf(err) != http.StatusUnprocessableEntity && !isWriteLost(err) {
			return err
		}
		exists = !exists
	}
	return err
}

// openPull opens the pull request, or adopts the one orgctl already opened
// for the branch (left by an interrupted run, or opened before its answer
// was lost): one branch never gets two. A pull request someone else opened
// from the branch is never adopted.
func (c *Client) openPull(ctx context.Context, w *proposalWant) (int, error) {
	head := w.desired.Branch
	create := func() (int, error) {
		pr, _, err := c.gh.PullRequests.Create(ctx, c.owner, c.repo, &gh.NewPullRequest{
			Title: &w.desired.Title, Head: &head, Base: &w.base, Body: &w.body,
		})
		if err != nil {
			return 0, explain(err)
		}
		return pr.GetNumber(), c.checkAuthor(ctx, fmt.Sprintf("pull request #%d", pr.GetNumber()), pr.GetUser().GetLogin())
	}
	n, err := create()
	if err == nil || errors.Is(err, ErrDryRun) || (StatusOf(err) != http.StatusUnprocessableEntity && !isWriteLost(err)) {
		return n, err
	}
	prs, _, lerr := c.gh.PullRequests.List(ctx, c.owner, c.repo, &gh.PullRequestListOptions{
		State: "open", Head: c.owner + ":" + head, ListOptions: gh.ListOptions{PerPage: 100},
	})
	if lerr != nil {
		return 0, errors.Join(fmt.Errorf("opening the pull request for %s: %w", head, err), explain(lerr))
	}
	me, ierr := c.Identity(ctx)
	if ierr != nil {
		return 0, errors.Join(err, ierr)
	}
	for _, pr := range prs {
		if pr.GetNumber() > 0 && isMine(pr.GetUser().GetLogin(), me) {
			return pr.GetNumber(), nil
		}
	}
	if len(prs) > 0 {
		return 0, fmt.Errorf("pull request #%d, opened by %s, not by orgctl (%s), is open for branch %s: orgctl leaves it alone and cannot open its own; close it, or delete the branch", prs[0].GetNumber(), prs[0].GetUser().GetLogin(), me, head)
	}
	if isWriteLost(err) {
		return create()
	}
	return 0, fmt.Errorf("opening the pull request for %s: %w", head, err)
}

// finishPull asks for the reviews not asked yet, withdraws the requests
// orgctl made of people no longer proposed, then writes title, body and
// labels in one issues PATCH. A reviewer GitHub refuses is dropped, said in
// the body and reported; the pull request stands.
func (c *Client) finishPull(ctx context.Context, a *Action) error {
	w := a.proposal
	for _, login := range w.toAsk() {
		req := gh.ReviewersRequest{Reviewers: []string{login}}
		_, _, err := c.gh.PullRequests.RequestReviewers(ctx, c.owner, c.repo, a.Number, req)
		err = explain(err)
		if err != nil && isWriteLost(err) && !errors.Is(err, ErrDryRun) {
			// Asking twice for the same reviewer changes nothing.
			_, _, err = c.gh.PullRequests.RequestReviewers(ctx, c.owner, c.repo, a.Number, req)
			err = explain(err)
		}
		switch {
		case err == nil:
			w.reviews.Asked = append(w.reviews.Asked, login)
		case StatusOf(err) == http.StatusUnprocessableEntity:
			w.reviews.Refused = append(w.reviews.Refused, login)
			a.Warnings = append(a.Warnings, fmt.Sprintf("GitHub refused %s as a reviewer, so the review was not requested: %v", login, err))
		default:
			return fmt.Errorf("requesting a review from %s: %w", login, err)
		}
	}
	if err := c.unaskReviewers(ctx, a); err != nil {
		return err
	}
	w.render()
	labels := union(a.observe.Labels, w.desired.Labels)
	_, err := c.EditIssue(ctx, a.Number, &gh.IssueRequest{Title: &w.desired.Title, Body: &w.body, Labels: &labels})
	if err != nil {
		return fmt.Errorf("labelling and describing #%d: %w", a.Number, err)
	}
	return nil
}

// unaskReviewers withdraws the review requests orgctl made of people no
// longer proposed (w.unask), one login at a time. Only logins the reviewers
// marker records as asked by orgctl are ever in w.unask, so a reviewer a
// person added stays. GitHub answers 200 when the login is not requested
// (any more), so repeating is safe. A request that cannot be withdrawn is a
// warning, not a failure: the login stays in the marker as asked, so the
// next run tries again.
func (c *Client) unaskReviewers(ctx context.Context, a *Action) error {
	w := a.proposal
	for _, login := range w.unask {
		req := gh.ReviewersRequest{Reviewers: []string{login}}
		_, err := c.gh.PullRequests.RemoveReviewers(ctx, c.owner, c.repo, a.Number, req)
		err = explain(err)
		if err != nil && isWriteLost(err) && !errors.Is(err, ErrDryRun) {
			_, err = c.gh.PullRequests.RemoveReviewers(ctx, c.owner, c.repo, a.Number, req)
			err = explain(err)
		}
		switch {
		case err == nil:
		case errors.Is(err, ErrDryRun):
			return fmt.Errorf("withdrawing the review request of %s: %w", login, err)
		default:
			w.reviews.Asked = append(w.reviews.Asked, login)
			a.Warnings = append(a.Warnings, fmt.Sprintf("could not withdraw the review request of %s, who is no longer proposed (the next run tries again): %v", login, err))
		}
	}
	w.unask = nil
	return nil
}

// closeProposal comments, marks the pull request as closing, deletes its
// branch (GitHub then closes it) and closes it if it is still open. Each
// step is safe to repeat, so a cut-short run is finished by the next.
func (c *Client) closeProposal(ctx context.Context, a *Action, opts ApplyOptions) error {
	if a.observe.Fingerprint != "" {
		if err := c.commentIfLast(ctx, a.Number, proposalResolvedComment(opts.Commit, a.Branch)); err != nil {
			return err
		}
		body := markResolved(a.observe.Body, a.Fingerprint)
		if _, err := c.EditIssue(ctx, a.Number, &gh.IssueRequest{Body: &body}); err != nil {
			return fmt.Errorf("marking #%d as resolved: %w", a.Number, err)
		}
	}
	_, err := c.gh.Git.DeleteRef(ctx, c.owner, c.repo, "heads/"+a.Branch)
	if err = explain(err); err != nil && StatusOf(err) != http.StatusUnprocessableEntity && StatusOf(err) != http.StatusNotFound {
		return fmt.Errorf("deleting branch %s: %w", a.Branch, err)
	}
	pr, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, a.Number)
	if err != nil {
		return fmt.Errorf("reading #%d: %w", a.Number, explain(err))
	}
	if pr.GetState() == "open" {
		state := "closed"
		if _, _, err := c.gh.PullRequests.Edit(ctx, c.owner, c.repo, a.Number, &gh.PullRequest{State: &state}); err != nil {
			return fmt.Errorf("closing #%d: %w", a.Number, explain(err))
		}
	}
	return nil
}

// commentIfLast posts body unless it is already the last of orgctl's own
// comments.
func (c *Client) commentIfLast(ctx context.Context, number int, body string) error {
	comments, err := c.ListComments(ctx, number)
	if err == nil {
		comments, err = c.ownComments(ctx, comments)
	}
	if err != nil {
		return err
	}
	if n := len(comments); n > 0 && normalize(comments[n-1].Body) == normalize(body) {
		return nil
	}
	return c.commentOnce(ctx, number, body)
}

func proposalResolvedComment(commit, branch string) string {
	if commit == "" {
		commit = "the current org"
	}
	return fmt.Sprintf("Resolved by %s: the org no longer needs this proposal (the person has a coach, has left, or the finding is gone), so orgctl closes it and deletes branch %s.",
		render.EscapeMarkdown(commit), render.CodeSpan(branch))
}
