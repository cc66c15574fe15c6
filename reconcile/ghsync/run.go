package ghsync

import (
	"context"
	"fmt"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/reconcile/render"
)

// RunOptions say what one observe → diff → propose sequence looks at; plan
// and apply both run it (see Client.Prepare).
type RunOptions struct {
	// Propose also plans the proposal pull requests of apply --propose.
	Propose bool
	// PathPrefix and MaxProposals are those of ProposalOptions.
	PathPrefix   string
	MaxProposals int
	// Today is the day the proposed pairings start (their coachSince);
	// zero proposes them undated.
	Today time.Time
}

// Run is what Prepare found: what GitHub holds and the actions that make
// it match the org.
type Run struct {
	Observation Observation
	Actions     []Action
	// Skipped are the proposals deliberately left alone.
	Skipped []Skip
	// Label marks orgctl's objects; Labels are every label the actions
	// use, created when missing.
	Label  string
	Labels []string
}

// ProposalsError is Prepare's error when the org's issues were planned but
// its proposal pull requests could not be: plan shows the issues anyway,
// apply refuses.
type ProposalsError struct{ Err error }

func (e *ProposalsError) Error() string {
	return "planning the proposal pull requests: " + e.Err.Error()
}

func (e *ProposalsError) Unwrap() error { return e.Err }

// Prepare observes GitHub, diffs it with the issues the org wants and,
// with Propose, plans the proposal pull requests: the one sequence that
// plan previews and apply carries out. It only reads. On a
// *ProposalsError the returned Run holds the issue actions.
func (c *Client) Prepare(ctx context.Context, org *reconcile.Org, res reconcile.Result, opts RunOptions) (*Run, error) {
	labels := org.IssueLabels()
	desired := org.DesiredIssues(res)
	obs, err := c.Observe(ctx, desired, ObserveOptions{Label: labels[0], Proposals: opts.Propose})
	if err != nil {
		return nil, err
	}
	run := &Run{Observation: obs, Actions: Diff(obs.Wants, obs.Objects), Label: labels[0], Labels: addLabels(labels, desired)}
	if !opts.Propose {
		return run, nil
	}
	proposals, err := match.DesiredProposals(org, res, opts.Today)
	if err != nil {
		return run, &ProposalsError{Err: err}
	}
	pactions, skips, err := c.PlanProposals(ctx, proposals, obs.Objects, ProposalOptions{PathPrefix: opts.PathPrefix, MaxProposals: opts.MaxProposals})
	if err != nil {
		return run, &ProposalsError{Err: err}
	}
	run.Actions, run.Skipped = append(run.Actions, pactions...), skips
	for _, p := range proposals {
		run.Labels = addLabels(run.Labels, []reconcile.DesiredIssue{{Labels: p.Labels}})
	}
	return run, nil
}

// addLabels returns base with the labels of desired that it lacks, in
// order of first use.
func addLabels(base []string, desired []reconcile.DesiredIssue) []string {
	out := append([]string(nil), base...)
	seen := map[string]bool{}
	for _, l := range out {
		seen[l] = true
	}
	for _, d := range desired {
		for _, l := range d.Labels {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// ApplyRunOptions are the safety settings of Apply.
type ApplyRunOptions struct {
	DryRun         bool
	MaxChanges     int
	AllowMassClose bool
	// Commit names what resolved an issue in the closing comment.
	Commit string
}

// Apply checks the prepared run against the guards (a *GuardError refuses
// it before any write) and carries it out, or with DryRun only reports
// it. One action's failure is recorded in the report and the others go on.
func (c *Client) Apply(ctx context.Context, run *Run, opts ApplyRunOptions) (Report, error) {
	aopts := ApplyOptions{MaxChanges: opts.MaxChanges, AllowMassClose: opts.AllowMassClose, Commit: opts.Commit, Label: run.Label, Labels: run.Labels}
	if err := Check(run.Actions, run.Observation.Objects, aopts); err != nil {
		return Report{}, err
	}
	var rep Report
	if opts.DryRun {
		rep = Report{Actions: run.Actions, DryRun: true}
		for _, a := range run.Actions {
			if a.Error != "" {
				rep.Failed++
			}
		}
	} else {
		rep = c.Execute(ctx, run.Actions, aopts)
	}
	rep.Skipped, rep.Identity, rep.Foreign = run.Skipped, run.Observation.Identity, run.Observation.Foreign
	if rep.Actions == nil {
		rep.Actions = []Action{}
	}
	usage := c.Usage()
	rep.Usage = &usage
	return rep, nil
}

// ForeignWarnings says, once each, which objects look like orgctl's but
// were opened by someone else: orgctl leaves them untouched.
func (o Observation) ForeignWarnings() []string {
	var out []string
	for _, f := range o.Foreign {
		what := "issue"
		if f.Type == "pull" {
			what = "pull request"
		}
		author := f.Author
		if author == "" {
			author = "an unknown account"
		}
		out = append(out, fmt.Sprintf("%s #%d carries %s but was opened by %s, not by orgctl (%s): left untouched", what, f.Number, f.Carries, author, o.Identity))
	}
	return out
}

// Text is the report as apply's text output shows it (render.ApplyText).
func (r Report) Text(repo string) render.ApplyReport {
	out := render.ApplyReport{Repo: repo, DryRun: r.DryRun, Failed: r.Failed}
	for _, a := range r.Actions {
		out.Actions = append(out.Actions, render.ApplyAction{
			Kind: a.Kind, Type: a.Type, Fingerprint: a.Fingerprint, Number: a.Number, Title: a.Title,
			Changes: a.Changes, KeepNumber: a.KeepNumber, Branch: a.Branch, Warnings: a.Warnings, Error: a.Error,
		})
	}
	for _, s := range r.Skipped {
		out.Skipped = append(out.Skipped, render.ApplySkip{Number: s.Number, Fingerprint: s.Fingerprint, Why: s.Why})
	}
	return out
}
