package main

import (
	"time"

	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/reconcile/report"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	ios    *ioStreams
	global *globalOptions
	paths  []string
	since  string
	load   loadOptions
}

func newReportCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &reportOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "report [-f DIR] [-o text|json|markdown|html] [--today YYYY-MM-DD] [--since YYYY-MM]",
		Short: "Measure the coaching programme: coverage, load, level gaps, rotations, trend",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return reportRun(opts) },
	}
	f := cmd.Flags()
	addFilenameFlag(f, &opts.paths)
	opts.load.addFlags(f)
	f.Lookup("today").Hidden = false
	f.Lookup("today").Usage = "the day rotations are judged against and the trend ends, YYYY-MM-DD (default: today)"
	f.StringVar(&opts.since, "since", "", "the first month of the trend, YYYY-MM (default: 11 months before --today; at most 24 months)")
	return cmd
}

func reportRun(opts *reportOptions) error {
	set, _, org, err := loadOrg(opts.ios, opts.paths, opts.load) // checks --today too
	if err != nil {
		return err
	}
	warnUnreadable(opts.ios, set)
	today := checkOptions(opts.ios, opts.load).Today
	if today.IsZero() {
		today = time.Now().UTC()
	}
	months, err := report.Months(opts.since, today)
	if err != nil {
		return usageError("%w", err)
	}
	r := report.Compute(org, report.Options{Today: today})
	r.Trend = report.TrendOf(opts.paths, &schema.Loader{Exclude: opts.load.exclude}, today, months)
	return render.Report(opts.ios.Out, r, opts.global.output)
}
