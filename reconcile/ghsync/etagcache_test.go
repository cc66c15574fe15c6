package ghsync_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/orgctl/orgctl/reconcile/ghsync"
)

// since returns the requests the fake received from index from on.
func since(f *githubfake.Server, from int) []githubfake.Request {
	return f.Requests()[from:]
}

func describe(reqs []githubfake.Request) string {
	var b strings.Builder
	for _, r := range reqs {
		b.WriteString(r.Method + " " + r.Path + "?" + r.Query.Encode() + " -> " + itoa(r.Status) + "\n")
	}
	return b.String()
}

// TestSecondApplyOnAnUnchangedOrgCostsNoPoints: with the ETag cache, an
// apply after one that found nothing to do sends only conditional reads,
// each answered 304, spends no rate-limit point, and the client's Usage
// says so as the fake counts it. (The run after one that wrote pays for
// the lists its writes changed, and only for them.)
func TestSecondApplyOnAnUnchangedOrgCostsNoPoints(t *testing.T) {
	e := newEnv(t)
	e.cacheDir = t.TempDir()
	org := baseOrg()
	mustApply(t, e, org)
	first := e.client.Usage()
	if first.Points == 0 || first.Points != e.fake.PointsUsed() || first.NotModified != 0 {
		t.Fatalf("first run: usage %+v, fake counted %d points", first, e.fake.PointsUsed())
	}
	from := len(e.fake.Requests())
	if rep := mustApply(t, e, org); len(rep.Actions) != 0 {
		t.Fatalf("the run after the first acted: %+v", rep.Actions)
	}
	// The first run created issues after listing them: that list, and only
	// it, is paid for again.
	if u := e.client.Usage(); u.Points != 1 || u.Requests != len(since(e.fake, from)) {
		t.Errorf("run after the writes: usage %+v, want 1 point:\n%s", u, describe(since(e.fake, from)))
	}

	from, points := len(e.fake.Requests()), e.fake.PointsUsed()
	rep := mustApply(t, e, org)
	if len(rep.Actions) != 0 {
		t.Fatalf("second run acted: %+v", rep.Actions)
	}
	reqs := since(e.fake, from)
	if len(reqs) == 0 {
		t.Fatal("second run sent nothing: it must still ask whether anything changed")
	}
	for _, r := range reqs {
		if r.Method != "GET" || r.Status != 304 || r.Header.Get("If-None-Match") == "" {
			t.Errorf("second run: want only conditional GETs answered 304, got:\n%s", describe(reqs))
			break
		}
		if strings.Contains(r.Path, "/issues/") {
			t.Errorf("second run read one issue (%s): every read must be a list", r.Path)
		}
	}
	if got := e.fake.PointsUsed() - points; got != 0 {
		t.Errorf("second run cost %d points, want 0:\n%s", got, describe(reqs))
	}
	want := ghsync.Usage{Requests: len(reqs), NotModified: len(reqs), Points: 0}
	if u := e.client.Usage(); u != want {
		t.Errorf("second run usage %+v, want %+v", u, want)
	}
}

// TestETagCacheChangedIssueInvalidates: an issue edited on GitHub between
// runs changes the list's ETag; the run pays for that list, sees the edit
// and repairs it, and the next run is free again.
func TestETagCacheChangedIssueInvalidates(t *testing.T) {
	e := newEnv(t)
	e.cacheDir = t.TempDir()
	org := baseOrg()
	mustApply(t, e, org)
	issues := e.fake.Issues("acme", "people")
	e.fake.CloseIssue("acme", "people", issues[0].Number, "boss-gh", "")

	points := e.fake.PointsUsed()
	rep := mustApply(t, e, org)
	if len(rep.Actions) != 1 || rep.Actions[0].Kind != ghsync.Reopen {
		t.Fatalf("after a person closed #%d: actions %+v, want one reopen (the cache hid the change)", issues[0].Number, rep.Actions)
	}
	if e.fake.PointsUsed() == points {
		t.Error("a changed list was served from the cache for free")
	}
	mustApply(t, e, org)
	// The reopen changed the list once more: that run re-read it (paid)
	// and the one after is free.
	points = e.fake.PointsUsed()
	mustApply(t, e, org)
	if got := e.fake.PointsUsed() - points; got != 0 {
		t.Errorf("the run after the repair cost %d points, want 0", got)
	}
}

