package ghsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrDryRun is returned for every mutating request in a dry run: the
// transport is where --dry-run is enforced, so no write can leave the
// process whatever the code above it does.
var ErrDryRun = errors.New("dry run: mutating request not sent")

// ErrInterrupted is returned once the run's context is cancelled (Ctrl-C):
// nothing more is sent, and the next run converges from wherever this one
// stopped.
var ErrInterrupted = errors.New("interrupted: orgctl stopped before finishing; run it again to finish (every step is safe to repeat)")

// ErrBodyTooLarge is returned when GitHub's answer is larger than
// Transport.MaxBodySize: no real answer of the REST API is.
var ErrBodyTooLarge = errors.New("GitHub's answer is larger than orgctl accepts")

// Defaults of the Transport's limits.
const (
	// DefaultMaxWait is the default total a run may spend waiting for rate
	// limits (--max-wait).
	DefaultMaxWait = 15 * time.Minute
	// DefaultAttemptTimeout bounds one attempt: sending a request and
	// reading its answer. Rate-limit waits are not part of it.
	DefaultAttemptTimeout = 60 * time.Second
	// DefaultMaxBodySize caps one response body.
	DefaultMaxBodySize = 32 << 20
	// maxRateLimitWaits bounds the rate-limit waits of one request, on top
	// of the run's --max-wait budget (a server answering Retry-After: 1 for
	// ever would otherwise be retried for the whole budget).
	maxRateLimitWaits = 10
	// secondaryBackoff is the first wait for a secondary rate limit that
	// does not say how long to wait; it doubles each time, as GitHub asks.
	secondaryBackoff = time.Minute
	// progressEvery is how often a long wait says how much is left.
	progressEvery = 30 * time.Second
)

// Transport authenticates requests to GitHub's REST API and makes them
// resilient and safe to hand a token to:
//
//   - the token goes only to the configured API origin (scheme, host,
//     port): a request elsewhere is refused, and so is a redirect to
//     another origin (same-origin redirects, such as GitHub's 301 for a
//     renamed repository, are followed by the http.Client);
//   - 5xx responses and network errors are retried with backoff, only for
//     idempotent methods (a POST whose response was lost may have been
//     applied, and the reconciler re-observes instead);
//   - rate limits are waited out (Retry-After, the primary reset, or an
//     exponential backoff from a minute for a secondary limit that does not
//     say), within a total budget for the run (MaxWait), with progress,
//     and the wait stops when the context is cancelled;
//   - each attempt has its own timeout, separate from the waits;
//   - response bodies are capped, and the token is scrubbed from errors,
//     error bodies and request bodies;
//   - writes are refused in a dry run.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Token is sent as a bearer token, to the API origin only. It never
	// appears in errors or logs.
	Token string
	// APIURL is the configured API root; only its origin (scheme, host and
	// port) is used. nil means https://api.github.com/.
	APIURL *url.URL
	// Secrets are other strings never to be sent or shown (a password
	// given in GITHUB_API_URL): scrubbed like the token.
	Secrets []string
	// DryRun refuses POST, PUT, PATCH and DELETE with ErrDryRun.
	DryRun bool
	// MaxRetries bounds retries of one request after 5xx answers and
	// network errors (default 4).
	MaxRetries int
	// MaxWait is the total time one run may spend waiting for rate limits
	// before giving up with a clear error (0: DefaultMaxWait; negative:
	// never wait).
	MaxWait time.Duration
	// AttemptTimeout bounds one attempt (default DefaultAttemptTimeout).
	AttemptTimeout time.Duration
	// MaxBodySize caps a response body (default DefaultMaxBodySize).
	MaxBodySize int64
	// Sleep waits (swapped in tests); nil sleeps for real, honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock (swapped in tests).
	Now func() time.Time
	// Logf reports waits and retries (to stderr); nil is silent.
	Logf func(format string, args ...any)
	// Cache keeps GET answers with their ETag and makes the next request
	// for them conditional (If-None-Match); nil sends every request
	// unconditionally.
	Cache *ETagCache
	// WritesPerMinute paces content-creating requests (default
	// DefaultWritesPerMinute; negative: unpaced).
	WritesPerMinute int

	mu        sync.Mutex
	remaining int       // from the last x-ratelimit-remaining
	reset     time.Time // from the last x-ratelimit-reset
	known     bool
	waited    time.Duration // rate-limit waits so far, against MaxWait
	streak    int           // secondary limits without Retry-After in a row
	usage     Usage
	cacheWarn sync.Once
	writes    []time.Time // when the last WritesPerMinute writes were sent
	paceNote  sync.Once
}

