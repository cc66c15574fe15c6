// Package ghenv reads what orgctl learns from its GitHub environment: the
// token and the secrets never to print, the workflow's event file, the
// commit a run is on, where the API cache lives and who orgctl writes as.
package ghenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/orgctl/orgctl/reconcile/ghsync"
)

// Secrets are the strings orgctl must never print or publish: the
// token, and a password written in GITHUB_API_URL.
func Secrets(getenv func(string) string) []string {
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

// Token reads the token from the environment; it is never printed.
func Token(getenv func(string) string) string {
	for _, k := range []string{"ORGCTL_GITHUB_TOKEN", "GITHUB_TOKEN"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
	}
	return ""
}

// BotLogin is the login orgctl writes as when the user says so: flag
// (--bot-login), then $ORGCTL_BOT_LOGIN; "" lets the client ask GitHub.
func BotLogin(flag string, getenv func(string) string) string {
	if flag != "" {
		return strings.TrimSpace(flag)
	}
	return strings.TrimSpace(getenv("ORGCTL_BOT_LOGIN"))
}

// actionsBot is the author GitHub records for what Actions' GITHUB_TOKEN
// writes.
const actionsBot = "github-actions[bot]"

// AssumedLogin is the login assumed when GitHub refuses GET /user to an
// installation token: in GitHub Actions, most likely its GITHUB_TOKEN, whose
// bot is github-actions[bot]. The client checks the author of everything it
// creates, so a wrong guess (an app token minted in a workflow) stops the
// run with the login to pass.
func AssumedLogin(getenv func(string) string) string {
	if getenv("GITHUB_ACTIONS") == "true" {
		return actionsBot
	}
	return ""
}

// HeadCommit names the commit an apply runs on, for "resolved by".
func HeadCommit(getenv func(string) string, dir string) string {
	if sha := getenv("GITHUB_SHA"); sha != "" {
		return sha
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// CacheDir is where the ETag cache lives: dir (--cache-dir), else
// $XDG_CACHE_HOME/orgctl, else ~/.cache/orgctl; "" with noCache
// (--no-cache) or when there is no home to put it in.
func CacheDir(dir string, noCache bool, getenv func(string) string) string {
	switch {
	case noCache:
		return ""
	case dir != "":
		return dir
	case filepath.IsAbs(getenv("XDG_CACHE_HOME")):
		return filepath.Join(getenv("XDG_CACHE_HOME"), "orgctl")
	case filepath.IsAbs(getenv("HOME")):
		return filepath.Join(getenv("HOME"), ".cache", "orgctl")
	}
	return ""
}

// Event holds the fields of a workflow's event file ($GITHUB_EVENT_PATH)
// that name a pull request and its head commit.
type Event struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			SHA string `json:"sha"`
		} `json:"head"`
	} `json:"pull_request"`
	Issue struct {
		Number int `json:"number"`
	} `json:"issue"`
	WorkflowRun *struct {
		Event        string `json:"event"`
		HeadSHA      string `json:"head_sha"`
		HeadBranch   string `json:"head_branch"`
		PullRequests []struct {
			Number int `json:"number"`
			Head   struct {
				SHA string `json:"sha"`
			} `json:"head"`
		} `json:"pull_requests"`
		HeadRepository *struct {
			Owner struct {
				Login string `json:"login"`
			} `json:"owner"`
		} `json:"head_repository"`
	} `json:"workflow_run"`
}

// ReadEvent reads $GITHUB_EVENT_PATH; nil when it is not set.
func ReadEvent(getenv func(string) string) (*Event, error) {
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the workflow event file: %w: pass --pr N", err)
	}
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("reading the workflow event file: %w: pass --pr N", err)
	}
	return &ev, nil
}

