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
		Use:               "get (people|teams) [NAME...]",
		Short:             "List people or teams with their effective manager and coach",
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
	kind, err := reconcile.ParseResource(arg)
	if err != nil {
		return "", &exitError{code: exitUsage, err: err}
	}
	return kind, nil
}

// notFound is the error for a NAME that is not in the org (exit 2, as in
// every command that takes names; see reconcile.NotFound).
func notFound(set *schema.Set, o *reconcile.Org, kind, name string) error {
	return &exitError{code: exitUsage, err: reconcile.NotFound(set, o, kind, name)}
}

// pickNames splits names into those the org has and one error (exit 2)
// for the others, one line each (see reconcile.Pick).
func pickNames(set *schema.Set, o *reconcile.Org, kind string, names []string) ([]string, error) {
	found, missing := reconcile.Pick(set, o, kind, names)
	if len(missing) == 1 {
		return found, &exitError{code: exitUsage, err: missing[0]}
	}
	lines := make([]string, len(missing))
	for i, err := range missing {
		lines[i] = errorText(err)
	}
	if len(lines) > 1 {
		return found, usageError("%s", strings.Join(lines, "\n"))
	}
	return found, nil
}

// loadView reads the org for get and describe, warning on stderr when
// documents that could not be read are left out.
func loadView(ios *ioStreams, lo loadOptions) (*schema.Set, reconcile.Result, *reconcile.Org, error) {
	set, res, o, err := loadOrg(ios, lo.paths, lo)
	if err != nil {
		return nil, res, nil, err
	}
	warnUnreadable(ios, set)
	return set, res, o, nil
}

// warnUnreadable says on stderr that documents the loader could not read
// are missing from a view.
func warnUnreadable(ios *ioStreams, set *schema.Set) {
	if n := len(set.Problems); n > 0 {
		fmt.Fprintf(ios.ErrOut, "warning: %s reading the org; what could not be read is left out: run 'orgctl validate' for details\n", plural(n, "problem", "problems"))
	}
}

// getJSONPerByte is the heap `get people -o json` budgets per byte of
// YAML (see schema.BudgetMemory), where the other commands that read one
// org budget schema.ReadPerByte: its views' indexes (the people in name
// order, the reverse indexes, the shared chains and their JSON) stay alive
// with the org while it writes, and on ReadPerByte a 100,000-person org
// was collected once more than validate, late, for about 0.1 CPU second
// (GODEBUG=gctrace=1 on cmd/orggen's org). On 3.4 the heap reached 103 to
// 104 MB of a 107 MB goal as the write began, and some runs collected it
// during the write (72 MB alive: 0.08 to 0.1 CPU second, and the write's
// goroutines slowed by the write barrier); 4.0 leaves the write room. Peak
// RSS measured the same, about 120 MB at 100,000 people (what a
// collection frees is not given back before the process ends), and a
// million people's heap stays below either limit.
const getJSONPerByte = 4.0

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
	// The views need the built Org but not its findings: people are
	// sorted and the reverse indexes and chains (with their JSON, for
	// -o json) built while the org is checked.
	var ov *reconcile.OrgView
	lo := opts.load
	if kind == schema.KindPerson && format == "json" {
		lo.memoryPerByte = getJSONPerByte
	}
	lo.built = func(o *reconcile.Org) {
		ov = reconcile.NewOrgView(o, nil)
		if kind == schema.KindPerson {
			if format == "json" {
				render.SetJSONChains(ov)
			}
			go ov.Prepare()
		}
	}
	set, res, o, err := loadView(ios, lo)
	if err != nil {
		return err
	}
	ov.SetFindings(render.IndexFindings(o, res.Reported(opts.global.verbose)))
	var missing error
	if len(names) > 0 {
		names, missing = pickNames(set, o, kind, names)
	} else {
		names = ov.Select(kind, sel, fsel)
		if len(names) == 0 {
			var by []string
			if len(sel) > 0 {
				by = append(by, "-l "+opts.selector)
			}
			if len(fsel) > 0 {
				by = append(by, "--field-selector "+opts.fieldSelector)
			}
			render.NothingSelected(ios.ErrOut, kind, by...)
		}
	}
	if len(names) > 0 {
		if err := render.WriteViews(ios.Out, format, ov, kind, names, render.TableOptions{TTY: ios.OutTTY, NoHeaders: opts.noHeaders}); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("writing the %s: %w", strings.ToLower(kind), err)}
		}
	}
	return missing
}
