package reconcile

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgctl/orgctl/internal/testtool"
	"github.com/orgctl/orgctl/schema"
)

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadOrgFiles is base plus ann, who starts with her coach on 2026-12-01.
func loadOrgFiles() map[string]string {
	return map[string]string{
		"policy.yaml": base[0], "team.yaml": base[1], "boss.yaml": base[2], "ext.yaml": base[3],
		"ann.yaml": person("ann", "team: eng, level: mid, coach: ext, coachSince: 2026-12-01"),
	}
}

// progressLog records the loads a LoadOptions.Progress was asked for.
type progressLog struct {
	mu    sync.Mutex
	loads []string
	calls int
}

func (p *progressLog) progress(what string) func(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.loads = append(p.loads, what)
	return func(int, int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.calls++
	}
}

func TestLoadReadsAndChecksTheOrg(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, loadOrgFiles())
	for _, tc := range []struct {
		name        string
		today       time.Time
		wantPairing bool
	}{
		{"a start after Check.Today is in the future", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), true},
		{"a start before Check.Today is not", time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log progressLog
			set, res, err := Load([]string{dir}, LoadOptions{Check: Options{Today: tc.today}, Progress: log.progress})
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Documents) != 5 || res.Summary.People != 3 || res.Summary.Teams != 1 || res.Summary.Files != 5 {
				t.Errorf("read %d documents, summary %+v; want 5 documents, 3 people, 1 team, 5 files", len(set.Documents), res.Summary)
			}
			got := slices.ContainsFunc(res.Findings, func(f Finding) bool { return f.Fingerprint == "pairing-dates/ann/coachSince" })
			if got != tc.wantPairing {
				t.Errorf("pairing-dates/ann/coachSince reported = %v, want %v: %v", got, tc.wantPairing, res.Findings)
			}
			if !slices.Equal(log.loads, []string{"reading"}) || log.calls != 5 {
				t.Errorf("progress: loads %q with %d calls, want [reading] with one call per file (5)", log.loads, log.calls)
			}
		})
	}
}

func TestLoadPassesTheLoaderOptions(t *testing.T) {
	dir := t.TempDir()
	files := loadOrgFiles()
	files["big.yaml"] = person("big", "team: eng, level: mid, coach: ext, github: "+strings.Repeat("x", 2000))
	files["old/gone.yaml"] = person("gone", "team: nope")
	writeFiles(t, dir, files)
	_, res, err := Load([]string{dir}, LoadOptions{MaxFileSize: 1024, Exclude: []string{"old/"}, Check: Options{Today: today}})
	if err != nil {
		t.Fatal(err)
	}
	var big, gone bool
	for _, f := range res.Findings {
		big = big || f.Rel == "big.yaml" && f.Rule == RuleID(schema.RuleParse) && strings.Contains(f.Message, "over the 1.0 KiB limit")
		gone = gone || strings.Contains(f.Rel, "old/")
	}
	if !big {
		t.Errorf("a file over MaxFileSize is not refused with a parse finding: %v", res.Findings)
	}
	if gone {
		t.Errorf("an excluded file was read: %v", res.Findings)
	}
}

func TestLoadRefusesWhatCannotBeChecked(t *testing.T) {
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"})
	for _, tc := range []struct {
		name    string
		path    string
		wantSet bool
		want    string
	}{
		{"no orgctl document: the set comes back, to list what was skipped", empty, true, "no orgctl documents under " + empty + " (1 YAML file read; 1 document of another tool was skipped, -v lists it)"},
		{"a path that does not exist", filepath.Join(empty, "missing"), false, "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, _, err := Load([]string{tc.path}, LoadOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if (set != nil) != tc.wantSet {
				t.Errorf("set returned = %v, want %v", set != nil, tc.wantSet)
			}
			if tc.wantSet && len(set.Skipped) != 1 {
				t.Errorf("skipped %d documents, want the ConfigMap", len(set.Skipped))
			}
		})
	}
}

