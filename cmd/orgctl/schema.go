package main

import (
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

func newSchemaCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of orgctl documents",
		Long: `Print the JSON Schema (draft-07) that every Person, Team and Policy
document is checked against. Editors can use it for completion: the file is
also at schema/orgctl.schema.json in orgctl's repository. Output: json only
(-o json is accepted; any other -o is refused).`,
		Example: `  orgctl schema > orgctl.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := ios.Out.Write(schema.JSON)
			return err
		},
	}
}
