package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/orgctl/orgctl/schema/yamledit"
)

// maxAliasNodes bounds how many nodes alias expansion may produce in one
// document, so that a "billion laughs" document fails fast instead of
// exhausting memory. Real org documents have a few dozen nodes.
const maxAliasNodes = 10000

// maxDepth bounds nesting, for the same reason.
const maxDepth = 64

// dupKey is a key that appears twice in one mapping.
type dupKey struct {
	key         string
	first, then Pos
}

// converter turns a yaml.v3 node tree into the plain values the JSON Schema
// validator expects (map[string]any, []any, string, bool, nil and
// json.Number for numbers, because gojsonschema skips numeric checks on
// float64), shifting every node's line by the document's offset in its file.
type converter struct {
	offset  int
	budget  int // nodes that alias expansion may still visit
	aliased int // >0 while expanding an alias
	// expanding is where the outermost alias or merge being expanded is
	// written: where an alias bomb is reported.
	expanding Pos
	dups      []dupKey
	tooDeep   bool
	// expanded remembers what expanding an anchored node at a depth
	// gave and cost, so that expanding it there again (every level of a
	// merge-key bomb expands the one below twice) charges the budget the
	// same without doing the work again: the budget runs out at the same
	// alias or merge, after work linear in the document instead of in the
	// budget.
	expanded map[expansion]expandedValue
}

// rememberExpansions is false only in tests that compare the converter
// with and without its memo.
var rememberExpansions = true

// expansion is an anchored node expanded at a depth, the way the value of
// an alias (merge false) or a mapping merged by a merge key (merge true) is.
type expansion struct {
	node  *yaml.Node
	depth int
	merge bool
}

// expandedValue is what an expansion gave, and the budget it spent.
type expandedValue struct {
	value any
	cost  int
}

// remember returns the value of an expansion, from the memo when it was
// done before (charging its cost again), else by calling expand. Only an
// expansion that succeeded is remembered: a failure ends the document.
// Values are shared between the places that expand the same node: nothing
// modifies a converted value.
func (c *converter) remember(key expansion, expand func() (any, error)) (any, error) {
	if !rememberExpansions {
		return expand()
	}
	if e, ok := c.expanded[key]; ok {
		c.budget -= e.cost
		if c.budget < 0 {
			return nil, errAliasBomb
		}
		return e.value, nil
	}
	before := c.budget
	v, err := expand()
	if err != nil {
		return nil, err
	}
	if c.expanded == nil {
		c.expanded = map[expansion]expandedValue{}
	}
	c.expanded[key] = expandedValue{v, before - c.budget}
	return v, nil
}

// errAliasBomb reports alias expansion beyond maxAliasNodes.
var errAliasBomb = fmt.Errorf("aliases and merge keys (<<) expand to more than %d nodes (an alias bomb?): write the values out instead of using anchors", maxAliasNodes)

// shiftTree moves every node of a tree by the converter's offset; aliases
// are not followed (their targets are part of the tree already).
func (c *converter) shiftTree(n *yaml.Node) {
	if c.offset == 0 || n == nil {
		return
	}
	n.Line += c.offset
	for _, ch := range n.Content {
		c.shiftTree(ch)
	}
}

