package reconcile

import (
	"fmt"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// The rules of a pairing's life (issue 17): when it started, how long it
// has lasted, what came before, who may not be paired, and who coaches at
// all. Their registry entries are in registry.go; their checks are here.
const (
	RuleRotationDue    RuleID = "rotation-due"
	RuleRepeatPairing  RuleID = "repeat-pairing"
	RuleForbiddenPair  RuleID = "forbidden-pair"
	RulePairingDates   RuleID = "pairing-dates"
	RuleCoachUnwilling RuleID = "coach-unwilling"
)

const dateLayout = "2006-01-02"

// SetToday fixes the day the date rules judge against: rotation-due,
// repeat-pairing (and so JudgePair) and pairing-dates. Check sets it from
// Options.Today; a matcher working on an Org it built must set it before
// judging pairs (zero means the current day, resolved here, once). Not
// safe while pairs are being judged.
func (o *Org) SetToday(t time.Time) {
	if t.IsZero() {
		t = time.Now()
	}
	o.today = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	months := schema.DefaultNoRepeatMonths
	if o.Policy != nil {
		months = o.Policy.Coaching.NoRepeat()
	}
	o.repeatCutoff = RepeatCutoff(o.today, months)
}

// RepeatCutoff is the day (YYYY-MM-DD) exactly months before today: a past
// pairing that ended after it ended less than months ago and is too recent
// to repeat; one that ended on it or before may be repeated. The one
// definition of the window, for the repeat-pairing rule and the matcher;
// dates the schema let through compare as strings.
func RepeatCutoff(today time.Time, months int) string {
	return today.AddDate(0, -months, 0).Format(dateLayout)
}

// RotationDueOn reports whether a coaching pairing that started on since
// (YYYY-MM-DD) has lasted months or longer on today, and the day it fell
// due. Months count as time.AddDate counts them (31 January plus one month
// is 3 March). The one definition of "due" for the rotation-due rule,
// suggest --rotate and report; false for an unreadable date, a start
// after today or months < 1.
func RotationDueOn(since string, months int, today time.Time) (due bool, at time.Time) {
	start, ok := parseDay(since)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if !ok || months < 1 || start.After(day) {
		return false, time.Time{}
	}
	at = start.AddDate(0, months, 0)
	return !at.After(day), at
}

// Today is the day the date rules judge against; zero until SetToday (or
// Check) has run.
func (o *Org) Today() time.Time { return o.today }

// parseDay reads a YYYY-MM-DD date the schema let through; ok is false for
// a day the calendar does not have (2026-02-30).
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

// RotationDue reports whether p's current coaching pairing has lasted
// Policy.spec.coaching.rotateAfterMonths or longer by Today, and when it
// became due. False when the Policy sets no rotation, p has no coach or no
// readable coachSince, or no day is set.
func (o *Org) RotationDue(p *Person) (due bool, at time.Time) {
	if o.Policy == nil || o.Policy.Coaching.RotateAfterMonths == nil || p.Coach == "" || o.today.IsZero() {
		return false, time.Time{}
	}
	return RotationDueOn(p.Lifecycle().CoachSince, *o.Policy.Coaching.RotateAfterMonths, o.today)
}

func checkRotationDue(c *checker) {
	o := c.org
	c.eachPerson(RuleRotationDue, coachPair, func(i int32, p *Person) {
		if p.Status == schema.StatusDeparted || o.coach[i] < 0 || o.People[o.coach[i]].Status == schema.StatusDeparted {
			return
		}
		coach := o.People[o.coach[i]]
		if due, at := o.RotationDue(p); due {
			months := *o.Policy.Coaching.RotateAfterMonths
			c.emit(RuleRotationDue, SubjectPerson, p.Name, coach.Name, *p.Source, p.Lifecycle().CoachSincePos, Off,
				"%s has been coached by %s since %s; the Policy rotates coaching after %d months (due %s): plan a successor with orgctl suggest --rotate",
				p.Name, coach.Name, p.Lifecycle().CoachSince, months, at.Format(dateLayout))
		}
	})
}

// repeatPairing: the coach coached this person before, and that pairing
// ended within noRepeatMonths of today. Compares YYYY-MM-DD strings, so it
// allocates nothing.
func repeatPairing(o *Org, p Pair) bool {
	if o.repeatCutoff == "" {
		return false
	}
	_, ok := lastRepeat(o, p)
	return ok
}

// lastRepeat finds the latest past coaching pairing of p that ended after
// the cutoff.
func lastRepeat(o *Org, p Pair) (schema.PastPairing, bool) {
	var best schema.PastPairing
	found := false
	for _, pp := range p.Person.Lifecycle().PastPairings {
		if pp.Role == schema.RoleCoach && pp.Person == p.Coach.Name && pp.Until > o.repeatCutoff && (!found || pp.Until > best.Until) {
			best, found = pp, true
		}
	}
	return best, found
}

func explainRepeatPairing(o *Org, p Pair) string {
	months := schema.DefaultNoRepeatMonths
	if o.Policy != nil {
		months = o.Policy.Coaching.NoRepeat()
	}
	pp, _ := lastRepeat(o, p)
	return fmt.Sprintf("%s coached %s until %s, less than %d months ago (Policy.spec.coaching.noRepeatMonths): choose a coach %s has not had recently",
		p.Coach.Name, p.Person.Name, pp.Until, months, p.Person.Name)
}

// forbiddenPair: the two are listed together in Policy.spec.doNotPair.
func forbiddenPair(o *Org, p Pair) bool {
	if o.Policy == nil {
		return false
	}
	for _, d := range o.Policy.DoNotPair {
		if d.Forbids(p.Coach.Name, p.Person.Name) {
			return true
		}
	}
	return false
}

// explainForbiddenPair never gives the reason: that is for describe only.
func explainForbiddenPair(_ *Org, p Pair) string {
	return fmt.Sprintf("%s and %s are listed together in Policy.spec.doNotPair, so %s may not be %s's %s: choose someone else",
		p.Coach.Name, p.Person.Name, p.Coach.Name, p.Person.Name, p.Role)
}

// coachUnwilling: the coach has said they take no coachees.
func coachUnwilling(o *Org, p Pair) bool {
	if p.known() {
		return o.traits[p.coachID-1].flags&traitUnwilling != 0
	}
	return p.Coach.Lifecycle().CoachWilling != nil && !*p.Coach.Lifecycle().CoachWilling
}

func explainCoachUnwilling(_ *Org, p Pair) string {
	return fmt.Sprintf("%s's coach %s takes no coachees (coaching.willing: false): agree it with %s, or choose a coach who is willing",
		p.Person.Name, p.Coach.Name, p.Coach.Name)
}

// checkPairingDates reports dates no pairing can have: a start in the
// future, an end in the future, an end before its start, or a day the
// calendar does not have. One finding per field.
func checkPairingDates(c *checker) {
	today := c.org.today
	c.eachPerson(RulePairingDates, documentOnly, func(_ int32, p *Person) {
		bad := func(field, value, what string, pos schema.Pos) {
			c.emit(RulePairingDates, SubjectPerson, p.Name, field, *p.Source, pos, Off, "%s: spec.%s %s %s", p.Name, field, value, what)
		}
		// date checks one date; it returns the day when it is usable.
		date := func(field, value string, pos schema.Pos, kind string) (time.Time, bool) {
			if value == "" {
				return time.Time{}, false
			}
			t, ok := parseDay(value)
			if !ok {
				bad(field, value, "is not a day of the calendar: write a real date as YYYY-MM-DD", pos)
				return t, false
			}
			if t.After(today) {
				bad(field, value, fmt.Sprintf("is in the future (today is %s): %s", today.Format(dateLayout), kind), pos)
				return t, false
			}
			return t, true
		}
		const start = "a pairing starts when it has started; write the day it did"
		date("coachSince", p.Lifecycle().CoachSince, p.Lifecycle().CoachSincePos, start)
		for i, m := range p.Mentors {
			date(fmt.Sprintf("mentors[%d].since", i), m.Since, m.SincePos, start)
		}
		for i, pp := range p.Lifecycle().PastPairings {
			from, okFrom := date(fmt.Sprintf("pastPairings[%d].from", i), pp.From, pp.FromPos, start)
			field := fmt.Sprintf("pastPairings[%d].until", i)
			until, okUntil := date(field, pp.Until, pp.UntilPos,
				"a past pairing has ended; keep an ongoing one as spec.coach or spec.mentors")
			if okFrom && okUntil && until.Before(from) {
				bad(field, pp.Until, fmt.Sprintf("is before the pairing's start, %s: swap them or correct one", pp.From), pp.UntilPos)
			}
		}
	})
}

// checkDoNotPairReferences reports doNotPair entries that name nobody, as
// unknown-reference (run by checkReferences). The finding names the entry,
// never the people in it, not even the name that is wrong: the list is
// private, and unknown-reference findings are published.
func checkDoNotPairReferences(c *checker) {
	o := c.org
	pol := o.Policy
	if pol == nil {
		return
	}
	for i, d := range pol.DoNotPair {
		for j, name := range d.People {
			if name == "" || o.personNamed(name) {
				continue
			}
			pos := d.Pos
			if j < len(d.PeoplePos) {
				pos = d.PeoplePos[j]
			}
			field := fmt.Sprintf("doNotPair[%d].people[%d]", i, j)
			c.emit(RuleUnknownReference, SubjectPolicy, pol.Name, field, pol.Source, pos, Off,
				"Policy %s: spec.%s names no Person: correct the name at this line (doNotPair is private, so orgctl does not repeat it)",
				pol.Name, field)
		}
	}
}
