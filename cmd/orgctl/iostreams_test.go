package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestScrubWriterHidesSecretsSplitAcrossWrites(t *testing.T) {
	const token = "ghs_abcdefABCDEF0123"
	env := map[string]string{"GITHUB_TOKEN": token, "GITHUB_API_URL": "https://me:pa%24%24word@ghe.example.com/api/v3"}
	text := "token " + token + " url https://me:pa%24%24word@ghe.example.com/api/v3 raw pa$$word end\n"
	want := "token *** url https://me:***@ghe.example.com/api/v3 raw *** end\n"
	// Every way of cutting the text into two writes, and one byte a write.
	for cut := 0; cut <= len(text); cut++ {
		var out bytes.Buffer
		ios, flush := (&ioStreams{Out: &out, ErrOut: &out, Getenv: func(k string) string { return env[k] }}).scrubbed()
		ios.Out.Write([]byte(text[:cut]))
		ios.Out.Write([]byte(text[cut:]))
		flush()
		if out.String() != want {
			t.Fatalf("cut at %d: %q, want %q", cut, out.String(), want)
		}
	}
	var out bytes.Buffer
	ios, flush := (&ioStreams{Out: &out, ErrOut: &out, Getenv: func(k string) string { return env[k] }}).scrubbed()
	for i := range len(text) {
		ios.ErrOut.Write([]byte{text[i]})
	}
	flush()
	if out.String() != want {
		t.Errorf("byte by byte: %q", out.String())
	}
}

func TestScrubWriterHoldsBackOnlyWhatMayStartASecret(t *testing.T) {
	var out bytes.Buffer
	ios, _ := (&ioStreams{Out: &out, ErrOut: &out, Getenv: func(k string) string {
		return map[string]string{"GITHUB_TOKEN": "ghs_abcdefABCDEF0123"}[k]
	}}).scrubbed()
	ios.Out.Write([]byte("progress: 3 of 9\r"))
	ios.Out.Write([]byte("prefix gh"))
	if got := out.String(); got != "progress: 3 of 9\rprefix " {
		t.Errorf("written so far %q: a line end must pass at once, only \"gh\" may wait", got)
	}
	ios.Out.Write([]byte("x\n"))
	if got := out.String(); !strings.HasSuffix(got, "prefix ghx\n") {
		t.Errorf("got %q", got)
	}
}
