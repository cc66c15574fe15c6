package ghsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgctl/orgctl/internal/githubfake"
)

// These tests play GitHub (or something in its place) as an attacker or a
// broken server would, against the in-process fake, through the Client
// that apply, plan and comment use.

const trustToken = "ghs_trustTOKENtrustTOKEN0123456789"

// fakeClock is the clock the fake, the transport's Now and its Sleep
// share: sleeping moves time on, and nothing really sleeps.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
	// onSleep, when set, runs before each sleep (to cancel the context).
	onSleep func()
}

func newClock() *fakeClock { return &fakeClock{now: time.Now().Truncate(time.Second)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.onSleep != nil {
		c.onSleep()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept += d
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// trustEnv is a fake holding acme/people with issue #1, and a client of it.
type trustEnv struct {
	fake  *githubfake.Server
	clock *fakeClock
	log   *strings.Builder
	opts  Options
}

func newTrustEnv(t *testing.T, fakeOpts ...githubfake.Option) *trustEnv {
	t.Helper()
	clock := newClock()
	fake := githubfake.New(t, append([]githubfake.Option{githubfake.WithToken(trustToken), githubfake.WithClock(clock.Now)}, fakeOpts...)...)
	fake.AddRepo("acme", "people", "main")
	fake.AddIssue("acme", "people", githubfake.Issue{Title: "a finding", Labels: []string{"orgctl"}})
	var mu sync.Mutex
	log := &strings.Builder{}
	return &trustEnv{fake: fake, clock: clock, log: log, opts: Options{
		Token: trustToken, BaseURL: fake.URL(), Repo: "acme/people", Now: clock.Now, Sleep: clock.Sleep,
		Logf: func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(log, format+"\n", args...)
		},
	}}
}

func (e *trustEnv) client(t *testing.T) *Client {
	t.Helper()
	c, err := New(e.opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recorder is another server: it records the Authorization header of
// every request it gets, and answers 200 [].
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.auths = append(r.auths, req.Header.Get("Authorization"))
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[]`))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auths...)
}

func TestTokenNeverFollowsARedirectToAnotherOrigin(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		for _, method := range []string{"GET", "POST"} {
			for _, dryRun := range []bool{false, true} {
				t.Run(fmt.Sprintf("%d %s dry-run=%v", status, method, dryRun), func(t *testing.T) {
					e := newTrustEnv(t)
					e.opts.DryRun = dryRun
					other := newRecorder(t)
					fakeURL, _ := url.Parse(e.fake.URL())
					// Another port on the same host, and the same host and
					// port under another scheme: both are other origins.
					for _, to := range []string{other.URL, "https://" + fakeURL.Host} {
						e.fake.Redirect(method, "", 1, status, to)
						c := e.client(t)
						var err error
						if method == "GET" {
							_, err = c.ListManaged(context.Background(), "orgctl")
						} else {
							err = c.Comment(context.Background(), 1, "hello")
						}
						if err == nil {
							t.Fatalf("redirect to %s: no error", to)
						}
						want := "refusing to follow a redirect"
						if dryRun && method == "POST" {
							want = "dry run" // refused before anything is sent
						}
						if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), trustToken) {
							t.Errorf("redirect to %s: err = %v, want %q and no token", to, err, want)
						}
					}
					if got := other.requests(); len(got) != 0 {
						t.Errorf("the other server got %d requests (Authorization %q)", len(got), got)
					}
					if dryRun && method == "POST" {
						if n := e.fake.PendingFaults(); n != 2 {
							t.Errorf("a dry-run POST reached the fake (%d faults left)", n)
						}
						return
					}
					if n := e.fake.PendingFaults(); n != 0 {
						t.Errorf("%d redirects were never answered", n)
					}
				})
			}
		}
	}
}

func TestSameOriginRedirectIsFollowedWithTheToken(t *testing.T) {
	for _, status := range []int{301, 307} {
		e := newTrustEnv(t, githubfake.WithEnterprisePrefix())
		e.fake.Redirect("GET", "/repos/{owner}/{repo}/issues", 1, status, e.fake.URL())
		objs, err := e.client(t).ListManaged(context.Background(), "orgctl")
		if err != nil || len(objs) != 1 {
			t.Fatalf("%d: %v, %d issues", status, err, len(objs))
		}
		reqs := e.fake.Requests()
		if len(reqs) != 2 {
			t.Fatalf("%d: %d requests, want the redirected one and the followed one", status, len(reqs))
		}
		for _, r := range reqs {
			if r.Header.Get("Authorization") != "Bearer "+trustToken {
				t.Errorf("%d: %s %s without the token", status, r.Method, r.Path)
			}
		}
	}
}

func TestTransportSendsNothingToAnotherOrigin(t *testing.T) {
	other := newRecorder(t)
	api, _ := url.Parse("https://api.github.com/")
	for _, target := range []string{other.URL + "/repos/o/r/issues", "http://api.github.com/repos/o/r/issues", "https://api.github.com:8443/repos/o/r/issues"} {
		tr := &Transport{Token: trustToken, APIURL: api, Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return http.DefaultTransport.RoundTrip(r)
		})}
		req, _ := http.NewRequest("GET", target, nil)
		_, err := tr.RoundTrip(req)
		if err == nil || !strings.Contains(err.Error(), "only to https://api.github.com") {
			t.Errorf("%s: err = %v", target, err)
		}
	}
	if got := other.requests(); len(got) != 0 {
		t.Errorf("the other server got %d requests", len(got))
	}
}

func TestRateLimitWaitsAreNotCutByTheRequestTimeout(t *testing.T) {
	tests := []struct {
		name   string
		inject func(f *githubfake.Server)
		slept  time.Duration
		logs   []string
	}{
		{"a 90 s Retry-After", func(f *githubfake.Server) {
			f.SecondaryRateLimit("GET", "/repos/{owner}/{repo}/issues", 1, 90*time.Second)
		}, 90 * time.Second, []string{"waiting 1m30s", "1m0s left", "30s left"}},
		{"a primary reset 3 minutes away", func(f *githubfake.Server) {
			f.PrimaryRateLimitFor("GET", "/repos/{owner}/{repo}/issues", 1, 403, 3*time.Minute)
		}, 3*time.Minute + time.Second, []string{"primary rate limit: waiting 3m1s", "2m31s left"}},
		{"the primary limit answered 429", func(f *githubfake.Server) {
			f.PrimaryRateLimitFor("GET", "/repos/{owner}/{repo}/issues", 1, 429, 5*time.Minute)
		}, 5*time.Minute + time.Second, nil},
		{"a secondary limit without Retry-After, twice: 60 s then 120 s", func(f *githubfake.Server) {
			f.SecondaryRateLimit("GET", "/repos/{owner}/{repo}/issues", 2, 0)
		}, 3 * time.Minute, []string{"secondary rate limit: waiting 1m0s", "secondary rate limit: waiting 2m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTrustEnv(t)
			e.opts.AttemptTimeout = time.Second // far shorter than any wait
			tt.inject(e.fake)
			objs, err := e.client(t).ListManaged(context.Background(), "orgctl")
			if err != nil || len(objs) != 1 {
				t.Fatalf("%v, %d issues", err, len(objs))
			}
			if e.clock.slept != tt.slept {
				t.Errorf("waited %v, want %v", e.clock.slept, tt.slept)
			}
			for _, l := range tt.logs {
				if !strings.Contains(e.log.String(), l) {
					t.Errorf("progress lacks %q:\n%s", l, e.log)
				}
			}
			if n := e.fake.PendingFaults(); n != 0 {
				t.Errorf("%d faults never triggered", n)
			}
		})
	}
}

func TestRateLimitWaitsStopAtMaxWait(t *testing.T) {
	t.Run("one wait longer than --max-wait", func(t *testing.T) {
		e := newTrustEnv(t)
		e.opts.MaxWait = 10 * time.Minute
		e.fake.PrimaryRateLimitFor("GET", "/repos/{owner}/{repo}/issues", 1, 403, 20*time.Minute)
		_, err := e.client(t).ListManaged(context.Background(), "orgctl")
		var rl *RateLimitError
		if !errors.As(err, &rl) || !strings.Contains(err.Error(), "--max-wait (10m0s)") || !strings.Contains(err.Error(), "run again after") {
			t.Fatalf("err = %v", err)
		}
		if e.clock.slept != 0 || len(e.fake.Requests()) != 1 {
			t.Errorf("waited %v and sent %d requests, want no wait and no retry", e.clock.slept, len(e.fake.Requests()))
		}
	})
	t.Run("waits add up against the budget", func(t *testing.T) {
		e := newTrustEnv(t)
		e.opts.MaxWait = 2 * time.Minute
		e.fake.SecondaryRateLimit("GET", "", 2, 0) // 60 s, then 120 s > the 60 s left
		_, err := e.client(t).ListManaged(context.Background(), "orgctl")
		if err == nil || !strings.Contains(err.Error(), "secondary rate limit asks orgctl to wait 2m0s") || !strings.Contains(err.Error(), "has left (1m0s)") {
			t.Fatalf("err = %v", err)
		}
		if e.clock.slept != time.Minute {
			t.Errorf("waited %v, want the first minute only", e.clock.slept)
		}
	})
}

func TestCtrlCDuringARateLimitWaitStopsCleanly(t *testing.T) {
	e := newTrustEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.clock.onSleep = cancel // Ctrl-C as soon as the wait starts
	e.fake.SecondaryRateLimit("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 1, 90*time.Second)
	c := e.client(t)
	err := c.Comment(ctx, 1, "hello")
	if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "run it again") {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	// Nothing more is sent once interrupted.
	err = c.Comment(ctx, 1, "again")
	if !errors.Is(err, ErrInterrupted) {
		t.Errorf("after Ctrl-C: err = %v", err)
	}
	if n := len(e.fake.Requests()); n != 1 {
		t.Errorf("%d requests, want only the rate-limited one", n)
	}
	if cs := e.fake.Comments("acme", "people", 1); len(cs) != 0 {
		t.Errorf("%d comments written after Ctrl-C", len(cs))
	}
}

// go-github v60 refuses calls itself once it has seen
// X-RateLimit-Remaining: 0 until the reset; the transport must be the one
// that waits.
func TestGoGithubDoesNotShortCircuitTheLastRequestOfTheWindow(t *testing.T) {
	e := newTrustEnv(t, githubfake.WithRateLimit(1))
	e.clock.advance(57 * time.Minute) // the window resets in 3 minutes
	c := e.client(t)
	if _, err := c.ListManaged(context.Background(), "orgctl"); err != nil {
		t.Fatal(err) // the window's one request: answered with remaining 0
	}
	if _, err := c.ListComments(context.Background(), 1); err != nil {
		t.Fatalf("the next call after remaining 0: %v", err)
	}
	if e.clock.slept < 3*time.Minute || e.clock.slept > 3*time.Minute+2*time.Second {
		t.Errorf("waited %v, want about 3 minutes (until the reset)", e.clock.slept)
	}
	if n := len(e.fake.Requests()); n != 2 {
		t.Errorf("%d requests reached the fake, want 2 (none rate-limited)", n)
	}
}

func TestEachAttemptHasItsOwnTimeout(t *testing.T) {
	e := newTrustEnv(t)
	e.opts.AttemptTimeout = 200 * time.Millisecond
	e.fake.Latency("GET", "/repos/{owner}/{repo}/issues", 1, 2*time.Second)
	objs, err := e.client(t).ListManaged(context.Background(), "orgctl")
	if err != nil || len(objs) != 1 {
		t.Fatalf("%v, %d issues", err, len(objs))
	}
	if !strings.Contains(e.log.String(), "did not answer within 200ms") {
		t.Errorf("log: %s", e.log)
	}
}

func TestHostileListAnswersEndInAClearError(t *testing.T) {
	type list struct {
		name, pattern string
		call          func(c *Client) error
	}
	lists := []list{
		{"issues", "/repos/{owner}/{repo}/issues", func(c *Client) error { _, err := c.ListManaged(context.Background(), "orgctl"); return err }},
		{"comments", "/repos/{owner}/{repo}/issues/{issue_number}/comments", func(c *Client) error { _, err := c.ListComments(context.Background(), 1); return err }},
		{"labels", "/repos/{owner}/{repo}/labels", func(c *Client) error { return c.EnsureLabels(context.Background(), []string{"orgctl"}) }},
		{"pulls", "/repos/{owner}/{repo}/pulls", func(c *Client) error { _, err := c.unlabelledProposals(context.Background(), nil); return err }},
	}
	faults := []struct {
		name   string
		inject func(f *githubfake.Server, pattern string)
		want   string
		// requests is how many the list may send at most.
		requests int
	}{
		{"null entries", func(f *githubfake.Server, p string) { f.NullEntries("GET", p, 1) }, "null entry", 1},
		{"endless next links", func(f *githubfake.Server, p string) { f.EndlessPages("GET", p, 2*MaxPages, false) }, "still more after 1000 pages", MaxPages},
		{"a next link to the same page", func(f *githubfake.Server, p string) { f.EndlessPages("GET", p, 10, true) }, "points back to page 1", 1},
		{"a body over 32 MiB", func(f *githubfake.Server, p string) { f.HugeBody("GET", p, 1, DefaultMaxBodySize+1) }, "larger than orgctl accepts", 1},
	}
	for _, l := range lists {
		for _, f := range faults {
			t.Run(l.name+"/"+f.name, func(t *testing.T) {
				e := newTrustEnv(t)
				f.inject(e.fake, l.pattern)
				err := l.call(e.client(t))
				if err == nil || !strings.Contains(err.Error(), f.want) {
					t.Fatalf("err = %v, want %q", err, f.want)
				}
				if n := len(e.fake.Requests()); n > f.requests {
					t.Errorf("%d requests, want at most %d", n, f.requests)
				}
			})
		}
	}
}

func TestEveryAnswerIsSizeCapped(t *testing.T) {
	e := newTrustEnv(t)
	e.fake.HugeBody("POST", "/repos/{owner}/{repo}/issues", 1, DefaultMaxBodySize+10)
	_, err := e.client(t).CreateIssue(context.Background(), "t", "b", []string{"orgctl"}, nil)
	if !errors.Is(err, ErrBodyTooLarge) && (err == nil || !strings.Contains(err.Error(), "larger than orgctl accepts")) {
		t.Fatalf("err = %v", err)
	}
}

func TestTheTokenIsNeverShownNorPublished(t *testing.T) {
	e := newTrustEnv(t)
	c := e.client(t)
	for _, status := range []int{422, 500, 401} {
		e.fake.EchoToken("POST", "/repos/{owner}/{repo}/issues", 1, status)
		_, err := c.CreateIssue(context.Background(), "t", "b", []string{"orgctl"}, nil)
		if err == nil || strings.Contains(err.Error(), trustToken) || !strings.Contains(err.Error(), "***") {
			t.Errorf("%d: err = %v, want an error with the token scrubbed", status, err)
		}
	}
	e.fake.EchoToken("GET", "/repos/{owner}/{repo}/issues", 1, 500)
	e.fake.ServerError("GET", "/repos/{owner}/{repo}/issues", 10, 500)
	if _, err := c.ListManaged(context.Background(), "orgctl"); err == nil || strings.Contains(err.Error(), trustToken) {
		t.Errorf("GET: err = %v", err)
	}
	// A body that carries the token (a message echoed into a comment) is
	// sent without it.
	if err := c.Comment(context.Background(), 1, "GitHub said: Bearer "+trustToken); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.fake.Requests() {
		if strings.Contains(r.Body, trustToken) {
			t.Errorf("%s %s sent the token in its body: %s", r.Method, r.Path, r.Body)
		}
	}
	if cs := e.fake.Comments("acme", "people", 1); len(cs) != 1 || cs[0].Body != "GitHub said: Bearer ***" {
		t.Errorf("comments: %+v", cs)
	}
	if strings.Contains(e.log.String(), trustToken) {
		t.Errorf("the log shows the token:\n%s", e.log)
	}
}

func TestAPIURLPasswordIsNeitherSentNorShown(t *testing.T) {
	e := newTrustEnv(t)
	u, _ := url.Parse(e.fake.URL())
	e.opts.BaseURL = "http://orgctl:hunter2-p%40ss@" + u.Host + "/"
	c := e.client(t)
	if _, err := c.ListManaged(context.Background(), "orgctl"); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.fake.Requests() {
		if got := r.Header.Get("Authorization"); got != "Bearer "+trustToken {
			t.Errorf("Authorization %q, want the token only", got)
		}
	}
	e.fake.Close()
	_, err := c.ListManaged(context.Background(), "orgctl")
	if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "orgctl:") {
		t.Errorf("err = %v, want an error without the URL's user information", err)
	}
	if _, err := New(Options{Repo: "acme/people", BaseURL: "ftp://orgctl:hunter2@x/"}); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("invalid URL: err = %v", err)
	}
}

func TestScrubStringCoversTheFormsOfASecret(t *testing.T) {
	for _, tt := range []struct{ in, secret, want string }{
		{"Bearer ghs_abcdEFGH", "ghs_abcdEFGH", "Bearer ***"},
		{"https://u:p%40ss%2Fw@h/", "p@ss/w", "https://u:***@h/"},
		{`{"m":"a\u003cb"}`, "a<b-x", `{"m":"a\u003cb"}`},
		{`{"m":"pa\"ss"}`, `pa"ss`, `{"m":"***"}`},
		{"abc", "ab", "abc"}, // too short to scrub everywhere
	} {
		if got := ScrubString(tt.in, tt.secret); got != tt.want {
			t.Errorf("ScrubString(%q, %q) = %q, want %q", tt.in, tt.secret, got, tt.want)
		}
	}
}
