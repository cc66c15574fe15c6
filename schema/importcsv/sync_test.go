package importcsv

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// importFile imports a testdata export into files by path.
func importFile(t *testing.T, name string) (*Result, map[string][]byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(strings.NewReader(string(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := res.Files(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return res, out
}

func loadOrg(t *testing.T, files map[string][]byte) *schema.Set {
	t.Helper()
	var in []schema.File
	for _, p := range slices.Sorted(mapsKeys(files)) {
		in = append(in, schema.File{Path: p, Data: files[p]})
	}
	set := (&schema.Loader{}).LoadFiles(in, "org")
	if len(set.Problems) > 0 {
		t.Fatalf("problems: %+v", set.Problems)
	}
	return set
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func syncWith(t *testing.T, files map[string][]byte, export string) (*SyncPlan, map[string][]byte) {
	t.Helper()
	org := loadOrg(t, files)
	res, _ := importFile(t, export)
	plan, err := res.Sync(org, export, func(file string) ([]byte, error) {
		return files[strings.TrimPrefix(file, "org/")], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := map[string][]byte{}
	for k, v := range files {
		after[k] = v
	}
	for _, f := range plan.Files {
		after[f.Path] = f.Data
	}
	return plan, after
}

// A later export updates the org in place: a joiner added, a leaver
// departed (kept), a promotion, a move with a new manager, a new team; the
// lines a person wrote (a comment, a coach, mentors) stay byte for byte,
// and only the lines of HR fields change.
func TestSyncUpdatesInPlaceAndKeepsHandWrittenLines(t *testing.T) {
	_, files := importFile(t, "realistic.csv")
	// What people add after the first import.
	runtime := string(files["people/runtime.yaml"])
	runtime = strings.Replace(runtime, "  name: mia-wagner\n", "  name: mia-wagner # joined from the acquisition\n", 1)
	runtime = strings.Replace(runtime, "  manager: ravi-iyer\n", "  manager: ravi-iyer\n  coach: 'lena-fischer'   # agreed in the 1:1\n  mentors:\n    - {person: yuki-tanaka, domain: go}\n", 1)
	files["people/runtime.yaml"] = []byte(runtime)

	plan, after := syncWith(t, files, "realistic-later.csv")
	var changes []string
	for _, c := range plan.Changes {
		changes = append(changes, fmt.Sprintf("%s %s %s %s: %s", c.Action, c.Kind, c.Name, c.File, c.Detail))
	}
	want := []string{
		"change person mia-wagner people/runtime.yaml: level: mid → senior",
		"change person omar-haddad people/developer-experience.yaml: team: developer-experience → platform, manager: yuki-tanaka → lena-fischer",
		"depart person ana-costa people/data.yaml: ",
		"add team security teams.yaml: ",
		"add person zara-ahmed people/runtime.yaml: ",
		"add person kenji-sato people/security.yaml: ",
	}
	if !slices.Equal(changes, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(changes, "\n"), strings.Join(want, "\n"))
	}
	// Byte for byte: every line of the old runtime.yaml is still there, in
	// order, and the only changed line is mia's level.
	oldLines := strings.Split(strings.TrimSuffix(runtime, "\n"), "\n") // the joiner is appended after them
	newLines := strings.Split(string(after["people/runtime.yaml"]), "\n")
	changed := 0
	for i := range oldLines {
		if i < len(newLines) && oldLines[i] != newLines[i] {
			changed++
			if oldLines[i] != "  level: mid" || newLines[i] != "  level: senior" {
				t.Errorf("line %d changed: %q → %q", i+1, oldLines[i], newLines[i])
			}
		}
	}
	if changed != 1 {
		t.Errorf("%d lines of runtime.yaml changed, want 1 (mia's level)", changed)
	}
	for _, keep := range []string{"  name: mia-wagner # joined from the acquisition\n", "  coach: 'lena-fischer'   # agreed in the 1:1\n", "    - {person: yuki-tanaka, domain: go}\n"} {
		if !strings.Contains(string(after["people/runtime.yaml"]), keep) {
			t.Errorf("hand-written line lost: %q", keep)
		}
	}
	// The synced org: the leaver departed, the joiners in, the effective
	// managers those of the new export, no new error beyond missing coaches.
	set := loadOrg(t, after)
	org := reconcile.Build(set)
	if p := org.Person("ana-costa"); p == nil || p.Status != schema.StatusDeparted {
		t.Errorf("ana-costa: %+v", p)
	}
	for name, manager := range map[string]string{"zara-ahmed": "ravi-iyer", "kenji-sato": "piotr-nowak", "omar-haddad": "lena-fischer", "maggie-okafor": ""} {
		if got := org.Manager(name); got.Name != manager {
			t.Errorf("%s: effective manager %q, want %q", name, got.Name, manager)
		}
	}
	if tm := org.Team("security"); tm == nil || tm.Parent != "technology" {
		t.Errorf("team security: %+v", tm)
	}
	for _, f := range reconcile.Check(set, reconcile.Options{}).Findings {
		switch f.Rule {
		case "management-cycle", "unknown-reference", "duplicate-name", "self-reference":
			t.Errorf("after the sync: %s: %s", f.Rule, f.Message)
		}
	}
	// Syncing the same export again changes nothing.
	again, _ := syncWith(t, after, "realistic-later.csv")
	if len(again.Files) != 0 || len(again.Changes) != 0 {
		t.Errorf("a second sync changes %d files: %+v", len(again.Files), again.Changes)
	}
	for _, f := range plan.Files {
		if path.Ext(f.Path) != ".yaml" {
			t.Errorf("file %s", f.Path)
		}
	}
}

// A sync never removes a line, so when a team the org already has would
// give someone the export leaves without a manager (a new CEO, here) a
// manager, it says so instead of inventing one silently.
func TestSyncNotesAnInheritedManager(t *testing.T) {
	files := map[string][]byte{
		"teams.yaml":       []byte("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: exec}\nspec: {displayName: Exec, manager: old-ceo}\n"),
		"people/exec.yaml": []byte("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: old-ceo}\nspec: {displayName: Old CEO, team: exec, level: executive}\n"),
	}
	org := loadOrg(t, files)
	res := importString(t, "ID,Team,Level,Manager\nnew-ceo,exec,executive,\nold-ceo,exec,executive,new-ceo\n", Options{})
	plan, err := res.Sync(org, "hr.csv", func(file string) ([]byte, error) { return files[strings.TrimPrefix(file, "org/")], nil })
	if err != nil {
		t.Fatal(err)
	}
	want := "new-ceo: the export gives them no manager, but team exec makes old-ceo their manager: remove that team's manager, or set new-ceo's manager by hand"
	if !slices.Contains(plan.Notes, want) {
		t.Errorf("notes %q, want %q", plan.Notes, want)
	}
}

// A joiner's coach and mentor pairings start the day the sync adds them
// (Result.Today); a first import dates nothing, since those pairings may
// be years old, and a matched person's pairings are never touched.
func TestSyncDatesAJoinersPairings(t *testing.T) {
	files := map[string][]byte{
		"teams.yaml":      []byte("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: eng}\nspec: {displayName: Eng, manager: boss}\n"),
		"people/eng.yaml": []byte("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: boss}\nspec: {displayName: Boss, team: eng, level: executive, coach: ext}\n"),
	}
	org := loadOrg(t, files)
	csv := "ID,Name,Team,Level,Manager,Coach,Mentor\nboss,Boss,eng,executive,,ext,\nnew-hire,New Hire,eng,junior,boss,boss,boss\n"
	first := importString(t, csv, Options{})
	for _, p := range first.People {
		if p.Lifecycle().CoachSince != "" || len(p.Mentors) > 0 && p.Mentors[0].Since != "" {
			t.Errorf("a first import dated %s's pairings: coachSince %q, mentors %+v", p.Name, p.Lifecycle().CoachSince, p.Mentors)
		}
	}
	res := importString(t, csv, Options{})
	res.Today = time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	plan, err := res.Sync(org, "hr.csv", func(file string) ([]byte, error) { return files[strings.TrimPrefix(file, "org/")], nil })
	if err != nil {
		t.Fatal(err)
	}
	var eng string
	for _, f := range plan.Files {
		if f.Path == "people/eng.yaml" {
			eng = string(f.Data)
		}
	}
	before, joiner, ok := strings.Cut(eng, "---\n")
	if !ok {
		t.Fatalf("the joiner was not appended:\n%s", eng)
	}
	if before != string(files["people/eng.yaml"]) {
		t.Errorf("boss's document changed:\n%s", before)
	}
	for _, want := range []string{"coach: boss\n", "coachSince: \"2026-12-04\"\n", "since: \"2026-12-04\"\n"} {
		if !strings.Contains(joiner, want) {
			t.Errorf("the joiner's document lacks %q:\n%s", want, joiner)
		}
	}
}
