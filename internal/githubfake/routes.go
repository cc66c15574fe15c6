package githubfake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// route is one operation the fake serves. path is GitHub's path template,
// exactly as the OpenAPI description spells it.
type route struct {
	method string
	path   string
	fn     func(*call) *response
	segs   []string
}

// routes is the fake's route table. Adding an operation means adding it here
// and running testdata/regenerate.sh, which keeps the description's subset in
// step with this table (a test checks that they agree).
var routes = []*route{
	{method: "GET", path: "/user", fn: getAuthenticatedUser},

	{method: "GET", path: "/repos/{owner}/{repo}", fn: getRepo},
	{method: "GET", path: "/repos/{owner}/{repo}/assignees/{assignee}", fn: checkAssignee},

	{method: "GET", path: "/repos/{owner}/{repo}/issues", fn: listIssues},
	{method: "POST", path: "/repos/{owner}/{repo}/issues", fn: createIssue},
	{method: "GET", path: "/repos/{owner}/{repo}/issues/{issue_number}", fn: getIssue},
	{method: "PATCH", path: "/repos/{owner}/{repo}/issues/{issue_number}", fn: updateIssue},

	{method: "GET", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", fn: listComments},
	{method: "POST", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", fn: createComment},
	{method: "GET", path: "/repos/{owner}/{repo}/issues/comments/{comment_id}", fn: getComment},
	{method: "PATCH", path: "/repos/{owner}/{repo}/issues/comments/{comment_id}", fn: updateComment},
	{method: "DELETE", path: "/repos/{owner}/{repo}/issues/comments/{comment_id}", fn: deleteComment},

	{method: "GET", path: "/repos/{owner}/{repo}/labels", fn: listLabels},
	{method: "POST", path: "/repos/{owner}/{repo}/labels", fn: createLabel},
	{method: "GET", path: "/repos/{owner}/{repo}/labels/{name}", fn: getLabel},

	{method: "GET", path: "/repos/{owner}/{repo}/pulls", fn: listPulls},
	{method: "POST", path: "/repos/{owner}/{repo}/pulls", fn: createPull},
	{method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}", fn: getPull},
	{method: "PATCH", path: "/repos/{owner}/{repo}/pulls/{pull_number}", fn: updatePull},
	{method: "POST", path: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", fn: requestReviewers},
	{method: "DELETE", path: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", fn: removeRequestedReviewers},
	{method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", fn: listReviews},
	{method: "PUT", path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals", fn: dismissReview},

	{method: "GET", path: "/repos/{owner}/{repo}/git/ref/{ref}", fn: getRef},
	{method: "POST", path: "/repos/{owner}/{repo}/git/refs", fn: createRef},
	{method: "PATCH", path: "/repos/{owner}/{repo}/git/refs/{ref}", fn: updateRef},
	{method: "DELETE", path: "/repos/{owner}/{repo}/git/refs/{ref}", fn: deleteRef},

	{method: "GET", path: "/repos/{owner}/{repo}/contents/{path}", fn: getContents},
	{method: "PUT", path: "/repos/{owner}/{repo}/contents/{path}", fn: putContents},
}

func init() {
	for _, rt := range routes {
		rt.segs = strings.Split(strings.TrimPrefix(rt.path, "/"), "/")
	}
}

// Operations lists the operations the fake serves, as "METHOD /path/template"
// in GitHub's own spelling, in route-table order.
func Operations() []string {
	out := make([]string, len(routes))
	for i, rt := range routes {
		out[i] = rt.method + " " + rt.path
	}
	return out
}

// greedy names the path parameters that, in the last segment, take the rest
// of the path, slashes included: a git ref ("heads/feature/x") and a file
// path ("people/alice.yaml"). GitHub accepts them so although its
// description declares ordinary one-segment parameters (see openapi.go).
var greedy = map[string]bool{"ref": true, "path": true}

// matchRoute finds the route for method and escaped path (no /api/v3
// prefix), preferring the one with the most literal segments, and returns
// the percent-decoded path parameters.
func matchRoute(method, escaped string) (*route, map[string]string) {
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	var best *route
	var bestParams map[string]string
	bestLiterals := -1
	for _, rt := range routes {
		if rt.method != method {
			continue
		}
		if params, literals, ok := rt.match(parts); ok && literals > bestLiterals {
			best, bestParams, bestLiterals = rt, params, literals
		}
	}
	return best, bestParams
}

func (rt *route) match(parts []string) (map[string]string, int, bool) {
	params := map[string]string{}
	literals := 0
	for i, seg := range rt.segs {
		if i >= len(parts) {
			return nil, 0, false
		}
		name, isParam := strings.CutPrefix(seg, "{")
		if !isParam {
			if parts[i] != seg {
				return nil, 0, false
			}
			literals++
			continue
		}
		name = strings.TrimSuffix(name, "}")
		value := parts[i]
		if i == len(rt.segs)-1 && greedy[name] {
			value = strings.Join(parts[i:], "/")
			parts = parts[:i+1]
		}
		decoded, err := url.PathUnescape(value)
		if err != nil || decoded == "" {
			return nil, 0, false
		}
		params[name] = decoded
	}
	if len(parts) != len(rt.segs) {
		return nil, 0, false
	}
	return params, literals, true
}

// call is one request on its way through a handler, which runs with s.mu held.
type call struct {
	s      *Server
	r      *http.Request
	rt     *route
	params map[string]string
	body   []byte
	repo   *repo
	// actor is who the token authenticates: the author of what the call
	// creates.
	actor account
}

// handle resolves the repository (for the routes under /repos), then runs
// the route's handler.
func (rt *route) handle(c *call) *response {
	if _, inRepo := c.params["owner"]; inRepo {
		c.repo = c.s.st.repo(c.params["owner"], c.params["repo"])
		if c.repo == nil {
			return c.notFound()
		}
	}
	return rt.fn(c)
}

// getAuthenticatedUser answers GET /user: the token's user, or, for an
// app installation token, 403 "Resource not accessible by integration"
// as GitHub does (an installation has no user).
func getAuthenticatedUser(c *call) *response {
	if c.actor.installation {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration", c.docs())
	}
	if len(c.s.tokens) == 0 && c.r.Header.Get("Authorization") == "" {
		return errorResponse(http.StatusUnauthorized, "Requires authentication", c.docs())
	}
	return c.json(http.StatusOK, c.s.publicUserJSON(c.actor.login))
}

// ---- responses ----

func (c *call) docs() string { return documentationURL(c.rt.method, c.rt.path) }

func (c *call) notFound() *response { return errorResponse(http.StatusNotFound, "Not Found", c.docs()) }

func (c *call) json(status int, v any) *response { return jsonResponse(status, v) }

func (c *call) created(v any, location string) *response {
	resp := jsonResponse(http.StatusCreated, v)
	resp.header = http.Header{"Location": {location}}
	return resp
}

func noContent() *response { return &response{status: http.StatusNoContent} }

// fieldError is one entry of a 422's "errors".
type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
	Value    any    `json:"value,omitempty"`
}

// validationFailed is GitHub's 422 "Validation Failed" with its errors.
func (c *call) validationFailed(errs ...fieldError) *response {
	return jsonResponse(http.StatusUnprocessableEntity, map[string]any{
		"message":           "Validation Failed",
		"errors":            errs,
		"documentation_url": c.docs(),
		"status":            "422",
	})
}

// unprocessable is a 422 with only a message, as GitHub answers for git and
// contents operations.
func (c *call) unprocessable(message string) *response {
	return errorResponse(http.StatusUnprocessableEntity, message, c.docs())
}

func missing(resource, field string) fieldError {
	return fieldError{Resource: resource, Field: field, Code: "missing_field"}
}

// maxBody is GitHub's limit on issue, pull-request and comment bodies, in characters.
const maxBody = 65536

// tooLong checks a body or title against GitHub's limit.
func (c *call) tooLong(resource, field, value string, max int) *response {
	if utf8.RuneCountInString(value) <= max {
		return nil
	}
	return c.validationFailed(fieldError{Resource: resource, Field: field, Code: "custom",
		Message: fmt.Sprintf("%s is too long (maximum is %d characters)", field, max)})
}

// ---- request bodies ----

type fields map[string]json.RawMessage

func (c *call) decode() (fields, *response) {
	f := fields{}
	if len(bytes.TrimSpace(c.body)) == 0 {
		return f, nil
	}
	if err := json.Unmarshal(c.body, &f); err != nil {
		return nil, errorResponse(http.StatusBadRequest, "Problems parsing JSON", c.docs())
	}
	return f, nil
}

// field decodes f[key] into dst. It reports whether the key was present and
// not null, or a 422 as GitHub words it when the value has the wrong type.
func field[T any](c *call, f fields, key string, dst *T) (bool, *response) {
	raw, ok := f[key]
	if !ok || string(raw) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		kind := map[reflect.Kind]string{reflect.String: "a string", reflect.Slice: "an array",
			reflect.Int: "an integer", reflect.Bool: "a boolean", reflect.Struct: "an object", reflect.Map: "an object"}
		want := kind[reflect.TypeOf(dst).Elem().Kind()]
		if want == "" {
			want = "of the right type"
		}
		return false, c.unprocessable(fmt.Sprintf("Invalid request.\n\nFor 'properties/%s', %s is not %s.", key, raw, want))
	}
	return true, nil
}

// optionalStrings decodes optional string fields given as key, destination pairs, in order.
func optionalStrings(c *call, f fields, pairs ...any) *response {
	for i := 0; i+1 < len(pairs); i += 2 {
		if _, bad := field(c, f, pairs[i].(string), pairs[i+1].(*string)); bad != nil {
			return bad
		}
	}
	return nil
}

// stringOrNumber decodes a title, which GitHub accepts as a string or an integer.
type stringOrNumber string

// UnmarshalJSON accepts "x" and 7.
func (s *stringOrNumber) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = stringOrNumber(str)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = stringOrNumber(n.String())
	return nil
}

// labelName decodes a label given as a name or as {"name": ...}.
type labelName string

// UnmarshalJSON accepts "x" and {"name": "x"}.
func (l *labelName) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*l = labelName(str)
		return nil
	}
	var obj struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*l = labelName(obj.Name)
	return nil
}

// ---- pagination ----

// paginate returns the slice bounds of the requested page (per_page default
// 30, at most 100) and GitHub's Link header for it.
func (c *call) paginate(total int) (lo, hi int, header http.Header) {
	q := c.r.URL.Query()
	perPage, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || perPage < 1 {
		perPage = 30
	}
	perPage = min(perPage, 100)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	last := max(1, (total+perPage-1)/perPage)
	lo = min(total, (page-1)*perPage)
	hi = min(total, lo+perPage)

	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, c.s.srv.URL, c.r.URL.EscapedPath(), q.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	header = http.Header{}
	if len(links) > 0 {
		header.Set("Link", strings.Join(links, ", "))
	}
	return lo, hi, header
}

func (c *call) page(items []any) *response {
	lo, hi, header := c.paginate(len(items))
	resp := jsonResponse(http.StatusOK, items[lo:hi])
	resp.header = header
	return resp
}

func (c *call) since() (time.Time, *response) {
	v := c.r.URL.Query().Get("since")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, c.validationFailed(fieldError{Field: "since", Code: "invalid", Value: v})
	}
	return t, nil
}

