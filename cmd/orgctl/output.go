package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

// outputs is the one table of which -o values each command accepts, the
// default first, checked once before any command runs (checkOutput) and
// offered by shell completion. A command with no formats refuses -o and
// says why; a command not in the table checks -o itself.
var outputs = map[string]struct {
	formats []string
	why     string // for a refusal: what the command writes instead
}{
	"validate":              {formats: render.Formats},
	"plan":                  {formats: []string{"text", "json", "markdown"}},
	"apply":                 {formats: []string{"text", "json"}},
	"comment":               {why: "comment posts Markdown on the pull request and prints no report, so -o is not supported: drop it"},
	"suggest":               {formats: []string{"table", "json"}},
	"get":                   {formats: append(append([]string{}, render.GetFormats...), render.CustomColumnsPrefix)},
	"describe":              {formats: []string{"text"}, why: "describe writes text only: for %[1]s, use orgctl get %[2]s NAME -o %[1]s"},
	"graph":                 {formats: render.GraphFormats},
	"rules":                 {formats: render.RuleFormats},
	"schema":                {formats: []string{"json"}, why: "schema writes json only (drop -o, or use -o json)"},
	"import":                {why: "import has no output formats: run orgctl import csv FILE"},
	"import csv":            {why: "import csv writes YAML files under --out, so -o is not supported: drop it"},
	"init":                  {formats: []string{"text"}, why: "init prints text only: drop -o %[1]s"},
	"version":               {formats: []string{"text", "json"}},
	"report":                {formats: []string{"text", "json", "markdown", "html"}},
	"history":               {formats: []string{"text", "json"}},
	"consent":               {formats: render.ConsentFormats},
	"help":                  {why: "help writes text only, so -o is not supported: drop it"},
	"completion":            {why: "completion writes a shell script only, so -o is not supported: drop it"},
	"completion bash":       {why: "completion writes a bash script only, so -o is not supported: drop it"},
	"completion zsh":        {why: "completion writes a zsh script only, so -o is not supported: drop it"},
	"completion fish":       {why: "completion writes a fish script only, so -o is not supported: drop it"},
	"completion powershell": {why: "completion writes a powershell script only, so -o is not supported: drop it"},
}

// commandKey is a command's path without "orgctl ": its key in outputs.
func commandKey(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

// checkOutput refuses an -o value the command does not accept (exit 2),
// and sets the default when -o is not given; "md" is markdown and "text"
// a table where a command writes tables.
func checkOutput(c *cobra.Command, args []string, g *globalOptions) error {
	entry, ok := outputs[commandKey(c)]
	if !ok {
		return nil
	}
	for alias, format := range map[string]string{"md": "markdown", "text": "table"} {
		if g.output == alias && slices.Contains(entry.formats, format) && !slices.Contains(entry.formats, alias) {
			g.output = format
		}
	}
	if g.output == "" {
		if len(entry.formats) > 0 {
			g.output = entry.formats[0]
		}
		return nil
	}
	if slices.Contains(entry.formats, g.output) ||
		slices.Contains(entry.formats, render.CustomColumnsPrefix) && strings.HasPrefix(g.output, render.CustomColumnsPrefix) {
		return nil
	}
	if entry.why != "" {
		resource := "people"
		if len(args) > 0 && reconcile.ResourceKind(args[0]) == schema.KindTeam {
			resource = "teams"
		}
		why := entry.why
		if strings.Contains(why, "%[") {
			why = fmt.Sprintf(why, g.output, resource)
		}
		return usageError("unknown output format %q: %s", g.output, why)
	}
	shown := slices.Clone(entry.formats)
	if i := slices.Index(shown, render.CustomColumnsPrefix); i >= 0 {
		shown[i] += "SPEC"
	}
	return usageError("unknown output format %q: use %s", g.output, oneOf(shown))
}

// oneOf writes "a, b or c".
func oneOf(l []string) string {
	if len(l) == 1 {
		return l[0]
	}
	return strings.Join(l[:len(l)-1], ", ") + " or " + l[len(l)-1]
}

// completeOutput offers the -o values of the command being completed.
func completeOutput(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	formats := withPrefix(outputs[commandKey(c)].formats, prefix)
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
