package main

import (
	"context"
	"io"
	"os"

	"github.com/orgctl/orgctl/internal/ghenv"
)

// ioStreams is where a command reads and writes: results go to Out,
// progress, warnings and errors to ErrOut. Commands never touch os.Stdout.
type ioStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether Out and ErrOut are terminals.
	OutTTY, ErrTTY bool
	// Getenv reads the environment (swapped in tests).
	Getenv func(string) string
	// ctx is cancelled on Ctrl-C (set by run); nil means never.
	ctx context.Context
}

// context is the run's context: cancelled on Ctrl-C, so that waits stop
// and nothing more is sent to GitHub.
func (s *ioStreams) context() context.Context {
	if s.ctx != nil {
		return s.ctx
	}
	return context.Background()
}

// scrubbed returns a copy of s whose Out and ErrOut never show a secret
// (see ghenv.Secrets), and the function that writes out what they hold
// back. Every command prints through it: run installs it first thing.
func (s *ioStreams) scrubbed() (*ioStreams, func()) {
	secrets := ghenv.Secrets(s.Getenv)
	if len(secrets) == 0 {
		return s, func() {}
	}
	c := *s
	out, errOut := ghenv.NewScrubWriter(s.Out, secrets), ghenv.NewScrubWriter(s.ErrOut, secrets)
	c.Out, c.ErrOut = out, errOut
	return &c, func() { out.Flush(); errOut.Flush() }
}

func systemIO() *ioStreams {
	return &ioStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv,
	}
}

// isTerminal reports whether f is a character device (a terminal), without
// a dependency on x/term.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	if err != nil {
		return false
	}
	return st.Mode()&os.ModeCharDevice != 0
}

// colorEnabled follows the no-color.org convention and --no-color.
func (s *ioStreams) colorEnabled(noColor bool) bool {
	return s.OutTTY && !noColor && s.Getenv("NO_COLOR") == "" && s.Getenv("TERM") != "dumb"
}