// ---- repository ----

func getRepo(c *call) *response { return c.json(http.StatusOK, c.s.repoJSON(c.repo)) }

func checkAssignee(c *call) *response {
	if _, ok := c.s.st.assignable(c.params["assignee"]); ok {
		return noContent()
	}
	return c.notFound()
}

// ---- issues ----

func (c *call) item(param string) *issue {
	n, err := strconv.Atoi(c.params[param])
	if err != nil {
		return nil
	}
	return c.repo.items[n]
}

func listIssues(c *call) *response {
	q := c.r.URL.Query()
	state := q.Get("state")
	switch state {
	case "":
		state = "open"
	case "open", "closed", "all":
	default:
		return c.validationFailed(fieldError{Resource: "Issue", Field: "state", Code: "invalid", Value: state})
	}
	var wantLabels []string
	for _, l := range strings.Split(q.Get("labels"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			wantLabels = append(wantLabels, l)
		}
	}
	since, bad := c.since()
	if bad != nil {
		return bad
	}
	assignee, creator := q.Get("assignee"), q.Get("creator")

	var items []*issue
	for _, it := range c.repo.sortedItems() {
		if state != "all" && it.state != state {
			continue
		}
		if !hasAllLabels(it, wantLabels) || it.updatedAt.Before(since) {
			continue
		}
		if creator != "" && !strings.EqualFold(creator, it.author) {
			continue
		}
		if assignee != "" && !assignedTo(it, assignee) {
			continue
		}
		items = append(items, it)
	}
	sortItems(items, q.Get("sort"), q.Get("direction"), "desc")
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = c.s.issueJSON(c.repo, it)
	}
	return c.page(out)
}

