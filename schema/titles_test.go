package schema

import (
	"fmt"
	"testing"
)

// Policy.spec.titles keeps the order it is written in (the first level
// whose pattern matches wins), and a Person without a level is no longer
// a schema error: the unknown-level rule reports it, so that references
// to the person still resolve.
func TestPolicyTitlesKeepTheirOrder(t *testing.T) {
	set := loadMap(t, map[string]string{
		"policy.yaml": "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  titles:\n    staff: ['^senior wizard$']\n    mid: [wizard, '^mage$']\n    junior: [apprentice]\n",
		"ann.yaml":    "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: ann}\nspec: {displayName: Ann, team: web}\n",
	})
	if len(set.Problems) > 0 {
		t.Fatalf("problems: %v", problems(set))
	}
	var p *Policy
	for _, d := range set.Documents {
		if d.Policy != nil {
			p = d.Policy
		}
	}
	got := fmt.Sprintln(p.Titles[0].Level, p.Titles[0].Patterns, p.Titles[1].Level, p.Titles[1].Patterns, p.Titles[2].Level, p.Titles[0].Pos.Line)
	if want := "staff [^senior wizard$] mid [wizard ^mage$] junior 6\n"; got != want {
		t.Errorf("titles %s, want %s", got, want)
	}
	bad := loadMap(t, map[string]string{"policy.yaml": "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  titles: {mid: []}\n"})
	if len(bad.Problems) != 1 {
		t.Errorf("an empty pattern list: %v", problems(bad))
	}
}
