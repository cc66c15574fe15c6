package workflows_test

import (
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/examples/workflows"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/orgctl/orgctl/internal/testtool"
)

// repoRoot is the orgctl repository, two levels up from this package.
const repoRoot = "../.."

// newLinter returns an actionlint linter that also runs shellcheck over
// `run:` scripts when shellcheck is on PATH (.ci/run installs it; in CI its
// absence fails the test).
func newLinter(t *testing.T) *actionlint.Linter {
	t.Helper()
	opts := &actionlint.LinterOptions{LogWriter: io.Discard}
	opts.Shellcheck = testtool.Optional(t, "shellcheck", "apt-get install shellcheck; without it run: scripts are not checked", "shellcheck")
	l, err := actionlint.NewLinter(io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func reportLint(t *testing.T, errs []*actionlint.Error) {
	t.Helper()
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
}

// TestWorkflowsPassActionlint: every workflow users copy, and every
// workflow of orgctl's own repository, passes actionlint with no error.
func TestWorkflowsPassActionlint(t *testing.T) {
	l := newLinter(t)
	var files []string
	for _, pattern := range []string{"*.yaml", "*.yml", "../../.github/workflows/*.yaml", "../../.github/workflows/*.yml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < len(workflows.Names)+1 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			content, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			errs, err := l.Lint(f, content, nil)
			if err != nil {
				t.Fatal(err)
			}
			reportLint(t, errs)
		})
	}
}

// action is the part of action.yml the test checks.
type action struct {
	Name    string
	Inputs  map[string]struct{ Default *string }
	Outputs map[string]struct{ Value string }
	Runs    struct {
		Using string
		Steps []struct {
			Name  string
			ID    string
			If    string
			Uses  string
			Run   string
			Shell string
			Env   map[string]string
		}
	}
}

func readAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github/actions/setup-orgctl/action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// downloadScript is the action's verified-download script: the one way
// orgctl is installed, in the action and in every example workflow.
func downloadScript(t *testing.T) string {
	t.Helper()
	for _, s := range readAction(t).Runs.Steps {
		if s.ID == "download" {
			return s.Run
		}
	}
	t.Fatal("action.yml has no step with id download")
	return ""
}

// TestSetupActionIsComposite: the action is a composite action whose every
// script names its shell (GitHub refuses a composite run step without one);
// by default it downloads a pinned release and checks its SHA-256, and it
// compiles (go install) only when from-source is true.
func TestSetupActionIsComposite(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	if len(a.Runs.Steps) == 0 {
		t.Fatal("runs.steps is empty")
	}
	downloads, builds := false, false
	for i, s := range a.Runs.Steps {
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %d (%s) runs a script without shell:", i, s.Name)
		}
		if s.Run != "" && strings.Contains(s.Run, "${{") {
			t.Errorf("step %d (%s) interpolates ${{ }} into its script: pass it through env:", i, s.Name)
		}
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %d (%s) needs exactly one of run and uses", i, s.Name)
		}
		fromSource := s.If == "inputs.from-source == 'true'"
		if !fromSource && s.If != "inputs.from-source != 'true'" {
			t.Errorf("step %d (%s) runs if %q: every step belongs to the download or to the from-source path", i, s.Name, s.If)
		}
		if strings.Contains(s.Run, "go install") || strings.HasPrefix(s.Uses, "actions/setup-go@") {
			builds = builds || fromSource
			if !fromSource {
				t.Errorf("step %d (%s) compiles orgctl without from-source: true", i, s.Name)
			}
		}
		if s.ID == "download" {
			downloads = !fromSource && s.Env["ORGCTL_VERSION"] == "${{ inputs.version }}" && s.Env["ORGCTL_SHA256"] == "${{ inputs.sha256 }}"
		}
		if s.Run != "" && strings.Contains(s.Run, "GITHUB_PATH") != (s.ID == "download" || strings.Contains(s.Run, "go install")) {
			t.Errorf("step %d (%s): only the steps that install orgctl add to PATH, and both do", i, s.Name)
		}
	}
	if !downloads || !builds {
		t.Errorf("want a download step (id download, from inputs.version and inputs.sha256) and a from-source build: download %v, build %v", downloads, builds)
	}
	checksumVerification(t, "action.yml", downloadScript(t))
	if in, ok := a.Inputs["version"]; !ok || in.Default == nil || !releaseRE.MatchString(*in.Default) {
		t.Error("input version must default to a pinned release (vX.Y.Z), never latest")
	}
	if in, ok := a.Inputs["from-source"]; !ok || in.Default == nil || *in.Default != "false" {
		t.Error("input from-source is missing or does not default to false")
	}
	if _, ok := a.Inputs["sha256"]; !ok {
		t.Error("input sha256 (pin the archive's checksum) is missing")
	}
	if out, ok := a.Outputs["version"]; !ok || !strings.Contains(out.Value, "steps.download.") || !strings.Contains(out.Value, "steps.source.") {
		t.Error("output version is missing or not taken from both install steps")
	}
}

