package githubfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Faults make the fake misbehave the way GitHub sometimes does. Each applies
// to the next `times` requests that match a method and a path pattern:
//
//   - method is an HTTP method ("" or "*" for any);
//   - pattern is either one of GitHub's path templates as routes.go lists
//     them ("/repos/{owner}/{repo}/issues", matching any owner and repo), or a
//     path.Match pattern on the request path without the /api/v3 prefix
//     ("/repos/acme/people/issues/*"), or "" for any path.
//
// Faults are tried in the order they were added. Latency combines with the
// others; of the rest, the first matching fault applies. A fault still
// applies when the request is invalid or unauthorised, and counts as used.

type faultKind int

const (
	faultStatus faultKind = iota
	faultPrimary
	faultSecondary
	faultDropAfterWrite
	faultDropBeforeWrite
	faultLatency
	faultRedirect
	faultEchoToken
	faultNullEntries
	faultEndlessPages
	faultHugeBody
)

type fault struct {
	kind       faultKind
	method     string
	pattern    string
	left       int
	status     int
	retryAfter time.Duration
	delay      time.Duration
	location   string // faultRedirect: the base URL redirected to
	repeat     bool   // faultEndlessPages: next points to the same page
	size       int    // faultHugeBody: bytes
}

// faultSet is what the faults matching one request ask for.
type faultSet struct {
	delay           time.Duration
	respond         func(s *Server, r *http.Request) *response // answer instead of the handler
	transform       func(r *http.Request, resp *response)      // change the handler's answer
	dropAfterWrite  bool
	dropBeforeWrite bool
}

