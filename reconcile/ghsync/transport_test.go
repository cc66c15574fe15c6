package ghsync

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const secretToken = "ghp_SECRETSECRETSECRET"

// scripted serves the given responses in order, then 200s, counting calls.
func scripted(t *testing.T, responses ...func(w http.ResponseWriter)) (*httptest.Server, *int32) {
	var calls int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := atomic.AddInt32(&calls, 1)
		if got := r.Header.Get("Authorization"); got != "Bearer "+secretToken {
			t.Errorf("request %d: Authorization %q", n, got)
		}
		if b, _ := io.ReadAll(r.Body); r.Method == http.MethodPost && string(b) != `{"x":1}` {
			t.Errorf("request %d: body %q was not replayed", n, b)
		}
		w.Header().Set("X-RateLimit-Remaining", "4999")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		if int(n) <= len(responses) {
			responses[n-1](w)
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"message":"` + http.StatusText(code) + `"}`))
	}
}

func secondary(w http.ResponseWriter) {
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`))
}

type sleeps struct{ total []time.Duration }

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.total = append(s.total, d)
	return nil
}

func send(t *testing.T, tr *Transport, method, url string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(`{"x":1}`))
	return tr.RoundTrip(req)
}

func TestTransport(t *testing.T) {
	future := strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)
	far := strconv.FormatInt(time.Now().Add(3*time.Hour).Unix(), 10)
	tests := []struct {
		name      string
		method    string
		responses []func(http.ResponseWriter)
		calls     int32
		status    int
		errLike   string
		minSleep  time.Duration
	}{
		{"5xx on GET is retried", "GET", []func(http.ResponseWriter){status(502), status(503)}, 3, 200, "", 0},
		{"5xx on POST is not retried: the write may have happened", "POST", []func(http.ResponseWriter){status(500)}, 1, 500, "", 0},
		{"PATCH is idempotent and retried", "PATCH", []func(http.ResponseWriter){status(500)}, 2, 200, "", 0},
		{"Retry-After is honoured, for POST too", "POST", []func(http.ResponseWriter){status(429, "Retry-After", "7")}, 2, 200, "", 7 * time.Second},
		{"secondary limit with Retry-After", "POST", []func(http.ResponseWriter){status(403, "Retry-After", "3")}, 2, 200, "", 3 * time.Second},
		{"secondary limit without Retry-After waits a minute", "POST", []func(http.ResponseWriter){secondary}, 2, 200, "", time.Minute},
		{"primary limit near its reset: wait and retry", "GET", []func(http.ResponseWriter){status(403, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", future)}, 2, 200, "", 60 * time.Second},
		{"primary limit far from its reset: stop with a clear message", "GET", []func(http.ResponseWriter){status(403, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", far)}, 1, 0, "rate limit exhausted until", 0},
		{"primary limit without a reset: back off from a minute", "GET", []func(http.ResponseWriter){status(429, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "")}, 2, 200, "", time.Minute},
		{"429 without any header is a secondary limit", "GET", []func(http.ResponseWriter){status(429)}, 2, 200, "", time.Minute},
		{"a plain 403 is returned as is", "GET", []func(http.ResponseWriter){status(403)}, 1, 403, "", 0},
		{"404 is returned as is", "GET", []func(http.ResponseWriter){status(404)}, 1, 404, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := scripted(t, tt.responses...)
			var s sleeps
			tr := &Transport{Token: secretToken, APIURL: mustURL(t, srv.URL), Sleep: s.sleep}
			resp, err := send(t, tr, tt.method, srv.URL+"/repos/o/r/issues")
			if tt.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errLike) {
					t.Fatalf("err = %v, want %q", err, tt.errLike)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := atomic.LoadInt32(calls); got != tt.calls {
				t.Errorf("%d requests, want %d", got, tt.calls)
			}
			var total time.Duration
			for _, d := range s.total {
				total += d
			}
			if total < tt.minSleep {
				t.Errorf("slept %v, want at least %v", total, tt.minSleep)
			}
		})
	}
}

func TestTransportDryRunSendsNoWrite(t *testing.T) {
	srv, calls := scripted(t)
	tr := &Transport{Token: secretToken, APIURL: mustURL(t, srv.URL), DryRun: true}
	for _, m := range []string{"POST", "PATCH", "PUT", "DELETE"} {
		if _, err := send(t, tr, m, srv.URL+"/repos/o/r/issues"); !errors.Is(err, ErrDryRun) {
			t.Errorf("%s in a dry run: err = %v", m, err)
		}
	}
	if _, err := send(t, tr, "GET", srv.URL+"/repos/o/r/issues"); err != nil {
		t.Errorf("GET in a dry run: %v", err)
	}
	if got := atomic.LoadInt32(calls); got != 1 {
		t.Errorf("%d requests reached the server, want only the GET", got)
	}
}

func TestTransportNetworkErrorsAreRetriedAndScrubbed(t *testing.T) {
	var s sleeps
	tr := &Transport{Token: secretToken, APIURL: mustURL(t, "http://github.invalid/"), Sleep: s.sleep, Base: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("dial tcp: connection refused (token " + secretToken + ")")
	})}
	_, err := send(t, tr, "GET", "http://github.invalid/repos/o/r/issues")
	if err == nil || strings.Contains(err.Error(), secretToken) {
		t.Errorf("err = %v: want an error without the token", err)
	}
	if len(s.total) != 4 {
		t.Errorf("%d retries, want 4", len(s.total))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestTransportPacesWritesUnderTheSecondaryLimit: 200 POSTs at once are
// sent at most 80 in any minute (GitHub's secondary limit for
// content-creating requests), reads are not paced, and the waits use the
// transport's clock.
func TestTransportPacesWritesUnderTheSecondaryLimit(t *testing.T) {
	srv, calls := scripted(t)
	u, _ := url.Parse(srv.URL)
	clock := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var sent []time.Time
	tr := &Transport{Token: secretToken, APIURL: u,
		Now:   func() time.Time { return clock },
		Sleep: func(_ context.Context, d time.Duration) error { clock = clock.Add(d); return nil }}
	c := &http.Client{Transport: tr}
	for i := 0; i < 200; i++ {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/repos/a/b/issues", strings.NewReader(`{"x":1}`))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sent = append(sent, clock)
		clock = clock.Add(100 * time.Millisecond) // each write takes a little time
	}
	for i := 80; i < len(sent); i++ {
		if d := sent[i].Sub(sent[i-80]); d < time.Minute {
			t.Fatalf("writes %d and %d sent %s apart: 81 writes within a minute", i-80, i, d)
		}
	}
	if total := sent[len(sent)-1].Sub(sent[0]); total > 3*time.Minute {
		t.Errorf("200 writes took %s: paced far more than 80 a minute needs", total)
	}
	before := clock
	for i := 0; i < 100; i++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/repos/a/b/issues", nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if clock != before || atomic.LoadInt32(calls) != 300 {
		t.Errorf("reads were paced (waited %s) or lost (%d calls)", clock.Sub(before), atomic.LoadInt32(calls))
	}
}
