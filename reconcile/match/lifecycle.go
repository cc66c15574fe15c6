package match

// The pairing's life (issue 17): pairs the Policy forbids, past pairings
// too recent to repeat, and coaching pairings due to rotate. These are hard
// constraints: whatever severity the Policy gives the rules that flag them
// in declared pairings, the matcher never proposes such a pair.

import (
	"errors"
	"fmt"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// ErrNoDomain is the error of Suggest for mentors when the request names
// no domain and nobody it covers lists spec.mentoringWanted.
var ErrNoDomain = errors.New("mentoring is always in a domain: name one (e.g. kubernetes), or list the domains people want in spec.mentoringWanted")

// day parses a YYYY-MM-DD date.
func day(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// dateOf is t's calendar day, in t's own location, as a UTC midnight: what
// dates written in the YAML are compared with.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// lifecycle is what the Policy and the people's histories rule out.
type lifecycle struct {
	today    time.Time // zero: not known
	noRepeat int       // months after a pairing ended in which it is not proposed again
	rotate   int       // months a coaching pairing lasts; 0: no rotation
	// avoid holds both orders of every pair of people the Policy's
	// doNotPair lists.
	avoid map[[2]string]bool
}

func newLifecycle(o *reconcile.Org, today time.Time) lifecycle {
	l := lifecycle{noRepeat: schema.DefaultNoRepeatMonths, avoid: map[[2]string]bool{}}
	if !today.IsZero() {
		l.today = dateOf(today)
	}
	if pol := o.Policy; pol != nil {
		l.noRepeat = pol.Coaching.NoRepeat()
		if m := pol.Coaching.RotateAfterMonths; m != nil && *m > 0 {
			l.rotate = *m
		}
		for _, d := range pol.DoNotPair {
			for i, a := range d.People {
				for _, b := range d.People[i+1:] {
					if a != b {
						l.avoid[[2]string{a, b}] = true
						l.avoid[[2]string{b, a}] = true
					}
				}
			}
		}
	}
	return l
}

// recentPast lists the people p may not get again in role (in domain, for
// mentors): their past coaches (mentors in the domain) whose pairing ended
// less than noRepeat months before today. An end date that is missing or
// not a date counts as recent, and so does every past pairing when today
// is not known: the matcher errs on the side of not repeating.
func (l lifecycle) recentPast(p *reconcile.Person, role, domain string) map[string]string {
	var out map[string]string
	for _, pp := range p.Lifecycle().PastPairings {
		if pp.Role != role || role == RoleMentor && domainKey(pp.Domain) != domainKey(domain) {
			continue
		}
		if _, ok := day(pp.Until); ok && !l.today.IsZero() && pp.Until <= reconcile.RepeatCutoff(l.today, l.noRepeat) {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[pp.Person] = pp.Until
	}
	return out
}

// rotationDue reports whether p's coaching pairing is due to rotate: the
// Policy sets coaching.rotateAfterMonths, p has a coach (not themselves)
// and a coachSince date, and that many months have passed since it by
// today.
func (l lifecycle) rotationDue(p *reconcile.Person) bool {
	if l.rotate == 0 || l.today.IsZero() || p.Coach == "" || p.Coach == p.Name {
		return false
	}
	due, _ := reconcile.RotationDueOn(p.Lifecycle().CoachSince, l.rotate, l.today)
	return due
}

// rotateWhy says why a rotation-due coach is replaced.
func (l lifecycle) rotateWhy(p *reconcile.Person) string {
	return fmt.Sprintf("whose pairing started on %s and is due to rotate after %d months", p.Lifecycle().CoachSince, l.rotate)
}

// willing reports whether p takes coachees (coaching.willing is not false).
func willing(p *reconcile.Person) bool {
	return p.Lifecycle().CoachWilling == nil || *p.Lifecycle().CoachWilling
}
