package schema

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"
	"go.yaml.in/yaml/v3"
)

// JSON is the JSON Schema (draft-07) of orgctl documents, as printed by
// `orgctl schema` and referenced by editors.
//
//go:embed orgctl.schema.json
var JSON []byte

// compiled holds the schema compiled once per process: the full schema
// (for documents of an unknown kind) and, derived from it, one schema per
// kind with the kind's spec wired in directly, which spares every document
// the three if/then branches of the full schema (a third of the time spent
// validating). Both come from the one embedded file.
var compiled = sync.OnceValues(func() (map[string]*gojsonschema.Schema, error) {
	out := map[string]*gojsonschema.Schema{}
	for _, kind := range []string{"", KindPerson, KindTeam, KindPolicy} {
		root, err := kindRoot(kind)
		if err != nil {
			return nil, err
		}
		s, err := gojsonschema.NewSchema(gojsonschema.NewGoLoader(root))
		if err != nil {
			return nil, fmt.Errorf("compiling the %s schema (a bug in orgctl, please report it): %w", cmp.Or(kind, "full"), err)
		}
		out[kind] = s
	}
	return out, nil
})

// Prepare compiles the schema and its precheck, which the first document
// that needs them otherwise does while the other workers wait: a command
// that has other work to do first (plan reads two orgs) calls it on a
// goroutine of its own, so that the compiling overlaps that work.
func Prepare() {
	compiled()
	prechecks()
}

// kindRoot returns the embedded schema as plain values: whole for kind "",
// else with the kind's spec wired in directly in place of the if/then
// branches.
func kindRoot(kind string) (map[string]any, error) {
	var root map[string]any
	if err := json.Unmarshal(JSON, &root); err != nil {
		return nil, fmt.Errorf("reading the embedded schema (a bug in orgctl, please report it): %w", err)
	}
	if kind == "" {
		return root, nil
	}
	delete(root, "allOf")
	props := root["properties"].(map[string]any)
	props["spec"] = map[string]any{"$ref": "#/definitions/" + strings.ToLower(kind) + "Spec"}
	return root, nil
}

// raw is the schema as plain values, for "did you mean" suggestions.
var raw = sync.OnceValue(func() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(JSON, &m); err != nil {
		panic(fmt.Sprintf("embedded schema is not JSON: %v", err))
	}
	return m
})

// ctxSep separates path segments in gojsonschema contexts; it cannot occur
// in YAML keys that pass the schema.
const ctxSep = "\x00"

// schemaError is one schema violation, positioned on the document's nodes.
type schemaError struct {
	pos Pos
	msg string
	// missing is the field a "required" error is about; typo is the
	// field an unknown field's did-you-mean points at. Both are full
	// paths such as spec.level.
	missing, typo string
}

