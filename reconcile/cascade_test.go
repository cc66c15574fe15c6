package reconcile

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/orgctl/orgctl/schema"
)

// fred and gina name dave (coach), the team core and erin (mentor): the
// documents holding dave, core and erin are the ones broken in each case.
const cascadeRefs = `apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: fred}
spec: {displayName: Fred, external: true, coach: dave, mentors: [{person: erin, domain: go}]}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata: {name: gina}
spec: {displayName: Gina, team: core, level: mid, coach: dave, manager: fred}
`

const cascadeNames = `apiVersion: orgctl.dev/v1
kind: Person
metadata:
  name: dave
spec: {displayName: Dave, external: true}
---
apiVersion: orgctl.dev/v1
kind: Team
metadata: {name: core, labels: {x: y}}
spec: {displayName: Core}
---
apiVersion: orgctl.dev/v1
kind: Person
metadata:
  # a comment
  name: "erin"
spec: {displayName: Erin, external: true}
`

func TestBrokenFilesDoNotCascade(t *testing.T) {
	tests := []struct {
		name, broken string
		maxSize      int64
		want         string // the one finding of the broken file
		// held is how many references repeat the error: dave twice,
		// erin and core when all three are broken.
		held int
	}{
		{"syntax error in every document", strings.ReplaceAll(cascadeNames, "spec: {", "spec: {{"), 0, "invalid YAML", 4},
		{"tab in the indentation", strings.Replace(cascadeNames, "  name: dave\n", "  name: dave\n\tx: 1\n", 1), 0, "tab character", 2},
		{"file over the size limit", cascadeNames + "# " + strings.Repeat("x", 4000) + "\n", 2048, "over the 2.0 KiB limit", 4},
		{"not UTF-8", cascadeNames + "# \xff\n", 0, "not valid UTF-8", 4},
		{"misspelt apiVersion", strings.ReplaceAll(cascadeNames, "orgctl.dev/v1", "orgctl.dev/v1beta1"), 0, "did you mean", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"refs.yaml":   {Data: []byte(cascadeRefs)},
				"broken.yaml": {Data: []byte(tt.broken)},
			}
			set, err := (&schema.Loader{MaxFileSize: tt.maxSize}).LoadFS(fsys, ".", "")
			if err != nil {
				t.Fatal(err)
			}
			res := Check(set, Options{})
			var broken int
			for _, f := range res.Findings {
				if f.Rule == "unknown-reference" {
					t.Errorf("cascade: %s", f.Message)
				}
				if f.File == "broken.yaml" {
					broken++
					if !strings.Contains(f.Message, tt.want) {
						t.Errorf("broken.yaml: %s", f.Message)
					}
				}
			}
			if broken == 0 {
				t.Errorf("no finding on broken.yaml")
			}
			if res.Summary.HeldBack != tt.held {
				t.Errorf("held back %d, want %d", res.Summary.HeldBack, tt.held)
			}
		})
	}
}

func TestUnknownReferencesStillFire(t *testing.T) {
	fsys := fstest.MapFS{"refs.yaml": {Data: []byte(cascadeRefs)}}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	res := Check(set, Options{})
	n := 0
	for _, f := range res.Findings {
		if f.Rule == "unknown-reference" {
			n++
		}
	}
	if n != 4 || res.Summary.HeldBack != 0 {
		t.Errorf("%d unknown-reference, %d held back; want 4 and 0", n, res.Summary.HeldBack)
	}
}
