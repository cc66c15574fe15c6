package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

var (
	ghData  = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProp  = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	ghLevel = map[reconcile.Severity]string{reconcile.Error: "error", reconcile.Warning: "warning"}
)

// GitHub writes workflow commands (::error / ::warning) that GitHub shows
// as annotations. GitHub shows only about ten of each per step, so errors
// come first; with o.StepSummary the full list also goes there as Markdown.
func GitHub(w io.Writer, r reconcile.Result, o Options) error {
	bw := bufio.NewWriter(w)
	shown := r.Reported(false) // exempt findings are never annotations
	for _, sev := range []reconcile.Severity{reconcile.Error, reconcile.Warning} {
		for _, f := range shown {
			if f.Severity != sev {
				continue
			}
			fmt.Fprintf(bw, "::%s file=%s,line=%d", ghLevel[sev], ghProp.Replace(f.File), f.Line)
			if f.Column > 0 {
				fmt.Fprintf(bw, ",col=%d", f.Column)
			}
			fmt.Fprintf(bw, ",title=%s::%s\n", ghProp.Replace("orgctl "+f.Rule), ghData.Replace(f.Message))
		}
	}
	fmt.Fprintln(bw, SummaryLine(r))
	if err := bw.Flush(); err != nil {
		return err
	}
	if o.StepSummary != nil {
		return StepSummary(o.StepSummary, r)
	}
	return nil
}

// StepSummary writes the Markdown report for $GITHUB_STEP_SUMMARY: the
// verdict and a table of every finding.
func StepSummary(w io.Writer, r reconcile.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## orgctl validate\n\n%s\n", EscapeMarkdown(SummaryLine(r)))
	shown := r.Reported(false)
	if len(shown) > 0 {
		fmt.Fprintf(bw, "\n| severity | rule | where | message |\n|---|---|---|---|\n")
		for _, sev := range []reconcile.Severity{reconcile.Error, reconcile.Warning} {
			for _, f := range shown {
				if f.Severity != sev {
					continue
				}
				fmt.Fprintf(bw, "| %s | %s | %s:%d | %s |\n", sev, f.Rule, EscapeMarkdown(f.File), f.Line, EscapeMarkdown(f.Message))
			}
		}
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}
