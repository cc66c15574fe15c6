package schema

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestIgnoreMatchesGitignoreSubset(t *testing.T) {
	tests := []struct {
		name     string
		patterns string
		path     string
		dir      bool
		want     bool
	}{
		{"a name matches at any depth", "values.yaml", "charts/web/values.yaml", false, true},
		{"a name matches at the root", "mkdocs.yml", "mkdocs.yml", false, true},
		{"a star stays within a segment", "*.yml", "docs/a.yml", false, true},
		{"a star does not match the other extension", "*.yml", "docs/a.yaml", false, false},
		{"a leading slash anchors at the root", "/mkdocs.yml", "docs/mkdocs.yml", false, false},
		{"an anchored name matches at the root", "/mkdocs.yml", "mkdocs.yml", false, true},
		{"a middle slash anchors too", "charts/web", "x/charts/web", true, false},
		{"a trailing slash matches directories", "charts/", "charts", true, true},
		{"a trailing slash does not match a file", "charts/", "charts", false, false},
		{"a file inside an ignored directory is ignored", "charts/", "charts/web/templates/deploy.yaml", false, true},
		{"a nested directory name is ignored anywhere", "templates/", "charts/web/templates/deploy.yaml", false, true},
		{"double star prefix matches any depth", "**/values.yaml", "a/b/c/values.yaml", false, true},
		{"double star prefix matches the root", "**/values.yaml", "values.yaml", false, true},
		{"double star in the middle matches zero directories", "charts/**/values.yaml", "charts/values.yaml", false, true},
		{"double star in the middle matches many", "charts/**/values.yaml", "charts/a/b/values.yaml", false, true},
		{"double star at the end matches everything inside", "charts/**", "charts/a/b.yaml", false, true},
		{"double star at the end is anchored", "charts/**", "x/charts/a.yaml", false, false},
		{"a question mark is one character", "v?.yaml", "v1.yaml", false, true},
		{"a question mark is not a slash", "a?b.yaml", "a/b.yaml", false, false},
		{"a class", "team-[ab].yaml", "team-b.yaml", false, true},
		{"a negated class", "team-[!ab].yaml", "team-b.yaml", false, false},
		{"negation brings a file back", "*.yaml\n!people.yaml", "people.yaml", false, false},
		{"the last match wins", "!people.yaml\n*.yaml", "people.yaml", false, true},
		{"negation cannot reach inside an ignored directory", "charts/\n!charts/org.yaml", "charts/org.yaml", false, true},
		{"comments and blank lines are skipped", "# mkdocs.yml\n\n", "mkdocs.yml", false, false},
		{"an escaped hash is a name", `\#notes.yaml`, "#notes.yaml", false, true},
		{"trailing spaces are dropped", "mkdocs.yml   ", "mkdocs.yml", false, true},
		{"CRLF line ends", "mkdocs.yml\r\nvalues.yaml\r\n", "values.yaml", false, true},
		{"dots are literal", "a.yaml", "axyaml", false, false},
		{"an unclosed class is literal", "a[.yaml", "a[.yaml", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseIgnore([]byte(tt.patterns)).Ignored(tt.path, tt.dir); got != tt.want {
				t.Errorf("patterns %q, path %q (dir %v): ignored %v, want %v", tt.patterns, tt.path, tt.dir, got, tt.want)
			}
		})
	}
}

// An org repository holds other YAML: with an ignore file (and hidden
// directories skipped) it validates with no problem at all.
func TestRepositoryWithOtherYAMLLoadsCleanWithIgnoreFile(t *testing.T) {
	fsys := fstest.MapFS{
		".github/workflows/ci.yml":      {Data: []byte("on: [push]\njobs: {}\n")},
		"charts/web/Chart.yaml":         {Data: []byte("apiVersion: v2\nname: web\n")},
		"charts/web/values.yaml":        {Data: []byte("replicaCount: 1\nimage: {repository: nginx}\n")},
		"charts/web/templates/dep.yaml": {Data: []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")},
		"mkdocs.yml":                    {Data: []byte("site_name: People\nnav: [index.md]\n")},
		"org/people.yaml":               {Data: []byte(alice)},
		"org/people/legacy/old.yaml":    {Data: []byte("name: not ours\n")},
		".orgctlignore":                 {Data: []byte("# tooling beside the org\ncharts/\n/mkdocs.yml\n")},
	}
	set, err := (&Loader{Precheck: PrecheckAudit}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	// Without --exclude, the legacy file is reported.
	if got := problems(set); len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "org/people/legacy/old.yaml") {
		t.Fatalf("want the legacy file reported, got %q", got)
	}
	set, err = (&Loader{Exclude: []string{"legacy/"}}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := problems(set); len(got) != 0 {
		t.Errorf("problems: %q", got)
	}
	if len(set.Documents) != 1 || !set.Documents[0].Valid() || set.Files != 1 {
		t.Errorf("want alice alone from 1 file, got %d documents from %d files", len(set.Documents), set.Files)
	}
	// The base of a plan, read from git, honours the same rules.
	var files []File
	for name, f := range fsys {
		files = append(files, File{Path: name, Data: f.Data})
	}
	base := (&Loader{Exclude: []string{"legacy/"}}).LoadFiles(files, "")
	if got := problems(base); len(got) != 0 || len(base.Documents) != 1 {
		t.Errorf("git base: problems %q, %d documents", got, len(base.Documents))
	}
}
