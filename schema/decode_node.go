package schema

import (
	"slices"
	"strings"
	"unique"

	"go.yaml.in/yaml/v3"
)

// Decoding straight from the nodes of a document that checkNode passed:
// the tree then mirrors the plain value the converter would build (no
// aliases, merge keys or duplicate keys; every string field a string
// scalar), so these give exactly what decodePerson and decodeTeam give on
// that value, without the value. The audit mode compares the two on every
// document the tests load.

// nodeStr is str for a node: its value, cloned (the nodes' values point
// into the file).
func nodeStr(n *yaml.Node) string { return strings.Clone(n.Value) }

// nodeShared is shared for a node: its value, interned.
func nodeShared(n *yaml.Node) string {
	if n.Value == "" {
		return ""
	}
	return unique.Make(n.Value).Value()
}

// nodeStrs is strs for a sequence node: its string items, interned.
func nodeStrs(n *yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, x := range n.Content {
		if x.Kind == yaml.ScalarNode && scalarString(x) {
			out = append(out, unique.Make(x.Value).Value())
		}
	}
	return out
}

// nodeLabels is labels for the labels mapping node of metadata.
func nodeLabels(n *yaml.Node) map[string]string {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil
	}
	type kv struct{ k, v string }
	var buf [8]kv
	pairs := buf[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		pairs = append(pairs, kv{n.Content[i].Value, n.Content[i+1].Value})
	}
	slices.SortFunc(pairs, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	var b strings.Builder
	for _, p := range pairs {
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
		b.WriteByte(0)
	}
	key := b.String()
	if m, ok := labelSets.Load(key); ok {
		return m.(map[string]string)
	}
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		out[unique.Make(p.k).Value()] = unique.Make(p.v).Value()
	}
	m, _ := labelSets.LoadOrStore(key, out)
	return m.(map[string]string)
}

// field finds key in the mapping node m: its key and value nodes.
func field(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// metaAndSpec returns the metadata value node and the spec key and value
// nodes of a document's root mapping.
func metaAndSpec(root *yaml.Node) (meta, specKey, spec *yaml.Node) {
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "metadata":
			meta = root.Content[i+1]
		case "spec":
			specKey, spec = root.Content[i], root.Content[i+1]
		}
	}
	return meta, specKey, spec
}

// decodePersonNode is decodePerson on the nodes of a passing document;
// name is the document's metadata.name, already cloned.
func decodePersonNode(root *yaml.Node, name string, src Source) *Person {
	meta, specKey, spec := metaAndSpec(root)
	p := &Person{Name: name, Source: src, Status: StatusActive}
	if _, v := field(meta, "name"); v != nil {
		p.NamePos = posOf(v)
	}
	_, labels := field(meta, "labels")
	p.Labels = nodeLabels(labels)
	if specKey != nil {
		p.SpecPos = posOf(specKey)
	}
	if spec == nil || spec.Kind != yaml.MappingNode {
		return p
	}
	c := spec.Content
	for i := 0; i+1 < len(c); i += 2 {
		v := c[i+1]
		switch c[i].Value {
		case "displayName":
			p.DisplayName = nodeStr(v)
		case "github":
			p.GitHub, p.GitHubPos = nodeStr(v), posOf(v)
		case "email":
			p.Email = nodeStr(v)
		case "team":
			p.Team, p.TeamPos = nodeShared(v), posOf(v)
		case "level":
			p.Level, p.LevelPos = nodeShared(v), posOf(v)
		case "expertise":
			p.Expertise = nodeStrs(v)
		case "status":
			p.StatusPos = posOf(v)
			if s := nodeShared(v); s != "" {
				p.Status = s
			}
		case "external":
			p.External, _ = scalar(v).(bool)
		case "manager":
			p.Manager, p.ManagerPos = nodeShared(v), posOf(v)
		case "coach":
			p.Coach, p.CoachPos = nodeShared(v), posOf(v)
		case "coachSince":
			if v.Value != "" {
				p.CoachSince, p.CoachSincePos = nodeStr(v), posOf(v)
			}
		case "mentors":
			p.Mentors = make([]Mentor, 0, len(v.Content))
			for _, m := range v.Content {
				var e Mentor
				if _, x := field(m, "person"); x != nil {
					e.Person, e.Pos = nodeShared(x), posOf(x)
				}
				if _, x := field(m, "domain"); x != nil {
					e.Domain = nodeShared(x)
				}
				if _, x := field(m, "since"); x != nil && x.Value != "" {
					e.Since, e.SincePos = nodeStr(x), posOf(x)
				}
				p.Mentors = append(p.Mentors, e)
			}
		case "pastPairings":
			p.PastPairings = make([]PastPairing, 0, len(v.Content))
			for _, m := range v.Content {
				e := PastPairing{Pos: posOf(m)}
				if _, x := field(m, "role"); x != nil {
					e.Role = nodeShared(x)
				}
				if _, x := field(m, "person"); x != nil {
					e.Person, e.PersonPos = nodeShared(x), posOf(x)
				}
				if _, x := field(m, "domain"); x != nil {
					e.Domain = nodeShared(x)
				}
				if _, x := field(m, "from"); x != nil && x.Value != "" {
					e.From, e.FromPos = nodeStr(x), posOf(x)
				}
				if _, x := field(m, "until"); x != nil {
					e.Until, e.UntilPos = nodeStr(x), posOf(x)
				}
				p.PastPairings = append(p.PastPairings, e)
			}
		case "coaching":
			if _, x := field(v, "willing"); x != nil {
				if b, ok := scalar(x).(bool); ok {
					p.CoachWilling, p.CoachWillingPos = &b, posOf(x)
				}
			}
			if _, x := field(v, "capacity"); x != nil && x.Kind == yaml.ScalarNode {
				if n, ok := intOf(scalar(x)); ok {
					p.CoachCapacity, p.CoachCapacityPos = &n, posOf(x)
				}
			}
		case "mentoringWanted":
			p.MentoringWanted = nodeStrs(v)
			for _, x := range v.Content {
				p.MentoringWantedPos = append(p.MentoringWantedPos, posOf(x))
			}
		}
	}
	return p
}

// decodeTeamNode is decodeTeam on the nodes of a passing document.
func decodeTeamNode(root *yaml.Node, name string, src Source) *Team {
	meta, specKey, spec := metaAndSpec(root)
	t := &Team{Name: name, Source: src}
	if _, v := field(meta, "name"); v != nil {
		t.NamePos = posOf(v)
	}
	_, labels := field(meta, "labels")
	t.Labels = nodeLabels(labels)
	if specKey != nil {
		t.SpecPos = posOf(specKey)
	}
	if _, v := field(spec, "displayName"); v != nil {
		t.DisplayName = nodeStr(v)
	}
	if _, v := field(spec, "parent"); v != nil {
		t.Parent, t.ParentPos = nodeShared(v), posOf(v)
	}
	if _, v := field(spec, "manager"); v != nil {
		t.Manager, t.ManagerPos = nodeShared(v), posOf(v)
	}
	return t
}