// dropTypoedRequired keeps one error for one typo: when "levle" is unknown
// and "level" is missing, the did-you-mean says it all.
func dropTypoedRequired(errs []schemaError) []schemaError {
	typos := map[string]bool{}
	for _, e := range errs {
		if e.typo != "" {
			typos[e.typo] = true
		}
	}
	out := errs[:0]
	for _, e := range errs {
		if e.missing != "" && typos[e.missing] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// validate checks a document value against the schema and returns its
// violations, with positions taken from root (the document's mapping node):
// at most limit of them, worded, and the number of the others in more.
// Errors that only repeat another one (the "must validate then" of if/then)
// are dropped. Wording costs a walk of the document per error, so a
// document with a million unknown fields is counted, not described.
//
// mode says how the precheck is used: PrecheckOn lets its certain verdicts
// stand, PrecheckOff skips it, PrecheckAudit runs gojsonschema as well on
// every document and returns an error wrapping errPrecheckDisagrees when
// the two disagree.
func validate(root *yaml.Node, value any, limit int, mode PrecheckMode) (out []schemaError, more int, err error) {
	schemas, err := compiled()
	if err != nil {
		return nil, 0, err
	}
	kind, _ := stringAt(value, "kind")
	s, ok := schemas[kind]
	if !ok {
		s = schemas[""]
	}
	quick := unsure
	if pc := prechecks(); pc != nil && mode != PrecheckOff {
		n, ok := pc[kind]
		if !ok {
			n = pc[""]
		}
		quick = n.check(value)
		if quick == pass && mode != PrecheckAudit {
			return nil, 0, nil
		}
		if quick == fail && limit == 0 && mode != PrecheckAudit {
			return nil, 1, nil // invalid, and nothing more will be shown
		}
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(value))
	if err != nil {
		return nil, 0, fmt.Errorf("validating against the schema: %w", err)
	}
	if mode == PrecheckAudit {
		if err := audit(quick, res.Valid(), kind); err != nil {
			return nil, 0, err
		}
	}
	if res.Valid() {
		return nil, 0, nil
	}
	var errs []gojsonschema.ResultError
	for _, e := range res.Errors() {
		switch e.Type() {
		case "condition_then", "condition_else", "number_all_of", "number_any_of", "number_one_of", "number_not":
			continue
		}
		errs = append(errs, e)
	}
	if len(errs) > limit {
		// gojsonschema reports in map order: choose which to word
		// deterministically.
		type keyed struct {
			key string
			e   gojsonschema.ResultError
		}
		ks := make([]keyed, len(errs))
		for i, e := range errs {
			ks[i] = keyed{e.Context().String(ctxSep) + "\x00" + e.Type() + "\x00" + fmt.Sprint(e.Details()["property"]), e}
		}
		slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
		for i := range errs {
			errs[i] = ks[i].e
		}
		more = len(errs) - limit
		errs = errs[:limit]
	}
	seen := map[string]bool{}
	for _, e := range errs {
		path := splitContext(e.Context().String(ctxSep))
		se := describe(root, kind, path, e)
		if k := fmt.Sprint(se.pos, se.msg); !seen[k] {
			seen[k] = true
			out = append(out, se)
		}
	}
	out = dropTypoedRequired(out)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].pos.Line != out[j].pos.Line {
			return out[i].pos.Line < out[j].pos.Line
		}
		return out[i].pos.Column < out[j].pos.Column
	})
	return out, more, nil
}

func splitContext(s string) []string {
	parts := strings.Split(s, ctxSep)
	if len(parts) > 0 && parts[0] == "(root)" {
		parts = parts[1:]
	}
	return parts
}

// fieldName renders a path as spec.mentors[0].domain.
func fieldName(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "the document"
	}
	return b.String()
}

