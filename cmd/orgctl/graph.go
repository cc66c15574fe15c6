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
		Long: `Draw who manages, coaches and mentors whom: every person in a box of
their team (boxes nest as the teams do), with

  manager edges   solid, from the effective manager to the report
  coach edges     dashed, from the coach to the coachee
  mentor edges    dotted, from the mentor to the mentee, labelled with
                  the domain

People with findings have a red border and say how many (exempt findings
count only with -v), departed people are grey, external people have a
dashed border. The output is the same for the same org, line for line.

--team keeps the members of the team and of its sub-teams and the edges
among them. --person keeps the people within --depth hops (default 1) of
the person along any edge, in either direction.

Output formats (-o):
  mermaid  a Mermaid flowchart (default): paste it into a Markdown file in
           a mermaid code block (GitHub draws it), or render it with mmdc
  dot      a Graphviz digraph: dot -Tsvg org.dot > org.svg

Mermaid with its default settings draws at most 500 edges and 50,000
characters (orgctl warns above that); for a large org, draw a team or the
people around someone.

The org is read from -f (files or directories, repeatable; default: the
current directory).

Exit codes: 0 success, 2 the team or person was not found, a usage error
or the org could not be read.`,
		Example: `  # the whole org, as Mermaid
  orgctl graph > org.mmd

  # the engineering teams of the bundled example, as an SVG
  orgctl graph -f examples/acme --team engineering -o dot | dot -Tsvg > engineering.svg

  # eva and everyone two steps away from her
  orgctl graph --person eva --depth 2`,
		Args: cobra.NoArgs,
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
	if len(g.Nodes) == 0 {
		fmt.Fprintln(ios.ErrOut, "warning: nobody to draw")
	}
	var b bytes.Buffer
	if err := render.WriteGraph(format, &b, g); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the graph: %w", err)}
	}
	if format == "mermaid" && (len(g.Edges) > mermaidMaxEdges || b.Len() > mermaidMaxTextSize) {
		fmt.Fprintf(ios.ErrOut, "warning: %d edges and %d characters: Mermaid with its default settings draws at most %d edges and %d characters; draw a --team or the people around a --person instead\n",
			len(g.Edges), b.Len(), mermaidMaxEdges, mermaidMaxTextSize)
	}
	if _, err := ios.Out.Write(b.Bytes()); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the graph: %w", err)}
	}
	return nil
}

// Mermaid's default maxEdges and maxTextSize: above them, a renderer with
// default settings shows an error instead of the diagram.
const (
	mermaidMaxEdges    = 500
	mermaidMaxTextSize = 50000
)