func hasAllLabels(it *issue, want []string) bool {
	for _, w := range want {
		found := false
		for _, l := range it.labels {
			if strings.EqualFold(l.name, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func assignedTo(it *issue, who string) bool {
	switch who {
	case "none":
		return len(it.assignees) == 0
	case "*":
		return len(it.assignees) > 0
	}
	for _, a := range it.assignees {
		if strings.EqualFold(a, who) {
			return true
		}
	}
	return false
}

// sortItems orders issues or pull requests as GitHub's sort and direction
// parameters ask, ties broken by number.
func sortItems(items []*issue, by, direction, defaultDirection string) {
	if direction == "" {
		direction = defaultDirection
	}
	key := func(it *issue) int64 {
		switch by {
		case "updated":
			return it.updatedAt.Unix()
		case "comments":
			return int64(len(it.comments))
		}
		return it.createdAt.Unix()
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if direction == "asc" {
			a, b = b, a
		}
		if ka, kb := key(a), key(b); ka != kb {
			return ka > kb
		}
		return a.number > b.number
	})
}

func getIssue(c *call) *response {
	it := c.item("issue_number")
	if it == nil {
		return c.notFound()
	}
	return c.json(http.StatusOK, c.s.issueJSON(c.repo, it))
}

// assignees checks logins against the users who can be assigned. GitHub
// answers an unassignable login in several ways (it drops it silently on
// some paths); the fake always answers 422 field "assignees" code
// "invalid", the strict case a client must handle.
func (c *call) assignees(resource string, logins []string) ([]string, *response) {
	out := []string{}
	seen := map[string]bool{}
	for _, login := range logins {
		canonical, ok := c.s.st.assignable(login)
		if !ok {
			return nil, c.validationFailed(fieldError{Resource: resource, Field: "assignees", Code: "invalid", Value: login})
		}
		if !seen[canonical] {
			seen[canonical] = true
			out = append(out, canonical)
		}
	}
	return out, nil
}

// issueEdits are the fields that creating and editing an issue share.
type issueEdits struct {
	title, body            stringOrNumber
	hasTitle, hasBody      bool
	labels                 []labelName
	hasLabels              bool
	assignees              []string
	hasAssignees           bool
	milestone              json.RawMessage
	state, stateReason     string
	hasState, hasReason    bool
	stateReasonExplicitNil bool
}

func (c *call) issueEdits(f fields) (e issueEdits, bad *response) {
	if e.hasTitle, bad = field(c, f, "title", &e.title); bad != nil {
		return
	}
	var body string
	if e.hasBody, bad = field(c, f, "body", &body); bad != nil {
		return
	}
	e.body = stringOrNumber(body)
	if e.hasLabels, bad = field(c, f, "labels", &e.labels); bad != nil {
		return
	}
	if e.hasAssignees, bad = field(c, f, "assignees", &e.assignees); bad != nil {
		return
	}
	var one string
	var hasOne bool
	if hasOne, bad = field(c, f, "assignee", &one); bad != nil {
		return
	}
	if hasOne && !e.hasAssignees {
		e.assignees, e.hasAssignees = []string{one}, true
	}
	if raw, ok := f["milestone"]; ok && string(raw) != "null" {
		e.milestone = raw
	}
	if e.hasState, bad = field(c, f, "state", &e.state); bad != nil {
		return
	}
	if e.hasReason, bad = field(c, f, "state_reason", &e.stateReason); bad != nil {
		return
	}
	if raw, ok := f["state_reason"]; ok && string(raw) == "null" {
		e.stateReasonExplicitNil = true
	}
	return e, nil
}

func createIssue(c *call) *response {
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	e, bad := c.issueEdits(f)
	if bad != nil {
		return bad
	}
	if !e.hasTitle || strings.TrimSpace(string(e.title)) == "" {
		return c.validationFailed(missing("Issue", "title"))
	}
	if bad := c.tooLong("Issue", "title", string(e.title), 256); bad != nil {
		return bad
	}
	if bad := c.tooLong("Issue", "body", string(e.body), maxBody); bad != nil {
		return bad
	}
	if e.milestone != nil {
		return c.validationFailed(fieldError{Resource: "Issue", Field: "milestone", Code: "invalid", Value: string(e.milestone)})
	}
	assignees, bad := c.assignees("Issue", e.assignees)
	if bad != nil {
		return bad
	}
	now := c.s.now()
	it := &issue{id: c.s.st.id(), number: c.repo.nextNumber, title: string(e.title), body: string(e.body),
		state: "open", author: c.actor.login, assignees: assignees, createdAt: now, updatedAt: now}
	c.repo.nextNumber++
	c.s.st.user(c.actor.login)
	for _, l := range e.labels {
		it.labels = appendLabel(it.labels, c.s.st.ensureLabel(c.repo, string(l)))
	}
	c.repo.items[it.number] = it
	return c.created(c.s.issueJSON(c.repo, it), c.s.apiURL("repos", c.repo.owner, c.repo.name, "issues", strconv.Itoa(it.number)))
}

func appendLabel(labels []*label, l *label) []*label {
	for _, have := range labels {
		if have == l {
			return labels
		}
	}
	return append(labels, l)
}

func updateIssue(c *call) *response {
	it := c.item("issue_number")
	if it == nil {
		return c.notFound()
	}
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	e, bad := c.issueEdits(f)
	if bad != nil {
		return bad
	}
	if e.hasTitle && strings.TrimSpace(string(e.title)) == "" {
		return c.validationFailed(missing("Issue", "title"))
	}
	if bad := c.tooLong("Issue", "title", string(e.title), 256); bad != nil {
		return bad
	}
	if bad := c.tooLong("Issue", "body", string(e.body), maxBody); bad != nil {
		return bad
	}
	if e.hasState && e.state != "open" && e.state != "closed" {
		return c.validationFailed(fieldError{Resource: "Issue", Field: "state", Code: "invalid", Value: e.state})
	}
	switch e.stateReason {
	case "", "completed", "not_planned", "duplicate", "reopened":
	default:
		return c.validationFailed(fieldError{Resource: "Issue", Field: "state_reason", Code: "invalid", Value: e.stateReason})
	}
	if e.milestone != nil {
		return c.validationFailed(fieldError{Resource: "Issue", Field: "milestone", Code: "invalid", Value: string(e.milestone)})
	}
	var assignees []string
	if e.hasAssignees {
		if assignees, bad = c.assignees("Issue", e.assignees); bad != nil {
			return bad
		}
	}

	now := c.s.now()
	changed := false
	if e.hasTitle && string(e.title) != it.title {
		it.title, changed = string(e.title), true
	}
	if _, ok := f["body"]; ok && string(e.body) != it.body {
		it.body, changed = string(e.body), true
	}
	if e.hasLabels {
		var labels []*label
		for _, l := range e.labels {
			labels = appendLabel(labels, c.s.st.ensureLabel(c.repo, string(l)))
		}
		if !sameLabels(labels, it.labels) {
			it.labels, changed = labels, true
		}
	}
	if e.hasAssignees && strings.Join(assignees, ",") != strings.Join(it.assignees, ",") {
		it.assignees, changed = assignees, true
	}
	switch {
	case e.hasState && e.state == "closed" && it.state == "open":
		it.state, it.closedAt, it.closedBy, changed = "closed", now, c.actor.login, true
		it.stateReason = ""
		if it.pull == nil {
			it.stateReason = "completed"
			if e.hasReason && e.stateReason != "reopened" {
				it.stateReason = e.stateReason
			}
		}
	case e.hasState && e.state == "open" && it.state == "closed":
		it.state, it.closedAt, it.closedBy, changed = "open", time.Time{}, "", true
		it.stateReason = ""
		if it.pull == nil {
			it.stateReason = "reopened"
		}
	case it.state == "closed" && it.pull == nil && e.hasReason && e.stateReason != "reopened" && e.stateReason != it.stateReason:
		it.stateReason, changed = e.stateReason, true
	}
	if changed {
		it.updatedAt = now
	}
	return c.json(http.StatusOK, c.s.issueJSON(c.repo, it))
}

func sameLabels(a, b []*label) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[*label]bool{}
	for _, l := range a {
		seen[l] = true
	}
	for _, l := range b {
		if !seen[l] {
			return false
		}
	}
	return true
}

// ---- comments ----

func listComments(c *call) *response {
	it := c.item("issue_number")
	if it == nil {
		return c.notFound()
	}
	since, bad := c.since()
	if bad != nil {
		return bad
	}
	var out []any
	for _, cm := range it.comments {
		if !cm.updatedAt.Before(since) {
			out = append(out, c.s.commentJSON(c.repo, cm))
		}
	}
	if out == nil {
		out = []any{}
	}
	return c.page(out)
}

func (c *call) commentBody(required bool) (string, *response) {
	f, bad := c.decode()
	if bad != nil {
		return "", bad
	}
	var body string
	has, bad := field(c, f, "body", &body)
	if bad != nil {
		return "", bad
	}
	if required && (!has || strings.TrimSpace(body) == "") {
		return "", c.validationFailed(missing("IssueComment", "body"))
	}
	return body, c.tooLong("IssueComment", "body", body, maxBody)
}

func createComment(c *call) *response {
	it := c.item("issue_number")
	if it == nil {
		return c.notFound()
	}
	body, bad := c.commentBody(true)
	if bad != nil {
		return bad
	}
	cm := c.s.addComment(c.repo, it, Comment{Author: c.actor.login, Body: body})
	it.updatedAt = cm.createdAt
	return c.created(c.s.commentJSON(c.repo, cm), c.s.apiURL("repos", c.repo.owner, c.repo.name, "issues", "comments", strconv.FormatInt(cm.id, 10)))
}

func (c *call) comment() *comment {
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return nil
	}
	return c.repo.comments[id]
}

func getComment(c *call) *response {
	cm := c.comment()
	if cm == nil {
		return c.notFound()
	}
	return c.json(http.StatusOK, c.s.commentJSON(c.repo, cm))
}

func updateComment(c *call) *response {
	cm := c.comment()
	if cm == nil {
		return c.notFound()
	}
	body, bad := c.commentBody(true)
	if bad != nil {
		return bad
	}
	if body != cm.body {
		cm.body, cm.updatedAt = body, c.s.now()
	}
	return c.json(http.StatusOK, c.s.commentJSON(c.repo, cm))
}

func deleteComment(c *call) *response {
	cm := c.comment()
	if cm == nil {
		return c.notFound()
	}
	delete(c.repo.comments, cm.id)
	it := cm.issue
	for i, have := range it.comments {
		if have == cm {
			it.comments = append(it.comments[:i:i], it.comments[i+1:]...)
			break
		}
	}
	return noContent()
}

// ---- labels ----

func listLabels(c *call) *response {
	out := make([]any, len(c.repo.labels))
	for i, l := range c.repo.labels {
		out[i] = c.s.labelJSON(c.repo, l)
	}
	return c.page(out)
}

var hexColor = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

func createLabel(c *call) *response {
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var name, color, description string
	has, bad := field(c, f, "name", &name)
	if bad != nil {
		return bad
	}
	if !has || strings.TrimSpace(name) == "" {
		return c.validationFailed(missing("Label", "name"))
	}
	if _, bad = field(c, f, "color", &color); bad != nil {
		return bad
	}
	if _, bad = field(c, f, "description", &description); bad != nil {
		return bad
	}
	color = strings.TrimPrefix(color, "#")
	if color == "" {
		color = "ededed"
	}
	if !hexColor.MatchString(color) {
		return c.validationFailed(fieldError{Resource: "Label", Field: "color", Code: "invalid"})
	}
	if bad := c.tooLong("Label", "description", description, 100); bad != nil {
		return bad
	}
	if c.repo.label(name) != nil {
		return c.validationFailed(fieldError{Resource: "Label", Field: "name", Code: "already_exists"})
	}
	l := &label{id: c.s.st.id(), name: name, color: strings.ToLower(color), description: description}
	c.repo.labels = append(c.repo.labels, l)
	return c.created(c.s.labelJSON(c.repo, l), c.s.apiURL("repos", c.repo.owner, c.repo.name, "labels", l.name))
}

func getLabel(c *call) *response {
	l := c.repo.label(c.params["name"])
	if l == nil {
		return c.notFound()
	}
	return c.json(http.StatusOK, c.s.labelJSON(c.repo, l))
}

// ---- pull requests ----

func listPulls(c *call) *response {
	q := c.r.URL.Query()
	state := q.Get("state")
	switch state {
	case "":
		state = "open"
	case "open", "closed", "all":
	default:
		return c.validationFailed(fieldError{Resource: "PullRequest", Field: "state", Code: "invalid", Value: state})
	}
	// head is "owner:branch"; GitHub ignores a head without the owner.
	headOwner, headBranch, headOK := strings.Cut(q.Get("head"), ":")
	base := q.Get("base")
	var items []*issue
	for _, it := range c.repo.sortedItems() {
		if it.pull == nil || (state != "all" && it.state != state) {
			continue
		}
		if headOK && (!strings.EqualFold(headOwner, c.repo.owner) || headBranch != it.pull.head) {
			continue
		}
		if base != "" && base != it.pull.base {
			continue
		}
		items = append(items, it)
	}
	by := q.Get("sort")
	defaultDirection := "asc"
	if by == "" || by == "created" {
		defaultDirection = "desc"
	}
	sortItems(items, by, q.Get("direction"), defaultDirection)
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = c.s.pullJSON(c.repo, it)
	}
	return c.page(out)
}

