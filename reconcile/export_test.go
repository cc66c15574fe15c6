package reconcile

import (
	"testing"
)

// Throwaway rule ids: rules that exist only while a test registers them.
const (
	ThrowawayRule     RuleID = "test-throwaway"
	ThrowawayPairRule RuleID = "test-throwaway-pair"
)

// WithThrowawayRules registers two rules for the rest of the test, each
// as one registry entry and nothing else, as a new rule would be:
// ThrowawayRule (a warning, opening an issue, about every person whose
// name starts with "zz") and ThrowawayPairRule (an error, forbidding
// anyone to be coached by someone whose name starts with "zz").
func WithThrowawayRules(t testing.TB) {
	t.Cleanup(withRule(&Rule{
		ID: ThrowawayRule, Default: Warning, Issue: true, FingerprintForm: "test-throwaway/PERSON",
		Summary: "a person's name starts with zz", Rationale: "Rules exist only to be tested.", Fix: "rename the person",
		Title: func(f Finding) string { return f.Subject + " is a test subject" },
		Check: func(c *checker) {
			for _, p := range c.subjects() {
				if len(p.Name) > 2 && p.Name[:2] == "zz" {
					c.emit(ThrowawayRule, SubjectPerson, p.Name, "", *p.Source, p.NamePos, Off, "%s is a test subject", p.Name)
				}
			}
		},
	}))
	t.Cleanup(withRule(&Rule{
		ID: ThrowawayPairRule, Default: Error, FingerprintForm: "test-throwaway-pair/PERSON/COACH",
		Summary: "the coach's name starts with zz", Rationale: "Rules exist only to be tested.", Fix: "choose another coach",
		OtherKind: SubjectPerson,
		Pairing: &PairRule{Coach: true,
			Breaks:  func(_ *Org, p Pair) bool { return len(p.Coach.Name) > 2 && p.Coach.Name[:2] == "zz" },
			Explain: func(_ *Org, p Pair) string { return p.Person.Name + " is coached by a test subject" }},
	}))
}

// HasOrigin reports whether something emits the rule's findings: the
// loader, its check, or JudgePair.
func HasOrigin(r *Rule) bool {
	n := 0
	if r.loader {
		n++
	}
	if r.Check != nil {
		n++
	}
	if r.Pairing != nil {
		n++
	}
	return n == 1
}

// ThrowawayPrivateRule exists only while WithPrivateRule registers it.
const ThrowawayPrivateRule RuleID = "test-private"

// WithPrivateRule registers, for the rest of the test, a private error
// rule (asking for issues, which it must never get) about every person
// whose name starts with "zz", naming "secret-other" in its finding.
func WithPrivateRule(t testing.TB) {
	t.Cleanup(withRule(&Rule{
		ID: ThrowawayPrivateRule, Default: Error, Private: true, Issue: true, FingerprintForm: "test-private/PERSON/OTHER",
		Summary: "a secret", Rationale: "Some findings are nobody else's business.", Fix: "talk to them",
		Check: func(c *checker) {
			for _, p := range c.subjects() {
				if len(p.Name) > 2 && p.Name[:2] == "zz" {
					c.emit(ThrowawayPrivateRule, SubjectPerson, p.Name, "secret-other", *p.Source, p.NamePos, Off, "%s and secret-other must never meet", p.Name)
				}
			}
		},
	}))
}
