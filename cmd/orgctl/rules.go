package main

import (
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

func newRulesCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalogue: what each rule checks and why",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return render.WriteRules(g.output, ios.Out) },
	}
}
