package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/orgctl/orgctl/reconcile/ghsync"
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
// (see githubSecrets), and the function that writes out what they hold
// back. Every command prints through it: run installs it first thing.
func (s *ioStreams) scrubbed() (*ioStreams, func()) {
	secrets := githubSecrets(s.Getenv)
	if len(secrets) == 0 {
		return s, func() {}
	}
	c := *s
	out, errOut := newScrubWriter(s.Out, secrets), newScrubWriter(s.ErrOut, secrets)
	c.Out, c.ErrOut = out, errOut
	return &c, func() { out.Flush(); errOut.Flush() }
}

// scrubWriter writes to w with every secret replaced by "***". A secret
// split across two writes is caught too: the end of a write that could be
// the start of a secret is held back until the next write or Flush.
type scrubWriter struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string // the secrets
	forms   []string // every way each secret may be written, longest first
	pending []byte
}

func newScrubWriter(w io.Writer, secrets []string) *scrubWriter {
	sw := &scrubWriter{w: w}
	for _, sec := range secrets {
		if len(sec) >= ghsync.MinSecretLength {
			sw.secrets = append(sw.secrets, sec)
			sw.forms = append(sw.forms, ghsync.SecretForms(sec)...)
		}
	}
	sort.Slice(sw.forms, func(i, j int) bool { return len(sw.forms[i]) > len(sw.forms[j]) })
	return sw
}

func (sw *scrubWriter) Write(p []byte) (int, error) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	out := []byte(ghsync.ScrubString(string(append(sw.pending, p...)), sw.secrets...))
	hold := 0
	for _, f := range sw.forms {
		for k := min(len(f)-1, len(out)); k > hold; k-- {
			if bytes.HasSuffix(out, []byte(f[:k])) {
				hold = k
				break
			}
		}
	}
	sw.pending = append([]byte(nil), out[len(out)-hold:]...)
	if _, err := sw.w.Write(out[:len(out)-hold]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what Write held back.
func (sw *scrubWriter) Flush() {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if len(sw.pending) > 0 {
		_, _ = sw.w.Write(sw.pending)
		sw.pending = nil
	}
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
