package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/internal/ghenv"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

type consentOptions struct {
	ios    *ioStreams
	global *globalOptions
	pr     int
}

func newConsentCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &consentOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "consent [--pr N] [-o text|json|markdown]",
		Short: "Pass only when a proposal's coach and coachee both approved its latest commit",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if opts.pr < 0 {
				return usageError("--pr must be a pull request number")
			}
			return consentRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.pr, "pr", 0, "pull request number (default: from $GITHUB_EVENT_PATH)")
	return cmd
}

func consentRun(opts *consentOptions) error {
	pr, err := ghenv.ReviewedPull(opts.ios.Getenv, opts.pr)
	if err != nil {
		return usageError("%w", err)
	}
	client, err := newGitHubClient(opts.ios, opts.global, nil, false)
	if err != nil {
		return err
	}
	defer reportUsage(opts.ios, client)
	r, err := client.Consent(opts.ios.context(), pr)
	var npe *ghsync.NotProposalError
	switch {
	case errors.As(err, &npe):
		return &exitError{code: exitUsage, err: err}
	case err != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("checking consent on #%d: %w", pr, err)}
	}
	if err := render.WriteConsent(opts.global.output, opts.ios.Out, r); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the verdict: %w", err)}
	}
	if err := ghenv.WriteStepSummary(opts.ios.Getenv, func(w io.Writer) error { return render.WriteConsent("markdown", w, r) }); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if !r.Passed {
		return &exitError{code: exitFindings, err: fmt.Errorf("consent missing on #%d: %s; they approve the pull request's latest commit, then re-run this check", pr, strings.Join(r.Missing(), "; "))}
	}
	return nil
}
