// Package render turns orgctl's results into text, JSON, GitHub workflow
// annotations, SARIF and Markdown. Every renderer reads the same data;
// none decides anything.
package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

// Options tune the renderers of a validation result.
type Options struct {
	// Verbose also shows exempt findings, marked as such.
	Verbose bool
	// Color uses ANSI colours (text only). Callers set it only when
	// writing to a terminal and NO_COLOR is not set.
	Color bool
	// Version is orgctl's version, for SARIF's tool.driver; empty means
	// "0.0.0-dev".
	Version string
	// StepSummary, when set, also receives the Markdown report of
	// StepSummary (github format only); callers open $GITHUB_STEP_SUMMARY
	// for appending.
	StepSummary io.Writer
}

// Formats are the names Write accepts, in the order shown in help.
var Formats = []string{"text", "json", "github", "sarif"}

// Write renders a validation result in the named format, one of Formats
// ("" means text).
func Write(format string, w io.Writer, r reconcile.Result, o Options) error {
	switch format {
	case "text", "":
		return Text(w, r, o)
	case "json":
		return JSON(w, r, o)
	case "github":
		return GitHub(w, r, o)
	case "sarif":
		return SARIF(w, r, o)
	}
	return fmt.Errorf("unknown output format %q: use %s", format, oneOf(Formats))
}

// oneOf lists choices for an error message: "a, b or c".
func oneOf(choices []string) string {
	if len(choices) < 2 {
		return strings.Join(choices, "")
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

// plural writes a count with the singular or plural noun: "1 error",
// "0 errors".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