// RateLimitError says GitHub's rate limit asks for a longer wait than the
// run's --max-wait budget has left.
type RateLimitError struct {
	// Kind is "primary" or "secondary".
	Kind string
	// Reset is when the limit lifts (zero when GitHub did not say).
	Reset time.Time
	// Wait is how long GitHub asked orgctl to wait.
	Wait time.Duration
	// Left is what the budget had left; MaxWait is the budget.
	Left, MaxWait time.Duration
}

func (e *RateLimitError) Error() string {
	budget := fmt.Sprintf("more than --max-wait (%s) has left (%s): run again after that, or raise --max-wait", e.MaxWait, e.Left.Round(time.Second))
	if e.Kind == "primary" && !e.Reset.IsZero() {
		return fmt.Sprintf("GitHub API rate limit exhausted until %s (in %s), %s", e.Reset.UTC().Format("15:04:05 MST"), e.Wait.Round(time.Second), budget)
	}
	return fmt.Sprintf("GitHub's %s rate limit asks orgctl to wait %s, %s", e.Kind, e.Wait.Round(time.Second), budget)
}

// RedirectError says GitHub (or something in its place) redirected a
// request to another origin, which orgctl refuses: the token must not
// follow it.
type RedirectError struct {
	Method, Path string
	// Status is the redirect's status code.
	Status int
	// To is the origin redirected to (scheme://host[:port], nothing more).
	To string
	// Origin is the configured API origin.
	Origin string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refusing to follow a redirect (%d) of %s %s to %s: orgctl sends requests and its token only to %s; check GITHUB_API_URL",
		e.Status, e.Method, e.Path, e.To, e.Origin)
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Transport) sleep(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (t *Transport) logf(format string, args ...any) {
	if t.Logf != nil {
		t.Logf("%s", t.scrubString(fmt.Sprintf(format, args...)))
	}
}

func (t *Transport) maxWait() time.Duration {
	switch {
	case t.MaxWait < 0:
		return 0 // never wait
	case t.MaxWait > 0:
		return t.MaxWait
	}
	return DefaultMaxWait
}

func (t *Transport) attemptTimeout() time.Duration {
	if t.AttemptTimeout > 0 {
		return t.AttemptTimeout
	}
	return DefaultAttemptTimeout
}

func (t *Transport) maxBodySize() int64 {
	if t.MaxBodySize > 0 {
		return t.MaxBodySize
	}
	return DefaultMaxBodySize
}

var defaultAPIURL = &url.URL{Scheme: "https", Host: "api.github.com", Path: "/"}

func (t *Transport) apiURL() *url.URL {
	if t.APIURL != nil {
		return t.APIURL
	}
	return defaultAPIURL
}

// Mutating reports whether a method changes state on GitHub.
func Mutating(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

func idempotent(method string) bool { return method != http.MethodPost }

// Origin is scheme://host:port of u, lower case, with the scheme's default
// port made explicit: two URLs may share a token only if their origins are
// equal.
func Origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// displayOrigin is scheme://host[:port] of u for messages: no user
// information, path or query.
func displayOrigin(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if t.DryRun && Mutating(req.Method) && !isReadOnly(req.Context()) {
		return nil, fmt.Errorf("%w: %s %s", ErrDryRun, req.Method, req.URL.Path)
	}
	if Origin(req.URL) != Origin(t.apiURL()) {
		return nil, fmt.Errorf("refusing to send %s %s to %s: orgctl sends requests and its token only to %s; check GITHUB_API_URL",
			req.Method, req.URL.Path, displayOrigin(req.URL), displayOrigin(t.apiURL()))
	}
	body, err := t.readBody(req)
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	if err := t.pace(ctx, req); err != nil {
		return nil, err
	}
	maxRetries := t.MaxRetries
	if maxRetries <= 0 {
		maxRetries = 4
	}
	var cached *cacheEntry
	key := ""
	if t.Cache != nil && req.Method == http.MethodGet && body == nil && req.Header.Get("If-None-Match") == "" {
		key = cacheKey(req, t.Token)
		cached = t.Cache.get(key)
	}
	retries, waits := 0, 0
	for {
		if err := t.waitForPrimary(ctx); err != nil {
			return nil, err
		}
		actx, cancel := context.WithTimeout(ctx, t.attemptTimeout())
		sent := t.prepare(actx, req, body)
		if cached != nil {
			sent.Header.Set("If-None-Match", cached.ETag)
		}
		resp, err := t.base().RoundTrip(sent)
		if err != nil {
			cancel()
			if ctx.Err() != nil {
				return nil, interrupted(ctx)
			}
			if errors.Is(actx.Err(), context.DeadlineExceeded) {
				err = fmt.Errorf("GitHub did not answer within %s: %w", t.attemptTimeout(), err)
			}
			if idempotent(req.Method) && retries < maxRetries {
				d := backoff(retries)
				retries++
				t.logf("GitHub request %s %s failed (%v); retrying in %s", req.Method, req.URL.Path, err, d)
				if err := t.sleep(ctx, d); err != nil {
					return nil, interrupted(ctx)
				}
				continue
			}
			return nil, t.scrub(err)
		}
		ab := &attemptBody{ReadCloser: resp.Body, cancel: cancel, ctx: actx, left: t.maxBodySize(), limit: t.maxBodySize(),
			what: req.Method + " " + req.URL.Path, timeout: t.attemptTimeout()}
		resp.Body = ab
		if resp.ContentLength > t.maxBodySize() {
			resp.Body.Close()
			return nil, ab.tooLarge()
		}
		if err := t.checkRedirect(req, resp); err != nil {
			resp.Body.Close()
			return nil, err
		}
		t.record(resp)
		t.count(req, resp)
		wait, kind, reset, retry, err := t.classify(req, resp, retries, maxRetries)
		if err != nil {
			resp.Body.Close()
			return nil, err
		}
		if !retry {
			if resp.StatusCode >= 400 {
				if err := t.scrubBody(resp); err != nil {
					return nil, err
				}
			}
			switch {
			case cached != nil && resp.StatusCode == http.StatusNotModified:
				drain(resp)
				resp = cachedResponse(req, resp, cached)
			case key != "" && resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
				if err := t.keep(key, resp); err != nil {
					return nil, t.scrub(err)
				}
			}
			hideRateLimit(resp.Header)
			return resp, nil
		}
		drain(resp)
		if kind == "" {
			retries++
			if err := t.sleep(ctx, wait); err != nil {
				return nil, interrupted(ctx)
			}
			continue
		}
		if waits++; waits > maxRateLimitWaits {
			return nil, fmt.Errorf("GitHub's %s rate limit refused %s %s %d times in a row: run again later", kind, req.Method, req.URL.Path, waits)
		}
		if err := t.wait(ctx, wait, kind, reset); err != nil {
			return nil, err
		}
	}
}

// readBody reads the request body once, scrubbed of secrets, so that
// every attempt sends the same bytes and nothing orgctl publishes carries
// the token.
func (t *Transport) readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the body of %s %s: %w", req.Method, req.URL.Path, err)
	}
	return []byte(t.scrubString(string(b))), nil
}

