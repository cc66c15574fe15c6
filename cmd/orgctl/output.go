package main

import (
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

// commandKey is a command's path without "orgctl ": its name in
// render's table of output formats.
func commandKey(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

// checkOutput refuses an -o value the command does not accept (exit 2),
// and sets the default when -o is not given (see render.CheckOutput).
func checkOutput(c *cobra.Command, args []string, g *globalOptions) error {
	resource := "people"
	if len(args) > 0 && reconcile.ResourceKind(args[0]) == schema.KindTeam {
		resource = "teams"
	}
	format, err := render.CheckOutput(commandKey(c), g.output, resource)
	if err != nil {
		return usageError("%w", err)
	}
	g.output = format
	return nil
}

// completeOutput offers the -o values of the command being completed.
func completeOutput(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	formats := withPrefix(render.OutputFormats(commandKey(c)), prefix)
	if len(formats) == 1 && strings.HasSuffix(formats[0], "=") {
		return formats, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
	return formats, cobra.ShellCompDirectiveNoFileComp
}

// withPrefix keeps the words that start with prefix.
func withPrefix(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}

// completeKindAndNames completes the resource type (one of kinds), then the
// names of that kind in the org that -f names.
func completeKindAndNames(kinds []string) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return withPrefix(kinds, prefix), cobra.ShellCompDirectiveNoFileComp
		}
		return orgNames(c, reconcile.ResourceKind(args[0]), prefix)
	}
}

// orgNames completes the names of a kind in the org that -f names (the
// current directory by default); none when it cannot be read.
func orgNames(c *cobra.Command, kind, prefix string) ([]string, cobra.ShellCompDirective) {
	if kind == "" {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	paths, _ := c.Flags().GetStringArray("filename")
	set, err := (&schema.Loader{}).LoadPaths(paths)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return withPrefix(reconcile.Build(set).Names(kind), prefix), cobra.ShellCompDirectiveNoFileComp
}

// completeFields offers the fields --field-selector takes, of the kind
// named by the first argument (people by default), each with "=" and "!=".
func completeFields(c *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	kind := schema.KindPerson
	if len(args) > 0 && reconcile.ResourceKind(args[0]) != "" {
		kind = reconcile.ResourceKind(args[0])
	}
	return reconcile.FieldCompletions(kind, prefix), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// registerCompletions completes what every command shares: -o everywhere,
// --role of suggest, the names suggest takes and graph's --team and
// --person.
func registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("output", completeOutput)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "suggest":
			_ = c.RegisterFlagCompletionFunc("role", cobra.FixedCompletions([]string{match.RoleCoach, match.RoleMentor}, cobra.ShellCompDirectiveNoFileComp))
			if c.ValidArgsFunction == nil {
				c.ValidArgsFunction = func(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
					return orgNames(c, schema.KindPerson, prefix)
				}
			}
		case "graph":
			_ = c.RegisterFlagCompletionFunc("team", func(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
				return orgNames(c, schema.KindTeam, prefix)
			})
			_ = c.RegisterFlagCompletionFunc("person", func(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
				return orgNames(c, schema.KindPerson, prefix)
			})
		}
	}
}
