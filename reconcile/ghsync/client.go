// Package ghsync reconciles GitHub with the declared org: it observes the
// issues, pull requests and comments orgctl manages, compares them with the
// desired state built by package reconcile, and acts only where they
// differ. It is the only package that imports go-github.
package ghsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
)

// Options configure a Client.
type Options struct {
	// Token authenticates; required for anything but public reads.
	Token string
	// BaseURL is the REST API root (GITHUB_API_URL), with or without a
	// trailing slash; empty means https://api.github.com/. GitHub
	// Enterprise roots end in /api/v3.
	BaseURL string
	// Repo is OWNER/NAME.
	Repo string
	// DryRun makes the transport refuse every mutating request.
	DryRun bool
	// Transport sends requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Sleep and Now replace the clock in tests.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
	// Logf reports waits and retries.
	Logf func(format string, args ...any)
	// MaxWait is the run's total budget for rate-limit waits (--max-wait;
	// default DefaultMaxWait).
	MaxWait time.Duration
	// AttemptTimeout bounds one attempt of one request, waits excluded
	// (default DefaultAttemptTimeout).
	AttemptTimeout time.Duration
	// Secrets are more strings never to send or show (other tokens in the
	// environment); the token and a password in BaseURL always are.
	Secrets []string
	// BotLogin is the login orgctl writes as (--bot-login), taken without
	// asking GitHub; empty means asking GET /user (see identity.go).
	BotLogin string
	// AssumeLogin is the login assumed when GitHub refuses GET /user to an
	// app installation token (github-actions[bot] in GitHub Actions);
	// every create then checks it.
	AssumeLogin string
	// CacheDir keeps GitHub's answers with their ETags between runs, so
	// that an unchanged repository costs no rate-limit points (see
	// ETagCache); empty disables the cache.
	CacheDir string
}

// Client talks to one repository.
type Client struct {
	gh          *gh.Client
	owner, repo string
	transport   *Transport
	logf        func(format string, args ...any)

	botLogin, assumeLogin string
	id                    identity
}

// ParseRepo splits OWNER/NAME.
func ParseRepo(s string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("invalid repository %q: use OWNER/NAME, e.g. acme/people", s)
	}
	return owner, name, nil
}

// New returns a client for opts.Repo. The token is sent only to the
// origin (scheme, host, port) of the API URL; a password in the API URL is
// never sent nor shown (give the token in Options.Token).
func New(opts Options) (*Client, error) {
	owner, name, err := ParseRepo(opts.Repo)
	if err != nil {
		return nil, err
	}
	api, secret, err := ParseAPIURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	t := &Transport{Base: opts.Transport, Token: opts.Token, APIURL: api, DryRun: opts.DryRun, Sleep: opts.Sleep, Now: opts.Now,
		Logf: opts.Logf, MaxWait: opts.MaxWait, AttemptTimeout: opts.AttemptTimeout}
	t.Secrets = append([]string(nil), opts.Secrets...)
	if secret != "" {
		t.Secrets = append(t.Secrets, secret)
	}
	if opts.CacheDir != "" {
		t.Cache = &ETagCache{Dir: opts.CacheDir}
	}
	// No http.Client Timeout: it would cover the rate-limit waits too. The
	// transport times each attempt instead.
	c := gh.NewClient(&http.Client{Transport: t, CheckRedirect: t.CheckRedirect})
	c.BaseURL = api
	c.UserAgent = "orgctl"
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Client{gh: c, owner: owner, repo: name, transport: t, logf: logf,
		botLogin: strings.TrimSpace(opts.BotLogin), assumeLogin: opts.AssumeLogin}, nil
}

