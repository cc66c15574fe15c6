package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// MaxMonths bounds the trend: at most this many months, one load each.
const MaxMonths = 24

// Trend is coverage at the last commit of each month of the git history,
// oldest month first.
type Trend struct {
	Points []TrendPoint `json:"points"`
	// NotSeen lists the months (YYYY-MM) of the window that a shallow
	// clone's history does not reach: their coverage is unknown, not zero.
	NotSeen []string `json:"notSeen"`
	// Shallow is true when the repository is a shallow clone.
	Shallow bool `json:"shallow"`
	// OldestCommit and OldestDate name the oldest commit a shallow clone
	// holds (empty otherwise).
	OldestCommit string `json:"oldestCommit,omitempty"`
	OldestDate   string `json:"oldestDate,omitempty"`
	// Note says why the trend is missing or cut short (no git, not a
	// repository, a commit that could not be read).
	Note string `json:"note,omitempty"`
}

// TrendPoint is the coverage at the last commit of one month.
type TrendPoint struct {
	Month  string `json:"month"`
	Commit string `json:"commit"`
	Coverage
}

// OrgAt reads the org as it was at a commit.
type OrgAt func(commit string) (*reconcile.Org, error)

// ReadTrend computes the trend over the months ending with today's: one
// git rev-list and at most one load per month, a load shared by months
// whose last commit is the same. months is capped at MaxMonths. dir is
// where git runs (a directory inside the repository). Months before the
// repository's first commit, or before the org directory existed, are left
// out; in a shallow clone the months before its oldest commit are listed
// in NotSeen instead.
func ReadTrend(dir string, today time.Time, months int, at OrgAt) Trend {
	tr := Trend{Points: []TrendPoint{}, NotSeen: []string{}}
	months = min(max(months, 1), MaxMonths)
	if _, err := exec.LookPath("git"); err != nil {
		tr.Note = "no trend: git is not on PATH; install git to see coverage by month"
		return tr
	}
	if _, err := schema.Git(dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); err != nil {
		tr.Note = "no trend: " + dir + " is not in a git repository with commits; run the report from a clone of the org repository"
		return tr
	}
	if out, err := schema.Git(dir, "rev-parse", "--is-shallow-repository"); err == nil && out == "true" {
		tr.Shallow = true
		if out, err := schema.Git(dir, "log", "--first-parent", "--max-parents=0", "--format=%H %cs", "HEAD"); err == nil {
			lines := strings.Split(out, "\n")
			if f := strings.Fields(lines[len(lines)-1]); len(f) == 2 {
				tr.OldestCommit, tr.OldestDate = f[0], f[1]
			}
		}
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	first := time.Date(today.Year(), today.Month()-time.Month(months-1), 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]Coverage{}
	for m := first; !m.After(today); m = m.AddDate(0, 1, 0) {
		end := m.AddDate(0, 1, 0)
		if end.After(today) {
			end = today.AddDate(0, 0, 1)
		}
		month := m.Format("2006-01")
		before := end.Add(-time.Second).Format("2006-01-02 15:04:05 -0700")
		commit, err := schema.Git(dir, "rev-list", "-1", "--first-parent", "--before="+before, "HEAD")
		if err != nil {
			tr.Note = fmt.Sprintf("trend stopped at %s: git rev-list: %v", month, err)
			return tr
		}
		if commit == "" {
			if tr.Shallow {
				tr.NotSeen = append(tr.NotSeen, month)
			}
			continue
		}
		c, ok := seen[commit]
		if !ok {
			o, err := at(commit)
			if err != nil {
				tr.Note = fmt.Sprintf("trend stopped at %s: reading the org at %s: %v", month, short(commit), err)
				return tr
			}
			c = CoverageOf(o)
			seen[commit] = c
		}
		if c.People == 0 && len(tr.Points) == 0 {
			continue // the org was not there yet
		}
		tr.Points = append(tr.Points, TrendPoint{Month: month, Commit: commit, Coverage: c})
	}
	return tr
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// GitOrgAt reads the org at paths (files or directories of the working
// tree, as given to -f) from git at a commit, with loader, without a
// checkout.
func GitOrgAt(paths []string, loader *schema.Loader) OrgAt {
	return func(commit string) (*reconcile.Org, error) {
		all := &schema.Set{}
		for _, p := range paths {
			dir, only := p, ""
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				dir, only = filepath.Dir(p), filepath.Base(p)
			}
			files, err := schema.ReadGitTree(dir, commit)
			if err != nil {
				return nil, err
			}
			if only != "" {
				kept := files[:0]
				for _, f := range files {
					if f.Path == only {
						kept = append(kept, f)
					}
				}
				files = kept
			}
			set := loader.LoadFiles(files, filepath.ToSlash(filepath.Clean(dir)))
			all.Documents = append(all.Documents, set.Documents...)
			all.Problems = append(all.Problems, set.Problems...)
			all.Files += set.Files
		}
		return reconcile.Build(all), nil
	}
}

// GitDir is the directory git runs in for paths: the first path, or its
// directory when it is a file; "." for none.
func GitDir(paths []string) string {
	if len(paths) == 0 {
		return "."
	}
	if fi, err := os.Stat(paths[0]); err == nil && !fi.IsDir() {
		return filepath.Dir(paths[0])
	}
	return paths[0]
}
