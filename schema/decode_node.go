package schema

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Decoding straight from the nodes of a document that checkNode passed:
// the tree then mirrors the plain value the converter would build (no
// aliases, merge keys or duplicate keys; every string field a string
// scalar), so these give exactly what decodePerson and decodeTeam give on
// that value, without the value. The audit mode compares the two on every
// document the tests load.

// labels is labels() for the labels mapping node of metadata: one map
// per distinct set of labels, shared.
func (in *interner) labels(n *yaml.Node) map[string]string {
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
	in.key = in.key[:0]
	for _, p := range pairs {
		in.key = append(in.key, p.k...)
		in.key = append(in.key, '=')
		in.key = append(in.key, p.v...)
		in.key = append(in.key, 0)
	}
	if m, ok := in.labelSets[string(in.key)]; ok {
		return m
	}
	key := string(in.key)
	var out map[string]string
	if m, ok := labelSets.Load(key); ok {
		out = m.(map[string]string)
	} else {
		out = make(map[string]string, len(pairs))
		for _, p := range pairs {
			out[in.shared(p.k)] = in.shared(p.v)
		}
		m, _ := labelSets.LoadOrStore(key, out)
		out = m.(map[string]string)
	}
	if len(in.labelSets) < internMax {
		in.labelSets[key] = out
	}
	return out
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
func decodePersonNode(in *interner, root *yaml.Node, name string, src *Source) *Person {
	meta, specKey, spec := metaAndSpec(root)
	p := &Person{Name: name, Source: src, Status: StatusActive}
	if _, v := field(meta, "name"); v != nil {
		p.NamePos = posOf(v)
	}
	_, labels := field(meta, "labels")
	p.Labels = in.labels(labels)
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
			p.DisplayName = in.keep(v.Value)
		case "github":
			p.GitHub, p.GitHubPos = in.keep(v.Value), posOf(v)
		case "email":
			p.Email = in.keep(v.Value)
		case "team":
			p.Team, p.TeamPos = in.shared(v.Value), posOf(v)
		case "level":
			p.Level, p.LevelPos = in.shared(v.Value), posOf(v)
		case "expertise":
			p.Expertise = in.list(v)
		case "status":
			p.StatusPos = posOf(v)
			if s := in.shared(v.Value); s != "" {
				p.Status = s
			}
		case "external":
			p.External, _ = scalar(v).(bool)
		case "manager":
			p.Manager, p.ManagerPos = in.shared(v.Value), posOf(v)
		case "coach":
			p.Coach, p.CoachPos = in.person(v.Value), posOf(v)
		case "coachSince":
			if v.Value != "" {
				p.life().CoachSince, p.life().CoachSincePos = in.keep(v.Value), posOf(v)
			}
		case "mentors":
			p.Mentors = make([]Mentor, 0, len(v.Content))
			for _, m := range v.Content {
				var e Mentor
				if _, x := field(m, "person"); x != nil {
					e.Person, e.Pos = in.person(x.Value), posOf(x)
				}
				if _, x := field(m, "domain"); x != nil {
					e.Domain = in.shared(x.Value)
				}
				if _, x := field(m, "since"); x != nil && x.Value != "" {
					e.Since, e.SincePos = in.keep(x.Value), posOf(x)
				}
				p.Mentors = append(p.Mentors, e)
			}
		case "pastPairings":
			p.life().PastPairings = make([]PastPairing, 0, len(v.Content))
			for _, m := range v.Content {
				e := PastPairing{Pos: posOf(m)}
				if _, x := field(m, "role"); x != nil {
					e.Role = in.shared(x.Value)
				}
				if _, x := field(m, "person"); x != nil {
					e.Person, e.PersonPos = in.person(x.Value), posOf(x)
				}
				if _, x := field(m, "domain"); x != nil {
					e.Domain = in.shared(x.Value)
				}
				if _, x := field(m, "from"); x != nil && x.Value != "" {
					e.From, e.FromPos = in.keep(x.Value), posOf(x)
				}
				if _, x := field(m, "until"); x != nil {
					e.Until, e.UntilPos = in.keep(x.Value), posOf(x)
				}
				p.life().PastPairings = append(p.life().PastPairings, e)
			}
		case "coaching":
			if _, x := field(v, "willing"); x != nil {
				if b, ok := scalar(x).(bool); ok {
					p.life().CoachWilling, p.life().CoachWillingPos = &b, posOf(x)
				}
			}
			if _, x := field(v, "capacity"); x != nil && x.Kind == yaml.ScalarNode {
				if n, ok := intOf(scalar(x)); ok {
					p.life().CoachCapacity, p.life().CoachCapacityPos = &n, posOf(x)
				}
			}
		case "mentoringWanted":
			p.life().MentoringWanted = in.list(v)
			for _, x := range v.Content {
				p.life().MentoringWantedPos = append(p.life().MentoringWantedPos, posOf(x))
			}
		}
	}
	return p
}

// decodeTeamNode is decodeTeam on the nodes of a passing document.
func decodeTeamNode(in *interner, root *yaml.Node, name string, src Source) *Team {
	meta, specKey, spec := metaAndSpec(root)
	t := &Team{Name: name, Source: src}
	if _, v := field(meta, "name"); v != nil {
		t.NamePos = posOf(v)
	}
	_, labels := field(meta, "labels")
	t.Labels = in.labels(labels)
	if specKey != nil {
		t.SpecPos = posOf(specKey)
	}
	if _, v := field(spec, "displayName"); v != nil {
		t.DisplayName = in.keep(v.Value)
	}
	if _, v := field(spec, "parent"); v != nil {
		t.Parent, t.ParentPos = in.shared(v.Value), posOf(v)
	}
	if _, v := field(spec, "manager"); v != nil {
		t.Manager, t.ManagerPos = in.shared(v.Value), posOf(v)
	}
	return t
}
