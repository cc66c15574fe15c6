package main

import (
	"io"
	"os"
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
