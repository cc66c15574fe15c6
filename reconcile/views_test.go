package reconcile

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/schema"
)

// refView is the view of person p that the reference model of
// reference_test.go gives: chain, reports, coachees, mentees, coach and
// mentors as SPEC §2 defines them, by scanning everyone.
func (m *refModel) refView(p *refPerson) PersonView {
	ref := func(name string) string {
		if name == "" || m.person[name] != nil {
			return name
		}
		return name + " (unknown)"
	}
	v := PersonView{Name: p.name, Chain: m.chain(p), Coach: p.coach, Root: slices.Contains(m.g.roots, p.name)}
	last := p
	if len(v.Chain) > 0 {
		last = m.person[v.Chain[len(v.Chain)-1]]
	}
	_, v.ChainLoops, _ = m.mgr(last)
	if p.coach != p.name {
		v.Coach = ref(p.coach)
	}
	if name, ok, unknown := m.mgr(p); ok {
		v.Manager = name
	} else if unknown {
		v.Manager = "?"
	}
	for i, mm := range p.mentors {
		v.Mentors = append(v.Mentors, MentorView{Person: ref(mm), Domain: p.domains[i]})
	}
	for name, q := range m.person {
		if name == p.name {
			continue
		}
		if mgr, ok, _ := m.mgr(q); ok && mgr == p.name {
			v.Reports = append(v.Reports, name)
		}
		if q.coach == p.name {
			v.Coachees = append(v.Coachees, name)
		}
		if slices.Contains(q.mentors, p.name) {
			v.Mentees = append(v.Mentees, name)
		}
	}
	for _, l := range [][]string{v.Reports, v.Coachees, v.Mentees} {
		slices.Sort(l)
	}
	return v
}

