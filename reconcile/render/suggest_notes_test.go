package render

import (
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile/match"
)

func TestSuggestNotes(t *testing.T) {
	one := []match.Suggestion{{Person: "ann", Role: match.RoleCoach, Candidate: "boss"}}
	for _, tc := range []struct {
		name string
		req  match.Request
		out  match.Result
		want string
	}{
		{"suggestions: nothing to add", match.Request{Role: match.RoleCoach}, match.Result{Suggestions: one}, ""},
		{"someone unmatched: the table says it", match.Request{Role: match.RoleCoach}, match.Result{Unmatched: []match.Unmatched{{Person: "ann"}}}, ""},
		{"nobody needs a coach", match.Request{Role: match.RoleCoach}, match.Result{}, "nobody needs a coach\n"},
		{"nor a rotation", match.Request{Role: match.RoleCoach, Rotate: true}, match.Result{}, "nobody needs a coach or a rotation\n"},
		{"nobody wants a mentor", match.Request{Role: match.RoleMentor, Domain: "  "}, match.Result{}, "nobody needs a new mentor\n"},
		{"nobody needs one in the domain", match.Request{Role: match.RoleMentor, Domain: "go"}, match.Result{}, "nobody needs a new mentor in go\n"},
		{
			"named people who need nothing: each says why, and no 'nobody'",
			match.Request{Role: match.RoleCoach, People: []string{"ann", "bob"}},
			match.Result{NotNeeded: []match.NotNeeded{{Person: "ann", Why: "ann has a coach (boss)"}, {Person: "bob", Why: "bob is external"}}},
			"ann has a coach (boss): nothing to suggest\nbob is external: nothing to suggest\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			SuggestNotes(&b, tc.req, tc.out)
			if b.String() != tc.want {
				t.Errorf("wrote %q, want %q", b.String(), tc.want)
			}
		})
	}
}

func TestSuggestWritten(t *testing.T) {
	var b strings.Builder
	SuggestWritten(&b, []match.Written{{File: "people/ann.yaml", Edits: 1, Role: "coach"}, {File: "team.yaml", Edits: 3, Role: "mentor"}, {File: "x.yaml", Edits: 2, Role: "coach"}})
	want := "wrote people/ann.yaml (1 coach)\nwrote team.yaml (3 mentors)\nwrote x.yaml (2 coaches)\n"
	if b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}

func TestSuggestJSONEscapesMarkupAsItAlwaysHas(t *testing.T) {
	var b strings.Builder
	out := match.Result{Suggestions: []match.Suggestion{{Person: "ann", Role: "coach", Candidate: "boss", Reasons: []string{"level <b>senior</b> & same team"}}}, Unmatched: []match.Unmatched{}}
	if err := SuggestJSON(&b, out); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{"{\n  \"suggestions\": [\n    {\n      \"person\": \"ann\",", `"level \u003cb\u003esenior\u003c/b\u003e \u0026 same team"`, "\n  \"unmatched\": [],"} {
		if !strings.Contains(got, want) {
			t.Errorf("suggest -o json lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "notNeeded") || strings.Contains(got, "NotNeeded") || !strings.HasSuffix(got, "}\n") {
		t.Errorf("suggest -o json shows what is for stderr, or does not end in a newline:\n%s", got)
	}
}
