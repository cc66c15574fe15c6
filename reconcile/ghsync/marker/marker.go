// Package marker is the one grammar of the hidden markers orgctl writes into
// the issues, pull requests and comments it manages, and reads back on the
// next run: the GitHub side of orgctl's wire protocol.
//
// It is a leaf package (it imports nothing of orgctl) so that both writers
// of bodies can use it: package render, which writes the Markdown bodies
// with their markers, and package ghsync, which imports render and reads the
// markers back. Putting the grammar in ghsync itself would make render
// import ghsync and close a cycle.
//
// Every marker is one HTML comment, invisible once GitHub renders the body:
//
//	<!-- orgctl:KIND -->                     (plan)
//	<!-- orgctl:KIND=VALUE -->               (every other kind)
//
// VALUE is made of fields; every field is written with each byte outside
// [A-Za-z0-9._/-] percent-encoded, so that nothing in a name, login or file
// name (a space, "-->", "--!>", a line break, a separator) can end the
// comment early, hide a second marker or forge a field. The separators
// "," (between entries), "!" (a refused reviewer) and ":" (between the
// parts of a pair) are therefore never part of a field.
package marker

import (
	"regexp"
	"strconv"
	"strings"
)

// Kind names a marker: the word after "orgctl:".
type Kind string

// The kinds of marker orgctl writes.
const (
	// Fingerprint marks an issue or pull request orgctl manages:
	// fingerprint=FP.
	Fingerprint Kind = "fingerprint"
	// Resolved replaces Fingerprint on a proposal pull request whose
	// closing has begun, so that an open pull request carrying it is a
	// closing to finish, never a live proposal: resolved-fingerprint=FP.
	Resolved Kind = "resolved-fingerprint"
	// DuplicateOf replaces Fingerprint on a duplicate orgctl closed in
	// favour of the kept object: duplicate-of=NUMBER.
	DuplicateOf Kind = "duplicate-of"
	// Reviewers records the reviews orgctl asked for on a proposal, and
	// the ones GitHub refused: reviewers=LOGIN,...,!LOGIN,...
	Reviewers Kind = "reviewers"
	// Unassigned records on an issue the assignee GitHub refused, so that
	// the next run does not ask again: unassigned=LOGIN.
	Unassigned Kind = "unassigned"
	// Pairs records the pairings a proposal pull request proposes, for
	// orgctl consent: pairs=COACH:COACHLOGIN:COACHEE:COACHEELOGIN,...
	Pairs Kind = "pairs"
	// Plan marks orgctl's sticky plan comment on a pull request.
	Plan Kind = "plan"
)

// PlanLine is the plan marker as written, a constant for the callers that
// need one.
const PlanLine = "<!-- orgctl:plan -->"

// Pair is one proposed pairing: the coach and the coachee by name in the
// org, with their GitHub logins ("" when the org names none).
type Pair struct {
	Coach, CoachLogin     string
	Coachee, CoacheeLogin string
}

// Marker is one typed marker. Which fields count depends on Kind:
// Fingerprint for Fingerprint and Resolved (never empty), Number for
// DuplicateOf, Asked and Refused for Reviewers (logins, never empty),
// Login for Unassigned, Pairs for Pairs, none for Plan.
type Marker struct {
	Kind        Kind
	Fingerprint string
	Number      int
	Asked       []string
	Refused     []string
	Login       string
	Pairs       []Pair
}

const (
	start = "<!-- orgctl:"
	end   = " -->"
)

// Write returns m as it is written into a body, on one line without a line
// break. Empty logins in Asked and Refused are left out.
func Write(m Marker) string {
	var v string
	switch m.Kind {
	case Plan:
		return PlanLine
	case Fingerprint, Resolved:
		v = encode(m.Fingerprint)
	case DuplicateOf:
		v = strconv.Itoa(m.Number)
	case Unassigned:
		v = encode(m.Login)
	case Reviewers:
		var parts []string
		for _, l := range m.Asked {
			if l != "" {
				parts = append(parts, encode(l))
			}
		}
		for _, l := range m.Refused {
			if l != "" {
				parts = append(parts, "!"+encode(l))
			}
		}
		v = strings.Join(parts, ",")
	case Pairs:
		parts := make([]string, len(m.Pairs))
		for i, p := range m.Pairs {
			parts[i] = encode(p.Coach) + ":" + encode(p.CoachLogin) + ":" + encode(p.Coachee) + ":" + encode(p.CoacheeLogin)
		}
		v = strings.Join(parts, ",")
	}
	return start + string(m.Kind) + "=" + v + end
}

