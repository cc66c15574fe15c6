package importcsv

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/schema"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// importString imports a CSV given as text.
func importString(t *testing.T, csv string, opts Options) *Result {
	t.Helper()
	res, err := Import(strings.NewReader(csv), opts)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

// warnings renders warnings as "LINE: message".
func warnings(res *Result) []string {
	var out []string
	for _, w := range res.Warnings {
		out = append(out, fmt.Sprintf("%d: %s", w.Line, w.Message))
	}
	return out
}

func person(t *testing.T, res *Result, name string) *schema.Person {
	t.Helper()
	for _, p := range res.People {
		if p.Name == name {
			return p
		}
	}
	var names []string
	for _, p := range res.People {
		names = append(names, p.Name)
	}
	t.Fatalf("no person %q among %v", name, names)
	return nil
}

func hasWarning(t *testing.T, res *Result, want string) {
	t.Helper()
	ws := warnings(res)
	if !slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, want) }) {
		t.Errorf("no warning containing %q in:\n%s", want, strings.Join(ws, "\n"))
	}
}

func names(res *Result) string {
	var out []string
	for _, p := range res.People {
		out = append(out, p.Name)
	}
	return strings.Join(out, " ")
}

// TestAwkwardExportGolden imports testdata/awkward.csv (a UTF-8 BOM, CRLF,
// quoted commas, quotes and line breaks, empty rows, unicode names,
// duplicates, ragged rows, a stray quote) and compares the warnings and
// the files with testdata/awkward.golden; -update rewrites it.
func TestAwkwardExportGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/awkward.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFF")) || !bytes.Contains(data, []byte("\r\n")) {
		t.Fatal("testdata/awkward.csv lost its BOM or CRLF line ends: check .gitattributes")
	}
	res, err := Import(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := render(t, res, "hr.csv")
	golden := filepath.Join("testdata", "awkward.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", golden, got)
	}
	// Every row is accounted for: imported or skipped.
	if len(res.People)+res.Skipped() != res.Rows {
		t.Errorf("%d people + %d skipped != %d rows", len(res.People), res.Skipped(), res.Rows)
	}
}

func render(t *testing.T, res *Result, source string) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, c := range res.Columns {
		fmt.Fprintf(&b, "column %q -> %s %s\n", c.Header, c.Field, c.Note)
	}
	for _, w := range warnings(res) {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	files, err := res.Files(source)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		fmt.Fprintf(&b, "=== %s\n%s", f.Path, f.Data)
	}
	return b.Bytes()
}

