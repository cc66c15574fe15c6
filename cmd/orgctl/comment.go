package main

import (
	"errors"
	"fmt"

	"github.com/orgctl/orgctl/internal/ghenv"
	"github.com/orgctl/orgctl/reconcile/ghsync"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

type commentOptions struct {
	ios    *ioStreams
	global *globalOptions
	pr     int
	file   string
}

func newCommentCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &commentOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "comment [--pr N] FILE",
		Short: "Post a plan written by 'orgctl plan -o json' as the pull request's sticky comment",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if opts.pr < 0 {
				return usageError("--pr must be a pull request number")
			}
			return commentRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.pr, "pr", 0, "pull request number (default: from $GITHUB_EVENT_PATH)")
	return cmd
}

func commentRun(opts *commentOptions) error {
	doc, err := render.ReadPlanFile(opts.file)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	client, err := newGitHubClient(opts.ios, opts.global, nil, false)
	if err != nil {
		return err
	}
	defer reportUsage(opts.ios, client)
	ctx := opts.ios.context()
	ev, err := readEvent(opts.ios)
	if err != nil {
		return err
	}
	pr, head, err := ghenv.CommentTarget(ctx, client, ev, opts.pr)
	var te *ghenv.TargetError
	if errors.As(err, &te) {
		return &exitError{code: exitUsage, err: err}
	}
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if doc.HeadSHA != head {
		return usageError("%s is a plan of commit %s, but pull request #%d is at %s: orgctl posts only a plan of the pull request's head commit (a newer run will post its own)", opts.file, doc.HeadSHA, pr, head)
	}
	now, err := ghenv.HeadMoved(ctx, client, ev, pr, head)
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if now != "" {
		fmt.Fprintf(opts.ios.ErrOut, "orgctl: pull request #%d has moved on from %s to %s: not posting this older plan (the run for the new head posts its own)\n", pr, head, now)
		return nil
	}
	body := render.PlanMarkdown(doc.Plan, render.PlanOptions{Base: doc.Base})
	err = upsertPlanComment(opts.ios, client, pr, body)
	if errors.Is(err, ghsync.ErrDryRun) {
		return &exitError{code: exitUsage, err: err}
	}
	return err
}

// readEvent reads $GITHUB_EVENT_PATH (nil when it is not set); a file that
// cannot be read is a usage error.
func readEvent(ios *ioStreams) (*ghenv.Event, error) {
	ev, err := ghenv.ReadEvent(ios.Getenv)
	if err != nil {
		return nil, usageError("%w", err)
	}
	return ev, nil
}