// Parse reads the first marker of kind k in body. ok is false when body
// has none, or when the first one is not one Write writes (nor one an older
// orgctl wrote: see below).
//
// Forms older orgctl versions wrote still read:
//   - fingerprint and resolved-fingerprint values written raw, before
//     values were encoded: a value that does not decode and has no blank
//     is read as it was written;
//   - an issue whose refused assignee was recorded only in its prose note
//     (before the unassigned marker): the login is read from the note.
func Parse(body string, k Kind) (m Marker, ok bool) {
	m.Kind = k
	if k == Plan {
		return m, strings.Contains(body, PlanLine)
	}
	raw, found := value(body, k)
	if !found {
		if k == Unassigned {
			return legacyUnassigned(body)
		}
		return Marker{}, false
	}
	switch k {
	case Fingerprint, Resolved:
		fp, ok := decode(raw)
		if !ok {
			// Written raw by an older orgctl (the old reader took any
			// run of non-blank characters).
			if strings.ContainsAny(raw, " \t\r\n\v\f") {
				return Marker{}, false
			}
			fp = raw
		}
		if fp == "" {
			return Marker{}, false
		}
		m.Fingerprint = fp
	case DuplicateOf:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return Marker{}, false
		}
		m.Number = n
	case Unassigned:
		login, ok := decode(raw)
		if !ok {
			return Marker{}, false
		}
		m.Login = login
	case Reviewers:
		if raw == "" {
			return m, true
		}
		for _, p := range strings.Split(raw, ",") {
			refused := strings.HasPrefix(p, "!")
			login, ok := decode(strings.TrimPrefix(p, "!"))
			switch {
			case !ok:
				return Marker{}, false
			case login == "":
			case refused:
				m.Refused = append(m.Refused, login)
			default:
				m.Asked = append(m.Asked, login)
			}
		}
	case Pairs:
		if raw == "" {
			return m, true
		}
		for _, p := range strings.Split(raw, ",") {
			f := strings.Split(p, ":")
			if len(f) != 4 {
				return Marker{}, false
			}
			var d [4]string
			for i, x := range f {
				if d[i], ok = decode(x); !ok {
					return Marker{}, false
				}
			}
			m.Pairs = append(m.Pairs, Pair{Coach: d[0], CoachLogin: d[1], Coachee: d[2], CoacheeLogin: d[3]})
		}
	default:
		return Marker{}, false
	}
	return m, true
}

// value is the still encoded value of the first marker of kind k in body.
func value(body string, k Kind) (string, bool) {
	open := start + string(k) + "="
	i := strings.Index(body, open)
	if i < 0 {
		return "", false
	}
	rest := body[i+len(open):]
	j := strings.Index(rest, end)
	if j < 0 {
		return "", false
	}
	return rest[:j], true
}

// legacyNotes are the prose notes by which orgctl recorded a refused
// assignee before the unassigned marker, oldest first; GitHub logins are
// letters, digits and hyphens, which Markdown escaping leaves as they are.
var legacyNotes = []*regexp.Regexp{
	regexp.MustCompile(`orgctl could not assign this issue to the manager's GitHub login ([A-Za-z0-9-]+): GitHub does not allow it`),
	regexp.MustCompile(`orgctl could not assign this issue to ([A-Za-z0-9-]+): GitHub refused it\.`),
	regexp.MustCompile(`orgctl could not assign this issue to ([A-Za-z0-9-]+), the manager's GitHub login: GitHub refused it`),
}

func legacyUnassigned(body string) (Marker, bool) {
	for _, re := range legacyNotes {
		if s := re.FindStringSubmatch(body); s != nil {
			return Marker{Kind: Unassigned, Login: s[1]}, true
		}
	}
	return Marker{}, false
}

func safe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '/' || c == '-'
}

// encode percent-encodes every byte outside [A-Za-z0-9._/-]. "--" followed
// by ">" or "!" could close an HTML comment; "-" stays because ">" and "!"
// are always encoded.
func encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safe(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// decode reverses encode; ok is false for a byte encode never leaves raw.
func decode(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case safe(c):
			b.WriteByte(c)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f' }

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
