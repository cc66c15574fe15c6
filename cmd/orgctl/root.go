package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orgctl/orgctl/internal/buildinfo"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// commit is the git commit a release was built from, set by -ldflags
// "-X main.commit=..." (.ci/release, make build); empty otherwise, when
// the commit Go recorded from the checkout (if any) is used.
var commit = ""

// buildVersion is orgctl's version (see buildinfo.Read).
func buildVersion() string { return buildinfo.Read(version, commit).Version }

// globalOptions are the flags every command shares.
type globalOptions struct {
	output  string
	verbose bool
	noColor bool
	repo    string
	// maxWait is --max-wait of the commands that talk to GitHub.
	maxWait time.Duration
	// botLogin is the login orgctl writes as on GitHub (--bot-login).
	botLogin string
	// cacheDir and noCache are --cache-dir and --no-cache: where GitHub's
	// answers are kept for conditional requests.
	cacheDir string
	noCache  bool
}

func newRootCmd(ios *ioStreams) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:           "orgctl",
		Short:         "Who manages, mentors and coaches whom, as code",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
	}
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetIn(ios.In)
	pf := root.PersistentFlags()
	pf.StringVarP(&g.output, "output", "o", "", "output format (each command lists its formats)")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "also show exempt findings and skipped documents")
	pf.BoolVar(&g.noColor, "no-color", false, "never colour the output (also: NO_COLOR=1)")
	pf.StringVar(&g.repo, "repo", "", "GitHub repository OWNER/NAME (default: Policy.spec.github.repo, then GITHUB_REPOSITORY)")
	pf.StringVar(&g.botLogin, "bot-login", "", "GitHub login orgctl writes as (default: $ORGCTL_BOT_LOGIN, else asked of GitHub: GET /user, then GraphQL's viewer for an app token)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%w\nrun '%s --help' for usage", err, c.CommandPath())
	})
	root.AddCommand(
		newInitCmd(ios, g),
		newValidateCmd(ios, g),
		newPlanCmd(ios, g),
		newApplyCmd(ios, g),
		newCommentCmd(ios, g),
		newConsentCmd(ios, g),
		newSuggestCmd(ios, g),
		newGetCmd(ios, g),
		newDescribeCmd(ios, g),
		newGraphCmd(ios, g),
		newReportCmd(ios, g),
		newHistoryCmd(ios, g),
		newRulesCmd(ios, g),
		newSchemaCmd(ios, g),
		newImportCmd(ios, g),
		newVersionCmd(ios, g),
	)
	// cobra adds completion and help only when it runs: add them now so that
	// their --help shows examples like every other command.
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	applyHelp(root)
	registerCompletions(root)
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error { return checkOutput(c, args, g) }
	return root
}

// run executes orgctl with args and returns the exit code.
func run(args []string, ios *ioStreams) int {
	ios, flush := ios.scrubbed()
	defer flush()
	// Ctrl-C (or SIGTERM) cancels the run's context: waits stop and nothing
	// more is sent. A second Ctrl-C kills the process as usual.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	ios.ctx = ctx
	root := newRootCmd(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		if msg := errorText(err); msg != "" {
			fmt.Fprintln(ios.ErrOut, msg)
		}
		var ee *exitError
		if !errors.As(err, &ee) {
			// cobra's own errors (unknown command, bad args) are usage errors.
			return exitUsage
		}
	}
	return exitCode(err)
}

func newVersionCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print orgctl's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return render.WriteVersion(g.output, ios.Out, buildinfo.Read(version, commit))
		},
	}
}