// ParseAPIURL reads the REST API root (GITHUB_API_URL): empty means
// https://api.github.com/. The result ends in a slash and carries no user
// information; a password found there is returned apart, to be scrubbed
// from everything orgctl prints.
func ParseAPIURL(raw string) (api *url.URL, password string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		u := *defaultAPIURL
		return &u, "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		shown := "(unparsable)"
		if err == nil {
			shown = u.Redacted()
		}
		return nil, "", fmt.Errorf("invalid GitHub API URL %s: set GITHUB_API_URL to e.g. https://api.github.com or https://ghe.example.com/api/v3", shown)
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = nil
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u, password, nil
}

// Usage returns the requests and rate-limit points the client has spent.
func (c *Client) Usage() Usage { return c.transport.Usage() }

// Repo returns OWNER/NAME.
func (c *Client) Repo() string { return c.owner + "/" + c.repo }

// Object is an issue or pull request orgctl manages, as observed.
type Object struct {
	Number      int
	Title       string
	Body        string
	State       string // open or closed
	StateReason string
	Labels      []string
	Assignees   []string
	IsPull      bool
	// Merged is set for a pull request that was merged.
	Merged  bool
	Created time.Time
	// Author is the login that opened it: only objects orgctl's identity
	// opened are orgctl's.
	Author string
	// Fingerprint is read from the hidden marker in the body; "" when
	// the object carries the label but no marker.
	Fingerprint string
}

// FingerprintOf reads the fingerprint marker from a body (see package
// marker); "" when there is none.
func FingerprintOf(body string) string {
	m, _ := marker.Parse(body, marker.Fingerprint)
	return m.Fingerprint
}

// MaxPages caps every list orgctl reads: 1,000 pages of 100 are far more
// than any repository orgctl manages has, so a list that goes on (a next
// link that never ends) stops there with an error instead of looping.
const MaxPages = 1000

// listAll reads every page of a list: fetch reads the page in opts.Page.
// It stops with an error on a null entry (a broken answer: acting on a
// list with holes could duplicate or close the wrong thing), on a next
// link to a page already read, and after MaxPages pages.
func listAll[T any](what string, opts *gh.ListOptions, fetch func() ([]*T, *gh.Response, error)) ([]*T, error) {
	var out []*T
	seen := map[int]bool{max(opts.Page, 1): true}
	for pages := 1; ; pages++ {
		items, resp, err := fetch()
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", what, explain(err))
		}
		for i, it := range items {
			if it == nil {
				return nil, fmt.Errorf("listing %s: GitHub's answer has a null entry (item %d of page %d): refusing to act on a broken list; run again later", what, i+1, max(opts.Page, 1))
			}
			out = append(out, it)
		}
		if resp == nil || resp.NextPage == 0 {
			return out, nil
		}
		if seen[resp.NextPage] {
			return nil, fmt.Errorf("listing %s: GitHub's next-page link after page %d points back to page %d, already read: stopping instead of looping; run again later", what, max(opts.Page, 1), resp.NextPage)
		}
		if pages >= MaxPages {
			return nil, fmt.Errorf("listing %s: still more after %d pages, more than any repository orgctl manages has: stopping; check GITHUB_API_URL", what, MaxPages)
		}
		seen[resp.NextPage] = true
		opts.Page = resp.NextPage
	}
}

