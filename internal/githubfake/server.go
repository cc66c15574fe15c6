// Package githubfake is an in-memory, stateful fake of the part of GitHub's
// REST API that orgctl uses (the authenticated user, issues, comments,
// labels, pull requests, review requests, git refs and contents), served with
// net/http/httptest.
//
// It behaves as GitHub does where a client can tell: Link-header pagination
// with at most 100 items a page, labels=a,b meaning all of them, pull
// requests appearing in issue lists, 422 Validation Failed bodies, rate-limit
// headers on every response, ETags on GET answers with 304 Not Modified
// for a matching If-None-Match (free: PointsUsed counts points as GitHub
// does), and switchable faults (see faults.go). Every
// request it receives and every response it returns is checked against
// GitHub's own OpenAPI description (see openapi.go); a mismatch fails the
// test given to New, whichever side is wrong.
//
// A test seeds state (AddRepo, AddUser, AddIssue, ...), points the client
// under test at URL, and then inspects state (Issues, Comments, Pulls, ...)
// and traffic (Requests, MutatingRequests):
//
//	fake := githubfake.New(t, githubfake.WithToken("t0ken"))
//	fake.AddRepo("acme", "people", "main")
//	fake.AddUser("alice") // assignable
//	fake.AddIssue("acme", "people", githubfake.Issue{Title: "stale", Labels: []string{"orgctl"}})
//	fake.DropAfterWrite("POST", "/repos/{owner}/{repo}/issues", 1)
//	runApply(t, fake.URL(), "t0ken") // the code under test
//	if got := fake.Issues("acme", "people"); len(got) != 2 { ... }
//	before := fake.MutatingRequests()
//	runApply(t, fake.URL(), "t0ken")
//	if fake.MutatingRequests() != before { ... } // a second run changes nothing
//
// Each token (WithToken, WithUserToken, WithInstallationToken) is an
// account: what a request creates is authored by the token's login, and
// GET /user answers that user, or 403 "Resource not accessible by
// integration" for an installation token, as GitHub does.
//
// Where GitHub's behaviour varies or the fake has to choose, it does this:
//   - an assignee who cannot be assigned (unknown to AddUser) gets 422,
//     errors[{resource: Issue, field: assignees, code: invalid, value: LOGIN}],
//     on create and edit; GitHub sometimes drops such a login silently
//     instead, and a client must cope with the strict case;
//   - labels named on an issue that the repository lacks are created (colour
//     ededed), as GitHub does for a token with push access;
//   - bodies of issues, pull requests and comments may have 65,536
//     characters, titles 256;
//   - in the pull-request list, head=OWNER:BRANCH filters and a head without
//     the owner is ignored, as on GitHub;
//   - deleting a branch closes the open pull requests whose head it was;
//   - branches are the only git refs; forks, milestones, team reviewers and
//     merging are not modelled: such requests get a 422, and operations the
//     fake does not serve get a 404 and fail the test.
//
// The package does not import go-github on purpose: it must not share the
// client's mistakes.
package githubfake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running fake. Create one with New; it closes itself when the
// test ends.
type Server struct {
	t      testing.TB
	srv    *httptest.Server
	prefix string // "" (api.github.com style) or "/api/v3" (GitHub Enterprise style)
	tokens map[string]account
	// noGraphQL makes the GraphQL endpoint answer 404 (WithoutGraphQL).
	noGraphQL bool
	viewer    string
	clock     func() time.Time
	limit     int
	checkAPI  bool
	started   time.Time // when New ran: the accounts' creation date

	mu       sync.Mutex
	st       store
	requests []Request
	faults   []*fault
	used     int       // requests counted against the primary rate limit in this window
	points   int       // rate-limit points spent since New, over every window
	notMod   int       // requests answered 304 Not Modified
	reset    time.Time // when the window ends
	reqID    int

	closeOnce sync.Once
}

// Option configures a Server.
type Option func(*Server)

