package history

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/schema"
)

func brief(ps []Pairing) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s %s>%s %s [%s,%s] current=%v", p.Role, p.Coach, p.Person, p.Domain, p.From, p.Until, p.Current)
		if p.Line > 0 {
			fmt.Fprintf(&b, " @%d", p.Line)
		}
		if g := p.Git; g != nil {
			fmt.Fprintf(&b, " git[%s,%s]", g.From, g.Until)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestFromFilesBothDirections(t *testing.T) {
	src := &schema.Source{File: "people.yaml", Rel: "people.yaml"}
	people := []*schema.Person{
		{Name: "alice", Source: src, Coach: "carol", CoachPos: schema.Pos{Line: 9},
			Mentors: []schema.Mentor{{Person: "dave", Domain: "go", Since: "2026-05-01", Pos: schema.Pos{Line: 11}}},
			Life: &schema.Lifecycle{CoachSince: "2026-03-01",
				PastPairings: []schema.PastPairing{{Role: schema.RoleCoach, Person: "frank", Until: "2025-02-28", Pos: schema.Pos{Line: 14}}}}},
		{Name: "bob", Source: src, Coach: "alice", CoachPos: schema.Pos{Line: 30},
			Life: &schema.Lifecycle{PastPairings: []schema.PastPairing{{Role: schema.RoleMentor, Person: "alice", Domain: "sql", From: "2024-01-01", Until: "2024-12-31", Pos: schema.Pos{Line: 33}}}}},
		{Name: "erin", Source: src, Coach: "carol"}, // not alice's
	}
	got := brief(Merge(FromFiles("alice", people), nil))
	want := `mentor alice>bob sql [2024-01-01,2024-12-31] current=false @33
coach frank>alice  [,2025-02-28] current=false @14
coach carol>alice  [2026-03-01,] current=true @9
mentor dave>alice go [2026-05-01,] current=true @11
coach alice>bob  [,] current=true @30
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestMergeJoinsGitSpans: a git span joins the file entry of the same pair
// and the same currency (a past entry with the closest end), and a span no
// entry accounts for stays as a pairing of its own.
func TestMergeJoinsGitSpans(t *testing.T) {
	files := []Pairing{
		{Role: schema.RoleCoach, Coach: "frank", Person: "alice", From: "2020-01-01", Until: "2021-01-01", File: "p.yaml", Line: 1},
		{Role: schema.RoleCoach, Coach: "frank", Person: "alice", From: "2023-01-01", Until: "2024-01-01", File: "p.yaml", Line: 2},
		{Role: schema.RoleCoach, Coach: "carol", Person: "alice", Current: true, File: "p.yaml", Line: 3},
	}
	git := func(role, coach, domain, from, until string) Pairing {
		return Pairing{Role: role, Coach: coach, Person: "alice", Domain: domain, Current: until == "", Git: &Seen{From: from, Until: until}}
	}
	seen := []Pairing{
		git(schema.RoleCoach, "frank", "", "2023-02-01", "2024-01-10"),
		git(schema.RoleMentor, "dave", "go", "2022-01-01", "2022-06-01"),
		git(schema.RoleCoach, "carol", "", "2024-01-10", ""),
	}
	got := brief(Merge(files, seen))
	want := `coach frank>alice  [2020-01-01,2021-01-01] current=false @1
mentor dave>alice go [,] current=false git[2022-01-01,2022-06-01]
coach frank>alice  [2023-01-01,2024-01-01] current=false @2 git[2023-02-01,2024-01-10]
coach carol>alice  [,] current=true @3 git[2024-01-10,]
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
