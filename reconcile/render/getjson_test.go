package render

import (
	"bytes"
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
		ref := reconcile.NewOrgView(ro, IndexFindings(ro, rres.Reported(false)))
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
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				g, w := got.Bytes(), want.Bytes()
				at := 0
				for at < min(len(g), len(w)) && g[at] == w[at] {
					at++
				}
				t.Fatalf("%d people, %s: the bytes differ from encoding/json's at offset %d:\ngot  %q\nwant %q",
					n, sel.what, at, g[max(0, at-200):min(len(g), at+80)], w[max(0, at-200):min(len(w), at+80)])
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
