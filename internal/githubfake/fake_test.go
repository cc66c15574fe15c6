package githubfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests talk to the fake with plain net/http, as GitHub's documentation
// describes the API, so that they check the fake and not a client library.

var epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// clock is an injectable clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newFake starts a fake with acme/people, users alice and bob, and a clock.
func newFake(t testing.TB, opts ...Option) (*Server, *clock) {
	clk := &clock{t: epoch}
	s := New(t, append([]Option{WithClock(clk.now)}, opts...)...)
	s.AddRepo("acme", "people", "main")
	s.AddUser("alice")
	s.AddUser("bob")
	return s, clk
}

// result is a decoded response.
type result struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (r result) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return v
}

func (r result) list(t testing.TB) []map[string]any {
	t.Helper()
	var v []map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return v
}

// send makes one request; body is sent as is when a string, else as JSON.
func send(s *Server, method, target string, body any, header ...string) result {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		rd = strings.NewReader(string(data))
	}
	if !strings.HasPrefix(target, "http") {
		target = s.URL() + target
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return result{err: err}
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: data, err: err}
}

func must(t testing.TB, r result, status int) result {
	t.Helper()
	if r.err != nil {
		t.Fatalf("request failed: %v", r.err)
	}
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// links parses a Link header into rel → URL.
func links(h http.Header) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(h.Get("Link"), ",") {
		m := regexp.MustCompile(`<([^>]+)>;\s*rel="([^"]+)"`).FindStringSubmatch(strings.TrimSpace(part))
		if m != nil {
			out[m[2]] = m[1]
		}
	}
	return out
}

