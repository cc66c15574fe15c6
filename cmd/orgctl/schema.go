package main

import (
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

func newSchemaCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of orgctl documents",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := ios.Out.Write(schema.JSON)
			return err
		},
	}
}