func describe(root *yaml.Node, kind string, path []string, e gojsonschema.ResultError) schemaError {
	// Errors point at the value at fault; unknown fields at their key.
	val, _, _ := lookup(root, path)
	at := posOf(val)
	field := fieldName(path)
	d := e.Details()
	if personalAt(kind, path) {
		// Findings travel to annotations, SARIF and pull-request
		// comments: name the field and the problem, never the value.
		return schemaError{pos: at, msg: personalMessage(field, path, e)}
	}
	if isLabelPath(path) {
		switch e.Type() {
		case "pattern", "string_gte", "string_lte":
			v, _ := valueAt(val)
			return schemaError{pos: at, msg: fmt.Sprintf("%s %q %s", field, v, labelProblem(v))}
		}
	}
	switch e.Type() {
	case "required":
		prop, _ := d["property"].(string)
		f := fieldName(append(slices.Clone(path), prop))
		hint := ""
		if f == "spec.team" || f == "spec.level" {
			hint = " (or set spec.external: true for someone from outside the company)"
		}
		return schemaError{pos: at, msg: fmt.Sprintf("missing required field %s%s", f, hint), missing: f}
	case "additional_property_not_allowed":
		prop, _ := d["property"].(string)
		if _, kn, ok := lookup(root, append(slices.Clone(path), prop)); ok && kn != nil {
			at = posOf(kn)
		}
		msg := fmt.Sprintf("unknown field %q in %s", prop, field)
		typo := ""
		if s := suggest(prop, propertiesAt(kind, path)); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
			typo = fieldName(append(slices.Clone(path), s))
		} else if names := propertiesAt(kind, path); len(names) > 0 {
			msg += "; allowed: " + strings.Join(names, ", ")
		}
		return schemaError{pos: at, msg: msg, typo: typo}
	case "invalid_type":
		return schemaError{pos: at, msg: fmt.Sprintf("%s must be %s, not %s", field, article(fmt.Sprint(d["expected"])), article(fmt.Sprint(d["given"])))}
	case "enum":
		v, _ := valueAt(val)
		opts := enumAt(e)
		if s := suggest(v, opts); s != "" {
			return schemaError{pos: at, msg: fmt.Sprintf("%s %q is not allowed (did you mean %q?)", field, v, s)}
		}
		list := strings.Join(opts, ", ")
		if len(opts) > 6 {
			list = strings.Join(opts[:6], ", ") + ", …"
		}
		return schemaError{pos: at, msg: fmt.Sprintf("%s %q is not one of %s", field, v, list)}
	case "pattern":
		v, _ := valueAt(val)
		what := "does not match the pattern " + fmt.Sprint(d["pattern"])
		switch {
		case len(path) > 0 && path[len(path)-1] == "github":
			what = "is not a valid GitHub login (letters, digits and single hyphens, not at either end)"
		case strings.Contains(fmt.Sprint(d["pattern"]), "[-a-z0-9]"):
			what = "is not a valid name: use lower-case letters, digits and '-', starting and ending with a letter or digit"
		case len(path) > 0 && path[len(path)-1] == "expires",
			strings.HasPrefix(fmt.Sprint(d["pattern"]), "^[0-9]{4}-"):
			what = "is not a date: write it as YYYY-MM-DD (a real month and day)"
		}
		return schemaError{pos: at, msg: fmt.Sprintf("%s %q %s", field, v, what)}
	case "number_gte", "number_lte", "string_gte", "string_lte", "array_min_items", "array_max_items":
		return schemaError{pos: at, msg: fmt.Sprintf("%s: %s", field, lowerFirst(e.Description()))}
	case "unique":
		return schemaError{pos: at, msg: fmt.Sprintf("%s has the same item twice: list each once", field)}
	case "invalid_property_name":
		prop, _ := d["property"].(string)
		return schemaError{pos: at, msg: fmt.Sprintf("%s has an invalid key %q: keys are letters, digits, '-', '_' and '.', with an optional DNS prefix and '/'", field, prop)}
	}
	return schemaError{pos: at, msg: fmt.Sprintf("%s: %s", field, e.Description())}
}

// isLabelPath reports whether path is an item of spec.github.labels.
func isLabelPath(path []string) bool {
	n := len(path)
	return n == 4 && path[0] == "spec" && path[1] == "github" && path[2] == "labels"
}

// labelProblem says what is wrong with a label name that the schema
// refused, one message whichever of its checks failed, so that one bad
// label is one finding.
func labelProblem(v string) string {
	switch {
	case v == "":
		return "is empty: name the label, or remove the item"
	case strings.Contains(v, ","):
		return "has a comma, which GitHub's labels filter reads as two labels (every run would open duplicate issues): use '-' or '/' instead"
	case utf8.RuneCountInString(v) > 50:
		return fmt.Sprintf("is %d characters long: GitHub allows at most 50 in a label name", utf8.RuneCountInString(v))
	case strings.TrimSpace(v) != v:
		return "starts or ends with a space: remove it (GitHub trims label names, and orgctl would not find its own label)"
	}
	return "has a control character: a label name is printable text on one line"
}

// personalMessage words an error on a personal field without its value.
func personalMessage(field string, path []string, e gojsonschema.ResultError) string {
	d := e.Details()
	switch e.Type() {
	case "invalid_type":
		return fmt.Sprintf("%s must be %s, not %s", field, article(fmt.Sprint(d["expected"])), article(fmt.Sprint(d["given"])))
	case "pattern", "format":
		if path[len(path)-1] == "email" {
			return fmt.Sprintf("%s is not an email address (one @, no spaces); the value is personal, so it is not shown", field)
		}
		return fmt.Sprintf("%s is not in the expected form; the value is personal, so it is not shown", field)
	case "string_gte", "string_lte":
		return fmt.Sprintf("%s: %s", field, lowerFirst(e.Description()))
	}
	return fmt.Sprintf("%s is not valid (%s); the value is personal, so it is not shown", field, strings.ReplaceAll(e.Type(), "_", " "))
}

