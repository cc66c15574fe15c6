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
		Long: `Propose a coach for everyone who has none (missing-coach) or whose coach
breaks a rule at error severity (the coach is their manager, has departed,
...). With --rotate, also a successor for every coaching pairing due to
rotate: coachSince at least the Policy's coaching.rotateAfterMonths before
--today.

With --role mentor --domain D, a mentor in D for the people named (or for
everyone whose mentor in D has departed or who lists D in
spec.mentoringWanted); with --role mentor alone, a mentor in every domain
people list in spec.mentoringWanted and have no mentor in. All domains are
one assignment.

A candidate is anyone active, external coaches included, whose pairing
breaks no rule at error severity and who has coaching capacity left (their
own coaching.capacity, else coach-capacity max, counting current coachees;
someone who is re-assigned frees their old coach's slot); never someone
with coaching.willing: false. A mentor must have the domain in their
expertise, be more senior, and be neither the manager nor the coach. Never
proposed, whatever the rules' severities: a pair listed in the Policy's
doNotPair, a past coach (or mentor in the domain) whose pairing ended less
than coaching.noRepeatMonths (default 24) before --today, or the coach
being replaced.

Suggestions are one global assignment, not first come first served: as
many people as possible get someone, then the matches are the best overall.
Best means, in this order: raises no warning; for people below the Policy's
coaching.coachFromAbove (default senior), someone more senior (peers coach
each other only from that level up); outside the person's reporting line;
from the senior people first; outside the person's top-level division where
capacity allows; the load spread (every extra coachee costs more). Never a
mutual pair (A coaches B and B coaches A). Equal inputs give equal
suggestions; ties are settled by a hash of the pair, never by name.

A summary of the run's quality goes to stderr (mutual pairs, level gaps,
juniors coached from above, same-division share, load); -o json has it as
"quality".

--write edits the YAML in place and changes only the lines it must: it
replaces the value of an existing coach field on its line, or adds one line
"coach: NAME" after the last field of the person's spec (", coach: NAME"
before the closing brace of a flow-style spec); mentors are appended to
spec.mentors. The pairing starts --today (default: today): coachSince (a
mentor's since) is set to it, and a coach or mentor who is replaced moves
to spec.pastPairings (from their old start, until --today). Comments,
order, indentation, quoting and line endings stay.
Each file is parsed once and gets all its edits together; stderr says how
many per file.
Every edit is checked first: the edited org is validated in memory and
nothing is written if it would add a parse, schema or error finding. Files
are replaced atomically, all or none; a file that is a symlink, or sits
below a symlinked directory of the org, is refused by name and nothing is
written. Running it again changes nothing.

Output formats (-o): table (default; tab-separated without a header when
not on a terminal), json ({"suggestions":[...],"unmatched":[...],"quality":{...}}).

Exit codes: 0 everyone who needs one got a suggestion, 1 someone is left
without one, 2 a NAME that is not in the org, a usage or load failure, or
an edit that could not be made.`,
		Example: `  # who should coach the people who have no coach?
  orgctl suggest

  # only for alice and bob, and write the result into the YAML
  orgctl suggest alice bob --write

  # a Kubernetes mentor for dave, in the org under ./org
  orgctl suggest dave --role mentor --domain kubernetes -f org

  # mentors for everything people ask for in spec.mentoringWanted
  orgctl suggest --role mentor

  # successors for the coaching pairings due to rotate, written in
  orgctl suggest --rotate --write

  orgctl suggest -o json | jq -r '.unmatched[] | "\(.person): \(.why)"'`,
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