func (s *Server) addFault(f *fault) {
	s.t.Helper()
	if f.pattern != "" && !strings.Contains(f.pattern, "{") {
		if _, err := path.Match(f.pattern, ""); err != nil {
			s.t.Fatalf("githubfake: fault path pattern %q: %v", f.pattern, err)
		}
	}
	if f.left <= 0 {
		s.t.Fatalf("githubfake: a fault must apply to at least one request, not %d", f.left)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// ServerError answers the next times matching requests with status (500,
// 502 or 503) and a JSON body, without handling them: nothing changes.
func (s *Server) ServerError(method, pattern string, times, status int) {
	s.t.Helper()
	if status < 500 || status > 599 {
		s.t.Fatalf("githubfake: ServerError needs a 5xx status, not %d", status)
	}
	s.addFault(&fault{kind: faultStatus, method: method, pattern: pattern, left: times, status: status})
}

// PrimaryRateLimit answers the next times matching requests as GitHub does
// when the primary rate limit is used up: status 403 (or 429),
// x-ratelimit-remaining: 0, x-ratelimit-reset at the current window's end,
// and "API rate limit exceeded for ...". Nothing changes.
func (s *Server) PrimaryRateLimit(method, pattern string, times, status int) {
	s.t.Helper()
	if status != http.StatusForbidden && status != http.StatusTooManyRequests {
		s.t.Fatalf("githubfake: PrimaryRateLimit answers 403 or 429, not %d", status)
	}
	s.addFault(&fault{kind: faultPrimary, method: method, pattern: pattern, left: times, status: status})
}

// PrimaryRateLimitFor is PrimaryRateLimit with x-ratelimit-reset d from
// the fake's clock instead of at the window's end: a limit that lifts soon
// (or late). The window itself is not changed.
func (s *Server) PrimaryRateLimitFor(method, pattern string, times, status int, d time.Duration) {
	s.t.Helper()
	if status != http.StatusForbidden && status != http.StatusTooManyRequests {
		s.t.Fatalf("githubfake: PrimaryRateLimitFor answers 403 or 429, not %d", status)
	}
	if d <= 0 {
		s.t.Fatalf("githubfake: PrimaryRateLimitFor needs a reset in the future, not %v", d)
	}
	s.addFault(&fault{kind: faultPrimary, method: method, pattern: pattern, left: times, status: status, retryAfter: d})
}

// SecondaryRateLimit answers the next times matching requests with 403,
// Retry-After (whole seconds) and "You have exceeded a secondary rate
// limit...", as GitHub does when a client sends too much too fast. A
// retryAfter of 0 sends no Retry-After at all, as GitHub sometimes does
// (the client should then wait at least a minute, longer each time).
// Nothing changes.
func (s *Server) SecondaryRateLimit(method, pattern string, times int, retryAfter time.Duration) {
	s.t.Helper()
	if retryAfter < 0 {
		s.t.Fatalf("githubfake: SecondaryRateLimit needs a Retry-After of 0 (none) or more, not %v", retryAfter)
	}
	s.addFault(&fault{kind: faultSecondary, method: method, pattern: pattern, left: times, retryAfter: retryAfter})
}

// Redirect answers the next times matching requests with status (301, 302,
// 303, 307 or 308) and Location: to followed by the request's path (without
// the /api/v3 prefix) and query, as a moved API or a hostile proxy would.
// to may be another server: a client must not follow it with its token.
// Nothing changes.
func (s *Server) Redirect(method, pattern string, times, status int, to string) {
	s.t.Helper()
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		s.t.Fatalf("githubfake: Redirect needs a redirect status, not %d", status)
	}
	s.addFault(&fault{kind: faultRedirect, method: method, pattern: pattern, left: times, status: status, location: strings.TrimSuffix(to, "/")})
}

// EchoToken answers the next times matching requests with status (4xx or
// 5xx) and an error body that repeats the request's Authorization header
// in its message and, for 422, in errors[].message: a server (or a proxy)
// that echoes credentials. Nothing changes.
func (s *Server) EchoToken(method, pattern string, times, status int) {
	s.t.Helper()
	if status < 400 || status > 599 {
		s.t.Fatalf("githubfake: EchoToken needs an error status, not %d", status)
	}
	s.addFault(&fault{kind: faultEchoToken, method: method, pattern: pattern, left: times, status: status})
}

// NullEntries handles the next times matching requests and adds a null
// entry before and after the items of the JSON array answered (a list):
// a broken answer a client must not panic on. The answer is not checked
// against the description, on purpose.
func (s *Server) NullEntries(method, pattern string, times int) {
	s.t.Helper()
	s.addFault(&fault{kind: faultNullEntries, method: method, pattern: pattern, left: times})
}

// EndlessPages handles the next times matching requests and gives each
// answer a Link rel="next" to the following page (or, with repeat, to the
// same page again), however few items there are: pagination that never
// ends. Use a large times to keep it going.
func (s *Server) EndlessPages(method, pattern string, times int, repeat bool) {
	s.t.Helper()
	s.addFault(&fault{kind: faultEndlessPages, method: method, pattern: pattern, left: times, repeat: repeat})
}

// HugeBody answers the next times matching requests with 200 and a JSON
// array of size bytes (mostly spaces; net/http sends a large body chunked,
// without Content-Length): an answer no client should read whole. Nothing changes. The answer is
// not checked against the description.
func (s *Server) HugeBody(method, pattern string, times, size int) {
	s.t.Helper()
	if size < 2 {
		s.t.Fatalf("githubfake: HugeBody needs at least 2 bytes, not %d", size)
	}
	s.addFault(&fault{kind: faultHugeBody, method: method, pattern: pattern, left: times, size: size})
}

// DropAfterWrite handles the next times matching requests (the change is
// made) and then closes the connection without answering: the write that
// succeeded but whose response was lost. The client sees a network error.
// Note that Go's http.Transport silently retries a GET (not a POST, PATCH,
// PUT or DELETE) that fails this way on a reused connection.
func (s *Server) DropAfterWrite(method, pattern string, times int) {
	s.t.Helper()
	s.addFault(&fault{kind: faultDropAfterWrite, method: method, pattern: pattern, left: times})
}

// DropBeforeWrite closes the connection of the next times matching requests
// without handling them: a network error where nothing changed.
func (s *Server) DropBeforeWrite(method, pattern string, times int) {
	s.t.Helper()
	s.addFault(&fault{kind: faultDropBeforeWrite, method: method, pattern: pattern, left: times})
}

// Latency delays the next times matching requests by d before handling
// them. A client that gives up meanwhile does not stop the request from
// being handled, as with a real server.
func (s *Server) Latency(method, pattern string, times int, d time.Duration) {
	s.t.Helper()
	s.addFault(&fault{kind: faultLatency, method: method, pattern: pattern, left: times, delay: d})
}

// PendingFaults counts the fault applications not used yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.left
	}
	return n
}

func (f *fault) matches(method, apiPath string, rt *route) bool {
	if f.method != "" && f.method != "*" && !strings.EqualFold(f.method, method) {
		return false
	}
	switch {
	case f.pattern == "":
		return true
	case strings.Contains(f.pattern, "{"):
		return rt != nil && f.pattern == rt.path
	default:
		ok, _ := path.Match(f.pattern, apiPath)
		return ok
	}
}