func rels(h http.Header) string {
	var out []string
	for rel := range links(h) {
		out = append(out, rel)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestListingIssuesFollowsLinkHeadersAcrossPagesOfAtMost100(t *testing.T) {
	s, _ := newFake(t)
	for i := 1; i <= 250; i++ {
		s.AddIssue("acme", "people", Issue{Title: fmt.Sprintf("issue %d", i)})
	}

	seen := map[float64]bool{}
	next := "/repos/acme/people/issues?per_page=100"
	var pages []int
	var relsByPage []string
	for next != "" {
		r := must(t, send(s, "GET", next, nil), 200)
		items := r.list(t)
		pages = append(pages, len(items))
		relsByPage = append(relsByPage, rels(r.header))
		for _, it := range items {
			seen[it["number"].(float64)] = true
		}
		next = links(r.header)["next"]
	}
	if got := fmt.Sprint(pages); got != "[100 100 50]" {
		t.Errorf("page sizes %s, want [100 100 50]", got)
	}
	want := []string{"last,next", "first,last,next,prev", "first,prev"}
	if fmt.Sprint(relsByPage) != fmt.Sprint(want) {
		t.Errorf("Link rels %q, want %q", relsByPage, want)
	}
	if len(seen) != 250 {
		t.Errorf("saw %d distinct issues, want 250", len(seen))
	}

	r := must(t, send(s, "GET", "/repos/acme/people/issues?per_page=100&page=2", nil), 200)
	l := links(r.header)
	if !strings.Contains(l["last"], "page=3") || !strings.Contains(l["first"], "page=1") || !strings.Contains(l["prev"], "page=1") {
		t.Errorf("Link on page 2 = %q", r.header.Get("Link"))
	}
	if !strings.Contains(l["next"], "per_page=100") {
		t.Errorf("next link %q lost the other query parameters", l["next"])
	}

	for _, c := range []struct {
		query string
		want  int
	}{{"", 30}, {"?per_page=500", 100}, {"?per_page=100&page=4", 0}} {
		r := must(t, send(s, "GET", "/repos/acme/people/issues"+c.query, nil), 200)
		if n := len(r.list(t)); n != c.want {
			t.Errorf("GET issues%s: %d items, want %d", c.query, n, c.want)
		}
	}
}

func TestListingIssuesSortsNewestFirstByDefault(t *testing.T) {
	s, clk := newFake(t)
	for i := 0; i < 3; i++ {
		s.AddIssue("acme", "people", Issue{Title: "t"})
		clk.advance(time.Minute)
	}
	numbers := func(query string) string {
		var out []string
		for _, it := range must(t, send(s, "GET", "/repos/acme/people/issues"+query, nil), 200).list(t) {
			out = append(out, fmt.Sprint(it["number"]))
		}
		return strings.Join(out, ",")
	}
	if got := numbers(""); got != "3,2,1" {
		t.Errorf("default order %s, want 3,2,1", got)
	}
	if got := numbers("?direction=asc"); got != "1,2,3" {
		t.Errorf("direction=asc %s, want 1,2,3", got)
	}
	since := epoch.Add(time.Minute).Format(time.RFC3339)
	if got := numbers("?since=" + since); got != "3,2" {
		t.Errorf("since=%s: %s, want 3,2", since, got)
	}
}

func TestLabelsFilterMeansAllOfThem(t *testing.T) {
	s, _ := newFake(t)
	s.AddIssue("acme", "people", Issue{Title: "a", Labels: []string{"a"}})
	s.AddIssue("acme", "people", Issue{Title: "b", Labels: []string{"b"}})
	s.AddIssue("acme", "people", Issue{Title: "ab", Labels: []string{"a", "b"}})
	s.AddIssue("acme", "people", Issue{Title: "abc", Labels: []string{"c", "B", "a"}})
	s.AddIssue("acme", "people", Issue{Title: "closed ab", Labels: []string{"a", "b"}, State: "closed"})

	titles := func(query string) string {
		var out []string
		for _, it := range must(t, send(s, "GET", "/repos/acme/people/issues?direction=asc&"+query, nil), 200).list(t) {
			out = append(out, it["title"].(string))
		}
		return strings.Join(out, "|")
	}
	for _, c := range []struct{ query, want string }{
		{"labels=a,b", "ab|abc"},
		{"labels=A,%20b", "ab|abc"},
		{"labels=a", "a|ab|abc"},
		{"labels=a,b&state=all", "ab|abc|closed ab"},
		{"labels=a,b&state=closed", "closed ab"},
		{"labels=nope", ""},
	} {
		if got := titles(c.query); got != c.want {
			t.Errorf("%s: %q, want %q", c.query, got, c.want)
		}
	}
}

func TestPullRequestsAppearInIssueListsWithAPullRequestKey(t *testing.T) {
	s, _ := newFake(t)
	s.AddIssue("acme", "people", Issue{Title: "an issue", Labels: []string{"orgctl"}})
	s.AddBranch("acme", "people", "orgctl/x", "")
	s.AddFile("acme", "people", "orgctl/x", "people/a.yaml", "a\n")
	s.AddPull("acme", "people", Pull{Issue: Issue{Title: "a pull", Labels: []string{"orgctl"}}, Head: "orgctl/x"})

	items := must(t, send(s, "GET", "/repos/acme/people/issues?labels=orgctl&direction=asc", nil), 200).list(t)
	if len(items) != 2 {
		t.Fatalf("%d items, want the issue and the pull request", len(items))
	}
	if _, ok := items[0]["pull_request"]; ok {
		t.Errorf("the issue has a pull_request key")
	}
	pr, ok := items[1]["pull_request"].(map[string]any)
	if !ok || !strings.HasSuffix(pr["url"].(string), "/repos/acme/people/pulls/2") {
		t.Errorf("the pull request's pull_request = %v", items[1]["pull_request"])
	}
	if got := len(s.Issues("acme", "people")); got != 1 {
		t.Errorf("Issues() has %d entries, want 1 (pull requests are in Pulls())", got)
	}
	if got := len(s.Pulls("acme", "people")); got != 1 {
		t.Errorf("Pulls() has %d entries, want 1", got)
	}
	must(t, send(s, "GET", "/repos/acme/people/pulls/1", nil), 404)
	if pr["merged_at"] != nil {
		t.Errorf("an open pull request has merged_at %v", pr["merged_at"])
	}
}

func TestMergedPullRequestsSayWhenInIssueLists(t *testing.T) {
	s, _ := newFake(t)
	s.AddBranch("acme", "people", "orgctl/x", "")
	s.AddFile("acme", "people", "orgctl/x", "people/a.yaml", "a\n")
	s.AddPull("acme", "people", Pull{Issue: Issue{Title: "merged", State: "closed", Labels: []string{"orgctl"}}, Head: "orgctl/x", Merged: true})
	items := must(t, send(s, "GET", "/repos/acme/people/issues?labels=orgctl&state=closed", nil), 200).list(t)
	if len(items) != 1 {
		t.Fatalf("%d items, want the merged pull request", len(items))
	}
	if pr, _ := items[0]["pull_request"].(map[string]any); pr == nil || pr["merged_at"] == nil {
		t.Errorf("the merged pull request's pull_request = %v, want merged_at set", items[0]["pull_request"])
	}
}

func TestErrorsHaveGitHubsShape(t *testing.T) {
	// Two of these requests also break the description (no title; not JSON),
	// which the fake reports: collect the reports rather than fail.
	rec := &recorder{TB: t}
	s, _ := newFake(rec)
	s.AddIssue("acme", "people", Issue{Title: "existing"})
	s.AddLabel("acme", "people", Label{Name: "orgctl"})
	long := strings.Repeat("é", maxBody+1) // characters, not bytes, count

	cases := []struct {
		name, method, path string
		body               any
		status             int
		message            string
		errors             string // JSON of the errors array, when any
	}{
		{"missing title", "POST", "/repos/acme/people/issues", map[string]any{"body": "x"}, 422,
			"Validation Failed", `[{"code":"missing_field","field":"title","resource":"Issue"}]`},
		{"body too long", "POST", "/repos/acme/people/issues", map[string]any{"title": "t", "body": long}, 422,
			"Validation Failed", `[{"code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)","resource":"Issue"}]`},
		{"body too long on edit", "PATCH", "/repos/acme/people/issues/1", map[string]any{"body": long}, 422,
			"Validation Failed", `[{"code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)","resource":"Issue"}]`},
		{"comment too long", "POST", "/repos/acme/people/issues/1/comments", map[string]any{"body": long}, 422,
			"Validation Failed", `[{"code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)","resource":"IssueComment"}]`},
		{"unassignable assignee", "POST", "/repos/acme/people/issues", map[string]any{"title": "t", "assignees": []string{"alice", "ghost"}}, 422,
			"Validation Failed", `[{"code":"invalid","field":"assignees","resource":"Issue","value":"ghost"}]`},
		{"unassignable assignee on edit", "PATCH", "/repos/acme/people/issues/1", map[string]any{"assignees": []string{"ghost"}}, 422,
			"Validation Failed", `[{"code":"invalid","field":"assignees","resource":"Issue","value":"ghost"}]`},
		{"duplicate label", "POST", "/repos/acme/people/labels", map[string]any{"name": "OrgCtl", "color": "112233"}, 422,
			"Validation Failed", `[{"code":"already_exists","field":"name","resource":"Label"}]`},
		{"unknown repository", "GET", "/repos/acme/nope/issues", nil, 404, "Not Found", ""},
		{"unknown issue", "GET", "/repos/acme/people/issues/99", nil, 404, "Not Found", ""},
		{"unknown comment", "PATCH", "/repos/acme/people/issues/comments/99", map[string]any{"body": "x"}, 404, "Not Found", ""},
		{"not JSON", "POST", "/repos/acme/people/labels", "{", 400, "Problems parsing JSON", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := s.Issues("acme", "people")
			reported := len(rec.errors())
			r := must(t, send(s, c.method, c.path, c.body), c.status)
			got := r.json(t)
			if got["message"] != c.message {
				t.Errorf("message %q, want %q", got["message"], c.message)
			}
			if docs, _ := got["documentation_url"].(string); !strings.HasPrefix(docs, "https://docs.github.com/rest") {
				t.Errorf("documentation_url %q", docs)
			}
			if c.errors != "" {
				errs, _ := json.Marshal(got["errors"])
				if string(errs) != c.errors {
					t.Errorf("errors %s\nwant   %s", errs, c.errors)
				}
			}
			if after := s.Issues("acme", "people"); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("a refused request changed the issues")
			}
			if got, want := len(rec.errors())-reported, map[bool]int{true: 1}[c.name == "not JSON" || c.name == "missing title"]; got != want {
				t.Errorf("%d OpenAPI reports, want %d: %q", got, want, rec.errors()[reported:])
			}
		})
	}
}

func TestBodiesAtTheLimitAreAccepted(t *testing.T) {
	s, _ := newFake(t)
	body := strings.Repeat("é", maxBody)
	r := must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t", "body": body}), 201)
	if r.json(t)["body"] != body {
		t.Errorf("body not stored")
	}
}

