package ghsync

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// PullHead returns the SHA of pull request number's head commit, as GitHub
// has it now: what `orgctl comment` checks a plan against when no workflow
// event names the commit.
func (c *Client) PullHead(ctx context.Context, number int) (string, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return "", fmt.Errorf("reading pull request #%d of %s: %w", number, c.Repo(), explain(err))
	}
	return pr.GetHead().GetSHA(), nil
}

// FindPull returns the open pull request of c's repository whose head is
// branch of owner's repository (a fork, or the repository itself) at
// commit sha, or 0 when there is none. A workflow_run event of a pull
// request from a fork names no pull request; this finds it from the fields
// the event does carry, without trusting anything the fork wrote.
func (c *Client) FindPull(ctx context.Context, owner, branch, sha string) (int, error) {
	opts := &gh.PullRequestListOptions{State: "open", Head: owner + ":" + branch, ListOptions: gh.ListOptions{PerPage: 100}}
	prs, _, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, opts)
	if err != nil {
		return 0, fmt.Errorf("finding the pull request of %s:%s in %s: %w", owner, branch, c.Repo(), explain(err))
	}
	for _, pr := range prs {
		if pr != nil && strings.EqualFold(pr.GetHead().GetSHA(), sha) {
			return pr.GetNumber(), nil
		}
	}
	return 0, nil
}