// takeFaults uses up the faults that match this request.
func (s *Server) takeFaults(method, apiPath string, rt *route) faultSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	var set faultSet
	terminal := false
	for _, f := range s.faults {
		if f.left == 0 || !f.matches(method, apiPath, rt) {
			continue
		}
		if f.kind == faultLatency {
			f.left--
			set.delay += f.delay
			continue
		}
		if terminal {
			continue
		}
		terminal = true
		f.left--
		switch f.kind {
		case faultStatus:
			status := f.status
			set.respond = func(*Server, *http.Request) *response { return serverError(status) }
		case faultPrimary:
			status, in := f.status, f.retryAfter
			set.respond = func(s *Server, _ *http.Request) *response {
				resp := primaryRateLimited(status, s.viewer)
				resp.header.Set("X-RateLimit-Used", strconv.Itoa(s.limit))
				if in > 0 {
					resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(in).Unix(), 10))
				}
				return resp
			}
		case faultSecondary:
			after := f.retryAfter
			set.respond = func(*Server, *http.Request) *response { return secondaryRateLimited(after) }
		case faultRedirect:
			status, to := f.status, f.location
			set.respond = func(s *Server, r *http.Request) *response {
				loc := to + strings.TrimPrefix(r.URL.EscapedPath(), s.prefix)
				if r.URL.RawQuery != "" {
					loc += "?" + r.URL.RawQuery
				}
				resp := &response{status: status, header: http.Header{}, unchecked: true}
				resp.header.Set("Location", loc)
				return resp
			}
		case faultEchoToken:
			status := f.status
			set.respond = func(_ *Server, r *http.Request) *response {
				auth := r.Header.Get("Authorization")
				if status != http.StatusUnprocessableEntity {
					return errorResponse(status, "Bad credentials given: "+auth, docsRoot)
				}
				resp := jsonResponse(status, map[string]any{
					"message":           "Validation Failed (" + auth + ")",
					"errors":            []any{map[string]any{"resource": "Issue", "code": "custom", "field": "body", "message": "you sent " + auth}},
					"documentation_url": docsRoot,
					"status":            "422",
				})
				resp.unchecked = true
				return resp
			}
		case faultHugeBody:
			size := f.size
			set.respond = func(*Server, *http.Request) *response {
				body := bytes.Repeat([]byte(" "), size)
				body[0], body[size-1] = '[', ']'
				return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, body: body, unchecked: true}
			}
		case faultNullEntries:
			set.transform = func(_ *http.Request, resp *response) {
				var items []json.RawMessage
				if resp.status != http.StatusOK || json.Unmarshal(resp.body, &items) != nil {
					return
				}
				items = append(append([]json.RawMessage{json.RawMessage("null")}, items...), json.RawMessage("null"))
				resp.body, _ = json.Marshal(items)
				resp.unchecked = true
			}
		case faultEndlessPages:
			repeat := f.repeat
			set.transform = func(r *http.Request, resp *response) {
				q := r.URL.Query()
				page, err := strconv.Atoi(q.Get("page"))
				if err != nil || page < 1 {
					page = 1
				}
				if !repeat {
					page++
				}
				q.Set("page", strconv.Itoa(page))
				next := fmt.Sprintf(`<%s%s?%s>; rel="next"`, s.srv.URL, r.URL.EscapedPath(), q.Encode())
				resp.header.Set("Link", next)
			}
		case faultDropAfterWrite:
			set.dropAfterWrite = true
		case faultDropBeforeWrite:
			set.dropBeforeWrite = true
		}
	}
	return set
}

func serverError(status int) *response {
	switch status {
	case http.StatusBadGateway:
		return errorResponse(status, "Server Error", docsRoot)
	case http.StatusServiceUnavailable:
		resp := jsonResponse(status, map[string]any{
			"code":              "service_unavailable",
			"message":           "Service Unavailable",
			"documentation_url": docsRoot,
		})
		return resp
	default:
		return errorResponse(status, http.StatusText(status), docsRoot)
	}
}

func primaryRateLimited(status int, viewer string) *response {
	resp := errorResponse(status, "API rate limit exceeded for user ID 1 ("+viewer+"). "+
		"If you reach out to GitHub Support for help, please include the request ID FAKE:0000.",
		"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit")
	resp.header = http.Header{}
	resp.header.Set("X-RateLimit-Remaining", "0")
	return resp
}

func secondaryRateLimited(after time.Duration) *response {
	resp := errorResponse(http.StatusForbidden, "You have exceeded a secondary rate limit. Please wait a few minutes "+
		"before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE:0000.",
		"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
	resp.header = http.Header{}
	if after > 0 {
		secs := int((after + time.Second - 1) / time.Second)
		resp.header.Set("Retry-After", strconv.Itoa(secs))
	}
	return resp
}
