package reconcile

import (
	"strings"
	"testing"
)

func TestSelectorMatches(t *testing.T) {
	kyiv := map[string]string{"office": "kyiv", "tier": "1"}
	remote := map[string]string{"office": "remote"}
	var none map[string]string
	cases := []struct {
		selector               string
		kyiv, remote, noLabels bool
	}{
		{"", true, true, true},
		{"office=kyiv", true, false, false},
		{"office==kyiv", true, false, false},
		{" office = kyiv ", true, false, false},
		{"office!=kyiv", false, true, true}, // no label: not equal
		{"tier", true, false, false},
		{"!tier", false, true, true},
		{"office,!tier", false, true, false},
		{"office=kyiv,tier=1", true, false, false}, // comma is AND
		{"office=kyiv,tier=2", false, false, false},
		{"office in (kyiv, remote)", true, true, false},
		{"office notin (kyiv)", false, true, true},
		{"office in (remote),!tier", false, true, false},
		{"office=", false, false, false}, // set to the empty string
		{"example.com/team-x.y_z", false, false, false},
	}
	for _, c := range cases {
		sel, err := ParseLabelSelector(c.selector)
		if err != nil {
			t.Errorf("ParseLabelSelector(%q): %v", c.selector, err)
			continue
		}
		for _, x := range []struct {
			name   string
			labels map[string]string
			want   bool
		}{{"kyiv", kyiv, c.kyiv}, {"remote", remote, c.remote}, {"no labels", none, c.noLabels}} {
			if got := sel.Matches(x.labels); got != x.want {
				t.Errorf("%q matches %s = %v, want %v", c.selector, x.name, got, x.want)
			}
		}
	}
}

func TestSelectorErrors(t *testing.T) {
	cases := []struct{ selector, want string }{
		{"=kyiv", `"" is not a label key`},
		{"office=kyiv,", "an empty requirement"},
		{",office", "an empty requirement"},
		{"a,,b", "an empty requirement"},
		{"office in (kyiv", "a '(' without its ')'"},
		{"office in kyiv)", "a ')' without its '('"},
		{"office in ((kyiv))", "nested parentheses"},
		{"office within (kyiv)", "write key in (a,b) or key notin (a,b)"},
		{"office in (kyiv) x", "write key in (a,b) or key notin (a,b)"},
		{"bad key=1", `"bad key" is not a label key`},
		{"-office", `"-office" is not a label key`},
		{"office=a=b", `"a=b" is not a label value`},
		{"office!=a!=b", `"a!=b" is not a label value`},
		{"!", `"" is not a label key`},
	}
	for _, c := range cases {
		_, err := ParseLabelSelector(c.selector)
		if err == nil {
			t.Errorf("ParseLabelSelector(%q) = nil error, want one containing %q", c.selector, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "invalid selector") {
			t.Errorf("ParseLabelSelector(%q) = %q, want it to say %q", c.selector, err, c.want)
		}
	}
}

func TestFieldSelector(t *testing.T) {
	eva := PersonView{Name: "eva", Level: "staff", Team: "sales", Labels: map[string]string{"office": "kyiv"}}
	intern := PersonView{Name: "ida", Level: "intern", Team: "sales"}
	cases := []struct {
		selector    string
		eva, intern bool
	}{
		{"", true, true},
		{"spec.level!=intern", true, false},
		{"spec.level==intern", false, true},
		{"spec.level=intern,spec.team=sales", false, true},
		{".spec.team = sales , metadata.name!=eva", false, true},
		{"metadata.labels.office=kyiv", true, false},
		{"metadata.labels.office!=kyiv", false, true},
	}
	for _, c := range cases {
		sel, err := ParseFieldSelector(c.selector, "Person")
		if err != nil {
			t.Errorf("ParseFieldSelector(%q): %v", c.selector, err)
			continue
		}
		if got := sel.Matches(eva); got != c.eva {
			t.Errorf("%q matches eva = %v, want %v", c.selector, got, c.eva)
		}
		if got := sel.Matches(intern); got != c.intern {
			t.Errorf("%q matches the intern = %v, want %v", c.selector, got, c.intern)
		}
	}
	for sel, want := range map[string]string{
		"level=intern":      `person has no field "level"; use one of metadata.name,`,
		"spec.level":        "is not field=value",
		"spec.level=a=b":    "is not field=value",
		"spec.parent=x":     `person has no field "spec.parent"`,
		"spec.level=x,,a=b": "is not field=value",
	} {
		if _, err := ParseFieldSelector(sel, "Person"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFieldSelector(%q) = %v, want an error saying %q", sel, err, want)
		}
	}
	if _, err := ParseFieldSelector("spec.parent=x", "Team"); err != nil {
		t.Errorf("teams have spec.parent: %v", err)
	}
}
