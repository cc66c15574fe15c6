package main

import (
	"fmt"

	"github.com/orgctl/orgctl/examples/scaffold"
	"github.com/orgctl/orgctl/schema/safewrite"
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
		Long: `Create a working org repository in DIR (default: the current directory,
created when missing):

  policy.yaml                            levels, roots, GitHub and rule settings
  teams.yaml                             one example team, platform
  people/platform.yaml                   its manager and an engineer
  people/coaches.yaml                    an external coach for both
  .github/workflows/orgctl-pr.yaml       validate and plan every pull request
  .github/workflows/orgctl-comment.yaml  post the plan as a sticky comment (fork-safe)
  .github/workflows/orgctl-apply.yaml    reconcile GitHub issues on push to main
  README.md                              what these files are, what to do next

The example org validates with no findings. Every YAML document starts with
a yaml-language-server modeline, so editors with the YAML extension complete
and check fields as you type.

init never overwrites: a file that already exists is skipped and reported,
so running it again, or in an existing repository, changes nothing that is
there. It never writes outside DIR or through a symlink: a symlink where a
file or directory would go is refused, by name, and then nothing is
written. Each file is written whole (a temporary file renamed into place),
and a failed run leaves DIR as it was. When DIR already declares people (written by 'orgctl import csv',
say), init adds no example team and lists the people who have no manager
as the Policy's roots. --repo OWNER/NAME is written to
Policy.spec.github.repo.`,
		Example: `  # a new org repository
  orgctl init my-org
  cd my-org && orgctl validate

  # add the workflows (and any other missing file) to an existing org repository
  cd people-repo && orgctl init

  # start from an HR export, then add the policy and the workflows
  orgctl import csv hr-export.csv --out my-org && orgctl init my-org

  # record where apply opens issues
  orgctl init my-org --repo acme/people`,
		Args: cobra.MaximumNArgs(1),
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
	targets := make([]safewrite.File, len(files))
	for i, f := range files {
		targets[i] = safewrite.File{Dir: opts.dir, Path: f.Path, Data: f.Data}
	}
	plan, err := safewrite.Write(targets, safewrite.Skip)
	if err != nil {
		return writeError(err, "")
	}
	created := 0
	for _, p := range plan {
		if p.Action == safewrite.Keep {
			fmt.Fprintf(ios.Out, "skipped %s: already exists\n", p.Path)
			continue
		}
		created++
		fmt.Fprintf(ios.Out, "created %s\n", p.Path)
	}
	fmt.Fprintln(ios.Out)
	if created == 0 {
		fmt.Fprintln(ios.Out, "Nothing to do: every file is already there.")
	} else {
		fmt.Fprintf(ios.Out, "Created %d of %d files.\n", created, len(files))
	}
	fmt.Fprint(ios.Out, scaffold.NextSteps(opts.dir))
	return nil
}
