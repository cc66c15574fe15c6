package workflows_test

import (
	"bytes"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/examples/workflows"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// repoRoot is the orgctl repository, two levels up from this package.
const repoRoot = "../.."

// setupActionRef is how the example workflows refer to the composite action.
const setupActionRef = "orgctl/orgctl/.github/actions/setup-orgctl@"

// newLinter returns an actionlint linter that also runs shellcheck over
// `run:` scripts when shellcheck is on PATH (.ci/run installs it when it can).
func newLinter(t *testing.T) *actionlint.Linter {
	t.Helper()
	opts := &actionlint.LinterOptions{LogWriter: io.Discard}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = sc
	} else {
		t.Log("shellcheck is not on PATH: run: scripts are not checked by shellcheck")
	}
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

// TestWorkflowsMatchTheSetupAction lints the example workflows once more
// with the published action replaced by the local one, so that actionlint
// checks every `with:` input against .github/actions/setup-orgctl/action.yml.
func TestWorkflowsMatchTheSetupAction(t *testing.T) {
	l := newLinter(t)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	project, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range workflows.Names {
		content, err := workflows.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(content, []byte(setupActionRef)) {
			t.Errorf("%s does not use %s<version>", name, setupActionRef)
			continue
		}
		local := bytes.ReplaceAll(content, []byte(setupActionRef+"v"), []byte("./.github/actions/setup-orgctl#v"))
		local = bytes.ReplaceAll(local, []byte("./.github/actions/setup-orgctl#v0.1.0"), []byte("./.github/actions/setup-orgctl"))
		if bytes.Contains(local, []byte("setup-orgctl#")) {
			t.Errorf("%s pins setup-orgctl to a version other than v0.1.0: update this test and every workflow together", name)
			continue
		}
		errs, err := l.Lint(filepath.Join(root, ".github", "workflows", "local-"+name), local, project)
		if err != nil {
			t.Fatal(err)
		}
		reportLint(t, errs)
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
			Uses  string
			Run   string
			Shell string
		}
	}
}

// TestSetupActionIsComposite: the action is a composite action whose every
// script names its shell (GitHub refuses a composite run step without one),
// takes an optional version and reports the version it installed.
func TestSetupActionIsComposite(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github/actions/setup-orgctl/action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	if len(a.Runs.Steps) == 0 {
		t.Fatal("runs.steps is empty")
	}
	installs := false
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
		if strings.Contains(s.Run, "go install") && strings.Contains(s.Run, "github.com/orgctl/orgctl/cmd/orgctl@") {
			installs = true
		}
		if strings.Contains(s.Run, "GITHUB_PATH") != strings.Contains(s.Run, "go install") {
			t.Errorf("step %d (%s): the step that installs orgctl must also add it to PATH", i, s.Name)
		}
	}
	if !installs {
		t.Error("no step runs go install github.com/orgctl/orgctl/cmd/orgctl@VERSION")
	}
	if in, ok := a.Inputs["version"]; !ok || in.Default == nil || *in.Default == "" {
		t.Error("input version is missing or has no default")
	}
	if out, ok := a.Outputs["version"]; !ok || !strings.Contains(out.Value, "steps.") {
		t.Error("output version is missing or not taken from a step")
	}
}

// workflow is the part of a workflow file the safety test checks.
type workflow struct {
	Name        string
	On          map[string]yaml.Node
	Permissions map[string]string
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	}
	Jobs map[string]struct {
		Permissions yaml.Node
		Steps       []struct {
			Name string
			Uses string
			Run  string
		}
	}
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
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w
}

