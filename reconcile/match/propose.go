package match

import (
	"fmt"
	"github.com/orgctl/orgctl/reconcile"
	"sort"
	"strings"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// ProposalBranchPrefix starts the name of every branch orgctl proposes from.
const ProposalBranchPrefix = "orgctl/"

// DesiredProposal is the pull request one coach suggestion should have: the
// pure desired state that apply --propose reconciles GitHub towards. Its
// fingerprint is the fingerprint of the finding the suggestion resolves, so
// the proposal and that finding's issue share it (they are different
// objects: an issue and a pull request).
type DesiredProposal struct {
	Fingerprint string
	// Branch is orgctl/ followed by the fingerprint with "/" as "-".
	Branch string
	Title  string
	// Labels are the Policy's labels plus orgctl/RULE.
	Labels []string
	// Rule is the rule of the finding resolved.
	Rule reconcile.RuleID
	// Finding is the finding resolved.
	Finding    reconcile.Finding
	Suggestion Suggestion
	// Manager is the person's effective manager ("" when unknown).
	Manager string
	// Reviewers are the GitHub logins of the effective manager, of the
	// proposed coach and of the coachee, when known, without repeats.
	Reviewers []string
	// People are the proposed coach, the coachee and the effective
	// manager (when known), in that order, each with their GitHub login
	// ("" when the org names none or they have left): whose review the
	// proposal asks for, and whose consent orgctl consent checks.
	People []ProposalPerson
	// File is the path of the person's file relative to the org root
	// (Source.Rel), and Doc the index of the person's document in it.
	File string
	Doc  int
}

// ProposalPerson is one person a proposal concerns, in a role: "coach",
// "coachee" or "manager".
type ProposalPerson struct {
	Role, Name, GitHub string
}

// ProposalBranch is the branch a proposal for fingerprint lives on.
func ProposalBranch(fingerprint string) string {
	return ProposalBranchPrefix + strings.ReplaceAll(fingerprint, "/", "-")
}

// ProposalTitle is a short, stable title for a coach proposal.
func ProposalTitle(s Suggestion) string {
	if s.Replaces != "" && s.Replaces != s.Person {
		return fmt.Sprintf("Propose %s as %s's coach instead of %s", s.Candidate, s.Person, s.Replaces)
	}
	return fmt.Sprintf("Propose %s as %s's coach", s.Candidate, s.Person)
}

// DesiredProposals turns the global coach assignment (Suggest) into the
// pull requests GitHub should have open: one per suggestion that resolves
// a finding, sorted by fingerprint. The pairings start today (zero: no
// dates are written; see Suggestion.Since).
func DesiredProposals(o *reconcile.Org, res reconcile.Result, today time.Time) ([]DesiredProposal, error) {
	out, err := Suggest(o, res, Request{Role: RoleCoach, Today: today})
	if err != nil {
		return nil, fmt.Errorf("suggesting coaches: %w", err)
	}
	findings := map[string]reconcile.Finding{}
	for _, f := range res.Findings {
		if _, ok := findings[f.Fingerprint]; !ok {
			findings[f.Fingerprint] = f
		}
	}
	labels := o.IssueLabels()
	var props []DesiredProposal
	for _, s := range out.Suggestions {
		p := o.Person(s.Person)
		if s.Fixes == "" || p == nil {
			continue
		}
		f := findings[s.Fixes]
		d := DesiredProposal{
			Fingerprint: s.Fixes,
			Branch:      ProposalBranch(s.Fixes),
			Title:       ProposalTitle(s),
			Labels:      append(append([]string(nil), labels...), labels[0]+"/"+string(f.Rule)),
			Rule:        f.Rule,
			Finding:     f,
			Suggestion:  s,
			File:        p.Source.Rel,
			Doc:         p.Source.Doc,
		}
		if ref := o.Manager(s.Person); ref.Known() {
			d.Manager = ref.Name
		}
		for _, who := range []ProposalPerson{{Role: "coach", Name: s.Candidate}, {Role: "coachee", Name: s.Person}, {Role: "manager", Name: d.Manager}} {
			if who.Name == "" {
				continue
			}
			if q := o.Person(who.Name); q != nil && q.Status != schema.StatusDeparted {
				who.GitHub = q.GitHub
			}
			d.People = append(d.People, who)
		}
		for _, role := range []string{"manager", "coach", "coachee"} {
			for _, who := range d.People {
				if who.Role == role && who.GitHub != "" && !containsFold(d.Reviewers, who.GitHub) {
					d.Reviewers = append(d.Reviewers, who.GitHub)
				}
			}
		}
		props = append(props, d)
	}
	sort.Slice(props, func(i, j int) bool { return props[i].Fingerprint < props[j].Fingerprint })
	return props, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
