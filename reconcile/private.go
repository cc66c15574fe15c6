package reconcile

import (
	"fmt"
	"slices"
	"strings"
)

// IsPrivate reports whether findings of the rule never leave the machine
// in detail (Rule.Private).
func IsPrivate(id RuleID) bool {
	r, ok := LookupRule(id)
	return ok && r.Private
}

// PrivateCount counts the private findings an output that is published
// (workflow annotations, the step summary, SARIF, the plan comment and
// plan JSON, GitHub issues) leaves out: how many, and of which rules.
type PrivateCount struct {
	N     int
	Rules []RuleID // in registry order
}

// Note says what was left out, or "" when nothing was: "1 private finding
// (forbidden-pair) not shown here: run orgctl validate locally".
func (c PrivateCount) Note() string {
	if c.N == 0 {
		return ""
	}
	words := "1 private finding"
	if c.N > 1 {
		words = fmt.Sprintf("%d private findings", c.N)
	}
	ids := make([]string, len(c.Rules))
	for i, r := range c.Rules {
		ids[i] = string(r)
	}
	return fmt.Sprintf("%s (%s) not shown here: run orgctl validate locally", words, strings.Join(ids, ", "))
}

// Publishable splits findings into those an output that is published may
// show in detail, in their order, and the count of the private ones.
// Private findings still count in a Result's Summary and for the exit code.
func Publishable(fs []Finding) ([]Finding, PrivateCount) {
	var c PrivateCount
	for _, f := range fs {
		if IsPrivate(f.Rule) {
			c.add(f.Rule)
		}
	}
	if c.N == 0 {
		return fs, c
	}
	out := make([]Finding, 0, len(fs)-c.N)
	for _, f := range fs {
		if !IsPrivate(f.Rule) {
			out = append(out, f)
		}
	}
	return out, c
}

func (c *PrivateCount) add(id RuleID) {
	c.N++
	for i, r := range c.Rules {
		if r == id {
			return
		}
		if RuleOrder(id) < RuleOrder(r) {
			c.Rules = append(c.Rules[:i], append([]RuleID{id}, c.Rules[i:]...)...)
			return
		}
	}
	c.Rules = append(c.Rules, id)
}

// Plus is the count of both c and d.
func (c PrivateCount) Plus(d PrivateCount) PrivateCount {
	out := PrivateCount{N: c.N + d.N, Rules: slices.Clone(c.Rules)}
	for _, r := range d.Rules {
		if !slices.Contains(out.Rules, r) {
			out.Rules = append(out.Rules, r)
		}
	}
	slices.SortFunc(out.Rules, func(a, b RuleID) int { return RuleOrder(a) - RuleOrder(b) })
	return out
}

// Redact strips a private finding to what may travel (in plan JSON, say):
// its rule, severity and whether it is exempt. Who and where are dropped;
// the message is the note of PrivateCount.
func Redact(f Finding) Finding {
	if !IsPrivate(f.Rule) {
		return f
	}
	return Finding{Rule: f.Rule, Severity: f.Severity, Exempt: f.Exempt,
		Message: PrivateCount{N: 1, Rules: []RuleID{f.Rule}}.Note()}
}
