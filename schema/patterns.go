package schema

// Hand-written matchers for the patterns of the embedded schema that every
// person's document is checked against (names, dates, GitHub logins,
// e-mail addresses, label keys): the precheck uses them instead of regexp,
// whose backtracking matcher was a tenth of loading's time. Each agrees
// with its regular expression on every string (FuzzPatternMatchers); a
// pattern not listed here is matched by regexp as before, so the schema
// may change without these going wrong.

// The patterns, exactly as the schema writes them.
const (
	patName     = `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	patLabelKey = `^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`
	patDate     = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	patGitHub   = `^[A-Za-z0-9](?:[A-Za-z0-9]|-(?:[A-Za-z0-9]))*$`
	patEmail    = `^[^@\s]+@[^@\s]+$`
)

// patternMatchers maps a pattern to its hand-written matcher.
var patternMatchers = map[string]func(string) bool{
	patName:     matchName,
	patLabelKey: matchLabelKey,
	patDate:     matchDate,
	patGitHub:   matchGitHub,
	patEmail:    matchEmail,
}

func isLowerDigit(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

func isAlnum(b byte) bool { return isLowerDigit(b) || b >= 'A' && b <= 'Z' }

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// matchName is patName: lower-case letters, digits and '-', starting and
// ending with a letter or digit.
func matchName(s string) bool {
	if s == "" || !isLowerDigit(s[0]) || !isLowerDigit(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if b := s[i]; !isLowerDigit(b) && b != '-' {
			return false
		}
	}
	return true
}

// matchLabelKey is patLabelKey: an optional DNS prefix ending in '/', then
// a name of 1 to 63 characters.
func matchLabelKey(s string) bool {
	name := s
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			prefix := s[:i]
			if prefix == "" || !isLowerDigit(prefix[0]) || !isLowerDigit(prefix[len(prefix)-1]) {
				return false
			}
			for j := 1; j < len(prefix)-1; j++ {
				if b := prefix[j]; !isLowerDigit(b) && b != '-' && b != '.' {
					return false
				}
			}
			name = s[i+1:]
			break
		}
	}
	if name == "" || len(name) > 63 || !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return false
	}
	for j := 1; j < len(name)-1; j++ {
		if b := name[j]; !isAlnum(b) && b != '-' && b != '_' && b != '.' {
			return false
		}
	}
	return true
}

// matchDate is patDate: YYYY-MM-DD with a month of 01 to 12 and a day of
// 01 to 31.
func matchDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if !isDigit(s[i]) {
			return false
		}
	}
	month := int(s[5]-'0')*10 + int(s[6]-'0')
	day := int(s[8]-'0')*10 + int(s[9]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// matchGitHub is patGitHub: letters and digits, and hyphens each followed
// by a letter or digit, starting with a letter or digit.
func matchGitHub(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		switch b := s[i]; {
		case isAlnum(b):
		case b == '-':
			if i+1 == len(s) || !isAlnum(s[i+1]) {
				return false
			}
			i++
		default:
			return false
		}
	}
	return true
}

// matchEmail is patEmail: one '@' with something on either side, and no
// white space (\s in Go's regexp: tab, line feed, form feed, carriage
// return and space).
func matchEmail(s string) bool {
	at := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '@':
			if at >= 0 {
				return false
			}
			at = i
		case '\t', '\n', '\f', '\r', ' ':
			return false
		}
	}
	return at > 0 && at < len(s)-1
}
