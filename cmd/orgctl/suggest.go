package main

import (
	"errors"
	"time"

	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/spf13/cobra"
)

type suggestCmdOptions struct {
	ios    *ioStreams
	global *globalOptions
	people []string
	role   string
	domain string
	write  bool
	rotate bool
	paths  []string
	load   loadOptions
}

func newSuggestCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &suggestCmdOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "suggest [PERSON...]",
		Short: "Find the right coach or mentor for people who need one",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.people = args
			return suggestRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.role, "role", match.RoleCoach, "what to find: coach or mentor")
	f.StringVar(&opts.domain, "domain", "", "the mentoring domain (required with --role mentor)")
	f.BoolVar(&opts.write, "write", false, "write the suggestions into the YAML files, in place")
	f.BoolVar(&opts.rotate, "rotate", false, "also propose successors for coaching pairings due to rotate (Policy coaching.rotateAfterMonths)")
	f.StringArrayVarP(&opts.paths, "filename", "f", nil, "file or directory holding the org (repeatable; default: the current directory)")
	opts.load.addFlags(f)
	return cmd
}

func suggestRun(opts *suggestCmdOptions) error {
	ios := opts.ios
	req := match.Request{Role: opts.role, Domain: opts.domain, People: opts.people, Rotate: opts.rotate}
	if err := req.Check(); err != nil {
		return usageError("%w", err)
	}
	// The matcher works with the whole org alive: a larger heap budget
	// than validate's keeps the collector from running all the time.
	opts.load.memoryPerByte = match.SuggestPerByte
	set, res, org, err := loadOrg(ios, opts.paths, opts.load)
	if err != nil {
		return err
	}
	check := checkOptions(ios, opts.load)
	org.SetToday(check.Today) // repeat-pairing's window, as the rules judge it
	req.Today = pairingDay(ios, opts.load)
	out, err := match.Suggest(org, res, req)
	if errors.Is(err, match.ErrNoDomain) {
		return usageError("--role mentor needs --domain: mentoring is always in a domain (e.g. --domain kubernetes), unless people list the domains they want in spec.mentoringWanted")
	}
	if err != nil {
		return usageError("%w", err)
	}
	render.SuggestNotes(ios.ErrOut, req, out)
	if opts.write && len(out.Suggestions) > 0 {
		written, err := match.Write(set, res, org, out.Suggestions, check)
		if err != nil {
			var we *match.WriteError
			if errors.As(err, &we) {
				return writeError(we.Err, "")
			}
			return &exitError{code: exitUsage, err: err}
		}
		render.SuggestWritten(ios.ErrOut, written)
	}
	if opts.global.output == "json" {
		if err := render.SuggestJSON(ios.Out, out); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	} else {
		render.SuggestTable(ios.Out, ios.OutTTY, out)
		if len(out.Suggestions) > 0 {
			render.SuggestQuality(ios.ErrOut, opts.role, out.Quality)
		}
	}
	if len(out.Unmatched) > 0 {
		return findingsExit()
	}
	return nil
}

// pairingDay is the day a pairing orgctl proposes starts: --today (or
// ORGCTL_TODAY), else today.
func pairingDay(ios *ioStreams, lo loadOptions) time.Time {
	if t := checkOptions(ios, lo).Today; !t.IsZero() {
		return t
	}
	return time.Now()
}
