package reconcile

// What the matcher (package reconcile/match) reads of an Org beyond its
// exported fields: the same answers the checker works from, so that the
// two never disagree about a level, a severity or a capacity.

// LevelRank is p's index on the Policy's level ladder, or -1 when p is
// external or their level is not on it.
func (o *Org) LevelRank(p *Person) int { return o.levelRank(p) }

// LevelIndex is the index of the level named name on the ladder.
func (o *Org) LevelIndex(name string) (int, bool) {
	r, ok := o.rank[name]
	return r, ok
}

// HasPersonName reports whether some Person document is named name, even
// one whose errors keep it out of People.
func (o *Org) HasPersonName(name string) bool { return o.personNamed(name) }

// Severities is the severity of every rule after the Policy's overrides.
func (o *Org) Severities() map[RuleID]Severity { return ruleSeverities(o.Policy) }

// HasExpertise reports whether p lists domain in their expertise (case and
// surrounding space ignored), as mentor-lacks-expertise judges it.
func HasExpertise(p *Person, domain string) bool { return hasExpertise(p, domain) }

// DidYouMean is " (did you mean "x"?)" for the candidate closest to name,
// or "" when none is close: the hint every unknown name gets.
func DidYouMean(name string, candidates []string) string { return didYouMean(name, candidates) }
