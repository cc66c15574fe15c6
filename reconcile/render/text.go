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
// o.Verbose), then, when structural problems sit among many other
// findings, the recap of structuralRecap, then the one-line summary of SummaryLine.
// With o.Color, errors are red and bold and warnings yellow.
//
// The list keeps file and line order, as compilers and linters do: editors
// and terminals jump to path:line:col in order, sort and diff between runs
// stay stable, and grep -c counts each finding once. What ranking would
// buy (the important thing visible) the recap gives instead, at the end,
// which is what stays on screen after a long run, as terraform puts its
// errors last: it names the structural problems again, briefly and in a
// form no path:line:col parser takes for a second finding.
func Text(w io.Writer, r reconcile.Result, o Options) error {
	bw := bufio.NewWriter(w)
	reported := r.Reported(o.Verbose)
	for _, f := range reported {
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
	structuralRecap(bw, reported)
	fmt.Fprintln(bw, SummaryLine(r))
	return bw.Flush()
}

// recapLimit is how many structural problems the recap names, and
// recapAfter how long the list must be (about a screenful) before there is
// anything to recap: a short list shows everything at a glance.
const (
	recapLimit = 10
	recapAfter = 20
)

// structuralRecap names the structural problems among findings again,
// ranked as pickAnnotations ranks them, at most recapLimit of them, when other findings could bury them:
// more than recapAfter findings, some of them not structural.
//
//	fix these 2 structural problems first (the other findings may follow from them):
//	  management-cycle/ann at people/eng.yaml:12:14
//	  unknown-reference/bob/ghost at people/ops.yaml:3:12
func structuralRecap(w io.Writer, fs []reconcile.Finding) {
	// One of each rule in turn, as the annotations take them, so that one
	// loop is not the eleventh of a dozen unknown references.
	structural := append(interleaveRules(fs, reconcile.TierStructuralError), interleaveRules(fs, reconcile.TierStructuralWarning)...)
	if len(fs) <= recapAfter || len(structural) == 0 || len(structural) == len(fs) {
		return
	}
	if len(structural) == 1 {
		fmt.Fprintln(w, "fix this structural problem first (the other findings may follow from it):")
	} else {
		fmt.Fprintf(w, "fix these %s structural problems first (the other findings may follow from them):\n", thousands(len(structural)))
	}
	for i, f := range structural {
		if i == recapLimit {
			fmt.Fprintf(w, "  and %s more, listed above\n", thousands(len(structural)-i))
			break
		}
		fmt.Fprintf(w, "  %s at %s\n", oneLine(f.Fingerprint), oneLine(position(f)))
	}
}

// SummaryLine is the one-line verdict, e.g. "2 errors, 1 warning in 45
// people and 6 teams (12 files)".
func SummaryLine(r reconcile.Result) string {
	s := r.Summary
	scope := fmt.Sprintf("in %s and %s (%s)", plural(s.People, "person", "people"), plural(s.Teams, "team", "teams"), plural(s.Files, "file", "files"))
	if s.Exempt > 0 {
		scope = strings.TrimSuffix(scope, ")") + ", " + fmt.Sprintf("%d exempt", s.Exempt) + ")"
	}
	if s.Skipped > 0 {
		scope = strings.TrimSuffix(scope, ")") + ", " + plural(s.Skipped, "other document", "other documents") + " skipped)"
	}
	if s.HeldBack > 0 {
		scope = strings.TrimSuffix(scope, ")") + ", " + fmt.Sprintf("%d held back as repeats", s.HeldBack) + ")"
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