// gitIn runs git in dir, failing the test on an error.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestLoadBaseReadsADirectoryOrAGitRevision(t *testing.T) {
	testtool.Need(t, "git", "install git", "git")
	repo := t.TempDir()
	org := filepath.Join(repo, "org")
	writeFiles(t, org, loadOrgFiles())
	gitIn(t, repo, "init", "-q", "-b", "main")
	gitIn(t, repo, "add", "-A")
	gitIn(t, repo, "commit", "-q", "-m", "org")
	// The working tree moves on: a person more than the commit holds.
	writeFiles(t, org, map[string]string{"bob.yaml": person("bob", "team: eng, level: mid")})
	other := t.TempDir()
	writeFiles(t, other, map[string]string{"policy.yaml": base[0], "team.yaml": base[1], "boss.yaml": base[2]})

	for _, tc := range []struct {
		name, dir, ref string
		wantName       string
		wantPeople     int
		wantErr        string
	}{
		{name: "the committed org at ref", ref: "HEAD", wantName: "HEAD", wantPeople: 3},
		{name: "a directory wins over ref", dir: other, ref: "HEAD", wantName: other, wantPeople: 1},
		{name: "a ref that does not exist", ref: "nope", wantErr: `git ref "nope" does not exist: check the name, or compare with a directory using --base-dir`},
		{name: "a remote branch not fetched", ref: "origin/main", wantErr: "fetch it first (git fetch origin main)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log progressLog
			set, o, res, name, err := LoadBase(org, tc.dir, tc.ref, LoadOptions{Check: Options{Today: today}, Progress: log.progress})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if name != tc.wantName || res.Summary.People != tc.wantPeople || set == nil || o == nil || len(o.People) != tc.wantPeople {
				t.Errorf("base %q with %d people, want %q with %d", name, res.Summary.People, tc.wantName, tc.wantPeople)
			}
			if !slices.Equal(log.loads, []string{"reading the base"}) {
				t.Errorf("progress asked for %q, want [reading the base]", log.loads)
			}
		})
	}
}

func TestLoadPlanDiffsTheWorkingTreeWithItsBase(t *testing.T) {
	testtool.Need(t, "git", "install git", "git")
	repo := t.TempDir()
	org := filepath.Join(repo, "org")
	writeFiles(t, org, loadOrgFiles())
	gitIn(t, repo, "init", "-q", "-b", "main")
	gitIn(t, repo, "add", "-A")
	gitIn(t, repo, "commit", "-q", "-m", "org")
	// The change: bob joins without a coach.
	writeFiles(t, org, map[string]string{"bob.yaml": person("bob", "team: eng, level: mid")})
	empty := t.TempDir()

	for _, tc := range []struct {
		name, head, dir, ref string
		wantChanges          []string
		wantIntroduced       string
		wantBase             string
		err                  string
	}{
		{name: "against HEAD", head: org, ref: "HEAD", wantChanges: []string{"add Person/bob displayName:(none)→bob status:(none)→active team:(none)→eng level:(none)→mid manager:(none)→boss"}, wantIntroduced: "missing-coach/bob", wantBase: "HEAD"},
		{name: "against itself", head: org, dir: org, ref: "HEAD", wantChanges: nil, wantBase: org},
		{name: "a head with nothing to check", head: empty, ref: "HEAD", err: "no orgctl documents under " + empty},
		{name: "a base that does not exist", head: org, ref: "nope", err: `git ref "nope" does not exist`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log progressLog
			plan, headOrg, headRes, base, err := LoadPlan(tc.head, tc.dir, tc.ref, LoadOptions{Check: Options{Today: today}, Progress: log.progress})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := changes(plan); !slices.Equal(got, tc.wantChanges) || fingerprints(plan.Findings.Introduced) != tc.wantIntroduced || base != tc.wantBase {
				t.Errorf("plan against %q: changes %q, introduced %q; want %q against %q, %q", base, got, fingerprints(plan.Findings.Introduced), tc.wantChanges, tc.wantBase, tc.wantIntroduced)
			}
			if headOrg.Person("bob") == nil || headRes.Summary.People != 4 {
				t.Errorf("the head returned is not the working tree: bob %v, %d people", headOrg.Person("bob") != nil, headRes.Summary.People)
			}
			// The base is read at the same time as the head; one progress
			// line (the head's) is shown, not two fighting over the line.
			if !slices.Equal(log.loads, []string{"reading"}) {
				t.Errorf("progress lines %q, want the head's only", log.loads)
			}
		})
	}
}

