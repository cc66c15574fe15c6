package report

import (
	"fmt"
	"time"

	"github.com/orgctl/orgctl/schema"
)

// DefaultMonths is the length of the trend when --since is not given.
const DefaultMonths = 12

// Months is the length of the trend that since (--since, YYYY-MM) asks
// for: the months from since up to today's, both counted; DefaultMonths
// when since is "". A month after today's, or more than MaxMonths before
// it, is refused.
func Months(since string, today time.Time) (int, error) {
	if since == "" {
		return DefaultMonths, nil
	}
	s, err := time.Parse("2006-01", since)
	if err != nil {
		return 0, fmt.Errorf("invalid --since %q: use YYYY-MM", since)
	}
	months := (today.Year()-s.Year())*12 + int(today.Month()-s.Month()) + 1
	if months < 1 || months > MaxMonths {
		return 0, fmt.Errorf("--since %s is not within the %d months up to --today %s: choose a later month", since, MaxMonths, today.Format(time.DateOnly))
	}
	return months, nil
}

// TrendOf reads the trend of the org at paths (files or directories of a
// git working tree, as given to -f; none means the current directory)
// over months up to today, each commit read with loader (see ReadTrend).
func TrendOf(paths []string, loader *schema.Loader, today time.Time, months int) Trend {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return ReadTrend(GitDir(paths), today, months, GitOrgAt(paths, loader))
}
