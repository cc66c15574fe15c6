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
		Use:   "describe (person|team) NAME...",
		Short: "Show everything about a person or a team",
		Long: `Show one person or team in detail, as kubectl describe does.

A person: name, display name, labels, GitHub login, team, level, expertise,
status, whether they are external; their effective manager (and the team
it comes from when spec.manager is unset); the chain of managers up to the
root; their coach and mentors (person (domain)); the people they coach,
mentor and manage; the findings about them (those whose subject they are,
and those that name them as the manager, coach or mentor at fault; exempt
ones only with -v); and the file and line that declare them. Email is
private and never shown.

A team: display name, labels, parent, manager (or where its members' manager
comes from when it has none), members, sub-teams, the chain of parents up
to the top, findings and source.

The org is read from -f (files or directories, repeatable; default: the
current directory).

Exit codes: 0 success, 2 a NAME was not found, a usage error or the org
could not be read.`,
		Example: `  # eva's manager, coach, chain to the CEO and findings
  orgctl describe person eva

  # the platform team of the bundled example
  orgctl describe team platform -f examples/acme

  # also the findings an exemption hides
  orgctl describe person eva -v`,
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
