package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// precheck is a fast, conservative pass over a document value before
// gojsonschema sees it. It understands exactly the draft-07 keywords the
// embedded schema uses, compiled once into a tree of nodes, and answers
// pass (the document is certainly valid), fail (certainly invalid) or unsure.
// Only pass is acted on: such a document skips gojsonschema, which stays the
// authority for every verdict and message on everything else. On a
// 100,000-person org gojsonschema was a fifth of validate's CPU time and a
// large share of its garbage; nearly every document in a real org is valid,
// so nearly all of that goes.
//
// The contract that keeps this safe: precheck never says pass for a
// document gojsonschema rejects. Any keyword it does not know disables it for
// the whole schema (compile error), any value it is unsure about (a float
// where an integer is wanted, uniqueness between objects) is unsure, and
// the tests run both on every document they load (see fullCheck).

type verdict uint8

const (
	unsure verdict = iota
	pass
	fail
)

// pnode is one compiled (sub)schema.
type pnode struct {
	ref    string // "#/definitions/x", resolved through defs
	defs   map[string]*pnode
	types  []string
	props  map[string]*pnode
	req    []string
	closed bool   // additionalProperties: false
	addl   *pnode // additionalProperties: {schema}
	names  *pnode // propertyNames
	items  *pnode
	minLen int // -1: absent
	maxLen int
	pat    *regexp.Regexp
	enum   []any // string, bool or nil only
	hasEq  bool  // enum or const present
	unique bool
	minIt  int
	min    *int64
	ifN    *pnode
	thenN  *pnode
	notN   *pnode
	allOf  []*pnode
}

// prechecks holds one compiled precheck per kind (and "" for the full
// schema), or nil when the schema uses something precheck does not
// understand.
var prechecks = sync.OnceValue(func() map[string]*pnode {
	out := map[string]*pnode{}
	for _, kind := range []string{"", KindPerson, KindTeam, KindPolicy} {
		root, err := kindRoot(kind)
		if err != nil {
			return nil
		}
		n, err := compilePrecheck(root)
		if err != nil {
			return nil
		}
		out[kind] = n
	}
	return out
})

// compilePrecheck compiles a schema root (with its definitions).
func compilePrecheck(root map[string]any) (*pnode, error) {
	defs := map[string]*pnode{}
	raw, _ := root["definitions"].(map[string]any)
	for name := range raw {
		defs[name] = &pnode{}
	}
	for name, d := range raw {
		m, ok := d.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("definition %s is not an object", name)
		}
		n, err := compileNode(m, defs)
		if err != nil {
			return nil, fmt.Errorf("definition %s: %w", name, err)
		}
		*defs[name] = *n
	}
	return compileNode(root, defs)
}

func compileNode(m map[string]any, defs map[string]*pnode) (*pnode, error) {
	n := &pnode{defs: defs, minLen: -1, maxLen: -1}
	sub := func(v any) (*pnode, error) {
		sm, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("subschema %v is not an object", v)
		}
		return compileNode(sm, defs)
	}
	count := func(v any) (int, error) {
		f, ok := v.(float64)
		if !ok || f != float64(int(f)) || f < 0 {
			return 0, fmt.Errorf("%v is not a count", v)
		}
		return int(f), nil
	}
	var err error
	for k, v := range m {
		switch k {
		case "$schema", "$id", "$comment", "title", "description", "default", "examples", "definitions":
		case "$ref":
			s, _ := v.(string)
			name, ok := strings.CutPrefix(s, "#/definitions/")
			if !ok || defs[name] == nil {
				return nil, fmt.Errorf("unsupported $ref %q", s)
			}
			for other := range m {
				switch other {
				case "$ref", "description", "title", "$comment":
				default:
					return nil, fmt.Errorf("$ref beside %q", other)
				}
			}
			n.ref = name
		case "type":
			switch t := v.(type) {
			case string:
				n.types = []string{t}
			case []any:
				for _, e := range t {
					s, ok := e.(string)
					if !ok {
						return nil, fmt.Errorf("type %v", v)
					}
					n.types = append(n.types, s)
				}
			default:
				return nil, fmt.Errorf("type %v", v)
			}
			for _, t := range n.types {
				switch t {
				case "object", "array", "string", "boolean", "null", "number", "integer":
				default:
					return nil, fmt.Errorf("type %q", t)
				}
			}
		case "properties":
			pm, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("properties %v", v)
			}
			n.props = map[string]*pnode{}
			for name, s := range pm {
				if n.props[name], err = sub(s); err != nil {
					return nil, err
				}
			}
		case "required":
			l, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("required %v", v)
			}
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("required %v", v)
				}
				n.req = append(n.req, s)
			}
		case "additionalProperties":
			switch a := v.(type) {
			case bool:
				n.closed = !a
			default:
				if n.addl, err = sub(a); err != nil {
					return nil, err
				}
			}
		case "propertyNames":
			if n.names, err = sub(v); err != nil {
				return nil, err
			}
		case "items":
			if n.items, err = sub(v); err != nil {
				return nil, err
			}
		case "minLength":
			if n.minLen, err = count(v); err != nil {
				return nil, err
			}
		case "maxLength":
			if n.maxLen, err = count(v); err != nil {
				return nil, err
			}
		case "minItems":
			if n.minIt, err = count(v); err != nil {
				return nil, err
			}
		case "pattern":
			s, _ := v.(string)
			if n.pat, err = regexp.Compile(s); err != nil {
				return nil, err
			}
		case "enum", "const":
			vals := []any{v}
			if k == "enum" {
				l, ok := v.([]any)
				if !ok {
					return nil, fmt.Errorf("enum %v", v)
				}
				vals = l
			}
			if n.hasEq {
				return nil, fmt.Errorf("both enum and const")
			}
			for _, e := range vals {
				switch e.(type) {
				case string, bool, nil:
				default:
					return nil, fmt.Errorf("%s value %v is not a string, boolean or null", k, e)
				}
			}
			n.enum, n.hasEq = vals, true
		case "uniqueItems":
			b, ok := v.(bool)
			if !ok {
				return nil, fmt.Errorf("uniqueItems %v", v)
			}
			n.unique = b
		case "minimum":
			f, ok := v.(float64)
			if !ok || f != float64(int64(f)) {
				return nil, fmt.Errorf("minimum %v", v)
			}
			i := int64(f)
			n.min = &i
		case "if":
			if n.ifN, err = sub(v); err != nil {
				return nil, err
			}
		case "then":
			if n.thenN, err = sub(v); err != nil {
				return nil, err
			}
		case "not":
			if n.notN, err = sub(v); err != nil {
				return nil, err
			}
		case "allOf":
			l, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("allOf %v", v)
			}
			for _, e := range l {
				s, err := sub(e)
				if err != nil {
					return nil, err
				}
				n.allOf = append(n.allOf, s)
			}
		case "x-orgctl-personal":
			// An annotation for the wording of errors (see personalAt).
		default:
			// else, oneOf, anyOf, format, patternProperties, ...: not
			// needed by the schema today, so not understood.
			return nil, fmt.Errorf("keyword %q is not understood by the precheck", k)
		}
	}
	if n.thenN != nil && n.ifN == nil {
		n.thenN = nil // then without if is ignored, as draft-07 says
	}
	return n, nil
}

