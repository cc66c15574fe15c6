// Package schema reads orgctl documents: it embeds the JSON Schema, loads
// YAML files, directories and file systems with line and column positions,
// checks every document against the schema, and decodes the valid ones into
// Person, Team and Policy values. It reports bad input as Problems and never
// stops at the first one.
package schema

// APIGroup is the API group of every orgctl document; documents of other
// groups are skipped.
const APIGroup = "orgctl.dev"

// APIVersion is the only version of the orgctl API.
const APIVersion = APIGroup + "/v1"

// SchemaURL is where editors fetch the JSON Schema from: the file
// schema/orgctl.schema.json on the default branch. The path is stable; files
// orgctl writes carry it in a yaml-language-server modeline.
const SchemaURL = "https://raw.githubusercontent.com/orgctl/orgctl/main/schema/orgctl.schema.json"

// Kinds of documents.
const (
	KindPerson = "Person"
	KindTeam   = "Team"
	KindPolicy = "Policy"
)

// Statuses of a person.
const (
	StatusActive   = "active"
	StatusLeave    = "leave"
	StatusDeparted = "departed"
)

// DefaultLevels is the level ladder when the Policy does not set one,
// lowest first.
var DefaultLevels = []string{"intern", "junior", "mid", "senior", "staff", "principal", "executive"}

// Pos is a 1-based line and column in a file; the zero value means unknown.
type Pos struct {
	Line   int32 `json:"line"`
	Column int32 `json:"column"`
}

// Source says where a document was read from.
type Source struct {
	// File is the path as shown to the user (relative to the working
	// directory when the argument was relative), with forward slashes.
	File string
	// Rel is the path relative to the org root (the directory argument),
	// used in parse fingerprints.
	Rel string
	// Doc is the 0-based index of the document in its file.
	Doc int
	// Start is where the document starts (its first key).
	Start Pos
}

// Person is a decoded Person document. String fields are empty when unset.
type Person struct {
	Name string
	// Labels may be shared with other documents that carry the same
	// labels: read it, never modify it.
	Labels      map[string]string
	DisplayName string
	GitHub      string
	Email       string
	Team        string
	Level       string
	Expertise   []string
	// Status is active, leave or departed; never empty after decoding.
	Status   string
	External bool
	Manager  string
	Coach    string
	Mentors  []Mentor
	// Life holds the fields few people write (coaching history and
	// preferences), nil when none is written: a person without them costs
	// 128 bytes less. Read them through Lifecycle; a writer sets Life to a
	// Lifecycle of its own, never one another Person shares.
	Life *Lifecycle

	// Source is where the person is written: the Source of the Document
	// that holds the person, shared with it (a Person is kept for every
	// person of the org; a pointer instead of a copy keeps it in the
	// 288-byte size class: see TestPersonFitsItsSizeClass). Never nil in
	// what the loader returns; code that makes a Person sets it.
	Source     *Source
	NamePos    Pos
	SpecPos    Pos
	GitHubPos  Pos
	TeamPos    Pos
	LevelPos   Pos
	StatusPos  Pos
	ManagerPos Pos
	CoachPos   Pos
}

// Lifecycle is the part of a Person that few documents write: when the
// current coaching pairing started, the pairings that ended, the coaching
// preferences and the mentoring wanted, with where each is written.
type Lifecycle struct {
	// CoachSince is when the current coaching pairing started
	// (YYYY-MM-DD), empty when unknown.
	CoachSince string
	// PastPairings are the coaching and mentoring pairings that ended, in
	// the order written.
	PastPairings []PastPairing
	// CoachWilling is coaching.willing: nil when unset (which means
	// willing), false when the person takes no coachees.
	CoachWilling *bool
	// CoachCapacity is coaching.capacity: how many coachees this person
	// takes, overriding rules.coach-capacity.max; nil when unset.
	CoachCapacity *int
	// MentoringWanted are the domains the person asks to be mentored in.
	MentoringWanted []string

	// CoachSincePos is where coachSince is written.
	CoachSincePos Pos
	// CoachWillingPos and CoachCapacityPos are where coaching.willing and
	// coaching.capacity are written.
	CoachWillingPos  Pos
	CoachCapacityPos Pos
	// MentoringWantedPos is the position of each entry of MentoringWanted.
	MentoringWantedPos []Pos
}

