package match

import (
	"strings"
	"testing"
)

func TestRequestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  Request
		want string // "" for a request Suggest may take
	}{
		{"coach", Request{Role: RoleCoach}, ""},
		{"coach with rotation", Request{Role: RoleCoach, Rotate: true, People: []string{"ann"}}, ""},
		{"mentor in a domain", Request{Role: RoleMentor, Domain: "go"}, ""},
		{"mentor without a domain (mentoringWanted decides)", Request{Role: RoleMentor}, ""},
		{"an unknown role", Request{Role: "manager"}, `unknown --role "manager": use coach or mentor`},
		{"no role", Request{}, `unknown --role "": use coach or mentor`},
		{"mentors do not rotate", Request{Role: RoleMentor, Domain: "go", Rotate: true}, "--rotate is for coaching pairings: drop --role mentor, or drop --rotate"},
		{"coaches have no domain", Request{Role: RoleCoach, Domain: "go"}, "--domain is for mentors: add --role mentor, or drop --domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Check()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Check() = %v, want no error", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("Check() = %v, want %q", err, tc.want)
			}
			if err != nil && strings.ToLower(err.Error()[:1]) != err.Error()[:1] {
				t.Errorf("error %q starts upper case", err)
			}
		})
	}
}
