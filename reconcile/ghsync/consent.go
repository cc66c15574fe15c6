package ghsync

import (
	"context"
	"fmt"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
	"github.com/orgctl/orgctl/reconcile/render"
)

// Consent judges whether the people a proposal pull request pairs have
// agreed to it (orgctl consent): for every pair in the pull request's pairs
// marker, both the coach and the coachee must have, as their latest
// state-changing review (an approval, a request for changes, or one of
// those dismissed), an approval of the pull request's current head commit.
// Comments change nothing; reviews by anyone else do not count. Only a pull
// request orgctl's identity opened is judged: anyone can write a pairs
// marker into their own pull request's body.
func (c *Client) Consent(ctx context.Context, number int) (render.ConsentReport, error) {
	me, err := c.Identity(ctx)
	if err != nil {
		return render.ConsentReport{}, err
	}
	pr, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return render.ConsentReport{}, fmt.Errorf("reading pull request #%d of %s: %w", number, c.Repo(), explain(err))
	}
	if author := pr.GetUser().GetLogin(); !isMine(author, me) {
		return render.ConsentReport{}, &NotProposalError{Number: number, Reason: fmt.Sprintf("it was opened by %s, not by orgctl (%s)", author, me)}
	}
	m, ok := marker.Parse(pr.GetBody(), marker.Pairs)
	if !ok || len(m.Pairs) == 0 {
		return render.ConsentReport{}, &NotProposalError{Number: number, Reason: "its body names no proposed pairing (no pairs marker: it was opened before orgctl recorded them, or is not a proposal)"}
	}
	head := strings.ToLower(pr.GetHead().GetSHA())
	if head == "" {
		return render.ConsentReport{}, fmt.Errorf("reading pull request #%d of %s: GitHub's answer lacks its head commit: run again later", number, c.Repo())
	}
	opts := &gh.ListOptions{PerPage: 100}
	reviews, err := listAll(fmt.Sprintf("the reviews of #%d in %s", number, c.Repo()), opts, func() ([]*gh.PullRequestReview, *gh.Response, error) {
		return c.gh.PullRequests.ListReviews(ctx, c.owner, c.repo, number, opts)
	})
	if err != nil {
		return render.ConsentReport{}, err
	}
	latest := latestReviews(reviews)
	r := render.ConsentReport{Repo: c.Repo(), PullRequest: number, HeadSHA: head, Passed: true}
	for _, p := range m.Pairs {
		pair := render.ConsentPair{
			Coach:   judgeConsent(p.Coach, p.CoachLogin, latest, head),
			Coachee: judgeConsent(p.Coachee, p.CoacheeLogin, latest, head),
		}
		r.Passed = r.Passed && pair.Coach.Approved && pair.Coachee.Approved
		r.Pairs = append(r.Pairs, pair)
	}
	return r, nil
}

// NotProposalError is a pull request orgctl consent does not judge.
type NotProposalError struct {
	Number int
	Reason string
}

func (e *NotProposalError) Error() string {
	return fmt.Sprintf("pull request #%d is not a proposal of orgctl apply --propose: %s; run orgctl consent only on orgctl's proposals (their branches start with orgctl/)", e.Number, e.Reason)
}

// latestReviews is each reviewer's latest state-changing review, by
// lower-case login: approvals, requests for changes and dismissed ones
// (GitHub turns a dismissed review's state into DISMISSED). Comments and
// pending reviews change nothing. Reviews are ordered by submission time,
// then id, whatever order the list came in.
func latestReviews(reviews []*gh.PullRequestReview) map[string]*gh.PullRequestReview {
	sorted := append([]*gh.PullRequestReview(nil), reviews...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].GetSubmittedAt().Time, sorted[j].GetSubmittedAt().Time
		if !a.Equal(b) {
			return a.Before(b)
		}
		return sorted[i].GetID() < sorted[j].GetID()
	})
	out := map[string]*gh.PullRequestReview{}
	for _, rv := range sorted {
		switch rv.GetState() {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
			if login := strings.ToLower(rv.GetUser().GetLogin()); login != "" {
				out[login] = rv
			}
		}
	}
	return out
}

// judgeConsent says where one person's consent stands.
func judgeConsent(name, login string, latest map[string]*gh.PullRequestReview, head string) render.ConsentPerson {
	p := render.ConsentPerson{Name: name, Login: login}
	if login == "" {
		p.Status = render.ConsentNoLogin
		return p
	}
	rv := latest[strings.ToLower(login)]
	if rv == nil {
		p.Status = render.ConsentNoReview
		return p
	}
	p.Commit = strings.ToLower(rv.GetCommitID())
	switch rv.GetState() {
	case "APPROVED":
		if p.Commit == head {
			p.Approved, p.Status = true, render.ConsentApproved
		} else {
			p.Status = render.ConsentOlderCommit
		}
	case "CHANGES_REQUESTED":
		p.Status = render.ConsentChanges
	default:
		p.Status = render.ConsentDismissed
	}
	return p
}
