package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/orgctl/orgctl/internal/ghenv"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/pflag"
)

// addGitHubFlags adds the flags of every command that talks to GitHub.
func addGitHubFlags(f *pflag.FlagSet, g *globalOptions) {
	f.DurationVar(&g.maxWait, "max-wait", ghsync.DefaultMaxWait,
		"longest total time to wait for GitHub's rate limits in this run (0: never wait)")
	f.StringVar(&g.cacheDir, "cache-dir", "",
		"where GitHub's answers are kept between runs so that unchanged ones cost no rate-limit points (default $XDG_CACHE_HOME/orgctl or ~/.cache/orgctl; holds issue text)")
	f.BoolVar(&g.noCache, "no-cache", false, "send every GitHub request unconditionally, keeping no answers on disk")
}

// githubToken reads the token from the environment; it is never printed.
func githubToken(ios *ioStreams) string { return ghenv.Token(ios.Getenv) }

// reportUsage says on stderr what the run spent of GitHub's API.
func reportUsage(ios *ioStreams, c *ghsync.Client) {
	fmt.Fprintf(ios.ErrOut, "orgctl: %s\n", c.Usage())
}

// githubSleep is the GitHub client's clock for waits (retry backoff, write
// pacing, rate limits); nil sleeps for real. The end-to-end tests replace
// it so that retries cost no wall-clock time.
var githubSleep func(ctx context.Context, d time.Duration) error

// githubRepo picks the repository: --repo, then the Policy, then
// $GITHUB_REPOSITORY.
func githubRepo(ios *ioStreams, g *globalOptions, org *reconcile.Org) (string, error) {
	switch {
	case g.repo != "":
		return g.repo, nil
	case org != nil && org.Policy != nil && org.Policy.GitHub.Repo != "":
		return org.Policy.GitHub.Repo, nil
	case ios.Getenv("GITHUB_REPOSITORY") != "":
		return ios.Getenv("GITHUB_REPOSITORY"), nil
	}
	return "", usageError("no GitHub repository: pass --repo OWNER/NAME, set Policy.spec.github.repo, or set GITHUB_REPOSITORY")
}

// newGitHubClient builds the client from the environment. Without a token
// only a dry run may proceed (reading public repositories).
func newGitHubClient(ios *ioStreams, g *globalOptions, org *reconcile.Org, dryRun bool) (*ghsync.Client, error) {
	repo, err := githubRepo(ios, g, org)
	if err != nil {
		return nil, err
	}
	token := githubToken(ios)
	if token == "" && !dryRun {
		return nil, usageError("no GitHub token: set GITHUB_TOKEN (or ORGCTL_GITHUB_TOKEN) to a token that may write issues in %s", repo)
	}
	if g.maxWait < 0 {
		return nil, usageError("--max-wait must be 0 or more, e.g. 15m")
	}
	maxWait := g.maxWait
	if maxWait == 0 {
		maxWait = -1 // never wait
	}
	c, err := ghsync.New(ghsync.Options{
		Token:       token,
		BaseURL:     ios.Getenv("GITHUB_API_URL"),
		Repo:        repo,
		DryRun:      dryRun,
		MaxWait:     maxWait,
		Secrets:     ghenv.Secrets(ios.Getenv),
		BotLogin:    ghenv.BotLogin(g.botLogin, ios.Getenv),
		AssumeLogin: ghenv.AssumedLogin(ios.Getenv),
		CacheDir:    ghenv.CacheDir(g.cacheDir, g.noCache, ios.Getenv),
		Sleep:       githubSleep,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(ios.ErrOut, "orgctl: "+format+"\n", args...)
		},
	})
	if err != nil {
		return nil, usageError("%w", err)
	}
	return c, nil
}

// warnForeign reports, once each, the objects that look like orgctl's but
// that someone else opened: orgctl leaves them untouched.
func warnForeign(ios *ioStreams, obs ghsync.Observation) {
	for _, w := range obs.ForeignWarnings() {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", w)
	}
}

// pullRequestNumber reads the pull request from --pr, else from the
// workflow's event file ($GITHUB_EVENT_PATH).
func pullRequestNumber(ios *ioStreams, flag int) (int, error) {
	if flag > 0 {
		return flag, nil
	}
	path := ios.Getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return 0, usageError("which pull request? pass --pr N (in a workflow, orgctl also reads it from $GITHUB_EVENT_PATH)")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, usageError("reading the workflow event file: %w: pass --pr N", err)
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
		Issue struct {
			Number int `json:"number"`
		} `json:"issue"`
		WorkflowRun struct {
			PullRequests []struct {
				Number int `json:"number"`
			} `json:"pull_requests"`
		} `json:"workflow_run"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return 0, usageError("reading the workflow event file: %w: pass --pr N", err)
	}
	for _, n := range []int{ev.PullRequest.Number, ev.Issue.Number, ev.Number} {
		if n > 0 {
			return n, nil
		}
	}
	if len(ev.WorkflowRun.PullRequests) > 0 {
		return ev.WorkflowRun.PullRequests[0].Number, nil
	}
	return 0, usageError("the workflow event names no pull request: pass --pr N")
}

// upsertPlanComment posts or updates the sticky plan comment.
func upsertPlanComment(ios *ioStreams, c *ghsync.Client, pr int, body string) error {
	outcome, err := c.UpsertSticky(ios.context(), pr, render.PlanMarker, body)
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	fmt.Fprintf(ios.ErrOut, "orgctl: plan comment on %s#%d %s\n", c.Repo(), pr, outcome)
	return nil
}
