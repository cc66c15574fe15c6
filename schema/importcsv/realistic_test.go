package importcsv

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// realistic imports testdata/realistic.csv, an export as an HR system
// writes it: numeric employee ids, first/last/preferred names, manager
// ids, division/department/team, job titles instead of levels, a CEO
// inside a department next to the chief of staff who reports to them, a
// division with no direct members, a span of twelve, and two departments
// called Platform.
func realistic(t *testing.T) (*Result, *schema.Set, [][]string) {
	t.Helper()
	data, err := os.ReadFile("testdata/realistic.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(strings.NewReader(string(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := res.Files("realistic.csv")
	if err != nil {
		t.Fatal(err)
	}
	var in []schema.File
	for _, f := range files {
		in = append(in, schema.File{Path: f.Path, Data: f.Data})
	}
	set := (&schema.Loader{}).LoadFiles(in, "")
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return res, set, rows
}

// Every row is imported, and the org that comes out has the export's
// managers as its effective managers, everyone: no manager dropped, none
// invented by a team default, and so no cycle.
func TestRealisticExportKeepsTheManagementLine(t *testing.T) {
	res, set, rows := realistic(t)
	if res.Skipped() != 0 || len(res.People) != len(rows)-1 {
		t.Fatalf("%d people from %d rows, %d skipped:\n%s", len(res.People), len(rows)-1, res.Skipped(), strings.Join(warnings(res), "\n"))
	}
	if len(set.Problems) > 0 {
		t.Fatalf("the files do not load: %+v", set.Problems)
	}
	nameOf := map[string]string{} // employee id → orgctl name
	for i, p := range res.People {
		nameOf[rows[i+1][0]] = p.Name
		if p.Labels[IDLabel] != rows[i+1][0] {
			t.Errorf("%s: employee-id label %q, want %q", p.Name, p.Labels[IDLabel], rows[i+1][0])
		}
		if strings.Trim(p.Name, "0123456789-") == "" {
			t.Errorf("a numeric name: %s", p.Name)
		}
	}
	org := reconcile.Build(set)
	for i, p := range res.People {
		want := nameOf[rows[i+1][5]]
		got := org.Manager(p.Name)
		if got.Name != want || (want != "") != got.Known() {
			t.Errorf("%s: effective manager %q (known %v), want %q", p.Name, got.Name, got.Known(), want)
		}
	}
	result := org.Check(set, reconcile.Options{Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	for _, f := range result.Findings {
		switch f.Rule {
		case "management-cycle", "self-reference", "unknown-reference", "duplicate-name", "parse", "schema":
			t.Errorf("the import made a %s finding: %s", f.Rule, f.Message)
		}
	}
	if ceo := person(t, res, "maggie-okafor"); ceo.Manager != "" || ceo.DisplayName != "Maggie Okafor" || ceo.Team != "office-of-the-ceo" {
		t.Errorf("the CEO: %+v", ceo)
	}
}

func TestRealisticExportTeamsNest(t *testing.T) {
	res, _, _ := realistic(t)
	got := map[string]string{}
	for _, tm := range res.Teams {
		got[tm.Name] = tm.Parent + " | " + tm.Manager
	}
	want := map[string]string{
		"executive":            " | ",
		"office-of-the-ceo":    "executive | ", // the chief of staff manages most, but the CEO would inherit that
		"technology":           " | ",          // no direct members, still a team
		"office-of-the-cto":    "technology | ",
		"platform":             "technology | ",
		"runtime":              "platform | ravi-iyer",
		"developer-experience": "platform | ",
		"data":                 "technology | ingrid-larsen",
		"go-to-market":         " | ",
		"sales":                "go-to-market | ",
		"emea":                 "sales | sarah-miller",
		"people":               " | ",
		"people-operations":    "people | ",
		"people-platform":      "people | ", // a second department called Platform
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("team %s: %q, want %q", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("teams %v, want %d", got, len(want))
	}
	if p := person(t, res, "aisha-khan"); p.Team != "people-platform" {
		t.Errorf("aisha's team %q", p.Team)
	}
}

func TestRealisticExportLevelsFromTitles(t *testing.T) {
	res, _, _ := realistic(t)
	for name, want := range map[string]string{
		"maggie-okafor":  "executive", // Chief Executive Officer
		"jonas-weber":    "staff",     // Chief of Staff: not a chief
		"amara-diallo":   "mid",       // Executive Assistant
		"lena-fischer":   "principal", // Director of Engineering
		"ravi-iyer":      "senior",    // Engineering Manager
		"noah-schmidt":   "senior",    // Senior Software Engineer
		"sofia-hoffmann": "staff",     // Staff Engineer
		"luca-schulz":    "mid",       // Software Engineer II
		"emma-koch":      "junior",    // Junior Developer
		"ben-richter":    "intern",    // Software Engineer Intern
		"felix-neumann":  "principal", // Principal Engineer
		"sarah-miller":   "executive", // VP Sales
		"julie-martin":   "senior",    // Senior Account Executive
		"ana-costa":      "",          // Wizard of Light Bulb Moments
	} {
		if got := person(t, res, name).Level; got != want {
			t.Errorf("%s: level %q, want %q", name, got, want)
		}
	}
	if len(res.NoLevel) != 1 || !strings.Contains(res.NoLevel[0].Message, `the title "Wizard of Light Bulb Moments" matches no pattern`) {
		t.Errorf("listed without a level: %+v", res.NoLevel)
	}
}

// The Policy's titles replace the built-in mapping, tried in the order
// written; a bad pattern is an error naming it.
func TestPolicyTitles(t *testing.T) {
	csv := "ID,Team,Job Title\nann,web,Wizard\nbob,web,Senior Wizard\ncy,web,Engineer\n"
	titles := []schema.TitleLevel{{Level: "staff", Patterns: []string{`^senior wizard$`}}, {Level: "mid", Patterns: []string{`wizard`}}}
	res := importString(t, csv, Options{Titles: titles})
	var got []string
	for _, p := range res.People {
		got = append(got, p.Name+"="+p.Level)
	}
	if want := []string{"ann=mid", "bob=staff", "cy="}; !slices.Equal(got, want) {
		t.Errorf("levels %v, want %v", got, want)
	}
	_, err := Import(strings.NewReader(csv), Options{Titles: []schema.TitleLevel{{Level: "mid", Patterns: []string{"(unclosed"}}}})
	if err == nil || !strings.Contains(err.Error(), `Policy.spec.titles.mid: pattern "(unclosed" is not a regular expression`) {
		t.Errorf("err %v", err)
	}
}

// Names come from the names or the email, never from a numeric or coded
// id, which stays as a label.
func TestNamesNeverFromNumericIDs(t *testing.T) {
	res := importString(t, "Employee ID,First Name,Last Name,Preferred Name,Work Email,Department,Level\n"+
		"00042,Robert,Smith,Bob,,web,mid\n"+
		"E-1093,Ann,Lee,,ann.lee@x.example,web,mid\n"+
		"jdoe,Jane,Doe,,jane@x.example,web,mid\n"+
		"77,,,,,web,mid\n", Options{})
	var got []string
	for _, p := range res.People {
		got = append(got, p.Name+" "+p.DisplayName+" "+p.Labels[IDLabel])
	}
	if want := []string{"bob-smith Bob Smith 00042", "ann-lee Ann Lee E-1093", "jdoe Jane Doe "}; !slices.Equal(got, want) {
		t.Errorf("people %q, want %q", got, want)
	}
	hasWarning(t, res, `5: no usable name: the email and name cells hold no letter or digit, and the id "77" is a number or code`)
}
