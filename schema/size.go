package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads a file size as --max-file-size takes it: 1048576,
// 512KiB, 8MiB, 1GiB (also KB/MB/K/M, any case), for Loader.MaxFileSize.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size: write e.g. 8MiB, 512KiB or 1048576", s)
	}
	return n * mult, nil
}

// NothingToCheck refuses a load of paths that found no orgctl document
// and no problem (an empty directory, a typo in the path, an org behind an
// ignore rule): a pass there would be a lie (exit 2, SPEC §4).
func (set *Set) NothingToCheck(paths []string) error {
	if len(set.Documents) > 0 || len(set.Problems) > 0 {
		return nil
	}
	where := "."
	if len(paths) > 0 {
		where = strings.Join(paths, ", ")
	}
	skipped := ""
	if n := len(set.Skipped); n > 0 {
		skipped = fmt.Sprintf("; %d documents of other tools were skipped, -v lists them", n)
		if n == 1 {
			skipped = "; 1 document of another tool was skipped, -v lists it"
		}
	}
	files := fmt.Sprintf("%d YAML files read", set.Files)
	if set.Files == 1 {
		files = "1 YAML file read"
	}
	return fmt.Errorf("no orgctl documents under %s (%s%s): check the path, or run orgctl init to start an org", where, files, skipped)
}
