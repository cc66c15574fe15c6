package main

import (
	"fmt"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type getOptions struct {
	ios                     *ioStreams
	global                  *globalOptions
	selector, fieldSelector string
	noHeaders               bool
	load                    loadOptions
}

func newGetCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &getOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "get (people|teams) [NAME...]",
		Short: "List people or teams with their effective manager and coach",
		Long: `List the people or the teams of the org, one line each, sorted by name;
with NAMEs, just those (in the order given). Everything shown is effective:
the manager of a person is spec.manager or, when unset, the manager their
team gives them.

Columns:
  people  NAME, TEAM, LEVEL, MANAGER (effective), COACH, STATUS;
          -o wide adds GITHUB, MENTORS (person (domain), ...) and FINDINGS
          (how many findings are about the person, exempt ones only with -v)
  teams   NAME, PARENT, MANAGER, MEMBERS (people whose spec.team is the
          team, departed people left out); -o wide adds DISPLAY NAME,
          SUB-TEAMS and FINDINGS

Output formats (-o):
  table   an aligned table with a header on a terminal (--no-headers
          leaves it out); tab-separated values without a header when
          piped (default)
  wide    the table with more columns
  yaml    the documents as orgctl YAML, as they would be written in the
          org (email is private and never shown)
  json    {"people":[...]} or {"teams":[...]} with effective values:
          manager, chain to the root, coachees, mentees, reports, findings
  name    kind/name, one a line (person/eva), as kubectl -o name
  custom-columns=HEADER:.field.path,...
          the columns you name, as kubectl's custom-columns; the fields
          are those of --field-selector

-l takes a label selector, as kubectl does; requirements separated by
commas must all hold: key=value, key!=value, key (the label is set),
!key (it is not), key in (a,b), key notin (a,b).

--field-selector selects on fields, as kubectl's: field=value,
field==value or field!=value, comma = and. People: metadata.name,
spec.team, spec.level, spec.status, spec.manager (effective), spec.coach,
spec.github, spec.external, spec.displayName, spec.expertise, spec.mentors;
teams: metadata.name, spec.parent, spec.manager, spec.displayName; both:
metadata.labels.KEY.

The org is read from -f (files or directories, repeatable; default: the
current directory).

Exit codes: 0 success (also when nothing matches -l or --field-selector),
2 a NAME was not found, a usage error or the org could not be read.`,
		Example: `  # everyone, with their effective manager and coach
  orgctl get people

  # people in the Amsterdam office, with GitHub logins and mentors
  orgctl get people -l office=amsterdam -o wide

  # everyone but the interns in team platform (level is a field, not a label)
  orgctl get people --field-selector spec.level!=intern,spec.team=platform

  # two columns of your choosing, and just the names
  orgctl get people -o custom-columns=NAME:.metadata.name,LEVEL:.spec.level
  orgctl get teams -o name

  # two people, as the YAML that declares them
  orgctl get people eva lars -o yaml

  # everyone's chain to the root, for scripts
  orgctl get people -o json | jq -r '.people[] | "\(.name): \(.chain | join(" > "))"'`,
		ValidArgsFunction: completeKindAndNames([]string{"people", "teams"}),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name what to get: orgctl get people, or orgctl get teams")
			}
			kind, err := resourceKind(args[0])
			if err != nil {
				return err
			}
			return getRun(opts, kind, args[1:])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.selector, "selector", "l", "", "label selector: key=value, key!=value, key, !key, key in (a,b), key notin (a,b); comma = and")
	f.StringVar(&opts.fieldSelector, "field-selector", "", "field selector: spec.level!=intern,spec.team=platform (=, ==, !=; comma = and)")
	f.BoolVar(&opts.noHeaders, "no-headers", false, "leave the header out of the table on a terminal too")
	opts.load.addFlags(f)
	addFilenameFlag(f, &opts.load.paths)
	_ = cmd.RegisterFlagCompletionFunc("field-selector", completeFields)
	return cmd
}

// addFilenameFlag adds -f/--filename, the org's files and directories.
func addFilenameFlag(f *pflag.FlagSet, paths *[]string) {
	f.StringArrayVarP(paths, "filename", "f", nil, "file or directory holding the org (repeatable; default: the current directory)")
}

// resourceKind reads the resource argument of get and describe.
func resourceKind(arg string) (string, error) {
	if kind := reconcile.ResourceKind(arg); kind != "" {
		return kind, nil
	}
	hint := ""
	if s := schema.Suggest(arg, []string{"people", "person", "teams", "team"}); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return "", usageError("unknown resource type %q%s: use people or teams", arg, hint)
}