// Every person's view, filled into one reused PersonView in a random
// order, says what the reference model says, and equals the view built
// afresh: nothing of the person viewed before is left over (a long chain
// before a short one, mentors before none). The orgs are the property
// test's random ones, full of loops, self-references and dangling names.
func TestPersonViewsAgreeWithReference(t *testing.T) {
	rounds := 1000
	if testing.Short() {
		rounds = 100
	}
	rng := rand.New(rand.NewPCG(18, 7))
	loops, chains, mentors := 0, 0, 0
	for round := range rounds {
		g := randomRefOrg(rng)
		docs := g.docs()
		m := newRefModel(g)
		o, _ := orgOf(t, docs...)
		ov := NewOrgView(o, nil)
		if round%2 == 0 {
			ov.Prepare()
		}
		names := ov.Select(schema.KindPerson, nil, nil)
		var want []string
		for name := range m.person {
			want = append(want, name)
		}
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Fatalf("round %d: people %v, the reference has %v", round, names, want)
		}
		ids := ov.PersonIndexes(names)
		var v PersonView
		for _, k := range rng.Perm(len(names)) {
			name := names[k]
			ov.PersonAt(&v, ids[k])
			w := m.refView(m.person[name])
			got := PersonView{Name: v.Name, Chain: v.Chain, ChainLoops: v.ChainLoops, Root: v.Root, Coach: v.Coach, Manager: v.Manager,
				Mentors: v.Mentors, Reports: v.Reports, Coachees: v.Coachees, Mentees: v.Mentees}
			if strings.HasSuffix(got.Manager, " (unknown)") || got.Manager == "" && w.Manager == "?" {
				got.Manager = "?" // the model knows the manager is unknown, not the name written
			}
			for _, l := range []*[]string{&got.Chain, &got.Reports, &got.Coachees, &got.Mentees} {
				if len(*l) == 0 {
					*l = nil
				}
			}
			if len(got.Mentors) == 0 {
				got.Mentors = nil
			}
			if !reflect.DeepEqual(got, w) {
				t.Fatalf("round %d: the view of %s is\n%+v\nthe reference says\n%+v\norg:\n%s", round, name, got, w, strings.Join(docs, "---\n"))
			}
			if v.Chain == nil || v.Mentors == nil || v.Coachees == nil || v.Mentees == nil || v.Reports == nil ||
				v.Labels == nil || v.Expertise == nil || v.Findings == nil {
				t.Fatalf("round %d: the view of %s has a nil list or map (JSON null): %+v", round, name, v)
			}
			if fresh := ov.Person(name); !reflect.DeepEqual(v, fresh) {
				t.Fatalf("round %d: the reused view of %s is\n%+v\nbuilt afresh it is\n%+v", round, name, v, fresh)
			}
			loops += boolInt(v.ChainLoops)
			chains += boolInt(len(v.Chain) > 1)
			mentors += boolInt(len(v.Mentors) > 0)
		}
	}
	if loops == 0 || chains == 0 || mentors == 0 {
		t.Errorf("the random orgs gave %d looping chains, %d chains of two or more, %d people with mentors: all must occur", loops, chains, mentors)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// PersonIndexes answers for the people in name order without a lookup,
// and for any other list of names by looking each up (-1 for none).
func TestPersonIndexes(t *testing.T) {
	var docs []string
	for _, n := range []string{"carol", "alice", "bob"} {
		docs = append(docs, person(n, "external: true"))
	}
	o, _ := orgOf(t, docs...)
	if len(o.People) != 3 {
		t.Fatalf("the org has %d people, want 3", len(o.People))
	}
	ov := NewOrgView(o, nil)
	for _, c := range []struct {
		names []string
		want  []int32
	}{
		{ov.Select(schema.KindPerson, nil, nil), []int32{1, 2, 0}},
		{[]string{"alice", "bob", "carol"}, []int32{1, 2, 0}},
		{[]string{"bob", "nobody", "carol"}, []int32{2, -1, 0}},
		{nil, []int32{}},
	} {
		got := ov.PersonIndexes(c.names)
		if !slices.Equal(got, c.want) {
			t.Errorf("PersonIndexes(%v) = %v, want %v", c.names, got, c.want)
		}
		for k, i := range got {
			if i >= 0 && o.People[i].Name != c.names[k] {
				t.Errorf("PersonIndexes(%v)[%d] = %d, which is %s", c.names, k, i, o.People[i].Name)
			}
		}
	}
}

// People are listed in name order however long the prefixes they share
// (the sort compares the first 24 bytes as numbers first), roots
// included.
func TestSelectSortsNamesSharingPrefixes(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 8))
	seen := map[string]bool{}
	var docs, want []string
	for len(want) < 400 {
		var b strings.Builder
		b.WriteByte('a') // never a number to YAML
		// Prefixes shared beyond each eight bytes the sort compares as a
		// number, and up to the whole 24.
		b.WriteString([]string{"", "", "ab-9ab-9", "ab-9ab-9ab-9ab-9", "ab-9ab-9ab-9ab-9ab-9ab-", "ab-9ab-9ab-9ab-9ab-9ab-9ab"}[rng.IntN(6)])
		for range rng.IntN(14) {
			b.WriteByte("ab-9"[rng.IntN(4)])
		}
		name := strings.Trim(b.String(), "-")
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		want = append(want, name)
		docs = append(docs, person(name, "external: true"))
	}
	docs = append(docs, policy("  roots: ["+want[7]+", "+want[3]+"]"))
	o, _ := orgOf(t, docs...)
	ov := NewOrgView(o, nil)
	got := ov.Select(schema.KindPerson, nil, nil)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Select lists\n%v\nsorted, the names are\n%v", got, want)
	}
	roots := 0
	for _, name := range got {
		if ov.Person(name).Root {
			roots++
		}
	}
	if roots != 2 {
		t.Errorf("%d people are roots, the Policy names 2", roots)
	}
}

