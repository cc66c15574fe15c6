package reconcile

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/orgctl/orgctl/schema"
	"github.com/orgctl/orgctl/schema/yamledit"
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
	Rule string
	// Finding is the finding resolved.
	Finding    Finding
	Suggestion Suggestion
	// Manager is the person's effective manager ("" when unknown).
	Manager string
	// Reviewers are the GitHub logins of the effective manager and of the
	// proposed coach, when known, without repeats.
	Reviewers []string
	// File is the path of the person's file relative to the org root
	// (Source.Rel), and Doc the index of the person's document in it.
	File string
	Doc  int
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
// a finding, sorted by fingerprint.
func (o *Org) DesiredProposals(res Result) ([]DesiredProposal, error) {
	out, err := o.Suggest(res, SuggestRequest{Role: RoleCoach})
	if err != nil {
		return nil, fmt.Errorf("suggesting coaches: %w", err)
	}
	findings := map[string]Finding{}
	for _, f := range res.Findings {
		if _, ok := findings[f.Fingerprint]; !ok {
			findings[f.Fingerprint] = f
		}
	}
	labels := o.IssueLabels()
	var props []DesiredProposal
	for _, s := range out.Suggestions {
		p := o.person[s.Person]
		if s.Fixes == "" || p == nil {
			continue
		}
		f := findings[s.Fixes]
		d := DesiredProposal{
			Fingerprint: s.Fixes,
			Branch:      ProposalBranch(s.Fixes),
			Title:       ProposalTitle(s),
			Labels:      append(append([]string(nil), labels...), labels[0]+"/"+f.Rule),
			Rule:        f.Rule,
			Finding:     f,
			Suggestion:  s,
			File:        p.Source.Rel,
			Doc:         p.Source.Doc,
		}
		if ref := o.manager[s.Person]; ref.Known() {
			d.Manager = ref.Name
		}
		for _, name := range []string{d.Manager, s.Candidate} {
			if q := o.person[name]; q != nil && q.GitHub != "" && q.Status != schema.StatusDeparted && !containsFold(d.Reviewers, q.GitHub) {
				d.Reviewers = append(d.Reviewers, q.GitHub)
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

// EditForSuggestion returns data, the text of the file holding the person
// of s, with s written into document doc: the coach field set (or added),
// a mentor entry replaced or appended. It changes only the lines it must
// (see yamledit.SetField and yamledit.AppendToList). It refuses a document
// that is not the person's, so that an edit computed from one version of
// a file is never applied to the wrong person in another.
func EditForSuggestion(data []byte, doc int, s Suggestion) ([]byte, error) {
	out, err := EditForSuggestions(data, []SuggestionEdit{{Doc: doc, Suggestion: s}})
	var se *SuggestionEditError
	if errors.As(err, &se) {
		return nil, se.Err
	}
	return out, err
}

// SuggestionEdit is one suggestion to write into document Doc of a file.
type SuggestionEdit struct {
	Doc        int
	Suggestion Suggestion
}

// SuggestionEditError is the error of EditForSuggestions when the
// suggestion for Person cannot be written; Err says why.
type SuggestionEditError struct {
	Person string
	Err    error
}

func (e *SuggestionEditError) Error() string { return e.Person + ": " + e.Err.Error() }
func (e *SuggestionEditError) Unwrap() error { return e.Err }

// EditForSuggestions writes every suggestion of edits into data, the text
// of one file, as EditForSuggestion writes one, but parsing and checking
// the file once: its cost is linear in the file and the number of edits,
// so `suggest --write` stays fast on a file of 20,000 people. Nothing is
// changed unless every edit can be made.
func EditForSuggestions(data []byte, edits []SuggestionEdit) ([]byte, error) {
	list := make([]yamledit.Edit, 0, 2*len(edits))
	for _, e := range edits {
		s := e.Suggestion
		// The document must be the person's: an edit computed from one
		// version of a file is never applied to someone else in another.
		list = append(list, yamledit.Edit{Doc: e.Doc, Path: []string{"metadata", "name"}, Value: s.Person, Keep: true})
		switch {
		case s.Role == RoleCoach:
			list = append(list, yamledit.Edit{Doc: e.Doc, Path: []string{"spec", "coach"}, Value: s.Candidate})
		case s.Entry >= 0:
			list = append(list, yamledit.Edit{Doc: e.Doc, Path: []string{"spec", "mentors", fmt.Sprint(s.Entry), "person"}, Value: s.Candidate})
		default:
			list = append(list, yamledit.Edit{Doc: e.Doc, Path: []string{"spec", "mentors"},
				Item: []yamledit.Field{{Key: "person", Value: s.Candidate}, {Key: "domain", Value: s.Domain}}})
		}
	}
	out, err := yamledit.EditFile(data, list)
	var ee *yamledit.EditError
	if !errors.As(err, &ee) {
		return out, err
	}
	e := edits[ee.Edit/2]
	switch {
	case ee.Edit%2 == 1:
		err = ee.Err
	case errors.Is(ee.Err, yamledit.ErrNotAsExpected):
		err = fmt.Errorf("document %d of the file is not %s's: the file changed since it was read; run again", e.Doc+1, e.Suggestion.Person)
	default:
		err = fmt.Errorf("finding %s in the file: %w", e.Suggestion.Person, ee.Err)
	}
	return nil, &SuggestionEditError{Person: e.Suggestion.Person, Err: err}
}
