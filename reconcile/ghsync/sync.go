package ghsync

import (
	"context"
	"errors"
	"io"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
)

// SyncOptions say what Sync looks at and whether it acts.
type SyncOptions struct {
	RunOptions
	// Apply carries the run out with these safety settings (apply); nil
	// only previews it (plan).
	Apply *ApplyRunOptions
	// Warn, when set, is told one line at a time what the user should know
	// although the run goes on: objects someone else opened (left
	// untouched) and, in a preview, what could not be previewed.
	Warn func(string)
}

// Sync is the one sequence plan and apply run on GitHub: Prepare
// (observe → diff → propose), then, with opts.Apply, Apply.
//
// A preview (opts.Apply nil) only reads and never fails: the plan of the
// org stands on its own, so what could not be previewed is a warning and
// leaves out the actions it would have found. Its report lists the actions
// apply would take (see Report.Preview).
//
// An apply fails with Prepare's error when GitHub could not be read or the
// proposals not planned, and with a *GuardError when the guards refuse the
// run before any write.
func (c *Client) Sync(ctx context.Context, org *reconcile.Org, res reconcile.Result, opts SyncOptions) (Report, error) {
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	run, err := c.Prepare(ctx, org, res, opts.RunOptions)
	var perr *ProposalsError
	if opts.Apply == nil && errors.As(err, &perr) {
		warn("could not preview the proposal pull requests: " + perr.Err.Error())
		err = nil
	}
	if run != nil {
		for _, w := range run.Observation.ForeignWarnings() {
			warn(w)
		}
	}
	switch {
	case err != nil && opts.Apply == nil:
		warn("could not preview the GitHub changes: " + err.Error())
		return Report{Actions: []Action{}, DryRun: true}, nil
	case err != nil:
		return Report{}, err
	case opts.Apply == nil:
		return Report{Actions: run.Actions, Skipped: run.Skipped, Identity: run.Observation.Identity, Foreign: run.Observation.Foreign, DryRun: true}, nil
	}
	return c.Apply(ctx, run, *opts.Apply)
}

// Preview is the GitHub part of a plan: the actions of the report as plan
// lists them (a duplicate to close is a close).
func (r Report) Preview() []reconcile.GitHubAction {
	out := []reconcile.GitHubAction{}
	for _, a := range r.Actions {
		kind := a.Kind
		if kind == Duplicate {
			kind = Close
		}
		out = append(out, reconcile.GitHubAction{Action: kind, Type: a.Type, Fingerprint: a.Fingerprint, Number: a.Number, Title: a.Title})
	}
	return out
}

// Write prints the report as apply does: with format json the report
// itself (render.WriteJSON), else its Text for repo (render.ApplyText).
func (r Report) Write(format string, w io.Writer, repo string) error {
	if format == "json" {
		return render.WriteJSON(w, r)
	}
	render.ApplyText(w, r.Text(repo))
	return nil
}
