package reconcile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// Severity says how serious a finding is. The zero value is Off: a rule at
// Off produces nothing.
type Severity int

// Severities, lowest first, so that they compare with < and >=.
const (
	Off Severity = iota
	Warning
	Error
)

// String returns the name used in YAML, JSON and text output.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "off"
	}
}

// ParseSeverity turns "error", "warning" or "off" into a Severity.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "off":
		return Off, nil
	}
	return Off, fmt.Errorf("unknown severity %q: use error, warning or off", s)
}

// MarshalText makes severities appear as their names in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is one problem found in an org: the single value that travels from
// the rules to every renderer, to plan and to the GitHub reconciler.
//
// Fingerprint is RULE/subject[/other]; it does not depend on positions, so it
// stays the same when lines move and identifies the finding across runs.
type Finding struct {
	Rule     RuleID   `json:"rule"`
	Severity Severity `json:"severity"`
	Subject  string   `json:"subject"`
	// SubjectKind is what Subject names, set by the rule that emits the
	// finding, so that outputs need not guess it from the name or the
	// position.
	SubjectKind SubjectKind `json:"-"`
	Other       string      `json:"other,omitempty"`
	Fingerprint string      `json:"fingerprint"`
	Message     string      `json:"message"`
	File        string      `json:"file"`
	Line        int         `json:"line"`
	Column      int         `json:"column"`
	// Exempt is set (and the finding hidden unless -v) when a Policy
	// exemption covers it.
	Exempt bool `json:"exempt,omitempty"`
	// Rel is the file relative to the org root, with forward slashes:
	// what orgctl publishes (issue bodies, comments), so that it is the
	// same whatever directory orgctl ran from. Path reads it.
	Rel string `json:"-"`
}

// Path is the finding's file as orgctl publishes it: relative to the org
// root with forward slashes (Rel), or File when that is not known.
func (f Finding) Path() string {
	if f.Rel != "" {
		return f.Rel
	}
	return f.File
}

// SubjectKind says what a finding's Subject (or Other) names.
type SubjectKind string

// Subject kinds.
const (
	SubjectPerson SubjectKind = "person"
	SubjectTeam   SubjectKind = "team"
	SubjectPolicy SubjectKind = "policy"
	// SubjectFile: a file relative to the org root (parse findings).
	SubjectFile SubjectKind = "file"
	// SubjectLogin: a GitHub login, lower case (duplicate-github).
	SubjectLogin SubjectKind = "login"
)

// kindSubject is the subject kind of a document of that kind.
func kindSubject(kind string) SubjectKind {
	switch kind {
	case schema.KindPerson:
		return SubjectPerson
	case schema.KindTeam:
		return SubjectTeam
	case schema.KindPolicy:
		return SubjectPolicy
	}
	return ""
}

// Fingerprint builds RULE/subject[/other].
func Fingerprint(rule RuleID, subject, other string) string {
	if other == "" {
		return string(rule) + "/" + subject
	}
	return string(rule) + "/" + subject + "/" + other
}

// Compare orders findings by file, line, rule, then column and fingerprint,
// which is the order of every output.
func Compare(a, b Finding) int {
	return cmp.Or(
		strings.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		strings.Compare(string(a.Rule), string(b.Rule)),
		cmp.Compare(a.Column, b.Column),
		strings.Compare(a.Fingerprint, b.Fingerprint),
		strings.Compare(a.Message, b.Message),
	)
}

// SortFindings sorts findings in output order.
func SortFindings(fs []Finding) { slices.SortStableFunc(fs, Compare) }

// Summary counts what was checked and what was found.
type Summary struct {
	People   int `json:"people"`
	Teams    int `json:"teams"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Files is the number of YAML files read.
	Files int `json:"files"`
	// Exempt is the number of findings hidden by exemptions.
	Exempt int `json:"exempt"`
	// Skipped is the number of documents of other tools (another
	// apiVersion and kind) that were not checked; -v lists them.
	Skipped int `json:"skipped"`
	// HeldBack is the number of findings not reported because they only
	// repeat an earlier error (a reference to a document that failed).
	HeldBack int `json:"heldBack"`
}

// Result is what validating an org produces: the findings (exempt ones
// included, marked) and the summary. Renderers take a Result.
type Result struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
}

// StructuralErrors is the part of r that makes an org unfit to reconcile
// (apply refuses it: what GitHub would be told could be wrong): the
// findings in TierStructuralError, with a summary that counts only them.
func (r Result) StructuralErrors() Result {
	out := Result{Summary: r.Summary}
	for _, f := range r.Findings {
		if Tier(f) == TierStructuralError {
			out.Findings = append(out.Findings, f)
		}
	}
	if n := len(out.Findings); n > 0 {
		out.Summary.Errors, out.Summary.Warnings = n, 0
	}
	return out
}

// Fails says whether r has a finding that is not exempt at or above
// failOn (validate's --fail-on): the run then exits 1.
func (r Result) Fails(failOn Severity) bool {
	for _, f := range r.Findings {
		if !f.Exempt && f.Severity >= failOn {
			return true
		}
	}
	return false
}

// Reported returns the findings to show: all of them when verbose, else
// those not exempt.
func (r Result) Reported(verbose bool) []Finding {
	if verbose {
		return r.Findings
	}
	out := make([]Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if !f.Exempt {
			out = append(out, f)
		}
	}
	return out
}

// Importance tiers, most important first: the order in which outputs that
// may be cut short (GitHub annotations, the step summary, the plan
// comment) show findings.
const (
	TierStructuralError = iota // the org is malformed: fix these first
	TierError                  // a pairing that breaks an error rule
	TierStructuralWarning
	TierWarning
	TierExempt // shown only with -v
)

// Tier places a finding in its importance tier: exempt findings last, then
// by severity, and within a severity structural problems (see
// Rule.Structural) before the rest, since they hide or distort what
// the other rules see.
func Tier(f Finding) int {
	switch {
	case f.Exempt:
		return TierExempt
	case f.Severity >= Error && IsStructural(f.Rule):
		return TierStructuralError
	case f.Severity >= Error:
		return TierError
	case IsStructural(f.Rule):
		return TierStructuralWarning
	}
	return TierWarning
}

// CompareImportance orders findings by Tier, then in output order
// (Compare), so that within a tier files still read top to bottom.
func CompareImportance(a, b Finding) int {
	return cmp.Or(cmp.Compare(Tier(a), Tier(b)), Compare(a, b))
}

// ByImportance returns the findings sorted by CompareImportance, leaving
// fs as it is.
func ByImportance(fs []Finding) []Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, CompareImportance)
	return out
}
