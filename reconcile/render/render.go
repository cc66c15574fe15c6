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

// Options tune the renderers.
type Options struct {
	// Verbose also shows exempt findings, marked as such.
	Verbose bool
	// Color uses ANSI colours (text only); callers set it on a TTY only.
	Color bool
	// Version is orgctl's version, for SARIF.
	Version string
	// StepSummary, when set, receives a Markdown report (github format).
	StepSummary io.Writer
}

// Formats are the names Write accepts, in the order shown in help.
var Formats = []string{"text", "json", "github", "sarif"}

// Write renders a validation result in the named format.
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
	return fmt.Errorf("unknown output format %q: use %s", format, strings.Join(Formats, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