// schemaAt walks the schema to the node that describes path in a document
// of the given kind (spec goes to the kind's spec definition; list items
// are stepped into), returning it unresolved with the definitions, or nil
// when the schema has no such field.
func schemaAt(kind string, path []string) (node, defs map[string]any) {
	root := raw()
	defs, _ = root["definitions"].(map[string]any)
	cur := root
	for i, seg := range path {
		if i == 0 && seg == "spec" {
			def, ok := defs[strings.ToLower(kind)+"Spec"].(map[string]any)
			if !ok {
				return nil, defs
			}
			cur = def
			continue
		}
		cur = resolve(defs, cur)
		if props, ok := cur["properties"].(map[string]any); ok {
			if next, ok := props[seg].(map[string]any); ok {
				cur = next
				continue
			}
		}
		if items, ok := cur["items"].(map[string]any); ok {
			cur = items
			continue
		}
		return nil, defs
	}
	return cur, defs
}

// personalAt reports whether the schema marks the field at path
// ("x-orgctl-personal": true) in a document of the given kind.
func personalAt(kind string, path []string) bool {
	cur, defs := schemaAt(kind, path)
	if cur == nil {
		return false
	}
	personal, _ := resolve(defs, cur)["x-orgctl-personal"].(bool)
	return personal
}

func article(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "integer":
		return "an integer"
	case "null":
		return "empty"
	}
	return "a " + t
}

func valueAt(n *yaml.Node) (string, bool) {
	if n != nil && n.Kind == yaml.ScalarNode {
		return n.Value, true
	}
	return "", false
}

func stringAt(v any, key string) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := m[key].(string)
	return s, ok
}

