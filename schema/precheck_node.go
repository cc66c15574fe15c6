package schema

import (
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The precheck on node trees: checkNode gives the verdict check would give
// on the value the converter builds from a tree, without building it (the
// maps of a 100,000-person org were a fifth of what loading allocated).
// A tree the converter would not turn into the same plain value node for
// node (aliases, merge keys, duplicate keys, keys that are not scalars,
// nesting past nodeDepth) is never a pass, whatever part of it is at
// fault, even where the schema does not look: a pass then also means that the converter would have
// succeeded and built exactly the tree's shape, which is what lets the
// loader decode a passing document straight from its nodes
// (decodePersonNode, decodeTeamNode). TestCheckNodeAgreesWithCheck and
// the audit mode (see decodeDocument) hold the two to the same verdicts.

// nodeDepth bounds the nesting checkNode follows; deeper trees are unsure
// (the converter refuses them past maxDepth).
const nodeDepth = 32

// scalarString reports whether the converter turns the scalar y into a
// string (its value): every tag but null, bool, int and float.
func scalarString(y *yaml.Node) bool {
	switch y.ShortTag() {
	case "!!null", "!!bool", "!!int", "!!float":
		return false
	}
	return true
}

// checkNode returns check's verdict on the converter's value of y, or
// unsure when the converter's value would not mirror y (see above).
func (n *pnode) checkNode(y *yaml.Node, depth int) verdict {
	if n.ref != "" {
		return n.defs[n.ref].checkNode(y, depth)
	}
	if depth > nodeDepth {
		return unsure
	}
	switch y.Kind {
	case yaml.ScalarNode:
		if scalarString(y) {
			return n.checkString(y.Value)
		}
		return n.check(scalar(y)) // rare: no need to spare the value
	case yaml.MappingNode:
		return n.checkMapping(y, depth)
	case yaml.SequenceNode:
		return n.checkSequence(y, depth)
	}
	return unsure // an alias, or a document node
}

// checkString is check on a string.
func (n *pnode) checkString(s string) verdict {
	if n.ref != "" {
		return n.defs[n.ref].checkString(s)
	}
	if n.types != nil && !hasType(n.types, "string") {
		return fail
	}
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := utf8.RuneCountInString(s)
		if n.minLen >= 0 && l < n.minLen || n.maxLen >= 0 && l > n.maxLen {
			return fail
		}
	}
	if n.pat != nil && !n.matches(s) {
		return fail
	}
	r := pass
	if n.hasEq {
		eq := fail
		for _, e := range n.enum {
			if es, ok := e.(string); ok && es == s {
				eq = pass
				break
			}
		}
		r = and(r, eq)
	}
	return n.combine(r, func(sub *pnode) verdict { return sub.checkString(s) })
}

// combine applies if/then, not and allOf, as check does, with sub checking
// the same value against a subschema.
func (n *pnode) combine(r verdict, sub func(*pnode) verdict) verdict {
	if r == fail {
		return fail
	}
	if n.ifN != nil && n.thenN != nil {
		switch sub(n.ifN) {
		case pass:
			r = and(r, sub(n.thenN))
		case unsure:
			r = and(r, unsure)
		}
	}
	if n.notN != nil {
		switch sub(n.notN) {
		case pass:
			return fail
		case unsure:
			r = and(r, unsure)
		}
	}
	for _, s := range n.allOf {
		if r = and(r, sub(s)); r == fail {
			return fail
		}
	}
	return r
}

func hasType(types []string, t string) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// plainKeys reports whether the converter would read the mapping y key
// for key: scalar keys, no merge key, no key twice.
func plainKeys(y *yaml.Node) bool {
	c := y.Content
	if len(c)%2 != 0 {
		return false
	}
	for i := 0; i < len(c); i += 2 {
		k := c[i]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return false
		}
	}
	if len(c) <= 32 {
		for i := 0; i < len(c); i += 2 {
			for j := i + 2; j < len(c); j += 2 {
				if c[i].Value == c[j].Value {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[string]struct{}, len(c)/2)
	for i := 0; i < len(c); i += 2 {
		if _, dup := seen[c[i].Value]; dup {
			return false
		}
		seen[c[i].Value] = struct{}{}
	}
	return true
}

// plainTree reports whether the converter's value of y mirrors y (see
// above), for subtrees the schema does not look into.
func plainTree(y *yaml.Node, depth int) bool {
	if depth > nodeDepth {
		return false
	}
	switch y.Kind {
	case yaml.ScalarNode:
		return true
	case yaml.MappingNode:
		if !plainKeys(y) {
			return false
		}
		for i := 1; i < len(y.Content); i += 2 {
			if !plainTree(y.Content[i], depth+1) {
				return false
			}
		}
		return true
	case yaml.SequenceNode:
		for _, e := range y.Content {
			if !plainTree(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// checkMapping is check on the map the converter builds from y.
func (n *pnode) checkMapping(y *yaml.Node, depth int) verdict {
	if !plainKeys(y) {
		return unsure
	}
	if n.types != nil && !hasType(n.types, "object") {
		return fail
	}
	c := y.Content
	r := pass
	for _, k := range n.req {
		found := false
		for i := 0; i < len(c); i += 2 {
			if c[i].Value == k {
				found = true
				break
			}
		}
		if !found {
			return fail
		}
	}
	for i := 0; i+1 < len(c); i += 2 {
		k, e := c[i].Value, c[i+1]
		if n.names != nil {
			r = and(r, n.names.checkString(k))
		}
		if p, ok := n.props[k]; ok {
			r = and(r, p.checkNode(e, depth+1))
		} else if n.closed {
			return fail
		} else if n.addl != nil {
			r = and(r, n.addl.checkNode(e, depth+1))
		} else if !plainTree(e, depth+1) {
			r = and(r, unsure)
		}
		if r == fail {
			return fail
		}
	}
	if n.hasEq {
		r = and(r, fail) // a map is never a string, boolean or null
	}
	return n.combine(r, func(sub *pnode) verdict { return sub.checkNode(y, depth) })
}

// checkSequence is check on the list the converter builds from y.
func (n *pnode) checkSequence(y *yaml.Node, depth int) verdict {
	if n.types != nil && !hasType(n.types, "array") {
		return fail
	}
	if len(y.Content) < n.minIt {
		return fail
	}
	r := pass
	for _, e := range y.Content {
		if n.items != nil {
			r = and(r, n.items.checkNode(e, depth+1))
		} else if !plainTree(e, depth+1) {
			r = and(r, unsure)
		}
		if r == fail {
			return fail
		}
	}
	if n.unique && len(y.Content) > 1 {
		r = and(r, uniqueScalars(y.Content))
	}
	if n.hasEq {
		r = and(r, fail) // a list is never a string, boolean or null
	}
	return n.combine(r, func(sub *pnode) verdict { return sub.checkNode(y, depth) })
}

// uniqueScalars is uniqueStrings on the converter's values of items.
func uniqueScalars(items []*yaml.Node) verdict {
	for _, e := range items {
		if e.Kind != yaml.ScalarNode || !scalarString(e) {
			return unsure
		}
	}
	if len(items) > 16 {
		seen := make(map[string]struct{}, len(items))
		for _, e := range items {
			if _, dup := seen[e.Value]; dup {
				return fail
			}
			seen[e.Value] = struct{}{}
		}
		return pass
	}
	for i, a := range items {
		for _, b := range items[i+1:] {
			if a.Value == b.Value {
				return fail
			}
		}
	}
	return pass
}
