package render

import (
	"fmt"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
	"github.com/orgctl/orgctl/reconcile/match"
)

// Reviews records which reviewers orgctl asked for on a proposal pull
// request, so that the next run neither asks again nor forgets one.
type Reviews struct {
	// Asked are logins whose review was requested.
	Asked []string
	// Refused are logins GitHub refused as reviewers (not a collaborator,
	// the pull request's author, ...).
	Refused []string
}

// ProposalBody is the Markdown body of a proposal pull request: who is
// proposed for whom and why, the rule's rationale, the one-line change,
// and what orgctl will do with the pull request. path is the file's path
// in the repository. Everything from the org is escaped; email addresses
// never appear, and reviewers are named without @, so nobody is mentioned.
func ProposalBody(d match.DesiredProposal, path string, r Reviews) string {
	s := d.Suggestion
	person, cand := EscapeMarkdown(s.Person), EscapeMarkdown(s.Candidate)
	var b strings.Builder
	b.WriteString(marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: d.Fingerprint}) + "\n")
	b.WriteString(marker.Write(marker.Marker{Kind: marker.Reviewers, Asked: r.Asked, Refused: r.Refused}) + "\n")
	b.WriteString(marker.Write(marker.Marker{Kind: marker.Pairs, Pairs: ProposalPairs(d)}) + "\n")
	fmt.Fprintf(&b, "**orgctl proposes %s as %s's coach.**\n\n", cand, person)
	if d.Finding.Message != "" {
		fmt.Fprintf(&b, "### Why %s needs a coach\n\n%s.", person, EscapeMarkdown(strings.TrimSuffix(sentenceNoDot(d.Finding.Message), ".")))
		if ri, ok := reconcile.LookupRule(d.Rule); ok {
			fmt.Fprintf(&b, " %s", ri.Rationale)
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "### Why %s\n\n", cand)
	for _, reason := range s.Reasons {
		fmt.Fprintf(&b, "- %s\n", EscapeMarkdown(reason))
	}
	b.WriteString("\norgctl chose this pairing in one assignment over everyone who needs a coach (`orgctl suggest` shows it): it breaks no rule at error severity and respects coaching capacity.\n\n")
	b.WriteString("### The change\n\n")
	verb := "adds"
	if s.Replaces != "" {
		verb = "changes"
	}
	fmt.Fprintf(&b, "This pull request %s one line, %s, in %s: what `orgctl suggest --write` writes.\n\n",
		verb, CodeSpan("spec.coach: "+s.Candidate), CodeSpan(path))
	writeReviewers(&b, d.People, r)
	for _, l := range r.Refused {
		fmt.Fprintf(&b, "> [!NOTE]\n> %s\n\n", EscapeMarkdown(fmt.Sprintf("orgctl could not request a review from %s: GitHub refused it (is it a collaborator of this repository, and not the author of this pull request?).", l)))
	}
	fmt.Fprintf(&b, "---\n<sub>Proposed by orgctl (rule %s, fingerprint %s): kept up to date while the finding persists, and closed with its branch deleted once the YAML no longer needs it. Closing it without merging tells orgctl not to propose it again.</sub>\n",
		CodeSpan(string(d.Rule)), CodeSpan(d.Fingerprint))
	return b.String()
}

// ProposalPairs are the pairings a proposal proposes, as its pairs marker
// records them for orgctl consent: the proposed coach and the coachee.
func ProposalPairs(d match.DesiredProposal) []marker.Pair {
	p := marker.Pair{Coach: d.Suggestion.Candidate, Coachee: d.Suggestion.Person}
	for _, who := range d.People {
		switch who.Role {
		case "coach":
			p.CoachLogin = who.GitHub
		case "coachee":
			p.CoacheeLogin = who.GitHub
		}
	}
	return []marker.Pair{p}
}

// writeReviewers says whose review was requested, in which role, and names
// the people orgctl could not ask because the org gives no GitHub login;
// the proposed coach and the coachee must both approve (orgctl consent).
func writeReviewers(b *strings.Builder, people []match.ProposalPerson, r Reviews) {
	var asked, unasked []string
	for _, who := range people {
		role := "the " + who.Role
		if who.Role == "coach" {
			role = "the proposed coach"
		}
		switch {
		case who.GitHub == "":
			unasked = append(unasked, fmt.Sprintf("%s (%s)", EscapeMarkdown(who.Name), role))
		case containsFoldString(r.Asked, who.GitHub):
			asked = append(asked, fmt.Sprintf("%s (%s)", CodeSpan(who.GitHub), role))
		}
	}
	if len(asked) > 0 {
		fmt.Fprintf(b, "Review requested from %s.\n\n", strings.Join(asked, ", "))
	}
	if len(unasked) > 0 {
		fmt.Fprintf(b, "No GitHub login in the org for %s: ask them in person, and add their login so that orgctl can request their review.\n\n", strings.Join(unasked, ", "))
	}
	b.WriteString("The proposed coach and the coachee both approve this pull request on its latest commit before it is merged: `orgctl consent` checks it.\n\n")
}

func containsFoldString(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
