package history

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/internal/testtool"
	"github.com/orgctl/orgctl/schema"
)

// orgSet loads an org of alice (coached by carol), carol, and a broken
// Person document that names alice as its coach.
func orgSet(t *testing.T) *schema.Set {
	t.Helper()
	doc := func(name, spec string) string {
		return "apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: " + name + "}\nspec: {displayName: " + name + ", " + spec + "}\n"
	}
	fsys := fstest.MapFS{
		"alice.yaml":  {Data: []byte(doc("alice", "team: eng, coach: carol, coachSince: 2026-03-01"))},
		"carol.yaml":  {Data: []byte(doc("carol", "team: eng"))},
		"broken.yaml": {Data: []byte(doc("bob", "team: eng, coach: alice, level: [not, a, level]"))},
		"team.yaml":   {Data: []byte("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: eng}\nspec: {displayName: Eng}\n")},
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestOfSetReadsTheValidPeopleOfTheSet(t *testing.T) {
	set := orgSet(t)
	for _, tc := range []struct {
		name  string
		found bool
		want  string
	}{
		{"alice", true, "coach carol>alice  [2026-03-01,] current=true @4\n"},
		{"carol", true, "coach carol>alice  [2026-03-01,] current=true @4\n"},
		// bob's document breaks the schema: it is not read, so bob is
		// nobody, and alice coaches nobody.
		{"bob", false, ""},
		{"zed", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, found := OfSet(tc.name, set, nil, &schema.Loader{}, false)
			if found != tc.found || brief(h.Pairings) != tc.want {
				t.Errorf("OfSet(%s) = found %v,\n%s\nwant found %v,\n%s", tc.name, found, brief(h.Pairings), tc.found, tc.want)
			}
			if h.Person != tc.name || h.Git.Read || h.Git.Note != "git history not read (--no-git)" || h.Pairings == nil {
				t.Errorf("OfSet(%s) without git: %+v", tc.name, h)
			}
		})
	}
}

func TestOfSetReadsGitInTheCurrentDirectoryWhenNoPathIsGiven(t *testing.T) {
	testtool.Need(t, "git", "install git", "git")
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	t.Chdir(dir)
	h, found := OfSet("alice", orgSet(t), nil, &schema.Loader{}, true)
	if !found || !strings.HasPrefix(h.Git.Note, ". is not in a git repository") {
		t.Errorf("found %v, git note %q: want git asked about the current directory (.)", found, h.Git.Note)
	}
}
