package githubfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRedirectAnswersALocationOnTheGivenServerAndChangesNothing(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		s, _ := newFake(t, WithEnterprisePrefix())
		s.Redirect("POST", "/repos/{owner}/{repo}/issues", 1, status, "http://elsewhere.example:8443/")
		req, _ := http.NewRequest("POST", s.URL()+"/repos/acme/people/issues?x=1", strings.NewReader(`{"title":"t"}`))
		req.Header.Set("Content-Type", "application/json")
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status || resp.Header.Get("Location") != "http://elsewhere.example:8443/repos/acme/people/issues?x=1" {
			t.Errorf("%d: answered %d, Location %q", status, resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := len(s.Issues("acme", "people")); n != 0 {
			t.Errorf("%d: %d issues created through a redirect", status, n)
		}
		must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"}), 201)
	}
}

func TestEchoTokenRepeatsTheAuthorizationHeader(t *testing.T) {
	for _, status := range []int{422, 500} {
		s, _ := newFake(t, WithToken("s3cr3t-token"))
		s.EchoToken("POST", "", 1, status)
		r := must(t, send(s, "POST", "/repos/acme/people/issues", map[string]any{"title": "t"}, "Authorization", "Bearer s3cr3t-token"), status)
		if !strings.Contains(string(r.body), "Bearer s3cr3t-token") {
			t.Errorf("%d: body %s does not echo the token", status, r.body)
		}
		if status == 422 && !strings.Contains(r.list422(t), "s3cr3t-token") {
			t.Errorf("errors[] does not echo the token: %s", r.body)
		}
	}
}

func (r result) list422(t testing.TB) string {
	var body struct {
		Errors []struct{ Message string } `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || len(body.Errors) == 0 {
		t.Fatalf("422 body %s: %v", r.body, err)
	}
	return body.Errors[0].Message
}

func TestNullEntriesSurroundTheItemsOfAList(t *testing.T) {
	s, _ := newFake(t)
	s.AddIssue("acme", "people", Issue{Title: "one"})
	s.NullEntries("GET", "/repos/{owner}/{repo}/issues", 1)
	r := must(t, send(s, "GET", "/repos/acme/people/issues", nil), 200)
	var items []*struct{ Title string }
	if err := json.Unmarshal(r.body, &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0] != nil || items[1] == nil || items[1].Title != "one" || items[2] != nil {
		t.Errorf("body %s, want null, the issue, null", r.body)
	}
	r = must(t, send(s, "GET", "/repos/acme/people/issues", nil), 200)
	if err := json.Unmarshal(r.body, &items); err != nil || len(items) != 1 || items[0] == nil {
		t.Errorf("the fault outlived its one use: %d items", len(items))
	}
}

func TestEndlessPagesAlwaysLinkANextPage(t *testing.T) {
	s, _ := newFake(t)
	s.EndlessPages("GET", "/repos/{owner}/{repo}/labels", 2, false)
	s.EndlessPages("GET", "/repos/{owner}/{repo}/issues", 1, true)
	r := must(t, send(s, "GET", "/repos/acme/people/labels?page=7", nil), 200)
	if next := links(r.header)["next"]; !strings.Contains(next, "page=8") {
		t.Errorf("next of page 7 = %q", next)
	}
	r = must(t, send(s, "GET", "/repos/acme/people/issues?page=3&per_page=100", nil), 200)
	if next := links(r.header)["next"]; !strings.Contains(next, "page=3") {
		t.Errorf("repeating next of page 3 = %q", next)
	}
}

func TestHugeBodyIsValidJSONOfTheGivenSize(t *testing.T) {
	s, _ := newFake(t)
	s.HugeBody("GET", "", 1, 3<<20)
	r := must(t, send(s, "GET", "/repos/acme/people/issues", nil), 200)
	var items []any
	if len(r.body) != 3<<20 || json.Unmarshal(r.body, &items) != nil || len(items) != 0 {
		t.Errorf("%d bytes, want an empty JSON array of 3 MiB", len(r.body))
	}
	if r.header.Get("Content-Length") != "" {
		t.Errorf("a huge body announced Content-Length %s", r.header.Get("Content-Length"))
	}
}

func TestRateLimitFaultsWithoutRetryAfterOrWithANearReset(t *testing.T) {
	s, _ := newFake(t)
	s.SecondaryRateLimit("GET", "", 1, 0)
	s.PrimaryRateLimitFor("GET", "", 1, 429, 3*time.Minute)
	r := must(t, send(s, "GET", "/repos/acme/people/issues", nil), 403)
	if r.header.Get("Retry-After") != "" || !strings.Contains(string(r.body), "secondary rate limit") {
		t.Errorf("secondary without Retry-After: header %q, body %s", r.header.Get("Retry-After"), r.body)
	}
	r = must(t, send(s, "GET", "/repos/acme/people/issues", nil), 429)
	reset, _ := strconv.ParseInt(r.header.Get("X-RateLimit-Reset"), 10, 64)
	if r.header.Get("X-RateLimit-Remaining") != "0" || reset != epoch.Add(3*time.Minute).Unix() {
		t.Errorf("primary: remaining %s, reset %v", r.header.Get("X-RateLimit-Remaining"), time.Unix(reset, 0).UTC())
	}
}