// FullSHA matches a full commit id (SHA-1 or SHA-256), lower case.
var FullSHA = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// PlanHeadSHA names the commit a plan runs on, for the comment job to
// check: in a pull request workflow the pull request's head (GITHUB_SHA is
// then a merge commit GitHub made), else GITHUB_SHA, else git's HEAD in
// dir; "" when none is known.
func PlanHeadSHA(getenv func(string) string, dir string) string {
	if ev, err := ReadEvent(getenv); err == nil && ev != nil && ev.PullRequest != nil {
		if sha := strings.ToLower(ev.PullRequest.Head.SHA); FullSHA.MatchString(sha) {
			return sha
		}
	}
	if sha := strings.ToLower(strings.TrimSpace(getenv("GITHUB_SHA"))); FullSHA.MatchString(sha) {
		return sha
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--verify", "-q", "HEAD").Output()
	if sha := strings.TrimSpace(string(out)); err == nil && FullSHA.MatchString(sha) {
		return sha
	}
	return ""
}

// RepoPrefix is the org directory's path inside its git repository ("" at
// the top level or outside git), for the contents API.
func RepoPrefix(path string) string {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--show-prefix").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// ScrubWriter writes to w with every secret replaced by "***". A secret
// split across two writes is caught too: the end of a write that could be
// the start of a secret is held back until the next write or Flush.
type ScrubWriter struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string // the secrets
	forms   []string // every way each secret may be written, longest first
	pending []byte
}

// NewScrubWriter returns a ScrubWriter to w that hides secrets.
func NewScrubWriter(w io.Writer, secrets []string) *ScrubWriter {
	sw := &ScrubWriter{w: w}
	for _, sec := range secrets {
		if len(sec) >= ghsync.MinSecretLength {
			sw.secrets = append(sw.secrets, sec)
			sw.forms = append(sw.forms, ghsync.SecretForms(sec)...)
		}
	}
	sort.Slice(sw.forms, func(i, j int) bool { return len(sw.forms[i]) > len(sw.forms[j]) })
	return sw
}

func (sw *ScrubWriter) Write(p []byte) (int, error) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	out := []byte(ghsync.ScrubString(string(append(sw.pending, p...)), sw.secrets...))
	hold := 0
	for _, f := range sw.forms {
		for k := min(len(f)-1, len(out)); k > hold; k-- {
			if bytes.HasSuffix(out, []byte(f[:k])) {
				hold = k
				break
			}
		}
	}
	sw.pending = append([]byte(nil), out[len(out)-hold:]...)
	if _, err := sw.w.Write(out[:len(out)-hold]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what Write held back.
func (sw *ScrubWriter) Flush() {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if len(sw.pending) > 0 {
		_, _ = sw.w.Write(sw.pending)
		sw.pending = nil
	}
}

// CommentTarget names the pull request orgctl comment posts to and the
// commit its plan must be of, from trusted sources only: flag (--pr, 0 when
// unset), the workflow's event ev (written by GitHub; nil outside a
// workflow) and GitHub's API. A *TargetError says the caller must name the
// pull request; any other error is GitHub's.
func CommentTarget(ctx context.Context, client *ghsync.Client, ev *Event, flag int) (int, string, error) {
	switch {
	case ev != nil && ev.WorkflowRun != nil:
		run := ev.WorkflowRun
		head := strings.ToLower(run.HeadSHA)
		if !FullSHA.MatchString(head) {
			return 0, "", targetError("the workflow_run event carries no head commit: pass --pr N outside a workflow_run job")
		}
		if flag > 0 {
			return flag, head, nil
		}
		for _, pr := range run.PullRequests {
			if strings.EqualFold(pr.Head.SHA, head) && pr.Number > 0 {
				return pr.Number, head, nil
			}
		}
		// A pull request from a fork: the event names none, so ask
		// GitHub which open pull request has this head.
		if run.HeadRepository != nil && run.HeadRepository.Owner.Login != "" && run.HeadBranch != "" {
			n, err := client.FindPull(ctx, run.HeadRepository.Owner.Login, run.HeadBranch, head)
			if err != nil {
				return 0, "", err
			}
			if n > 0 {
				return n, head, nil
			}
		}
		return 0, "", targetError("no open pull request of %s has head commit %s (it may have moved on or closed): nothing to comment on", client.Repo(), head)
	case ev != nil && ev.PullRequest != nil && (flag == 0 || flag == ev.PullRequest.Number):
		head := strings.ToLower(ev.PullRequest.Head.SHA)
		if ev.PullRequest.Number > 0 && FullSHA.MatchString(head) {
			return ev.PullRequest.Number, head, nil
		}
		// An event without the head commit: ask GitHub below.
		flag = ev.PullRequest.Number
	}
	if flag == 0 {
		return 0, "", targetError("which pull request? pass --pr N (in a workflow_run or pull_request job, orgctl reads it from $GITHUB_EVENT_PATH)")
	}
	head, err := client.PullHead(ctx, flag)
	if err != nil {
		return 0, "", err
	}
	return flag, strings.ToLower(head), nil
}

// A TargetError says that CommentTarget cannot tell which pull request or
// commit is meant: the caller must pass --pr N, or there is nothing to
// comment on.
type TargetError struct{ msg string }

// Error is the message, naming what to pass.
func (e *TargetError) Error() string { return e.msg }

func targetError(format string, args ...any) error {
	return &TargetError{msg: fmt.Sprintf(format, args...)}
}

// Repo picks the repository orgctl works on: flag (--repo), then policy
// (the Policy's spec.github.repo), then $GITHUB_REPOSITORY.
func Repo(flag, policy string, getenv func(string) string) (string, error) {
	switch {
	case flag != "":
		return flag, nil
	case policy != "":
		return policy, nil
	case getenv("GITHUB_REPOSITORY") != "":
		return getenv("GITHUB_REPOSITORY"), nil
	}
	return "", errors.New("no GitHub repository: pass --repo OWNER/NAME, set Policy.spec.github.repo, or set GITHUB_REPOSITORY")
}

// ClientOptions are what NewClient takes from the command line and the
// caller, beside the environment.
type ClientOptions struct {
	// Repo is --repo; PolicyRepo the Policy's spec.github.repo (see Repo).
	Repo, PolicyRepo string
	// DryRun only reads, and so may proceed without a token (public
	// repositories).
	DryRun bool
	// MaxWait is --max-wait: 0 never waits for rate limits.
	MaxWait time.Duration
	// BotLogin, CacheDir and NoCache are --bot-login, --cache-dir and
	// --no-cache (see BotLogin and CacheDir).
	BotLogin, CacheDir string
	NoCache            bool
	// Sleep and Logf are the client's clock and its log (ghsync.Options).
	Sleep func(ctx context.Context, d time.Duration) error
	Logf  func(format string, args ...any)
}

// NewClient builds the GitHub client from the environment and o: the
// repository, the token (required unless o.DryRun), the secrets to scrub,
// who orgctl writes as and where GitHub's answers are cached.
func NewClient(getenv func(string) string, o ClientOptions) (*ghsync.Client, error) {
	repo, err := Repo(o.Repo, o.PolicyRepo, getenv)
	if err != nil {
		return nil, err
	}
	token := Token(getenv)
	if token == "" && !o.DryRun {
		return nil, fmt.Errorf("no GitHub token: set GITHUB_TOKEN (or ORGCTL_GITHUB_TOKEN) to a token that may write issues in %s", repo)
	}
	if o.MaxWait < 0 {
		return nil, errors.New("--max-wait must be 0 or more, e.g. 15m")
	}
	maxWait := o.MaxWait
	if maxWait == 0 {
		maxWait = -1 // never wait
	}
	return ghsync.New(ghsync.Options{
		Token:       token,
		BaseURL:     getenv("GITHUB_API_URL"),
		Repo:        repo,
		DryRun:      o.DryRun,
		MaxWait:     maxWait,
		Secrets:     Secrets(getenv),
		BotLogin:    BotLogin(o.BotLogin, getenv),
		AssumeLogin: AssumedLogin(getenv),
		CacheDir:    CacheDir(o.CacheDir, o.NoCache, getenv),
		Sleep:       o.Sleep,
		Logf:        o.Logf,
	})
}

// PullRequestNumber is the pull request plan --comment posts to: flag
// (--pr) when set, else the one the workflow's event file
// ($GITHUB_EVENT_PATH) names.
func PullRequestNumber(getenv func(string) string, flag int) (int, error) {
	if flag > 0 {
		return flag, nil
	}
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return 0, fmt.Errorf("which pull request? pass --pr N (in a workflow, orgctl also reads it from $GITHUB_EVENT_PATH)")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading the workflow event file: %w: pass --pr N", err)
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
		return 0, fmt.Errorf("reading the workflow event file: %w: pass --pr N", err)
	}
	for _, n := range []int{ev.PullRequest.Number, ev.Issue.Number, ev.Number} {
		if n > 0 {
			return n, nil
		}
	}
	if len(ev.WorkflowRun.PullRequests) > 0 {
		return ev.WorkflowRun.PullRequests[0].Number, nil
	}
	return 0, fmt.Errorf("the workflow event names no pull request: pass --pr N")
}

// BaseRef is the git revision plan compares with: flag (--base) when set,
// else the pull request's base branch in a workflow ($GITHUB_BASE_REF, as
// origin/BRANCH), else HEAD.
func BaseRef(flag string, getenv func(string) string) string {
	if flag != "" {
		return flag
	}
	if b := getenv("GITHUB_BASE_REF"); b != "" {
		return "origin/" + b
	}
	return "HEAD"
}

// StepSummary opens the job's step summary ($GITHUB_STEP_SUMMARY) for
// appending Markdown, and returns it with the function that closes it; w
// is nil (and done does nothing) outside a workflow step that has one.
func StepSummary(getenv func(string) string) (w io.Writer, done func() error, err error) {
	p := getenv("GITHUB_STEP_SUMMARY")
	if p == "" {
		return nil, func() error { return nil }, nil
	}
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("opening $GITHUB_STEP_SUMMARY: %w", err)
	}
	return f, f.Close, nil
}