// and folds verdicts: any fail fails, else any unsure is unsure.
func and(a, b verdict) verdict {
	if a == fail || b == fail {
		return fail
	}
	if a == unsure || b == unsure {
		return unsure
	}
	return pass
}

// check returns the verdict for v, a value built by the converter:
// map[string]any, []any, string, bool, nil or json.Number.
func (n *pnode) check(v any) verdict {
	if n.ref != "" {
		return n.defs[n.ref].check(v)
	}
	r := pass
	if n.types != nil {
		t := n.typeOf(v)
		if t == fail || t == unsure {
			return t
		}
	}
	switch x := v.(type) {
	case string:
		if n.minLen >= 0 || n.maxLen >= 0 {
			l := utf8.RuneCountInString(x)
			if n.minLen >= 0 && l < n.minLen || n.maxLen >= 0 && l > n.maxLen {
				return fail
			}
		}
		if n.pat != nil && !n.pat.MatchString(x) {
			return fail
		}
	case json.Number:
		if n.min != nil {
			i, err := strconv.ParseInt(string(x), 10, 64)
			if err != nil {
				r = unsure
			} else if i < *n.min {
				return fail
			}
		}
	case map[string]any:
		for _, k := range n.req {
			if _, ok := x[k]; !ok {
				return fail
			}
		}
		for k, e := range x {
			if n.names != nil {
				if r = and(r, n.names.check(k)); r == fail {
					return fail
				}
			}
			if p, ok := n.props[k]; ok {
				r = and(r, p.check(e))
			} else if n.closed {
				return fail
			} else if n.addl != nil {
				r = and(r, n.addl.check(e))
			}
			if r == fail {
				return fail
			}
		}
	case []any:
		if len(x) < n.minIt {
			return fail
		}
		if n.items != nil {
			for _, e := range x {
				if r = and(r, n.items.check(e)); r == fail {
					return fail
				}
			}
		}
		if n.unique && len(x) > 1 {
			r = and(r, uniqueStrings(x))
		}
	case bool, nil:
	default:
		return unsure
	}
	if n.hasEq {
		r = and(r, n.equalsOne(v))
	}
	if n.ifN != nil && n.thenN != nil {
		switch n.ifN.check(v) {
		case pass:
			r = and(r, n.thenN.check(v))
		case unsure:
			r = and(r, unsure)
		}
	}
	if n.notN != nil {
		switch n.notN.check(v) {
		case pass:
			return fail
		case unsure:
			r = and(r, unsure)
		}
	}
	for _, s := range n.allOf {
		if r = and(r, s.check(v)); r == fail {
			return fail
		}
	}
	return r
}

// typeOf checks v against the type keyword.
func (n *pnode) typeOf(v any) verdict {
	var got string
	switch x := v.(type) {
	case map[string]any:
		got = "object"
	case []any:
		got = "array"
	case string:
		got = "string"
	case bool:
		got = "boolean"
	case nil:
		got = "null"
	case json.Number:
		for _, t := range n.types {
			if t == "number" {
				return pass
			}
		}
		for _, t := range n.types {
			if t == "integer" {
				if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
					return pass
				}
				// 1.0 or 1e3 may count as an integer: leave it to
				// gojsonschema.
				return unsure
			}
		}
		return fail
	default:
		return unsure
	}
	for _, t := range n.types {
		if t == got {
			return pass
		}
	}
	return fail
}

// equalsOne compares v with the enum (or const) values, which are strings,
// booleans or null: for those, equality is plain Go equality.
func (n *pnode) equalsOne(v any) verdict {
	switch v.(type) {
	case string, bool, nil:
		for _, e := range n.enum {
			if e == v {
				return pass
			}
		}
		return fail
	case json.Number, map[string]any, []any:
		return fail // never equal to a string, boolean or null
	}
	return unsure
}

// uniqueStrings decides uniqueItems for lists of strings and leaves every
// other list (where JSON equality between numbers and objects is subtle) to
// gojsonschema.
func uniqueStrings(l []any) verdict {
	seen := make(map[string]struct{}, len(l))
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			return unsure
		}
		if _, dup := seen[s]; dup {
			return fail
		}
		seen[s] = struct{}{}
	}
	return pass
}
