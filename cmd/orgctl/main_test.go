package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/internal/githubfake"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the golden output inside testdata/script/*.txtar")

func TestMain(m *testing.M) {
	// Check the schema precheck against gojsonschema on every document
	// the tests load (see schema/precheck.go), unless a script chose
	// another mode (this also runs in each orgctl a script starts).
	if os.Getenv("ORGCTL_SCHEMA_PRECHECK") == "" {
		os.Setenv("ORGCTL_SCHEMA_PRECHECK", "audit")
	}
	testscript.Main(m, map[string]func(){
		"orgctl": func() {
			githubSleep = skipShortWaits
			os.Exit(run(os.Args[1:], systemIO()))
		},
	})
}

// skipShortWaits is the GitHub clock of the orgctl that scripts run: the
// waits of retries and pacing (seconds) return at once, so a script with
// five 502s takes no 7 s; the long waits of rate limits (progress steps of
// 30 s) still sleep for real, honouring ctx, so that scripts can interrupt
// them.
func skipShortWaits(ctx context.Context, d time.Duration) error {
	if d < 10*time.Second {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// TestScripts runs the real orgctl binary over testdata/script/*.txtar.
// $REPO is the repository root, so scripts can `cd $REPO` and run on
// examples/ with the paths a user sees.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Every script gets its own GitHub fake (checked against
			// GitHub's OpenAPI description) at $GITHUB_API_URL, holding
			// the repository acme/people; scripts set GITHUB_TOKEN to use it.
			fake := githubfake.New(t, githubfake.WithToken(fakeToken),
				githubfake.WithInstallationToken(fakeAppToken, "orgctl-app[bot]"))
			fake.AddRepo("acme", "people", "main")
			for _, login := range []string{"olena-k", "boss-gh"} {
				fake.AddUser(login)
			}
			env.Values[fakeKey{}] = fake
			env.Defer(fake.Close)
			env.Setenv("GITHUB_API_URL", fake.URL())
			env.Setenv("FAKE_HOST", strings.TrimPrefix(fake.URL(), "http://"))
			env.Setenv("FAKE_TOKEN", fakeToken)
			env.Setenv("FAKE_APP_TOKEN", fakeAppToken)
			env.Setenv("REPO", repo)
			// Exemption expiry is judged against a fixed day.
			env.Setenv("ORGCTL_TODAY", "2026-11-24")
			env.Setenv("NO_COLOR", "")
			env.Setenv("ORGCTL_SCHEMA_PRECHECK", "audit")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exit-code":     cmdExitCode,
			"github-issues": cmdGitHubIssues,
			"github-bodies": cmdGitHubBodies,
			"github-close":  cmdGitHubClose,
			"github-fault":  cmdGitHubFault,
			"github-pr":     cmdGitHubPR,
			"github-event":  cmdGitHubEvent,
			"fill":          cmdFill,
			"github-push":   cmdGitHubPush,
			"github-pulls":  cmdGitHubPulls,
			"github-file":   cmdGitHubFile,
			"github-sent":   cmdGitHubSent,
			"github-forged": cmdGitHubForged,
			"github-await":  cmdGitHubAwait,
			"github-review": cmdGitHubReview,
			"github-no-graphql": func(ts *testscript.TestScript, neg bool, args []string) {
				fakeOf(ts).DisableGraphQL() // GraphQL answers 404 from now on
			},
		},
	})
}

// fakeToken is the token the fake accepts; scripts check it never leaks.
const fakeToken = "ghs_fakeTOKENfakeTOKENfakeTOKEN1234"

// fakeAppToken is an installation token (GET /user refuses it) of a
// GitHub App whose bot is orgctl-app[bot].
const fakeAppToken = "ghs_fakeAPPfakeAPPfakeAPPfakeAPP12345"

type fakeKey struct{}

func fakeOf(ts *testscript.TestScript) *githubfake.Server {
	return ts.Value(fakeKey{}).(*githubfake.Server)
}

// github-issues prints the fake's issues of acme/people, one per line:
// "#N state title [labels] @assignees (comments: N)".
func cmdGitHubIssues(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: github-issues")
	}
	issues := fakeOf(ts).Issues("acme", "people")
	if len(issues) == 0 {
		fmt.Fprintln(ts.Stdout(), "no issues")
	}
	for _, i := range issues {
		labels := slices.Clone(i.Labels)
		slices.Sort(labels)
		fmt.Fprintf(ts.Stdout(), "#%d %s %s [%s] @%s (comments: %d)\n", i.Number, i.State, i.Title, strings.Join(labels, ","), strings.Join(i.Assignees, ","), len(i.Comments))
	}
}

