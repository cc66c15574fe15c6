package match

// Words: why a candidate fits, and why someone is left without one.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

func levelWords(d int) string {
	words := []string{"", "one level", "two levels", "three levels", "four levels", "five levels", "six levels"}
	if d < len(words) {
		return words[d]
	}
	return fmt.Sprintf("%d levels", d)
}

// reasons says why candidate c suits n.
func (s *suggester) reasons(n *need, c *cand) []string {
	var j judgement
	s.judge(n, c.p, c.rank, c.p.External, s.relate(n, c), &j)
	var out []string
	if n.replaces != "" {
		if n.replaces == n.p.Name {
			out = append(out, "replaces "+n.replaceWhy)
		} else {
			out = append(out, "replaces "+n.replaces+", "+n.replaceWhy)
		}
	}
	out = append(out, j.reasons...)
	if d := s.distanceWords(n, c); d != "" {
		out = append(out, d)
	}
	after := c.load + s.given[c]
	switch {
	case s.role == RoleCoach && c.capacity >= 0:
		out = append(out, fmt.Sprintf("%d of %d coaching slots used after this run", after, c.capacity))
	default:
		verb := "coaches"
		if s.role == RoleMentor {
			verb = "mentors"
		}
		if after == 1 {
			out = append(out, verb+" 1 person after this run")
		} else {
			out = append(out, fmt.Sprintf("%s %d people after this run", verb, after))
		}
	}
	return out
}

// distanceWords says how far apart n and c sit in the team tree.
func (s *suggester) distanceWords(n *need, c *cand) string {
	switch {
	case c.p.External:
		return "from outside the company"
	case c.p.Team == "" || n.p.Team == "":
		return ""
	case c.p.Team == n.p.Team:
		return fmt.Sprintf("in the same team (%s)", c.p.Team)
	case c.div >= 0 && c.div == n.div:
		return fmt.Sprintf("in another team of the same division (%s, %s)", s.divisions[c.div], teamsApart(teamDistance(s.o, n.p.Team, c.p.Team)))
	case c.div >= 0:
		return fmt.Sprintf("in another division (%s)", s.divisions[c.div])
	}
	return fmt.Sprintf("in another team (%s)", c.p.Team)
}

func teamsApart(d int) string {
	if d < 0 {
		return "teams unrelated"
	}
	if d == 1 {
		return "1 step apart in the team tree"
	}
	return fmt.Sprintf("%d steps apart in the team tree", d)
}

// teamDistance is the number of parent links between teams a and b, or -1
// when they are not in one tree (or a parent loop gets in the way).
func teamDistance(o *reconcile.Org, a, b string) int {
	up := func(t string) []string {
		var path []string
		seen := map[string]bool{}
		for t != "" && !seen[t] && o.Team(t) != nil {
			seen[t] = true
			path = append(path, t)
			t = o.Team(t).Parent
		}
		return path
	}
	pa, pb := up(a), up(b)
	at := make(map[string]int, len(pa))
	for i, t := range pa {
		at[t] = i
	}
	for j, t := range pb {
		if i, ok := at[t]; ok {
			return i + j
		}
	}
	return -1
}

// whyUnmatched explains why n got nobody.
func (s *suggester) whyUnmatched(n *need) string {
	what := "coach"
	if s.role == RoleMentor {
		what = "mentor"
		if n.rank < 0 {
			return fmt.Sprintf("%s's level is unknown, so no mentor can be shown to be more senior", n.p.Name)
		}
	}
	// The candidates who could be n's at all: for a mentor, those who know
	// n's domain.
	knows := func(c *cand) bool {
		if s.role != RoleMentor {
			return true
		}
		_, ok := slices.BinarySearch(c.knows, n.domain)
		return ok
	}
	others := 0
	for _, c := range s.cands {
		if c.p != n.p && knows(c) {
			others++
		}
	}
	if others == 0 {
		if s.role == RoleMentor {
			return fmt.Sprintf("nobody active has expertise in %s", n.domainName)
		}
		return "nobody has coaching capacity left"
	}
	if s.role == RoleMentor {
		above := false
		for _, c := range s.cands {
			if c.rank > n.rank && knows(c) {
				above = true
				break
			}
		}
		if !above {
			return fmt.Sprintf("nobody has expertise in %s at a higher level than %s (%s)", n.domainName, n.p.Name, n.p.Level)
		}
	}
	var fits, blocks []string
	more, blocked, below := 0, 0, 0
	for _, c := range s.cands {
		if c.p == n.p || !knows(c) {
			continue
		}
		var j judgement
		rel := s.relate(n, c)
		if ok, _ := s.judge(n, c.p, c.rank, c.p.External, rel, &j); ok {
			fits = append(fits, c.p.Name)
			if len(fits) == 3 {
				break
			}
			continue
		}
		blocked++
		if rel.below {
			below++
		}
		if len(blocks) < 4 {
			blocks = append(blocks, j.blocks...)
		} else {
			more++
		}
	}
	if len(fits) > 0 {
		return fmt.Sprintf("every %s who would suit %s (%s) is needed by someone else: the assignment matches as many people as it can", what, n.p.Name, listWords(fits, len(fits) == 3))
	}
	if s.role == RoleCoach && blocked > 0 && below == blocked {
		// The top of an org: everyone internal reports to them.
		return fmt.Sprintf("everyone who could coach %s reports to %s, and a coach must not depend on the coachee: name an external coach (a Person with external: true)", n.p.Name, n.p.Name)
	}
	msg := "every candidate conflicts: " + strings.Join(blocks, ", ")
	if more > 0 {
		msg += fmt.Sprintf(", and %d more", more)
	}
	return msg
}

func listWords(names []string, open bool) string {
	if open {
		return strings.Join(names, ", ") + ", ..."
	}
	return strings.Join(names, ", ")
}