func TestSameInputGivesIdenticalFiles(t *testing.T) {
	data, err := os.ReadFile("testdata/awkward.csv")
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for range 5 {
		res, err := Import(bytes.NewReader(data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := render(t, res, "hr.csv")
		if first == nil {
			first = got
		} else if !bytes.Equal(first, got) {
			t.Fatal("two imports of the same export differ")
		}
	}
}

func TestWrittenFilesLoadWithoutProblems(t *testing.T) {
	for _, file := range []string{"awkward.csv", "semicolon-1252.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Import(bytes.NewReader(data), Options{Encoding: map[string]string{"semicolon-1252.csv": "windows-1252"}[file]})
		if err != nil {
			t.Fatal(err)
		}
		checkLoads(t, res)
	}
}

// checkLoads renders res and loads it with the project's loader: no
// parse or schema problem, every person and team present, every file
// starting with the modeline.
func checkLoads(t testing.TB, res *Result) {
	t.Helper()
	files, err := res.Files("in.csv")
	if err != nil {
		t.Fatal(err)
	}
	var sf []schema.File
	for _, f := range files {
		if !bytes.HasPrefix(f.Data, []byte("# yaml-language-server: $schema="+schema.SchemaURL+"\n# Imported from in.csv")) {
			t.Errorf("%s does not start with the modeline and the import comment:\n%s", f.Path, f.Data)
		}
		sf = append(sf, schema.File{Path: f.Path, Data: f.Data})
	}
	set := (&schema.Loader{Workers: 1}).LoadFiles(sf, "org")
	for _, p := range set.Problems {
		t.Errorf("%s:%d:%d: %s: %s", p.File, p.Pos.Line, p.Pos.Column, p.Rule, p.Message)
	}
	// Names are unique, and every reference names an imported person:
	// nothing is invented.
	known := map[string]bool{}
	for _, p := range res.People {
		if known[p.Name] {
			t.Errorf("two people are named %s", p.Name)
		}
		known[p.Name] = true
	}
	for _, p := range res.People {
		refs := []string{p.Manager, p.Coach}
		for _, m := range p.Mentors {
			refs = append(refs, m.Person)
		}
		for _, r := range refs {
			if r != "" && !known[r] {
				t.Errorf("%s refers to %s, who was not imported", p.Name, r)
			}
		}
		if strings.Contains(p.DisplayName, "@") && emailAddr.MatchString(p.DisplayName) {
			t.Errorf("%s has an email address as display name", p.Name)
		}
	}
	for _, w := range res.Warnings {
		for _, p := range res.People {
			if p.Email != "" && strings.Contains(w.Message, p.Email) {
				t.Errorf("warning on line %d shows an email address: %s", w.Line, w.Message)
			}
		}
	}
	people, teams := 0, 0
	for _, d := range set.Documents {
		switch {
		case d.Person != nil:
			people++
		case d.Team != nil:
			teams++
		}
	}
	if people != len(res.People) || teams != len(res.Teams) {
		t.Errorf("loaded %d people and %d teams, want %d and %d", people, teams, len(res.People), len(res.Teams))
	}
}

func TestAwkwardCSV(t *testing.T) {
	const header = "ID,Name,Email,Team,Level,Manager\n"
	for _, tc := range []struct {
		name      string
		csv       string
		opts      Options
		wantNames string
		wantWarn  string
		check     func(t *testing.T, res *Result)
	}{
		{name: "UTF-8 BOM before the header", csv: "\uFEFF" + header + "a,Ann,,web,mid,\n", wantNames: "a",
			check: func(t *testing.T, res *Result) {
				if res.Columns[0].Field != FieldName {
					t.Errorf("the BOM hid the first header: %+v", res.Columns[0])
				}
			}},
		{name: "CRLF line ends", csv: strings.ReplaceAll(header+"a,Ann,,web,mid,\nb,Bob,,web,mid,a\n", "\n", "\r\n"), wantNames: "a b",
			check: func(t *testing.T, res *Result) {
				if p := person(t, res, "b"); p.Manager != "a" || p.Level != "mid" {
					t.Errorf("CR left in a cell: %+v", p)
				}
			}},
		{name: "quoted commas, quotes and line breaks keep later lines right",
			csv:       header + "a,\"Doe, \"\"Jo\"\"\nSecond\",,web,mid,\nb,Bob,,web,mid,nobody\n",
			wantNames: "a b", wantWarn: `4: manager of b: "nobody" matches no row: left out`,
			check: func(t *testing.T, res *Result) {
				if got := person(t, res, "a").DisplayName; got != `Doe, "Jo" Second` {
					t.Errorf("displayName = %q", got)
				}
			}},
		{name: "empty rows and rows of empty cells", csv: header + "\n\n,,,,,\na,Ann,,web,mid,\n\n", wantNames: "a",
			check: func(t *testing.T, res *Result) {
				if res.Rows != 1 || len(res.Warnings) != 0 {
					t.Errorf("rows = %d, warnings = %v", res.Rows, warnings(res))
				}
			}},
		{name: "unicode names", csv: header + ",José Ström,,Straße,senior,\n,Олена Коваленко,,web,mid,José Ström\n,王伟,wei@x.example,web,mid,\n",
			wantNames: "jose-strom olena-kovalenko wei",
			check: func(t *testing.T, res *Result) {
				if p := person(t, res, "jose-strom"); p.Team != "strasse" || p.DisplayName != "José Ström" {
					t.Errorf("%+v", p)
				}
				if person(t, res, "olena-kovalenko").Manager != "jose-strom" {
					t.Error("manager by display name not resolved")
				}
			}},
		{name: "same id twice: the second is skipped", csv: header + "a,Ann,,web,mid,\nA,Ann Again,,web,mid,\n",
			wantNames: "a", wantWarn: "3: the same id as line 2 (a): row skipped"},
		{name: "same email twice: the second is skipped, the email not shown", csv: header + "a,Ann,ann@x.example,web,mid,\nb,Bob,ANN@x.example,web,mid,\n",
			wantNames: "a", wantWarn: "3: the same email address as line 2 (a): row skipped"},
		{name: "ragged rows", csv: header + "a,Ann,,web\nb,Bob,,web,mid,a,x,y\nc,Cid,,web,mid\n",
			wantNames: "a b c", wantWarn: "3: 8 cells but the header has 6: the extra cells are ignored",
			check: func(t *testing.T, res *Result) {
				hasWarning(t, res, "2: a has no level: imported without a level")
				if p := person(t, res, "a"); p.Level != "" || p.Team != "web" {
					t.Errorf("%+v", p)
				}
			}},
		{name: "semicolons detected from the header", csv: "ID;Name;Team;Level\na;Doe, Ann;web;mid\n", wantNames: "a",
			check: func(t *testing.T, res *Result) {
				if res.Delimiter != ';' || person(t, res, "a").DisplayName != "Doe, Ann" {
					t.Errorf("delimiter %q, %+v", res.Delimiter, res.People[0])
				}
			}},
		{name: "tabs detected", csv: "ID\tName\tTeam\tLevel\na\tAnn, B\tweb\tmid\n", wantNames: "a"},
		{name: "--delimiter wins over detection", csv: "ID|Name,x|Team|Level\na|Ann,x|web|mid\n", opts: Options{Delimiter: '|'}, wantNames: "a"},
		{name: "a stray quote skips its row only", csv: header + "a,An \"x\" n,,web,mid,\nb,Bob,,web,mid,\n",
			wantNames: "b", wantWarn: `2: malformed row (bare " in non-quoted-field, at column 6); quote the cell, or double the quote inside it: row skipped`},
		{name: "no usable name", csv: header + ",,,web,mid,\n,王,,web,mid,\n,---,,web,mid,\nb,Bob,,web,mid,\n",
			wantNames: "b", wantWarn: "3: no usable name: the id, email and name cells hold no letter or digit: row skipped"},
		{name: "name from the email local part", csv: "Email,Team,Level\njane.doe+hr@x.example,web,mid\n", wantNames: "jane-doe",
			check: func(t *testing.T, res *Result) {
				if p := person(t, res, "jane-doe"); p.DisplayName != "jane-doe" || p.Email != "jane.doe+hr@x.example" {
					t.Errorf("%+v", p)
				}
			}},
		{name: "invalid email and GitHub login are left out", csv: "ID,Email,GitHub,Team,Level\na,not-an-email,@octo-cat,web,mid\nb,b@x.example,bad login,web,mid\n",
			wantNames: "a b", wantWarn: "2: the email cell does not hold one address: email left out",
			check: func(t *testing.T, res *Result) {
				hasWarning(t, res, `3: GitHub login "bad login" is not a valid login: left out`)
				if a := person(t, res, "a"); a.Email != "" || a.GitHub != "octo-cat" {
					t.Errorf("%+v", a)
				}
			}},
		{name: "levels compare ignoring case; others are imported without a level and listed", csv: header + "a,Ann,,web,Senior,\nb,Bob,,web,L5,a\n",
			wantNames: "a b", wantWarn: `3: b has level "L5", which is not in the ladder (intern, junior, mid, senior, staff, principal, executive): imported without a level;`,
			check: func(t *testing.T, res *Result) {
				if a, b := person(t, res, "a"), person(t, res, "b"); a.Level != "senior" || b.Level != "" || b.Manager != "a" {
					t.Errorf("%+v %+v", a, b)
				}
				if len(res.NoLevel) != 1 || res.NoLevel[0].Line != 3 || res.Skipped() != 0 {
					t.Errorf("no level %+v, %d skipped", res.NoLevel, res.Skipped())
				}
			}},
		{name: "--default-level fills unknown levels", csv: header + "a,Ann,,web,L5,\nb,Bob,,web,,\n", opts: Options{DefaultLevel: "MID"},
			wantNames: "a b", wantWarn: `2: a has level "L5", which is not in the ladder (intern, junior, mid, senior, staff, principal, executive): set to mid (--default-level)`},
		{name: "the Policy's ladder", csv: header + "a,Ann,,web,L5,\nb,Bob,,web,senior,\n", opts: Options{Levels: []string{"L4", "L5"}},
			wantNames: "a b", wantWarn: `3: b has level "senior", which is not in the ladder (L4, L5): imported without a level`},
		{name: "no team", csv: header + "a,Ann,,,mid,\nb,Bob,,web,mid,\n", wantNames: "b", wantWarn: "2: a has no team (a Person needs one)"},
		{name: "--default-team", csv: header + "a,Ann,,,mid,\n", opts: Options{DefaultTeam: "Un Assigned"}, wantNames: "a",
			check: func(t *testing.T, res *Result) {
				if person(t, res, "a").Team != "un-assigned" || res.Teams[0].DisplayName != "Un Assigned" {
					t.Errorf("%+v %+v", res.People[0], res.Teams[0])
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := importString(t, tc.csv, tc.opts)
			if got := names(res); got != tc.wantNames {
				t.Errorf("people = %q, want %q; warnings:\n%s", got, tc.wantNames, strings.Join(warnings(res), "\n"))
			}
			if tc.wantWarn != "" {
				hasWarning(t, res, tc.wantWarn)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
			checkLoads(t, res)
		})
	}
}

func TestEncodings(t *testing.T) {
	const text = "Name;E-Mail;Team;Level\nJosé Müller;jose@x.example;Vertrieb;senior\nFrançoise Straße;;Vertrieb;mid\n"
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("windows-1252 without --encoding says what to do", func(t *testing.T) {
		_, err := Import(strings.NewReader(cp1252), Options{})
		if err == nil || err.Error() != "line 2 is not valid UTF-8: if the file was saved by Excel on Windows, run again with --encoding windows-1252" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("windows-1252", func(t *testing.T) {
		res := importString(t, cp1252, Options{Encoding: "windows-1252"})
		if got := names(res); got != "jose francoise-strasse" || person(t, res, "francoise-strasse").DisplayName != "Françoise Straße" {
			t.Errorf("people = %q (%+v)", got, res.People)
		}
	})
	t.Run("UTF-16 with a BOM", func(t *testing.T) {
		u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ";", "\t"))
		if err != nil {
			t.Fatal(err)
		}
		res := importString(t, u16, Options{})
		if res.Delimiter != '\t' || person(t, res, "jose").DisplayName != "José Müller" {
			t.Errorf("delimiter %q, people %+v", res.Delimiter, res.People)
		}
	})
	t.Run("unknown encoding", func(t *testing.T) {
		_, err := Import(strings.NewReader(text), Options{Encoding: "ebcdic"})
		if err == nil || !strings.Contains(err.Error(), `unknown encoding "ebcdic": use utf-8 or windows-1252`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCollisionsAreNumberedInFileOrder(t *testing.T) {
	res := importString(t, "ID,Name,Team,Level\n"+
		"jane.doe,Jane Doe,web,mid\n"+ // line 2: jane-doe
		"Jane_Doe,Jane D.,web,mid\n"+ // line 3: jane-doe-3 (jane-doe-2 belongs to line 5)
		"jane doe,Jane E.,web,mid\n"+ // line 4: jane-doe-4
		"jane-doe-2,Jane Two,web,mid\n", Options{}) // line 5 keeps its own name
	if got, want := names(res), "jane-doe jane-doe-3 jane-doe-4 jane-doe-2"; got != want {
		t.Errorf("names = %q, want %q", got, want)
	}
	hasWarning(t, res, "3: lines 2 and 3 both become jane-doe; line 3 is jane-doe-3")
	hasWarning(t, res, "4: lines 2 and 4 both become jane-doe; line 4 is jane-doe-4")
}

func TestReferencesResolve(t *testing.T) {
	res := importString(t, "ID,Name,Email,Team,Level,Manager,Coach,Mentors\n"+
		"ceo,Olena Kovalenko,olena@x.example,exec,executive,,,\n"+ // 2
		"cto,Taras Bondarenko,taras@x.example,eng,staff,OLENA@x.example,\"Kovalenko, Olena\",ceo (strategy); Olena Kovalenko\n"+ // 3
		"dev,Dev One,,eng,mid,CTO,ghost@x.example,Taras Bondarenko (Go) | nobody\n"+ // 4
		"dup1,Sam Same,,eng,mid,dev,dup1,\n"+ // 5
		"dup2,Sam Same,,eng,mid,Sam Same,,\n"+ // 6
		"bad,Bad Level,,eng,wizard,,,\n"+ // 7
		"x,X,,eng,mid,Bad Level,,\n", Options{}) // 8
	cto := person(t, res, "cto")
	if cto.Manager != "ceo" || cto.Coach != "ceo" {
		t.Errorf("by email and by Last, First: %+v", cto)
	}
	if want := []schema.Mentor{{Person: "ceo", Domain: "strategy"}, {Person: "ceo", Domain: "general"}}; !slices.EqualFunc(cto.Mentors, want, func(a, b schema.Mentor) bool {
		return a.Person == b.Person && a.Domain == b.Domain
	}) {
		t.Errorf("mentors = %+v, want %+v", cto.Mentors, want)
	}
	dev := person(t, res, "dev")
	if dev.Manager != "cto" || dev.Coach != "" || len(dev.Mentors) != 1 || dev.Mentors[0] != (schema.Mentor{Person: "cto", Domain: "go"}) {
		t.Errorf("dev = %+v", dev)
	}
	hasWarning(t, res, `4: coach of dev: (an email address) matches no row: left out`)
	hasWarning(t, res, `4: mentor of dev: "nobody" matches no row: left out`)
	hasWarning(t, res, `5: dup1 is their own coach: left out`)
	hasWarning(t, res, `6: manager of dup2: "Sam Same" matches more than one row (lines 5, 6): left out`)
	// A level the ladder lacks drops neither the row nor the manager line.
	hasWarning(t, res, `7: bad has level "wizard", which is not in the ladder`)
	if x := person(t, res, "x"); x.Manager != "bad" {
		t.Errorf("x's manager %q, want bad (imported without a level)", x.Manager)
	}
	hasWarning(t, res, `3: mentor ceo of cto has no domain`)
	for _, w := range warnings(res) {
		if strings.Contains(w, "@") {
			t.Errorf("a warning shows an email address: %s", w)
		}
	}
}

func TestEmailsNeverReachWarningsOrDisplayNames(t *testing.T) {
	res := importString(t, "Username,Full Name,GitHub,Team,Level,Manager\n"+
		"ann@x.example,,ann@x.example,web,Lead ann@x.example,\n"+ // 2: no level: the level cell is an address
		"bob@x.example,bob@x.example,,web,mid,\n"+ // 3: the name cell is an address
		"BOB@x.example,Bob Two,,web,mid,\n"+ // 4: the same id as line 3
		"cy@x.example,Cy,,web,mid,ann@x.example\n", Options{}) // 5: manager by email
	if got := names(res); got != "ann bob cy" {
		t.Errorf("people = %q", got)
	}
	if bob := person(t, res, "bob"); bob.DisplayName != "bob" {
		t.Errorf("bob's displayName = %q, want the name made from the id", bob.DisplayName)
	}
	hasWarning(t, res, "3: the name cell holds an email address: not used as the display name")
	hasWarning(t, res, "4: the same id as line 3 (bob): row skipped")
	hasWarning(t, res, "2: ann has level (an email address), which is not in the ladder")
	if cy := person(t, res, "cy"); cy.Manager != "ann" {
		t.Errorf("cy's manager %q, want ann", cy.Manager)
	}
	for _, w := range warnings(res) {
		if strings.Contains(w, "@") {
			t.Errorf("a warning shows an email address: %s", w)
		}
	}
}

func TestTeamManagerOnlyWhenPlain(t *testing.T) {
	res := importString(t, "ID,Team,Level,Manager\n"+
		"boss,eng,staff,ceo\nceo,exec,executive,\n"+
		"a,eng,mid,boss\nb,eng,mid,boss\n"+ // eng: boss manages 2 of 3
		"c,ops,mid,boss\nd,ops,mid,ceo\n"+ // ops: no majority
		"e,solo,mid,boss\n", Options{}) // one member says little
	got := map[string]string{}
	for _, tm := range res.Teams {
		got[tm.Name] = tm.Manager
	}
	want := map[string]string{"eng": "boss", "exec": "", "ops": "", "solo": ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("team managers = %v, want %v", got, want)
	}
}

func TestNothingImportable(t *testing.T) {
	for _, tc := range []struct{ name, csv, want string }{
		{"empty file", "", "the export holds no header and no rows"},
		{"only a BOM and blank lines", "\uFEFF\r\n\r\n", "the export holds no header and no rows"},
		{"header only", "ID,Team,Level\n", "nothing could be imported: 0 rows read"},
		{"no name column", "Office,Team\nx,y\n", `no column holds an id, email or name (the header is "Office", "Team"): name one with --map "Column=name"`},
		{"every row skipped", "ID,Team,Level\na,,mid\n", "nothing could be imported: 1 rows read, none usable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Import(strings.NewReader(tc.csv), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(tc.want, "nothing could be imported") && (!errors.Is(err, ErrNothingImported) || res == nil) {
				t.Errorf("want ErrNothingImported with the result, got %v, %v", err, res)
			}
		})
	}
	_, err := Import(strings.NewReader("ID,Team,Level\na,web,mid\n"), Options{DefaultLevel: "seinor"})
	if err == nil || !strings.Contains(err.Error(), `--default-level "seinor" is not in the level ladder (did you mean "senior"?)`) {
		t.Errorf("err = %v", err)
	}
}

// FuzzImport feeds arbitrary bytes to Import: it never panics, and what
// it writes always loads without a parse or schema problem.
func FuzzImport(f *testing.F) {
	for _, s := range []string{
		"ID,Name,Email,GitHub,Team,Level,Manager,Coach,Mentors\na,Ann,a@x.example,ann,web,mid,b,b,b (go)\nb,Bob,,,web,senior,,,\n",
		"\uFEFFName;Team;Level\n\"Doe, \"\"J\"\"\";Straße;mid\r\n;;\r\n",
		"Email,Team,Level\n@,-,mid\nx@y,\u00e9,Mid\n",
	} {
		f.Add([]byte(s))
	}
	if data, err := os.ReadFile("testdata/awkward.csv"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import(bytes.NewReader(data), Options{DefaultTeam: "misc"})
		if err != nil {
			return
		}
		if len(res.People)+res.Skipped() != res.Rows {
			t.Errorf("%d people + %d skipped != %d rows", len(res.People), res.Skipped(), res.Rows)
		}
		checkLoads(t, res)
	})
}