// WriteStepSummary appends what write writes to the job's step summary
// (see StepSummary); outside a workflow step it does nothing.
func WriteStepSummary(getenv func(string) string, write func(io.Writer) error) error {
	w, done, err := StepSummary(getenv)
	if err != nil || w == nil {
		return err
	}
	if err := errors.Join(write(w), done()); err != nil {
		return fmt.Errorf("writing $GITHUB_STEP_SUMMARY: %w", err)
	}
	return nil
}

// ReviewedPull is the pull request orgctl consent checks: flag (--pr)
// when set, else the one the workflow's event names (a pull_request or
// pull_request_review job).
func ReviewedPull(getenv func(string) string, flag int) (int, error) {
	if flag > 0 {
		return flag, nil
	}
	ev, err := ReadEvent(getenv)
	if err != nil {
		return 0, err
	}
	if ev != nil && ev.PullRequest != nil && ev.PullRequest.Number > 0 {
		return ev.PullRequest.Number, nil
	}
	return 0, errors.New("which pull request? pass --pr N (in a pull_request or pull_request_review job, orgctl reads it from $GITHUB_EVENT_PATH)")
}

// HeadMoved guards orgctl comment in a workflow_run job (ev says so),
// where runs can finish out of order: it asks GitHub for pull request
// pr's head now and returns it when it is no longer head, the commit the
// plan is of, so that an older plan never replaces a newer one. It returns
// "" when head is current, and outside a workflow_run job asks nothing.
func HeadMoved(ctx context.Context, client *ghsync.Client, ev *Event, pr int, head string) (string, error) {
	if ev == nil || ev.WorkflowRun == nil {
		return "", nil
	}
	now, err := client.PullHead(ctx, pr)
	if err != nil || strings.EqualFold(now, head) {
		return "", err
	}
	return now, nil
}
