package main

import (
	"bytes"
	"fmt"

	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

type graphCmdOptions struct {
	ios    *ioStreams
	global *globalOptions
	team   string
	person string
	depth  int
	load   loadOptions
}

func newGraphCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &graphCmdOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "graph [--team TEAM | --person PERSON [--depth N]]",
		Short: "Draw the org chart as Mermaid or Graphviz DOT",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.team != "" && opts.person != "" {
				return usageError("--team and --person draw different graphs: use one of them")
			}
			if cmd.Flags().Changed("depth") && opts.person == "" {
				return usageError("--depth counts hops from --person: add --person NAME")
			}
			return graphRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.team, "team", "", "draw only this team and its sub-teams")
	f.StringVar(&opts.person, "person", "", "draw only the people around this person (see --depth)")
	f.IntVar(&opts.depth, "depth", 1, "with --person: how many hops away people are still drawn")
	addFilenameFlag(f, &opts.load.paths)
	opts.load.addFlags(f)
	return cmd
}

func graphRun(opts *graphCmdOptions) error {
	ios := opts.ios
	format := opts.global.output
	if opts.depth < 0 {
		return usageError("invalid --depth %d: use 0 (just the person) or more", opts.depth)
	}
	set, res, o, err := loadView(ios, opts.load)
	if err != nil {
		return err
	}
	switch {
	case opts.team != "" && o.Team(opts.team) == nil:
		return notFound(set, o, schema.KindTeam, opts.team)
	case opts.person != "" && o.Person(opts.person) == nil:
		return notFound(set, o, schema.KindPerson, opts.person)
	}
	g, err := render.BuildGraph(o, res.Reported(opts.global.verbose), render.GraphOptions{Team: opts.team, Person: opts.person, Depth: opts.depth})
	if err != nil {
		return usageError("%w", err)
	}
	var b bytes.Buffer
	if err := render.WriteGraph(format, &b, g); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the graph: %w", err)}
	}
	for _, w := range render.GraphWarnings(format, g, b.Len()) {
		warn(ios)(w)
	}
	if _, err := ios.Out.Write(b.Bytes()); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the graph: %w", err)}
	}
	return nil
}