// notFound is the error for a NAME that is not in the org (exit 2, as in
// every command that takes names): it suggests a close name, says when the
// document exists but could not be read, and otherwise names the command
// that lists them.
func notFound(set *schema.Set, o *reconcile.Org, kind, name string) error {
	word, list := "person", "orgctl get people"
	if kind == schema.KindTeam {
		word, list = "team", "orgctl get teams"
	}
	for _, d := range set.Documents {
		if d.Kind == kind && d.Name == name && !d.Valid {
			return usageError("%s %q could not be read (%s:%d breaks the schema or is not valid YAML): run 'orgctl validate' to see why", word, name, d.Source.File, d.NamePos.Line)
		}
	}
	if s := schema.Suggest(name, o.Names(kind)); s != "" {
		return usageError("%s %q not found; did you mean %q?", word, name, s)
	}
	return usageError("%s %q not found: run '%s' to list them", word, name, list)
}

// pickNames splits names into those the org has and one error for the
// others, one line each.
func pickNames(set *schema.Set, o *reconcile.Org, kind string, names []string) ([]string, error) {
	var found, lines []string
	var last error
	for _, n := range names {
		if o.Has(kind, n) {
			found = append(found, n)
			continue
		}
		last = notFound(set, o, kind, n)
		lines = append(lines, errorText(last))
	}
	if len(lines) > 1 {
		last = usageError("%s", strings.Join(lines, "\n"))
	}
	return found, last
}

// loadView reads the org for get and describe, warning on stderr when
// documents that could not be read are left out.
func loadView(ios *ioStreams, lo loadOptions) (*schema.Set, reconcile.Result, *reconcile.Org, error) {
	set, res, err := loadOrg(ios, lo.paths, lo)
	if err != nil {
		return nil, res, nil, err
	}
	warnUnreadable(ios, set)
	return set, res, reconcile.Build(set), nil
}

// warnUnreadable says on stderr that documents the loader could not read
// are missing from a view.
func warnUnreadable(ios *ioStreams, set *schema.Set) {
	if n := len(set.Problems); n > 0 {
		fmt.Fprintf(ios.ErrOut, "warning: %s reading the org; what could not be read is left out: run 'orgctl validate' for details\n", plural(n, "problem", "problems"))
	}
}

func getRun(opts *getOptions, kind string, names []string) error {
	ios, format := opts.ios, opts.global.output
	if strings.HasPrefix(format, render.CustomColumnsPrefix) {
		if _, err := render.ParseCustomColumns(strings.TrimPrefix(format, render.CustomColumnsPrefix), kind); err != nil {
			return usageError("%w", err)
		}
	}
	sel, err := reconcile.ParseLabelSelector(opts.selector)
	if err != nil {
		return usageError("%w: see 'orgctl get --help'", err)
	}
	fsel, err := reconcile.ParseFieldSelector(opts.fieldSelector, kind)
	if err != nil {
		return usageError("%w", err)
	}
	for flag, n := range map[string]int{"-l": len(sel), "--field-selector": len(fsel)} {
		if len(names) > 0 && n > 0 {
			return usageError("names and %[1]s select in two ways: give NAMEs or %[1]s, not both", flag)
		}
	}
	set, res, o, err := loadView(ios, opts.load)
	if err != nil {
		return err
	}
	ov := reconcile.NewOrgView(o, render.IndexFindings(o, res.Reported(opts.global.verbose)))
	var missing error
	if len(names) > 0 {
		names, missing = pickNames(set, o, kind, names)
	} else {
		for _, n := range o.Names(kind) {
			if view := viewOf(ov, kind, n); sel.Matches(reconcile.ViewLabels(view)) && fsel.Matches(view) {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			what := map[string]string{schema.KindPerson: "people", schema.KindTeam: "teams"}[kind]
			var by []string
			if len(sel) > 0 {
				by = append(by, "-l "+opts.selector)
			}
			if len(fsel) > 0 {
				by = append(by, "--field-selector "+opts.fieldSelector)
			}
			if len(by) > 0 {
				fmt.Fprintf(ios.ErrOut, "no %s match %s\n", what, strings.Join(by, " "))
			} else {
				fmt.Fprintf(ios.ErrOut, "no %s found\n", what)
			}
		}
	}
	if len(names) > 0 {
		if err := render.WriteViews(ios.Out, format, ov, kind, names, render.TableOptions{TTY: ios.OutTTY, NoHeaders: opts.noHeaders}); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("writing the %s: %w", strings.ToLower(kind), err)}
		}
	}
	return missing
}

// viewOf is the view of a person or a team.
func viewOf(ov *reconcile.OrgView, kind, name string) any {
	if kind == schema.KindTeam {
		return ov.Team(name)
	}
	return ov.Person(name)
}