// github-bodies prints the body of every issue of acme/people, each after
// a "--- #N" line.
func cmdGitHubBodies(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: github-bodies")
	}
	for _, i := range fakeOf(ts).Issues("acme", "people") {
		fmt.Fprintf(ts.Stdout(), "--- #%d\n%s\n", i.Number, i.Body)
	}
}

// github-close N closes issue N as a person would.
func cmdGitHubClose(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: github-close NUMBER")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	fakeOf(ts).CloseIssue("acme", "people", n, "boss-gh", "completed")
}

// github-fault KIND METHOD PATTERN TIMES injects a fault: 5xx, drop
// (after the write), secondary (Retry-After: 1), long-secondary
// (Retry-After: 20 minutes), echo (a 422 repeating the Authorization
// header), redirect (302 to another host).
func cmdGitHubFault(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: github-fault 5xx|drop|secondary|long-secondary|echo|redirect METHOD PATTERN TIMES")
	}
	times, err := strconv.Atoi(args[3])
	ts.Check(err)
	f := fakeOf(ts)
	switch args[0] {
	case "5xx":
		f.ServerError(args[1], args[2], times, 502)
	case "drop":
		f.DropAfterWrite(args[1], args[2], times)
	case "secondary":
		f.SecondaryRateLimit(args[1], args[2], times, time.Second)
	case "long-secondary":
		f.SecondaryRateLimit(args[1], args[2], times, 20*time.Minute)
	case "echo":
		f.EchoToken(args[1], args[2], times, 422)
	case "redirect":
		f.Redirect(args[1], args[2], times, 302, "http://elsewhere.invalid")
	default:
		ts.Fatalf("unknown fault %q", args[0])
	}
}

// github-pr HEAD opens a pull request from branch HEAD and prints its
// number; github-pr comments N prints its comments.
func cmdGitHubPR(ts *testscript.TestScript, neg bool, args []string) {
	f := fakeOf(ts)
	switch {
	case len(args) == 1:
		f.AddBranch("acme", "people", args[0], "main")
		n := f.AddPull("acme", "people", githubfake.Pull{Issue: githubfake.Issue{Title: "change " + args[0]}, Head: args[0], Base: "main"})
		fmt.Fprintf(ts.Stdout(), "%d\n", n)
	case len(args) == 2 && args[0] == "comments":
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		for _, c := range f.Comments("acme", "people", n) {
			fmt.Fprintf(ts.Stdout(), "--- comment %d\n%s\n", c.ID, c.Body)
		}
	default:
		ts.Fatalf("usage: github-pr HEAD | github-pr comments N")
	}
}

// github-event KIND N FILE [SHA] writes the event file GitHub gives a
// workflow for pull request N of acme/people, with its head commit (or
// SHA): KIND is pull_request, workflow_run (the run of a pull_request
// workflow, naming the pull request) or fork-run (the same for a pull
// request from a fork, where GitHub names no pull request).
func cmdGitHubEvent(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 4 {
		ts.Fatalf("usage: github-event pull_request|workflow_run|fork-run N FILE [SHA]")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	f := fakeOf(ts)
	var branch string
	for _, p := range f.Pulls("acme", "people") {
		if p.Number == n {
			branch = p.Head
		}
	}
	sha, ok := f.BranchSHA("acme", "people", branch)
	if !ok {
		ts.Fatalf("github-event: no pull request #%d", n)
	}
	if len(args) == 4 {
		sha = args[3]
	}
	head := map[string]any{"sha": sha, "ref": branch}
	var ev map[string]any
	switch args[0] {
	case "pull_request":
		ev = map[string]any{"action": "synchronize", "number": n, "pull_request": map[string]any{"number": n, "head": head}}
	case "workflow_run", "fork-run":
		prs := []any{map[string]any{"number": n, "head": head}}
		if args[0] == "fork-run" {
			prs = []any{}
		}
		ev = map[string]any{"action": "completed", "workflow_run": map[string]any{
			"event": "pull_request", "head_sha": sha, "head_branch": branch,
			"head_repository": map[string]any{"owner": map[string]any{"login": "acme"}},
			"pull_requests":   prs,
		}}
	default:
		ts.Fatalf("github-event: unknown kind %q", args[0])
	}
	data, err := json.Marshal(ev)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), data, 0o644))
}

// fill FILE WORD N replaces WORD in FILE with N letters "a": files too
// large to keep in an archive.
func cmdFill(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: fill FILE WORD N")
	}
	n, err := strconv.Atoi(args[2])
	ts.Check(err)
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	ts.Check(os.WriteFile(path, []byte(strings.Replace(string(data), args[1], strings.Repeat("a", n), 1)), 0o644))
}