// TestETagCacheCorruptEntryIgnored: a damaged cache file is ignored (the
// request goes out unconditionally and succeeds), and rewritten.
func TestETagCacheCorruptEntryIgnored(t *testing.T) {
	e := newEnv(t)
	e.cacheDir = t.TempDir()
	org := baseOrg()
	mustApply(t, e, org)
	files, _ := filepath.Glob(filepath.Join(e.cacheDir, "*.json"))
	if len(files) == 0 {
		t.Fatal("the first run kept nothing in the cache")
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600: the cache holds issue text", f, fi.Mode().Perm(), err)
		}
		if data, _ := os.ReadFile(f); strings.Contains(string(data), token) {
			t.Errorf("%s holds the token", f)
		}
		if err := os.WriteFile(f, []byte(`{"v":1,"etag":"W/\"x`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	from := len(e.fake.Requests())
	rep := mustApply(t, e, org)
	if len(rep.Actions) != 0 {
		t.Fatalf("with a corrupt cache the run acted: %+v", rep.Actions)
	}
	for _, r := range since(e.fake, from) {
		if r.Header.Get("If-None-Match") != "" || r.Status != 200 {
			t.Errorf("corrupt entry used: %s %s If-None-Match %q -> %d", r.Method, r.Path, r.Header.Get("If-None-Match"), r.Status)
		}
	}
	points := e.fake.PointsUsed()
	mustApply(t, e, org)
	if got := e.fake.PointsUsed() - points; got != 0 {
		t.Errorf("after rewriting the corrupt entries a run cost %d points, want 0", got)
	}
}

// TestETagCacheIsPerToken: another token does not reuse the first
// token's answers (it may not see the same things): its requests are
// unconditional.
func TestETagCacheIsPerToken(t *testing.T) {
	const other = "ghp_other_token_of_orgctl_bot_0123"
	e := newEnv(t, githubfake.WithToken(other))
	e.cacheDir = t.TempDir()
	org := baseOrg()
	mustApply(t, e, org)
	e.token = other
	from := len(e.fake.Requests())
	mustApply(t, e, org)
	reqs := since(e.fake, from)
	for _, r := range reqs {
		if r.Header.Get("If-None-Match") != "" {
			t.Errorf("a new token sent If-None-Match on %s %s: it reuses another token's cache", r.Method, r.Path)
		}
	}
	if e.client.Usage().Points != len(reqs) {
		t.Errorf("usage %+v for %d unconditional requests", e.client.Usage(), len(reqs))
	}
}

// TestNoCacheSendsUnconditionally: without a cache directory every run
// pays for every read.
func TestNoCacheSendsUnconditionally(t *testing.T) {
	e := newEnv(t)
	org := baseOrg()
	mustApply(t, e, org)
	points := e.fake.PointsUsed()
	mustApply(t, e, org)
	if e.fake.PointsUsed() == points || e.fake.NotModified() != 0 {
		t.Errorf("without a cache: %d points, %d not modified", e.fake.PointsUsed()-points, e.fake.NotModified())
	}
}

// TestETagCacheWithAnAppToken: with an installation token GitHub refuses
// GET /user (403, which carries no ETag and cannot be made conditional),
// and orgctl names its bot with a GraphQL query (GitHub's separate GraphQL
// limit): an unchanged run then costs exactly that one REST point, and the
// client counts points as the fake does.
func TestETagCacheWithAnAppToken(t *testing.T) {
	const appToken = "ghs_installation_token_0123456789"
	e := newEnv(t, githubfake.WithInstallationToken(appToken, "orgctl-app[bot]"))
	e.token, e.cacheDir = appToken, t.TempDir()
	org := baseOrg()
	mustApply(t, e, org)
	mustApply(t, e, org)
	points := e.fake.PointsUsed()
	from := len(e.fake.Requests())
	mustApply(t, e, org)
	u := e.client.Usage()
	if got := e.fake.PointsUsed() - points; got != 1 || u.Points != 1 {
		t.Errorf("unchanged run with an app token: fake counted %d points, client %+v; want 1 (GET /user's 403):\n%s", got, u, describe(since(e.fake, from)))
	}
}
