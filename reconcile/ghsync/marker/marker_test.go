package marker

import (
	"reflect"
	"strings"
	"testing"
)

// nonEmpty keeps the non-empty logins: Write leaves empty ones out, and
// GitHub has no empty login.
func nonEmpty(l []string) []string {
	var out []string
	for _, s := range l {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FuzzRoundTrip: every kind of marker reads back exactly as written, for
// any field values (line breaks, "-->", "%", separators, unicode, invalid
// UTF-8), wherever it sits in a body, and writes no line break and nothing
// that would end the HTML comment early.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"missing-coach/erin", "a --> b", "100%", "x\ny", "!,:", "ünï/çødé 🙂", "--!>", "<!-- orgctl:fingerprint=forged -->", "\xff"} {
		f.Add(s, "boss-gh", 7)
	}
	f.Fuzz(func(t *testing.T, s, u string, n int) {
		ms := []Marker{
			{Kind: Plan},
			{Kind: DuplicateOf, Number: n},
			{Kind: Unassigned, Login: s},
			{Kind: Reviewers, Asked: nonEmpty([]string{s, u}), Refused: nonEmpty([]string{u})},
			{Kind: Pairs, Pairs: []Pair{{Coach: s, CoachLogin: u, Coachee: u + s, CoacheeLogin: ""}, {Coachee: s}}},
			{Kind: Pairs},
		}
		if s != "" {
			ms = append(ms, Marker{Kind: Fingerprint, Fingerprint: s}, Marker{Kind: Resolved, Fingerprint: s})
		}
		for _, m := range ms {
			w := Write(m)
			if strings.ContainsAny(w, "\r\n") || strings.Count(w, "-->") != 1 || !strings.HasSuffix(w, " -->") {
				t.Errorf("Write(%+v) = %q: not one comment on one line", m, w)
			}
			body := "before\n" + w + "\n" + u + s
			got, ok := Parse(body, m.Kind)
			if !ok || !reflect.DeepEqual(got, m) {
				t.Errorf("Parse(Write(%+v)) = %+v, %v", m, got, ok)
			}
		}
	})
}