// account is who a token authenticates: a user, or an app installation
// (GitHub Actions' GITHUB_TOKEN, a GitHub App's installation token) acting
// as its bot. login "" stands for the viewer.
type account struct {
	login        string
	installation bool
}

// WithToken makes the fake require "Authorization: Bearer TOKEN" (or
// "token TOKEN") on every request, answering 401 as GitHub does otherwise.
// TOKEN is a user token of the viewer (see WithViewer). Without any token
// option any request is accepted, as the viewer's.
func WithToken(token string) Option { return withAccount(token, account{}) }

// WithUserToken accepts token as a personal token of login: what a request
// with it creates is authored by login, and GET /user answers login. Use it
// beside WithToken to act as another person (a reviewer, an attacker).
func WithUserToken(token, login string) Option {
	return withAccount(token, account{login: login})
}

// WithInstallationToken accepts token as an app installation token whose
// bot is login (e.g. "github-actions[bot]"): it authors what it creates,
// and GET /user refuses it with 403 "Resource not accessible by
// integration", as GitHub does.
func WithInstallationToken(token, login string) Option {
	return withAccount(token, account{login: login, installation: true})
}

func withAccount(token string, a account) Option {
	return func(s *Server) {
		if s.tokens == nil {
			s.tokens = map[string]account{}
		}
		s.tokens[token] = a
	}
}

// WithEnterprisePrefix serves the API under /api/v3, as GitHub Enterprise
// Server does; URL then ends in /api/v3 and requests outside it get 404.
func WithEnterprisePrefix() Option { return func(s *Server) { s.prefix = "/api/v3" } }

// WithClock sets where timestamps (created_at, updated_at, closed_at, the
// rate-limit reset) come from. The default is time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// WithViewer sets the login of the authenticated user of WithToken (and of
// every request when no token is required): the author of what the client
// creates and the one who closes what it closes. The default is
// "orgctl-bot".
func WithViewer(login string) Option { return func(s *Server) { s.viewer = login } }

// WithRateLimit sets the primary rate limit per hour (default 5000, as for
// a user token). Once it is used up, requests get 403 until the reset.
func WithRateLimit(limit int) Option { return func(s *Server) { s.limit = limit } }

// New starts a fake for the test t. Validation failures and misuse are
// reported on t, and the server is closed when t ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, viewer: "orgctl-bot", clock: time.Now, limit: 5000, st: newStore()}
	for _, o := range opts {
		o(s)
	}
	if _, err := loadDescription(); err != nil {
		t.Fatalf("githubfake: %v", err)
	}
	s.started = s.now()
	s.reset = s.started.Add(time.Hour)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL is the API base URL, without a trailing slash: the server's root
// (like https://api.github.com) or, with WithEnterprisePrefix, root+"/api/v3"
// (like GitHub Enterprise Server). It is what GITHUB_API_URL would hold.
func (s *Server) URL() string { return s.srv.URL + s.prefix }

// Client returns an HTTP client that reaches the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close stops the server, waiting for requests in flight. It is safe to call
// more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// Request is a request the fake received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the path as GitHub sees it: without the /api/v3 prefix,
	// percent-decoded, e.g. /repos/acme/people/issues.
	Path string
	// Query, Header and Body are as sent.
	Query  url.Values
	Header http.Header
	Body   string
	// Status is the status code answered, or 0 when the connection was
	// dropped without a response.
	Status int
}

// Requests returns every request received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// MutatingRequests counts the requests received with a method that changes
// state (POST, PUT, PATCH, DELETE), whatever their outcome; a GraphQL
// query (the fake serves no mutation) is a read.
func (s *Server) MutatingRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if isMutating(r.Method) && r.Path != s.graphQLPath() { // the fake's GraphQL answers queries only
			n++
		}
	}
	return n
}