// prepare clones the request for one attempt, with authentication and a
// fresh body. The token is only ever attached here, and only for the API
// origin (RoundTrip refuses any other before getting here).
func (t *Transport) prepare(ctx context.Context, req *http.Request, body []byte) *http.Request {
	r := req.Clone(ctx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	r.Header.Del("Authorization")
	if t.Token != "" && Origin(r.URL) == Origin(t.apiURL()) {
		r.Header.Set("Authorization", "Bearer "+t.Token)
	}
	if r.Header.Get("X-GitHub-Api-Version") == "" {
		r.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	}
	return r
}

// checkRedirect refuses a redirect to another origin. Same-origin
// redirects are returned for the http.Client to follow (through this
// transport again); GitHub answers 301 or 307 for a renamed repository.
func (t *Transport) checkRedirect(req *http.Request, resp *http.Response) error {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil
	}
	to, err := req.URL.Parse(loc)
	if err != nil {
		return fmt.Errorf("GitHub redirected %s %s to an invalid location: refusing to follow it", req.Method, req.URL.Path)
	}
	if Origin(to) == Origin(t.apiURL()) {
		return nil
	}
	return &RedirectError{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, To: displayOrigin(to), Origin: displayOrigin(t.apiURL())}
}

// CheckRedirect is for http.Client.CheckRedirect: it refuses a redirect to
// another origin (should one ever get past RoundTrip) and stops after ten.
func (t *Transport) CheckRedirect(req *http.Request, via []*http.Request) error {
	if Origin(req.URL) != Origin(t.apiURL()) {
		return &RedirectError{Method: via[0].Method, Path: via[0].URL.Path, Status: req.Response.StatusCode, To: displayOrigin(req.URL), Origin: displayOrigin(t.apiURL())}
	}
	if len(via) >= 10 {
		return fmt.Errorf("GitHub redirected %s %s more than 10 times: check GITHUB_API_URL", via[0].Method, via[0].URL.Path)
	}
	return nil
}