func TestIssueLifecycleUsesTheClockAndRecordsWhoClosed(t *testing.T) {
	s, clk := newFake(t, WithViewer("orgctl[bot]"))
	r := must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{
		"title": "Alice has no coach", "body": "<!-- orgctl:fingerprint=missing-coach/alice -->",
		"labels": []any{"orgctl", map[string]any{"name": "orgctl/missing-coach"}}, "assignees": []string{"ALICE"},
	}), 201)
	created := r.json(t)
	if !strings.HasSuffix(r.header.Get("Location"), "/repos/acme/people/issues/1") {
		t.Errorf("Location %q", r.header.Get("Location"))
	}
	if created["created_at"] != "2026-03-01T09:00:00Z" || created["closed_at"] != nil || created["state_reason"] != nil {
		t.Errorf("created: created_at %v closed_at %v state_reason %v", created["created_at"], created["closed_at"], created["state_reason"])
	}
	if created["user"].(map[string]any)["login"] != "orgctl[bot]" {
		t.Errorf("author %v", created["user"])
	}
	if _, ok := created["id"].(float64); !ok || created["node_id"] == "" || !strings.Contains(created["html_url"].(string), "/acme/people/issues/1") {
		t.Errorf("id %v node_id %v html_url %v", created["id"], created["node_id"], created["html_url"])
	}

	clk.advance(time.Hour)
	must(t, send(s, "PATCH", "/repos/acme/people/issues/1", map[string]any{"state": "closed", "state_reason": "not_planned"}), 200)
	got := s.Issues("acme", "people")[0]
	if got.State != "closed" || got.StateReason != "not_planned" || got.ClosedBy != "orgctl[bot]" || !got.ClosedAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("after closing: %+v", got)
	}
	if strings.Join(got.Labels, ",") != "orgctl,orgctl/missing-coach" || strings.Join(got.Assignees, ",") != "alice" {
		t.Errorf("labels %v assignees %v (labels are created on the fly; logins take their canonical case)", got.Labels, got.Assignees)
	}

	clk.advance(time.Hour)
	s.CloseIssue("acme", "people", 1, "carol", "") // already closed: a person changes the reason
	must(t, send(s, "PATCH", "/repos/acme/people/issues/1", map[string]any{"state": "open"}), 200)
	got = s.Issues("acme", "people")[0]
	if got.State != "open" || got.StateReason != "reopened" || got.ClosedBy != "" || !got.ClosedAt.IsZero() || !got.UpdatedAt.Equal(epoch.Add(2*time.Hour)) {
		t.Errorf("after reopening: %+v", got)
	}

	must(t, send(s, "PATCH", "/repos/acme/people/issues/1", map[string]any{"labels": []string{}, "assignees": []string{}}), 200)
	got = s.Issues("acme", "people")[0]
	if len(got.Labels) != 0 || len(got.Assignees) != 0 {
		t.Errorf("labels and assignees not replaced: %+v", got)
	}
}

func TestCommentsAreListedPagedCreatedUpdatedAndDeleted(t *testing.T) {
	s, clk := newFake(t)
	n := s.AddIssue("acme", "people", Issue{Title: "t"})
	for i := 0; i < 35; i++ {
		s.AddComment("acme", "people", n, "alice", fmt.Sprintf("c%d", i))
	}
	r := must(t, send(s, "GET", "/repos/acme/people/issues/1/comments", nil), 200)
	if len(r.list(t)) != 30 || links(r.header)["next"] == "" {
		t.Errorf("first page: %d comments, Link %q", len(r.list(t)), r.header.Get("Link"))
	}
	r = must(t, send(s, "GET", links(r.header)["next"], nil), 200)
	if items := r.list(t); len(items) != 5 || items[4]["body"] != "c34" {
		t.Errorf("second page: %d comments", len(items))
	}

	clk.advance(time.Minute)
	created := must(t, send(s, "POST", "/repos/acme/people/issues/1/comments", map[string]any{"body": "<!-- orgctl:plan -->"}), 201).json(t)
	id := strconv.FormatFloat(created["id"].(float64), 'f', 0, 64)
	must(t, send(s, "PATCH", "/repos/acme/people/issues/comments/"+id, map[string]any{"body": "edited"}), 200)
	if got := must(t, send(s, "GET", "/repos/acme/people/issues/comments/"+id, nil), 200).json(t); got["body"] != "edited" {
		t.Errorf("body after edit %v", got["body"])
	}
	comments := s.Comments("acme", "people", n)
	if last := comments[len(comments)-1]; last.Body != "edited" || last.Author != "orgctl-bot" || !last.CreatedAt.Equal(epoch.Add(time.Minute)) {
		t.Errorf("last comment %+v", last)
	}
	must(t, send(s, "DELETE", "/repos/acme/people/issues/comments/"+id, nil), 204)
	if got := len(s.Comments("acme", "people", n)); got != 35 {
		t.Errorf("%d comments after delete, want 35", got)
	}
	if got := must(t, send(s, "GET", "/repos/acme/people/issues/1", nil), 200).json(t)["comments"]; got != float64(35) {
		t.Errorf("issue comments count %v", got)
	}
}

func TestLabelsAreCreatedListedAndFetchedByName(t *testing.T) {
	s, _ := newFake(t)
	created := must(t, send(s, "POST", "/repos/acme/people/labels", map[string]any{"name": "orgctl/missing-coach", "color": "D93F0B", "description": "made by orgctl"}), 201).json(t)
	if created["color"] != "d93f0b" || created["default"] != false || created["id"] == nil {
		t.Errorf("created %v", created)
	}
	got := must(t, send(s, "GET", "/repos/acme/people/labels/"+url.PathEscape("ORGCTL/missing-coach"), nil), 200).json(t)
	if got["name"] != "orgctl/missing-coach" || got["description"] != "made by orgctl" {
		t.Errorf("got %v", got)
	}
	must(t, send(s, "GET", "/repos/acme/people/labels/nope", nil), 404)
	r := must(t, send(s, "POST", "/repos/acme/people/labels", map[string]any{"name": "x", "color": "red"}), 422)
	if !strings.Contains(string(r.body), `"field":"color"`) {
		t.Errorf("bad color: %s", r.body)
	}
	if all := must(t, send(s, "GET", "/repos/acme/people/labels", nil), 200).list(t); len(all) != 1 {
		t.Errorf("%d labels", len(all))
	}
}

func TestRepositoryAndAssignees(t *testing.T) {
	s, _ := newFake(t)
	repo := must(t, send(s, "GET", "/repos/acme/people", nil), 200).json(t)
	if repo["default_branch"] != "main" || repo["full_name"] != "acme/people" {
		t.Errorf("repo %v %v", repo["default_branch"], repo["full_name"])
	}
	must(t, send(s, "GET", "/repos/acme/people/assignees/Alice", nil), 204)
	must(t, send(s, "GET", "/repos/acme/people/assignees/ghost", nil), 404)
}

func TestRequestsAreRecordedAndMutationsCounted(t *testing.T) {
	s, _ := newFake(t)
	send(s, "GET", "/repos/acme/people/issues?state=all&labels=orgctl", nil)
	send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"})
	send(s, "PATCH", "/repos/acme/people/issues/1", map[string]any{"title": "u"})
	reqs := s.Requests()
	if len(reqs) != 3 || s.MutatingRequests() != 2 {
		t.Fatalf("%d requests, %d mutating", len(reqs), s.MutatingRequests())
	}
	if r := reqs[0]; r.Method != "GET" || r.Path != "/repos/acme/people/issues" || r.Query.Get("labels") != "orgctl" || r.Status != 200 {
		t.Errorf("first request %+v", r)
	}
	if r := reqs[1]; r.Body != `{"title":"t"}` || r.Status != 201 {
		t.Errorf("second request %+v", r)
	}
}

