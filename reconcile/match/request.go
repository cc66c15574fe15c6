package match

import "fmt"

// Check refuses a request, as orgctl suggest's flags make it, that mixes
// what coaches and mentors take: a Role other than RoleCoach or RoleMentor
// (an empty one too: the command line always names one), Rotate for
// mentors (only coaching pairings rotate), or a Domain for coaches. Its
// errors name the flags to change.
func (r Request) Check() error {
	switch {
	case r.Role != RoleCoach && r.Role != RoleMentor:
		return fmt.Errorf("unknown --role %q: use coach or mentor", r.Role)
	case r.Role == RoleMentor && r.Rotate:
		return fmt.Errorf("--rotate is for coaching pairings: drop --role mentor, or drop --rotate")
	case r.Role == RoleCoach && r.Domain != "":
		return fmt.Errorf("--domain is for mentors: add --role mentor, or drop --domain")
	}
	return nil
}
