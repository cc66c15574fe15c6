package schema

import (
	"strings"
	"testing"
)

// Every label GitHub's labels filter cannot express, or GitHub itself
// refuses, is one finding at its own line; good labels (inner spaces,
// slashes, colons, unicode) pass.
func TestPolicyLabels(t *testing.T) {
	long := strings.Repeat("x", 51)
	policy := "apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  github:\n    labels:\n" +
		"      - orgctl\n" + // 7
		"      - \"people,ops\"\n" + // 8
		"      - \"\"\n" + // 9
		"      - " + long + "\n" + // 10
		"      - \" padded\"\n" + // 11
		"      - \"trailing \"\n" + // 12
		"      - \"tab\\there\"\n" + // 13
		"      - \"needs review/org: équipe\"\n" + // 14
		"      - " + strings.Repeat("é", 50) + "\n" // 15
	set := loadMap(t, map[string]string{"policy.yaml": policy})
	want := []string{
		`policy.yaml:8:9 schema spec.github.labels[1] "people,ops" has a comma, which GitHub's labels filter reads as two labels`,
		`policy.yaml:9:9 schema spec.github.labels[2] "" is empty`,
		`policy.yaml:10:9 schema spec.github.labels[3] "` + long + `" is 51 characters long: GitHub allows at most 50`,
		`policy.yaml:11:9 schema spec.github.labels[4] " padded" starts or ends with a space`,
		`policy.yaml:12:9 schema spec.github.labels[5] "trailing " starts or ends with a space`,
		`policy.yaml:13:9 schema spec.github.labels[6] "tab\there" has a control character`,
	}
	got := problems(set)
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
	if set.Documents[0].Valid() {
		t.Error("a Policy with bad labels is valid")
	}
}

func TestLabelProblemNamesEachCheck(t *testing.T) {
	for v, want := range map[string]string{
		"":                      "is empty",
		"a,b":                   "has a comma",
		strings.Repeat("y", 60): "is 60 characters long",
		"x ":                    "starts or ends with a space",
		"a\nb":                  "has a control character",
	} {
		if got := labelProblem(v); !strings.HasPrefix(got, want) {
			t.Errorf("labelProblem(%q) = %q, want %q…", v, got, want)
		}
	}
}
