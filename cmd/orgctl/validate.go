package main

import (
	"fmt"
	"time"

	"github.com/orgctl/orgctl/internal/ghenv"
	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type validateOptions struct {
	ios    *ioStreams
	global *globalOptions
	paths  []string
	failOn string
	load   loadOptions
}

func newValidateCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &validateOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check the org against the schema and every rule",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = append(args, opts.load.paths...)
			return validateRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error or warning")
	opts.load.addFlags(cmd.Flags())
	addFilenameFlag(cmd.Flags(), &opts.load.paths)
	return cmd
}

// loadOptions are what every command that reads an org shares.
type loadOptions struct {
	// paths are -f/--filename: the org's files and directories.
	paths       []string
	maxFileSize string
	// exclude holds --exclude patterns (gitignore syntax, relative to
	// each directory loaded), added to its .orgctlignore.
	exclude []string
	today   string
	// memoryPerByte is the heap budgeted per byte of YAML (see
	// schema.BudgetMemory); 0 means schema.ReadPerByte.
	memoryPerByte float64
	// built is reconcile.LoadOptions.Built.
	built func(*reconcile.Org)
}

// addFlags adds --max-file-size and the hidden --today.
func (lo *loadOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&lo.maxFileSize, "max-file-size", "8MiB", "refuse YAML files larger than this (bytes, or with KiB/MiB)")
	f.StringArrayVar(&lo.exclude, "exclude", nil, "leave out paths matching this pattern (gitignore syntax, relative to the org directory; repeatable; adds to .orgctlignore)")
	f.StringVar(&lo.today, "today", "", "the date exemptions are checked against, YYYY-MM-DD (default: today)")
	_ = f.MarkHidden("today")
}

// parseFailOn reads --fail-on.
func parseFailOn(s string) (reconcile.Severity, error) {
	sev, err := reconcile.ParseSeverity(s)
	if err != nil || sev == reconcile.Off {
		return reconcile.Off, usageError("invalid --fail-on %q: use error or warning", s)
	}
	return sev, nil
}

// loadOrg reads and checks the org at paths, and returns the org it
// built to check (see reconcile.LoadOrg).
func loadOrg(ios *ioStreams, paths []string, lo loadOptions) (*schema.Set, reconcile.Result, *reconcile.Org, error) {
	o, err := lo.core(ios)
	if err != nil {
		return nil, reconcile.Result{}, nil, err
	}
	set, org, res, err := reconcile.LoadOrg(paths, o)
	if err != nil {
		return set, res, nil, &exitError{code: exitUsage, err: err} // the set, for -v
	}
	return set, res, org, nil
}

// core reads the flags and environment every load shares into the core's
// reconcile.LoadOptions.
func (lo loadOptions) core(ios *ioStreams) (reconcile.LoadOptions, error) {
	size, err := schema.ParseSize(lo.maxFileSize)
	if err != nil {
		return reconcile.LoadOptions{}, usageError("invalid --max-file-size: %w", err)
	}
	if lo.today != "" {
		if _, err := time.Parse("2006-01-02", lo.today); err != nil {
			return reconcile.LoadOptions{}, usageError("invalid --today %q: use YYYY-MM-DD", lo.today)
		}
	}
	mode, err := precheckMode(ios)
	if err != nil {
		return reconcile.LoadOptions{}, err
	}
	return reconcile.LoadOptions{
		MaxFileSize: size, Exclude: lo.exclude, Precheck: mode, PerByte: lo.memoryPerByte,
		Progress: func(what string) func(done, total int) { return progress(ios, what) },
		Check:    checkOptions(ios, lo),
		Built:    lo.built,
	}, nil
}

// precheckMode reads $ORGCTL_SCHEMA_PRECHECK, a developer's switch (off to
// time gojsonschema alone, audit to check the schema precheck against it on
// every document, as the tests do); unset means on.
func precheckMode(ios *ioStreams) (schema.PrecheckMode, error) {
	mode, err := schema.ParsePrecheckMode(ios.Getenv("ORGCTL_SCHEMA_PRECHECK"))
	if err != nil {
		return mode, usageError("invalid $ORGCTL_SCHEMA_PRECHECK: %w", err)
	}
	return mode, nil
}

// checkOptions fixes the day exemptions are judged against: --today, else
// $ORGCTL_TODAY (for reproducible runs), else today.
func checkOptions(ios *ioStreams, lo loadOptions) reconcile.Options {
	for _, v := range []string{lo.today, ios.Getenv("ORGCTL_TODAY")} {
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return reconcile.Options{Today: t}
		}
	}
	return reconcile.Options{}
}

func validateRun(opts *validateOptions) error {
	ios := opts.ios
	failOn, err := parseFailOn(opts.failOn)
	if err != nil {
		return err
	}
	format := opts.global.output
	opts.load.memoryPerByte = schema.ValidatePerByte
	set, res, _, err := loadOrg(ios, opts.paths, opts.load)
	if opts.global.verbose && set != nil {
		for _, s := range set.Skipped {
			fmt.Fprintf(ios.ErrOut, "%s:%d: skipped %s %s (not an orgctl document)\n", s.File, s.Pos.Line, s.APIVersion, s.Kind)
		}
	}
	if err != nil {
		return err
	}
	ro := render.Options{
		Verbose: opts.global.verbose,
		Color:   ios.colorEnabled(opts.global.noColor),
		Version: buildVersion(),
	}
	if format == "github" {
		summary, done, err := ghenv.StepSummary(ios.Getenv)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		defer done()
		ro.StepSummary = summary
	}
	if err := render.Write(format, ios.Out, res, ro); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the report: %w", err)}
	}
	if res.Fails(failOn) {
		return findingsExit()
	}
	return nil
}
