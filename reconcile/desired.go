package reconcile

import (
	"sort"
	"strings"
)

// DefaultLabel marks everything orgctl opens.
const DefaultLabel = "orgctl"

// DesiredIssue is the GitHub issue one finding should have: the pure
// desired state that apply reconciles GitHub towards.
type DesiredIssue struct {
	Fingerprint string
	Title       string
	// Labels are the Policy's labels plus orgctl/RULE.
	Labels []string
	// Assignee is the GitHub login of the subject's effective manager (the
	// manager makes sure everyone has a coach), or "".
	Assignee string
	Finding  Finding
	// Candidates are up to three suggested people, when suggestions exist.
	Candidates []string
}

// IssueLabels returns the labels orgctl puts on what it opens.
func (o *Org) IssueLabels() []string {
	if o.Policy != nil && len(o.Policy.GitHub.Labels) > 0 {
		return append([]string(nil), o.Policy.GitHub.Labels...)
	}
	return []string{DefaultLabel}
}

// IssueRules returns the rules whose findings get an issue: the Policy's
// github.issues, or DefaultIssueRules.
func (o *Org) IssueRules() []RuleID {
	if o.Policy != nil && o.Policy.GitHub.IssuesSet {
		out := make([]RuleID, len(o.Policy.GitHub.Issues))
		for i, r := range o.Policy.GitHub.Issues {
			out[i] = RuleID(r)
		}
		return out
	}
	return DefaultIssueRules()
}

// DesiredIssues turns the findings of res into the issues GitHub should
// have open: one per fingerprint of a rule listed in Policy.spec.github.
// issues, exempt findings excluded, sorted by fingerprint.
func (o *Org) DesiredIssues(res Result) []DesiredIssue {
	want := map[RuleID]bool{}
	for _, r := range o.IssueRules() {
		want[r] = true
	}
	labels := o.IssueLabels()
	seen := map[string]bool{}
	var out []DesiredIssue
	for _, f := range res.Findings {
		// A private finding never reaches GitHub, whatever the Policy lists.
		if f.Exempt || !want[f.Rule] || seen[f.Fingerprint] || IsPrivate(f.Rule) {
			continue
		}
		seen[f.Fingerprint] = true
		out = append(out, DesiredIssue{
			Fingerprint: f.Fingerprint,
			Title:       IssueTitle(f),
			Labels:      append(append([]string(nil), labels...), labels[0]+"/"+string(f.Rule)),
			Assignee:    o.managerLogin(f.Subject),
			Finding:     f,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Fingerprint < out[j].Fingerprint })
	return out
}

// managerLogin is the GitHub login of the effective manager of a person,
// or of a team's manager when the subject is a team.
func (o *Org) managerLogin(subject string) string {
	var m string
	if p := o.Person(subject); p != nil {
		if ref := o.Manager(subject); ref.Known() {
			m = ref.Name
		}
	} else if t := o.team[subject]; t != nil {
		m = t.Manager
	}
	if mp := o.Person(m); mp != nil && mp.Status != "departed" {
		return mp.GitHub
	}
	return ""
}

// IssueTitle is a short, stable title for a finding's issue: its rule's
// Title, or "RULE: SUBJECT / OTHER".
func IssueTitle(f Finding) string {
	if r, ok := LookupRule(f.Rule); ok && r.Title != nil {
		return r.Title(f)
	}
	title := string(f.Rule) + ": " + f.Subject
	if f.Other != "" {
		title += " / " + f.Other
	}
	return strings.TrimSpace(title)
}