// checksumVerification checks that an install script fetches SHA256SUMS,
// computes the archive's SHA-256, refuses a mismatch before unpacking, and
// never compiles.
func checksumVerification(t *testing.T, where, script string) {
	t.Helper()
	for _, want := range []string{"SHA256SUMS", "sha256sum", "shasum -a 256", `[ "$got" != "$want" ]`, "set -euo pipefail"} {
		if !strings.Contains(script, want) {
			t.Errorf("%s: the install script lacks %q", where, want)
		}
	}
	check, unpack := strings.Index(script, `[ "$got" != "$want" ]`), strings.Index(script, "tar -xzf")
	if check < 0 || unpack < 0 || unpack < check {
		t.Errorf("%s: the archive is unpacked before its checksum is checked", where)
	}
	if strings.Contains(script, "go install") || strings.Contains(script, "go build") {
		t.Errorf("%s: the install script compiles orgctl", where)
	}
}

// TestWorkflowsInstallTheVerifiedRelease: every example workflow (those
// orgctl init writes and the others to copy) whose job runs orgctl installs it with exactly the action's verified download (no
// go install, no copy that drifted) before its first orgctl command.
func TestWorkflowsInstallTheVerifiedRelease(t *testing.T) {
	script := downloadScript(t)
	names, err := filepath.Glob("*.y*ml")
	if err != nil || len(names) < len(workflows.Names) {
		t.Fatalf("example workflows: %v %v", names, err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		w := parseWorkflow(t, name, data)
		if strings.Contains(string(data), "go install") {
			t.Errorf("%s still compiles orgctl with go install", name)
		}
		for job, j := range w.Jobs {
			installed, runs := false, false
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Name, "Install orgctl") {
					if s.Run != script {
						t.Errorf("%s: job %s step %q differs from the setup-orgctl action's download script", name, job, s.Name)
					}
					installed = true
					continue
				}
				if strings.Contains(s.Run, "orgctl ") && !installed {
					t.Errorf("%s: job %s runs orgctl before installing it", name, job)
				}
				runs = runs || strings.Contains(s.Run, "orgctl ")
			}
			if runs && !installed {
				t.Errorf("%s: job %s runs orgctl without the verified install step", name, job)
			}
		}
	}
}

// step is the part of a step the tests check.
type step struct {
	Name             string
	Uses             string
	Run              string
	With             map[string]string
	WorkingDirectory string `yaml:"working-directory"`
}

// workflow is the part of a workflow file the safety tests check.
type workflow struct {
	Name        string
	On          map[string]yaml.Node
	Permissions yaml.Node
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	}
	Jobs map[string]struct {
		Permissions yaml.Node
		Env         map[string]string
		Steps       []step
	}
}

func parseWorkflow(t *testing.T, name string, data []byte) workflow {
	t.Helper()
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w
}

func readWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	data, err := workflows.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("# ")) {
		t.Errorf("%s does not start with a header comment", name)
	}
	return parseWorkflow(t, name, data)
}

func triggers(w workflow) []string {
	var on []string
	for k := range w.On {
		on = append(on, k)
	}
	slices.Sort(on)
	return on
}

// permissionsOf reads a permissions block; nil when it is not set.
func permissionsOf(t *testing.T, n yaml.Node) map[string]string {
	t.Helper()
	if n.IsZero() {
		return nil
	}
	out := map[string]string{}
	if err := n.Decode(&out); err != nil {
		t.Fatalf("permissions: %v (want a mapping, not read-all or write-all)", err)
	}
	return out
}