// noLifecycle is what Lifecycle returns for a person who writes none of it.
var noLifecycle Lifecycle

// Lifecycle returns a copy of the person's lifecycle fields (the zero
// Lifecycle when none is written). It is a copy so that it can be read
// without a nil check and cannot be changed by mistake: to change them, set
// p.Life to a new Lifecycle.
func (p *Person) Lifecycle() Lifecycle {
	if p.Life == nil {
		return noLifecycle
	}
	return *p.Life
}

// Mentor is one entry of Person.spec.mentors.
type Mentor struct {
	Person string
	Domain string
	// Since is when this mentoring pairing started (YYYY-MM-DD), empty
	// when unknown.
	Since    string
	Pos      Pos // the entry's person field
	SincePos Pos // the entry's since field
}

// Pairing roles, as PastPairing.Role spells them.
const (
	RoleCoach  = "coach"
	RoleMentor = "mentor"
)

// PastPairing is one entry of Person.spec.pastPairings: a coaching or
// mentoring pairing of this person that has ended.
type PastPairing struct {
	// Role is RoleCoach or RoleMentor: what Person was to this person.
	Role   string
	Person string
	// Domain is the mentoring domain (always set for a mentor).
	Domain string
	// From is when the pairing started (YYYY-MM-DD), empty when unknown;
	// Until is when it ended (always set).
	From, Until string

	Pos       Pos // the entry (its first key)
	PersonPos Pos // the entry's person field
	FromPos   Pos
	UntilPos  Pos
}

// Team is a decoded Team document.
type Team struct {
	Name        string
	Labels      map[string]string
	DisplayName string
	Parent      string
	Manager     string

	Source     Source
	NamePos    Pos
	SpecPos    Pos
	ParentPos  Pos
	ManagerPos Pos
}

// Policy is a decoded Policy document. Unset fields keep their zero value;
// the rules apply the defaults of SPEC §2.
type Policy struct {
	Name   string
	Levels []string // nil: DefaultLevels
	Roots  []string
	// RootPos is the position of each entry of Roots.
	RootPos []Pos
	// Titles map job titles to levels for import csv, in the order written
	// (nil: the built-in mapping of package importcsv).
	Titles     []TitleLevel
	GitHub     GitHubPolicy
	Rules      map[string]RuleConfig
	Exemptions []Exemption
	// Coaching is Policy.spec.coaching: what the matcher aims for.
	Coaching CoachingPolicy
	// DoNotPair is Policy.spec.doNotPair: people who must never coach or
	// mentor one another. Sensitive: see SPEC on private findings.
	DoNotPair []DoNotPair

	Source  Source
	NamePos Pos
	SpecPos Pos
}

// TitleLevel is one entry of Policy.spec.titles: the title patterns
// (case-insensitive regular expressions) that mean Level.
type TitleLevel struct {
	Level    string
	Patterns []string
	Pos      Pos
}

// GitHubPolicy is Policy.spec.github.
type GitHubPolicy struct {
	Repo   string
	Labels []string // nil: ["orgctl"]
	Issues []string // nil: the default issue rules
	// IssuesSet tells an explicit empty list from an absent one.
	IssuesSet bool
}

// CoachingPolicy is Policy.spec.coaching: the pairings orgctl suggest
// prefers. The rules, not this, decide what is valid.
type CoachingPolicy struct {
	// CoachFromAbove is the level below which people are coached by someone
	// at a higher level; empty means "senior" (or the ladder's middle rung
	// when the ladder has no senior).
	CoachFromAbove string
	// CoachFromAbovePos is where coachFromAbove is written, for messages.
	CoachFromAbovePos Pos
	// RotateAfterMonths is how many months a coaching pairing should
	// last; nil: no rotation (rotation-due never fires).
	RotateAfterMonths    *int
	RotateAfterMonthsPos Pos
	// NoRepeatMonths is the window after a coaching pairing ended in which
	// the same coach is not proposed again and is flagged; nil: the
	// default, DefaultNoRepeatMonths.
	NoRepeatMonths    *int
	NoRepeatMonthsPos Pos
}

// DefaultNoRepeatMonths is Policy.spec.coaching.noRepeatMonths when unset.
const DefaultNoRepeatMonths = 24

