package importcsv

import (
	"reflect"
	"strings"
	"testing"
)

// fieldsOf is the field of each column, "-" for ignored ones.
func fieldsOf(cols []Column) string {
	var out []string
	for _, c := range cols {
		f := string(c.Field)
		if c.Field == FieldIgnore {
			f = "-"
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func TestDetectColumnsRecognisesHRHeaders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		want   string
	}{
		{"workday style", []string{"Employee ID", "Full Name", "Work Email", "GitHub Username", "Department", "Job Level", "Reports To", "Coach", "Mentors"},
			"name displayName email github department level manager coach mentor"},
		{"real HR export", []string{"Employee ID", "First Name", "Last Name", "Preferred Name", "Work Email", "Manager ID", "Manager Email", "Manager Name",
			"Division", "Department", "Team", "Job Title", "Grade"},
			"name firstName lastName preferredName email manager - - division department team title level"},
		{"case and punctuation", []string{"EMPLOYEE_ID", "display-name", "E-Mail", "github login", "TEAM", "grade", "Manager Email", "coach ", " Mentor"},
			"name displayName email github team level manager coach mentor"},
		{"username is the id", []string{"username", "Name", "email"}, "name displayName email"},
		{"Name alone is the display name", []string{"Name", "Email", "Team", "Level"}, "displayName email team level"},
		{"Name next to Full Name is the id", []string{"Name", "Full Name", "Team"}, "name displayName team"},
		{"Name with both id and full name is ignored", []string{"ID", "Name", "Full Name"}, "name - displayName"},
		{"unknown and empty headers are ignored", []string{"Location", "", "Team"}, "- - team"},
		{"the first column for a field wins", []string{"Manager", "Manager Email", "Team"}, "manager - team"},
		{"duplicated header", []string{"Team", "team"}, "team -"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols, err := detectColumns(tc.header, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := fieldsOf(cols); got != tc.want {
				t.Errorf("fields = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDetectColumnsNotesWhyAColumnIsIgnored(t *testing.T) {
	cols, err := detectColumns([]string{"Manager", "Manager Email", "Office", ""}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, c := range cols {
		notes = append(notes, c.Note)
	}
	want := []string{"", `manager comes from "Manager"`, "not recognised", "empty header"}
	if !reflect.DeepEqual(notes, want) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
}

func TestMapOverridesDetection(t *testing.T) {
	header := []string{"Login", "Org", "Boss", "Manager", "Team"}
	maps, err := ParseMap("login=name, Org=team,BOSS=manager, Team=ignore")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := detectColumns(header, maps)
	if err != nil {
		t.Fatal(err)
	}
	// Manager is recognised, but --map gave manager to Boss.
	if got, want := fieldsOf(cols), "name team manager - -"; got != want {
		t.Errorf("fields = %q, want %q", got, want)
	}
	if cols[0].Note != "--map" {
		t.Errorf("note of a mapped column = %q, want --map", cols[0].Note)
	}
}

func TestParseMap(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []Mapping
		wantErr string
	}{
		{in: "Full Name=displayName", want: []Mapping{{"Full Name", FieldDisplayName}}},
		{in: " Login = NAME ,Notes=ignore,", want: []Mapping{{"Login", FieldName}, {"Notes", FieldIgnore}}},
		{in: "a=b=email", want: []Mapping{{"a=b", FieldEmail}}},
		{in: "Login=nmae", wantErr: `unknown field "nmae" in --map entry "Login=nmae" (did you mean "name"?): use one of name, displayName, firstName, lastName, preferredName, email, github, division, department, team, title, level, manager, coach, mentor, ignore`},
		{in: "Login=boss", wantErr: `unknown field "boss" in --map entry "Login=boss": use one of`},
		{in: "Login", wantErr: `--map entry "Login" has no "="`},
		{in: "=name", wantErr: `--map entry "=name" names no column`},
		{in: "Login=name,login=email", wantErr: `--map names column "login" twice`},
		{in: " , ", wantErr: `holds no entry`},
	} {
		got, err := ParseMap(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseMap(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseMap(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestMapErrorsNameTheColumn(t *testing.T) {
	header := []string{"Employee ID", "Email", "Team"}
	for _, tc := range []struct{ in, wantErr string }{
		{"Emial=email", `--map names column "Emial", which is not in the header (did you mean "Email"?): the columns are "Employee ID", "Email", "Team"`},
		{"Office=team", `--map names column "Office", which is not in the header: the columns are`},
		{"Email=team,Team=team", `--map maps both "Email" and "Team" to team: keep one`},
	} {
		maps, err := ParseMap(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = detectColumns(header, maps)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("--map %q: error = %v, want %q", tc.in, err, tc.wantErr)
		}
	}
}

func TestParseDelimiter(t *testing.T) {
	for in, want := range map[string]rune{"": 0, ",": ',', ";": ';', "tab": '\t', `\t`: '\t', "|": '|'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{";;", `"`, "\n"} {
		if _, err := ParseDelimiter(in); err == nil {
			t.Errorf("ParseDelimiter(%q) accepted it", in)
		}
	}
}

func TestDetectDelimiterReadsTheHeaderLine(t *testing.T) {
	for in, want := range map[string]rune{
		"a,b,c\nx;y;z;w;v\n":       ',',
		"a;b;c\n":                  ';',
		"a\tb\tc":                  '\t',
		"a|b|c\r\n":                '|',
		"\"x;y;z\",b\n":            ',', // quoted delimiters do not count
		"\r\n\r\nName;Team\n":      ';', // leading blank lines are skipped
		"single\n":                 ',',
		"\"multi\nline;;;\",a,b\n": ',',
	} {
		if got := detectDelimiter([]byte(in)); got != want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}
