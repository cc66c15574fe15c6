package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	ghrec "github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

type applyOptions struct {
	ios            *ioStreams
	global         *globalOptions
	path           string
	dryRun         bool
	maxChanges     int
	allowMassClose bool
	propose        bool
	maxProposals   int
	load           loadOptions
}

func newApplyCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &applyOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "apply [PATH]",
		Short: "Reconcile GitHub issues (and, with --propose, pull requests) with the declared org",
		Long: `Make GitHub match the org in PATH (default: the current directory), like a
Kubernetes controller: one issue per finding of the rules listed in
Policy.spec.github.issues (by default missing-coach, missing-manager,
coach-is-manager and inactive-assignee), labelled orgctl and orgctl/RULE and
assigned to the subject's manager. orgctl recognises its issues by a hidden
fingerprint marker, so it creates what is missing, updates what differs,
closes what is resolved (with a comment naming the commit), reopens what a
person closed while the finding persists, and closes duplicates keeping the
oldest. A second run on an unchanged org changes nothing.

--propose also opens one pull request per coach that orgctl suggest proposes
for someone without a coach or whose coach breaks an error rule: branch
orgctl/<fingerprint with / as ->, one commit on top of the default branch
making the suggest --write edit (through the contents API), labels orgctl
and orgctl/RULE, and reviews requested from the manager and the proposed
coach. A proposal whose candidate changes is updated in place; one the org
no longer needs is closed and its branch deleted; one a person closed
without merging is never proposed again. --max-proposals caps how many new
pull requests one run opens (by fingerprint order).

Safety: --dry-run shows every action and sends no write (enforced where
requests leave the process); --max-changes refuses larger runs; closing more
than a quarter of the open orgctl issues (and more than five) needs
--allow-mass-close; an org with parse, schema, reference, cycle or duplicate
errors is refused before anything is sent.

Trust: orgctl changes only what its own identity wrote. That identity is
--bot-login when given; else the token's user (GET /user) for a personal
token; else, for an app installation token (which GET /user refuses), the
bot that GraphQL's viewer names; else, inside GitHub Actions,
github-actions[bot]. An issue or pull request someone else opened is never
changed, even with orgctl's label or marker: it is reported once as a
warning. If GitHub records another author
for what orgctl creates, the run stops and names the --bot-login to pass.

Environment: GITHUB_TOKEN (or ORGCTL_GITHUB_TOKEN), GITHUB_API_URL (GitHub
Enterprise), GITHUB_REPOSITORY (or --repo, or Policy.spec.github.repo),
ORGCTL_BOT_LOGIN (or --bot-login).

Output formats (-o): text (default), json.`,
		Example: `  # what would change?
  orgctl apply --dry-run

  # in the apply workflow, on every push to main
  GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }} orgctl apply --repo acme/people

  # also propose coaches as pull requests, at most three new ones
  orgctl apply --propose --max-proposals 3`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.path = "."
			if len(args) == 1 {
				opts.path = args[0]
			}
			return applyRun(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.dryRun, "dry-run", false, "show what would change and send no write to GitHub")
	addGitHubFlags(f, g)
	f.IntVar(&opts.maxChanges, "max-changes", 50, "refuse a run that would make more changes than this (0: no limit)")
	f.BoolVar(&opts.allowMassClose, "allow-mass-close", false, "allow closing more than a quarter of the open orgctl issues")
	f.BoolVar(&opts.propose, "propose", false, "also open one pull request per suggested coach (the orgctl suggest --write edit)")
	f.IntVar(&opts.maxProposals, "max-proposals", 10, "open at most this many new proposal pull requests per run (with --propose)")
	opts.load.addFlags(f)
	return cmd
}