// NoRepeat returns the no-repeat window in months, with the default applied.
func (c CoachingPolicy) NoRepeat() int {
	if c.NoRepeatMonths == nil {
		return DefaultNoRepeatMonths
	}
	return *c.NoRepeatMonths
}

// DoNotPair is one entry of Policy.spec.doNotPair: no two of People may be
// paired as coach and coachee or mentor and mentee. Reason is private: only
// describe shows it, locally.
type DoNotPair struct {
	People []string
	Reason string
	// Pos is the entry; PeoplePos the position of each entry of People.
	Pos       Pos
	PeoplePos []Pos
}

// Forbids reports whether a and b are both named by the entry.
func (d DoNotPair) Forbids(a, b string) bool {
	if a == b {
		return false
	}
	var hasA, hasB bool
	for _, p := range d.People {
		hasA = hasA || p == a
		hasB = hasB || p == b
	}
	return hasA && hasB
}

// RuleConfig is one entry of Policy.spec.rules.
type RuleConfig struct {
	Severity       string // "", error, warning or off
	Max            *int
	AllowFromLevel string
	Pos            Pos
}

// Exemption is one entry of Policy.spec.exemptions.
type Exemption struct {
	Rule    string
	Person  string
	Reason  string
	Expires string // YYYY-MM-DD or empty
	Pos     Pos
}

// Document is one orgctl document as loaded: its identity and position
// always, and its decoded value when it passed parsing and the schema. A
// loaded org keeps one per person: at 112 bytes it is in the 112-byte size
// class (see TestDocumentFitsItsSizeClass).
type Document struct {
	Kind   string // as written; may be invalid when the schema failed
	Name   string // metadata.name when it could be read
	Source Source
	// NamePos is the position of metadata.name, or of the document start.
	NamePos Pos
	// Exactly one of Person, Team, Policy is set when the document passed
	// parsing and the schema (see Valid), none otherwise.
	Person *Person
	Team   *Team
	Policy *Policy
}

// Valid reports whether the document passed parsing and the schema: it
// then holds its decoded Person, Team or Policy.
func (d *Document) Valid() bool {
	return d.Person != nil || d.Team != nil || d.Policy != nil
}

// The rules of the loader's problems. Package reconcile's rule registry
// describes them (reconcile.RuleParse, reconcile.RuleSchema).
const (
	// RuleParse: the file or document could not be read as YAML.
	RuleParse = "parse"
	// RuleSchema: the document breaks the JSON Schema.
	RuleSchema = "schema"
)

// Problem is bad input found while loading: rule RuleParse or RuleSchema.
type Problem struct {
	Rule    string
	File    string
	Rel     string
	Pos     Pos
	Name    string // metadata.name, empty when unknown
	Message string
}

// Skipped records a document that is not an orgctl object (another
// apiVersion group); shown with -v.
type Skipped struct {
	File       string
	Pos        Pos
	APIVersion string
	Kind       string
}

// Set is everything loaded from one or more paths, in path order then
// document order.
type Set struct {
	Documents []*Document
	Problems  []Problem
	Skipped   []Skipped
	// Files is the number of files read.
	Files int
	// Paths maps the Source.File of the documents this set shares with
	// another load through a Cache (the other load's path of the file) to
	// this set's path of the same file; nil when it shares none. Read a
	// document's file as this set shows it through File.
	Paths map[string]string
}

// File is the path of the file of a document of s as s shows it: its
// Source.File, translated when the document is shared with another load
// (see Paths).
func (s *Set) File(src Source) string {
	if f, ok := s.Paths[src.File]; ok {
		return f
	}
	return src.File
}

// posAt makes a Pos from int line and column numbers, saturating at the
// largest int32 (a file would need over two billion lines to reach it).
func posAt(line, col int) Pos {
	return Pos{Line: clamp32(line), Column: clamp32(col)}
}

func clamp32(n int) int32 {
	const most = 1<<31 - 1
	if n > most {
		return most
	}
	if n < -most {
		return -most
	}
	return int32(n)
}

// life returns p.Life for writing, allocating it when p has none. Only
// decoders call it, on a Person they have just made (so no other Person
// shares its Lifecycle).
func (p *Person) life() *Lifecycle {
	if p.Life == nil {
		p.Life = new(Lifecycle)
	}
	return p.Life
}
