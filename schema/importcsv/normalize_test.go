package importcsv

import (
	"regexp"
	"strings"
	"testing"
)

var dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func TestNormalizeMakesDNS1123Labels(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Jane Doe", "jane-doe"},
		{"jane.doe", "jane-doe"},
		{"  --Jane__Doe--  ", "jane-doe"},
		{"O'Brien", "o-brien"},
		{"José Álvarez", "jose-alvarez"},
		{"Straße", "strasse"},
		{"Ærø Søren", "aero-soren"},
		{"Łukasz Żółw", "lukasz-zolw"},
		{"Œuvre Þór Đorđe", "oeuvre-thor-dorde"},
		{"Олена Коваленко", "olena-kovalenko"},
		{"ﬁve ①", "five-1"}, // compatibility forms fold too
		{"王伟", ""},          // nothing to fold to: the caller falls back
		{"---", ""},
		{"", ""},
		{strings.Repeat("a", 62) + "-b", strings.Repeat("a", 62)}, // cut at 63, no trailing "-"
		{strings.Repeat("ab", 40), strings.Repeat("ab", 31) + "a"},
	} {
		got := Normalize(tc.in)
		if got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got != "" && (!dns1123.MatchString(got) || len(got) > MaxNameLength) {
			t.Errorf("Normalize(%q) = %q is not a DNS-1123 label", tc.in, got)
		}
	}
}

func TestWithSuffixStaysALabel(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    int
		want string
	}{
		{"jane-doe", 2, "jane-doe-2"},
		{"jane-doe", 12, "jane-doe-12"},
		{strings.Repeat("a", 63), 2, strings.Repeat("a", 61) + "-2"},
		{strings.Repeat("a", 60) + "-bc", 10, strings.Repeat("a", 60) + "-10"},
	} {
		got := withSuffix(tc.name, tc.k)
		if got != tc.want || !dns1123.MatchString(got) || len(got) > MaxNameLength {
			t.Errorf("withSuffix(%q, %d) = %q, want %q", tc.name, tc.k, got, tc.want)
		}
	}
}

func TestCleanTextFlattensCells(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  Hans   Müller ", "Hans Müller"},
		{"Berlin\r\nMitte", "Berlin Mitte"},
		{"a\tb\x00c", "a b c"},
		{strings.Repeat("é", 250), strings.Repeat("é", 200)},
	} {
		if got := cleanText(tc.in, 200); got != tc.want {
			t.Errorf("cleanText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