func (c *call) pull() *issue {
	it := c.item("pull_number")
	if it == nil || it.pull == nil {
		return nil
	}
	return it
}

func getPull(c *call) *response {
	it := c.pull()
	if it == nil {
		return c.notFound()
	}
	return c.json(http.StatusOK, c.s.pullJSON(c.repo, it))
}

func createPull(c *call) *response {
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var title stringOrNumber
	var head, base, body string
	var draft, canModify bool
	var issueNumber int
	if bad := optionalStrings(c, f, "head", &head, "base", &base, "body", &body); bad != nil {
		return bad
	}
	hasTitle, bad := field(c, f, "title", &title)
	if bad != nil {
		return bad
	}
	if _, bad := field(c, f, "draft", &draft); bad != nil {
		return bad
	}
	canModify = true
	if _, bad := field(c, f, "maintainer_can_modify", &canModify); bad != nil {
		return bad
	}
	hasIssue, bad := field(c, f, "issue", &issueNumber)
	if bad != nil {
		return bad
	}
	switch {
	case head == "":
		return c.validationFailed(missing("PullRequest", "head"))
	case base == "":
		return c.validationFailed(missing("PullRequest", "base"))
	case hasIssue:
		return c.unprocessable("githubfake: turning an issue into a pull request is not modelled")
	case !hasTitle || strings.TrimSpace(string(title)) == "":
		return c.validationFailed(missing("PullRequest", "title"))
	}
	if bad := c.tooLong("PullRequest", "body", body, maxBody); bad != nil {
		return bad
	}
	headBranch := head
	if owner, branch, ok := strings.Cut(head, ":"); ok {
		if !strings.EqualFold(owner, c.repo.owner) {
			return c.validationFailed(fieldError{Resource: "PullRequest", Field: "head", Code: "invalid"})
		}
		headBranch = branch
	}
	headSHA, ok := c.repo.refs[headBranch]
	if !ok {
		return c.validationFailed(fieldError{Resource: "PullRequest", Field: "head", Code: "invalid"})
	}
	baseSHA, ok := c.repo.refs[base]
	if !ok {
		return c.validationFailed(fieldError{Resource: "PullRequest", Field: "base", Code: "invalid"})
	}
	for _, it := range c.repo.items {
		if it.pull != nil && it.state == "open" && it.pull.head == headBranch && it.pull.base == base {
			return c.validationFailed(fieldError{Resource: "PullRequest", Code: "custom",
				Message: fmt.Sprintf("A pull request already exists for %s:%s.", c.repo.owner, headBranch)})
		}
	}
	if c.repo.isAncestor(headSHA, baseSHA) {
		return c.validationFailed(fieldError{Resource: "PullRequest", Code: "custom",
			Message: fmt.Sprintf("No commits between %s and %s", base, headBranch)})
	}
	now := c.s.now()
	it := &issue{id: c.s.st.id(), number: c.repo.nextNumber, title: string(title), body: body, state: "open",
		author: c.actor.login, createdAt: now, updatedAt: now,
		pull: &pull{id: c.s.st.id(), head: headBranch, base: base, headSHA: headSHA, draft: draft, maintainerCanModify: canModify}}
	c.repo.nextNumber++
	c.repo.items[it.number] = it
	return c.created(c.s.pullJSON(c.repo, it), c.s.apiURL("repos", c.repo.owner, c.repo.name, "pulls", strconv.Itoa(it.number)))
}

