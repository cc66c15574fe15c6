package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// toNode builds the node tree whose converted value is v (a value as the
// converter builds them), keys in sorted order.
func toNode(v any) *yaml.Node {
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range x {
				if !yield(k) {
					return
				}
			}
		}) {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, toNode(x[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range x {
			n.Content = append(n.Content, toNode(e))
		}
		return n
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case json.Number:
		tag := "!!float"
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(x)}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// TestCheckNodeAgreesWithCheck: on every example document and its
// one-change mutations, the precheck on nodes gives exactly the verdict
// of the precheck on the converted value, for the document's kind and for
// the full schema.
func TestCheckNodeAgreesWithCheck(t *testing.T) {
	pc := prechecks()
	var docs []any
	for _, v := range exampleValues(t) {
		docs = append(docs, v)
		docs = append(docs, mutations(v)...)
	}
	passes := 0
	for i, v := range docs {
		root := toNode(v)
		c := &converter{budget: maxAliasNodes}
		value, err := c.value(root, 0)
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		kind, _ := stringAt(value, "kind")
		for _, n := range []*pnode{pc[kind], pc[""]} {
			if n == nil {
				continue
			}
			want, got := n.check(value), n.checkNode(root, 0)
			if got != want {
				b, _ := json.Marshal(value)
				t.Fatalf("document %d: checkNode says %v, check %v: %s", i, got, want, b)
			}
			if got == pass {
				passes++
			}
		}
	}
	if passes < len(docs)/20 {
		t.Errorf("only %d passes in %d documents", passes, len(docs))
	}
}

// TestCheckNodeNeverPassesWhatTheConverterChanges: aliases, merge keys,
// duplicate keys and deep nesting make the converter build something else
// than the tree (or refuse it): checkNode must not pass such a document,
// wherever the construct is, even in a field the schema leaves open.
func TestCheckNodeNeverPassesWhatTheConverterChanges(t *testing.T) {
	const team = "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata:\n  name: core\n%sspec:\n  displayName: Core\n%s"
	deep := "x"
	for range nodeDepth + 2 {
		deep = "[" + deep + "]"
	}
	for _, tt := range []struct{ meta, spec string }{
		{"", ""}, // the control: passes
		{"  labels: &l {a: b}\n", "  parent: *l\n"},
		{"  labels: {a: b, a: c}\n", ""},
		{"", "  displayName: Again\n"},
		{"  labels: &l {a: b}\n  <<: {name: core}\n", ""},
		{"  labels: {a: b}\n", "  <<: {parent: x}\n"},
		{"  labels: {? [a] : b}\n", ""},
	} {
		for _, kind := range []string{KindTeam, ""} {
			doc := fmt.Sprintf(team, tt.meta, tt.spec)
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
				t.Fatalf("%v:\n%s", err, doc)
			}
			got := prechecks()[kind].checkNode(n.Content[0], 0)
			if control := tt.meta == "" && tt.spec == ""; control != (got == pass) {
				t.Errorf("schema %q: checkNode says %v on\n%s", kind, got, doc)
			}
		}
	}
	// The full schema leaves spec open: what is in it must still be plain.
	for _, spec := range []string{"{a: &x [1], b: *x}", "{a: 1, a: 2}", deep, "{<<: {a: 1}}"} {
		var n yaml.Node
		doc := "apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: core}\nspec: " + spec + "\n"
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatalf("%v:\n%s", err, doc)
		}
		if got := prechecks()[""].checkNode(n.Content[0], 0); got == pass {
			t.Errorf("full schema: checkNode passes %s", spec)
		}
	}
}

// TestPatternMatchersAgreeWithRegexp compares each hand-written matcher
// with its regular expression on every string of up to four characters
// over an alphabet of the characters the patterns treat differently, on
// every date-shaped string of a year, and on long strings around the
// length limits.
func TestPatternMatchersAgreeWithRegexp(t *testing.T) {
	alphabet := []string{"a", "Z", "0", "-", ".", "_", "/", "@", " ", "\t", "é", "\x00"}
	var inputs []string
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		inputs = append(inputs, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("", 4)
	for m := range 20 {
		for d := range 40 {
			inputs = append(inputs, fmt.Sprintf("2026-%02d-%02d", m, d), fmt.Sprintf("999-%02d-%02d", m, d), fmt.Sprintf("2026-%02d-%02d ", m, d))
		}
	}
	for _, n := range []int{61, 62, 63, 64} {
		inputs = append(inputs, strings.Repeat("a", n), "a/"+strings.Repeat("b", n), "k8s.io/"+strings.Repeat("b", n)+"-c", strings.Repeat("ab-", n))
	}
	for pattern, match := range patternMatchers {
		re := regexp.MustCompile(pattern)
		for _, s := range inputs {
			if got, want := match(s), re.MatchString(s); got != want {
				t.Errorf("pattern %s on %q: matcher %v, regexp %v", pattern, s, got, want)
			}
		}
	}
}

// TestPatternMatchersAreTheSchemas: every hand-written matcher serves a
// pattern of the embedded schema, and the precheck uses it there.
func TestPatternMatchersAreTheSchemas(t *testing.T) {
	seen := map[string]bool{}
	visited := map[*pnode]bool{}
	var walk func(n *pnode)
	walk = func(n *pnode) {
		if n == nil || visited[n] {
			return
		}
		visited[n] = true
		if n.pat != nil && n.match != nil {
			seen[n.pat.String()] = true
		}
		for _, s := range n.props {
			walk(s)
		}
		for _, s := range n.defs {
			walk(s)
		}
		for _, s := range append([]*pnode{n.addl, n.names, n.items, n.ifN, n.thenN, n.notN}, n.allOf...) {
			walk(s)
		}
	}
	walk(prechecks()[""])
	for pattern := range patternMatchers {
		if !seen[pattern] {
			t.Errorf("the precheck does not use the matcher of %s", pattern)
		}
	}
}

// FuzzPatternMatchers: each hand-written matcher agrees with its regular
// expression on any string.
func FuzzPatternMatchers(f *testing.F) {
	for _, s := range []string{"alice", "a-b", "-a", "octo--cat", "a@b", "a@b@c", "2026-02-30", "k8s.io/name", "é", "a\nb"} {
		f.Add(s)
	}
	res := map[string]*regexp.Regexp{}
	for pattern := range patternMatchers {
		res[pattern] = regexp.MustCompile(pattern)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for pattern, match := range patternMatchers {
			if got, want := match(s), res[pattern].MatchString(s); got != want {
				t.Fatalf("pattern %s on %q: matcher %v, regexp %v", pattern, s, got, want)
			}
		}
	})
}
