package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/orgctl/orgctl/internal/ghenv"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

type planOptions struct {
	ios     *ioStreams
	global  *globalOptions
	path    string
	base    string
	baseDir string
	failOn  string
	comment bool
	pr      int
	// propose previews apply --propose: the proposal pull requests too.
	propose      bool
	maxProposals int
	// detailedExitCode is --detailed-exitcode: 0 no changes, 2 changes,
	// 1 error, as terraform plan.
	detailedExitCode bool
	load             loadOptions
}

func newPlanCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &planOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "plan [PATH]",
		Short: "Show what a change does to who manages, mentors and coaches whom",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := orgDir(args, opts.load.paths)
			if err != nil {
				return err
			}
			opts.path = path
			if cmd.Flags().Changed("base") && opts.baseDir != "" {
				return usageError("use either --base or --base-dir, not both")
			}
			err = planRun(opts)
			var ee *exitError
			if opts.detailedExitCode && errors.As(err, &ee) && ee != errPlanChanges && ee.code == exitUsage {
				ee.code = exitFindings // terraform's: 2 means changes, every error is 1
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.base, "base", "", "git ref to compare with (default: origin/$GITHUB_BASE_REF in a pull request, else HEAD)")
	f.StringVar(&opts.baseDir, "base-dir", "", "directory holding the base org, instead of a git ref")
	f.StringVar(&opts.failOn, "fail-on", "error", "lowest severity of a new finding that makes the exit code 1: error or warning")
	f.BoolVar(&opts.comment, "comment", false, "also upsert the markdown plan as the pull request's sticky comment")
	f.IntVar(&opts.pr, "pr", 0, "pull request for --comment (default: from $GITHUB_EVENT_PATH)")
	f.BoolVar(&opts.propose, "propose", false, "with a GitHub token: also preview the proposal pull requests of apply --propose")
	f.IntVar(&opts.maxProposals, "max-proposals", 10, "with --propose: as apply --max-proposals")
	f.BoolVar(&opts.detailedExitCode, "detailed-exitcode", false, "exit 0 when nothing changes, 2 when something does, 1 on an error or new findings (as terraform plan)")
	addGitHubFlags(f, g)
	opts.load.addFlags(f)
	addFilenameFlag(f, &opts.load.paths)
	return cmd
}

func planRun(opts *planOptions) error {
	ios := opts.ios
	failOn, err := parseFailOn(opts.failOn)
	if err != nil {
		return err
	}
	format := opts.global.output
	if opts.maxProposals < 0 {
		return usageError("--max-proposals must be 0 or more")
	}
	st, err := os.Stat(opts.path)
	if err != nil {
		return &exitError{code: exitUsage, err: &schema.PathError{Path: opts.path, Err: err}}
	}
	if !st.IsDir() {
		return usageError("plan compares directories: %q is a file; pass the org's directory", opts.path)
	}
	lo, err := opts.load.core(ios)
	if err != nil {
		return err
	}
	plan, headOrg, headRes, baseName, err := reconcile.LoadPlan(opts.path, opts.baseDir, ghenv.BaseRef(opts.base, ios.Getenv), lo)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	plan.GitHub = githubPreview(opts, opts.path, headOrg, headRes)
	if ios.context().Err() != nil {
		// Ctrl-C while previewing (say, in a rate-limit wait): stop, and
		// print no plan that lacks the GitHub part.
		return &exitError{code: exitUsage, err: ghsync.ErrInterrupted}
	}
	po := render.PlanOptions{Color: ios.colorEnabled(opts.global.noColor), Base: baseName, Head: "the working tree"}
	if opts.baseDir != "" {
		po.Head = opts.path
	}
	if format == "json" {
		po.HeadSHA = ghenv.PlanHeadSHA(ios.Getenv, opts.path)
	}
	if err := render.WritePlan(format, ios.Out, plan, po); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the plan: %w", err)}
	}
	if opts.comment {
		pr, err := ghenv.PullRequestNumber(ios.Getenv, opts.pr)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		client, err := newGitHubClient(ios, opts.global, headOrg, false)
		if err != nil {
			return err
		}
		defer reportUsage(ios, client)
		if err := upsertPlanComment(ios, client, pr, render.PlanMarkdown(plan, po)); err != nil {
			return err
		}
	}
	switch {
	case plan.Introduced(failOn):
		return findingsExit()
	case opts.detailedExitCode && plan.Changed():
		return errPlanChanges
	}
	return nil
}

// errPlanChanges is plan --detailed-exitcode's exit 2: the plan has changes.
var errPlanChanges = &exitError{code: exitPlanChanges, silent: true}

// githubPreview lists what apply would do on GitHub, when a token and a
// repository are configured; it only reads. A failure is a warning: the
// plan of the org stands on its own.
func githubPreview(opts *planOptions, path string, org *reconcile.Org, res reconcile.Result) []reconcile.GitHubAction {
	ios := opts.ios
	if githubToken(ios) == "" {
		return []reconcile.GitHubAction{}
	}
	client, err := newGitHubClient(ios, opts.global, org, true)
	if err != nil {
		return []reconcile.GitHubAction{}
	}
	defer reportUsage(ios, client)
	rep, _ := client.Sync(ios.context(), org, res, ghsync.SyncOptions{RunOptions: runOptions(ios, opts.load, path, opts.propose, opts.maxProposals), Warn: warn(ios)})
	return rep.Preview()
}
