package main

import (
	"errors"
	"fmt"

	"github.com/orgctl/orgctl/schema/safewrite"
)

// writeError turns a failed safewrite.Write (or Check) into the command's
// error, exit 2. Every failure but a rename failing midway left the disk
// as it was, and says so; existHint is the next step when a file the
// command would create already exists.
func writeError(err error, existHint string) error {
	var (
		exist   *safewrite.ExistError
		unsafe  *safewrite.UnsafeError
		partial *safewrite.PartialError
	)
	switch {
	case errors.As(err, &exist):
		return usageError("nothing written: %w: %s", err, existHint)
	case errors.As(err, &unsafe):
		return &exitError{code: exitUsage, err: fmt.Errorf("nothing written: %w", err)}
	case errors.As(err, &partial):
		return &exitError{code: exitUsage, err: fmt.Errorf("%w: fix the cause, then run the same command again", err)}
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%w: check that you may write there, then run again", err)}
}

// plural is "1 person" or "3 people".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
