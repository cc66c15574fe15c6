package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ConsentFormats are the output formats of orgctl consent.
var ConsentFormats = []string{"text", "json", "markdown"}

// ConsentReport is the verdict of orgctl consent on one proposal pull
// request: whether every proposed coach and coachee approved its current
// head commit, and who is still missing and why.
type ConsentReport struct {
	Repo        string        `json:"repo"`
	PullRequest int           `json:"pullRequest"`
	HeadSHA     string        `json:"headSha"`
	Passed      bool          `json:"passed"`
	Pairs       []ConsentPair `json:"pairs"`
}

// ConsentPair is one proposed pairing and where each side's consent stands.
type ConsentPair struct {
	Coach   ConsentPerson `json:"coach"`
	Coachee ConsentPerson `json:"coachee"`
}

// ConsentPerson is where one person's consent stands.
type ConsentPerson struct {
	// Name is the person's name in the org; Login their GitHub login
	// ("" when the org names none).
	Name  string `json:"name"`
	Login string `json:"login,omitempty"`
	// Approved is true only for an approval of the current head commit.
	Approved bool `json:"approved"`
	// Status says why, in words: one of the Consent* constants.
	Status string `json:"status"`
	// Commit is the commit of the review Status comes from ("" for none).
	Commit string `json:"commit,omitempty"`
}

// What a person's latest state-changing review says (ConsentPerson.Status).
const (
	ConsentApproved        = "approved"
	ConsentOlderCommit     = "approved an older commit"
	ConsentChanges         = "requested changes"
	ConsentDismissed       = "dismissed"
	ConsentNoReview        = "has not reviewed"
	ConsentNoLogin         = "has no GitHub login in the org"
	consentRoleCoach       = "coach"
	consentRoleCoachee     = "coachee"
	consentVerdictPassed   = "consent given"
	consentVerdictNotGiven = "consent missing"
)

// Missing lists who has not consented, as "ROLE NAME (LOGIN): STATUS".
func (r ConsentReport) Missing() []string {
	var out []string
	for _, p := range r.Pairs {
		for _, side := range []struct {
			role string
			who  ConsentPerson
		}{{consentRoleCoach, p.Coach}, {consentRoleCoachee, p.Coachee}} {
			if !side.who.Approved {
				out = append(out, fmt.Sprintf("%s %s: %s", side.role, personLabel(side.who), side.who.Status))
			}
		}
	}
	return out
}

func personLabel(p ConsentPerson) string {
	if p.Login == "" {
		return p.Name
	}
	return p.Name + " (" + p.Login + ")"
}

// WriteConsent renders r as text, json or markdown (a step summary).
func WriteConsent(format string, w io.Writer, r ConsentReport) error {
	switch format {
	case "text", "":
		bw := bufio.NewWriter(w)
		verdict := consentVerdictNotGiven
		if r.Passed {
			verdict = consentVerdictPassed
		}
		fmt.Fprintf(bw, "%s#%d at %s: %s\n", r.Repo, r.PullRequest, shortSHA(r.HeadSHA), verdict)
		for _, p := range r.Pairs {
			fmt.Fprintf(bw, "  %s coaches %s\n", p.Coach.Name, p.Coachee.Name)
			fmt.Fprintf(bw, "    coach   %s: %s\n", personLabel(p.Coach), p.Coach.Status)
			fmt.Fprintf(bw, "    coachee %s: %s\n", personLabel(p.Coachee), p.Coachee.Status)
		}
		return bw.Flush()
	case "json":
		if r.Pairs == nil {
			r.Pairs = []ConsentPair{}
		}
		return WriteJSON(w, r)
	case "markdown", "md":
		_, err := io.WriteString(w, consentMarkdown(r))
		return err
	}
	return fmt.Errorf("unknown output format %q: use text, json or markdown", format)
}

func consentMarkdown(r ConsentReport) string {
	var b strings.Builder
	verdict := "Consent missing"
	if r.Passed {
		verdict = "Consent given"
	}
	fmt.Fprintf(&b, "## orgctl consent: %s\n\n", verdict)
	fmt.Fprintf(&b, "Pull request %s at %s: the proposed coach and the coachee must both approve its latest commit.\n\n",
		CodeSpan(fmt.Sprintf("%s#%d", r.Repo, r.PullRequest)), CodeSpan(shortSHA(r.HeadSHA)))
	b.WriteString("| Pairing | Role | Person | GitHub | Consent |\n|---|---|---|---|---|\n")
	for _, p := range r.Pairs {
		pair := EscapeMarkdown(p.Coach.Name + " coaches " + p.Coachee.Name)
		for _, side := range []struct {
			role string
			who  ConsentPerson
		}{{consentRoleCoach, p.Coach}, {consentRoleCoachee, p.Coachee}} {
			mark := "❌ "
			if side.who.Approved {
				mark = "✅ "
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", pair, side.role, EscapeMarkdown(side.who.Name),
				EscapeMarkdown(side.who.Login), mark+EscapeMarkdown(side.who.Status))
		}
	}
	return b.String()
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
