package render

import (
	"strings"
	"testing"

	"github.com/orgctl/orgctl/schema"
)

func TestNothingSelected(t *testing.T) {
	for _, tc := range []struct {
		kind string
		by   []string
		want string
	}{
		{schema.KindPerson, nil, "no people found\n"},
		{schema.KindTeam, nil, "no teams found\n"},
		{schema.KindPerson, []string{"-l office=kyiv"}, "no people match -l office=kyiv\n"},
		{schema.KindTeam, []string{"-l tier=1", "--field-selector spec.parent=eng"}, "no teams match -l tier=1 --field-selector spec.parent=eng\n"},
	} {
		var b strings.Builder
		NothingSelected(&b, tc.kind, tc.by...)
		if b.String() != tc.want {
			t.Errorf("NothingSelected(%s, %q) wrote %q, want %q", tc.kind, tc.by, b.String(), tc.want)
		}
	}
}