// github-push DIR commits every file under DIR to the default branch of
// acme/people, at its path relative to DIR (as a merge to main would).
func cmdGitHubPush(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: github-push DIR")
	}
	f := fakeOf(ts)
	root := ts.MkAbs(args[0])
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if got, ok := f.File("acme", "people", "", rel); !ok || got != string(data) {
			f.AddFile("acme", "people", "", rel, string(data))
		}
		return nil
	})
	ts.Check(err)
}

// github-pulls prints the fake's pull requests of acme/people, one per
// line: "#N state title head->base [labels] reviewers:a,b (comments: N)",
// and the branches.
func cmdGitHubPulls(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: github-pulls")
	}
	f := fakeOf(ts)
	pulls := f.Pulls("acme", "people")
	if len(pulls) == 0 {
		fmt.Fprintln(ts.Stdout(), "no pull requests")
	}
	for _, p := range pulls {
		labels := slices.Clone(p.Labels)
		slices.Sort(labels)
		reviewers := slices.Clone(p.RequestedReviewers)
		slices.Sort(reviewers)
		fmt.Fprintf(ts.Stdout(), "#%d %s %s %s->%s [%s] reviewers:%s (comments: %d)\n", p.Number, p.State, p.Title, p.Head, p.Base,
			strings.Join(labels, ","), strings.Join(reviewers, ","), len(p.Comments))
	}
	fmt.Fprintf(ts.Stdout(), "branches: %s\n", strings.Join(f.Branches("acme", "people"), " "))
}

// github-file REF PATH prints a file of acme/people at a branch.
func cmdGitHubFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: github-file REF PATH")
	}
	content, ok := fakeOf(ts).File("acme", "people", args[0], args[1])
	if !ok {
		ts.Fatalf("no %s at %s", args[1], args[0])
	}
	fmt.Fprint(ts.Stdout(), content)
}

// github-sent prints every request the fake received: "METHOD PATH", its
// Authorization header ("the fake's token" when it is the token), and its
// body.
func cmdGitHubSent(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: github-sent")
	}
	for _, r := range fakeOf(ts).Requests() {
		auth := r.Header.Get("Authorization")
		if auth == "Bearer "+fakeToken {
			auth = "the fake's token"
		}
		fmt.Fprintf(ts.Stdout(), "%s %s\nAuthorization: %s\n%s\n", r.Method, r.Path, auth, r.Body)
	}
}

// github-forged TITLE FINGERPRINT opens, as mallory (not orgctl), an issue
// labelled orgctl that carries the fingerprint marker, and prints its number.
func cmdGitHubForged(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: github-forged TITLE FINGERPRINT")
	}
	n := fakeOf(ts).AddIssue("acme", "people", githubfake.Issue{Title: args[0], Author: "mallory",
		Body: "<!-- orgctl:fingerprint=" + args[1] + " -->", Labels: []string{"orgctl"}})
	fmt.Fprintf(ts.Stdout(), "%d\n", n)
}

// github-await waits (up to 20 s) until every fault injected has been
// used: a background orgctl got that far.
func cmdGitHubAwait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: github-await")
	}
	for deadline := time.Now().Add(20 * time.Second); fakeOf(ts).PendingFaults() > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			ts.Fatalf("%d faults still unused after 20s", fakeOf(ts).PendingFaults())
		}
	}
}

// exit-code N COMMAND [ARGS...] runs COMMAND like exec and fails unless it
// exits with status N exactly: `! exec` only says "not 0", and the exit-code
// table (README) tells 1 (findings) from 2 (usage, load, unknown name).
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exit-code (name the status you expect)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exit-code N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exit-code: %q is not a status: %v", args[0], err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exit-code: running %s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// github-review N LOGIN APPROVED|CHANGES_REQUESTED|COMMENTED submits
// LOGIN's review of pull request N on its current head commit;
// github-review N dismiss LOGIN dismisses LOGIN's latest review;
// github-review N push commits a file to its head branch (a new push).
func cmdGitHubReview(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: github-review N LOGIN STATE | N dismiss LOGIN | N push")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	f := fakeOf(ts)
	switch {
	case args[1] == "push":
		for _, p := range f.Pulls("acme", "people") {
			if p.Number == n {
				f.AddFile("acme", "people", p.Head, "notes-"+strconv.Itoa(len(f.Requests()))+".md", "a new commit\n")
			}
		}
	case args[1] == "dismiss" && len(args) == 3:
		var id int64
		for _, r := range f.Reviews("acme", "people", n) {
			if r.Author == args[2] {
				id = r.ID
			}
		}
		f.DismissReview("acme", "people", n, id)
	case len(args) == 3:
		f.AddReview("acme", "people", n, args[1], args[2])
	default:
		ts.Fatalf("usage: github-review N LOGIN STATE | N dismiss LOGIN | N push")
	}
}
