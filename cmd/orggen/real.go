package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The realistic shape: an org as an HR export shows it on day one, the
// kind on which a synthetic tree of equal teams hides problems. Everyone
// active needs a coach (nobody has one yet) and nobody has a mentor. What
// makes it realistic:
//   - a company team and divisions with no direct members: the CEO and the
//     division heads sit in the Office of the CEO, a department like any
//     other, with a chief of staff and an executive assistant;
//   - departments led by directors, and teams whose sizes are skewed (many
//     of three to eight, a few of twenty to thirty direct reports);
//   - an intern cohort in a team of its own, and a few interns elsewhere;
//   - job titles per job family and level ("Senior Software Engineer",
//     "Account Executive", "Director of Sales"), written to the HR CSV;
//   - a few external coaches, and about 1% of people on leave.

// division is one top-level division of the realistic org.
type division struct {
	slug, display string
	share         int // per cent of the people below the office of the CEO
	head          string
	family        family
}

// family names the titles of one job family, lowest level first.
type family struct {
	titles   [6]string // intern .. principal
	lead     string    // a team lead
	director string
}

var (
	engineering = family{
		titles:   [6]string{"Software Engineering Intern", "Software Engineer I", "Software Engineer II", "Senior Software Engineer", "Staff Software Engineer", "Principal Engineer"},
		lead:     "Engineering Manager",
		director: "Director of Engineering",
	}
	sales = family{
		titles:   [6]string{"Sales Intern", "Sales Development Representative", "Account Executive", "Senior Account Executive", "Strategic Account Executive", "Principal Solutions Architect"},
		lead:     "Sales Manager",
		director: "Director of Sales",
	}
	product = family{
		titles:   [6]string{"Product Intern", "Associate Product Manager", "Product Manager", "Senior Product Manager", "Group Product Manager", "Principal Product Manager"},
		lead:     "Product Lead",
		director: "Director of Product",
	}
	marketing = family{
		titles:   [6]string{"Marketing Intern", "Marketing Coordinator", "Marketing Manager", "Senior Marketing Manager", "Lead Marketing Manager", "Principal Marketing Strategist"},
		lead:     "Marketing Team Lead",
		director: "Director of Marketing",
	}
	operations = family{
		titles:   [6]string{"Operations Intern", "Associate Analyst", "Financial Analyst", "Senior Financial Analyst", "Lead People Partner", "Principal Counsel"},
		lead:     "Operations Manager",
		director: "Director of Operations",
	}
	support = family{
		titles:   [6]string{"Support Intern", "Support Specialist", "Customer Success Manager", "Senior Customer Success Manager", "Lead Customer Success Manager", "Principal Support Engineer"},
		lead:     "Support Team Lead",
		director: "Director of Customer Success",
	}
)

var realDivisions = []division{
	{"engineering", "Engineering", 52, "VP of Engineering", engineering},
	{"sales", "Sales", 17, "Chief Revenue Officer", sales},
	{"product", "Product", 9, "Chief Product Officer", product},
	{"marketing", "Marketing", 7, "VP of Marketing", marketing},
	{"operations", "Operations", 9, "Chief Operating Officer", operations},
	{"customer-success", "Customer Success", 6, "VP of Customer Success", support},
}

var departmentNames = strings.Fields(`platform payments search growth billing identity mobile web data infra
	security enterprise smb emea apac brand content finance legal people onboarding renewals`)

