package main

import (
	"github.com/orgctl/orgctl/reconcile/history"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

type historyOptions struct {
	paths []string
	noGit bool
	load  loadOptions
}

func newHistoryCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &historyOptions{}
	cmd := &cobra.Command{
		Use:   "history PERSON",
		Short: "Show a person's coaching and mentoring pairings over time",
		Args:  cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return orgNames(cmd, schema.KindPerson, prefix)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return historyRun(ios, g, opts, args[0])
		},
	}
	f := cmd.Flags()
	addFilenameFlag(f, &opts.paths)
	f.BoolVar(&opts.noGit, "no-git", false, "read the files only, not their git history")
	opts.load.addFlags(f)
	return cmd
}

func historyRun(ios *ioStreams, g *globalOptions, opts *historyOptions, name string) error {
	set, _, org, err := loadOrg(ios, opts.paths, opts.load)
	if err != nil {
		return err
	}
	warnUnreadable(ios, set)
	h, found := history.OfSet(name, set, opts.paths, &schema.Loader{Exclude: opts.load.exclude}, !opts.noGit)
	if !found {
		return notFound(set, org, schema.KindPerson, name)
	}
	if err := render.WriteHistory(g.output, ios.Out, h); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return nil
}