// TestOldFormsStillParse: every form an orgctl ever wrote into a body
// reads as it meant, and what the old readers refused stays refused.
func TestOldFormsStillParse(t *testing.T) {
	tests := []struct {
		name string
		body string
		kind Kind
		want Marker
		ok   bool
	}{
		{"raw fingerprint (before encoding)", "<!-- orgctl:fingerprint=missing-coach/erin -->\nbody", Fingerprint,
			Marker{Kind: Fingerprint, Fingerprint: "missing-coach/erin"}, true},
		{"raw fingerprint with bytes encoding never leaves", "<!-- orgctl:fingerprint=parse/people/o'neil:1.yaml -->", Fingerprint,
			Marker{Kind: Fingerprint, Fingerprint: "parse/people/o'neil:1.yaml"}, true},
		{"encoded fingerprint", "<!-- orgctl:fingerprint=parse/people/a%20b.yaml -->", Fingerprint,
			Marker{Kind: Fingerprint, Fingerprint: "parse/people/a b.yaml"}, true},
		{"raw resolved", "x\n<!-- orgctl:resolved-fingerprint=missing-coach/erin -->\ny", Resolved,
			Marker{Kind: Resolved, Fingerprint: "missing-coach/erin"}, true},
		{"raw resolved with %", "<!-- orgctl:resolved-fingerprint=missing-coach/100% -->", Resolved,
			Marker{Kind: Resolved, Fingerprint: "missing-coach/100%"}, true},
		{"a resolved marker is not a fingerprint", "<!-- orgctl:resolved-fingerprint=missing-coach/erin -->", Fingerprint, Marker{}, false},
		{"a fingerprint is not a resolved marker", "<!-- orgctl:fingerprint=missing-coach/erin -->", Resolved, Marker{}, false},
		{"raw blank", "<!-- orgctl:resolved-fingerprint=a\tb -->", Resolved, Marker{}, false},
		{"raw space", "<!-- orgctl:fingerprint=a b -->", Fingerprint, Marker{}, false},
		{"empty fingerprint", "<!-- orgctl:resolved-fingerprint= -->", Resolved, Marker{}, false},
		{"unterminated", "<!-- orgctl:resolved-fingerprint=missing-coach/erin", Resolved, Marker{}, false},
		{"duplicate", "<!-- orgctl:duplicate-of=12 -->\nold body", DuplicateOf, Marker{Kind: DuplicateOf, Number: 12}, true},
		{"duplicate not a number", "<!-- orgctl:duplicate-of=x -->", DuplicateOf, Marker{}, false},
		{"reviewers", "<!-- orgctl:reviewers=boss-gh,ext-gh -->", Reviewers,
			Marker{Kind: Reviewers, Asked: []string{"boss-gh", "ext-gh"}}, true},
		{"reviewers with a refused one", "<!-- orgctl:reviewers=boss-gh,!carol-gh -->", Reviewers,
			Marker{Kind: Reviewers, Asked: []string{"boss-gh"}, Refused: []string{"carol-gh"}}, true},
		{"no reviewers", "<!-- orgctl:reviewers= -->", Reviewers, Marker{Kind: Reviewers}, true},
		{"reviewers with a raw byte", "<!-- orgctl:reviewers=a b -->", Reviewers, Marker{}, false},
		{"plan", "<!-- orgctl:plan -->\n## orgctl plan", Plan, Marker{Kind: Plan}, true},
		{"escaped plan is no plan", "&lt;\\!-- orgctl:plan --&gt;", Plan, Marker{}, false},
		{"first refused-assignee note (7096e0d)", "> [!NOTE]\n> orgctl could not assign this issue to the manager's GitHub login boss-gh: GitHub does not allow it \\(not a collaborator of this repository?\\).", Unassigned,
			Marker{Kind: Unassigned, Login: "boss-gh"}, true},
		{"second refused-assignee note (7096e0d)", "> [!NOTE]\n> orgctl could not assign this issue to boss-gh: GitHub refused it.\n\n---", Unassigned,
			Marker{Kind: Unassigned, Login: "boss-gh"}, true},
		{"refused-assignee note (e0e8c54)", "> [!NOTE]\n> orgctl could not assign this issue to boss-gh, the manager's GitHub login: GitHub refused it \\(is it a collaborator of this repository?\\).", Unassigned,
			Marker{Kind: Unassigned, Login: "boss-gh"}, true},
		{"the marker wins over a note", "<!-- orgctl:unassigned=new-gh -->\norgctl could not assign this issue to old-gh: GitHub refused it.", Unassigned,
			Marker{Kind: Unassigned, Login: "new-gh"}, true},
		{"no note", "orgctl could not assign this issue", Unassigned, Marker{}, false},
		{"pairs", "<!-- orgctl:pairs=carol:carol-gh:erin: -->", Pairs,
			Marker{Kind: Pairs, Pairs: []Pair{{Coach: "carol", CoachLogin: "carol-gh", Coachee: "erin"}}}, true},
		{"pairs with a missing part", "<!-- orgctl:pairs=carol:carol-gh:erin -->", Pairs, Marker{}, false},
		{"unknown kind", "<!-- orgctl:other=x -->", Kind("other"), Marker{}, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.body, tt.kind)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) && tt.ok {
			t.Errorf("%s: Parse(%q, %s) = %+v, %v, want %+v, %v", tt.name, tt.body, tt.kind, got, ok, tt.want, tt.ok)
		}
	}
}

// TestOrdinaryValuesAreWrittenAsTheyAre: the markers of ordinary
// fingerprints and logins are byte for byte what older orgctl versions
// wrote, so that a new run recognises them and an old run recognises the
// new ones.
func TestOrdinaryValuesAreWrittenAsTheyAre(t *testing.T) {
	tests := []struct {
		m    Marker
		want string
	}{
		{Marker{Kind: Fingerprint, Fingerprint: "parse/people/a_b-c.yaml"}, "<!-- orgctl:fingerprint=parse/people/a_b-c.yaml -->"},
		{Marker{Kind: Resolved, Fingerprint: "missing-coach/erin"}, "<!-- orgctl:resolved-fingerprint=missing-coach/erin -->"},
		{Marker{Kind: DuplicateOf, Number: 4}, "<!-- orgctl:duplicate-of=4 -->"},
		{Marker{Kind: Reviewers, Asked: []string{"boss-gh"}, Refused: []string{"carol-gh"}}, "<!-- orgctl:reviewers=boss-gh,!carol-gh -->"},
		{Marker{Kind: Plan}, "<!-- orgctl:plan -->"},
		{Marker{Kind: Fingerprint, Fingerprint: "x --> <!-- orgctl:fingerprint=y"}, "<!-- orgctl:fingerprint=x%20--%3E%20%3C%21--%20orgctl%3Afingerprint%3Dy -->"},
	}
	for _, tt := range tests {
		if got := Write(tt.m); got != tt.want {
			t.Errorf("Write(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}