// buildRealistic generates the realistic org of about n people.
func buildRealistic(n int, seed uint64) (*org, error) {
	o := &org{r: rand.New(rand.NewPCG(seed, 0x7265616c)), names: map[string]bool{}, byRank: make([][]int, len(levels)), realistic: true}
	o.stats.Findings = map[string]int{}
	nExt := max(2, n/500)
	nInt := n - nExt
	addTeam := func(slug, display string, parent int) int {
		i := len(o.teams)
		t := &team{name: slug, display: display, parent: parent, lead: -1}
		if parent >= 0 {
			t.depth = o.teams[parent].depth + 1
			o.teams[parent].children = append(o.teams[parent].children, i)
		}
		o.teams = append(o.teams, t)
		return i
	}
	hire := func(ti, rank int, ro role, title string) int {
		p := o.newPerson(ti, rank, ro)
		p.title = title
		i := len(o.people) - 1
		o.teams[ti].members = append(o.teams[ti].members, i)
		return i
	}
	company := addTeam("company", "Company", -1)
	office := addTeam("office-of-the-ceo", "Office of the CEO", company)
	ceo := hire(office, rankTop, lead, "Chief Executive Officer")
	o.teams[company].lead, o.teams[office].lead = ceo, ceo
	hire(office, 5, member, "Chief of Staff")
	hire(office, 2, member, "Executive Assistant to the CEO")
	heads := make([]int, len(realDivisions))
	for d, dv := range realDivisions {
		heads[d] = hire(office, rankTop, member, dv.head)
	}
	rest := nInt - len(o.people)
	budgets := make([]int, len(realDivisions))
	budgets[0] = rest // engineering takes the rounding
	for d := 1; d < len(realDivisions); d++ {
		budgets[d] = rest * realDivisions[d].share / 100
		budgets[0] -= budgets[d]
	}
	for d, dv := range realDivisions {
		budget := budgets[d]
		dt := addTeam(dv.slug, dv.display, company)
		o.teams[dt].lead = heads[d]
		if dv.slug == "engineering" {
			// The intern cohort: a team of its own under the division.
			size := min(budget/4, 20+o.r.IntN(16))
			ct := addTeam("interns-"+strconv.Itoa(2026), "Interns 2026", dt)
			o.teams[ct].lead = hire(ct, rankSenior, lead, "University Programs Manager")
			for range size - 1 {
				o.realStatus(hire(ct, 0, member, dv.family.titles[0]))
			}
			budget -= size
		}
		departments := max(1, (budget+60)/120)
		for k := range departments {
			share := budget / departments
			if k < budget%departments {
				share++
			}
			name := departmentNames[(d*5+k)%len(departmentNames)]
			slug := dv.slug + "-" + name
			if k >= len(departmentNames) {
				slug += "-" + strconv.Itoa(k)
			}
			dep := addTeam(slug, dv.display+" "+strings.ToUpper(name[:1])+name[1:], dt)
			o.teams[dep].lead = hire(dep, 5, lead, dv.family.director)
			share--
			for t := 0; share > 0; t++ {
				size := min(share, o.realTeamSize())
				if share-size < 3 {
					size = share // no team of one or two at the end
				}
				tt := addTeam(slug+"-"+strconv.Itoa(t+1), o.teams[dep].display+" "+strconv.Itoa(t+1), dep)
				leadRank := rankStaff
				if o.r.IntN(10) < 4 {
					leadRank = rankSenior
				}
				o.teams[tt].lead = hire(tt, leadRank, lead, dv.family.lead)
				for range size - 1 {
					rank := realRank(o.r)
					o.realStatus(hire(tt, rank, member, dv.family.titles[rank]))
				}
				share -= size
			}
		}
	}
	for i := range nExt {
		p := o.newPerson(-1, -1, external)
		p.expertise = []string{"coaching", "leadership"}
		p.title = "Executive Coach"
		if i%2 == 0 {
			p.expertise = append(p.expertise, domains[o.r.IntN(len(domains))])
		}
		o.externals = append(o.externals, len(o.people)-1)
	}
	o.realFindings()
	o.count()
	return o, nil
}

// realTeamSize draws a team's size, its lead included: skewed, as spans
// are in real orgs (half the teams of 3 to 8, a few of 20 to 30).
func (o *org) realTeamSize() int {
	switch x := o.r.IntN(100); {
	case x < 50:
		return 3 + o.r.IntN(6)
	case x < 85:
		return 9 + o.r.IntN(8)
	case x < 95:
		return 17 + o.r.IntN(4)
	}
	return 21 + o.r.IntN(10)
}

// realRank draws a team member's level: 2% intern, 17% junior, 37% mid,
// 30% senior, 11% staff, 3% principal.
func realRank(r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 2:
		return 0
	case x < 19:
		return 1
	case x < 56:
		return 2
	case x < 86:
		return 3
	case x < 97:
		return 4
	}
	return 5
}

// realStatus puts 1% of members on leave; an HR export lists nobody who
// has left.
func (o *org) realStatus(i int) {
	if o.r.IntN(100) == 0 {
		o.people[i].status = leave
	}
}

// realFindings counts what validate reports on the realistic org: a
// missing coach for every active internal person, and span-of-control for
// every manager with more direct reports than the Policy's max.
func (o *org) realFindings() {
	reports := map[int]int{}
	for i, p := range o.people {
		if p.role == external {
			continue
		}
		if p.status == active {
			o.stats.Findings["missing-coach"]++
		}
		if m := o.effectiveManager(i); m >= 0 && p.status != departed {
			reports[m]++
		}
	}
	for _, n := range reports {
		if n > maxSpan {
			o.stats.Findings["span-of-control"]++
		}
	}
}