// classify decides what to do with a response: return it, retry after a
// backoff (kind ""), or wait for a rate limit of kind "primary" or
// "secondary" and retry.
func (t *Transport) classify(req *http.Request, resp *http.Response, retries, maxRetries int) (wait time.Duration, kind string, reset time.Time, retry bool, err error) {
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusForbidden {
		if ra := retryAfter(resp, t.now()); ra >= 0 {
			// A throttle that says when (a secondary limit): the request
			// was rejected, so retrying is safe for every method.
			t.setStreak(0)
			return ra, "secondary", t.now().Add(ra), true, nil
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			reset := resetTime(resp)
			if reset.IsZero() {
				// Used up, but GitHub does not say until when: back off
				// as for a secondary limit.
				wait := secondaryBackoff << min(t.setStreak(-1), 10)
				return wait, "primary", t.now().Add(wait), true, nil
			}
			wait := max(reset.Sub(t.now())+time.Second, time.Second)
			t.mu.Lock()
			t.known = false // this wait covers it
			t.mu.Unlock()
			return wait, "primary", reset, true, nil
		}
		if resp.StatusCode == http.StatusTooManyRequests || secondaryMessage(resp) {
			// GitHub's guidance without Retry-After: wait at least a
			// minute, and longer each time it happens again.
			n := t.setStreak(-1)
			wait := secondaryBackoff << min(n, 10)
			return wait, "secondary", t.now().Add(wait), true, nil
		}
		t.setStreak(0)
		return 0, "", time.Time{}, false, nil
	}
	t.setStreak(0)
	if resp.StatusCode >= 500 && idempotent(req.Method) && retries < maxRetries {
		d := backoff(retries)
		t.logf("GitHub answered %d to %s %s; retrying in %s", resp.StatusCode, req.Method, req.URL.Path, d)
		return d, "", time.Time{}, true, nil
	}
	return 0, "", time.Time{}, false, nil
}

