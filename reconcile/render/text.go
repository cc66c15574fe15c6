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
// message` (with " (exempt)" after exempt ones, shown only with
// o.Verbose), then the one-line summary of SummaryLine. With o.Color,
// errors are red and bold and warnings yellow.
func Text(w io.Writer, r reconcile.Result, o Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Reported(o.Verbose) {
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
		fmt.Fprintf(bw, "%s: %s %s: %s%s\n", oneLine(position(f)), sev, f.Rule, oneLine(f.Message), exempt)
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

// position is where a finding points, as compilers write it: path:line:col,
// leaving out a column (or line) that is not known.
func position(f reconcile.Finding) string {
	switch {
	case f.Line <= 0:
		return f.File
	case f.Column <= 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

// oneLine keeps user text on one output line and out of the terminal's
// control: line breaks and tabs become spaces, and other control
// characters (ESC starts an ANSI sequence) and bidirectional overrides
// are shown as Go escapes, e.g. \x1b.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, needsQuoting) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\r' && strings.HasPrefix(s[i:], "\r\n"):
			// The \n that follows writes the space.
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case needsQuoting(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsQuoting(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsQuoting reports the runes oneLine replaces: C0 and C1 controls, DEL
// and the bidirectional embedding, override and isolate characters.
func needsQuoting(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