// ListManaged lists every issue and pull request carrying label, open and
// closed, 100 per page. It filters on that one label only: GitHub's labels
// filter is comma-separated, so a label with a comma (or an empty one)
// cannot be expressed and is refused before any request is sent.
func (c *Client) ListManaged(ctx context.Context, label string) ([]Object, error) {
	if label == "" || strings.Contains(label, ",") {
		return nil, fmt.Errorf("cannot list the issues labelled %q: GitHub's labels filter cannot express an empty label or one with a comma; fix Policy.spec.github.labels (orgctl validate reports it)", label)
	}
	opts := &gh.IssueListByRepoOptions{State: "all", Labels: []string{label}, Sort: "created", Direction: "asc", ListOptions: gh.ListOptions{PerPage: 100}}
	issues, err := listAll(fmt.Sprintf("issues labelled %q in %s", label, c.Repo()), &opts.ListOptions, func() ([]*gh.Issue, *gh.Response, error) {
		return c.gh.Issues.ListByRepo(ctx, c.owner, c.repo, opts)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Object, 0, len(issues))
	for _, i := range issues {
		if i.GetNumber() <= 0 {
			return nil, fmt.Errorf("listing issues labelled %q in %s: GitHub's answer has an issue without a number: refusing to act on a broken list; run again later", label, c.Repo())
		}
		out = append(out, objectOf(i))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// objectOf converts an issue GitHub answered; i is not nil.
func objectOf(i *gh.Issue) Object {
	o := Object{
		Number: i.GetNumber(), Title: i.GetTitle(), Body: i.GetBody(), State: i.GetState(), StateReason: i.GetStateReason(),
		IsPull: i.PullRequestLinks != nil, Created: i.GetCreatedAt().Time, Author: i.GetUser().GetLogin(),
	}
	if i.PullRequestLinks != nil && i.PullRequestLinks.MergedAt != nil {
		o.Merged = true
	}
	for _, l := range i.Labels {
		if l.GetName() != "" {
			o.Labels = append(o.Labels, l.GetName())
		}
	}
	for _, a := range i.Assignees {
		if a.GetLogin() != "" {
			o.Assignees = append(o.Assignees, a.GetLogin())
		}
	}
	o.Fingerprint = FingerprintOf(o.Body)
	return o
}

// issueAnswer checks the issue GitHub answered to a create or an edit.
func issueAnswer(i *gh.Issue, _ *gh.Response, err error) (Object, error) {
	if err != nil {
		return Object{}, explain(err)
	}
	if i.GetNumber() <= 0 {
		return Object{}, errors.New("GitHub answered without the issue (an empty or broken answer): run again to check what happened")
	}
	return objectOf(i), nil
}

// EnsureLabels creates the labels that do not exist yet.
func (c *Client) EnsureLabels(ctx context.Context, names []string) error {
	existing := map[string]bool{}
	opts := &gh.ListOptions{PerPage: 100}
	labels, err := listAll("labels of "+c.Repo(), opts, func() ([]*gh.Label, *gh.Response, error) {
		return c.gh.Issues.ListLabels(ctx, c.owner, c.repo, opts)
	})
	if err != nil {
		return err
	}
	for _, l := range labels {
		existing[strings.ToLower(l.GetName())] = true
	}
	for _, n := range names {
		if existing[strings.ToLower(n)] {
			continue
		}
		color, desc := "0e8a16", "Managed by orgctl"
		if strings.Contains(n, "/") {
			color, desc = "c5def5", "orgctl rule "+n[strings.Index(n, "/")+1:]
		}
		_, _, err := c.gh.Issues.CreateLabel(ctx, c.owner, c.repo, &gh.Label{Name: &n, Color: &color, Description: &desc})
		if err != nil && !isAlreadyExists(err) {
			return fmt.Errorf("creating label %q in %s: %w", n, c.Repo(), explain(err))
		}
		existing[strings.ToLower(n)] = true
	}
	return nil
}

// CreateIssue opens an issue and returns it as GitHub answered.
func (c *Client) CreateIssue(ctx context.Context, title, body string, labels, assignees []string) (Object, error) {
	req := &gh.IssueRequest{Title: &title, Body: &body, Labels: &labels}
	if len(assignees) > 0 {
		req.Assignees = &assignees
	}
	o, err := issueAnswer(c.gh.Issues.Create(ctx, c.owner, c.repo, req))
	if err != nil {
		return o, err
	}
	return o, c.checkAuthor(ctx, fmt.Sprintf("issue #%d", o.Number), o.Author)
}

// EditIssue changes an issue and returns it as GitHub answered.
func (c *Client) EditIssue(ctx context.Context, number int, req *gh.IssueRequest) (Object, error) {
	return issueAnswer(c.gh.Issues.Edit(ctx, c.owner, c.repo, number, req))
}

// Comment adds a comment to an issue or pull request; an *IdentityError
// says GitHub recorded another author than orgctl's identity.
func (c *Client) Comment(ctx context.Context, number int, body string) error {
	cm, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &gh.IssueComment{Body: &body})
	if err != nil {
		return explain(err)
	}
	return c.checkAuthor(ctx, fmt.Sprintf("comment %d on #%d", cm.GetID(), number), cm.GetUser().GetLogin())
}

// IssueComment is one comment as observed.
type IssueComment struct {
	ID   int64
	Body string
	// Author is the comment's login: only orgctl's own comments are ever
	// edited or deleted.
	Author string
}

// ListComments lists the comments of an issue or pull request, oldest
// first.
func (c *Client) ListComments(ctx context.Context, number int) ([]IssueComment, error) {
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	what := fmt.Sprintf("comments of #%d in %s", number, c.Repo())
	cs, err := listAll(what, &opts.ListOptions, func() ([]*gh.IssueComment, *gh.Response, error) {
		return c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, opts)
	})
	if err != nil {
		return nil, err
	}
	out := make([]IssueComment, 0, len(cs))
	for _, x := range cs {
		if x.GetID() <= 0 {
			return nil, fmt.Errorf("listing %s: GitHub's answer has a comment without an id: refusing to act on a broken list; run again later", what)
		}
		out = append(out, IssueComment{ID: x.GetID(), Body: x.GetBody(), Author: x.GetUser().GetLogin()})
	}
	return out, nil
}

// EditComment replaces a comment's body.
func (c *Client) EditComment(ctx context.Context, id int64, body string) error {
	_, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, id, &gh.IssueComment{Body: &body})
	return explain(err)
}

