package schema

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"unique"

	"go.yaml.in/yaml/v3"
)

// The decoders below run only on documents that passed the schema, so the
// shapes are known; they read plain values and take positions from the
// document's nodes.

// str reads a string that is kept: it is cloned, because the fast parser's
// values are substrings of a whole file, which must not stay alive for the
// sake of one name.
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return strings.Clone(s)
}

// shared interns a string that many documents repeat (team names, levels,
// coaches, domains): a 100,000-person org then holds each once, which is
// most of the memory strings would take.
func shared(m map[string]any, k string) string {
	s, _ := m[k].(string)
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

func obj(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

func strs(m map[string]any, k string) []string {
	l, _ := m[k].([]any)
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, unique.Make(s).Value())
		}
	}
	return out
}

// labelSets shares one map among the documents that carry the same labels
// (most people share an office or a location), which would otherwise cost
// a few hundred bytes per person. Shared maps must never be modified.
var labelSets sync.Map // canonical "k=v\x00k=v" -> map[string]string

func labels(meta map[string]any) map[string]string {
	l := obj(meta, "labels")
	if len(l) == 0 {
		return nil
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v, _ := l[k].(string)
		b.WriteString(k + "=" + v + "\x00")
	}
	key := b.String()
	if m, ok := labelSets.Load(key); ok {
		return m.(map[string]string)
	}
	out := make(map[string]string, len(l))
	for k, v := range l {
		s, _ := v.(string)
		out[unique.Make(k).Value()] = unique.Make(s).Value()
	}
	m, _ := labelSets.LoadOrStore(key, out)
	return m.(map[string]string)
}

// at returns the position of the value at path, or zero when absent.
func at(root *yaml.Node, path ...string) Pos {
	v, _, ok := lookup(root, path)
	if !ok {
		return Pos{}
	}
	return posOf(v)
}

// keyAt returns the position of the key of path (for "this field" errors),
// falling back to the value.
func keyAt(root *yaml.Node, path ...string) Pos {
	_, k, ok := lookup(root, path)
	if ok && k != nil {
		return posOf(k)
	}
	return Pos{}
}

func decodePerson(root *yaml.Node, v map[string]any, src *Source) *Person {
	meta, spec := obj(v, "metadata"), obj(v, "spec")
	p := &Person{
		Name:        str(meta, "name"),
		Labels:      labels(meta),
		DisplayName: str(spec, "displayName"),
		GitHub:      str(spec, "github"),
		Email:       str(spec, "email"),
		Team:        shared(spec, "team"),
		Level:       shared(spec, "level"),
		Expertise:   strs(spec, "expertise"),
		Status:      shared(spec, "status"),
		Manager:     shared(spec, "manager"),
		Coach:       shared(spec, "coach"),
		Source:      src,
		NamePos:     at(root, "metadata", "name"),
		SpecPos:     keyAt(root, "spec"),
		GitHubPos:   at(root, "spec", "github"),
		TeamPos:     at(root, "spec", "team"),
		LevelPos:    at(root, "spec", "level"),
		StatusPos:   at(root, "spec", "status"),
		ManagerPos:  at(root, "spec", "manager"),
		CoachPos:    at(root, "spec", "coach"),
	}
	p.External, _ = spec["external"].(bool)
	if p.Status == "" {
		p.Status = StatusActive
	}
	if s := str(spec, "coachSince"); s != "" {
		p.life().CoachSince = s
		p.life().CoachSincePos = at(root, "spec", "coachSince")
	}
	if ms, ok := spec["mentors"].([]any); ok {
		p.Mentors = make([]Mentor, 0, len(ms))
		for i, x := range ms {
			m, _ := x.(map[string]any)
			e := Mentor{
				Person: shared(m, "person"),
				Domain: shared(m, "domain"),
				Since:  str(m, "since"),
				Pos:    at(root, "spec", "mentors", itoa(i), "person"),
			}
			if e.Since != "" {
				e.SincePos = at(root, "spec", "mentors", itoa(i), "since")
			}
			p.Mentors = append(p.Mentors, e)
		}
	}
	if ps, ok := spec["pastPairings"].([]any); ok {
		p.life().PastPairings = make([]PastPairing, 0, len(ps))
		for i, x := range ps {
			m, _ := x.(map[string]any)
			field := func(k string) Pos { return at(root, "spec", "pastPairings", itoa(i), k) }
			e := PastPairing{
				Role:      shared(m, "role"),
				Person:    shared(m, "person"),
				Domain:    shared(m, "domain"),
				From:      str(m, "from"),
				Until:     str(m, "until"),
				Pos:       at(root, "spec", "pastPairings", itoa(i)),
				PersonPos: field("person"),
				UntilPos:  field("until"),
			}
			if e.From != "" {
				e.FromPos = field("from")
			}
			p.life().PastPairings = append(p.life().PastPairings, e)
		}
	}
	if c := obj(spec, "coaching"); c != nil {
		if b, ok := c["willing"].(bool); ok {
			p.life().CoachWilling = &b
			p.life().CoachWillingPos = at(root, "spec", "coaching", "willing")
		}
		if n, ok := intOf(c["capacity"]); ok {
			p.life().CoachCapacity = &n
			p.life().CoachCapacityPos = at(root, "spec", "coaching", "capacity")
		}
	}
	if w := strs(spec, "mentoringWanted"); w != nil {
		p.life().MentoringWanted = w
		for i := range w {
			p.life().MentoringWantedPos = append(p.life().MentoringWantedPos, at(root, "spec", "mentoringWanted", itoa(i)))
		}
	}
	return p
}

