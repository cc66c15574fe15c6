package schema

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// What Writer writes, the loader reads back to the same values, for every
// document of both example orgs.
func TestWriterRoundTrip(t *testing.T) {
	for _, dir := range []string{"../examples/acme", "../examples/conflicts"} {
		set, err := (&Loader{Precheck: PrecheckAudit}).LoadPaths([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.Email = true
		w.Comment("yaml-language-server: $schema=orgctl.schema.json\n\nwritten by a test")
		var want []*Document
		for _, d := range set.Documents {
			if !d.Valid() {
				continue
			}
			switch {
			case d.Person != nil:
				w.Person(d.Person)
			case d.Team != nil:
				w.Team(d.Team)
			case d.Policy != nil:
				w.Policy(d.Policy)
			}
			want = append(want, d)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(buf.String(), "# yaml-language-server: $schema=orgctl.schema.json\n#\n# written by a test\napiVersion: orgctl.dev/v1\n") {
			t.Fatalf("%s: unexpected start:\n%.200s", dir, buf.String())
		}
		got := (&Loader{Precheck: PrecheckAudit}).LoadFiles([]File{{Path: "all.yaml", Data: buf.Bytes()}}, "")
		if len(got.Problems) > 0 {
			t.Fatalf("%s: written YAML does not load: %+v\n%s", dir, got.Problems, buf.String())
		}
		if len(got.Documents) != len(want) {
			t.Fatalf("%s: wrote %d documents, read %d", dir, len(want), len(got.Documents))
		}
		for i, d := range got.Documents {
			w := want[i]
			switch {
			case w.Person != nil:
				a, b := *w.Person, *d.Person
				a.Source, b.Source = nil, nil
				clearPersonPos(&a)
				clearPersonPos(&b)
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%s: person %s: wrote %+v, read %+v", dir, w.Name, a, b)
				}
			case w.Team != nil:
				a, b := *w.Team, *d.Team
				a.Source, b.Source, a.NamePos, b.NamePos, a.SpecPos, b.SpecPos = Source{}, Source{}, Pos{}, Pos{}, Pos{}, Pos{}
				a.ParentPos, b.ParentPos, a.ManagerPos, b.ManagerPos = Pos{}, Pos{}, Pos{}, Pos{}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%s: team %s: wrote %+v, read %+v", dir, w.Name, a, b)
				}
			case w.Policy != nil:
				a, b := *w.Policy, *d.Policy
				if a.Name != b.Name || !reflect.DeepEqual(a.Levels, b.Levels) || !reflect.DeepEqual(a.Roots, b.Roots) ||
					a.GitHub.Repo != b.GitHub.Repo || len(a.Rules) != len(b.Rules) || len(a.Exemptions) != len(b.Exemptions) ||
					!reflect.DeepEqual(a.Coaching.RotateAfterMonths, b.Coaching.RotateAfterMonths) || a.Coaching.NoRepeat() != b.Coaching.NoRepeat() ||
					len(a.DoNotPair) != len(b.DoNotPair) || len(a.DoNotPair) > 0 && (!reflect.DeepEqual(a.DoNotPair[0].People, b.DoNotPair[0].People) || a.DoNotPair[0].Reason != b.DoNotPair[0].Reason) {
					t.Errorf("%s: policy: wrote %+v, read %+v", dir, a, b)
				}
			}
		}
	}
}

func clearPersonPos(p *Person) {
	p.NamePos, p.SpecPos, p.GitHubPos, p.TeamPos, p.LevelPos = Pos{}, Pos{}, Pos{}, Pos{}, Pos{}
	p.StatusPos, p.ManagerPos, p.CoachPos = Pos{}, Pos{}, Pos{}
	for i := range p.Mentors {
		p.Mentors[i].Pos, p.Mentors[i].SincePos = Pos{}, Pos{}
	}
	if l := p.Life; l != nil {
		l.CoachSincePos, l.CoachWillingPos, l.CoachCapacityPos, l.MentoringWantedPos = Pos{}, Pos{}, Pos{}, nil
		for i := range l.PastPairings {
			pp := &l.PastPairings[i]
			pp.Pos, pp.PersonPos, pp.FromPos, pp.UntilPos = Pos{}, Pos{}, Pos{}, Pos{}
		}
	}
}