// Shared chains stay linear in the size of the org however it is shaped:
// under a spine just short of the longest shared chain hang many
// managers, each with one report, so that every manager's chain would be
// a copy of the spine. The pool keeps within its budget, and every view's
// chain is still the walked one.
func TestSharedChainsStayLinear(t *testing.T) {
	const spine, managers = maxSharedChain - 2, 300
	docs := []string{person("s0", "external: true")}
	for i := 1; i < spine; i++ {
		docs = append(docs, person(fmt.Sprintf("s%d", i), fmt.Sprintf("external: true, manager: s%d", i-1)))
	}
	for i := range managers {
		docs = append(docs, person(fmt.Sprintf("m%d", i), fmt.Sprintf("external: true, manager: s%d", spine-1)),
			person(fmt.Sprintf("r%d", i), fmt.Sprintf("external: true, manager: m%d", i)))
	}
	o, _ := orgOf(t, docs...)
	ov := NewOrgView(o, nil)
	ov.Prepare()
	if n, most := len(ov.chains.pool), 4*len(o.People)+maxSharedChain; n > most {
		t.Errorf("the pool holds %d names for %d people, more than %d", n, len(o.People), most)
	}
	shared := 0
	for i := range o.People {
		var v PersonView
		ov.PersonAt(&v, int32(i))
		if want := o.Chain(v.Name); !slices.Equal(v.Chain, want) {
			t.Fatalf("%s: chain %v, want %v", v.Name, v.Chain, want)
		}
		if _, ok := v.ChainID(); ok {
			shared++
		}
	}
	if shared == 0 || shared == len(o.People) {
		t.Errorf("%d of %d views share a chain: want some (until the budget runs out) and not all", shared, len(o.People))
	}
}

// ViewChunk's views, read from the people's records, are PersonAt's, on
// the property test's random orgs, prepared or not, for chunks in any
// order and of any length up to a few batches, each viewed into the
// views the chunk before filled (nothing of them left over).
func TestViewChunkAgreesWithPersonAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 13))
	views := make([]PersonView, 3*viewBatch)
	viewed := 0
	for round := range 300 {
		o, _ := orgOf(t, randomRefOrg(rng).docs()...)
		ov := NewOrgView(o, nil)
		if round%2 == 0 {
			ov.SetChainFormat(testChainFormat)
			ov.Prepare()
		}
		var ids []int32
		for range 1 + rng.IntN(len(views)) {
			ids = append(ids, int32(rng.IntN(len(o.People))))
		}
		for len(ids) > 0 {
			chunk := ids[:1+rng.IntN(len(ids))]
			ids = ids[len(chunk):]
			ov.ViewChunk(views, chunk)
			for k, i := range chunk {
				var want PersonView
				ov.PersonAt(&want, i)
				if !reflect.DeepEqual(views[k], want) {
					t.Fatalf("round %d: ViewChunk's view of %s is\n%+v\nPersonAt's is\n%+v", round, o.People[i].Name, views[k], want)
				}
				viewed++
			}
		}
	}
	if viewed < 1000 {
		t.Errorf("only %d views compared", viewed)
	}
}

// testChainFormat shows a chain so that every name and separator can be
// told apart: <name>, " | " between two.
var testChainFormat = ChainFormat{
	Quote: func(b []byte, name string) []byte { return append(append(append(b, '<'), name...), '>') },
	Sep:   " | ",
}

// chainTextOf is the text the format gives a chain, name by name.
func chainTextOf(chain []string) (text string, first int) {
	for k, name := range chain {
		if k > 0 {
			text += testChainFormat.Sep
		}
		text += "<" + name + ">"
		if k == 0 {
			first = len(text)
		}
	}
	return text, first
}

// The text of a shared chain (SetChainFormat, ChainText) is the view's
// chain written name by name, whether Prepare built the chains or the
// first view did, on the property test's random orgs (loops, dangling
// managers, chains into loops); views of a chain of their own have none.
func TestChainTextIsTheChain(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 11))
	withText := 0
	for round := range 300 {
		g := randomRefOrg(rng)
		docs := g.docs()
		o, _ := orgOf(t, docs...)
		ov := NewOrgView(o, nil)
		ov.SetChainFormat(testChainFormat)
		if round%2 == 0 {
			ov.Prepare()
		}
		for i := range o.People {
			var v PersonView
			ov.PersonAt(&v, int32(i))
			text, first, ok := ov.ChainText(&v)
			if _, shared := v.ChainID(); ok != shared {
				t.Fatalf("round %d: %s: text %v, shared chain %v (chain %q)\norg:\n%s", round, v.Name, ok, shared, v.Chain, strings.Join(docs, "---\n"))
			}
			if !ok {
				continue
			}
			withText++
			want, wantFirst := chainTextOf(v.Chain)
			if string(text) != want || first != wantFirst {
				t.Fatalf("round %d: %s: text %q (first %d), the chain %q is %q (first %d)", round, v.Name, text, first, v.Chain, want, wantFirst)
			}
		}
	}
	if withText == 0 {
		t.Error("no view had the text of its chain")
	}
}

