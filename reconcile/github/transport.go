package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrDryRun is returned for every mutating request in a dry run: the
// transport is where --dry-run is enforced, so no write can leave the
// process whatever the code above it does.
var ErrDryRun = errors.New("dry run: mutating request not sent")

// Transport authenticates requests to GitHub's REST API and makes them
// resilient: it retries 5xx responses and network errors with backoff
// (only for idempotent methods: a POST whose response was lost may have
// been applied, and the reconciler re-observes instead), honours
// Retry-After and secondary rate limits, waits for the primary rate limit
// to reset when that is near, and refuses writes in a dry run.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Token is sent as a bearer token. It never appears in errors or logs.
	Token string
	// DryRun refuses POST, PUT, PATCH and DELETE with ErrDryRun.
	DryRun bool
	// MaxRetries bounds retries of one request (default 4).
	MaxRetries int
	// MaxWait is the longest orgctl waits for a rate limit to reset before
	// giving up with a clear error (default 5 minutes).
	MaxWait time.Duration
	// Sleep waits (swapped in tests); nil sleeps for real, honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock (swapped in tests).
	Now func() time.Time
	// Logf reports waits and retries (to stderr); nil is silent.
	Logf func(format string, args ...any)

	mu        sync.Mutex
	remaining int       // from the last x-ratelimit-remaining, -1 unknown
	reset     time.Time // from the last x-ratelimit-reset
	known     bool
}

// RateLimitError says the primary rate limit is exhausted for longer than
// orgctl is willing to wait.
type RateLimitError struct {
	Reset time.Time
	Wait  time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("GitHub API rate limit exhausted until %s (in %s): run again after that, or use a token with a higher limit",
		e.Reset.UTC().Format("15:04 MST"), e.Wait.Round(time.Second))
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
		t.Logf(format, args...)
	}
}

func (t *Transport) maxWait() time.Duration {
	if t.MaxWait > 0 {
		return t.MaxWait
	}
	return 5 * time.Minute
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

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.DryRun && Mutating(req.Method) {
		return nil, fmt.Errorf("%w: %s %s", ErrDryRun, req.Method, req.URL.Path)
	}
	ctx := req.Context()
	maxRetries := t.MaxRetries
	if maxRetries <= 0 {
		maxRetries = 4
	}
	for attempt := 0; ; attempt++ {
		if err := t.waitForPrimary(ctx); err != nil {
			return nil, err
		}
		r, err := t.prepare(req)
		if err != nil {
			return nil, err
		}
		resp, err := t.base().RoundTrip(r)
		if err != nil {
			if ctx.Err() == nil && idempotent(req.Method) && attempt < maxRetries {
				d := backoff(attempt)
				t.logf("GitHub request %s %s failed (%v); retrying in %s", req.Method, req.URL.Path, scrub(err, t.Token), d)
				if err := t.sleep(ctx, d); err != nil {
					return nil, err
				}
				continue
			}
			return nil, scrub(err, t.Token)
		}
		t.record(resp)
		wait, retry, err := t.classify(req, resp, attempt, maxRetries)
		if err != nil {
			resp.Body.Close()
			return nil, err
		}
		if !retry {
			return resp, nil
		}
		drain(resp)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// prepare clones the request with authentication and a fresh body.
func (t *Transport) prepare(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	if t.Token != "" {
		r.Header.Set("Authorization", "Bearer "+t.Token)
	}
	if r.Header.Get("X-GitHub-Api-Version") == "" {
		r.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	}
	return r, nil
}

// classify decides what to do with a response: return it, or wait and
// retry.
func (t *Transport) classify(req *http.Request, resp *http.Response, attempt, maxRetries int) (time.Duration, bool, error) {
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusForbidden:
		if attempt >= maxRetries {
			return 0, false, nil
		}
		if ra := retryAfter(resp, t.now()); ra >= 0 {
			// Secondary rate limit (or any throttle that says when): the
			// request was rejected, so retrying is safe for every method.
			if ra > t.maxWait() {
				return 0, false, fmt.Errorf("GitHub asks orgctl to wait %s (secondary rate limit): run again later", ra.Round(time.Second))
			}
			t.logf("GitHub secondary rate limit: waiting %s before retrying %s %s", ra.Round(time.Second), req.Method, req.URL.Path)
			return ra, true, nil
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			reset := resetTime(resp)
			wait := reset.Sub(t.now()) + time.Second
			if wait > t.maxWait() {
				return 0, false, &RateLimitError{Reset: reset, Wait: wait}
			}
			wait = max(wait, time.Second)
			t.logf("GitHub API rate limit exhausted: waiting %s for it to reset", wait.Round(time.Second))
			t.mu.Lock()
			t.known = false // this wait covers it
			t.mu.Unlock()
			return wait, true, nil
		}
		if secondaryMessage(resp) {
			// GitHub's guidance without Retry-After: wait at least a minute.
			t.logf("GitHub secondary rate limit: waiting 1m0s before retrying %s %s", req.Method, req.URL.Path)
			return time.Minute, true, nil
		}
	case resp.StatusCode >= 500:
		if idempotent(req.Method) && attempt < maxRetries {
			d := backoff(attempt)
			t.logf("GitHub answered %d to %s %s; retrying in %s", resp.StatusCode, req.Method, req.URL.Path, d)
			return d, true, nil
		}
	}
	return 0, false, nil
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
	wait := reset.Sub(t.now()) + time.Second
	if wait > t.maxWait() {
		return &RateLimitError{Reset: reset, Wait: wait}
	}
	t.logf("GitHub API rate limit exhausted: waiting %s for it to reset", wait.Round(time.Second))
	if err := t.sleep(ctx, wait); err != nil {
		return err
	}
	t.mu.Lock()
	t.known = false
	t.mu.Unlock()
	return nil
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
	return err == nil && bytes.Contains(bytes.ToLower(b), []byte("secondary rate limit"))
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

// scrub removes the token from an error's text, in case a proxy or URL
// ever echoed it.
func scrub(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "***"))
}
