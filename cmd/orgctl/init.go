package main

import (
	"fmt"

	"github.com/orgctl/orgctl/examples/scaffold"
	"github.com/spf13/cobra"
)

type initOptions struct {
	ios    *ioStreams
	global *globalOptions
	dir    string
}

func newInitCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &initOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Scaffold an org repository: policy, an example team, workflows",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = "."
			if len(args) == 1 {
				opts.dir = args[0]
			}
			return initRun(opts)
		},
	}
	return cmd
}

func initRun(opts *initOptions) error {
	ios := opts.ios
	if opts.global.repo != "" && !scaffold.ValidRepo(opts.global.repo) {
		return usageError("--repo %q is not OWNER/NAME: pass it as it appears in the repository's URL, e.g. acme/people", opts.global.repo)
	}
	files, people, err := scaffold.Files(opts.dir, opts.global.repo)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if people > 0 {
		fmt.Fprintf(ios.Out, "skipped the example team and people: %s already declares %s\n", opts.dir, plural(people, "person", "people"))
	}
	plan, err := scaffold.Write(opts.dir, files)
	if err != nil {
		return writeError(err, "")
	}
	scaffold.WriteReport(ios.Out, opts.dir, plan, len(files))
	return nil
}
