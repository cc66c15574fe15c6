package schema

import (
	"cmp"
	"encoding/json"
	"errors"
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

// PrecheckMode says how the loader uses the precheck (Loader.Precheck).
type PrecheckMode uint8

const (
	// PrecheckOn acts on the precheck's certain verdicts: what users run.
	PrecheckOn PrecheckMode = iota
	// PrecheckOff validates every document with gojsonschema alone, to
	// compare timings or rule the precheck out when chasing a bug.
	PrecheckOff
	// PrecheckAudit runs the precheck and gojsonschema on every document
	// and turns a disagreement into a problem on the document (a bug in
	// orgctl): the tests load in this mode.
	PrecheckAudit
)

// precheckModes names the modes, for ParsePrecheckMode and String.
var precheckModes = [...]string{PrecheckOn: "on", PrecheckOff: "off", PrecheckAudit: "audit"}

// String returns the mode's name: on, off or audit.
func (m PrecheckMode) String() string {
	if int(m) < len(precheckModes) {
		return precheckModes[m]
	}
	return fmt.Sprintf("PrecheckMode(%d)", m)
}

// ParsePrecheckMode reads a mode by name (on, off or audit; empty is on),
// for commands that let a developer choose it.
func ParsePrecheckMode(s string) (PrecheckMode, error) {
	if s == "" {
		return PrecheckOn, nil
	}
	for m, name := range precheckModes {
		if s == name {
			return PrecheckMode(m), nil
		}
	}
	return PrecheckOn, fmt.Errorf("unknown schema precheck mode %q: use on, off or audit", s)
}

// errPrecheckDisagrees is wrapped by the error of an audit that found the
// precheck and gojsonschema disagreeing.
var errPrecheckDisagrees = errors.New("the schema precheck disagrees with gojsonschema")

// audit compares the precheck's verdict with gojsonschema's: a pass must
// be valid and a fail invalid.
func audit(quick verdict, valid bool, kind string) error {
	if quick == pass && !valid || quick == fail && valid {
		return fmt.Errorf("%w on this %s document (precheck %v, gojsonschema valid %v): a bug in orgctl, please report it with the document", errPrecheckDisagrees, cmp.Or(kind, "untyped"), quick, valid)
	}
	return nil
}

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
	// match is a hand-written matcher that agrees with pat (see
	// patternMatchers), nil when the pattern has none.
	match  func(string) bool
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

// compileNode compiles one (sub)schema object, keyword by keyword, through
// the keywords table.
func compileNode(m map[string]any, defs map[string]*pnode) (*pnode, error) {
	n := &pnode{defs: defs, minLen: -1, maxLen: -1}
	c := &keywordContext{schema: m, defs: defs, compile: compileNode}
	for k, v := range m {
		handle, known := keywords[k]
		if !known {
			// else, oneOf, anyOf, format, patternProperties, ...: not
			// needed by the schema today, so not understood.
			return nil, fmt.Errorf("keyword %q is not understood by the precheck", k)
		}
		if handle == nil {
			continue // an annotation: no bearing on validity
		}
		c.keyword = k
		if err := handle(n, v, c); err != nil {
			return nil, err
		}
	}
	if n.thenN != nil && n.ifN == nil {
		n.thenN = nil // then without if is ignored, as draft-07 says
	}
	return n, nil
}

// keywordContext is what a keyword handler may look at besides its own
// value: the keyword's name, the whole (sub)schema object it sits in and
// the definitions $ref resolves against.
type keywordContext struct {
	keyword string
	schema  map[string]any
	defs    map[string]*pnode
	// compile is compileNode, reached through the context so that the
	// keywords table does not refer to the function that reads it.
	compile func(map[string]any, map[string]*pnode) (*pnode, error)
}

// sub compiles a subschema value.
func (c *keywordContext) sub(v any) (*pnode, error) {
	sm, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: subschema %v is not an object", c.keyword, v)
	}
	return c.compile(sm, c.defs)
}

// keywordHandler compiles one keyword's value v into n; an error disables
// the precheck for the whole schema.
type keywordHandler func(n *pnode, v any, c *keywordContext) error

// keywords is every draft-07 keyword the precheck understands, with how it
// compiles; a nil handler marks an annotation. A keyword missing here makes
// compilePrecheck fail, so that the schema gaining a keyword disables the
// precheck (gojsonschema alone judges) instead of making it wrong. To
// support a keyword: add its handler here and its check to pnode.check, and
// let TestPrecheckAgreesWithGojsonschema prove the two agree.
var keywords = map[string]keywordHandler{
	"$schema": nil, "$id": nil, "$comment": nil, "title": nil, "description": nil,
	"default": nil, "examples": nil, "definitions": nil,
	"x-orgctl-personal": nil, // an annotation for the wording of errors (see personalAt)

	"$ref":                 compileRef,
	"type":                 compileType,
	"properties":           compileProperties,
	"required":             compileRequired,
	"additionalProperties": compileAdditional,
	"propertyNames":        subschema(func(n *pnode) **pnode { return &n.names }),
	"items":                subschema(func(n *pnode) **pnode { return &n.items }),
	"if":                   subschema(func(n *pnode) **pnode { return &n.ifN }),
	"then":                 subschema(func(n *pnode) **pnode { return &n.thenN }),
	"not":                  subschema(func(n *pnode) **pnode { return &n.notN }),
	"minLength":            count(func(n *pnode) *int { return &n.minLen }),
	"maxLength":            count(func(n *pnode) *int { return &n.maxLen }),
	"minItems":             count(func(n *pnode) *int { return &n.minIt }),
	"pattern":              compilePattern,
	"enum":                 compileEnum,
	"const":                compileEnum,
	"uniqueItems":          compileUnique,
	"minimum":              compileMinimum,
	"allOf":                compileAllOf,
}