// DeleteComment removes a comment.
func (c *Client) DeleteComment(ctx context.Context, id int64) error {
	_, err := c.gh.Issues.DeleteComment(ctx, c.owner, c.repo, id)
	return explain(err)
}

// StatusError is a GitHub error response, reduced to what users need.
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GitHub answered %d: %s", e.Status, e.Message)
}

// explain turns go-github errors into short messages with the status and
// GitHub's own explanation (validation details included), and leaves
// others (dry run, rate limits, network) as they are.
func explain(err error) error {
	if err == nil {
		return nil
	}
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		msg := er.Message
		for _, e := range er.Errors {
			d := strings.TrimSpace(strings.Join(nonEmpty(e.Resource, e.Field, e.Code, e.Message), " "))
			if d != "" {
				msg += "; " + d
			}
		}
		se := &StatusError{Status: er.Response.StatusCode, Message: msg}
		switch se.Status {
		case http.StatusUnauthorized:
			se.Message += " (check GITHUB_TOKEN)"
		case http.StatusForbidden, http.StatusNotFound:
			se.Message += " (check the repository name and that the token may write issues there)"
		}
		return se
	}
	var ue *url.Error
	if errors.As(err, &ue) && ours(ue.Err) {
		// The transport's own errors say what happened; the URL adds
		// nothing.
		err = ue.Err
	}
	if errors.Is(err, context.Canceled) && !errors.Is(err, ErrInterrupted) {
		// go-github answers ctx.Err() when the context is cancelled.
		return ErrInterrupted
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("GitHub API rate limit exhausted until %s: run again after that", rl.Rate.Reset.UTC().Format("15:04 MST"))
	}
	return err
}

// ours reports an error the transport made, which needs no more context.
func ours(err error) bool {
	var rl *RateLimitError
	var re *RedirectError
	return errors.As(err, &rl) || errors.As(err, &re) || errors.Is(err, ErrInterrupted) || errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrDryRun)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isAlreadyExists(err error) bool {
	var er *gh.ErrorResponse
	if errors.As(err, &er) {
		for _, e := range er.Errors {
			if e.Code == "already_exists" {
				return true
			}
		}
	}
	return false
}

// StatusOf returns the HTTP status of a GitHub error, or 0.
func StatusOf(err error) int {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	return 0
}
