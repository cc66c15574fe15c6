package ghenv

import "testing"

func TestURLPasswordIsFoundInUnparsableURLs(t *testing.T) {
	for raw, want := range map[string]string{
		"https://u:p@ss@h/api/v3":     "p@ss",
		"https://u:pa ss%zz@h/api/v3": "pa ss%zz",
		"https://h/api/v3":            "",
		"https://u@h/":                "",
		"":                            "",
	} {
		if got := urlPassword(raw); got != want {
			t.Errorf("urlPassword(%q) = %q, want %q", raw, got, want)
		}
	}
}