func isMutating(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

func (s *Server) now() time.Time { return s.clock().UTC().Truncate(time.Second) }

// response is what a handler (or a fault) answers.
type response struct {
	status int
	header http.Header
	body   []byte
	// fromHandler is set on responses that the route's handler produced, as
	// opposed to the ones made before it (401, rate limits, faults): only the
	// former must use a status code the description declares.
	fromHandler bool
	// unchecked is set on hostile answers a fault makes on purpose (they
	// break the description).
	unchecked bool
}

// serve is the fake's one handler: record, route, check the request against
// the description, apply faults, authenticate, count against the rate limit,
// handle, check the response, then answer (or drop the connection).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	apiPath, inPrefix := strings.CutPrefix(r.URL.Path, s.prefix)
	escaped, _ := strings.CutPrefix(r.URL.EscapedPath(), s.prefix)
	if apiPath == "" {
		apiPath, escaped = "/", "/"
	}

	s.mu.Lock()
	index := len(s.requests)
	s.requests = append(s.requests, Request{Method: r.Method, Path: apiPath, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: string(body)})
	s.mu.Unlock()

	if r.URL.Path == s.graphQLPath() {
		s.mu.Lock()
		resp := s.withHeaders(s.serveGraphQL(r, body))
		s.mu.Unlock()
		s.finish(w, r, index, nil, resp, nil)
		return
	}

	var rt *route
	var params map[string]string
	if inPrefix {
		rt, params = matchRoute(r.Method, escaped)
	}
	if rt == nil {
		if inPrefix {
			s.t.Errorf("githubfake: %s %s: the fake serves no such route (add it to routes.go and run testdata/regenerate.sh)", r.Method, apiPath)
		}
		s.finish(w, r, index, nil, s.withHeaders(errorResponse(http.StatusNotFound, "Not Found", docsRoot)), nil)
		return
	}

	v := s.checkRequest(r, apiPath, escaped, body, rt)
	f := s.takeFaults(r.Method, apiPath, rt)
	if f.delay > 0 {
		timer := time.NewTimer(f.delay)
		select {
		case <-timer.C:
		case <-r.Context().Done(): // the client gave up; the request is still handled, as a server would
			timer.Stop()
		}
	}

	s.mu.Lock()
	actor, resp := s.gate(r, rt, f)
	if resp == nil && f.dropBeforeWrite {
		s.mu.Unlock()
		s.finish(w, r, index, rt, nil, v)
		return
	}
	if resp == nil {
		resp = rt.handle(&call{s: s, r: r, rt: rt, params: params, body: body, actor: actor})
		resp.fromHandler = true
		if f.transform != nil {
			if resp.header == nil {
				resp.header = http.Header{}
			}
			f.transform(r, resp)
		}
		resp = s.conditional(r, resp)
	}
	resp = s.withHeaders(resp)
	s.mu.Unlock()

	if f.dropAfterWrite {
		s.finish(w, r, index, rt, nil, v)
		return
	}
	s.finish(w, r, index, rt, resp, v)
}

// gate answers in place of the handler when the request is not authorised,
// over the rate limit, or meets a fault; a nil response lets it through,
// on behalf of the account returned. It holds s.mu.
func (s *Server) gate(r *http.Request, rt *route, f faultSet) (account, *response) {
	actor := account{login: s.viewer}
	if len(s.tokens) > 0 {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		a, known := s.tokens[tok]
		switch {
		case r.Header.Get("Authorization") == "":
			return actor, errorResponse(http.StatusUnauthorized, "Requires authentication", docsRoot)
		case !(strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) || !known:
			return actor, errorResponse(http.StatusUnauthorized, "Bad credentials", docsRoot)
		}
		if a.login == "" {
			a.login = s.viewer
		}
		actor = a
	}
	now := s.now()
	if !now.Before(s.reset) {
		s.used, s.reset = 0, now.Add(time.Hour)
	}
	if s.used >= s.limit {
		return actor, primaryRateLimited(http.StatusForbidden, actor.login)
	}
	s.used++
	if rt != nil { // a REST route; GraphQL has a limit of its own on GitHub
		s.points++
	}
	if f.respond != nil {
		return actor, f.respond(s, r)
	}
	return actor, nil
}