func updatePull(c *call) *response {
	it := c.pull()
	if it == nil {
		return c.notFound()
	}
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var title stringOrNumber
	var body, state, base string
	var canModify bool
	hasTitle, bad := field(c, f, "title", &title)
	if bad != nil {
		return bad
	}
	hasBody, bad := field(c, f, "body", &body)
	if bad != nil {
		return bad
	}
	hasState, bad := field(c, f, "state", &state)
	if bad != nil {
		return bad
	}
	hasBase, bad := field(c, f, "base", &base)
	if bad != nil {
		return bad
	}
	hasModify, bad := field(c, f, "maintainer_can_modify", &canModify)
	if bad != nil {
		return bad
	}
	if bad := c.tooLong("PullRequest", "body", body, maxBody); bad != nil {
		return bad
	}
	if hasState && state != "open" && state != "closed" {
		return c.validationFailed(fieldError{Resource: "PullRequest", Field: "state", Code: "invalid", Value: state})
	}
	if hasBase {
		if _, ok := c.repo.refs[base]; !ok {
			return c.validationFailed(fieldError{Resource: "PullRequest", Field: "base", Code: "invalid"})
		}
	}
	if hasState && state == "open" && it.state == "closed" {
		if _, ok := c.repo.refs[it.pull.head]; !ok {
			return c.unprocessable(fmt.Sprintf("state cannot be changed. The %s branch has been deleted.", it.pull.head))
		}
	}
	now := c.s.now()
	if hasTitle && strings.TrimSpace(string(title)) != "" {
		it.title = string(title)
	}
	if hasBody {
		it.body = body
	}
	if hasBase {
		it.pull.base = base
	}
	if hasModify {
		it.pull.maintainerCanModify = canModify
	}
	if hasState && state != it.state {
		it.state = state
		if state == "closed" {
			it.closedAt, it.closedBy = now, c.actor.login
		} else {
			it.closedAt, it.closedBy = time.Time{}, ""
		}
	}
	it.updatedAt = now
	return c.json(http.StatusOK, c.s.pullJSON(c.repo, it))
}