func TestTokenIsRequiredWhenConfigured(t *testing.T) {
	s, _ := newFake(t, WithToken("s3cret"))
	for _, c := range []struct {
		auth    string
		status  int
		message string
	}{
		{"", 401, "Requires authentication"},
		{"Bearer wrong", 401, "Bad credentials"},
		{"Basic s3cret", 401, "Bad credentials"},
		{"Bearer s3cret", 200, ""},
		{"token s3cret", 200, ""},
	} {
		var h []string
		if c.auth != "" {
			h = []string{"Authorization", c.auth}
		}
		r := must(t, send(s, "GET", "/repos/acme/people", nil, h...), c.status)
		if c.message != "" && r.json(t)["message"] != c.message {
			t.Errorf("%q: message %v, want %q", c.auth, r.json(t)["message"], c.message)
		}
	}
}

func TestRateLimitHeadersCountDownAndReset(t *testing.T) {
	s, clk := newFake(t, WithRateLimit(3))
	reset := strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10)
	for i := 1; i <= 3; i++ {
		r := must(t, send(s, "GET", "/repos/acme/people", nil), 200)
		h := r.header
		if h.Get("X-RateLimit-Limit") != "3" || h.Get("X-RateLimit-Remaining") != strconv.Itoa(3-i) ||
			h.Get("X-RateLimit-Used") != strconv.Itoa(i) || h.Get("X-RateLimit-Reset") != reset || h.Get("X-RateLimit-Resource") != "core" {
			t.Errorf("request %d: limit %s remaining %s used %s reset %s resource %s", i, h.Get("X-RateLimit-Limit"),
				h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Used"), h.Get("X-RateLimit-Reset"), h.Get("X-RateLimit-Resource"))
		}
	}
	r := must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"}), 403)
	if r.header.Get("X-RateLimit-Remaining") != "0" || !strings.HasPrefix(r.json(t)["message"].(string), "API rate limit exceeded for ") {
		t.Errorf("over the limit: remaining %s, body %s", r.header.Get("X-RateLimit-Remaining"), r.body)
	}
	if len(s.Issues("acme", "people")) != 0 {
		t.Errorf("a rate-limited write was applied")
	}
	clk.advance(time.Hour)
	r = must(t, send(s, "GET", "/repos/acme/people", nil), 200)
	if r.header.Get("X-RateLimit-Remaining") != "2" || r.header.Get("X-RateLimit-Reset") != strconv.FormatInt(epoch.Add(2*time.Hour).Unix(), 10) {
		t.Errorf("after the reset: remaining %s reset %s", r.header.Get("X-RateLimit-Remaining"), r.header.Get("X-RateLimit-Reset"))
	}
}

func TestFaultsAnswerInsteadOfTheHandlerForTheNextNMatchingRequests(t *testing.T) {
	cases := []struct {
		name   string
		inject func(s *Server)
		status int
		check  func(t *testing.T, r result)
	}{
		{"500", func(s *Server) { s.ServerError("POST", "/repos/{owner}/{repo}/issues", 2, 500) }, 500, nil},
		{"502", func(s *Server) { s.ServerError("POST", "/repos/acme/people/issues", 2, 502) }, 502, nil},
		{"503", func(s *Server) { s.ServerError("", "", 2, 503) }, 503, nil},
		{"primary 403", func(s *Server) { s.PrimaryRateLimit("POST", "/repos/*/*/issues", 2, 403) }, 403, func(t *testing.T, r result) {
			reset, _ := strconv.ParseInt(r.header.Get("X-RateLimit-Reset"), 10, 64)
			if r.header.Get("X-RateLimit-Remaining") != "0" || reset != epoch.Add(time.Hour).Unix() {
				t.Errorf("remaining %s reset %s", r.header.Get("X-RateLimit-Remaining"), r.header.Get("X-RateLimit-Reset"))
			}
			if !strings.HasPrefix(r.json(t)["message"].(string), "API rate limit exceeded for ") {
				t.Errorf("message %v", r.json(t)["message"])
			}
		}},
		{"primary 429", func(s *Server) { s.PrimaryRateLimit("*", "", 2, 429) }, 429, func(t *testing.T, r result) {
			if r.header.Get("X-RateLimit-Remaining") != "0" {
				t.Errorf("remaining %s", r.header.Get("X-RateLimit-Remaining"))
			}
		}},
		{"secondary", func(s *Server) { s.SecondaryRateLimit("POST", "", 2, 1500*time.Millisecond) }, 403, func(t *testing.T, r result) {
			if r.header.Get("Retry-After") != "2" {
				t.Errorf("Retry-After %q, want whole seconds rounded up", r.header.Get("Retry-After"))
			}
			if !strings.HasPrefix(r.json(t)["message"].(string), "You have exceeded a secondary rate limit") {
				t.Errorf("message %v", r.json(t)["message"])
			}
			if r.header.Get("X-RateLimit-Remaining") == "0" {
				t.Errorf("a secondary limit is not the primary one")
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newFake(t)
			c.inject(s)
			s.ServerError("GET", "/repos/{owner}/{repo}/pulls", 1, 500) // matches nothing here
			for i := 0; i < 2; i++ {
				r := must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"}), c.status)
				if r.header.Get("X-RateLimit-Limit") == "" {
					t.Errorf("no rate-limit headers on a fault")
				}
				if m, _ := r.json(t)["message"].(string); m == "" {
					t.Errorf("fault body %s has no message", r.body)
				}
				if c.check != nil {
					c.check(t, r)
				}
			}
			if n := len(s.Issues("acme", "people")); n != 0 {
				t.Errorf("%d issues created through a fault", n)
			}
			must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"}), 201)
			if n := s.PendingFaults(); n != 1 {
				t.Errorf("%d fault applications left, want the unmatched one", n)
			}
		})
	}
}

func TestDroppedConnectionAfterTheWriteLeavesTheWrite(t *testing.T) {
	s, _ := newFake(t)
	s.DropAfterWrite("POST", "/repos/{owner}/{repo}/issues", 1)
	r := send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "lost response"})
	if r.err == nil {
		t.Fatalf("the client got a response (%d) from a dropped connection", r.status)
	}
	issues := s.Issues("acme", "people")
	if len(issues) != 1 || issues[0].Title != "lost response" {
		t.Fatalf("the write was not applied: %+v", issues)
	}
	if reqs := s.Requests(); reqs[len(reqs)-1].Status != 0 {
		t.Errorf("recorded status %d, want 0 for a dropped connection", reqs[len(reqs)-1].Status)
	}
	// A client that retries blindly now makes a duplicate: that is what the fault is for.
	must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "lost response"}), 201)
	if n := len(s.Issues("acme", "people")); n != 2 {
		t.Errorf("%d issues", n)
	}
}

func TestDroppedConnectionBeforeTheWriteChangesNothing(t *testing.T) {
	s, _ := newFake(t)
	s.DropBeforeWrite("PATCH", "", 1)
	s.AddIssue("acme", "people", Issue{Title: "before"})
	if r := send(s, "PATCH", "/repos/acme/people/issues/1", map[string]any{"title": "after"}); r.err == nil {
		t.Fatalf("the client got a response (%d)", r.status)
	}
	if got := s.Issues("acme", "people")[0].Title; got != "before" {
		t.Errorf("title %q", got)
	}
}

