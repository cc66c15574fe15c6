// Package importcsv turns an HR export (CSV) into orgctl documents: one
// Person per row, one Team per team, with names normalised to DNS-1123
// labels and manager, coach and mentor cells resolved to those names.
// Rows that cannot be imported are skipped and reported with the physical
// line they start on; nothing is invented to fill a gap. Email addresses
// are imported but never appear in a warning.
package importcsv

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/orgctl/orgctl/schema"
)

// Options control an import. The zero value reads UTF-8 with the
// delimiter detected, the usual headers and schema.DefaultLevels.
type Options struct {
	// Map overrides the detected columns (see ParseMap).
	Map []Mapping
	// Delimiter between cells; 0 detects it from the header line.
	Delimiter rune
	// Encoding is "" or "utf-8" (UTF-16 with a BOM is detected), or
	// "windows-1252".
	Encoding string
	// Levels is the ladder levels must belong to; nil: schema.DefaultLevels.
	Levels []string
	// DefaultLevel, when set, is used for rows whose level is empty or
	// not in the ladder (reported); otherwise such rows are skipped,
	// since a Person needs a level.
	DefaultLevel string
	// DefaultTeam, when set, is used for rows with no team; otherwise
	// such rows are skipped, since a Person needs a team.
	DefaultTeam string
	// Titles map job titles to levels for rows without a usable level
	// (Policy.spec.titles); nil: DefaultTitles.
	Titles []schema.TitleLevel
}

// IDLabel is the metadata label that keeps a row's employee id when the
// name is not the id itself: names come from the id only when it is a
// login, else from the email or the names, never from a numeric id, and
// the id is what a later export is matched by.
const IDLabel = "employee-id"

// Warning is something the import could not take as it was: a skipped
// row, a cell left out, a renamed person. Line is the physical line of
// the export the row starts on.
type Warning struct {
	Line    int
	Message string
	// Skipped is true when the whole row was not imported.
	Skipped bool
}

// Result is what an import produced.
type Result struct {
	Columns   []Column
	Delimiter rune
	// People in the order of the export.
	People []*schema.Person
	// Teams sorted by name.
	Teams []*schema.Team
	// Warnings sorted by line.
	Warnings []Warning
	// Rows is the number of data rows read (empty rows not counted).
	Rows int
	// NoLevel lists the people imported without a level (neither the
	// level cell nor the title gave one), with their line.
	NoLevel []Warning
	// Today is the day Sync dates a joiner's coach and mentor pairings
	// from (coachSince, mentors[].since): the pairing enters the org on the
	// day the joiner does. Zero means the current day. A first import
	// dates nothing: those pairings may be years old, and orgctl does not
	// invent their start.
	Today time.Time
}

// Skipped is the number of rows that were not imported.
func (r *Result) Skipped() int {
	n := 0
	for _, w := range r.Warnings {
		if w.Skipped {
			n++
		}
	}
	return n
}

// ErrNothingImported is returned (wrapped, with the Result) when no row
// could be imported.
var ErrNothingImported = errors.New("nothing could be imported")

// DefaultMentorDomain is the domain of a mentor whose cell names none: a
// mentoring pairing always has a domain in orgctl, and an HR export
// rarely records it. Each use is reported.
const DefaultMentorDomain = "general"