// everyWorkflowFile lists the workflows users copy and orgctl's own, and the
// composite action, as path → content.
func everyWorkflowFile(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, pattern := range []string{"*.y*ml", "../../.github/workflows/*.y*ml", "../../.github/actions/*/action.y*ml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			files[f] = data
		}
	}
	if len(files) < len(workflows.Names)+2 {
		t.Fatalf("found only %v", slices.Sorted(maps.Keys(files)))
	}
	return files
}

// pinnedRE is a third-party action pinned by a full commit SHA.
var pinnedRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@]*)?@[0-9a-f]{40}$`)

// versionCommentRE is the version written beside a pin.
var versionCommentRE = regexp.MustCompile(`^# v[0-9]+(\.[0-9]+)*$`)

// usesNodes finds every `uses:` value in a YAML document.
func usesNodes(n *yaml.Node, out *[]*yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "uses" && n.Content[i+1].Kind == yaml.ScalarNode {
				*out = append(*out, n.Content[i+1])
			}
		}
	}
	for _, c := range n.Content {
		usesNodes(c, out)
	}
}

// TestActionsArePinnedBySHA: every action from another repository, in every
// workflow and in the composite action, is pinned by a full commit SHA with
// its version in a comment (a tag can be moved to other code; a SHA cannot).
func TestActionsArePinnedBySHA(t *testing.T) {
	for path, data := range everyWorkflowFile(t) {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var uses []*yaml.Node
		usesNodes(&doc, &uses)
		for _, u := range uses {
			if strings.HasPrefix(u.Value, "./") || strings.HasPrefix(u.Value, "docker://") {
				continue
			}
			if !pinnedRE.MatchString(u.Value) {
				t.Errorf("%s:%d: uses %s, which is not pinned by a full commit SHA", path, u.Line, u.Value)
			}
			if !versionCommentRE.MatchString(u.LineComment) {
				t.Errorf("%s:%d: uses %s without its version in a comment (# vX.Y.Z), got %q", path, u.Line, u.Value, u.LineComment)
			}
		}
		if len(uses) == 0 && strings.Contains(string(data), "uses:") {
			t.Errorf("%s: found no uses: although the file has some", path)
		}
	}
}

// TestPermissionsArePerJob: every workflow grants nothing at the top, and
// each job exactly what it needs.
func TestPermissionsArePerJob(t *testing.T) {
	want := map[string]map[string]map[string]string{
		"orgctl-pr.yaml":      {"plan": {"contents": "read"}},
		"orgctl-comment.yaml": {"comment": {"actions": "read", "pull-requests": "write"}},
		"orgctl-apply.yaml":   {"apply": {"contents": "write", "issues": "write", "pull-requests": "write"}},
		"orgctl-consent.yaml": {"consent": {"pull-requests": "read"}},
		"ci.yml":              {"test": {"contents": "read"}},
		"report.yml":          {"report": {"contents": "read"}},
		"release.yml":         {"build": {"contents": "read"}, "publish": {"contents": "write"}},
	}
	for path, data := range everyWorkflowFile(t) {
		if strings.Contains(path, "/actions/") {
			continue
		}
		name := filepath.Base(path)
		w := parseWorkflow(t, name, data)
		if top := permissionsOf(t, w.Permissions); top == nil || len(top) != 0 {
			t.Errorf("%s: top-level permissions = %v, want {} (each job says what it needs)", name, top)
		}
		jobs, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected permissions in this test: add them", name)
			continue
		}
		for job, j := range w.Jobs {
			got := permissionsOf(t, j.Permissions)
			if got == nil {
				t.Errorf("%s: job %s sets no permissions", name, job)
			} else if !maps.Equal(got, jobs[job]) {
				t.Errorf("%s: job %s permissions = %v, want %v", name, job, got, jobs[job])
			}
		}
	}
}