func TestLatencyDelaysAndAGivingUpClientStillWrites(t *testing.T) {
	s, _ := newFake(t)
	// The latency is long next to the impatient client's timeout, so that
	// on a loaded machine its request still reaches the fake before it
	// gives up (the test is about what happens after that).
	s.Latency("POST", "", 2, 600*time.Millisecond)
	start := time.Now()
	must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "slow"}), 201)
	if d := time.Since(start); d < 600*time.Millisecond {
		t.Errorf("answered after %v", d)
	}

	impatient := &http.Client{Timeout: 200 * time.Millisecond}
	req, _ := http.NewRequest("POST", s.URL()+"/repos/acme/people/issues", strings.NewReader(`{"title":"timed out"}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := impatient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the impatient client got %d", resp.StatusCode)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Issues("acme", "people")) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(s.Issues("acme", "people")); n != 2 {
		t.Errorf("%d issues, want the timed-out write applied too", n)
	}
}

func TestEnterprisePrefix(t *testing.T) {
	s, _ := newFake(t, WithEnterprisePrefix())
	for i := 0; i < 3; i++ {
		s.AddIssue("acme", "people", Issue{Title: "t"})
	}
	if !strings.HasSuffix(s.URL(), "/api/v3") {
		t.Fatalf("URL %q", s.URL())
	}
	r := must(t, send(s, "GET", "/repos/acme/people/issues?per_page=1", nil), 200)
	if next := links(r.header)["next"]; !strings.HasPrefix(next, s.URL()+"/repos/acme/people/issues?") {
		t.Errorf("next link %q is not under the API base", next)
	}
	must(t, send(s, "GET", strings.TrimSuffix(s.URL(), "/api/v3")+"/repos/acme/people", nil), 404)
	if got := s.Requests()[0].Path; got != "/repos/acme/people/issues" {
		t.Errorf("recorded path %q, want it without the prefix", got)
	}
}

func TestBranchesFilesAndPullRequests(t *testing.T) {
	s, clk := newFake(t)
	s.AddFile("acme", "people", "", "people/alice.yaml", "name: alice\n")
	mainSHA, _ := s.BranchSHA("acme", "people", "main")

	// Branch off main.
	ref := must(t, send(s, "POST", "/repos/acme/people/git/refs", map[string]any{"ref": "refs/heads/orgctl/missing-coach-alice", "sha": mainSHA}), 201).json(t)
	if ref["ref"] != "refs/heads/orgctl/missing-coach-alice" || ref["object"].(map[string]any)["sha"] != mainSHA {
		t.Errorf("created ref %v", ref)
	}
	r := must(t, send(s, "POST", "/repos/acme/people/git/refs", map[string]any{"ref": "refs/heads/orgctl/missing-coach-alice", "sha": mainSHA}), 422)
	if r.json(t)["message"] != "Reference already exists" {
		t.Errorf("duplicate ref: %s", r.body)
	}
	got := must(t, send(s, "GET", "/repos/acme/people/git/ref/heads/orgctl/missing-coach-alice", nil), 200).json(t)
	if got["object"].(map[string]any)["sha"] != mainSHA {
		t.Errorf("ref %v", got)
	}
	must(t, send(s, "GET", "/repos/acme/people/git/ref/heads/nope", nil), 404)

	// No commits yet: GitHub refuses the pull request.
	pr := map[string]any{"title": "Coach for alice", "head": "acme:orgctl/missing-coach-alice", "base": "main", "body": "b"}
	r = must(t, send(s, "POST", "/repos/acme/people/pulls", pr), 422)
	if !strings.Contains(string(r.body), "No commits between main and orgctl/missing-coach-alice") {
		t.Errorf("no commits: %s", r.body)
	}

	// Read, then edit through the contents API.
	file := must(t, send(s, "GET", "/repos/acme/people/contents/people/alice.yaml?ref=orgctl/missing-coach-alice", nil), 200).json(t)
	content, _ := base64.StdEncoding.DecodeString(strings.ReplaceAll(file["content"].(string), "\n", ""))
	if string(content) != "name: alice\n" || file["sha"] != blobSHA("name: alice\n") || file["encoding"] != "base64" {
		t.Errorf("file %v", file)
	}
	put := func(sha string) map[string]any {
		body := map[string]any{"message": "suggest a coach", "branch": "orgctl/missing-coach-alice",
			"content": base64.StdEncoding.EncodeToString([]byte("name: alice\ncoach: bob\n"))}
		if sha != "" {
			body["sha"] = sha
		}
		return body
	}
	r = must(t, send(s, "PUT", "/repos/acme/people/contents/people/alice.yaml", put("")), 422)
	if !strings.Contains(r.json(t)["message"].(string), `"sha" wasn't supplied`) {
		t.Errorf("missing sha: %s", r.body)
	}
	must(t, send(s, "PUT", "/repos/acme/people/contents/people/alice.yaml", put(blobSHA("stale"))), 409)
	clk.advance(time.Minute)
	commit := must(t, send(s, "PUT", "/repos/acme/people/contents/people/alice.yaml", put(file["sha"].(string))), 200).json(t)
	if c := commit["content"].(map[string]any); c["sha"] != blobSHA("name: alice\ncoach: bob\n") {
		t.Errorf("new blob sha %v", c["sha"])
	}
	if got, _ := s.File("acme", "people", "orgctl/missing-coach-alice", "people/alice.yaml"); got != "name: alice\ncoach: bob\n" {
		t.Errorf("branch file %q", got)
	}
	if got, _ := s.File("acme", "people", "main", "people/alice.yaml"); got != "name: alice\n" {
		t.Errorf("main changed: %q", got)
	}
	must(t, send(s, "PUT", "/repos/acme/people/contents/people/bob.yaml", map[string]any{"message": "m", "content": "Ym9i", "branch": "orgctl/missing-coach-alice"}), 201)
	must(t, send(s, "PUT", "/repos/acme/people/contents/x.yaml", map[string]any{"message": "m", "content": "eA==", "branch": "nope"}), 404)
	dir := must(t, send(s, "GET", "/repos/acme/people/contents/people?ref=orgctl/missing-coach-alice", nil), 200).list(t)
	if len(dir) != 2 || dir[0]["name"] != "alice.yaml" || dir[1]["name"] != "bob.yaml" {
		t.Errorf("directory %v", dir)
	}

	// Now the pull request, once only.
	created := must(t, send(s, "POST", "/repos/acme/people/pulls", pr), 201).json(t)
	if created["number"] != float64(1) || created["head"].(map[string]any)["ref"] != "orgctl/missing-coach-alice" || created["commits"] != float64(2) || created["changed_files"] != float64(2) {
		t.Errorf("pull %v head %v commits %v changed %v", created["number"], created["head"], created["commits"], created["changed_files"])
	}
	r = must(t, send(s, "POST", "/repos/acme/people/pulls", pr), 422)
	if !strings.Contains(string(r.body), "A pull request already exists for acme:orgctl/missing-coach-alice.") {
		t.Errorf("duplicate pull: %s", r.body)
	}
	for _, c := range []struct {
		query string
		want  int
	}{{"head=acme:orgctl/missing-coach-alice", 1}, {"head=acme:other", 0}, {"head=orgctl/other", 1}, {"base=main", 1}, {"state=closed", 0}} {
		if n := len(must(t, send(s, "GET", "/repos/acme/people/pulls?"+c.query, nil), 200).list(t)); n != c.want {
			t.Errorf("pulls?%s: %d, want %d (a head without owner is ignored, as on GitHub)", c.query, n, c.want)
		}
	}

	// Reviewers: collaborators only, never the author.
	must(t, send(s, "POST", "/repos/acme/people/pulls/1/requested_reviewers", map[string]any{"reviewers": []string{"alice", "bob"}}), 201)
	r = must(t, send(s, "POST", "/repos/acme/people/pulls/1/requested_reviewers", map[string]any{"reviewers": []string{"ghost"}}), 422)
	if !strings.HasPrefix(r.json(t)["message"].(string), "Reviews may only be requested from collaborators") {
		t.Errorf("non-collaborator: %s", r.body)
	}
	must(t, send(s, "PATCH", "/repos/acme/people/pulls/1", map[string]any{"title": "Coach for alice: bob"}), 200)
	if p := s.Pulls("acme", "people")[0]; strings.Join(p.RequestedReviewers, ",") != "alice,bob" || p.Title != "Coach for alice: bob" {
		t.Errorf("pull %+v", p)
	}

	// Refs move forward only, unless forced.
	r = must(t, send(s, "PATCH", "/repos/acme/people/git/refs/heads/orgctl/missing-coach-alice", map[string]any{"sha": mainSHA}), 422)
	if r.json(t)["message"] != "Update is not a fast forward" {
		t.Errorf("non-fast-forward: %s", r.body)
	}

	// Deleting the branch closes the pull request, as on GitHub.
	must(t, send(s, "DELETE", "/repos/acme/people/git/refs/heads/orgctl/missing-coach-alice", nil), 204)
	must(t, send(s, "DELETE", "/repos/acme/people/git/refs/heads/orgctl/missing-coach-alice", nil), 422)
	if p := s.Pulls("acme", "people")[0]; p.State != "closed" {
		t.Errorf("pull still %s after its branch was deleted", p.State)
	}
	if got := strings.Join(s.Branches("acme", "people"), ","); got != "main" {
		t.Errorf("branches %s", got)
	}
	got = must(t, send(s, "GET", "/repos/acme/people/pulls/1", nil), 200).json(t)
	if got["state"] != "closed" || got["head"].(map[string]any)["sha"] == "" {
		t.Errorf("closed pull %v head %v", got["state"], got["head"])
	}
}

