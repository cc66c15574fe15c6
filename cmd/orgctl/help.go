package main

import (
	"embed"
	"strings"

	"github.com/spf13/cobra"
)

// helpFiles hold every command's long help and examples, one file per
// command named after its path without "orgctl" ("import-csv.txt" for
// orgctl import csv, "orgctl.txt" for the root): the text before the
// "-- example --" line is the Long help (none keeps cobra's own, as for
// completion and help), the text after it the Example.
//
//go:embed help/*.txt
var helpFiles embed.FS

// exampleMark separates a help file's Long help from its examples.
const exampleMark = "-- example --\n"

// helpFile is the help file of c.
func helpFile(c *cobra.Command) string {
	name := "orgctl"
	if c.HasParent() {
		name = strings.ReplaceAll(strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "), " ", "-")
	}
	return "help/" + name + ".txt"
}

// applyHelp sets the Long help and the Example of c and every command
// under it from their help files. A command without one keeps what it has
// (TestEveryCommandHasAHelpFile makes sure there is none).
func applyHelp(c *cobra.Command) {
	if b, err := helpFiles.ReadFile(helpFile(c)); err == nil {
		long, example, _ := strings.Cut("\n"+string(b), "\n"+exampleMark)
		if long = strings.TrimPrefix(long, "\n"); long != "" {
			c.Long = long
		}
		c.Example = strings.TrimSuffix(example, "\n")
	}
	for _, sub := range c.Commands() {
		applyHelp(sub)
	}
}