// TestWorkflowSafety checks the properties that make the workflow pair safe
// for pull requests from forks, and the shape of the apply workflow.
func TestWorkflowSafety(t *testing.T) {
	pr := readWorkflow(t, "orgctl-pr.yaml")
	comment := readWorkflow(t, "orgctl-comment.yaml")
	apply := readWorkflow(t, "orgctl-apply.yaml")

	for name, w := range map[string]workflow{"orgctl-pr.yaml": pr, "orgctl-comment.yaml": comment, "orgctl-apply.yaml": apply} {
		if _, ok := w.On["pull_request_target"]; ok {
			t.Errorf("%s runs on pull_request_target, which runs with a write token on fork pull requests", name)
		}
		for job, j := range w.Jobs {
			if !releaseRE.MatchString(j.Env["ORGCTL_VERSION"]) {
				t.Errorf("%s: job %s installs orgctl %q, want a release (vX.Y.Z)", name, job, j.Env["ORGCTL_VERSION"])
			}
			for _, s := range j.Steps {
				if strings.Contains(s.Run, "${{") {
					t.Errorf("%s: step %q interpolates ${{ }} into its script: pass the value through env:", name, s.Name)
				}
				if strings.Contains(s.Uses, "checkout") && s.With["persist-credentials"] != "false" {
					t.Errorf("%s: step %q leaves the token in .git/config: set persist-credentials: false", name, s.Name)
				}
			}
		}
	}

	// The pull-request half runs the pull request's code: read-only, and
	// what leaves it is the plan as data.
	if got := triggers(pr); !slices.Equal(got, []string{"pull_request"}) {
		t.Errorf("orgctl-pr.yaml triggers on %v, want only pull_request", got)
	}
	prRuns, uploads := "", ""
	for _, s := range pr.Jobs["plan"].Steps {
		prRuns += s.Run + "\n"
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			uploads += s.With["path"]
		}
	}
	for _, want := range []string{"orgctl validate -o github", "orgctl plan --base", "-o json > orgctl-plan/plan.json"} {
		if !strings.Contains(prRuns, want) {
			t.Errorf("orgctl-pr.yaml job plan does not run %q", want)
		}
	}
	if uploads != "orgctl-plan/plan.json" {
		t.Errorf("orgctl-pr.yaml uploads %q, want only orgctl-plan/plan.json", uploads)
	}

	// The commenting half has a write token: it must never check out or
	// run the pull request's code. It downloads the artifact, installs
	// orgctl from a verified release, and runs orgctl comment, nothing else.
	if got := triggers(comment); !slices.Equal(got, []string{"workflow_run"}) {
		t.Errorf("orgctl-comment.yaml triggers on %v, want only workflow_run", got)
	}
	var wr struct{ Workflows, Types []string }
	if n := comment.On["workflow_run"]; n.Decode(&wr) != nil || !slices.Equal(wr.Workflows, []string{pr.Name}) || !slices.Equal(wr.Types, []string{"completed"}) {
		t.Errorf("orgctl-comment.yaml workflow_run = %+v, want workflows [%s] types [completed]", wr, pr.Name)
	}
	posts := false
	script := downloadScript(t)
	for job, j := range comment.Jobs {
		for _, s := range j.Steps {
			switch {
			case s.Uses == "":
			case strings.HasPrefix(s.Uses, "actions/download-artifact@"):
				if s.With["name"] != "orgctl-plan" || !strings.Contains(s.With["run-id"], "github.event.workflow_run.id") {
					t.Errorf("orgctl-comment.yaml: step %q downloads %v, want the orgctl-plan artifact of the triggering run", s.Name, s.With)
				}
			default:
				t.Errorf("orgctl-comment.yaml: job %s step %q uses %s; the privileged job may only download the plan", job, s.Name, s.Uses)
			}
			if s.Run == script {
				continue // the verified download of a release (checked above)
			}
			for _, line := range strings.Split(strings.TrimSpace(s.Run), "\n") {
				line = strings.TrimSpace(line)
				switch {
				case line == "":
				case strings.HasPrefix(line, "orgctl comment ") && !strings.Contains(line, "--pr"):
					posts = true
				default:
					t.Errorf("orgctl-comment.yaml: job %s step %q runs %q; the privileged job runs nothing but the verified install and orgctl comment", job, s.Name, line)
				}
			}
			for _, v := range s.With {
				if strings.Contains(v, "head_sha") || strings.Contains(v, "head_branch") || strings.Contains(v, "pull_request") {
					t.Errorf("orgctl-comment.yaml: step %q is handed the pull request's head (%q)", s.Name, v)
				}
			}
		}
	}
	if !posts {
		t.Error("orgctl-comment.yaml never runs orgctl comment (with the pull request from the event, not --pr)")
	}

	// Concurrency: one comment job per pull request and one apply per
	// repository, queued, never cancelled halfway.
	if g := comment.Concurrency.Group; !strings.Contains(g, "github.event.workflow_run.head_repository.full_name") || !strings.Contains(g, "github.event.workflow_run.head_branch") ||
		comment.Concurrency.CancelInProgress == nil || *comment.Concurrency.CancelInProgress {
		t.Errorf("orgctl-comment.yaml concurrency = %+v, want a group per pull request (head repository and branch) with cancel-in-progress: false", comment.Concurrency)
	}
	if got := triggers(apply); !slices.Equal(got, []string{"push", "schedule", "workflow_dispatch"}) {
		t.Errorf("orgctl-apply.yaml triggers on %v, want push, schedule, workflow_dispatch", got)
	}
	if !strings.Contains(apply.Concurrency.Group, "${{ github.repository }}") || apply.Concurrency.CancelInProgress == nil || *apply.Concurrency.CancelInProgress {
		t.Errorf("orgctl-apply.yaml concurrency = %+v, want a group per repository with cancel-in-progress: false", apply.Concurrency)
	}
	if !strings.Contains(pr.Concurrency.Group, "github.event.pull_request.number") {
		t.Errorf("orgctl-pr.yaml concurrency = %+v, want a group per pull request", pr.Concurrency)
	}
}

