package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/orgctl/orgctl/schema"
)

// Exit codes, the same for every command.
const (
	exitOK       = 0
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage, I/O or load failure that prevents a verdict, or a name not in the org

	// exitPlanChanges is plan --detailed-exitcode's "there are changes"
	// (terraform's); every error then exits 1.
	exitPlanChanges = 2
)

// exitError carries an exit code; when silent, the command has already
// said everything it needs to.
type exitError struct {
	code   int
	err    error
	silent bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// findingsExit is returned when findings reach --fail-on; the report
// already said what they are.
func findingsExit() error { return &exitError{code: exitFindings, silent: true} }

// usageError marks a mistake in how orgctl was called.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// exitCode maps an error to the process exit code: this is the one place
// that does.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitUsage
}

// errorText is what main prints for err, or "" for silent errors.
func errorText(err error) string {
	var ee *exitError
	if errors.As(err, &ee) && ee.silent {
		return ""
	}
	var pe *schema.PathError
	if errors.As(err, &pe) {
		return "error: " + pe.Error()
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "error: ") {
		return msg
	}
	return "error: " + msg
}
