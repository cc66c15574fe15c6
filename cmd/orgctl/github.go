package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

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

// githubCacheDir is where the ETag cache lives: --cache-dir, else
// $XDG_CACHE_HOME/orgctl, else ~/.cache/orgctl; "" with --no-cache or when
// there is no home to put it in.
func githubCacheDir(ios *ioStreams, g *globalOptions) string {
	switch {
	case g.noCache:
		return ""
	case g.cacheDir != "":
		return g.cacheDir
	case filepath.IsAbs(ios.Getenv("XDG_CACHE_HOME")):
		return filepath.Join(ios.Getenv("XDG_CACHE_HOME"), "orgctl")
	case filepath.IsAbs(ios.Getenv("HOME")):
		return filepath.Join(ios.Getenv("HOME"), ".cache", "orgctl")
	}
	return ""
}

// reportUsage says on stderr what the run spent of GitHub's API.
func reportUsage(ios *ioStreams, c *ghsync.Client) {
	fmt.Fprintf(ios.ErrOut, "orgctl: %s\n", c.Usage())
}

// githubSecrets are the strings orgctl must never print or publish: the
// token, and a password written in GITHUB_API_URL.
func githubSecrets(getenv func(string) string) []string {
	var out []string
	for _, k := range []string{"ORGCTL_GITHUB_TOKEN", "GITHUB_TOKEN"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			out = append(out, v)
		}
	}
	if p := urlPassword(getenv("GITHUB_API_URL")); p != "" {
		out = append(out, p)
	}
	return out
}

// urlPassword is the password in a URL's user information, found even
// when the URL does not parse.
func urlPassword(raw string) string {
	raw = strings.TrimSpace(raw)
	if u, err := url.Parse(raw); err == nil {
		if u.User == nil {
			return ""
		}
		p, _ := u.User.Password()
		return p
	}
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest = raw
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 && !strings.Contains(rest[:i], "@") {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, pass, _ := strings.Cut(rest[:at], ":")
	return pass
}

// githubSleep is the GitHub client's clock for waits (retry backoff, write
// pacing, rate limits); nil sleeps for real. The end-to-end tests replace
// it so that retries cost no wall-clock time.
var githubSleep func(ctx context.Context, d time.Duration) error

// githubToken reads the token from the environment; it is never printed.
func githubToken(ios *ioStreams) string {
	for _, k := range []string{"ORGCTL_GITHUB_TOKEN", "GITHUB_TOKEN"} {
		if v := strings.TrimSpace(ios.Getenv(k)); v != "" {
			return v
		}
	}
	return ""
}

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
		Secrets:     githubSecrets(ios.Getenv),
		BotLogin:    botLogin(ios, g),
		AssumeLogin: assumedLogin(ios),
		CacheDir:    githubCacheDir(ios, g),
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

// botLogin is the login orgctl writes as when the user says so: --bot-login,
// then $ORGCTL_BOT_LOGIN; "" lets the client ask GitHub.
func botLogin(ios *ioStreams, g *globalOptions) string {
	if g.botLogin != "" {
		return strings.TrimSpace(g.botLogin)
	}
	return strings.TrimSpace(ios.Getenv("ORGCTL_BOT_LOGIN"))
}

// actionsBot is the author GitHub records for what Actions' GITHUB_TOKEN
// writes.
const actionsBot = "github-actions[bot]"

// assumedLogin is the login assumed when GitHub refuses GET /user to an
// installation token: in GitHub Actions, most likely its GITHUB_TOKEN, whose
// bot is github-actions[bot]. The client checks the author of everything it
// creates, so a wrong guess (an app token minted in a workflow) stops the
// run with the login to pass.
func assumedLogin(ios *ioStreams) string {
	if ios.Getenv("GITHUB_ACTIONS") == "true" {
		return actionsBot
	}
	return ""
}

// warnForeign reports, once each, the objects that look like orgctl's but
// that someone else opened: orgctl leaves them untouched.
func warnForeign(ios *ioStreams, obs ghsync.Observation) {
	for _, w := range obs.ForeignWarnings() {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", w)
	}
}

// headCommit names the commit an apply runs on, for "resolved by".
func headCommit(ios *ioStreams, dir string) string {
	if sha := ios.Getenv("GITHUB_SHA"); sha != "" {
		return sha
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
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
