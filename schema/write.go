package schema

import (
	"bufio"
	"io"
	"maps"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Writer writes orgctl documents as YAML, separated by "---", with the keys
// in the order this package documents them (apiVersion, kind, metadata,
// spec; displayName first in a spec) rather than sorted, so that the files
// orgctl writes read like the ones people write by hand. Fields that hold
// their default are left out. It is used by `get -o yaml`, `import` and
// `init`; nothing here reads positions, so a Person or Team built in code
// works as well as a loaded one.
//
// go.yaml.in/yaml/v3 writes the YAML: sigs.k8s.io/yaml goes through
// encoding/json and would sort every key alphabetically (coach before
// displayName, spec before metadata is avoided only by luck).
type Writer struct {
	w    *bufio.Writer
	docs int
	err  error
	// Email writes spec.email. Off by default: email is private, and
	// output meant for a terminal or another tool leaves it out.
	Email bool
}

// NewWriter returns a Writer on w. Call Flush when done.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

// Comment writes "# line" for each line of text, before the next
// document (at the top of the file for the first one, which is where a
// yaml-language-server modeline must go).
func (w *Writer) Comment(text string) {
	for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
		if w.err == nil {
			if line == "" {
				_, w.err = w.w.WriteString("#\n")
			} else {
				_, w.err = w.w.WriteString("# " + line + "\n")
			}
		}
	}
}

// Person writes one Person document.
func (w *Writer) Person(p *Person) error {
	spec := personSpec{
		DisplayName: p.DisplayName, GitHub: p.GitHub, Team: p.Team, Level: p.Level,
		Expertise: p.Expertise, External: p.External, Manager: p.Manager, Coach: p.Coach,
		CoachSince: p.Lifecycle().CoachSince, MentoringWanted: p.Lifecycle().MentoringWanted,
	}
	if w.Email {
		spec.Email = p.Email
	}
	if p.Status != StatusActive {
		spec.Status = p.Status
	}
	for _, m := range p.Mentors {
		spec.Mentors = append(spec.Mentors, mentorSpec{Person: m.Person, Domain: m.Domain, Since: m.Since})
	}
	for _, pp := range p.Lifecycle().PastPairings {
		spec.PastPairings = append(spec.PastPairings, pastPairingSpec{Role: pp.Role, Person: pp.Person, Domain: pp.Domain, From: pp.From, Until: pp.Until})
	}
	if p.Lifecycle().CoachWilling != nil || p.Lifecycle().CoachCapacity != nil {
		spec.Coaching = &personCoachingSpec{Willing: p.Lifecycle().CoachWilling, Capacity: p.Lifecycle().CoachCapacity}
	}
	return w.doc(KindPerson, p.Name, p.Labels, spec)
}

// Team writes one Team document.
func (w *Writer) Team(t *Team) error {
	return w.doc(KindTeam, t.Name, t.Labels, teamSpec{DisplayName: t.DisplayName, Parent: t.Parent, Manager: t.Manager})
}

// Policy writes one Policy document: levels (when set), roots, the GitHub
// settings and the rule settings that are set, and exemptions.
func (w *Writer) Policy(p *Policy) error {
	spec := policySpec{Levels: p.Levels, Roots: p.Roots}
	if g := p.GitHub; g.Repo != "" || g.Labels != nil || g.Issues != nil {
		spec.GitHub = &githubSpec{Repo: g.Repo, Labels: g.Labels, Issues: g.Issues}
	}
	if len(p.Rules) > 0 {
		spec.Rules = map[string]ruleSpec{}
		for id, rc := range p.Rules {
			spec.Rules[id] = ruleSpec{Severity: rc.Severity, Max: rc.Max, AllowFromLevel: rc.AllowFromLevel}
		}
	}
	if c := p.Coaching; c.CoachFromAbove != "" || c.RotateAfterMonths != nil || c.NoRepeatMonths != nil {
		spec.Coaching = &coachingSpec{CoachFromAbove: c.CoachFromAbove, RotateAfterMonths: c.RotateAfterMonths, NoRepeatMonths: c.NoRepeatMonths}
	}
	for _, d := range p.DoNotPair {
		spec.DoNotPair = append(spec.DoNotPair, doNotPairSpec{People: d.People, Reason: d.Reason})
	}
	for _, e := range p.Exemptions {
		spec.Exemptions = append(spec.Exemptions, exemptionSpec{Rule: e.Rule, Person: e.Person, Reason: e.Reason, Expires: e.Expires})
	}
	return w.doc(KindPolicy, p.Name, nil, spec)
}