// enumAt extracts the allowed values of an enum error.
func enumAt(e gojsonschema.ResultError) []string {
	s := fmt.Sprint(e.Details()["allowed"])
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.Trim(strings.TrimSpace(p), `"`)
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// propertiesAt lists the property names the schema allows at path in a
// document of the given kind.
func propertiesAt(kind string, path []string) []string {
	cur, defs := schemaAt(kind, path)
	if cur == nil {
		return nil
	}
	cur = resolve(defs, cur)
	props, _ := cur["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func resolve(defs, s map[string]any) map[string]any {
	for range 8 {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		next, ok := defs[strings.TrimPrefix(ref, "#/definitions/")].(map[string]any)
		if !ok {
			return s
		}
		s = next
	}
	return s
}

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo, else "". Ties go to the candidate listed first.
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }

func suggest(s string, candidates []string) string {
	return NewSuggester(candidates).Suggest(s)
}

// Suggester answers Suggest for many names against one list of
// candidates. unknown-reference asks once per missing name against every
// name of the org, so the number of questions grows with the org as the
// list does; what can be known of each candidate without the question
// (its length in runes and its characters) is worked out once here, and
// each question then skips most candidates by comparing two numbers.
type Suggester struct {
	names []string
	runes []int32  // utf8.RuneCountInString(names[i])
	sigs  []uint64 // charSet(strings.ToLower(names[i]))
	// smallest breaks ties by the smallest name rather than by the order
	// of names, so that a million names need not be sorted first.
	smallest bool
}

// NewSuggester indexes candidates (kept, in order: ties go to the first).
func NewSuggester(candidates []string) *Suggester {
	x := &Suggester{
		names: candidates,
		runes: make([]int32, len(candidates)),
		sigs:  make([]uint64, len(candidates)),
	}
	for i, c := range candidates {
		x.runes[i] = int32(utf8.RuneCountInString(c))
		x.sigs[i] = charSet(strings.ToLower(c))
	}
	return x
}

// NewSuggesterAnyOrder indexes candidates in any order: ties go to the
// smallest name, so it suggests what NewSuggester does on the sorted list.
func NewSuggesterAnyOrder(candidates []string) *Suggester {
	x := NewSuggester(candidates)
	x.smallest = true
	return x
}

// Suggest is the package-level Suggest against x's candidates.
func (x *Suggester) Suggest(s string) string {
	// A candidate further than limit is never suggested, and the distance
	// is at least the difference in length: most candidates are skipped
	// without computing it (unknown-reference in a 100,000-person org
	// compares against every name).
	//
	// A second bound needs no alignment either: every edit brings in at
	// most one character that was not there and drops at most one, so the
	// distance is at least the number of characters only one of the two
	// has (counted on 64-bit summaries, which can only undercount).
	//
	// A candidate equal to s but for case wins over any other; it has as
	// many runes as s (strings.EqualFold compares rune by rune).
	//
	// With ties going to the smallest name, a candidate as far as the
	// best so far still competes: tie is 1 then, and 0 when the first
	// candidate at the best distance wins.
	tie := 0
	if x.smallest {
		tie = 1
	}
	limit := min(max(2, len(s)/3), len(s)-1)
	ls := strings.ToLower(s)
	sig := charSet(ls)
	var counts *[128]int16 // of ls's characters, when all are ASCII
	if isASCII(ls) && len(ls) < 1<<14 {
		counts = new([128]int16)
		for i := 0; i < len(ls); i++ {
			counts[ls[i]]++
		}
	}
	best, bestD, fold := "", limit+1, ""
	n := int32(utf8.RuneCountInString(s))
	for i, c := range x.names {
		d := x.runes[i] - n
		if d < 0 {
			d = -d
		}
		if int(d) >= bestD+tie && (d != 0 || !strings.EqualFold(c, s)) {
			continue
		}
		// Only a candidate of as many runes can be equal but for case:
		// the others are not read here (a million names are spread over
		// the heap; their lengths and summaries are side by side).
		if d == 0 && strings.EqualFold(c, s) {
			if !x.smallest {
				return c
			}
			if fold == "" || c < fold {
				fold = c
			}
			continue
		}
		csig := x.sigs[i]
		if max(bits.OnesCount64(sig&^csig), bits.OnesCount64(csig&^sig)) >= bestD+tie {
			continue
		}
		if counts != nil && (countBound(counts, ls, c)+1)/2 >= bestD+tie {
			continue
		}
		d2 := boundedDistance(ls, strings.ToLower(c), bestD+tie)
		if d2 < bestD || (x.smallest && best != "" && d2 == bestD && c < best) {
			best, bestD = c, d2
		}
	}
	if fold != "" {
		return fold
	}
	return best
}

// countBound is how many characters, counted with repeats, only one of
// ls (lower case ASCII, whose counts are given) and strings.ToLower(c)
// has: every edit changes that by two at most (a substitution takes one
// out and brings one in, a transposition nothing), so the distance is at
// least half of it. It is 0 when c is not all ASCII (no bound). Unlike
// the 64-bit summaries it counts repeats, and it reads c once, where
// boundedDistance fills a table of len(ls) by len(c).
func countBound(counts *[128]int16, ls, c string) int {
	if len(c) >= 1<<14 {
		return 0
	}
	w := *counts
	for i := 0; i < len(c); i++ {
		b := c[i]
		if b >= utf8.RuneSelf {
			return 0
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		w[b]--
	}
	diff := 0
	add := func(b byte) {
		if v := w[b]; v != 0 {
			diff += int(max(v, -v))
			w[b] = 0
		}
	}
	for i := 0; i < len(ls); i++ {
		add(ls[i])
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		add(b)
	}
	return diff
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// charSet summarises the characters of s in 64 bits (rune mod 64).
func charSet(s string) uint64 {
	var set uint64
	for _, r := range s {
		set |= 1 << (uint(r) % 64)
	}
	return set
}

// boundedDistance is levenshtein(a, b) when that is below bound, and some
// value at or above bound otherwise; it stops as soon as every alignment
// costs bound or more.
func boundedDistance(a, b string, bound int) int {
	// Names are short: work in arrays on the stack when they fit, since
	// suggest may call this for every name of a large org.
	var abuf, bbuf [64]rune
	var rows [3][65]int
	ra, rb := toRunes(a, abuf[:0]), toRunes(b, bbuf[:0])
	var prev2, prev, cur []int
	if len(rb) < len(rows[0]) {
		prev2, prev, cur = rows[0][:len(rb)+1], rows[1][:len(rb)+1], rows[2][:len(rb)+1]
	} else {
		prev2, prev, cur = make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		// A transposition reaches back two rows, so the cost can only
		// be bounded once two rows in a row are at or above bound.
		if rowMin >= bound && i > 1 && minOf(prev) >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// toRunes appends the runes of s to buf (which grows only when s is long).
func toRunes(s string, buf []rune) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

func minOf(xs []int) int {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}

// levenshtein is the optimal-string-alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours each cost one.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
