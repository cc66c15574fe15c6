package reconcile

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultIssueRules are the rules that get a GitHub issue when the Policy
// does not say otherwise.
var DefaultIssueRules = []string{"missing-coach", "missing-manager", "coach-is-manager", "inactive-assignee"}

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

// IssueRules returns the rules whose findings get an issue.
func (o *Org) IssueRules() []string {
	if o.Policy != nil && o.Policy.GitHub.IssuesSet {
		return o.Policy.GitHub.Issues
	}
	return DefaultIssueRules
}

// DesiredIssues turns the findings of res into the issues GitHub should
// have open: one per fingerprint of a rule listed in Policy.spec.github.
// issues, exempt findings excluded, sorted by fingerprint.
func (o *Org) DesiredIssues(res Result) []DesiredIssue {
	want := map[string]bool{}
	for _, r := range o.IssueRules() {
		want[r] = true
	}
	labels := o.IssueLabels()
	seen := map[string]bool{}
	var out []DesiredIssue
	for _, f := range res.Findings {
		if f.Exempt || !want[f.Rule] || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		out = append(out, DesiredIssue{
			Fingerprint: f.Fingerprint,
			Title:       IssueTitle(f),
			Labels:      append(append([]string(nil), labels...), labels[0]+"/"+f.Rule),
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
	if p := o.person[subject]; p != nil {
		if ref := o.manager[subject]; ref.Known() {
			m = ref.Name
		}
	} else if t := o.team[subject]; t != nil {
		m = t.Manager
	}
	if mp := o.person[m]; mp != nil && mp.Status != "departed" {
		return mp.GitHub
	}
	return ""
}

// IssueTitle is a short, stable title for a finding's issue.
func IssueTitle(f Finding) string {
	s, o := f.Subject, f.Other
	switch f.Rule {
	case "missing-coach":
		return fmt.Sprintf("%s has no coach", s)
	case "missing-manager":
		return fmt.Sprintf("%s has no manager", s)
	case "coach-is-manager":
		return fmt.Sprintf("%s is coached by their manager %s", s, o)
	case "inactive-assignee":
		return fmt.Sprintf("%s is paired with %s, who is no longer active", s, o)
	case "coach-in-management-chain":
		return fmt.Sprintf("%s's coach %s is in their management chain", s, o)
	case "coach-reports-to-coachee":
		return fmt.Sprintf("%s's coach %s reports to them", s, o)
	case "mentor-is-manager":
		return fmt.Sprintf("%s is mentored by their manager %s", s, o)
	case "roles-not-distinct":
		return fmt.Sprintf("%s is both coach and mentor of %s", o, s)
	case "coach-junior":
		return fmt.Sprintf("%s's coach %s is more junior", s, o)
	case "mentor-not-senior":
		return fmt.Sprintf("%s's mentor %s is not more senior", s, o)
	case "mentor-lacks-expertise":
		return fmt.Sprintf("%s's mentor %s lacks the domain", s, o)
	case "coach-capacity":
		return fmt.Sprintf("%s coaches too many people", s)
	case "span-of-control":
		return fmt.Sprintf("%s has too many direct reports", s)
	case "unknown-reference":
		return fmt.Sprintf("%s refers to %s, who does not exist", s, o)
	case "management-cycle":
		return fmt.Sprintf("management chain loops through %s", s)
	}
	title := f.Rule + ": " + s
	if o != "" {
		title += " / " + o
	}
	return strings.TrimSpace(title)
}
