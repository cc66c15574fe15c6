package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
)

// Text writes one line per finding, `path:line:col: severity rule:
// message`, then a one-line summary.
func Text(w io.Writer, r reconcile.Result, o Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Reported(o.Verbose) {
		loc := fmt.Sprintf("%s:%d", f.File, f.Line)
		if f.Column > 0 {
			loc += fmt.Sprintf(":%d", f.Column)
		}
		sev := f.Severity.String()
		if o.Color {
			switch f.Severity {
			case reconcile.Error:
				sev = ansiRed + sev + ansiReset
			case reconcile.Warning:
				sev = ansiYellow + sev + ansiReset
			}
		}
		exempt := ""
		if f.Exempt {
			exempt = " (exempt)"
			if o.Color {
				exempt = ansiDim + exempt + ansiReset
			}
		}
		fmt.Fprintf(bw, "%s: %s %s: %s%s\n", loc, sev, f.Rule, oneLine(f.Message), exempt)
	}
	fmt.Fprintln(bw, SummaryLine(r))
	return bw.Flush()
}

// SummaryLine is the one-line verdict, e.g. "2 errors, 1 warning in 45
// people and 6 teams (12 files)".
func SummaryLine(r reconcile.Result) string {
	s := r.Summary
	scope := fmt.Sprintf("in %s and %s (%s)", plural(s.People, "person", "people"), plural(s.Teams, "team", "teams"), plural(s.Files, "file", "files"))
	if s.Exempt > 0 {
		scope = strings.TrimSuffix(scope, ")") + ", " + fmt.Sprintf("%d exempt", s.Exempt) + ")"
	}
	if s.Errors == 0 && s.Warnings == 0 {
		return "no problems " + scope
	}
	return fmt.Sprintf("%s, %s %s", plural(s.Errors, "error", "errors"), plural(s.Warnings, "warning", "warnings"), scope)
}

// oneLine keeps a message on one output line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
