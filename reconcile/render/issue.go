package render

import (
	"fmt"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

// IssueBody is the Markdown body of a finding's issue: the problem, why it
// matters, where to change it, candidates, and how to accept it instead.
// notes are extra lines (an assignee GitHub refused, say). Everything from
// the org is escaped; email addresses never appear.
func IssueBody(d reconcile.DesiredIssue, notes ...string) string {
	f := d.Finding
	var b strings.Builder
	b.WriteString(FingerprintMarker(d.Fingerprint) + "\n")
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
	for _, n := range notes {
		fmt.Fprintf(&b, "> [!NOTE]\n> %s\n\n", EscapeMarkdown(n))
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
