package render

import (
	"fmt"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
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

const reviewersMarkerStart = "<!-- orgctl:reviewers="

// ReviewersMarker is the hidden line that carries r in a proposal's body:
// asked logins, then refused ones preceded by "!", separated by commas;
// each login is encoded as FingerprintMarker encodes a fingerprint, so that
// none can end the comment or forge an entry.
func ReviewersMarker(r Reviews) string {
	var parts []string
	for _, l := range r.Asked {
		parts = append(parts, encodeMarkerValue(l))
	}
	for _, l := range r.Refused {
		parts = append(parts, "!"+encodeMarkerValue(l))
	}
	return reviewersMarkerStart + strings.Join(parts, ",") + markerEnd
}

// ParseReviewersMarker reads the reviewers marker of a proposal's body;
// ok is false when the body has none.
func ParseReviewersMarker(body string) (r Reviews, ok bool) {
	i := strings.Index(body, reviewersMarkerStart)
	if i < 0 {
		return r, false
	}
	rest := body[i+len(reviewersMarkerStart):]
	end := strings.Index(rest, markerEnd)
	if end < 0 {
		return r, false
	}
	for _, p := range strings.Split(rest[:end], ",") {
		refused := strings.HasPrefix(p, "!")
		login, ok := decodeMarkerValue(strings.TrimPrefix(p, "!"))
		switch {
		case !ok:
			return Reviews{}, false
		case login == "":
		case refused:
			r.Refused = append(r.Refused, login)
		default:
			r.Asked = append(r.Asked, login)
		}
	}
	return r, true
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
	b.WriteString(FingerprintMarker(d.Fingerprint) + "\n")
	b.WriteString(ReviewersMarker(r) + "\n")
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
	if len(r.Asked) > 0 {
		names := make([]string, len(r.Asked))
		for i, l := range r.Asked {
			names[i] = CodeSpan(l)
		}
		fmt.Fprintf(&b, "Review requested from %s (the manager and the proposed coach).\n\n", strings.Join(names, " and "))
	}
	for _, l := range r.Refused {
		fmt.Fprintf(&b, "> [!NOTE]\n> %s\n\n", EscapeMarkdown(fmt.Sprintf("orgctl could not request a review from %s: GitHub refused it (is it a collaborator of this repository, and not the author of this pull request?).", l)))
	}
	fmt.Fprintf(&b, "---\n<sub>Proposed by orgctl (rule %s, fingerprint %s): kept up to date while the finding persists, and closed with its branch deleted once the YAML no longer needs it. Closing it without merging tells orgctl not to propose it again.</sub>\n",
		CodeSpan(string(d.Rule)), CodeSpan(d.Fingerprint))
	return b.String()
}
