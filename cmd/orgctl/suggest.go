package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/match"
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
	format := opts.global.output
	switch format {
	case "", "table", "text":
		format = "table"
	case "json":
	default:
		return usageError("unknown output format %q: use table or json", format)
	}
	if opts.role != match.RoleCoach && opts.role != match.RoleMentor {
		return usageError("unknown --role %q: use coach or mentor", opts.role)
	}
	if opts.role == match.RoleMentor && opts.rotate {
		return usageError("--rotate is for coaching pairings: drop --role mentor, or drop --rotate")
	}
	if opts.role == match.RoleCoach && opts.domain != "" {
		return usageError("--domain is for mentors: add --role mentor, or drop --domain")
	}
	set, res, err := loadOrg(ios, opts.paths, opts.load)
	if err != nil {
		return err
	}
	org := reconcile.Build(set)
	check := checkOptions(ios, opts.load)
	org.SetToday(check.Today) // repeat-pairing's window, as the rules judge it
	req := match.Request{Role: opts.role, Domain: opts.domain, People: opts.people, Today: pairingDay(ios, opts.load), Rotate: opts.rotate}
	out, err := match.Suggest(org, res, req)
	if errors.Is(err, match.ErrNoDomain) {
		return usageError("--role mentor needs --domain: mentoring is always in a domain (e.g. --domain kubernetes), unless people list the domains they want in spec.mentoringWanted")
	}
	if err != nil {
		return usageError("%w", err)
	}
	for _, n := range out.NotNeeded {
		fmt.Fprintf(ios.ErrOut, "%s: nothing to suggest\n", n.Why)
	}
	if len(out.Suggestions) == 0 && len(out.Unmatched) == 0 && len(opts.people) == 0 {
		what := "a coach"
		switch {
		case opts.role == match.RoleMentor && strings.TrimSpace(opts.domain) == "":
			what = "a new mentor"
		case opts.role == match.RoleMentor:
			what = "a new mentor in " + opts.domain
		case opts.rotate:
			what = "a coach or a rotation"
		}
		fmt.Fprintf(ios.ErrOut, "nobody needs %s\n", what)
	}
	if opts.write && len(out.Suggestions) > 0 {
		written, err := match.Write(set, res, org, out.Suggestions, check)
		if err != nil {
			var we *match.WriteError
			if errors.As(err, &we) {
				return writeError(we.Err, "")
			}
			return &exitError{code: exitUsage, err: err}
		}
		for _, w := range written {
			fmt.Fprintf(ios.ErrOut, "wrote %s (%s)\n", w.File, countWords(w.Edits, w.Role))
		}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("writing the suggestions: %w", err)}
		}
	default:
		suggestTable(ios.Out, ios.OutTTY, out)
		if len(out.Suggestions) > 0 {
			suggestQuality(ios.ErrOut, opts.role, out.Quality)
		}
	}
	if len(out.Unmatched) > 0 {
		return findingsExit()
	}
	return nil
}

// suggestTable writes one row per person: an aligned table with a header
// on a terminal, tab-separated values without one elsewhere.
func suggestTable(w io.Writer, tty bool, out match.Result) {
	type row struct{ person, role, cand, reasons string }
	var rows []row
	for _, s := range out.Suggestions {
		rows = append(rows, row{s.Person, s.Role, s.Candidate, strings.Join(s.Reasons, "; ")})
	}
	for _, u := range out.Unmatched {
		rows = append(rows, row{u.Person, u.Role, "-", u.Why})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return strings.Compare(a.person, b.person) })
	if !tty {
		for _, r := range rows {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.person, r.role, r.cand, r.reasons)
		}
		return
	}
	if len(rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tROLE\tCANDIDATE\tREASONS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.person, r.role, r.cand, r.reasons)
	}
	tw.Flush()
}

// suggestQuality writes the quality summary of a run, for a people team
// to judge it before sending it out.
func suggestQuality(w io.Writer, role string, q match.Quality) {
	pct := func(n int) string { return fmt.Sprintf("%d%%", (100*n+q.Pairs/2)/q.Pairs) }
	fmt.Fprintf(w, "quality of these %s:\n", countWords(q.Pairs, "suggestion"))
	if role == match.RoleCoach {
		fmt.Fprintf(w, "  mutual pairs: %d\n", q.Mutual)
	}
	var gaps []string
	for _, g := range q.LevelGaps {
		gaps = append(gaps, fmt.Sprintf("%s: %d", gapWords(g.Gap), g.Pairs))
	}
	if q.External > 0 {
		gaps = append(gaps, fmt.Sprintf("external: %d", q.External))
	}
	if q.UnknownLevel > 0 {
		gaps = append(gaps, fmt.Sprintf("level unknown: %d", q.UnknownLevel))
	}
	fmt.Fprintf(w, "  level gap (%s minus person): %s\n", role, strings.Join(gaps, ", "))
	if role == match.RoleCoach && q.Below > 0 {
		fmt.Fprintf(w, "  below %s, coached from above: %d of %d\n", q.CoachFromAbove, q.FromAbove, q.Below)
	}
	fmt.Fprintf(w, "  same division: %d (%s), same team: %d\n", q.SameDivision, pct(q.SameDivision), q.SameTeam)
	var loads []string
	for _, l := range q.Load {
		loads = append(loads, fmt.Sprintf("%d with %d", l.Candidates, l.Load))
	}
	capacity := ""
	if q.Capacity >= 0 {
		capacity = fmt.Sprintf(", capacity %d", q.Capacity)
	}
	fmt.Fprintf(w, "  load after this run: %s (max %d%s)\n", strings.Join(loads, ", "), q.MaxLoad, capacity)
}

// countWords says "1 coach", "3 coaches", "2 mentors".
func countWords(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// gapWords writes a level gap as "+2", "0", "-1".
func gapWords(g int) string {
	if g == 0 {
		return "0"
	}
	return fmt.Sprintf("%+d", g)
}

// pairingDay is the day a pairing orgctl proposes starts: --today (or
// ORGCTL_TODAY), else today.
func pairingDay(ios *ioStreams, lo loadOptions) time.Time {
	if t := checkOptions(ios, lo).Today; !t.IsZero() {
		return t
	}
	return time.Now()
}