var (
	githubLogin = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9])*$`)
	emailAddr   = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	withDomain  = regexp.MustCompile(`^(.*?)\s*\(([^()]*)\)$`)
)

// row is one data row on its way to a Person.
type row struct {
	line                      int
	rawID, email, display     string
	label                     string // how warnings name the row: never an email address
	natural, name             string
	team, teamDisplay, level  string
	teamPath                  []teamCell // division, department, team: the non-empty ones, top first
	github                    string
	manager, coach, mentorRaw string
}

// teamCell is one level of a row's team hierarchy.
type teamCell struct{ name, display string }

type importer struct {
	res     *Result
	titles  []titleRule
	rows    []*row
	levels  []string
	opts    Options
	skipped map[string]int  // id, email and display keys of skipped rows → line
	seen    map[string]*row // id and email keys of the rows read so far
	byID    map[string][]int
	byEmail map[string][]int
	byName  map[string][]int
	byDispl map[string][]int
}

// Import reads an export and returns the documents it holds. An error
// means nothing usable came out: the input could not be read or decoded,
// it has no header, --map names a column or field that does not exist,
// or no row could be imported (ErrNothingImported, returned together with
// the Result so that the warnings can be shown).
func Import(r io.Reader, opts Options) (*Result, error) {
	data, err := decode(r, opts.Encoding)
	if err != nil {
		return nil, err
	}
	im := &importer{
		res: &Result{Delimiter: cmp.Or(opts.Delimiter, detectDelimiter(data))}, opts: opts,
		levels:  opts.Levels,
		skipped: map[string]int{}, seen: map[string]*row{},
		byID: map[string][]int{}, byEmail: map[string][]int{}, byName: map[string][]int{}, byDispl: map[string][]int{},
	}
	if len(im.levels) == 0 {
		im.levels = schema.DefaultLevels
	}
	if opts.DefaultLevel != "" {
		if _, ok := im.level(opts.DefaultLevel); !ok {
			msg := fmt.Sprintf("--default-level %q is not in the level ladder", opts.DefaultLevel)
			if s := schema.Suggest(opts.DefaultLevel, im.levels); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s: use one of %s", msg, strings.Join(im.levels, ", "))
		}
	}
	titles := opts.Titles
	if titles == nil {
		titles = DefaultTitles
	}
	if im.titles, err = compileTitles(titles, im.levels); err != nil {
		return nil, err
	}
	if opts.DefaultTeam != "" && Normalize(opts.DefaultTeam) == "" {
		return nil, fmt.Errorf("--default-team %q has no letter or digit: give a team name such as \"unassigned\"", opts.DefaultTeam)
	}
	recs, err := readRecords(data, im.res.Delimiter, func(line int, format string, args ...any) {
		im.res.Rows++ // a malformed row is a row that was skipped
		im.skipf(line, format, args...)
	})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("the export holds no header and no rows: export it again with a header row")
	}
	cols, err := detectColumns(recs[0].cells, opts.Map)
	if err != nil {
		return nil, err
	}
	im.res.Columns = cols
	idx := index(cols)
	if !hasAny(idx, FieldName, FieldEmail, FieldDisplayName) {
		return nil, fmt.Errorf("no column holds an id, email or name (the header is %s): name one with --map \"Column=name\"", quoteList(recs[0].cells))
	}
	for _, rec := range recs[1:] {
		im.res.Rows++
		im.readRow(rec, idx, len(recs[0].cells))
	}
	im.assignNames()
	im.build()
	slices.SortStableFunc(im.res.Warnings, func(a, b Warning) int { return cmp.Compare(a.Line, b.Line) })
	if len(im.res.People) == 0 {
		return im.res, fmt.Errorf("%w: %d rows read, none usable: check the warnings above, and the column mapping (--map)", ErrNothingImported, im.res.Rows)
	}
	return im.res, nil
}

func (im *importer) warnf(line int, format string, args ...any) {
	im.res.Warnings = append(im.res.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (im *importer) skipf(line int, format string, args ...any) {
	im.res.Warnings = append(im.res.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...) + ": row skipped", Skipped: true})
}

// level returns the ladder's spelling of s, compared by key.
func (im *importer) level(s string) (string, bool) {
	k := key(s)
	for _, l := range im.levels {
		if k != "" && key(l) == k {
			return l, true
		}
	}
	return "", false
}

func (im *importer) readRow(rec record, idx map[Field]int, width int) {
	cell := func(f Field) string {
		if i, ok := idx[f]; ok && i < len(rec.cells) {
			return strings.TrimSpace(rec.cells[i])
		}
		return ""
	}
	line := rec.line
	if len(rec.cells) > width {
		extra := false
		for _, c := range rec.cells[width:] {
			extra = extra || strings.TrimSpace(c) != ""
		}
		if extra {
			im.warnf(line, "%d cells but the header has %d: the extra cells are ignored", len(rec.cells), width)
		}
	}
	r := &row{line: line, rawID: cleanText(cell(FieldName), 200), display: cleanText(cell(FieldDisplayName), 200),
		manager: cell(FieldManager), coach: cell(FieldCoach), mentorRaw: cell(FieldMentor)}
	if r.display == "" {
		r.display = cleanText(cmp.Or(cell(FieldPreferredName), cell(FieldFirstName))+" "+cell(FieldLastName), 200)
	}
	if e := cell(FieldEmail); e != "" {
		if len(e) <= 254 && emailAddr.MatchString(e) && strings.IndexFunc(e, unicode.IsControl) < 0 {
			r.email = e
		} else {
			im.warnf(line, "the email cell does not hold one address: email left out")
		}
	}
	if emailAddr.MatchString(r.display) {
		im.warnf(line, "the name cell holds an email address: not used as the display name")
		r.display = ""
	}
	r.label = cmp.Or(notEmail(r.rawID), r.display, Normalize(localPart(r.rawID)), Normalize(localPart(r.email)), fmt.Sprintf("the row on line %d", line))
	skip := func(format string, args ...any) {
		for _, k := range []string{idKey(r.rawID), emailKey(r.email), displayKey(r.display)} {
			if k != "" {
				if _, seen := im.skipped[k]; !seen {
					im.skipped[k] = line
				}
			}
		}
		im.skipf(line, format, args...)
	}
	// The same person twice: the first row wins.
	if prev := im.seen[idKey(r.rawID)]; prev != nil {
		skip("the same id as line %d (%s)", prev.line, prev.label)
		return
	}
	if prev := im.seen[emailKey(r.email)]; prev != nil {
		skip("the same email address as line %d (%s)", prev.line, prev.label)
		return
	}
	for _, k := range []string{idKey(r.rawID), emailKey(r.email)} {
		if k != "" {
			im.seen[k] = r
		}
	}
	r.natural = cmp.Or(Normalize(idName(localPart(r.rawID))), Normalize(localPart(r.email)), Normalize(r.display))
	if r.natural == "" {
		if Normalize(r.rawID) == "" {
			skip("no usable name: the id, email and name cells hold no letter or digit")
		} else {
			skip("no usable name: the email and name cells hold no letter or digit, and the id %s is a number or code, never used as a name: fill the name or email cell", describeRef(r.rawID))
		}
		return
	}
	// displayName reaches GitHub, where an email address must never go.
	r.display = cmp.Or(r.display, notEmail(r.rawID), r.natural)
	name := r.label
	for _, f := range []Field{FieldDivision, FieldDepartment, FieldTeam} {
		c := cell(f)
		if n := Normalize(c); n != "" && (len(r.teamPath) == 0 || r.teamPath[len(r.teamPath)-1].name != n) {
			r.teamPath = append(r.teamPath, teamCell{name: n, display: cleanText(c, 200)})
		}
	}
	if len(r.teamPath) == 0 {
		if im.opts.DefaultTeam == "" {
			skip("%s has no team (a Person needs one): fill the division, department or team cell, or pass --default-team", name)
			return
		}
		r.teamPath = []teamCell{{name: Normalize(im.opts.DefaultTeam), display: cleanText(im.opts.DefaultTeam, 200)}}
		im.warnf(line, "%s has no team: put in %s (--default-team)", name, r.teamPath[0].name)
	}
	leaf := r.teamPath[len(r.teamPath)-1]
	r.team, r.teamDisplay = leaf.name, leaf.display
	lv, title := cell(FieldLevel), cell(FieldTitle)
	var ok bool
	if r.level, ok = im.level(lv); !ok {
		why := "has no level"
		if lv != "" {
			why = fmt.Sprintf("has level %s, which is not in the ladder (%s)", describeRef(lv), strings.Join(im.levels, ", "))
		}
		switch fromTitle := levelOfTitle(im.titles, title); {
		case fromTitle != "":
			r.level = fromTitle
			if lv != "" {
				im.warnf(line, "%s %s: %s from the title %s", name, why, r.level, describeRef(title))
			}
		case im.opts.DefaultLevel != "":
			r.level, _ = im.level(im.opts.DefaultLevel)
			im.warnf(line, "%s %s: set to %s (--default-level)", name, why, r.level)
		default:
			if title != "" {
				why += fmt.Sprintf(" and the title %s matches no pattern of Policy.spec.titles", describeRef(title))
			}
			msg := fmt.Sprintf("%s %s: imported without a level; set spec.level by hand, add the title to Policy.spec.titles, or pass --default-level", name, why)
			im.warnf(line, "%s", msg)
			im.res.NoLevel = append(im.res.NoLevel, Warning{Line: line, Message: msg})
		}
	}
	if gh := cell(FieldGitHub); gh != "" {
		login := strings.TrimPrefix(gh, "@")
		for _, p := range []string{"https://github.com/", "http://github.com/", "github.com/"} {
			if len(login) > len(p) && strings.EqualFold(login[:len(p)], p) {
				login = strings.TrimSuffix(login[len(p):], "/")
			}
		}
		if len(login) <= 39 && githubLogin.MatchString(login) {
			r.github = login
		} else {
			im.warnf(line, "GitHub login %s is not a valid login: left out", describeRef(gh))
		}
	}
	im.rows = append(im.rows, r)
}

// idName is id when it can serve as a name (a login such as "jdoe"),
// or "" when it is a number or a code ("10234", "E-0042": more digits than
// letters), which would make a meaningless name.
func idName(id string) string {
	letters, digits := 0, 0
	for _, r := range id {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	if letters == 0 || digits >= letters {
		return ""
	}
	return id
}

func idKey(s string) string {
	if s == "" {
		return ""
	}
	return "id:" + strings.ToLower(s)
}

func emailKey(s string) string {
	if s == "" {
		return ""
	}
	return "email:" + strings.ToLower(s)
}

func displayKey(s string) string {
	if k := key(s); k != "" {
		return "display:" + k
	}
	return ""
}

// assignNames gives each row its natural name, or, when an earlier row
// has it, the natural name with the lowest free suffix -2, -3... A suffix
// never takes a name that another row has naturally, so that adding a
// row renames only the rows that collide.
func (im *importer) assignNames() {
	natural := map[string]bool{}
	for _, r := range im.rows {
		natural[r.natural] = true
	}
	first := map[string]*row{}
	taken := map[string]bool{}
	for _, r := range im.rows {
		prev, dup := first[r.natural]
		if !dup {
			first[r.natural] = r
			r.name = r.natural
			taken[r.name] = true
			continue
		}
		for k := 2; ; k++ {
			n := withSuffix(r.natural, k)
			if !natural[n] && !taken[n] {
				r.name = n
				break
			}
		}
		taken[r.name] = true
		im.warnf(r.line, "lines %d and %d both become %s; line %d is %s", prev.line, r.line, r.natural, r.line, r.name)
	}
	for i, r := range im.rows {
		add := func(m map[string][]int, k string) {
			if k != "" {
				m[k] = append(m[k], i)
			}
		}
		add(im.byID, strings.ToLower(r.rawID))
		add(im.byEmail, strings.ToLower(r.email))
		add(im.byName, r.name)
		add(im.byDispl, key(r.display))
	}
}

// resolve finds the row a manager, coach or mentor cell names: by id, by
// email, by orgctl name, then by display name (also written "Last,
// First"). It returns -1 and a reason when it finds none or several.
func (im *importer) resolve(ref string) (int, string) {
	lower := strings.ToLower(ref)
	tries := []struct {
		m map[string][]int
		k string
	}{{im.byID, lower}, {im.byEmail, lower}, {im.byName, lower}, {im.byDispl, key(ref)}}
	if last, first, ok := strings.Cut(ref, ","); ok && !strings.Contains(first, ",") {
		tries = append(tries, struct {
			m map[string][]int
			k string
		}{im.byDispl, key(first + " " + last)})
	}
	for _, t := range tries {
		if t.k == "" {
			continue
		}
		switch hits := t.m[t.k]; len(hits) {
		case 0:
		case 1:
			return hits[0], ""
		default:
			var lines []string
			for _, h := range hits {
				lines = append(lines, fmt.Sprintf("%d", im.rows[h].line))
			}
			return -1, fmt.Sprintf("matches more than one row (lines %s)", strings.Join(lines, ", "))
		}
	}
	for _, k := range []string{idKey(ref), emailKey(ref), displayKey(ref)} {
		if line, ok := im.skipped[k]; ok && k != "" {
			return -1, fmt.Sprintf("is line %d, which was not imported", line)
		}
	}
	return -1, "matches no row"
}

// localPart is the part of an email address before "@" and any "+tag";
// s itself when it is not an address.
func localPart(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	local, _, _ := strings.Cut(s, "@")
	local, _, _ = strings.Cut(local, "+")
	return local
}

// notEmail is s, or "" when s holds an email address.
func notEmail(s string) string {
	if strings.Contains(s, "@") {
		return ""
	}
	return s
}

// describeRef shows a reference in a warning; an email address is never
// shown.
func describeRef(ref string) string {
	if strings.Contains(ref, "@") {
		return "(an email address)"
	}
	return fmt.Sprintf("%q", cleanText(ref, 100))
}

// build resolves references and makes the documents.
func (im *importer) build() {
	ref := func(r *row, role, cellValue string) string {
		if cellValue == "" {
			return ""
		}
		i, why := im.resolve(cellValue)
		if i < 0 {
			im.warnf(r.line, "%s of %s: %s %s: left out", role, r.name, describeRef(cellValue), why)
			return ""
		}
		if im.rows[i] == r {
			im.warnf(r.line, "%s is their own %s: left out", r.name, role)
			return ""
		}
		return im.rows[i].name
	}
	teams := map[string]*schema.Team{}
	noManager := map[string]bool{} // people whose export names no manager (or one that was left out)
	for _, r := range im.rows {
		p := &schema.Person{
			Name: r.name, DisplayName: r.display, Email: r.email, GitHub: r.github,
			Team: im.teamOf(r, teams), Level: r.level, Status: schema.StatusActive,
		}
		if r.rawID != "" && r.rawID != r.name && len(r.rawID) <= 63 {
			p.Labels = map[string]string{IDLabel: r.rawID}
		}
		p.Manager = ref(r, "manager", r.manager)
		if p.Manager == "" {
			noManager[p.Name] = true
		}
		p.Coach = ref(r, "coach", r.coach)
		for _, m := range splitMentors(r.mentorRaw, func(s string) bool { i, _ := im.resolve(s); return i >= 0 }) {
			who, domain := m, ""
			if g := withDomain.FindStringSubmatch(m); g != nil {
				if _, why := im.resolve(m); why != "" {
					who, domain = g[1], g[2]
				}
			}
			name := ref(r, "mentor", who)
			if name == "" {
				continue
			}
			d := Normalize(domain)
			if d == "" {
				d = DefaultMentorDomain
				im.warnf(r.line, "mentor %s of %s has no domain (write \"%s (kubernetes)\" in the cell): recorded as %s", name, r.name, name, d)
			}
			if !slices.ContainsFunc(p.Mentors, func(x schema.Mentor) bool { return x.Person == name && x.Domain == d }) {
				p.Mentors = append(p.Mentors, schema.Mentor{Person: name, Domain: d})
			}
		}
		im.res.People = append(im.res.People, p)
	}
	members := map[string][]*schema.Person{}
	for _, p := range im.res.People {
		members[p.Team] = append(members[p.Team], p)
	}
	for _, t := range teams {
		t.Manager = teamManager(members[t.Name])
		im.res.Teams = append(im.res.Teams, t)
	}
	slices.SortFunc(im.res.Teams, func(a, b *schema.Team) int { return strings.Compare(a.Name, b.Name) })
	neverInherit(im.res.People, teams, noManager)
}

// teamOf creates the teams of a row's hierarchy (division, department,
// team), each the parent of the next, and returns the row's own team. A
// name already used under another parent is qualified with its parent's
// name (engineering-platform), so that two departments called Platform
// stay two teams.
func (im *importer) teamOf(r *row, teams map[string]*schema.Team) string {
	parent := ""
	for _, c := range r.teamPath {
		name := c.name
		if t := teams[name]; t != nil && t.Parent != parent && parent != "" {
			name = truncateLabel(parent+"-"+c.name, MaxNameLength)
		}
		switch t := teams[name]; {
		case t == nil:
			teams[name] = &schema.Team{Name: name, DisplayName: cmp.Or(c.display, name), Parent: parent}
		case t.Parent != parent:
			im.warnf(r.line, "team %s is under %s on an earlier line, and under %s here: kept under %s", name, cmp.Or(t.Parent, "no team"), cmp.Or(parent, "no team"), cmp.Or(t.Parent, "no team"))
		}
		parent = name
	}
	return parent
}

// neverInherit drops every team manager that someone with no manager in
// the export would inherit as their effective manager (their own team's,
// or a parent team's when theirs has none): a team default must not give
// the CEO a manager, least of all the chief of staff who reports to them,
// which would be a management cycle invented on clean data. Everyone else
// has their manager set explicitly, so their effective manager is the
// export's either way.
func neverInherit(people []*schema.Person, teams map[string]*schema.Team, noManager map[string]bool) {
	for _, p := range people {
		if !noManager[p.Name] {
			continue
		}
		seen := map[string]bool{}
		for t := teams[p.Team]; t != nil && !seen[t.Name]; t = teams[t.Parent] {
			seen[t.Name] = true
			if t.Manager != "" && t.Manager != p.Name {
				t.Manager = ""
			}
		}
	}
}

// teamManager is the manager that more than half of the team's members,
// and at least two of them, report to, or "": a team manager is only set
// when the export makes it plain (one person's manager says little about a
// team). Members keep their own manager field either way.
func teamManager(members []*schema.Person) string {
	counts := map[string]int{}
	for _, p := range members {
		if p.Manager != "" {
			counts[p.Manager]++
		}
	}
	for m, n := range counts {
		if n >= 2 && 2*n > len(members) {
			return m
		}
	}
	return ""
}

// splitMentors splits a mentor cell into entries: on ";", "|" and line
// breaks, and on "," inside an entry that does not name one row as a
// whole (so "Doe, Jane" stays one entry when that is a name).
func splitMentors(cell string, resolves func(string) bool) []string {
	var out []string
	for part := range strings.FieldsFuncSeq(cell, func(r rune) bool { return r == ';' || r == '|' || r == '\n' || r == '\r' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.Contains(part, ",") && !resolves(part) && !resolves(withDomain.ReplaceAllString(part, "$1")) {
			for p := range strings.SplitSeq(part, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			continue
		}
		out = append(out, part)
	}
	return out
}