// setStreak sets the count of secondary limits without Retry-After in a
// row (n >= 0), or counts one more (n < 0) and returns the count before.
func (t *Transport) setStreak(n int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	before := t.streak
	if n < 0 {
		t.streak++
	} else {
		t.streak = n
	}
	return before
}

// wait sleeps d for a rate limit of the given kind, within what the run's
// budget has left, saying every progressEvery how much is left. A
// cancelled context ends it with ErrInterrupted.
func (t *Transport) wait(ctx context.Context, d time.Duration, kind string, until time.Time) error {
	t.mu.Lock()
	left := t.maxWait() - t.waited
	if d > left {
		t.mu.Unlock()
		return &RateLimitError{Kind: kind, Reset: until, Wait: d, Left: max(left, 0), MaxWait: t.maxWait()}
	}
	t.waited += d
	t.mu.Unlock()
	at := until.UTC().Format("15:04:05 MST")
	t.logf("GitHub's %s rate limit: waiting %s, until %s (--max-wait %s; Ctrl-C stops)", kind, d.Round(time.Second), at, t.maxWait())
	for rest := d; rest > 0; {
		step := min(rest, progressEvery)
		if err := t.sleep(ctx, step); err != nil {
			return interrupted(ctx)
		}
		if ctx.Err() != nil {
			return interrupted(ctx)
		}
		if rest -= step; rest > 0 {
			t.logf("still waiting for GitHub's %s rate limit: %s left, until %s", kind, rest.Round(time.Second), at)
		}
	}
	return nil
}

// interrupted is the error for a cancelled context.
func interrupted(ctx context.Context) error {
	return fmt.Errorf("%w (%v)", ErrInterrupted, context.Cause(ctx))
}

// record keeps the primary rate limit state from response headers.
func (t *Transport) record(resp *http.Response) {
	rem, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining"))
	if err != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.remaining, t.reset, t.known = rem, resetTime(resp), true
}

// waitForPrimary waits before sending when the last response said the
// primary limit is used up.
func (t *Transport) waitForPrimary(ctx context.Context) error {
	t.mu.Lock()
	exhausted := t.known && t.remaining <= 0 && t.reset.After(t.now())
	reset := t.reset
	t.mu.Unlock()
	if !exhausted {
		return nil
	}
	if err := t.wait(ctx, reset.Sub(t.now())+time.Second, "primary", reset); err != nil {
		return err
	}
	t.mu.Lock()
	t.known = false
	t.mu.Unlock()
	return nil
}

// hideRateLimit removes the rate-limit headers from a response before
// go-github sees it. go-github v60 remembers the last rate it saw and,
// while X-RateLimit-Remaining was 0 and the wall clock is before
// X-RateLimit-Reset, answers every later call itself with a
// *RateLimitError without sending it (checkRateLimitBeforeDo); after a 403
// with Retry-After it does the same for secondary limits
// (checkSecondaryRateLimitBeforeDo). v60 offers no switch for either (its
// bypass key is unexported; SleepUntilPrimaryRateLimitResetWhenRateLimited
// came later, and sleeps outside any budget or test clock). This transport
// owns every wait, within --max-wait and with progress, so go-github is
// handed responses without the headers those checks read: every call
// reaches RoundTrip, which waits before sending when the limit is used up.
// Rate-limited responses themselves are never returned (they are waited
// out or become a RateLimitError).
func hideRateLimit(h http.Header) {
	h.Del("X-RateLimit-Remaining")
	h.Del("X-RateLimit-Reset")
	h.Del("Retry-After")
}

func resetTime(resp *http.Response) time.Time {
	sec, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// retryAfter reads Retry-After (seconds or an HTTP date); -1 when absent.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return -1
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if when, err := http.ParseTime(v); err == nil {
		return max(when.Sub(now), 0)
	}
	return -1
}

