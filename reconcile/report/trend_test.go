package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"

	"github.com/orgctl/orgctl/internal/testtool"
)

func run(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// people writes an org of n active people of whom coached have a coach:
// p0 coaches p1, p2, ...; p1 coaches p0 too when everyone is coached.
func people(n, coached int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "---\napiVersion: orgctl.dev/v1\nkind: Person\nmetadata:\n  name: p%d\nspec:\n  displayName: P%d\n  team: t\n", i, i)
		switch {
		case i == 0 && coached == n:
			b.WriteString("  coach: p1\n")
		case i > 0 && i <= coached-boolInt(coached == n):
			b.WriteString("  coach: p0\n")
		}
	}
	b.WriteString("---\napiVersion: orgctl.dev/v1\nkind: Team\nmetadata:\n  name: t\nspec:\n  displayName: T\n")
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// history makes a repository whose org directory changes on fixed dates,
// and returns its path and the org directory inside it.
func history(t *testing.T) (repo, org string) {
	t.Helper()
	testtool.Need(t, "git", "install git", "git")
	repo = t.TempDir()
	run(t, repo, nil, "init", "-q", "-b", "main")
	org = filepath.Join(repo, "org")
	if err := os.MkdirAll(org, 0o755); err != nil {
		t.Fatal(err)
	}
	// Something before the org existed: those months are left out.
	if err := os.WriteFile(filepath.Join(repo, "README"), []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commit := func(date string) {
		run(t, repo, nil, "add", "-A")
		env := []string{"GIT_AUTHOR_DATE=" + date + "T12:00:00Z", "GIT_COMMITTER_DATE=" + date + "T12:00:00Z"}
		run(t, repo, env, "commit", "-q", "-m", date)
	}
	commit("2025-11-05")
	for _, c := range []struct {
		date            string
		people, coached int
	}{
		{"2026-01-15", 2, 1},
		{"2026-01-20", 3, 2},
		{"2026-03-10", 4, 3},
		{"2026-05-02", 4, 4},
		{"2026-06-01", 5, 0}, // after --today: never seen
	} {
		if err := os.WriteFile(filepath.Join(org, "people.yaml"), []byte(people(c.people, c.coached)), 0o644); err != nil {
			t.Fatal(err)
		}
		commit(c.date)
	}
	return repo, org
}

func countingOrgAt(paths []string, loads *int) OrgAt {
	at := GitOrgAt(paths, &schema.Loader{})
	return func(commit string) (*reconcile.Org, error) {
		*loads++
		return at(commit)
	}
}

type monthCov struct {
	month             string
	people, withCoach int
}

func points(tr Trend) []monthCov {
	var out []monthCov
	for _, p := range tr.Points {
		out = append(out, monthCov{p.Month, p.People, p.WithCoach})
	}
	return out
}

// TestTrendLastCommitOfEachMonth: each month shows the org at its last
// commit on or before --today; a month without commits repeats the one
// before; months before the org existed are left out; a commit shared by
// months is loaded once.
func TestTrendLastCommitOfEachMonth(t *testing.T) {
	_, org := history(t)
	today := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	loads := 0
	tr := ReadTrend(org, today, 8, countingOrgAt([]string{org}, &loads))
	want := []monthCov{{"2026-01", 3, 2}, {"2026-02", 3, 2}, {"2026-03", 4, 3}, {"2026-04", 4, 3}, {"2026-05", 4, 4}}
	if got := points(tr); !reflect.DeepEqual(got, want) {
		t.Fatalf("trend = %v, want %v (note %q)", got, want, tr.Note)
	}
	// Oct and Nov 2025 have no commit or only the README one; Dec too.
	if loads != 4 {
		t.Errorf("%d loads, want 4 (the README commit and three org commits, each once)", loads)
	}
	if tr.Shallow || len(tr.NotSeen) != 0 || tr.Note != "" {
		t.Errorf("a full clone: shallow %v, not seen %v, note %q", tr.Shallow, tr.NotSeen, tr.Note)
	}
}

// TestTrendShallowCloneSaysWhatItCannotSee: a clone of depth 2 holds the
// March and May commits; the months before March are listed as not seen,
// and the window is bounded at MaxMonths however many months are asked.
func TestTrendShallowCloneSaysWhatItCannotSee(t *testing.T) {
	repo, _ := history(t)
	clone := filepath.Join(t.TempDir(), "clone")
	run(t, repo, nil, "clone", "-q", "--depth", "3", "file://"+repo, clone)
	// depth 3 from June: June, May, March.
	org := filepath.Join(clone, "org")
	today := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	loads := 0
	tr := ReadTrend(org, today, 1000, countingOrgAt([]string{org}, &loads))
	if !tr.Shallow || tr.OldestDate != "2026-03-10" || len(tr.OldestCommit) != 40 {
		t.Fatalf("shallow %v, oldest %q %q: want a shallow clone whose oldest commit is of 2026-03-10", tr.Shallow, tr.OldestCommit, tr.OldestDate)
	}
	want := []monthCov{{"2026-03", 4, 3}, {"2026-04", 4, 3}, {"2026-05", 4, 4}}
	if got := points(tr); !reflect.DeepEqual(got, want) {
		t.Fatalf("trend = %v, want %v", got, want)
	}
	if len(tr.NotSeen) != MaxMonths-3 || tr.NotSeen[0] != "2024-06" || tr.NotSeen[len(tr.NotSeen)-1] != "2026-02" {
		t.Errorf("not seen = %v, want the %d months 2024-06 … 2026-02", tr.NotSeen, MaxMonths-3)
	}
	if loads != 2 {
		t.Errorf("%d loads, want 2", loads)
	}
}

// TestTrendOutsideGit: no repository, no trend, and a note saying why.
func TestTrendOutsideGit(t *testing.T) {
	testtool.Need(t, "git", "install git", "git")
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	called := false
	tr := ReadTrend(dir, time.Now(), 3, func(string) (*reconcile.Org, error) { called = true; return nil, nil })
	if called || len(tr.Points) != 0 || !strings.Contains(tr.Note, "not in a git repository") {
		t.Fatalf("outside git: loads %v, points %v, note %q", called, tr.Points, tr.Note)
	}
}
