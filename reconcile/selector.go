package reconcile

import (
	"fmt"
	"github.com/orgctl/orgctl/schema"
	"regexp"
	"slices"
	"strings"
)

// LabelSelector is a parsed label selector, as kubectl's -l takes it: a
// list of requirements that must all hold.
type LabelSelector []requirement

// requirement is one comma-separated term of a selector.
type requirement struct {
	key    string
	op     string   // "=", "!=", "exists", "!exists", "in", "notin"
	values []string // one for = and !=, the set for in and notin
}

// labelKey is the shape of a label key (Kubernetes': an optional DNS
// prefix and a slash, then a name), as the schema checks it.
var labelKey = regexp.MustCompile(`^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`)

// ParseLabelSelector reads a label selector: comma-separated requirements, all
// of which must hold, each one of
//
//	key=value, key==value   the label is set to value
//	key!=value              the label is not set to value (or not set)
//	key                     the label is set
//	!key                    the label is not set
//	key in (a,b)            the label is set to one of the values
//	key notin (a,b)         the label is not set to any of them (or not set)
//
// An empty selector matches everything.
func ParseLabelSelector(s string) (LabelSelector, error) {
	var sel LabelSelector
	terms, err := splitTerms(s)
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		r, err := parseRequirement(t)
		if err != nil {
			return nil, fmt.Errorf("invalid selector %q: %w", s, err)
		}
		sel = append(sel, r)
	}
	return sel, nil
}

// splitTerms splits a selector at the commas outside parentheses.
func splitTerms(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var terms []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
			if depth > 1 {
				return nil, fmt.Errorf("invalid selector %q: nested parentheses", s)
			}
		case ')':
			depth--
			if depth < 0 {
				return nil, fmt.Errorf("invalid selector %q: a ')' without its '('", s)
			}
		case ',':
			if depth == 0 {
				terms = append(terms, s[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("invalid selector %q: a '(' without its ')'", s)
	}
	terms = append(terms, s[start:])
	for i, t := range terms {
		terms[i] = strings.TrimSpace(t)
		if terms[i] == "" {
			return nil, fmt.Errorf("invalid selector %q: an empty requirement (two commas, or a comma at an end)", s)
		}
	}
	return terms, nil
}

func parseRequirement(t string) (requirement, error) {
	key := func(k string) (string, error) {
		k = strings.TrimSpace(k)
		if !labelKey.MatchString(k) {
			return "", fmt.Errorf("%q is not a label key (letters, digits, '-', '_' and '.', at most 63, optionally after a DNS prefix and '/')", k)
		}
		return k, nil
	}
	value := func(v string) (string, error) {
		v = strings.TrimSpace(v)
		if strings.ContainsAny(v, "=!()") {
			return "", fmt.Errorf("%q is not a label value", v)
		}
		return v, nil
	}
	var r requirement
	var err error
	switch {
	case strings.HasPrefix(t, "!"):
		r.op = "!exists"
		r.key, err = key(t[1:])
		return r, err
	case strings.Contains(t, "!="):
		k, v, _ := strings.Cut(t, "!=")
		r.op = "!="
		if r.key, err = key(k); err != nil {
			return r, err
		}
		v, err = value(v)
		r.values = []string{v}
		return r, err
	case strings.Contains(t, "="):
		k, v, _ := strings.Cut(t, "=")
		v = strings.TrimPrefix(v, "=") // key==value
		r.op = "="
		if r.key, err = key(k); err != nil {
			return r, err
		}
		v, err = value(v)
		r.values = []string{v}
		return r, err
	case strings.Contains(t, "("):
		head, rest, _ := strings.Cut(t, "(")
		list, tail, ok := strings.Cut(rest, ")")
		if !ok || strings.TrimSpace(tail) != "" {
			return r, fmt.Errorf("%q: write key in (a,b) or key notin (a,b)", t)
		}
		fields := strings.Fields(head)
		if len(fields) != 2 || fields[1] != "in" && fields[1] != "notin" {
			return r, fmt.Errorf("%q: write key in (a,b) or key notin (a,b)", t)
		}
		if r.key, err = key(fields[0]); err != nil {
			return r, err
		}
		r.op = fields[1]
		for _, v := range strings.Split(list, ",") {
			if v, err = value(v); err != nil {
				return r, err
			}
			r.values = append(r.values, v)
		}
		return r, nil
	}
	r.op = "exists"
	r.key, err = key(t)
	return r, err
}

// Matches reports whether labels satisfy every requirement.
func (s LabelSelector) Matches(labels map[string]string) bool {
	for _, r := range s {
		v, ok := labels[r.key]
		var hold bool
		switch r.op {
		case "=":
			hold = ok && v == r.values[0]
		case "!=":
			hold = !ok || v != r.values[0]
		case "exists":
			hold = ok
		case "!exists":
			hold = !ok
		case "in":
			hold = ok && slices.Contains(r.values, v)
		case "notin":
			hold = !ok || !slices.Contains(r.values, v)
		}
		if !hold {
			return false
		}
	}
	return true
}

// FieldSelector is a parsed --field-selector, as kubectl takes it: terms
// path=value, path==value or path!=value on a kind's fields (see Fields),
// separated by commas, all of which must hold.
type FieldSelector []fieldTerm

type fieldTerm struct {
	path, value string
	not         bool
}

// ParseFieldSelector reads a field selector for kind (schema.KindPerson or
// schema.KindTeam); an unknown field is an error that lists the kind's
// fields. An empty selector matches everything.
func ParseFieldSelector(s, kind string) (FieldSelector, error) {
	var sel FieldSelector
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for _, t := range strings.Split(s, ",") {
		var ft fieldTerm
		var ok bool
		switch {
		case strings.Contains(t, "!="):
			ft.path, ft.value, _ = strings.Cut(t, "!=")
			ft.not, ok = true, true
		case strings.Contains(t, "=="):
			ft.path, ft.value, ok = strings.Cut(t, "==")
		default:
			ft.path, ft.value, ok = strings.Cut(t, "=")
		}
		ft.path, ft.value = strings.TrimPrefix(strings.TrimSpace(ft.path), "."), strings.TrimSpace(ft.value)
		if !ok || ft.path == "" || strings.ContainsAny(ft.value, "=!") {
			return nil, fmt.Errorf("invalid field selector %q: %q is not field=value, field==value or field!=value", s, strings.TrimSpace(t))
		}
		if _, known := FieldValue(zeroView(kind), ft.path); !known {
			return nil, fmt.Errorf("invalid field selector %q: %s has no field %q; use one of %s, or metadata.labels.KEY", s, strings.ToLower(kind), ft.path, strings.Join(Fields(kind), ", "))
		}
		sel = append(sel, ft)
	}
	return sel, nil
}

// zeroView is an empty view of kind, to ask FieldValue which paths exist.
func zeroView(kind string) any {
	if kind == schema.KindTeam {
		return TeamView{}
	}
	return PersonView{}
}

// Matches reports whether a PersonView or TeamView satisfies every term.
func (s FieldSelector) Matches(view any) bool {
	for _, t := range s {
		v, _ := FieldValue(view, t.path)
		if (v == t.value) == t.not {
			return false
		}
	}
	return true
}
