package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

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
	doc, err := readPlanFile(opts.file)
	if err != nil {
		return err
	}
	client, err := newGitHubClient(opts.ios, opts.global, nil, false)
	if err != nil {
		return err
	}
	defer reportUsage(opts.ios, client)
	ctx := opts.ios.context()
	pr, head, err := commentTarget(ctx, opts.ios, client, opts.pr)
	if err != nil {
		return err
	}
	if doc.HeadSHA != head {
		return usageError("%s is a plan of commit %s, but pull request #%d is at %s: orgctl posts only a plan of the pull request's head commit (a newer run will post its own)", opts.file, doc.HeadSHA, pr, head)
	}
	if ev, _ := readEvent(opts.ios); ev != nil && ev.WorkflowRun != nil {
		// Runs can finish out of order: never let the plan of an older
		// commit replace the plan of the pull request's current head.
		now, err := client.PullHead(ctx, pr)
		if err != nil {
			return &exitError{code: exitFindings, err: err}
		}
		if !strings.EqualFold(now, head) {
			fmt.Fprintf(opts.ios.ErrOut, "orgctl: pull request #%d has moved on from %s to %s: not posting this older plan (the run for the new head posts its own)\n", pr, head, now)
			return nil
		}
	}
	body := render.PlanMarkdown(doc.Plan, render.PlanOptions{Base: doc.Base})
	err = upsertPlanComment(opts.ios, client, pr, body)
	if errors.Is(err, ghsync.ErrDryRun) {
		return &exitError{code: exitUsage, err: err}
	}
	return err
}

// readPlanFile reads a plan document from a regular file, strictly.
func readPlanFile(path string) (render.PlanDocument, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return render.PlanDocument{}, &exitError{code: exitUsage, err: fmt.Errorf("reading the plan: %w", err)}
	}
	if !st.Mode().IsRegular() {
		return render.PlanDocument{}, usageError("%s is not a regular file: pass the plan written by orgctl plan -o json", path)
	}
	if st.Size() > render.MaxPlanFile {
		return render.PlanDocument{}, usageError("%s is not an orgctl plan: larger than %d MiB; write it with orgctl plan -o json", path, render.MaxPlanFile>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return render.PlanDocument{}, &exitError{code: exitUsage, err: fmt.Errorf("reading the plan: %w", err)}
	}
	defer f.Close()
	doc, err := render.ReadPlanDocument(f)
	if err != nil {
		return render.PlanDocument{}, usageError("%s: %w; orgctl comment posts only a plan written by orgctl plan -o json (never Markdown)", path, err)
	}
	return doc, nil
}

// commentTarget names the pull request to comment on and the commit its
// plan must be of, from trusted sources only: --pr, the workflow's event
// file (written by GitHub), and GitHub's API.
func commentTarget(ctx context.Context, ios *ioStreams, client *ghsync.Client, flag int) (int, string, error) {
	ev, err := readEvent(ios)
	if err != nil {
		return 0, "", err
	}
	switch {
	case ev != nil && ev.WorkflowRun != nil:
		run := ev.WorkflowRun
		head := strings.ToLower(run.HeadSHA)
		if !ghenv.FullSHA.MatchString(head) {
			return 0, "", usageError("the workflow_run event carries no head commit: pass --pr N outside a workflow_run job")
		}
		if flag > 0 {
			return flag, head, nil
		}
		for _, pr := range run.PullRequests {
			if strings.EqualFold(pr.Head.SHA, head) && pr.Number > 0 {
				return pr.Number, head, nil
			}
		}
		// A pull request from a fork: the event names none, so ask
		// GitHub which open pull request has this head.
		if run.HeadRepository != nil && run.HeadRepository.Owner.Login != "" && run.HeadBranch != "" {
			n, err := client.FindPull(ctx, run.HeadRepository.Owner.Login, run.HeadBranch, head)
			if err != nil {
				return 0, "", &exitError{code: exitFindings, err: err}
			}
			if n > 0 {
				return n, head, nil
			}
		}
		return 0, "", usageError("no open pull request of %s has head commit %s (it may have moved on or closed): nothing to comment on", client.Repo(), head)
	case ev != nil && ev.PullRequest != nil && (flag == 0 || flag == ev.PullRequest.Number):
		head := strings.ToLower(ev.PullRequest.Head.SHA)
		if ev.PullRequest.Number > 0 && ghenv.FullSHA.MatchString(head) {
			return ev.PullRequest.Number, head, nil
		}
		// An event without the head commit: ask GitHub below.
		flag = ev.PullRequest.Number
	}
	if flag == 0 {
		return 0, "", usageError("which pull request? pass --pr N (in a workflow_run or pull_request job, orgctl reads it from $GITHUB_EVENT_PATH)")
	}
	head, err := client.PullHead(ctx, flag)
	if err != nil {
		return 0, "", &exitError{code: exitFindings, err: err}
	}
	return flag, strings.ToLower(head), nil
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