func TestRemovingRequestedReviewersAnswersThePullRequest(t *testing.T) {
	s, clk := newFake(t)
	s.AddUser("carol")
	s.AddBranch("acme", "people", "topic", "")
	s.AddFile("acme", "people", "topic", "x.yaml", "x\n")
	n := s.AddPull("acme", "people", Pull{Issue: Issue{Title: "t", Author: "octo"}, Head: "topic", RequestedReviewers: []string{"alice", "bob", "carol"}})
	path := "/repos/acme/people/pulls/" + strconv.Itoa(n) + "/requested_reviewers"
	updated := func() string { return s.Pulls("acme", "people")[0].UpdatedAt.Format(time.RFC3339) }
	before := updated()

	clk.advance(time.Minute)
	got := must(t, send(s, "DELETE", path, map[string]any{"reviewers": []string{"BOB", "carol"}}), 200).json(t)
	var logins []string
	for _, u := range got["requested_reviewers"].([]any) {
		logins = append(logins, u.(map[string]any)["login"].(string))
	}
	if got["number"] != float64(n) || strings.Join(logins, ",") != "alice" {
		t.Errorf("answer: number %v, requested reviewers %v, want alice only", got["number"], logins)
	}
	if p := s.Pulls("acme", "people")[0]; strings.Join(p.RequestedReviewers, ",") != "alice" || updated() == before {
		t.Errorf("pull %+v: want alice only, updated", p)
	}

	// Removing someone not requested, or no one at all, is fine and changes nothing.
	before = updated()
	clk.advance(time.Minute)
	must(t, send(s, "DELETE", path, map[string]any{"reviewers": []string{"bob", "nobody"}}), 200)
	must(t, send(s, "DELETE", path, map[string]any{"reviewers": []string{}}), 200)
	if p := s.Pulls("acme", "people")[0]; strings.Join(p.RequestedReviewers, ",") != "alice" || updated() != before {
		t.Errorf("pull %+v changed", p)
	}
	must(t, send(s, "DELETE", "/repos/acme/people/pulls/99/requested_reviewers", map[string]any{"reviewers": []string{"alice"}}), 404)
	if n := s.MutatingRequests(); n != 4 {
		t.Errorf("%d mutating requests counted, want 4", n)
	}
}

// recorder is a testing.TB that collects Errorf and Fatalf instead of
// failing, to test what the fake reports.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.TB.FailNow()
}

func (r *recorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

func TestRequestsThatBreakTheDescriptionAreReported(t *testing.T) {
	rec := &recorder{TB: t}
	s, _ := newFake(rec)
	cases := []struct {
		method, path string
		body         any
		want         string
	}{
		{"POST", "/repos/acme/people/issues", `{"title":"t","labels":"x"}`, "at /labels: value must be an array"},
		{"PATCH", "/repos/acme/people/issues/1", `{"state":"shut"}`, "at /state: value is not one of the allowed values"},
		{"GET", "/repos/acme/people/issues?state=shut", nil, `parameter "state" in query has an error`},
		{"GET", "/repos/acme/people/issues?per_page=ten", nil, `parameter "per_page" in query has an error`},
		{"POST", "/repos/acme/people/labels", `{"color":"ffffff"}`, `property "name" is missing`},
		{"GET", "/repos/acme/people/milestones", nil, "the fake serves no such route"},
	}
	s.AddIssue("acme", "people", Issue{Title: "t"})
	for _, c := range cases {
		before := len(rec.errors())
		send(s, c.method, c.path, c.body)
		errs := rec.errors()[before:]
		if len(errs) == 0 {
			t.Errorf("%s %s: nothing reported", c.method, c.path)
			continue
		}
		target := c.method + " " + strings.SplitN(c.path, "?", 2)[0]
		if !strings.Contains(errs[0], target) || !strings.Contains(errs[0], c.want) {
			t.Errorf("%s %s: reported %q, want it to name the request and say %q", c.method, c.path, errs[0], c.want)
		}
	}
}

func TestResponsesThatBreakTheDescriptionAreReported(t *testing.T) {
	rec := &recorder{TB: t}
	s, _ := newFake(rec)
	s.AddIssue("acme", "people", Issue{Title: "t"})
	req, _ := http.NewRequest("GET", s.URL()+"/repos/acme/people/issues/1", nil)
	rt, _ := matchRoute("GET", "/repos/acme/people/issues/1")
	v := s.checkRequest(req, "/repos/acme/people/issues/1", "/repos/acme/people/issues/1", nil, rt)
	if v == nil || len(rec.errors()) != 0 {
		t.Fatalf("a valid request was reported: %q", rec.errors())
	}
	drifted := jsonResponse(200, map[string]any{"number": "one", "title": "t"})
	drifted.header = http.Header{"Content-Type": {"application/json"}}
	drifted.fromHandler = true
	s.checkResponse(v, drifted)
	errs := rec.errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "GET /repos/acme/people/issues/1") ||
		!strings.Contains(errs[0], "at /number: value must be an integer") || !strings.Contains(errs[0], `property "node_id" is missing`) {
		t.Errorf("reported %q", errs)
	}

	undeclared := jsonResponse(418, map[string]any{"message": "teapot"})
	undeclared.fromHandler = true
	s.checkResponse(v, undeclared)
	if errs := rec.errors(); len(errs) != 2 || !strings.Contains(errs[1], "status is not supported") {
		t.Errorf("an undeclared status from a handler was not reported: %q", errs)
	}
}

