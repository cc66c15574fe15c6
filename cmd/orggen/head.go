package main

import (
	"fmt"
	"math/rand/v2"
)

// change turns the base org into the head of a pull request that touches
// about 1% of people: one team gets a new manager (a member who reported
// to the lead takes over, and the old lead now reports to them), one coach
// departs (their coachees get inactive-assignee), 0.2% of people leave the
// files, 0.6% get another coach, and 0.2% join (the first of them without
// a coach yet: missing-coach). It draws from its own random stream, so
// the base part is byte for byte the base org.
func (o *org) change(seed uint64) error {
	o.r = rand.New(rand.NewPCG(seed, 0x68656164))
	n := o.stats.People

	if err := o.newTeamManager(); err != nil {
		return err
	}

	// One coach of a few people departs; their coachees keep naming them.
	departing := -1
	for _, i := range o.plainMembers(o.r) {
		if p := o.people[i]; p.load > 0 && p.mentees == 0 && (departing < 0 || p.load > o.people[departing].load) {
			departing = i
			if p.load >= 3 {
				break
			}
		}
	}
	if departing < 0 {
		return fmt.Errorf("no coach to let go: the org is too small")
	}
	d := o.people[departing]
	d.status, d.pinned = departed, true
	for _, p := range o.people {
		if p.coach == departing {
			p.pinned = true
			o.stats.Findings["inactive-assignee"]++
		}
	}
	o.stats.Departures = 1

	// People who leave the files: members who coach and mentor nobody.
	for _, i := range o.plainMembers(o.r) {
		if o.stats.Removed == max(1, n/500) {
			break
		}
		p := o.people[i]
		if p.load > 0 || p.mentees > 0 {
			continue
		}
		p.removed = true
		if p.coach >= 0 {
			o.people[p.coach].load--
		}
		o.stats.Removed++
	}

	// Coach changes.
	for _, i := range o.plainMembers(o.r) {
		if o.stats.CoachChanges == max(2, n*6/1000) {
			break
		}
		p := o.people[i]
		if p.coach < 0 {
			continue
		}
		old := p.coach
		o.people[old].load--
		c := o.findCoach(i, old)
		if c < 0 {
			o.people[old].load++
			continue
		}
		p.coach, p.pinned = c, true
		o.people[c].load++
		o.stats.CoachChanges++
	}

	// Newcomers, each under the sub-lead of their team with the fewest
	// reports; the first has no coach yet.
	reports := make([]int, len(o.people))
	for _, p := range o.people {
		if p.manager >= 0 && !p.removed {
			reports[p.manager]++
		}
	}
	for k := range max(2, n/500) {
		ti := 1 + o.r.IntN(len(o.teams)-1)
		t := o.teams[ti]
		boss := -1
		for _, m := range t.members {
			if o.people[m].role == sublead && !o.people[m].pinned && (boss < 0 || reports[m] < reports[boss]) {
				boss = m
			}
		}
		if boss < 0 || reports[boss] >= maxSpan {
			continue
		}
		p := o.newPerson(ti, memberRank(o.r), member)
		i := len(o.people) - 1
		p.manager, p.pinned = boss, true
		reports[boss]++
		reports = append(reports, 0)
		t.members = append(t.members, i)
		o.stats.Added++
		if k == 0 {
			o.stats.Findings["missing-coach"]++
			continue
		}
		c := o.findCoach(i, -1)
		if c < 0 {
			return fmt.Errorf("no coach left for newcomer %s", p.name)
		}
		p.coach = c
		o.people[c].load++
	}
	o.count()
	return nil
}

// newTeamManager hands one team (below the company team, whose lead
// coaches nobody in it) to a member who reported to its lead
// directly. The team's span of control stays the same: the old lead takes
// the new lead's place among the reports.
func (o *org) newTeamManager() error {
	order := o.r.Perm(len(o.teams))
	for _, ti := range order {
		t := o.teams[ti]
		if t.depth < 1 {
			continue
		}
		next := -1
		clean := true
		for _, m := range t.members {
			p := o.people[m]
			clean = clean && p.coach != t.lead // a deliberate coach-is-manager would go
			if next < 0 && p.role == member && p.manager < 0 && p.status == active && !p.deliberate {
				next = m
			}
		}
		if !clean || next < 0 {
			continue
		}
		old := t.lead
		t.lead = next
		o.people[next].role, o.people[next].pinned = lead, true
		o.people[old].role, o.people[old].pinned = sublead, true
		o.stats.ManagerChanges = 1
		return nil
	}
	return fmt.Errorf("no team can change its manager: the org is too small")
}
