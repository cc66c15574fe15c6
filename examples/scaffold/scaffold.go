// Package scaffold is what `orgctl init` writes: a policy, an example team
// that validates with no findings, the three workflows of package
// workflows and a README for the org repository.
package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/examples/workflows"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
	"github.com/orgctl/orgctl/schema/safewrite"
)

// File is one file init writes, with its path relative to the org
// directory (forward slashes).
type File struct {
	Path string
	Data []byte
}

// Files returns the files of an org repository in dir, in the order init
// writes and reports them; repo, when set, goes to
// Policy.spec.github.repo. When dir already declares people (imported from
// an HR export, say) there is no example team, the people with no manager
// become the Policy's roots, and people says how many there are.
func Files(dir, repo string) (files []File, people int, err error) {
	var set *schema.Set
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		if set, err = (&schema.Loader{}).LoadPaths([]string{dir}); err != nil {
			return nil, 0, fmt.Errorf("reading the org in %s: %w", dir, err)
		}
	}
	people, roots := declaredPeople(set)
	files, err = scaffold(repo, people > 0, roots)
	return files, people, err
}

// NextSteps is what init prints last: the path from scaffold to a running
// pipeline.
func NextSteps(dir string) string {
	var b strings.Builder
	b.WriteString("Next steps:\n")
	n := 1
	if dir != "." {
		fmt.Fprintf(&b, "  %d. cd %s\n", n, dir)
		n++
	}
	fmt.Fprintf(&b, "  %d. edit teams.yaml and people/*.yaml: your teams, your people, their managers and coaches\n", n)
	fmt.Fprintf(&b, "  %d. orgctl validate            # schema and rules; fix what it reports\n", n+1)
	fmt.Fprintf(&b, "  %d. git init && git add . && git commit -m \"org as code\"   (skip git init in an existing repository)\n", n+2)
	fmt.Fprintf(&b, "  %d. push to GitHub: pull requests get a plan comment, and merges to main run orgctl apply\n", n+3)
	return b.String()
}

// ValidRepo reports whether s looks like OWNER/NAME.
func ValidRepo(s string) bool {
	owner, name, ok := strings.Cut(s, "/")
	ok = ok && owner != "" && name != "" && !strings.Contains(name, "/")
	return ok && !strings.ContainsAny(s, " \t\n:")
}

// The example org. The coach is external so that the example is clean:
// the manager may not coach their own report (coach-is-manager), and the
// manager needs a coach too (missing-coach applies to seniors).
const (
	exampleTeam     = "platform"
	exampleManager  = "jordan"
	exampleEngineer = "sam"
	exampleCoach    = "robin"
)

// modeline is the first line of every document init writes: editors with
// the YAML language server fetch the schema from it for completion.
var modeline = "yaml-language-server: $schema=" + schema.SchemaURL

// declaredPeople counts the people set (the org already in DIR, or nil)
// declares, and names the active internal ones with no manager at all, who
// become the Policy's roots.
func declaredPeople(set *schema.Set) (people int, roots []string) {
	if set == nil {
		return 0, nil
	}
	o := reconcile.Build(set)
	for _, p := range o.People {
		if p.External || p.Status == schema.StatusDeparted {
			continue
		}
		if m := o.Manager(p.Name); !m.Known() && m.Declared == "" {
			roots = append(roots, p.Name)
		}
	}
	slices.Sort(roots)
	return len(o.People), roots
}

