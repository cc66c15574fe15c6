package main

import (
	"fmt"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

func newDescribeCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	var load loadOptions
	cmd := &cobra.Command{
		Use:               "describe (person|team) NAME...",
		Short:             "Show everything about a person or a team",
		ValidArgsFunction: completeKindAndNames([]string{"person", "team"}),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name what to describe: orgctl describe person NAME, or orgctl describe team NAME")
			}
			kind, err := resourceKind(args[0])
			if err != nil {
				return err
			}
			if len(args) == 1 {
				word := reconcile.ResourceWord(kind)
				return usageError("name the %s to describe: orgctl describe %s NAME (orgctl get %s lists them)", word, word, reconcile.ResourcePlural(kind))
			}
			set, res, o, err := loadView(ios, load)
			if err != nil {
				return err
			}
			names, missing := pickNames(set, o, kind, args[1:])
			ov := reconcile.NewOrgView(o, render.IndexFindings(o, res.Reported(g.verbose)))
			if err := render.Describe(ios.Out, ov, render.IndexFindings(o, res.Findings), kind, names, g.verbose); err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("writing the description: %w", err)}
			}
			return missing
		},
	}
	load.addFlags(cmd.Flags())
	addFilenameFlag(cmd.Flags(), &load.paths)
	return cmd
}