// Flush writes what is buffered and returns the first error met.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

func (w *Writer) doc(kind, name string, labels map[string]string, spec any) error {
	if w.err != nil {
		return w.err
	}
	if w.docs > 0 {
		if _, w.err = w.w.WriteString("---\n"); w.err != nil {
			return w.err
		}
	}
	w.docs++
	d := document{APIVersion: APIVersion, Kind: kind, Metadata: metadata{Name: name, Labels: maps.Clone(labels)}, Spec: spec}
	// One encoder per document: an encoder kept for the whole stream holds
	// on to every document it wrote (gigabytes for 100,000 people).
	enc := yaml.NewEncoder(w.w)
	enc.SetIndent(2)
	if w.err = enc.Encode(d); w.err == nil {
		w.err = enc.Close()
	}
	return w.err
}

type (
	document struct {
		APIVersion string   `yaml:"apiVersion"`
		Kind       string   `yaml:"kind"`
		Metadata   metadata `yaml:"metadata"`
		Spec       any      `yaml:"spec"`
	}
	metadata struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels,omitempty"`
	}
	personSpec struct {
		DisplayName string       `yaml:"displayName"`
		GitHub      string       `yaml:"github,omitempty"`
		Email       string       `yaml:"email,omitempty"`
		Team        string       `yaml:"team,omitempty"`
		Level       string       `yaml:"level,omitempty"`
		Expertise   []string     `yaml:"expertise,omitempty,flow"`
		Status      string       `yaml:"status,omitempty"`
		External    bool         `yaml:"external,omitempty"`
		Manager     string       `yaml:"manager,omitempty"`
		Coach       string       `yaml:"coach,omitempty"`
		CoachSince  string       `yaml:"coachSince,omitempty"`
		Mentors     []mentorSpec `yaml:"mentors,omitempty"`
		// Lifecycle (issue 17).
		PastPairings    []pastPairingSpec   `yaml:"pastPairings,omitempty"`
		Coaching        *personCoachingSpec `yaml:"coaching,omitempty"`
		MentoringWanted []string            `yaml:"mentoringWanted,omitempty,flow"`
	}
	mentorSpec struct {
		Person string `yaml:"person"`
		Domain string `yaml:"domain"`
		Since  string `yaml:"since,omitempty"`
	}
	pastPairingSpec struct {
		Role   string `yaml:"role"`
		Person string `yaml:"person"`
		Domain string `yaml:"domain,omitempty"`
		From   string `yaml:"from,omitempty"`
		Until  string `yaml:"until"`
	}
	personCoachingSpec struct {
		Willing  *bool `yaml:"willing,omitempty"`
		Capacity *int  `yaml:"capacity,omitempty"`
	}
	doNotPairSpec struct {
		People []string `yaml:"people,flow"`
		Reason string   `yaml:"reason,omitempty"`
	}
	teamSpec struct {
		DisplayName string `yaml:"displayName,omitempty"`
		Parent      string `yaml:"parent,omitempty"`
		Manager     string `yaml:"manager,omitempty"`
	}
	policySpec struct {
		Levels     []string            `yaml:"levels,omitempty,flow"`
		Roots      []string            `yaml:"roots,omitempty,flow"`
		GitHub     *githubSpec         `yaml:"github,omitempty"`
		Coaching   *coachingSpec       `yaml:"coaching,omitempty"`
		Rules      map[string]ruleSpec `yaml:"rules,omitempty"`
		Exemptions []exemptionSpec     `yaml:"exemptions,omitempty"`
		DoNotPair  []doNotPairSpec     `yaml:"doNotPair,omitempty"`
	}
	coachingSpec struct {
		CoachFromAbove    string `yaml:"coachFromAbove,omitempty"`
		RotateAfterMonths *int   `yaml:"rotateAfterMonths,omitempty"`
		NoRepeatMonths    *int   `yaml:"noRepeatMonths,omitempty"`
	}
	githubSpec struct {
		Repo   string   `yaml:"repo,omitempty"`
		Labels []string `yaml:"labels,omitempty,flow"`
		Issues []string `yaml:"issues,omitempty,flow"`
	}
	ruleSpec struct {
		Severity       string `yaml:"severity,omitempty"`
		Max            *int   `yaml:"max,omitempty"`
		AllowFromLevel string `yaml:"allowFromLevel,omitempty"`
	}
	exemptionSpec struct {
		Rule    string `yaml:"rule"`
		Person  string `yaml:"person"`
		Reason  string `yaml:"reason,omitempty"`
		Expires string `yaml:"expires,omitempty"`
	}
)