// reviewRequest is the body of the requested_reviewers endpoints.
type reviewRequest struct {
	reviewers, teams []string
	hasReviewers     bool // "reviewers" was in the body
}

// readReviewRequest finds the pull request and decodes the body of a
// requested_reviewers call.
func readReviewRequest(c *call) (*issue, reviewRequest, *response) {
	var rr reviewRequest
	it := c.pull()
	if it == nil {
		return nil, rr, c.notFound()
	}
	f, bad := c.decode()
	if bad != nil {
		return nil, rr, bad
	}
	if rr.hasReviewers, bad = field(c, f, "reviewers", &rr.reviewers); bad != nil {
		return nil, rr, bad
	}
	if _, bad := field(c, f, "team_reviewers", &rr.teams); bad != nil {
		return nil, rr, bad
	}
	return it, rr, nil
}

func requestReviewers(c *call) *response {
	it, rr, bad := readReviewRequest(c)
	if bad != nil {
		return bad
	}
	reviewers, teams := rr.reviewers, rr.teams
	notCollaborator := fmt.Sprintf("Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the %s/%s repository.", c.repo.owner, c.repo.name)
	if len(teams) > 0 {
		return c.unprocessable(notCollaborator)
	}
	var add []string
	for _, r := range reviewers {
		login, ok := c.s.st.assignable(r)
		if !ok {
			return c.unprocessable(notCollaborator)
		}
		if strings.EqualFold(login, it.author) {
			return c.unprocessable("Review cannot be requested from pull request author.")
		}
		add = append(add, login)
	}
	for _, login := range add {
		if !containsFold(it.pull.reviewers, login) {
			it.pull.reviewers = append(it.pull.reviewers, login)
		}
	}
	it.updatedAt = c.s.now()
	return c.created(c.s.pullJSON(c.repo, it), c.s.apiURL("repos", c.repo.owner, c.repo.name, "pulls", strconv.Itoa(it.number)))
}

