package main

import (
	"bufio"
	"fmt"

	"github.com/orgctl/orgctl/reconcile"
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
		Long: `Show who coached and mentored PERSON, and whom PERSON coached and mentored,
oldest first.

Two sources are joined. The files: the current coach and mentors with their
start dates (spec.coachSince, spec.mentors[].since) and the ended pairings
kept in spec.pastPairings. And, when the org is in a git working tree, git:
every commit that touched the org files is read (first parent, oldest
first) and the commit where each coach or mentor value appeared and
disappeared is shown. A shallow clone is said to be one, with the date
before which nothing is seen. Nothing is changed, nothing is sent.

Output formats (-o): text (default), json.

Exit codes: 0 success, 2 PERSON is in neither the files nor their git
history, a usage error or the org could not be read.`,
		Example: `  orgctl history kateryna -f examples/acme
  orgctl history kateryna -o json | jq '.pairings[] | select(.role == "coach")'`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return orgNames(cmd, schema.KindPerson, prefix)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch g.output {
			case "", "text", "json":
			default:
				return usageError("unknown output format %q: use text or json", g.output)
			}
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
	set, _, err := loadOrg(ios, opts.paths, opts.load)
	if err != nil {
		return err
	}
	warnUnreadable(ios, set)
	var people []*schema.Person
	for _, d := range set.Documents {
		if d.Person != nil {
			people = append(people, d.Person)
		}
	}
	paths := opts.paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	h, found := history.Of(name, people, paths, &schema.Loader{Exclude: opts.load.exclude}, !opts.noGit)
	if !found {
		return notFound(set, reconcile.Build(set), schema.KindPerson, name)
	}
	w := bufio.NewWriter(ios.Out)
	if g.output == "json" {
		err = render.HistoryJSON(w, h)
	} else {
		err = render.HistoryText(w, h)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the history: %w", err)}
	}
	return nil
}
