// Package report measures a coaching programme from its org files: who has
// a coach or a mentor, how loaded the coaches are against their capacity,
// how far apart in level coach and coachee are, how often coaching crosses
// a division, which pairings are due to rotate or carry no start date, and
// how coverage moved month by month over the git history. Compute is pure
// (an Org and a day in, a Report out); ReadTrend asks git. The printers
// live in reconcile/render.
package report

import (
	"sort"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// Options are the inputs of Compute besides the org.
type Options struct {
	// Today is the day rotations are judged against; zero means now.
	Today time.Time
}

// Report is everything `orgctl report` prints. Its JSON field names are an
// interface (scheduled workflows read them): never rename them.
type Report struct {
	// Today is the day the report was computed for, YYYY-MM-DD.
	Today    string   `json:"today"`
	Coverage Coverage `json:"coverage"`
	// Pairings counts the coaching pairings: a person who is not departed
	// whose coach is another participating person who is not departed.
	// Load, LevelGaps and CrossDivision are over these pairings.
	Pairings      int           `json:"pairings"`
	Load          []CoachLoad   `json:"load"`
	LevelGaps     LevelGaps     `json:"levelGaps"`
	CrossDivision CrossDivision `json:"crossDivision"`
	// RotationsDue lists the coaching pairings older than the Policy's
	// coaching.rotateAfterMonths on Today.
	RotationsDue []Rotation `json:"rotationsDue"`
	// Undated lists the coaching pairings and the mentoring pairings (a
	// mentee who is not departed, a mentor who is a participating person
	// other than the mentee and not departed) without a start date, by
	// person, the coach first.
	Undated []Undated `json:"undated"`
	Trend   Trend     `json:"trend"`
}

// Coverage counts the active internal people (status active, not external)
// and how many of them have a coach or a mentor who is a participating
// person other than themselves and not departed.
type Coverage struct {
	People     int `json:"people"`
	WithCoach  int `json:"withCoach"`
	WithMentor int `json:"withMentor"`
}

// CoachShare is the share of people with a coach, 0 to 1 (0 for no people).
func (c Coverage) CoachShare() float64 { return share(c.WithCoach, c.People) }

// MentorShare is the share of people with a mentor, 0 to 1.
func (c Coverage) MentorShare() float64 { return share(c.WithMentor, c.People) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Where a coach's capacity comes from.
const (
	CapacityPerson  = "person"  // the coach's own spec.coaching.capacity
	CapacityPolicy  = "policy"  // Policy rules.coach-capacity.max
	CapacityDefault = "default" // coach-capacity's default max
	CapacityOff     = "off"     // coach-capacity is off: no limit
)

// CoachLoad is one coach's number of coachees against their capacity.
type CoachLoad struct {
	Coach    string `json:"coach"`
	Coachees int    `json:"coachees"`
	Capacity int    `json:"capacity"`
	// CapacityFrom is CapacityPerson, CapacityPolicy, CapacityDefault or
	// CapacityOff (then Capacity is 0 and means no limit).
	CapacityFrom string `json:"capacityFrom"`
}

// Over reports whether the coach has more coachees than capacity.
func (l CoachLoad) Over() bool { return l.CapacityFrom != CapacityOff && l.Coachees > l.Capacity }

// LevelGaps is the histogram of coach level index minus coachee level
// index over the pairings where both levels are on the ladder and the
// coach is internal: 0 is a peer, negative is coached from below.
type LevelGaps struct {
	// Histogram has one bucket per gap from the smallest to the largest
	// seen, empty buckets included, in order.
	Histogram []GapCount `json:"histogram"`
	// Unknown counts the pairings left out: an external coach, or a level
	// that is missing or not on the ladder.
	Unknown int `json:"unknown"`
}

// GapCount is one bucket of the level-gap histogram.
type GapCount struct {
	Gap      int `json:"gap"`
	Pairings int `json:"pairings"`
}

// CrossDivision counts the pairings whose coach's division differs from the
// coachee's. A person's division is the one orgctl suggest uses: the team
// just below the root of their team tree (engineering under the company
// team acme), or the root itself for its own members.
type CrossDivision struct {
	// Compared counts the pairings where both have a division.
	Compared int `json:"compared"`
	Cross    int `json:"cross"`
	// Unknown counts the pairings where either is external or in a team
	// that does not exist.
	Unknown int `json:"unknown"`
}

// Share is Cross over Compared, 0 to 1.
func (c CrossDivision) Share() float64 { return share(c.Cross, c.Compared) }

// Rotation is a coaching pairing due to rotate.
type Rotation struct {
	Person string `json:"person"`
	Coach  string `json:"coach"`
	Since  string `json:"since"`
	// Due is Since plus rotateAfterMonths.
	Due string `json:"due"`
}

// Undated is a pairing without a start date.
type Undated struct {
	Person string `json:"person"`
	// Role is "coach" or "mentor".
	Role  string `json:"role"`
	Other string `json:"other"`
	// Domain is the mentoring domain (mentor only).
	Domain string `json:"domain,omitempty"`
}

// Compute measures one org. Lists are sorted and never nil, so that the
// same org gives the same report byte for byte.
func Compute(o *reconcile.Org, opts Options) Report {
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	r := Report{
		Today:        today.Format(time.DateOnly),
		Coverage:     CoverageOf(o),
		Load:         []CoachLoad{},
		RotationsDue: []Rotation{},
		Undated:      []Undated{},
		LevelGaps:    LevelGaps{Histogram: []GapCount{}},
		Trend:        Trend{Points: []TrendPoint{}, NotSeen: []string{}},
	}
	rank := map[string]int{}
	for i, l := range o.Levels() {
		rank[l] = i
	}
	rotate := 0 // months; 0: the Policy sets no rotation
	if o.Policy != nil && o.Policy.Coaching.RotateAfterMonths != nil {
		rotate = *o.Policy.Coaching.RotateAfterMonths
	}
	load := map[string]int{}
	gaps := map[int]int{}
	for _, p := range o.People {
		if p.Status == schema.StatusDeparted {
			continue
		}
		c := coachOf(o, p)
		if c != nil && p.Lifecycle().CoachSince == "" {
			r.Undated = append(r.Undated, Undated{Person: p.Name, Role: schema.RoleCoach, Other: c.Name})
		}
		for _, m := range p.Mentors {
			if m.Since == "" && pairable(o, p, m.Person) != nil {
				r.Undated = append(r.Undated, Undated{Person: p.Name, Role: schema.RoleMentor, Other: m.Person, Domain: m.Domain})
			}
		}
		if c == nil {
			continue
		}
		r.Pairings++
		load[c.Name]++
		if due, at := reconcile.RotationDueOn(p.Lifecycle().CoachSince, rotate, today); due {
			r.RotationsDue = append(r.RotationsDue, Rotation{Person: p.Name, Coach: c.Name, Since: p.Lifecycle().CoachSince, Due: at.Format(time.DateOnly)})
		}
		cr, okC := rank[c.Level]
		pr, okP := rank[p.Level]
		if c.External || p.External || !okC || !okP {
			r.LevelGaps.Unknown++
		} else {
			gaps[cr-pr]++
		}
		ct, pt := division(o, c), division(o, p)
		switch {
		case ct == "" || pt == "":
			r.CrossDivision.Unknown++
		case ct != pt:
			r.CrossDivision.Cross++
			r.CrossDivision.Compared++
		default:
			r.CrossDivision.Compared++
		}
	}
	for name, n := range load {
		capacity, from := capacityOf(o, o.Person(name))
		r.Load = append(r.Load, CoachLoad{Coach: name, Coachees: n, Capacity: capacity, CapacityFrom: from})
	}
	sort.Slice(r.RotationsDue, func(i, j int) bool {
		a, b := r.RotationsDue[i], r.RotationsDue[j]
		return a.Due < b.Due || a.Due == b.Due && a.Person < b.Person
	})
	sort.SliceStable(r.Undated, func(i, j int) bool { return r.Undated[i].Person < r.Undated[j].Person })
	sort.Slice(r.Load, func(i, j int) bool {
		a, b := r.Load[i], r.Load[j]
		if a.Coachees != b.Coachees {
			return a.Coachees > b.Coachees
		}
		return a.Coach < b.Coach
	})
	if len(gaps) > 0 {
		lo, hi := 1<<31-1, -1<<31
		for g := range gaps {
			lo, hi = min(lo, g), max(hi, g)
		}
		for g := lo; g <= hi; g++ {
			r.LevelGaps.Histogram = append(r.LevelGaps.Histogram, GapCount{Gap: g, Pairings: gaps[g]})
		}
	}
	return r
}

// CoverageOf counts the active internal people with a coach and with a
// mentor; the trend calls it on the org at each month's last commit.
func CoverageOf(o *reconcile.Org) Coverage {
	var c Coverage
	for _, p := range o.People {
		if p.Status != schema.StatusActive || p.External {
			continue
		}
		c.People++
		if coachOf(o, p) != nil {
			c.WithCoach++
		}
		for _, m := range p.Mentors {
			if pairable(o, p, m.Person) != nil {
				c.WithMentor++
				break
			}
		}
	}
	return c
}

// coachOf is p's coach when it is a participating person other than p who
// is not departed; a coach naming nobody, p, or someone who left does not
// coach.
func coachOf(o *reconcile.Org, p *reconcile.Person) *reconcile.Person {
	return pairable(o, p, p.Coach)
}

func pairable(o *reconcile.Org, p *reconcile.Person, name string) *reconcile.Person {
	if name == "" || name == p.Name {
		return nil
	}
	q := o.Person(name)
	if q == nil || q.Status == schema.StatusDeparted {
		return nil
	}
	return q
}

// division is p's division (Org.Division of p's team); "" for external
// people and a team that does not exist.
func division(o *reconcile.Org, p *reconcile.Person) string {
	if p.External {
		return ""
	}
	return o.Division(p.Team)
}

// capacityOf is a coach's capacity as coach-capacity judges it
// (Org.Lifecycle().CoachCapacity) and where it comes from.
func capacityOf(o *reconcile.Org, c *reconcile.Person) (int, string) {
	limit, limited := o.CoachCapacity(c)
	switch {
	case !limited:
		return 0, CapacityOff
	case c.Lifecycle().CoachCapacity != nil:
		return limit, CapacityPerson
	case o.Policy != nil && o.Policy.Rules[string(reconcile.RuleCoachCapacity)].Max != nil:
		return limit, CapacityPolicy
	}
	return limit, CapacityDefault
}
