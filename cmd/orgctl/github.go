package main

import (
	"context"
	"fmt"
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

// newGitHubClient builds the client from the environment (see
// ghenv.NewClient): the repository is --repo, then the Policy's, then
// $GITHUB_REPOSITORY.
func newGitHubClient(ios *ioStreams, g *globalOptions, org *reconcile.Org, dryRun bool) (*ghsync.Client, error) {
	c, err := ghenv.NewClient(ios.Getenv, ghenv.ClientOptions{
		Repo: g.repo, PolicyRepo: policyRepo(org), DryRun: dryRun, MaxWait: g.maxWait,
		BotLogin: g.botLogin, CacheDir: g.cacheDir, NoCache: g.noCache, Sleep: githubSleep,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(ios.ErrOut, "orgctl: "+format+"\n", args...)
		},
	})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return c, nil
}

// policyRepo is the Policy's spec.github.repo, if any.
func policyRepo(org *reconcile.Org) string {
	if org != nil && org.Policy != nil {
		return org.Policy.GitHub.Repo
	}
	return ""
}

// warn prints a warning of the core on stderr (see ghsync.SyncOptions).
func warn(ios *ioStreams) func(string) {
	return func(w string) { fmt.Fprintf(ios.ErrOut, "warning: %s\n", w) }
}

// runOptions are what plan and apply look at on GitHub: the proposals too
// with propose, starting on pairingDay, at path's place in its repository.
func runOptions(ios *ioStreams, lo loadOptions, path string, propose bool, maxProposals int) ghsync.RunOptions {
	return ghsync.RunOptions{Propose: propose, PathPrefix: ghenv.RepoPrefix(path), MaxProposals: maxProposals, Today: pairingDay(ios, lo)}
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
