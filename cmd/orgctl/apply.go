package main

import (
	"errors"
	"fmt"

	"github.com/orgctl/orgctl/internal/ghenv"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

type applyOptions struct {
	ios            *ioStreams
	global         *globalOptions
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
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := orgDir(args, opts.load.paths)
			if err != nil {
				return err
			}
			return applyRun(opts, path)
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
	addFilenameFlag(f, &opts.load.paths)
	return cmd
}

func applyRun(opts *applyOptions, path string) error {
	ios := opts.ios
	if opts.maxProposals < 0 {
		return usageError("--max-proposals must be 0 or more")
	}
	if opts.maxChanges < 0 {
		return usageError("--max-changes must be 0 or more")
	}
	_, res, org, err := loadOrg(ios, []string{path}, opts.load)
	if err != nil {
		return err
	}
	// Structural errors (the catalogue says which rules) make an org unfit
	// to reconcile: what GitHub would be told could be wrong.
	if blocking := res.StructuralErrors(); len(blocking.Findings) > 0 {
		n := len(blocking.Findings)
		_ = render.Text(ios.ErrOut, blocking, render.Options{})
		return &exitError{code: exitFindings, err: fmt.Errorf("refusing to apply: the org has %d parse, schema or structural errors, and GitHub would be told the wrong thing; fix them first (orgctl validate %s)", n, path)}
	}
	org.SetToday(checkOptions(ios, opts.load).Today) // repeat-pairing's window, for proposals
	client, err := newGitHubClient(ios, opts.global, org, opts.dryRun)
	if err != nil {
		return err
	}
	defer reportUsage(ios, client)
	ctx := ios.context()
	rep, err := client.Sync(ctx, org, res, ghsync.SyncOptions{
		RunOptions: runOptions(ios, opts.load, path, opts.propose, opts.maxProposals),
		Apply:      &ghsync.ApplyRunOptions{DryRun: opts.dryRun, MaxChanges: opts.maxChanges, AllowMassClose: opts.allowMassClose, Commit: ghenv.HeadCommit(ios.Getenv, path)},
		Warn:       warn(ios),
	})
	var guard *ghsync.GuardError
	switch {
	case errors.As(err, &guard):
		return &exitError{code: exitFindings, err: err}
	case err != nil:
		return &exitError{code: exitUsage, err: err}
	}
	if err := rep.Write(opts.global.output, ios.Out, client.Repo()); err != nil {
		return err
	}
	switch {
	case ctx.Err() != nil:
		return &exitError{code: exitUsage, err: ghsync.ErrInterrupted}
	case rep.Stopped != "":
		return &exitError{code: exitUsage, err: fmt.Errorf("the run stopped: %s", rep.Stopped)}
	case rep.Failed > 0:
		return &exitError{code: exitFindings, err: fmt.Errorf("%d of %d changes on GitHub failed (see above); the next run retries them", rep.Failed, len(rep.Actions))}
	}
	return nil
}

// orgDir is the one org directory of plan and apply: the positional PATH
// or a single -f, by default the current directory.
func orgDir(args, filenames []string) (string, error) {
	all := append(append([]string{}, args...), filenames...)
	switch len(all) {
	case 0:
		return ".", nil
	case 1:
		return all[0], nil
	}
	return "", usageError("one org at a time: pass one PATH or one -f DIR, not %d", len(all))
}
