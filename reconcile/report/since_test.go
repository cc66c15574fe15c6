package report

import (
	"reflect"
	"testing"
	"time"

	"github.com/orgctl/orgctl/schema"
)

func TestMonths(t *testing.T) {
	today := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		since string
		want  int
		err   string
	}{
		{"", DefaultMonths, ""},
		{"2026-03", 1, ""},
		{"2026-01", 3, ""},
		{"2025-04", 12, ""},
		{"2024-04", MaxMonths, ""},
		{"2024-03", 0, "--since 2024-03 is not within the 24 months up to --today 2026-03-15: choose a later month"},
		{"2026-04", 0, "--since 2026-04 is not within the 24 months up to --today 2026-03-15: choose a later month"},
		{"2026-3", 0, `invalid --since "2026-3": use YYYY-MM`},
		{"2026-03-01", 0, `invalid --since "2026-03-01": use YYYY-MM`},
	} {
		got, err := Months(tc.since, today)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("Months(%q) = %d, %v; want %d", tc.since, got, err, tc.want)
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("Months(%q) error = %v, want %q", tc.since, err, tc.err)
		}
	}
}

// TestTrendOfReadsTheOrgPathsOrTheCurrentDirectory: -f DIR and no -f run
// in DIR give the same trend, read from DIR's git history.
func TestTrendOfReadsTheOrgPathsOrTheCurrentDirectory(t *testing.T) {
	_, org := history(t)
	today := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	want := []monthCov{{"2026-03", 4, 3}, {"2026-04", 4, 3}, {"2026-05", 4, 4}}
	if got := points(TrendOf([]string{org}, &schema.Loader{}, today, 3)); !reflect.DeepEqual(got, want) {
		t.Errorf("TrendOf(-f %s) = %v, want %v", org, got, want)
	}
	t.Chdir(org)
	if got := points(TrendOf(nil, &schema.Loader{}, today, 3)); !reflect.DeepEqual(got, want) {
		t.Errorf("TrendOf(no -f, in the org) = %v, want %v", got, want)
	}
}