// intOf reads an integer the schema has checked; a float such as 2.0 that
// the schema accepts as an integer counts too.
func intOf(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if i, err := n.Int64(); err == nil {
		return int(i), true
	}
	if f, err := n.Float64(); err == nil && f == float64(int(f)) {
		return int(f), true
	}
	return 0, false
}

func decodeTeam(root *yaml.Node, v map[string]any, src Source) *Team {
	meta, spec := obj(v, "metadata"), obj(v, "spec")
	return &Team{
		Name:        str(meta, "name"),
		Labels:      labels(meta),
		DisplayName: str(spec, "displayName"),
		Parent:      shared(spec, "parent"),
		Manager:     shared(spec, "manager"),
		Source:      src,
		NamePos:     at(root, "metadata", "name"),
		SpecPos:     keyAt(root, "spec"),
		ParentPos:   at(root, "spec", "parent"),
		ManagerPos:  at(root, "spec", "manager"),
	}
}

func decodePolicy(root *yaml.Node, v map[string]any, src Source) *Policy {
	meta, spec := obj(v, "metadata"), obj(v, "spec")
	p := &Policy{
		Name:    str(meta, "name"),
		Levels:  strs(spec, "levels"),
		Roots:   strs(spec, "roots"),
		Source:  src,
		NamePos: at(root, "metadata", "name"),
		SpecPos: keyAt(root, "spec"),
	}
	for i := range p.Roots {
		p.RootPos = append(p.RootPos, at(root, "spec", "roots", itoa(i)))
	}
	p.Titles = decodeTitles(root, obj(spec, "titles"))
	if gh := obj(spec, "github"); gh != nil {
		p.GitHub.Repo = str(gh, "repo")
		p.GitHub.Labels = strs(gh, "labels")
		if _, ok := gh["issues"]; ok {
			p.GitHub.IssuesSet = true
			p.GitHub.Issues = strs(gh, "issues")
		}
	}
	if c := obj(spec, "coaching"); c != nil {
		p.Coaching.CoachFromAbove = str(c, "coachFromAbove")
		p.Coaching.CoachFromAbovePos = at(root, "spec", "coaching", "coachFromAbove")
		if n, ok := intOf(c["rotateAfterMonths"]); ok {
			p.Coaching.RotateAfterMonths = &n
			p.Coaching.RotateAfterMonthsPos = at(root, "spec", "coaching", "rotateAfterMonths")
		}
		if n, ok := intOf(c["noRepeatMonths"]); ok {
			p.Coaching.NoRepeatMonths = &n
			p.Coaching.NoRepeatMonthsPos = at(root, "spec", "coaching", "noRepeatMonths")
		}
	}
	if dn, ok := spec["doNotPair"].([]any); ok {
		for i, x := range dn {
			m, _ := x.(map[string]any)
			e := DoNotPair{
				People: strs(m, "people"),
				Reason: str(m, "reason"),
				Pos:    at(root, "spec", "doNotPair", itoa(i), "people"),
			}
			for j := range e.People {
				e.PeoplePos = append(e.PeoplePos, at(root, "spec", "doNotPair", itoa(i), "people", itoa(j)))
			}
			p.DoNotPair = append(p.DoNotPair, e)
		}
	}
	if rules := obj(spec, "rules"); len(rules) > 0 {
		p.Rules = make(map[string]RuleConfig, len(rules))
		for id, x := range rules {
			m, _ := x.(map[string]any)
			rc := RuleConfig{
				Severity:       str(m, "severity"),
				AllowFromLevel: str(m, "allowFromLevel"),
				Pos:            keyAt(root, "spec", "rules", id),
			}
			if n, ok := m["max"].(json.Number); ok {
				if i, err := n.Int64(); err == nil {
					v := int(i)
					rc.Max = &v
				}
			}
			p.Rules[strings.Clone(id)] = rc
		}
	}
	if ex, ok := spec["exemptions"].([]any); ok {
		for i, x := range ex {
			m, _ := x.(map[string]any)
			p.Exemptions = append(p.Exemptions, Exemption{
				Rule:    str(m, "rule"),
				Person:  str(m, "person"),
				Reason:  str(m, "reason"),
				Expires: str(m, "expires"),
				Pos:     at(root, "spec", "exemptions", itoa(i)),
			})
		}
	}
	return p
}

// decodeTitles reads Policy.spec.titles in the order its keys are
// written (the decoded map has none): the first level whose pattern
// matches a title wins.
func decodeTitles(root *yaml.Node, titles map[string]any) []TitleLevel {
	if len(titles) == 0 {
		return nil
	}
	var order []string
	if n, _, ok := lookup(root, []string{"spec", "titles"}); ok && n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			order = append(order, n.Content[i].Value)
		}
	}
	var out []TitleLevel
	seen := map[string]bool{}
	for _, level := range order {
		if _, ok := titles[level]; !ok || seen[level] {
			continue
		}
		seen[level] = true
		out = append(out, TitleLevel{Level: strings.Clone(level), Patterns: strs(titles, level), Pos: keyAt(root, "spec", "titles", level)})
	}
	// Keys the node walk did not see (from a merge key): after the others.
	for _, level := range slices.Sorted(maps.Keys(titles)) {
		if !seen[level] {
			out = append(out, TitleLevel{Level: strings.Clone(level), Patterns: strs(titles, level)})
		}
	}
	return out
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