// Chains have text only when the format is set before they are built,
// and the text keeps within its budget: under a spine of long names, the
// managers' chains run out of it, and those without text still have
// their shared chains; those with text have the right one.
func TestChainTextBudget(t *testing.T) {
	long := strings.Repeat("x", 58)
	const spine, managers = 40, 1000
	docs := []string{person(long+"0", "external: true")}
	for i := 1; i < spine; i++ {
		docs = append(docs, person(fmt.Sprintf("%s%d", long, i), fmt.Sprintf("external: true, manager: %s%d", long, i-1)))
	}
	for i := range managers {
		docs = append(docs, person(fmt.Sprintf("m%d", i), fmt.Sprintf("external: true, manager: %s%d", long, spine-1)),
			person(fmt.Sprintf("r%d", i), fmt.Sprintf("external: true, manager: m%d", i)))
	}
	o, _ := orgOf(t, docs...)
	late := NewOrgView(o, nil)
	late.Prepare()
	late.SetChainFormat(testChainFormat)
	ov := NewOrgView(o, nil)
	ov.SetChainFormat(testChainFormat)
	ov.Prepare()
	if most := textPerPerson*len(o.People) + 64<<10; len(ov.chains.text) > most {
		t.Errorf("the text is %d bytes for %d people, more than %d", len(ov.chains.text), len(o.People), most)
	}
	with, without := 0, 0
	for i := range o.People {
		var v PersonView
		ov.PersonAt(&v, int32(i))
		if _, _, ok := late.ChainText(&v); ok {
			t.Fatalf("%s: the chain has text from a format set after the chains were built", v.Name)
		}
		if _, shared := v.ChainID(); !shared {
			continue
		}
		text, first, ok := ov.ChainText(&v)
		if !ok {
			without++
			continue
		}
		with++
		if want, wantFirst := chainTextOf(v.Chain); string(text) != want || first != wantFirst {
			t.Fatalf("%s: text %q (first %d), want %q (first %d)", v.Name, text, first, want, wantFirst)
		}
	}
	if with == 0 || without == 0 {
		t.Errorf("%d shared chains with text, %d without: want some of each (until the budget runs out)", with, without)
	}
}

// nameOrder orders names as slices.Sort does, byte by byte, whatever
// they share: long common prefixes (past each eight bytes the radix
// reads as a number, and past all 24), the empty name, NUL and bytes
// above 0x7f (which must not sort as negative), names that are prefixes
// of others, and buckets both smaller and larger than the ones it sorts
// by comparing.
func TestNameOrderIsByteOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 9))
	alphabet := []string{"a", "b", "-", "9", "\x00", "\x7f", "\x80", "\xff", "é", "日"}
	prefixes := []string{"", "", "aisha-an", "aisha-andersen-1", "aisha-andersen-13k4-xyz", "aisha-andersen-13k4-xyz-long-tail"}
	for _, n := range []int{0, 1, 2, smallBucket - 1, smallBucket, smallBucket + 1, 300, 5000} {
		seen := map[string]bool{}
		var names []string
		if n > 0 {
			names, seen[""] = append(names, ""), true
		}
		for len(names) < n {
			var b strings.Builder
			b.WriteString(prefixes[rng.IntN(len(prefixes))])
			for range rng.IntN(30) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			if s := b.String(); !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
		idx := nameOrder(names)
		got := make([]string, len(idx))
		for k, i := range idx {
			got[k] = names[i]
		}
		want := slices.Clone(names)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			for k := range got {
				if got[k] != want[k] {
					t.Fatalf("%d names: at %d nameOrder has %q, slices.Sort %q", n, k, got[k], want[k])
				}
			}
			t.Fatalf("%d names: nameOrder lists %d, want %d", n, len(got), len(want))
		}
	}
}