// spend charges n nodes to the expansion budget while an alias or a merge
// is being expanded.
func (c *converter) spend(n int) error {
	if c.aliased == 0 {
		return nil
	}
	c.budget -= n
	if c.budget < 0 {
		return errAliasBomb
	}
	return nil
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	if err := c.spend(1); err != nil {
		return nil, err
	}
	if depth > maxDepth {
		c.tooDeep = true
		return nil, fmt.Errorf("nesting deeper than %d levels: orgctl documents are shallow, check the indentation", maxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		if c.aliased == 0 {
			c.expanding = posOf(n)
		}
		c.aliased++
		defer func() { c.aliased-- }()
		return c.remember(expansion{n.Alias, depth + 1, false}, func() (any, error) { return c.value(n.Alias, depth+1) })
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, ch := range n.Content {
			v, err := c.value(ch, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, nil
}

func (c *converter) mapping(n *yaml.Node, depth int) (map[string]any, error) {
	if err := c.spend(1); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(n.Content)/2)
	// Merge keys (<<) first: explicit keys override merged ones.
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			if err := c.merge(out, n.Content[i+1], depth); err != nil {
				return nil, err
			}
		}
	}
	seen := make(map[string]Pos, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			continue
		}
		key := k.Value
		if k.Kind != yaml.ScalarNode {
			key = fmt.Sprintf("<%s key>", yamledit.KindName(k))
		}
		p := posAt(k.Line, k.Column)
		if first, dup := seen[key]; dup {
			// A mapping reached through an alias was already read
			// where it is written: report its duplicates once.
			if c.aliased == 0 {
				c.dups = append(c.dups, dupKey{key: key, first: first, then: p})
			}
			continue
		}
		seen[key] = p
		val, err := c.value(v, depth+1)
		if err != nil {
			return nil, err
		}
		out[key] = val
	}
	return out, nil
}

func (c *converter) merge(out map[string]any, v *yaml.Node, depth int) error {
	if depth > maxDepth {
		c.tooDeep = true
		return fmt.Errorf("nesting deeper than %d levels: orgctl documents are shallow, check the indentation", maxDepth)
	}
	if c.aliased == 0 {
		c.expanding = posOf(v)
	}
	alias := v.Kind == yaml.AliasNode && v.Alias != nil
	if alias {
		c.aliased++
		defer func() { c.aliased-- }()
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		var m map[string]any
		var err error
		if alias {
			var x any
			x, err = c.remember(expansion{v, depth + 1, true}, func() (any, error) { return c.mapping(v, depth+1) })
			m, _ = x.(map[string]any)
		} else {
			m, err = c.mapping(v, depth+1)
		}
		if err != nil {
			return err
		}
		// Every merged key is a node the merge writes out again, inline
		// or not: it costs the same budget as a node reached through an
		// alias, so that merges of merges cannot grow without bound.
		c.budget -= len(m)
		if c.budget < 0 {
			return errAliasBomb
		}
		for k, x := range m {
			out[k] = x
		}
	case yaml.SequenceNode:
		// Earlier maps in the list win.
		for i := len(v.Content) - 1; i >= 0; i-- {
			if err := c.merge(out, v.Content[i], depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// scalar converts a scalar by its resolved tag. Timestamps stay strings
// (expires: 2027-03-31 is a date string to orgctl), numbers become
// json.Number.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on", "y":
			return true
		}
		return false
	case "!!int":
		s := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "-0o") {
			if i, err := strconv.ParseInt(strings.Replace(s, "0o", "0", 1), 0, 64); err == nil {
				return json.Number(strconv.FormatInt(i, 10))
			}
		}
		return n.Value
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return n.Value
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return n.Value
}

// lookup finds the node at path (mapping keys and sequence indexes) under
// n, following aliases. It returns the deepest node it reached and, when the
// last step was a mapping key, that key node, so that errors about a key
// point at the key; ok is false when the path does not exist.
func lookup(n *yaml.Node, path []string) (val, key *yaml.Node, ok bool) {
	cur := n
	for _, seg := range path {
		if cur.Kind == yaml.DocumentNode && len(cur.Content) > 0 {
			cur = cur.Content[0]
		}
		if cur.Kind == yaml.AliasNode && cur.Alias != nil {
			cur = cur.Alias
		}
		switch cur.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if cur.Content[i].Value == seg {
					key, cur = cur.Content[i], cur.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return cur, key, false
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(cur.Content) {
				return cur, key, false
			}
			key, cur = nil, cur.Content[i]
		default:
			return cur, key, false
		}
	}
	if cur.Kind == yaml.AliasNode && cur.Alias != nil {
		cur = cur.Alias
	}
	return cur, key, true
}

func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return posAt(n.Line, n.Column)
}