// scaffold returns the files of a new org repository, in the order init
// writes and reports them. repo, when set, goes to Policy.spec.github.repo.
// When the directory already declares people (imported from an HR export,
// say), there is no example team and roots are the given ones.
func scaffold(repo string, hasPeople bool, roots []string) ([]File, error) {
	capacity, span := reconcile.DefaultCoachCapacity, reconcile.DefaultSpanOfControl
	var issues []string
	for _, r := range reconcile.DefaultIssueRules() {
		issues = append(issues, string(r))
	}
	if !hasPeople {
		roots = []string{exampleManager}
	}
	policy := &schema.Policy{
		Name:   "default",
		Levels: slices.Clone(schema.DefaultLevels),
		Roots:  roots,
		GitHub: schema.GitHubPolicy{Repo: repo, Labels: []string{"orgctl"}, Issues: issues},
		Rules: map[string]schema.RuleConfig{
			string(reconcile.RuleCoachCapacity): {Severity: "warning", Max: &capacity},
			string(reconcile.RuleSpanOfControl): {Severity: "warning", Max: &span},
		},
	}
	team := &schema.Team{Name: exampleTeam, DisplayName: "Platform", Manager: exampleManager}
	manager := &schema.Person{
		Name: exampleManager, DisplayName: "Jordan Lee", Team: exampleTeam, Level: "senior",
		Expertise: []string{"kubernetes", "go"}, Status: schema.StatusActive, Coach: exampleCoach,
	}
	engineer := &schema.Person{
		Name: exampleEngineer, DisplayName: "Sam Rivera", Team: exampleTeam, Level: "mid",
		Expertise: []string{"go"}, Status: schema.StatusActive, Coach: exampleCoach,
	}
	coach := &schema.Person{Name: exampleCoach, DisplayName: "Robin Park", External: true, Status: schema.StatusActive}

	policyHelp := `The org's Policy (at most one per repository). Every field is optional;
levels, github.labels, github.issues and rules hold the defaults, written out
so that you can see and change them.
levels: the career ladder, lowest first; Person.spec.level is one of them.
roots: people allowed to have no manager (the top of the org).
github: where apply opens issues (default: the repository the workflow runs
in), their label, and which rules get an issue.
rules: per-rule severity (error | warning | off) and limits; see orgctl rules.
exemptions: add {rule, person, reason, expires: YYYY-MM-DD} to accept a finding for a while.`
	if repo != "" {
		policyHelp = strings.Replace(policyHelp, "(default: the repository the workflow runs\nin)", "(--repo "+repo+")", 1)
	}
	var files []File
	add := func(path string, write func(*schema.Writer) error, comments ...string) error {
		var buf bytes.Buffer
		for i, c := range comments {
			if i > 0 {
				buf.WriteString("---\n")
			}
			// One Writer per document, so that each document (not only
			// the file) starts with the modeline: the YAML language server
			// looks for it document by document.
			w := schema.NewWriter(&buf)
			w.Comment(modeline + "\n\n" + c)
			if err := write(w); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
		}
		files = append(files, File{Path: path, Data: buf.Bytes()})
		return nil
	}
	if err := add("policy.yaml", func(w *schema.Writer) error { return w.Policy(policy) }, policyHelp); err != nil {
		return nil, fmt.Errorf("writing the policy: %w", err)
	}
	if hasPeople {
		return withWorkflows(files)
	}
	err := errors.Join(
		add("teams.yaml", func(w *schema.Writer) error { return w.Team(team) },
			`One document per team, separated by ---. A team's manager is the default
manager of its members; parent: another team makes a tree (a team lead then
reports to the parent team's manager).`),
	)
	if err != nil {
		return nil, fmt.Errorf("writing the example org: %w", err)
	}
	people := []*schema.Person{manager, engineer}
	i := 0
	err = add("people/"+exampleTeam+".yaml", func(w *schema.Writer) error { p := people[i]; i++; return w.Person(p) },
		`The platform team's manager: teams.yaml names jordan as its manager, and
policy.yaml lists jordan in roots (reports to no one here).
Add github: LOGIN so that apply can assign jordan the issues of the team.
The coach is external: a manager should not coach their own reports.`,
		`An engineer: the team's manager (jordan) is sam's effective manager, so
no manager: field is needed. Everyone has a coach, and the coach is not the
manager. Mentors are optional: mentors: [{person: NAME, domain: go}].`)
	if err == nil {
		err = add("people/coaches.yaml", func(w *schema.Writer) error { return w.Person(coach) },
			`Coaches from outside the company: external: true, no team, level,
manager or coach needed. Internal coaches are ordinary Person documents.`)
	}
	if err != nil {
		return nil, fmt.Errorf("writing the example org: %w", err)
	}
	return withWorkflows(files)
}

// withWorkflows appends the three workflows and the org README to files.
func withWorkflows(files []File) ([]File, error) {
	for _, name := range workflows.Names {
		data, err := workflows.FS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading the embedded workflow %s: %w", name, err)
		}
		files = append(files, File{Path: ".github/workflows/" + name, Data: data})
	}
	files = append(files, File{Path: "README.md", Data: []byte(orgReadme)})
	return files, nil
}

// orgReadme is the README.md of a new org repository.
const orgReadme = `# Our org, as code

Who manages, mentors and coaches whom, declared in YAML and checked by
[orgctl](https://github.com/orgctl/orgctl).

| file | what it holds |
|---|---|
| ` + "`policy.yaml`" + ` | the Policy: career levels, who may have no manager, GitHub settings, rule settings and exemptions |
| ` + "`teams.yaml`" + ` | the teams: name, display name, manager, parent team |
| ` + "`people/*.yaml`" + ` | the people, one file per team: team, level, coach, mentors, optional manager and GitHub login |
| ` + "`.github/workflows/orgctl-pr.yaml`" + ` | on every pull request: validate, and compute the plan (read-only) |
| ` + "`.github/workflows/orgctl-comment.yaml`" + ` | posts that plan as one comment on the pull request, without running its code |
| ` + "`.github/workflows/orgctl-apply.yaml`" + ` | on merge to main and every weekday: opens, updates and closes issues for missing or conflicting pairings |

## Check a change

    go install github.com/orgctl/orgctl/cmd/orgctl@latest
    orgctl validate          # schema and rules, with file and line
    orgctl plan              # what your uncommitted change does
    orgctl get people        # everyone, with effective manager and coach
    orgctl rules             # what each rule checks, and why

A pull request fails only when it introduces new problems; problems that were
already there are shown but do not block it.

## Editing

Every YAML document starts with a ` + "`# yaml-language-server: $schema=...`" + ` line:
with the YAML extension (VS Code, or any editor using yaml-language-server)
you get completion, descriptions and errors as you type.

## Documentation

- ` + "`orgctl --help`" + ` and ` + "`orgctl COMMAND --help`" + `
- https://github.com/orgctl/orgctl#readme
`

// WriteReport writes what orgctl init did in dir: each planned file
// created or skipped (it already existed), the count of the total files
// created, and the next steps.
func WriteReport(w io.Writer, dir string, plan []safewrite.Planned, total int) {
	created := 0
	for _, p := range plan {
		if p.Action == safewrite.Keep {
			fmt.Fprintf(w, "skipped %s: already exists\n", p.Path)
			continue
		}
		created++
		fmt.Fprintf(w, "created %s\n", p.Path)
	}
	fmt.Fprintln(w)
	if created == 0 {
		fmt.Fprintln(w, "Nothing to do: every file is already there.")
	} else {
		fmt.Fprintf(w, "Created %d of %d files.\n", created, total)
	}
	fmt.Fprint(w, NextSteps(dir))
}