func TestTheSubsetCoversEveryRouteAndNothingElse(t *testing.T) {
	var subset struct {
		Info struct {
			Subset struct {
				Source     string   `json:"source"`
				Operations []string `json:"operations"`
			} `json:"x-orgctl-subset"`
		} `json:"info"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(subsetJSON, &subset); err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, op := range Operations() {
		served[op] = true
		method, template, _ := strings.Cut(op, " ")
		if _, ok := subset.Paths[template][strings.ToLower(method)]; !ok {
			t.Errorf("%s is served but not in the subset: run testdata/regenerate.sh", op)
		}
	}
	for template, item := range subset.Paths {
		for method := range item {
			switch method {
			case "parameters", "summary", "description":
				continue
			}
			if op := strings.ToUpper(method) + " " + template; !served[op] {
				t.Errorf("%s is in the subset but the fake does not serve it: run testdata/regenerate.sh", op)
			}
		}
	}
	want := Operations()
	sort.Strings(want)
	if fmt.Sprint(subset.Info.Subset.Operations) != fmt.Sprint(want) {
		t.Errorf("the subset was written for other operations: run testdata/regenerate.sh")
	}
	if !strings.HasPrefix(subset.Info.Subset.Source, "@octokit/openapi@") {
		t.Errorf("the subset does not record its source: %q", subset.Info.Subset.Source)
	}

	// GitHub's description, through kin-openapi's router, and the fake's
	// route table must send a request to the same operation.
	samples := map[string]string{"owner": "acme", "repo": "people", "issue_number": "7", "pull_number": "7",
		"comment_id": "7", "name": "orgctl%2Fmissing-coach", "assignee": "alice",
		"ref": "heads/orgctl/missing-coach-alice", "path": "people/alice.yaml", "review_id": "7"}
	d, err := loadDescription()
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range routes {
		p := rt.path
		for name, value := range samples {
			p = strings.ReplaceAll(p, "{"+name+"}", value)
		}
		if strings.Contains(p, "{") {
			t.Errorf("%s: no sample value for a parameter of %s", rt.method, rt.path)
			continue
		}
		got, _ := matchRoute(rt.method, p)
		if got != rt {
			t.Errorf("%s %s: the fake routes it elsewhere", rt.method, p)
		}
		req, _ := http.NewRequest(rt.method, "http://fake"+p, nil)
		found, _, err := d.router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: not found in the description: %v", rt.method, p, err)
			continue
		}
		if ungreedy(found.Path) != rt.path {
			t.Errorf("%s %s: the description routes it to %s, the fake to %s", rt.method, p, found.Path, rt.path)
		}
	}
}

func TestEveryAllowListEntrySaysWhy(t *testing.T) {
	for _, a := range allowList {
		if len(a.why) < 40 {
			t.Errorf("allow-list entry at %s: the reason %q is too short to review", a.at, a.why)
		}
	}
}

func TestGetUserAnswersTheTokensUserAndRefusesAnInstallation(t *testing.T) {
	s, _ := newFake(t, WithViewer("octo"), WithToken("user-token"), WithUserToken("mallory-token", "mallory"),
		WithInstallationToken("app-token", "github-actions[bot]"))
	for _, tt := range []struct{ token, login string }{{"user-token", "octo"}, {"mallory-token", "mallory"}} {
		got := must(t, send(s, "GET", "/user", nil, "Authorization", "Bearer "+tt.token), 200).json(t)
		if got["login"] != tt.login || got["type"] != "User" || got["user_view_type"] != "public" {
			t.Errorf("GET /user with %s: login %v type %v view %v", tt.token, got["login"], got["type"], got["user_view_type"])
		}
	}
	r := must(t, send(s, "GET", "/user", nil, "Authorization", "token app-token"), 403).json(t)
	if r["message"] != "Resource not accessible by integration" || r["documentation_url"] != "https://docs.github.com/rest/users/users#get-the-authenticated-user" {
		t.Errorf("installation token: %v", r)
	}
	must(t, send(s, "GET", "/user", nil, "Authorization", "Bearer nobody"), 401)
}

func TestWritesAreAuthoredByTheTokensAccount(t *testing.T) {
	s, _ := newFake(t, WithToken("user-token"), WithUserToken("mallory-token", "mallory"),
		WithInstallationToken("app-token", "github-actions[bot]"))
	for _, tt := range []struct{ token, login, kind string }{
		{"user-token", "orgctl-bot", "User"}, {"mallory-token", "mallory", "User"}, {"app-token", "github-actions[bot]", "Bot"},
	} {
		auth := "Bearer " + tt.token
		issue := must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "by " + tt.login}, "Authorization", auth), 201).json(t)
		user := issue["user"].(map[string]any)
		if user["login"] != tt.login || user["type"] != tt.kind {
			t.Errorf("issue by %s: user %v (%v)", tt.token, user["login"], user["type"])
		}
		n := strconv.FormatFloat(issue["number"].(float64), 'f', 0, 64)
		cm := must(t, send(s, "POST", "/repos/acme/people/issues/"+n+"/comments", map[string]any{"body": "hi"}, "Authorization", auth), 201).json(t)
		if cm["user"].(map[string]any)["login"] != tt.login {
			t.Errorf("comment by %s: user %v", tt.token, cm["user"])
		}
		must(t, send(s, "PATCH", "/repos/acme/people/issues/"+n, map[string]any{"state": "closed"}, "Authorization", auth), 200)
	}
	var got []string
	for _, i := range s.Issues("acme", "people") {
		got = append(got, i.Author+" closed by "+i.ClosedBy+", comment by "+s.Comments("acme", "people", i.Number)[0].Author)
	}
	want := []string{"orgctl-bot closed by orgctl-bot, comment by orgctl-bot", "mallory closed by mallory, comment by mallory",
		"github-actions[bot] closed by github-actions[bot], comment by github-actions[bot]"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("state:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGraphQLViewerNamesTheTokensAccountEvenABot(t *testing.T) {
	s, _ := newFake(t, WithToken("user-token"), WithInstallationToken("app-token", "orgctl-app[bot]"))
	for _, tt := range []struct{ token, login string }{{"user-token", "orgctl-bot"}, {"app-token", "orgctl-app[bot]"}} {
		got := must(t, send(s, "POST", "/graphql", map[string]string{"query": "query { viewer { login } }"}, "Authorization", "Bearer "+tt.token), 200).json(t)
		viewer := got["data"].(map[string]any)["viewer"].(map[string]any)
		if viewer["login"] != tt.login {
			t.Errorf("viewer with %s: %v, want %s", tt.token, viewer, tt.login)
		}
	}
	must(t, send(s, "POST", "/graphql", map[string]string{"query": "{ viewer { login } }"}, "Authorization", "Bearer wrong"), 401)
	if n := s.MutatingRequests(); n != 0 {
		t.Errorf("GraphQL queries counted as %d mutating requests", n)
	}
	off, _ := newFake(t, WithoutGraphQL())
	must(t, send(off, "POST", "/graphql", map[string]string{"query": "{ viewer { login } }"}), 404)
	ghe, _ := newFake(t, WithEnterprisePrefix())
	got := must(t, send(ghe, "POST", strings.TrimSuffix(ghe.URL(), "/api/v3")+"/api/graphql", map[string]string{"query": "{ viewer { login } }"}, "Authorization", "Bearer x"), 200).json(t)
	if got["data"].(map[string]any)["viewer"].(map[string]any)["login"] != "orgctl-bot" {
		t.Errorf("GitHub Enterprise GraphQL: %v", got)
	}
}

// TestConditionalGetAnswers304ForFree: a GET answer carries an ETag that
// changes with the body; sending it back in If-None-Match gets 304 with no
// body, and, as on GitHub, costs no rate-limit point.
func TestConditionalGetAnswers304ForFree(t *testing.T) {
	s, _ := newFake(t, WithRateLimit(10))
	s.AddIssue("acme", "people", Issue{Title: "one"})
	const list = "/repos/acme/people/issues?state=all&per_page=100"
	first := must(t, send(s, "GET", list, nil), 200)
	etag := first.header.Get("ETag")
	if etag == "" || first.header.Get("X-RateLimit-Remaining") != "9" {
		t.Fatalf("first GET: ETag %q, remaining %s", etag, first.header.Get("X-RateLimit-Remaining"))
	}
	again := must(t, send(s, "GET", list, nil, "If-None-Match", etag), 304)
	if len(again.body) != 0 || again.header.Get("ETag") != etag || again.header.Get("X-RateLimit-Remaining") != "9" {
		t.Errorf("304: body %q, ETag %q, remaining %s (want no body, the same ETag, remaining unchanged)", again.body, again.header.Get("ETag"), again.header.Get("X-RateLimit-Remaining"))
	}
	if s.PointsUsed() != 1 || s.NotModified() != 1 {
		t.Errorf("after one 200 and one 304: %d points, %d not modified; want 1 and 1", s.PointsUsed(), s.NotModified())
	}
	must(t, send(s, "GET", list, nil, "If-None-Match", `"other", `+strings.TrimPrefix(etag, "W/")), 304)

	s.AddIssue("acme", "people", Issue{Title: "two"})
	changed := must(t, send(s, "GET", list, nil, "If-None-Match", etag), 200)
	if changed.header.Get("ETag") == etag || len(changed.body) == 0 {
		t.Errorf("after a change: ETag %q (was %q), body %d bytes", changed.header.Get("ETag"), etag, len(changed.body))
	}
	if s.PointsUsed() != 2 {
		t.Errorf("a changed answer must cost a point: %d points", s.PointsUsed())
	}
	// Writes are never conditional.
	must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"}, "If-None-Match", etag), 201)
	if s.PointsUsed() != 3 {
		t.Errorf("a write must cost a point: %d points", s.PointsUsed())
	}
}

// TestReviewsCarryTheirCommitAndCanBeDismissed: a review is on the head
// commit of its time, a push moves the head on without touching it, the
// list is paginated oldest first, and only approvals and requests for
// changes can be dismissed (with a message), becoming DISMISSED.
func TestReviewsCarryTheirCommitAndCanBeDismissed(t *testing.T) {
	s, _ := newFake(t)
	s.AddUser("carol")
	s.AddBranch("acme", "people", "topic", "")
	s.AddFile("acme", "people", "topic", "x.yaml", "x\n")
	n := s.AddPull("acme", "people", Pull{Issue: Issue{Title: "t", Author: "octo"}, Head: "topic", RequestedReviewers: []string{"carol"}})
	first := s.HeadSHA("acme", "people", n)
	approval := s.AddReview("acme", "people", n, "carol", Approved)
	if p := s.Pulls("acme", "people")[0]; len(p.RequestedReviewers) != 0 {
		t.Errorf("carol's review did not answer her review request: %v", p.RequestedReviewers)
	}
	s.AddFile("acme", "people", "topic", "y.yaml", "y\n") // a new push
	second := s.HeadSHA("acme", "people", n)
	if second == first {
		t.Fatalf("a push left the head at %s", first)
	}
	comment := s.AddReview("acme", "people", n, "dave", Commented)
	base := "/repos/acme/people/pulls/" + strconv.Itoa(n) + "/reviews"
	list := must(t, send(s, "GET", base+"?per_page=1", nil), 200)
	if !strings.Contains(list.header.Get("Link"), `rel="next"`) {
		t.Errorf("one review per page but no next page: %q", list.header.Get("Link"))
	}
	var got []string
	for _, r := range must(t, send(s, "GET", base, nil), 200).list(t) {
		got = append(got, r["user"].(map[string]any)["login"].(string)+" "+r["state"].(string)+" "+r["commit_id"].(string))
	}
	if want := []string{"carol APPROVED " + first, "dave COMMENTED " + second}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("reviews %q, want %q", got, want)
	}
	dismiss := func(id int64) string { return base + "/" + strconv.FormatInt(id, 10) + "/dismissals" }
	must(t, send(s, "PUT", dismiss(comment), map[string]any{"message": "no"}), 422)
	must(t, send(s, "PUT", dismiss(999), map[string]any{"message": "no"}), 404)
	if r := must(t, send(s, "PUT", dismiss(approval), map[string]any{"message": "stale"}), 200).json(t); r["state"] != "DISMISSED" {
		t.Errorf("dismissed review answered state %v", r["state"])
	}
	must(t, send(s, "PUT", dismiss(approval), map[string]any{"message": "again"}), 422)
}