// secondaryMessage peeks at a 403 body for GitHub's secondary-limit text,
// leaving the body readable.
func secondaryMessage(resp *http.Response) bool {
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	low := bytes.ToLower(b)
	return err == nil && (bytes.Contains(low, []byte("secondary rate limit")) || bytes.Contains(low, []byte("secondary-rate-limits")))
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// backoff is exponential with jitter: about 0.5s, 1s, 2s, 4s.
func backoff(attempt int) time.Duration {
	d := time.Duration(500*(1<<attempt)) * time.Millisecond
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// attemptBody is a response body that ends its attempt's timeout when
// closed and refuses to read past the size cap.
type attemptBody struct {
	io.ReadCloser
	cancel  context.CancelFunc
	ctx     context.Context
	left    int64 // bytes still allowed; below 0 once the cap is passed
	limit   int64
	what    string // "GET /repos/..." for messages
	timeout time.Duration
}

func (b *attemptBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.tooLarge()
	}
	// Reading one byte past the cap tells a body of exactly the cap from
	// a larger one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return 0, b.tooLarge()
	}
	if err != nil && !errors.Is(err, io.EOF) && errors.Is(b.ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("reading GitHub's answer to %s took longer than %s: %w", b.what, b.timeout, err)
	}
	return n, err
}

func (b *attemptBody) tooLarge() error {
	return fmt.Errorf("%w: the answer to %s is over %d MiB, more than GitHub's API ever sends, so it is refused", ErrBodyTooLarge, b.what, b.limit>>20)
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// scrubBody replaces an error response's body with a copy scrubbed of
// secrets, so that no message built from it (shown, or written into an
// issue or a comment) carries the token.
func (t *Transport) scrubBody(resp *http.Response) error {
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return t.scrub(err)
	}
	resp.Body = io.NopCloser(strings.NewReader(t.scrubString(string(b))))
	resp.ContentLength = -1
	resp.Header.Del("Content-Length")
	return nil
}

func (t *Transport) secrets() []string {
	return append([]string{t.Token}, t.Secrets...)
}

func (t *Transport) scrubString(s string) string {
	return ScrubString(s, t.secrets()...)
}

// scrub removes secrets from an error's text, in case a proxy or URL ever
// echoed one. The error keeps its chain when there is nothing to remove.
func (t *Transport) scrub(err error) error {
	if err == nil {
		return nil
	}
	if s := t.scrubString(err.Error()); s != err.Error() {
		return errors.New(s)
	}
	return err
}

// MinSecretLength is the shortest secret that is scrubbed wherever it
// appears: anything shorter would mangle ordinary words (a one-letter
// password); it is still never sent anywhere but to the API origin.
const MinSecretLength = 4

// ScrubString replaces every occurrence of each secret (at least
// MinSecretLength long) in s with "***", in the forms a secret takes in a
// URL or in JSON too.
func ScrubString(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) < MinSecretLength {
			continue
		}
		for _, form := range SecretForms(sec) {
			if strings.Contains(s, form) {
				s = strings.ReplaceAll(s, form, "***")
			}
		}
	}
	return s
}

// SecretForms lists the ways a secret may be written: as is, escaped in a
// URL's user information, path or query, and escaped in a JSON string.
func SecretForms(sec string) []string {
	forms := []string{sec}
	add := func(f string) {
		for _, g := range forms {
			if g == f {
				return
			}
		}
		forms = append(forms, f)
	}
	if u := url.UserPassword("u", sec).String(); strings.HasPrefix(u, "u:") {
		add(u[2:])
	}
	add(url.QueryEscape(sec))
	add(url.PathEscape(sec))
	var b strings.Builder
	for _, r := range sec {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r == '<' || r == '>' || r == '&':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	add(b.String())
	return forms
}
