package importcsv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// Field is what a column holds, as named in --map.
type Field string

// The fields a column can map to.
const (
	FieldName          Field = "name"          // the person's id: a label, and the name when it is not a code
	FieldDisplayName   Field = "displayName"   // the person's full name
	FieldFirstName     Field = "firstName"     // with lastName, the full name when there is none
	FieldLastName      Field = "lastName"      //
	FieldPreferredName Field = "preferredName" // used instead of firstName
	FieldEmail         Field = "email"
	FieldGitHub        Field = "github"
	FieldDivision      Field = "division"   // the top team
	FieldDepartment    Field = "department" // a team, below the division
	FieldTeam          Field = "team"       // a team, below the department
	FieldTitle         Field = "title"      // the job title: the level, through Policy.spec.titles, when no level is given
	FieldLevel         Field = "level"
	FieldManager       Field = "manager" // id, email or name of another row
	FieldCoach         Field = "coach"
	FieldMentor        Field = "mentor" // one or more, separated by ; | or newlines
	FieldIgnore        Field = "ignore"
)

// Fields lists every field --map accepts, in the order they are shown.
var Fields = []Field{FieldName, FieldDisplayName, FieldFirstName, FieldLastName, FieldPreferredName, FieldEmail, FieldGitHub,
	FieldDivision, FieldDepartment, FieldTeam, FieldTitle, FieldLevel, FieldManager, FieldCoach, FieldMentor, FieldIgnore}

// headers maps a header cell, compared by key (folded, letters and digits
// only), to the field it usually holds in HR exports. "name" is special:
// see detectColumns.
var headers = map[string]Field{}

func init() {
	for f, hs := range map[Field][]string{
		FieldName: {"employee id", "employee number", "employee no", "employee code", "id", "user id", "worker id",
			"username", "user name", "user", "login", "uid", "staff id", "person id", "handle"},
		FieldDisplayName:   {"full name", "display name", "employee name", "legal name", "person", "employee", "worker", "name full"},
		FieldFirstName:     {"first name", "given name", "forename", "legal first name", "name first"},
		FieldLastName:      {"last name", "surname", "family name", "legal last name", "name last"},
		FieldPreferredName: {"preferred name", "preferred first name", "known as", "nickname"},
		FieldEmail:         {"email", "work email", "email address", "work email address", "mail", "business email", "company email", "e-mail"},
		FieldGitHub:        {"github", "github login", "github username", "github user", "github handle", "github account", "gh"},
		FieldDivision:      {"division", "division name", "business unit", "org", "organisation", "organization"},
		FieldDepartment:    {"department", "dept", "department name", "org unit", "organisation unit", "organization unit"},
		FieldTeam:          {"team", "team name", "squad", "group", "sub department", "subdepartment"},
		FieldTitle:         {"job title", "title", "position", "position title", "job", "role", "business title"},
		FieldLevel:         {"level", "grade", "job level", "job grade", "career level", "seniority", "band", "pay grade"},
		FieldManager: {"manager", "manager email", "manager id", "manager name", "manager employee id", "manager work email",
			"reports to", "reports to id", "reports to email", "line manager", "supervisor", "supervisor id", "supervisor email",
			"direct manager", "manager username"},
		FieldCoach:  {"coach", "coach email", "coach id", "coach name"},
		FieldMentor: {"mentor", "mentors", "mentor email", "mentor id", "mentor name"},
	} {
		for _, h := range hs {
			headers[key(h)] = f
		}
	}
}

// Column is one column of the header and what it was mapped to.
type Column struct {
	Header string
	Index  int
	Field  Field // FieldIgnore when the column is not used
	// Note says why a column is ignored or how it was chosen (by --map).
	Note string
}

// Mapping is one "Column Header=field" entry of --map.
type Mapping struct {
	Column string
	Field  Field
}

