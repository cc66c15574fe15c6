package render

import (
	"fmt"
	"io"
	"strings"
)

// ApplyReport is what an apply run did (or, dry, would do), as its text
// output shows it.
type ApplyReport struct {
	Repo    string
	Actions []ApplyAction
	Skipped []ApplySkip
	Failed  int
	DryRun  bool
}

// ApplyAction is one change on GitHub: Kind is create, update, reopen,
// close or close-duplicate; Type is issue or pull.
type ApplyAction struct {
	Kind, Type, Fingerprint, Title string
	Number, KeepNumber             int
	Changes, Warnings              []string
	Branch, Error                  string
}

// ApplySkip is a proposal pull request deliberately left alone.
type ApplySkip struct {
	Number           int
	Fingerprint, Why string
}

var applySymbols = map[string]string{"create": "+", "update": "~", "reopen": "↺", "close": "-", "close-duplicate": "-"}

// ApplyText writes an apply report: one line per action (+ create,
// ~ update, ↺ reopen, - close), the skipped proposals, then a summary.
func ApplyText(w io.Writer, rep ApplyReport) {
	counts := map[string]int{}
	for _, a := range rep.Actions {
		counts[a.Kind]++
		what := "issue"
		if a.Type == "pull" {
			what = "pull request"
		}
		ref := what
		if a.Number > 0 {
			ref = fmt.Sprintf("%s #%d", what, a.Number)
		}
		line := fmt.Sprintf("%s %s %s: %s (%s)", applySymbols[a.Kind], a.Kind, ref, a.Title, a.Fingerprint)
		switch {
		case a.Kind == "update" || a.Kind == "reopen" && len(a.Changes) > 0:
			line += " [" + strings.Join(a.Changes, ", ") + "]"
		case a.Kind == "close-duplicate":
			line += fmt.Sprintf(" duplicate of #%d", a.KeepNumber)
		case a.Type == "pull" && a.Branch != "":
			line += " branch " + a.Branch
		}
		for _, warn := range a.Warnings {
			line += "\n    warning: " + warn
		}
		if a.Error != "" {
			line += "\n    failed: " + a.Error
		}
		fmt.Fprintln(w, line)
	}
	for _, sk := range rep.Skipped {
		ref := "pull request"
		if sk.Number > 0 {
			ref = fmt.Sprintf("pull request #%d", sk.Number)
		}
		fmt.Fprintf(w, "= skip %s (%s): %s\n", ref, sk.Fingerprint, sk.Why)
	}
	summary := fmt.Sprintf("%d to create, %d to update, %d to reopen, %d to close, %d duplicates to close",
		counts["create"], counts["update"], counts["reopen"], counts["close"], counts["close-duplicate"])
	switch {
	case len(rep.Actions) == 0:
		fmt.Fprintf(w, "GitHub (%s) already matches the org: nothing to do.\n", rep.Repo)
	case rep.DryRun:
		fmt.Fprintf(w, "Dry run on %s: %s. Nothing was sent.\n", rep.Repo, summary)
	default:
		fmt.Fprintf(w, "Applied to %s: %s; %d failed.\n", rep.Repo, summary, rep.Failed)
	}
}
