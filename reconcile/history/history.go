// Package history tells the story of one person's coaching and mentoring
// pairings: who coached and mentored them, and whom they coached and
// mentored, over time. It reads two sources: the files (the current
// pairings with their start dates, and spec.pastPairings) and, where the
// repository's history is there, git (each commit that touched the org
// files, and when a coach or mentor value changed). Nothing here reads the
// clock: dates come from the files and from commits.
package history

import (
	"cmp"
	"slices"

	"github.com/orgctl/orgctl/schema"
)

// Pairing is one coaching or mentoring pairing: Coach coaches (or, for
// the mentor role, mentors in Domain) Person. The person whose history it
// is appears as one of the two.
type Pairing struct {
	// Role is schema.RoleCoach or schema.RoleMentor.
	Role   string `json:"role"`
	Coach  string `json:"coach"`
	Person string `json:"person"`
	Domain string `json:"domain,omitempty"`
	// From and Until are the dates the files declare (YYYY-MM-DD); empty
	// when not written. Current pairings have no Until.
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
	// Current is true for a pairing the files declare now (spec.coach or
	// spec.mentors), false for a past one.
	Current bool `json:"current"`
	// File and Line are where the files declare the pairing; empty for a
	// pairing seen only in git.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Git is what git history shows of the pairing: nil when git was not
	// read or never showed it.
	Git *Seen `json:"git,omitempty"`
}

// Seen is a pairing as git history shows it: the first commit whose files
// declare it and, when it ended, the first commit whose files no longer do.
type Seen struct {
	From       string `json:"from"` // commit date, YYYY-MM-DD
	FromCommit string `json:"fromCommit"`
	// Until and UntilCommit are empty while the pairing lasts at HEAD.
	Until       string `json:"until,omitempty"`
	UntilCommit string `json:"untilCommit,omitempty"`
	// SinceOldest is true when the pairing is already in the oldest
	// commit read: it may have started earlier.
	SinceOldest bool `json:"sinceOldest,omitempty"`
}

// History is the pairings of one person, oldest first, and what was read.
type History struct {
	Person   string    `json:"person"`
	Pairings []Pairing `json:"pairings"`
	Git      GitInfo   `json:"git"`
}

// GitInfo says how much of the git history was read.
type GitInfo struct {
	// Read is true when git history was walked.
	Read bool `json:"read"`
	// Commits is how many commits touching the org files were read.
	Commits int `json:"commits"`
	// Oldest and OldestDate name the oldest commit read.
	Oldest     string `json:"oldest,omitempty"`
	OldestDate string `json:"oldestDate,omitempty"`
	// Shallow is true for a shallow clone: pairings before Oldest are not
	// seen, and one already there at Oldest may have started earlier.
	Shallow bool `json:"shallow"`
	// Note says why git was not read, or where the walk stopped.
	Note string `json:"note,omitempty"`
}

// FromFiles returns the pairings the current files declare that involve
// name: as the coachee or mentee (spec.coach, spec.mentors,
// spec.pastPairings of name) and as the coach or mentor (the same fields
// of everyone else). people are the valid Person documents.
func FromFiles(name string, people []*schema.Person) []Pairing {
	var out []Pairing
	for _, p := range people {
		at := func(pos schema.Pos) (string, int) { return p.Source.File, int(pos.Line) }
		if p.Coach != "" && (p.Name == name || p.Coach == name) {
			f, l := at(p.CoachPos)
			out = append(out, Pairing{Role: schema.RoleCoach, Coach: p.Coach, Person: p.Name, From: p.Lifecycle().CoachSince, Current: true, File: f, Line: l})
		}
		for _, m := range p.Mentors {
			if p.Name == name || m.Person == name {
				f, l := at(m.Pos)
				out = append(out, Pairing{Role: schema.RoleMentor, Coach: m.Person, Person: p.Name, Domain: m.Domain, From: m.Since, Current: true, File: f, Line: l})
			}
		}
		for _, pp := range p.Lifecycle().PastPairings {
			if p.Name == name || pp.Person == name {
				f, l := at(pp.Pos)
				out = append(out, Pairing{Role: pp.Role, Coach: pp.Person, Person: p.Name, Domain: pp.Domain, From: pp.From, Until: pp.Until, File: f, Line: l})
			}
		}
	}
	return out
}

// Merge joins the pairings git history shows to those the files declare:
// a current pairing with the span git shows lasting to HEAD, a past one
// with an ended span of the same pair (the closest in time), and the spans
// no file entry accounts for are added as pairings of their own. The
// result is sorted oldest first.
func Merge(files []Pairing, seen []Pairing) []Pairing {
	out := slices.Clone(files)
	used := make([]bool, len(out))
	for _, s := range seen {
		best := -1
		for i, f := range out {
			if used[i] || f.Role != s.Role || f.Coach != s.Coach || f.Person != s.Person ||
				f.Role == schema.RoleMentor && f.Domain != s.Domain || f.Current != (s.Git.Until == "") {
				continue
			}
			if best < 0 || dateDistance(f.Until, s.Git.Until) < dateDistance(out[best].Until, s.Git.Until) {
				best = i
			}
		}
		if best >= 0 {
			used[best] = true
			g := *s.Git
			out[best].Git = &g
			continue
		}
		out = append(out, s)
		used = append(used, true)
	}
	slices.SortStableFunc(out, func(a, b Pairing) int {
		return cmp.Or(cmp.Compare(a.start(), b.start()), cmp.Compare(a.end(), b.end()),
			cmp.Compare(a.Role, b.Role), cmp.Compare(a.Coach, b.Coach), cmp.Compare(a.Person, b.Person), cmp.Compare(a.Domain, b.Domain))
	})
	return out
}

// start is when the pairing began as far as anything says: the declared
// date, else the first commit showing it. A past pairing with no start
// sorts by its end, a current one with no start after everything.
func (p Pairing) start() string {
	switch {
	case p.From != "":
		return p.From
	case p.Git != nil:
		return p.Git.From
	case p.Current:
		return "~"
	}
	return p.Until
}

// end is when it ended; "~" sorts a current pairing after every date.
func (p Pairing) end() string {
	if p.Until != "" {
		return p.Until
	}
	if p.Git != nil && p.Git.Until != "" {
		return p.Git.Until
	}
	return "~"
}

// dateDistance is a rough distance between two YYYY-MM-DD dates, for
// choosing the closest of several past pairings of the same pair.
func dateDistance(a, b string) int {
	n := func(s string) int {
		v := 0
		for _, r := range s {
			if r >= '0' && r <= '9' {
				v = v*10 + int(r-'0')
			}
		}
		return v
	}
	d := n(a) - n(b)
	if d < 0 {
		d = -d
	}
	return d
}

// Of tells name's history from the files (people, the valid Person
// documents read from paths) and, when useGit is set, from the git history
// of paths, read with loader. found is false when neither the files nor
// any commit has a person of that name.
func Of(name string, people []*schema.Person, paths []string, loader *schema.Loader, useGit bool) (h History, found bool) {
	h = History{Person: name}
	for _, p := range people {
		found = found || p.Name == name
	}
	files := FromFiles(name, people)
	var seen []Pairing
	if useGit {
		var holds bool
		seen, h.Git, holds = ReadGit(paths, name, loader)
		found = found || holds
	} else {
		h.Git.Note = "git history not read (--no-git)"
	}
	h.Pairings = Merge(files, seen)
	if h.Pairings == nil {
		h.Pairings = []Pairing{}
	}
	return h, found
}