// removeRequestedReviewers withdraws review requests. As on GitHub, a
// login that is not requested (or not a user at all) is no error, and the
// answer is 200 with the pull request; "reviewers" is required, and team
// reviewers are not modelled.
func removeRequestedReviewers(c *call) *response {
	it, rr, bad := readReviewRequest(c)
	if bad != nil {
		return bad
	}
	if !rr.hasReviewers {
		return c.unprocessable("Invalid request.\n\n\"reviewers\" wasn't supplied.")
	}
	reviewers := rr.reviewers
	if len(rr.teams) > 0 {
		return c.unprocessable("githubfake: team reviewers are not modelled")
	}
	kept := it.pull.reviewers[:0:0]
	for _, login := range it.pull.reviewers {
		if !containsFold(reviewers, login) {
			kept = append(kept, login)
		}
	}
	if len(kept) != len(it.pull.reviewers) {
		it.pull.reviewers = kept
		it.updatedAt = c.s.now()
	}
	return c.json(http.StatusOK, c.s.pullJSON(c.repo, it))
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// ---- git refs (branches only) ----

func (c *call) branchParam() (string, bool) {
	return strings.CutPrefix(c.params["ref"], "heads/")
}

func getRef(c *call) *response {
	branch, ok := c.branchParam()
	if !ok {
		return c.notFound()
	}
	if _, exists := c.repo.refs[branch]; !exists {
		return c.notFound()
	}
	return c.json(http.StatusOK, c.s.refJSON(c.repo, branch))
}

// invalidRequest is GitHub's 422 for a missing parameter in the git and
// contents APIs.
func (c *call) invalidRequest(param string) *response {
	return c.unprocessable(fmt.Sprintf("Invalid request.\n\n%q wasn't supplied.", param))
}

func createRef(c *call) *response {
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var ref, sha string
	if has, bad := field(c, f, "ref", &ref); bad != nil || !has {
		return orElse(bad, c.invalidRequest("ref"))
	}
	if has, bad := field(c, f, "sha", &sha); bad != nil || !has {
		return orElse(bad, c.invalidRequest("sha"))
	}
	if !strings.HasPrefix(ref, "refs/") || strings.Count(ref, "/") < 2 {
		return c.unprocessable("Reference name must start with 'refs/' and have at least two slashes.")
	}
	branch, ok := strings.CutPrefix(ref, "refs/heads/")
	if !ok {
		return c.unprocessable("githubfake: only branches (refs/heads/...) are modelled")
	}
	if c.repo.commits[sha] == nil {
		return c.unprocessable("Object does not exist")
	}
	if _, exists := c.repo.refs[branch]; exists {
		return c.unprocessable("Reference already exists")
	}
	c.repo.refs[branch] = sha
	return c.created(c.s.refJSON(c.repo, branch), c.s.apiURL("repos", c.repo.owner, c.repo.name, "git", "refs", "heads", branch))
}

func orElse(a, b *response) *response {
	if a != nil {
		return a
	}
	return b
}

func updateRef(c *call) *response {
	branch, ok := c.branchParam()
	if !ok {
		return c.unprocessable("Reference does not exist")
	}
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var sha string
	var force bool
	if has, bad := field(c, f, "sha", &sha); bad != nil || !has {
		return orElse(bad, c.invalidRequest("sha"))
	}
	if _, bad := field(c, f, "force", &force); bad != nil {
		return bad
	}
	current, exists := c.repo.refs[branch]
	if !exists {
		return c.unprocessable("Reference does not exist")
	}
	if c.repo.commits[sha] == nil {
		return c.unprocessable("Object does not exist")
	}
	if !force && !c.repo.isAncestor(current, sha) {
		return c.unprocessable("Update is not a fast forward")
	}
	c.repo.refs[branch] = sha
	return c.json(http.StatusOK, c.s.refJSON(c.repo, branch))
}

// deleteRef deletes a branch and, as GitHub does, closes the open pull
// requests whose head it was.
func deleteRef(c *call) *response {
	branch, ok := c.branchParam()
	if !ok {
		return c.unprocessable("Reference does not exist")
	}
	if _, exists := c.repo.refs[branch]; !exists {
		return c.unprocessable("Reference does not exist")
	}
	if branch == c.repo.defaultBranch {
		return c.unprocessable("githubfake: deleting the default branch is refused")
	}
	now := c.s.now()
	for _, it := range c.repo.items {
		if it.pull != nil && it.pull.head == branch {
			c.repo.headSHA(it.pull)
			if it.state == "open" {
				it.state, it.closedAt, it.closedBy, it.updatedAt = "closed", now, c.actor.login, now
			}
		}
	}
	delete(c.repo.refs, branch)
	return noContent()
}

// ---- contents ----

func getContents(c *call) *response {
	ref := c.r.URL.Query().Get("ref")
	commit := c.repo.resolve(ref)
	if commit == nil {
		return errorResponse(http.StatusNotFound, "No commit found for the ref "+ref, c.docs())
	}
	if ref == "" {
		ref = c.repo.defaultBranch
	}
	p := strings.Trim(c.params["path"], "/")
	if content, ok := commit.files[p]; ok {
		return c.json(http.StatusOK, c.s.fileJSON(c.repo, ref, p, content, true))
	}
	entries := c.s.dirJSON(c.repo, ref, commit, p)
	if len(entries) == 0 {
		return c.notFound()
	}
	return c.json(http.StatusOK, entries)
}

// person is a commit author or committer as the contents API takes it.
type person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func putContents(c *call) *response {
	f, bad := c.decode()
	if bad != nil {
		return bad
	}
	var message, content, sha, branch string
	var author, committer person
	if has, bad := field(c, f, "message", &message); bad != nil || !has {
		return orElse(bad, c.invalidRequest("message"))
	}
	if has, bad := field(c, f, "content", &content); bad != nil || !has {
		return orElse(bad, c.invalidRequest("content"))
	}
	if bad := optionalStrings(c, f, "sha", &sha, "branch", &branch); bad != nil {
		return bad
	}
	if _, bad := field(c, f, "author", &author); bad != nil {
		return bad
	}
	if _, bad := field(c, f, "committer", &committer); bad != nil {
		return bad
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(content, "\n", ""))
	if err != nil {
		return c.unprocessable("content is not valid Base64")
	}
	if branch == "" {
		branch = c.repo.defaultBranch
	}
	if _, ok := c.repo.refs[branch]; !ok {
		return errorResponse(http.StatusNotFound, "Branch "+branch+" not found", c.docs())
	}
	p := strings.Trim(c.params["path"], "/")
	head := c.repo.commits[c.repo.refs[branch]]
	old, exists := head.files[p]
	if exists {
		if sha == "" {
			return c.invalidRequest("sha")
		}
		if sha != blobSHA(old) {
			return errorResponse(http.StatusConflict, fmt.Sprintf("%s does not match %s", p, sha), c.docs())
		}
	}
	who := c.actor.login
	if author.Name != "" {
		who = author.Name
	} else if committer.Name != "" {
		who = committer.Name
	}
	commit := c.repo.putFile(branch, p, string(decoded), message, who, c.s.now())
	status := http.StatusCreated
	if exists {
		status = http.StatusOK
	}
	return c.json(status, map[string]any{
		"content": c.s.fileJSON(c.repo, branch, p, string(decoded), false),
		"commit":  c.s.commitJSON(c.repo, commit),
	})
}
