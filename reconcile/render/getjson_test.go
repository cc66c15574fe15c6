package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/internal/synthorg"
	"github.com/orgctl/orgctl/schema"
)

// `get people -o json` as the command runs it (the views prepared on
// another goroutine while the org is checked, the findings set after,
// every person viewed into one reused PersonView per encoding goroutine)
// writes exactly what encoding/json writes for the views built one by
// one, afresh, after the check: on generated orgs with findings, for
// everyone and for a selection. Run it with -race too.
func TestGetPeopleJSONMatchesEncodingJSON(t *testing.T) {
	opts := reconcile.Options{Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	for _, n := range []int{1, 3*jsonChunk + 5, 3000} {
		set := synthorg.Set(n, uint64(n))
		o := reconcile.Build(set)
		ov := reconcile.NewOrgView(o, nil)
		// As get does: the chains' JSON built with them, beside the
		// check; but for one size, asked for too late (by WriteViews),
		// so that every chain is encoded name by name.
		if n != 3*jsonChunk+5 {
			SetJSONChains(ov)
		}
		prepared := make(chan struct{})
		go func() {
			defer close(prepared)
			ov.Prepare()
		}()
		res := o.Check(set, opts)
		index := IndexFindings(o, res.Reported(false))
		ov.SetFindings(index)
		all := ov.Select(schema.KindPerson, nil, nil)
		<-prepared

		// The reference: an Org built and checked again, its views built
		// one at a time, encoded by encoding/json.
		ro := reconcile.Build(set)
		rres := ro.Check(set, opts)
		// Asked about everyone: the index's list of whom it is about is
		// hidden.
		ref := reconcile.NewOrgView(ro, struct{ reconcile.FindingLookup }{IndexFindings(ro, rres.Reported(false))})
		withFindings := 0
		for _, sel := range []struct {
			what  string
			names []string
		}{
			{"everyone", all},
			{"every third, backwards", everyThirdBackwards(all)},
		} {
			var got, want bytes.Buffer
			if err := WriteViews(&got, "json", ov, schema.KindPerson, sel.names, TableOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSONList(&want, "people", len(sel.names), func(i int) any {
				v := ref.Person(sel.names[i])
				if len(v.Findings) > 0 {
					withFindings++
				}
				return v
			}); err != nil {
				t.Fatal(err)
			}
			if d := byteDiff(got.Bytes(), want.Bytes()); d != "" {
				t.Fatalf("%d people, %s: the bytes differ from encoding/json's %s", n, sel.what, d)
			}
			if c := strings.Count(got.String(), `"name": `); c != len(sel.names) {
				t.Fatalf("%d people, %s: %d views written, want %d", n, sel.what, c, len(sel.names))
			}
		}
		if n >= 3000 && withFindings == 0 {
			t.Errorf("%d people: nobody has a finding: the org must have some for the test to mean anything", n)
		}
	}
}

// everyThirdBackwards is every third of names, in reverse order.
func everyThirdBackwards(names []string) []string {
	var out []string
	for i := len(names) - 1; i >= 0; i -= 3 {
		out = append(out, names[i])
	}
	return out
}

// chainOrg is an org whose chains are every kind the views tell apart:
// shared ones through spec.manager and through teams, loops and chains
// running into one, chains ending at an unknown manager, one longer than
// a shared chain may be, and names JSON escapes (quotes, backslashes,
// U+2028, invalid UTF-8), built as a Set since no document may carry them.
func chainOrg() *schema.Set {
	set := &schema.Set{}
	team := func(name, manager, parent string) {
		t := &schema.Team{Name: name, Manager: manager, Parent: parent, Source: schema.Source{File: "teams.yaml", Rel: "teams.yaml"}}
		set.Documents = append(set.Documents, &schema.Document{Kind: schema.KindTeam, Name: name, Source: t.Source, Team: t})
	}
	person := func(name, manager, team string) {
		d := &schema.Document{Kind: schema.KindPerson, Name: name, Source: schema.Source{File: "p\"eople.yaml", Rel: "people.yaml", Doc: len(set.Documents), Start: schema.Pos{Line: int32(1 + len(set.Documents))}}}
		d.Person = &schema.Person{Name: name, Manager: manager, Team: team, Status: schema.StatusActive, Source: &d.Source}
		set.Documents = append(set.Documents, d)
	}
	const boss, mid, lead = `bo"ss`, `mid\dle`, "le\u2028ad\xff"
	person(boss, "", "")
	person(mid, boss, "")
	team("top", boss, "")
	team("t\u2028eam", lead, "top")
	person(lead, "", "top") // the manager of top's team: boss
	for i := range 5 {
		person(fmt.Sprintf("member-%d", i), "", "t\u2028eam") // lead, through the team
		person(fmt.Sprintf("report-%d", i), mid, "")
		person(fmt.Sprintf("deep-%d", i), fmt.Sprintf("member-%d", i), "")
	}
	person("loop-a", "loop-b", "")
	person("loop-b", "loop-a", "")
	person("into-loop", "loop-a", "")
	person("under-into-loop", "into-loop", "")
	person("lost", "ghost", "")
	person("under-lost", "lost", "")
	person("self", "self", "")
	person("under-self", "self", "")
	for i := range 70 {
		manager := ""
		if i > 0 {
			manager = fmt.Sprintf("line-%02d", i-1)
		}
		person(fmt.Sprintf("line-%02d", i), manager, "")
		person(fmt.Sprintf("beside-%02d", i), fmt.Sprintf("line-%02d", i), "")
		for j := range 8 { // people enough for the line's copies in the pool
			person(fmt.Sprintf("beside-%02d-%d", i, j), fmt.Sprintf("line-%02d", i), "")
		}
	}
	return set
}

// The chains a manager's reports share are written once and copied after:
// the copies are the bytes encoding/json writes, for every kind of chain
// (see chainOrg), each person listed twice so that the second view of
// every chain is a copy; chains that loop, break or run long are walked
// per person and never shared.
func TestGetPeopleJSONSharedChains(t *testing.T) {
	set := chainOrg()
	o := reconcile.Build(set)
	res := o.Check(set, reconcile.Options{Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	ov := reconcile.NewOrgView(o, IndexFindings(o, res.Reported(false)))
	all := ov.Select(schema.KindPerson, nil, nil)
	twice := append(slices.Clone(all), all...)
	var got, want bytes.Buffer
	if err := WriteViews(&got, "json", ov, schema.KindPerson, twice, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSONList(&want, "people", len(twice), func(i int) any { return ov.Person(twice[i]) }); err != nil {
		t.Fatal(err)
	}
	if d := byteDiff(got.Bytes(), want.Bytes()); d != "" {
		t.Fatalf("the bytes differ from encoding/json's %s", d)
	}
	shared := map[string]bool{}
	for _, name := range all {
		v := ov.Person(name)
		if !slices.Equal(v.Chain, o.Chain(name)) {
			t.Errorf("%q: chain %q, Org.Chain says %q", name, v.Chain, o.Chain(name))
		}
		if _, ok := v.ChainID(); ok {
			shared[name] = true
			if v.ChainLoops || len(v.Chain) == 0 || v.Manager != v.Chain[0] {
				t.Errorf("%q: a shared chain %q (loops %v) with manager %q", name, v.Chain, v.ChainLoops, v.Manager)
			}
		}
	}
	for _, name := range []string{"member-0", "deep-4", "report-3", "le\u2028ad\xff", `mid\dle`, "line-63", "beside-62", "under-lost", "under-self"} {
		if !shared[name] {
			t.Errorf("%q: the chain is not shared", name)
		}
	}
	for _, name := range []string{`bo"ss`, "loop-a", "into-loop", "under-into-loop", "lost", "self", "line-00", "line-65", "beside-69"} {
		if shared[name] {
			t.Errorf("%q: the chain is shared, but it loops, breaks, is too long or is none", name)
		}
	}
}

// byteDiff says where g first differs from w, with the bytes around it,
// or returns "" when they are equal.
func byteDiff(g, w []byte) string {
	if bytes.Equal(g, w) {
		return ""
	}
	at := 0
	for at < min(len(g), len(w)) && g[at] == w[at] {
		at++
	}
	return fmt.Sprintf("at offset %d:\ngot  %q\nwant %q", at, g[max(0, at-200):min(len(g), at+80)], w[max(0, at-200):min(len(w), at+80)])
}