func triggers(w workflow) []string {
	var on []string
	for k := range w.On {
		on = append(on, k)
	}
	slices.Sort(on)
	return on
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
			if !j.Permissions.IsZero() {
				t.Errorf("%s: job %s sets its own permissions; keep them at the top where the test checks them", name, job)
			}
			for _, s := range j.Steps {
				if strings.Contains(s.Run, "${{") {
					t.Errorf("%s: step %q interpolates ${{ }} into its script: pass the value through env:", name, s.Name)
				}
				if strings.HasPrefix(s.Uses, "orgctl/") && !strings.HasPrefix(s.Uses, setupActionRef+"v") {
					t.Errorf("%s: step %q uses %s, want %s<release>", name, s.Name, s.Uses, setupActionRef)
				}
			}
		}
	}

	// The pull-request half runs the pull request's code: read-only.
	if got := triggers(pr); !slices.Equal(got, []string{"pull_request"}) {
		t.Errorf("orgctl-pr.yaml triggers on %v, want only pull_request", got)
	}
	if !maps.Equal(pr.Permissions, map[string]string{"contents": "read"}) {
		t.Errorf("orgctl-pr.yaml permissions = %v, want only contents: read", pr.Permissions)
	}
	prRuns := ""
	for _, s := range pr.Jobs["plan"].Steps {
		prRuns += s.Run + "\n"
		if s.Uses == "actions/upload-artifact@v4" {
			prRuns += "upload-artifact\n"
		}
	}
	for _, want := range []string{"orgctl validate -o github", "orgctl plan --base", "-o markdown", "upload-artifact", "pr-number"} {
		if !strings.Contains(prRuns, want) {
			t.Errorf("orgctl-pr.yaml job plan does not run %q", want)
		}
	}

	// The commenting half has a write token: it must never run the pull
	// request's code.
	if got := triggers(comment); !slices.Equal(got, []string{"workflow_run"}) {
		t.Errorf("orgctl-comment.yaml triggers on %v, want only workflow_run", got)
	}
	var wr struct{ Workflows, Types []string }
	if n := comment.On["workflow_run"]; n.Decode(&wr) != nil || !slices.Equal(wr.Workflows, []string{pr.Name}) || !slices.Equal(wr.Types, []string{"completed"}) {
		t.Errorf("orgctl-comment.yaml workflow_run = %+v, want workflows [%s] types [completed]", wr, pr.Name)
	}
	if !maps.Equal(comment.Permissions, map[string]string{"pull-requests": "write", "actions": "read"}) {
		t.Errorf("orgctl-comment.yaml permissions = %v, want only pull-requests: write and actions: read", comment.Permissions)
	}
	posts := false
	for job, j := range comment.Jobs {
		for _, s := range j.Steps {
			if strings.Contains(s.Uses, "checkout") || strings.Contains(s.Run, "git ") || strings.Contains(s.Run, "git\n") {
				t.Errorf("orgctl-comment.yaml: job %s step %q fetches code; it must only read the artifact", job, s.Name)
			}
			if strings.Contains(s.Run, "orgctl comment --pr") {
				posts = true
			}
		}
	}
	if !posts {
		t.Error("orgctl-comment.yaml never runs orgctl comment --pr")
	}

	// apply: on what is merged, on a schedule and by hand; never two at once.
	if got := triggers(apply); !slices.Equal(got, []string{"push", "schedule", "workflow_dispatch"}) {
		t.Errorf("orgctl-apply.yaml triggers on %v, want push, schedule, workflow_dispatch", got)
	}
	if !maps.Equal(apply.Permissions, map[string]string{"issues": "write", "pull-requests": "write", "contents": "write"}) {
		t.Errorf("orgctl-apply.yaml permissions = %v", apply.Permissions)
	}
	if apply.Concurrency.Group == "" || apply.Concurrency.CancelInProgress == nil || *apply.Concurrency.CancelInProgress {
		t.Errorf("orgctl-apply.yaml concurrency = %+v, want a group with cancel-in-progress: false", apply.Concurrency)
	}
}

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
	if _, err := exec.LookPath("shellcheck"); err == nil {
		want = append(want, "shellcheck") // unquoted $SRC and $DST
	}
	for _, want := range want {
		if !kinds[want] {
			t.Errorf("actionlint did not report a %s error; got %v", want, kinds)
		}
	}
}