// conditional puts an ETag on a successful GET answer (a hash of its body,
// so it changes exactly when the answer does) and, when the request's
// If-None-Match names it, answers 304 Not Modified with no body instead,
// refunding the rate-limit point: GitHub does not count a 304 against the
// primary limit. It holds s.mu.
func (s *Server) conditional(r *http.Request, resp *response) *response {
	if r.Method != http.MethodGet || resp.status != http.StatusOK {
		return resp
	}
	sum := sha256.Sum256(resp.body)
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	if resp.header == nil {
		resp.header = http.Header{}
	}
	resp.header.Set("ETag", etag)
	if !etagMatches(r.Header.Get("If-None-Match"), etag) {
		return resp
	}
	s.used--
	s.points--
	s.notMod++
	h := http.Header{}
	for _, k := range []string{"ETag", "Link"} {
		if v := resp.header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	// GitHub's description declares 304 for some operations only; the
	// status is checked where it does.
	return &response{status: http.StatusNotModified, header: h}
}

// etagMatches reads If-None-Match as GitHub does: a list of entity tags
// compared weakly (W/ ignored), or "*".
func etagMatches(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	bare := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == bare {
			return true
		}
	}
	return false
}

// PointsUsed is the REST API's primary rate-limit points spent since New,
// as GitHub counts them: one for each request that reached a handler or a
// fault, none for a 304 Not Modified, none for a request refused for want
// of points, none for GraphQL (GitHub counts it against a limit of its
// own; the fake's rate-limit headers lump both together).
func (s *Server) PointsUsed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.points
}

// NotModified counts the requests answered 304 Not Modified.
func (s *Server) NotModified() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notMod
}

// withHeaders adds what GitHub puts on every response. It holds s.mu.
func (s *Server) withHeaders(resp *response) *response {
	if resp.header == nil {
		resp.header = http.Header{}
	}
	h := resp.header
	s.reqID++
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%04X", s.reqID))
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	if h.Get("X-RateLimit-Remaining") == "" {
		h.Set("X-RateLimit-Remaining", strconv.Itoa(s.limit-s.used))
	}
	if h.Get("X-RateLimit-Used") == "" {
		h.Set("X-RateLimit-Used", strconv.Itoa(s.used))
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	if h.Get("X-RateLimit-Reset") == "" {
		h.Set("X-RateLimit-Reset", strconv.FormatInt(s.reset.Unix(), 10))
	}
	h.Set("X-RateLimit-Resource", "core")
	if len(resp.body) > 0 && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	return resp
}

// finish records the outcome, checks the response against the description
// and writes it, or drops the connection when resp is nil.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, index int, rt *route, resp *response, v *validation) {
	status := 0
	if resp != nil {
		status = resp.status
	}
	s.mu.Lock()
	s.requests[index].Status = status
	s.mu.Unlock()

	if resp == nil {
		hj, ok := w.(http.Hijacker)
		if !ok {
			s.t.Errorf("githubfake: cannot drop the connection of %s %s: the server does not allow hijacking", r.Method, r.URL.Path)
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if v != nil && !resp.unchecked {
		s.checkResponse(v, resp)
	}
	for k, vs := range resp.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}

// docsRoot is the documentation_url of errors that belong to no operation.
const docsRoot = "https://docs.github.com/rest"

// errorResponse is GitHub's error body: message, documentation_url, status.
func errorResponse(status int, message, docs string) *response {
	return jsonResponse(status, map[string]any{
		"message":           message,
		"documentation_url": docs,
		"status":            strconv.Itoa(status),
	})
}

func jsonResponse(status int, v any) *response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("githubfake: encoding a response: %v", err))
	}
	return &response{status: status, body: bytes.TrimRight(buf.Bytes(), "\n")}
}
