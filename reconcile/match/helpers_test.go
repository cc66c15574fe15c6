package match

import (
	"fmt"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// Person, Team and Policy spell the documents as package reconcile does.
type (
	Person = reconcile.Person
	Team   = reconcile.Team
	Policy = reconcile.Policy
)

// today is the date every test checks its org on.
var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// person renders a Person document with spec given in YAML flow style.
func person(name, spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: %s}\nspec: {displayName: %s, %s}\n", name, name, spec)
}

func team(name, spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: %s}\nspec: {%s}\n", name, spec)
}

func policy(spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n%s\n", spec)
}

// orgOf loads documents, one file each, and checks them.
func orgOf(t *testing.T, docs ...string) (*reconcile.Org, reconcile.Result) {
	t.Helper()
	fsys := fstest.MapFS{}
	for i, d := range docs {
		fsys[fmt.Sprintf("f%03d.yaml", i)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Build(set)
	return o, o.Check(set, reconcile.Options{Today: today})
}

// base is a tiny clean org: boss runs team eng and is coached by an
// external coach.
var base = []string{
	policy("  roots: [boss]"),
	team("eng", "manager: boss"),
	person("boss", "team: eng, level: executive, coach: ext"),
	person("ext", "external: true"),
}

// with is base and extra documents.
func with(extra ...string) []string { return append(slices.Clone(base), extra...) }

// withPolicy is base with the Policy's spec replaced, and extra documents.
func withPolicy(spec string, extra ...string) []string {
	docs := append([]string{policy(spec)}, base[1:]...)
	return append(docs, extra...)
}
