package reconcile

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/schema"
)

// namesOrg is base with ann and amy (labelled office=kyiv and remote),
// a team platform under eng, and bob, whose document breaks the schema.
func namesOrg(t *testing.T) (*schema.Set, *Org) {
	t.Helper()
	docs := append(slices.Clone(base),
		"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: ann, labels: {office: kyiv}}\nspec: {displayName: Ann, team: platform, level: mid, coach: boss}\n",
		"apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: amy, labels: {office: remote}}\nspec: {displayName: Amy, team: eng, level: senior, coach: boss}\n",
		team("platform", "parent: eng, manager: boss"),
		person("bob", "team: eng, level: [not, a, level]"),
	)
	fsys := fstest.MapFS{}
	for i, d := range docs {
		fsys[fmt.Sprintf("f%03d.yaml", i)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	return set, Build(set)
}

func TestNotFound(t *testing.T) {
	set, o := namesOrg(t)
	for _, tc := range []struct {
		kind, name, want string
	}{
		{schema.KindPerson, "anm", `person "anm" not found; did you mean "ann"?`},
		{schema.KindTeam, "platfrom", `team "platfrom" not found; did you mean "platform"?`},
		{schema.KindPerson, "zebedee", `person "zebedee" not found: run 'orgctl get people' to list them`},
		{schema.KindTeam, "sales", `team "sales" not found: run 'orgctl get teams' to list them`},
		{schema.KindPerson, "bob", `person "bob" could not be read (f007.yaml:3 breaks the schema or is not valid YAML): run 'orgctl validate' to see why`},
		// A team is not a person, however close the name.
		{schema.KindPerson, "platform", `person "platform" not found: run 'orgctl get people' to list them`},
	} {
		if got := NotFound(set, o, tc.kind, tc.name).Error(); got != tc.want {
			t.Errorf("NotFound(%s %s) = %q, want %q", tc.kind, tc.name, got, tc.want)
		}
	}
}

func TestPick(t *testing.T) {
	set, o := namesOrg(t)
	found, missing := Pick(set, o, schema.KindPerson, []string{"amy", "nobody", "boss", "eng", "ann"})
	if want := []string{"amy", "boss", "ann"}; !slices.Equal(found, want) {
		t.Errorf("found %q, want %q (in the order given)", found, want)
	}
	var got []string
	for _, err := range missing {
		got = append(got, err.Error())
	}
	want := []string{NotFound(set, o, schema.KindPerson, "nobody").Error(), NotFound(set, o, schema.KindPerson, "eng").Error()}
	if !slices.Equal(got, want) {
		t.Errorf("missing %q, want %q", got, want)
	}
	if found, missing := Pick(set, o, schema.KindTeam, []string{"platform"}); !slices.Equal(found, []string{"platform"}) || missing != nil {
		t.Errorf("Pick(platform) = %q, %v", found, errors.Join(missing...))
	}
}

func TestOrgViewSelect(t *testing.T) {
	_, o := namesOrg(t)
	ov := NewOrgView(o, noFindings{})
	for _, tc := range []struct {
		kind, labels, fields string
		want                 []string
	}{
		{schema.KindPerson, "", "", []string{"amy", "ann", "boss", "ext"}},
		{schema.KindPerson, "office=kyiv", "", []string{"ann"}},
		{schema.KindPerson, "office", "spec.level!=mid", []string{"amy"}},
		{schema.KindPerson, "!office", "", []string{"boss", "ext"}},
		// spec.manager is the effective manager: ann's comes from her team.
		{schema.KindPerson, "", "spec.manager=boss", []string{"amy", "ann"}},
		{schema.KindPerson, "office=paris", "", nil},
		{schema.KindTeam, "", "", []string{"eng", "platform"}},
		{schema.KindTeam, "", "spec.parent=eng", []string{"platform"}},
	} {
		sel, err := ParseLabelSelector(tc.labels)
		if err != nil {
			t.Fatal(err)
		}
		fsel, err := ParseFieldSelector(tc.fields, tc.kind)
		if err != nil {
			t.Fatal(err)
		}
		if got := ov.Select(tc.kind, sel, fsel); !slices.Equal(got, tc.want) {
			t.Errorf("Select(%s, -l %q, --field-selector %q) = %q, want %q", tc.kind, tc.labels, tc.fields, got, tc.want)
		}
	}
}

// noFindings is a FindingLookup of a clean org.
type noFindings struct{}

func (noFindings) Person(string) []Finding { return nil }
func (noFindings) Team(string) []Finding   { return nil }

func TestFieldCompletions(t *testing.T) {
	for _, tc := range []struct {
		kind, prefix string
		want         []string
	}{
		{schema.KindTeam, "", []string{"metadata.name=", "metadata.name!=", "spec.displayName=", "spec.displayName!=", "spec.manager=", "spec.manager!=", "spec.parent=", "spec.parent!=", "metadata.labels."}},
		{schema.KindTeam, "spec.p", []string{"spec.parent=", "spec.parent!="}},
		{schema.KindTeam, "spec.parent!", []string{"spec.parent!="}},
		{schema.KindPerson, "spec.level=mid,spec.t", []string{"spec.level=mid,spec.team=", "spec.level=mid,spec.team!="}},
		{schema.KindPerson, "metadata.l", []string{"metadata.labels."}},
		{schema.KindPerson, "spec.nope", nil},
		{schema.KindPerson, "a,b,", nil}, // see below
	} {
		got := FieldCompletions(tc.kind, tc.prefix)
		if tc.prefix == "a,b," {
			// After a comma, every field again, behind what was written.
			all := FieldCompletions(tc.kind, "")
			if len(got) != len(all) || len(got) == 0 || got[0] != "a,b,"+all[0] {
				t.Errorf("FieldCompletions(%q) = %q, want every field after \"a,b,\"", tc.prefix, got)
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("FieldCompletions(%s, %q) = %q, want %q", tc.kind, tc.prefix, got, tc.want)
		}
	}
}