// ParseMap reads --map: "Column Header=field,..." where field is one of
// Fields (compared case-insensitively). A header that itself holds "=" is
// split at the last one.
func ParseMap(s string) ([]Mapping, error) {
	var out []Mapping
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.LastIndex(part, "=")
		if i < 0 {
			return nil, fmt.Errorf("--map entry %q has no \"=\": write it as \"Column Header=field\"", part)
		}
		col, name := strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+1:])
		if col == "" {
			return nil, fmt.Errorf("--map entry %q names no column: write it as \"Column Header=field\"", part)
		}
		f, ok := parseField(name)
		if !ok {
			msg := fmt.Sprintf("unknown field %q in --map entry %q", name, part)
			if s := schema.Suggest(name, fieldNames()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s: use one of %s", msg, strings.Join(fieldNames(), ", "))
		}
		if seen[key(col)] {
			return nil, fmt.Errorf("--map names column %q twice: keep one entry", col)
		}
		seen[key(col)] = true
		out = append(out, Mapping{Column: col, Field: f})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--map %q holds no entry: write \"Column Header=field,...\"", s)
	}
	return out, nil
}

func parseField(s string) (Field, bool) {
	for _, f := range Fields {
		if strings.EqualFold(string(f), s) {
			return f, true
		}
	}
	return "", false
}

func fieldNames() []string {
	out := make([]string, len(Fields))
	for i, f := range Fields {
		out[i] = string(f)
	}
	return out
}

// detectColumns maps each header cell to a field: --map first, then the
// usual HR headers. A field is taken by the first column that claims it;
// later ones are ignored with a note. A column headed "Name" is the
// display name, unless another column (Full Name, Display Name...) holds
// that, in which case "Name" is the id.
func detectColumns(header []string, maps []Mapping) ([]Column, error) {
	cols := make([]Column, len(header))
	byKey := map[string]int{}
	for i, h := range header {
		cols[i] = Column{Header: h, Index: i, Field: FieldIgnore}
		if k := key(h); k != "" {
			if _, dup := byKey[k]; !dup {
				byKey[k] = i
			}
		}
	}
	taken := map[Field]int{}
	explicit := map[int]bool{}
	for _, m := range maps {
		i, ok := byKey[key(m.Column)]
		if !ok {
			var names []string
			for _, h := range header {
				if strings.TrimSpace(h) != "" {
					names = append(names, h)
				}
			}
			msg := fmt.Sprintf("--map names column %q, which is not in the header", m.Column)
			if s := suggestColumn(m.Column, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s: the columns are %s", msg, quoteList(names))
		}
		if m.Field != FieldIgnore {
			if j, dup := taken[m.Field]; dup {
				return nil, fmt.Errorf("--map maps both %q and %q to %s: keep one", header[j], header[i], m.Field)
			}
			taken[m.Field] = i
		}
		cols[i].Field, cols[i].Note = m.Field, "--map"
		explicit[i] = true
	}
	// Two passes: a column headed "Name" takes what the others left,
	// the display name first, else the id.
	for pass := 0; pass < 2; pass++ {
		for i, h := range header {
			k := key(h)
			if explicit[i] || (k == "name") != (pass == 1) {
				continue
			}
			f, ok := headers[k]
			if k == "name" {
				f, ok = FieldDisplayName, true
				if _, dup := taken[f]; dup {
					f = FieldName
				}
			}
			if !ok {
				if k == "" {
					cols[i].Note = "empty header"
				} else {
					cols[i].Note = "not recognised"
				}
				continue
			}
			if j, dup := taken[f]; dup {
				cols[i].Note = fmt.Sprintf("%s comes from %q", f, header[j])
				continue
			}
			taken[f] = i
			cols[i].Field = f
		}
	}
	return cols, nil
}

// suggestColumn is the header closest to a mistyped column: the whole
// header, else one that has a close word ("Emial" → "Work Email").
func suggestColumn(col string, headers []string) string {
	if s := schema.Suggest(col, headers); s != "" {
		return s
	}
	for _, h := range headers {
		if schema.Suggest(col, strings.Fields(h)) != "" {
			return h
		}
	}
	return ""
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// index returns the column index of each mapped field.
func index(cols []Column) map[Field]int {
	out := map[Field]int{}
	for _, c := range cols {
		if c.Field != FieldIgnore {
			out[c.Field] = c.Index
		}
	}
	return out
}

// hasAny reports whether any of fs is mapped.
func hasAny(idx map[Field]int, fs ...Field) bool {
	return slices.ContainsFunc(fs, func(f Field) bool { _, ok := idx[f]; return ok })
}