// releaseRE is an orgctl release tag.
var releaseRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// TestNamesMatchFS: Names lists exactly the embedded workflows.
func TestNamesMatchFS(t *testing.T) {
	entries, err := workflows.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := slices.Clone(workflows.Names)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("embedded %v, Names %v", got, want)
	}
}

// TestLinterCatchesMistakes guards the tests above against a linter that
// silently checks nothing: a workflow with known mistakes must fail.
func TestLinterCatchesMistakes(t *testing.T) {
	bad := []byte(`name: bad
on: pull_request
permissions:
  pull-request: write
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
      - run: cp $SRC $DST
`)
	errs, err := newLinter(t).Lint("bad.yaml", bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range errs {
		kinds[e.Kind] = true
	}
	want := []string{"permissions", "expression"}
	if testtool.Find("shellcheck") != "" {
		want = append(want, "shellcheck") // unquoted $SRC and $DST
	}
	for _, want := range want {
		if !kinds[want] {
			t.Errorf("actionlint did not report a %s error; got %v", want, kinds)
		}
	}
}

// TestReportWorkflow: the example report workflow runs on a schedule,
// fetches the whole history (the trend reads the org month by month),
// writes the Markdown report to the step summary and keeps only the HTML
// report as an artifact, with no token handed to orgctl.
func TestReportWorkflow(t *testing.T) {
	data, err := os.ReadFile("report.yml") // an example only: not embedded for orgctl init
	if err != nil {
		t.Fatal(err)
	}
	w := parseWorkflow(t, "report.yml", data)
	if got := triggers(w); !slices.Equal(got, []string{"schedule", "workflow_dispatch"}) {
		t.Errorf("report.yml triggers on %v, want schedule and workflow_dispatch", got)
	}
	job, ok := w.Jobs["report"]
	if !ok || len(w.Jobs) != 1 {
		t.Fatalf("report.yml jobs = %v, want the one job report", slices.Sorted(maps.Keys(w.Jobs)))
	}
	if !releaseRE.MatchString(job.Env["ORGCTL_VERSION"]) {
		t.Errorf("report.yml installs orgctl %q, want a release (vX.Y.Z)", job.Env["ORGCTL_VERSION"])
	}
	runs, uploads := "", ""
	for _, s := range job.Steps {
		runs += s.Run + "\n"
		if strings.Contains(s.Run, "${{") || strings.Contains(s.Run, "GITHUB_TOKEN") {
			t.Errorf("report.yml: step %q interpolates ${{ }} or hands orgctl a token", s.Name)
		}
		if strings.Contains(s.Uses, "checkout") && (s.With["fetch-depth"] != "0" || s.With["persist-credentials"] != "false") {
			t.Errorf("report.yml: checkout with %v, want fetch-depth: 0 (the trend reads the history) and persist-credentials: false", s.With)
		}
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			uploads += s.With["path"]
		}
	}
	for _, want := range []string{`orgctl report -o markdown >> "$GITHUB_STEP_SUMMARY"`, "orgctl report -o html > orgctl-report/report.html"} {
		if !strings.Contains(runs, want) {
			t.Errorf("report.yml does not run %q", want)
		}
	}
	if uploads != "orgctl-report/report.html" {
		t.Errorf("report.yml uploads %q, want only orgctl-report/report.html", uploads)
	}
}