// plan's base and head share the documents of the files they both hold
// unchanged: the plan, and the head's result, must be what loading each
// org on its own gives, every finding showing its own org's path (a
// finding resolved in a shared file shows the base's), whether a file is
// shared, moved (copied with its new path), changed or broken.
func TestLoadPlanSharesDocumentsAndShowsEachOrgsPaths(t *testing.T) {
	files := map[string]string{
		"policy.yaml": base[0], "team.yaml": base[1], "boss.yaml": base[2], "ext.yaml": base[3],
		"ann.yaml":    person("ann", "team: eng, level: mid, coach: ghost"),
		"broken.yaml": person("bob", "team: eng, level: mid, coach: ext, shoeSize: 44"),
		"carol.yaml":  person("carol", "team: eng, level: mid, coach: ann"),
		"dave.yaml":   person("dave", "team: eng, level: mid, coach: boss"),
	}
	baseDir, headDir := t.TempDir(), t.TempDir()
	writeFiles(t, baseDir, files)
	delete(files, "carol.yaml")
	files["people/carol.yaml"] = person("carol", "team: eng, level: mid, coach: ann")
	files["ghost.yaml"] = person("ghost", "team: eng, level: senior, coach: boss")
	files["dave.yaml"] = person("dave", "team: eng, level: senior, coach: boss")
	writeFiles(t, headDir, files)

	opts := LoadOptions{Check: Options{Today: today}}
	for range 10 { // the loads race: either may decode a shared file
		plan, headOrg, headRes, _, err := LoadPlan(headDir, baseDir, "", opts)
		if err != nil {
			t.Fatal(err)
		}
		_, bo, br, _, err := LoadBase(headDir, baseDir, "", opts)
		if err != nil {
			t.Fatal(err)
		}
		hset, ho, hr, err := LoadOrg([]string{headDir}, opts)
		if err != nil || hset.Paths != nil {
			t.Fatalf("loading the head alone: %v, shared paths %v", err, hset.Paths)
		}
		want := Diff(bo, br, ho, hr)
		if !reflect.DeepEqual(plan, want) {
			t.Fatalf("the plan of orgs that share documents differs from that of orgs loaded apart:\ngot  %+v\nwant %+v", plan, want)
		}
		if !reflect.DeepEqual(headRes, hr) || len(headOrg.People) != len(ho.People) {
			t.Fatalf("the head's result differs from loading it alone:\ngot  %+v\nwant %+v", headRes, hr)
		}
		resolved := slices.IndexFunc(plan.Findings.Resolved, func(f Finding) bool { return f.Rel == "ann.yaml" })
		if resolved < 0 || plan.Findings.Resolved[resolved].File != filepath.ToSlash(filepath.Join(baseDir, "ann.yaml")) {
			t.Fatalf("resolved findings %+v: want ann's unknown coach, in the base's ann.yaml", plan.Findings.Resolved)
		}
		if !slices.ContainsFunc(headRes.Findings, func(f Finding) bool {
			return f.Rule == RuleSchema && f.File == filepath.ToSlash(filepath.Join(headDir, "broken.yaml"))
		}) {
			t.Fatalf("head findings %+v: want the schema error of the head's broken.yaml", headRes.Findings)
		}
	}
}

// plan shows one progress line for both orgs: it counts the base's files
// and then the head's, never going back, and ends at their sum; a
// progress that shows nothing (nil, as off a terminal) is not called.
func TestLoadPlanCountsBothOrgsOnOneProgressLine(t *testing.T) {
	baseDir, headDir := t.TempDir(), t.TempDir()
	writeFiles(t, baseDir, loadOrgFiles())
	writeFiles(t, headDir, loadOrgFiles())
	writeFiles(t, headDir, map[string]string{"bob.yaml": person("bob", "team: eng, level: mid, coach: ext")})
	var mu sync.Mutex
	var calls []string
	last, lastTotal := 0, 0
	backwards := false
	progress := func(what string) func(done, total int) {
		calls = append(calls, what)
		return func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if done < last {
				backwards = true
			}
			last, lastTotal = done, total
		}
	}
	opts := LoadOptions{Check: Options{Today: today}, Progress: progress}
	if _, _, _, _, err := LoadPlan(headDir, baseDir, "", opts); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(calls, []string{"reading"}) || backwards || last != 11 || lastTotal != 11 {
		t.Errorf("progress lines %q ended at %d of %d (backwards: %v); want one line ending at 11 of 11 files", calls, last, lastTotal, backwards)
	}
	opts.Progress = func(string) func(int, int) { return nil }
	if _, _, _, _, err := LoadPlan(headDir, baseDir, "", opts); err != nil {
		t.Fatal(err)
	}
}