func applyRun(opts *applyOptions) error {
	ios := opts.ios
	format := opts.global.output
	if format == "" {
		format = "text"
	}
	if format != "text" && format != "json" {
		return usageError("unknown output format %q: use text or json", format)
	}
	if opts.maxProposals < 0 {
		return usageError("--max-proposals must be 0 or more")
	}
	if opts.maxChanges < 0 {
		return usageError("--max-changes must be 0 or more")
	}
	set, res, err := loadOrg(ios, []string{opts.path}, opts.load)
	if err != nil {
		return err
	}
	var blocking []reconcile.Finding
	for _, f := range res.Findings {
		// Structural errors (the catalogue says which rules) make an org
		// unfit to reconcile: what GitHub would be told could be wrong.
		if reconcile.Tier(f) == reconcile.TierStructuralError {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) > 0 {
		sum := res.Summary
		sum.Errors, sum.Warnings = len(blocking), 0
		_ = render.Text(ios.ErrOut, reconcile.Result{Findings: blocking, Summary: sum}, render.Options{})
		return &exitError{code: exitFindings, err: fmt.Errorf("refusing to apply: the org has %d parse, schema or structural errors, and GitHub would be told the wrong thing; fix them first (orgctl validate %s)", len(blocking), opts.path)}
	}
	org := reconcile.Build(set)
	client, err := newGitHubClient(ios, opts.global, org, opts.dryRun)
	if err != nil {
		return err
	}
	defer reportUsage(ios, client)
	ctx := ios.context()
	labels := org.IssueLabels()
	desired := org.DesiredIssues(res)
	obs, err := client.Observe(ctx, desired, ghrec.ObserveOptions{Label: labels[0], Proposals: opts.propose})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	observed := obs.Objects
	warnForeign(ios, obs)
	actions := ghrec.Diff(obs.Wants, observed)
	aopts := ghrec.ApplyOptions{
		MaxChanges: opts.maxChanges, AllowMassClose: opts.allowMassClose,
		Commit: headCommit(ios, opts.path), Label: labels[0], Labels: allLabels(labels, desired),
	}
	var skipped []ghrec.Skip
	if opts.propose {
		proposals, err := match.DesiredProposals(org, res)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		pactions, skips, err := client.PlanProposals(ctx, proposals, observed, ghrec.ProposalOptions{
			PathPrefix: repoPrefix(opts.path), MaxProposals: opts.maxProposals,
		})
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("planning the proposal pull requests: %w", err)}
		}
		actions, skipped = append(actions, pactions...), skips
		for _, p := range proposals {
			aopts.Labels = allLabels(aopts.Labels, []reconcile.DesiredIssue{{Labels: p.Labels}})
		}
	}
	if err := ghrec.Check(actions, observed, aopts); err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	var rep ghrec.Report
	if opts.dryRun {
		rep = ghrec.Report{Actions: actions, DryRun: true}
		for _, a := range actions {
			if a.Error != "" {
				rep.Failed++
			}
		}
	} else {
		rep = client.Execute(ctx, actions, aopts)
	}
	rep.Skipped, rep.Identity, rep.Foreign = skipped, obs.Identity, obs.Foreign
	if rep.Actions == nil {
		rep.Actions = []ghrec.Action{}
	}
	usage := client.Usage()
	rep.Usage = &usage
	if format == "json" {
		if err := render.WriteJSON(ios.Out, rep); err != nil {
			return err
		}
	} else {
		writeApplyText(ios.Out, client.Repo(), rep)
	}
	if ctx.Err() != nil {
		return &exitError{code: exitUsage, err: ghrec.ErrInterrupted}
	}
	if rep.Stopped != "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("the run stopped: %s", rep.Stopped)}
	}
	if rep.Failed > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("%d of %d changes on GitHub failed (see above); the next run retries them", rep.Failed, len(rep.Actions))}
	}
	return nil
}

func allLabels(base []string, desired []reconcile.DesiredIssue) []string {
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

var actionSymbols = map[string]string{ghrec.Create: "+", ghrec.Update: "~", ghrec.Reopen: "↺", ghrec.Close: "-", ghrec.Duplicate: "-"}

func writeApplyText(w io.Writer, repo string, rep ghrec.Report) {
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
		line := fmt.Sprintf("%s %s %s: %s (%s)", actionSymbols[a.Kind], a.Kind, ref, a.Title, a.Fingerprint)
		switch {
		case a.Kind == ghrec.Update || a.Kind == ghrec.Reopen && len(a.Changes) > 0:
			line += " [" + strings.Join(a.Changes, ", ") + "]"
		case a.Kind == ghrec.Duplicate:
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
		counts[ghrec.Create], counts[ghrec.Update], counts[ghrec.Reopen], counts[ghrec.Close], counts[ghrec.Duplicate])
	switch {
	case len(rep.Actions) == 0:
		fmt.Fprintf(w, "GitHub (%s) already matches the org: nothing to do.\n", repo)
	case rep.DryRun:
		fmt.Fprintf(w, "Dry run on %s: %s. Nothing was sent.\n", repo, summary)
	default:
		fmt.Fprintf(w, "Applied to %s: %s; %d failed.\n", repo, summary, rep.Failed)
	}
}

// repoPrefix is the org directory's path inside its git repository ("" at
// the top level or outside git), for the contents API.
func repoPrefix(path string) string {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--show-prefix").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

const planMarker = render.PlanMarker
