package main

import (
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

func newRulesCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalogue: what each rule checks and why",
		Long: `List every rule orgctl checks, with its default severity, when it fires,
why it matters, how to fix it, and the form of its fingerprint.

A Policy can change a rule's severity (error, warning or off) and its
parameters under spec.rules, and exempt a person from a rule under
spec.exemptions.

Output formats (-o): text (default), json, markdown (the rules reference).`,
		Example: `  orgctl rules
  orgctl rules -o markdown > docs/rules.md
  orgctl rules -o json | jq -r '.[] | select(.severity == "error") | .id'`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return render.WriteRules(g.output, ios.Out) },
	}
}