// subschema is the handler of a keyword whose value is one subschema,
// stored where field points.
func subschema(field func(*pnode) **pnode) keywordHandler {
	return func(n *pnode, v any, c *keywordContext) error {
		s, err := c.sub(v)
		*field(n) = s
		return err
	}
}

// count is the handler of a keyword whose value is a non-negative integer.
func count(field func(*pnode) *int) keywordHandler {
	return func(n *pnode, v any, c *keywordContext) error {
		f, ok := v.(float64)
		if !ok || f != float64(int(f)) || f < 0 {
			return fmt.Errorf("%s: %v is not a count", c.keyword, v)
		}
		*field(n) = int(f)
		return nil
	}
}

// compileRef accepts only local references to definitions, alone in their
// object but for annotations.
func compileRef(n *pnode, v any, c *keywordContext) error {
	s, _ := v.(string)
	name, ok := strings.CutPrefix(s, "#/definitions/")
	if !ok || c.defs[name] == nil {
		return fmt.Errorf("unsupported $ref %q", s)
	}
	for other := range c.schema {
		switch other {
		case "$ref", "description", "title", "$comment":
		default:
			return fmt.Errorf("$ref beside %q", other)
		}
	}
	n.ref = name
	return nil
}

func compileType(n *pnode, v any, _ *keywordContext) error {
	switch t := v.(type) {
	case string:
		n.types = []string{t}
	case []any:
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("type %v", v)
			}
			n.types = append(n.types, s)
		}
	default:
		return fmt.Errorf("type %v", v)
	}
	for _, t := range n.types {
		switch t {
		case "object", "array", "string", "boolean", "null", "number", "integer":
		default:
			return fmt.Errorf("type %q", t)
		}
	}
	return nil
}

func compileProperties(n *pnode, v any, c *keywordContext) error {
	pm, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("properties %v", v)
	}
	n.props = make(map[string]*pnode, len(pm))
	for name, s := range pm {
		p, err := c.sub(s)
		if err != nil {
			return err
		}
		n.props[name] = p
	}
	return nil
}

func compileRequired(n *pnode, v any, _ *keywordContext) error {
	l, ok := v.([]any)
	if !ok {
		return fmt.Errorf("required %v", v)
	}
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			return fmt.Errorf("required %v", v)
		}
		n.req = append(n.req, s)
	}
	return nil
}

func compileAdditional(n *pnode, v any, c *keywordContext) error {
	if b, ok := v.(bool); ok {
		n.closed = !b
		return nil
	}
	var err error
	n.addl, err = c.sub(v)
	return err
}

func compilePattern(n *pnode, v any, _ *keywordContext) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("pattern %v", v)
	}
	var err error
	n.pat, err = regexp.Compile(s)
	n.match = patternMatchers[s]
	return err
}

// matches reports whether s matches the pattern keyword.
func (n *pnode) matches(s string) bool {
	if n.match != nil {
		return n.match(s)
	}
	return n.pat.MatchString(s)
}

// compileEnum handles enum and const, whose values must be strings,
// booleans or null (where equality is Go's).
func compileEnum(n *pnode, v any, c *keywordContext) error {
	vals := []any{v}
	if c.keyword == "enum" {
		l, ok := v.([]any)
		if !ok {
			return fmt.Errorf("enum %v", v)
		}
		vals = l
	}
	if n.hasEq {
		return fmt.Errorf("both enum and const")
	}
	for _, e := range vals {
		switch e.(type) {
		case string, bool, nil:
		default:
			return fmt.Errorf("%s value %v is not a string, boolean or null", c.keyword, e)
		}
	}
	n.enum, n.hasEq = vals, true
	return nil
}

func compileUnique(n *pnode, v any, _ *keywordContext) error {
	b, ok := v.(bool)
	if !ok {
		return fmt.Errorf("uniqueItems %v", v)
	}
	n.unique = b
	return nil
}

func compileMinimum(n *pnode, v any, _ *keywordContext) error {
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) {
		return fmt.Errorf("minimum %v", v)
	}
	i := int64(f)
	n.min = &i
	return nil
}

func compileAllOf(n *pnode, v any, c *keywordContext) error {
	l, ok := v.([]any)
	if !ok {
		return fmt.Errorf("allOf %v", v)
	}
	for _, e := range l {
		s, err := c.sub(e)
		if err != nil {
			return err
		}
		n.allOf = append(n.allOf, s)
	}
	return nil
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
		if n.pat != nil && !n.matches(x) {
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

// String names the verdict, for messages.
func (v verdict) String() string {
	switch v {
	case pass:
		return "pass"
	case fail:
		return "fail"
	}
	return "unsure"
}
