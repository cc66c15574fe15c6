package main

import (
	"errors"

	"github.com/orgctl/orgctl/schema/importcsv"
	"github.com/spf13/cobra"
)

func newImportCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Create org YAML from another system's export",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return usageError("name what to import from: orgctl import csv FILE (run 'orgctl import --help' for usage)")
		},
	}
	cmd.AddCommand(newImportCSVCmd(ios, g))
	return cmd
}

type importCSVOptions struct {
	ios          *ioStreams
	global       *globalOptions
	file         string
	mapping      string
	out          string
	delimiter    string
	encoding     string
	defaultLevel string
	defaultTeam  string
	force        bool
	dryRun       bool
}

func newImportCSVCmd(ios *ioStreams, g *globalOptions) *cobra.Command {
	opts := &importCSVOptions{ios: ios, global: g}
	cmd := &cobra.Command{
		Use:   "csv FILE",
		Short: "Turn an HR export (CSV) into Person and Team YAML",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return importCSVRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.mapping, "map", "", `override the column mapping: "Column Header=field,..."`)
	f.StringVar(&opts.out, "out", ".", "the org repository to write into")
	f.StringVar(&opts.delimiter, "delimiter", "", `cell delimiter: one character, or "tab" (default: detected from the header)`)
	f.StringVar(&opts.encoding, "encoding", "utf-8", "encoding of FILE: utf-8 or windows-1252")
	f.StringVar(&opts.defaultLevel, "default-level", "", "level for rows whose level is empty or not in the ladder (default: skip those rows)")
	f.StringVar(&opts.defaultTeam, "default-team", "", "team for rows with no team (default: skip those rows)")
	f.BoolVar(&opts.force, "force", false, "replace files that already exist")
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the files that would be written, and write nothing")
	return cmd
}

func importCSVRun(opts *importCSVOptions) error {
	ios := opts.ios
	ro := importcsv.RunOptions{Out: opts.out, Force: opts.force, DryRun: opts.dryRun, Check: checkOptions(ios, loadOptions{})}
	if opts.mapping != "" {
		m, err := importcsv.ParseMap(opts.mapping)
		if err != nil {
			return usageError("%w", err)
		}
		ro.Map = m
	}
	d, err := importcsv.ParseDelimiter(opts.delimiter)
	if err != nil {
		return usageError("%w", err)
	}
	ro.Delimiter, ro.Encoding = d, opts.encoding
	ro.DefaultLevel, ro.DefaultTeam = opts.defaultLevel, opts.defaultTeam
	in, source, err := importcsv.Open(opts.file, ios.In)
	if err != nil {
		return usageError("%w", err)
	}
	defer in.Close()
	err = importcsv.Run(in, source, ro, ios.Out, ios.ErrOut)
	var (
		left *importcsv.LeftOutError
		we   *importcsv.WriteError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &left):
		return &exitError{code: exitFindings, err: err}
	case errors.As(err, &we):
		return writeError(we.Err, we.Hint)
	}
	return usageError("%w", err)
}
