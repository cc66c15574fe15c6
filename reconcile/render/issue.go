package render

import (
	"fmt"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
)

// IssueBody is the Markdown body of a finding's issue: the problem, why it
// matters, where to change it, candidates, and how to accept it instead.
// refused is the assignee GitHub refused ("" for none): the body says so
// and records it in an unassigned marker, so that the next run does not
// ask again. Everything from the org is escaped; email addresses never
// appear.
func IssueBody(d reconcile.DesiredIssue, refused string) string {
	f := d.Finding
	var b strings.Builder
	b.WriteString(marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: d.Fingerprint}) + "\n")
	if refused != "" {
		b.WriteString(marker.Write(marker.Marker{Kind: marker.Unassigned, Login: refused}) + "\n")
	}
	fmt.Fprintf(&b, "**%s**\n\n", EscapeMarkdown(sentenceNoDot(f.Message)))
	if ri, ok := reconcile.LookupRule(f.Rule); ok {
		fmt.Fprintf(&b, "### Why it matters\n\n%s\n\n", ri.Rationale)
		fmt.Fprintf(&b, "### What to change\n\n%s, in %s at line %d.\n\n", capitalise(ri.Fix), CodeSpan(f.Path()), f.Line)
	}
	if len(d.Candidates) > 0 {
		b.WriteString("### Candidates\n\n")
		for i, c := range d.Candidates {
			if i == 3 {
				break
			}
			fmt.Fprintf(&b, "- %s\n", EscapeMarkdown(c))
		}
		b.WriteString("\n")
	}
	if refused != "" {
		fmt.Fprintf(&b, "> [!NOTE]\n> %s\n\n", EscapeMarkdown(fmt.Sprintf("orgctl could not assign this issue to %s, the manager's GitHub login: GitHub refused it (is it a collaborator of this repository?).", refused)))
	}
	fmt.Fprintf(&b, "---\n<sub>Managed by orgctl (rule %s, fingerprint %s): kept up to date while the finding persists and closed when it is resolved. To accept the situation instead, add an exemption to the Policy (`spec.exemptions`: rule, person, reason, expires).</sub>\n", CodeSpan(string(f.Rule)), CodeSpan(d.Fingerprint))
	return b.String()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func sentenceNoDot(s string) string { return capitalise(strings.TrimSpace(s)) }
