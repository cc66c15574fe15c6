package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ (then review the diff: they are specifications)")

// hostile is user-controlled text trying every trick: HTML, a link, a
// mention, a code span, a table cell break, a newline, an issue reference,
// math, and the characters GitHub's workflow commands treat specially.
const hostile = "<script>alert(1)</script> [click](https://evil.example) @everyone `rm -rf` | cell\nnew line 100% a,b:c #1 $x$"

// fixture is a realistic result: errors and warnings in two people files
// and a broken file, a finding without a column, an exempt one, a file
// name with a space, and a hostile message. It is sorted as the rules sort
// findings.
func fixture() reconcile.Result {
	fs := []reconcile.Finding{
		{Rule: "parse", Severity: reconcile.Error, Subject: "broken/tabs.yaml", Fingerprint: "parse/broken/tabs.yaml", Message: "tab character in indentation: YAML indents with spaces only, replace the tab", File: "org/broken/tabs.yaml", Line: 8, Column: 1},
		{Rule: "coach-is-manager", Severity: reconcile.Error, Subject: "abe", Other: "bea", Fingerprint: "coach-is-manager/abe/bea", Message: "bea is both manager and coach of abe", File: "org/people/a b.yaml", Line: 13, Column: 10},
		{Rule: "coach-junior", Severity: reconcile.Warning, Subject: "eva", Other: "oksana", Fingerprint: "coach-junior/eva/oksana", Message: "eva (staff) is coached by oksana (senior)", File: "org/people/a b.yaml", Line: 27, Column: 10, Exempt: true},
		{Rule: "span-of-control", Severity: reconcile.Warning, Subject: "sid", Fingerprint: "span-of-control/sid", Message: "sid has 4 direct reports, more than the 3 allowed", File: "org/people/a b.yaml", Line: 40},
		{Rule: "unknown-reference", Severity: reconcile.Error, Subject: "olga", Other: "ghost", Fingerprint: "unknown-reference/olga/ghost", Message: hostile, File: "org/people/z.yaml", Line: 3, Column: 10},
	}
	return reconcile.Result{Findings: fs, Summary: reconcile.Summary{People: 12, Teams: 3, Errors: 3, Warnings: 1, Files: 4, Exempt: 1}}
}

// clean is an org without problems.
func clean() reconcile.Result {
	return reconcile.Result{Summary: reconcile.Summary{People: 45, Teams: 7, Files: 10}}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reconcile/render -update to create it, then review it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./reconcile/render -update and review the diff.\ngot:\n%s", name, got)
	}
}

// TestGolden renders the fixture (without and with -v) and a clean org in
// every format. The golden files are reviewed by hand: they are the
// specification of each format.
func TestGolden(t *testing.T) {
	cases := []struct {
		name    string
		r       reconcile.Result
		verbose bool
	}{
		{"findings", fixture(), false},
		{"verbose", fixture(), true},
		{"clean", clean(), false},
	}
	for _, format := range Formats {
		for _, c := range cases {
			t.Run(format+"/"+c.name, func(t *testing.T) {
				var out, summary bytes.Buffer
				o := Options{Verbose: c.verbose, Version: "1.2.3"}
				if format == "github" {
					o.StepSummary = &summary
				}
				if err := Write(format, &out, c.r, o); err != nil {
					t.Fatal(err)
				}
				golden(t, format+"-"+c.name+".golden", out.Bytes())
				if format == "github" {
					golden(t, "github-step-summary-"+c.name+".golden.md", summary.Bytes())
				}
			})
		}
	}
}

func TestWriteFormats(t *testing.T) {
	for _, tt := range []struct {
		format  string
		wantErr string
		prefix  string
	}{
		{format: "", prefix: "org/broken/tabs.yaml:8:1: error parse:"},
		{format: "text", prefix: "org/broken/tabs.yaml:8:1: error parse:"},
		{format: "json", prefix: "{\n  \"findings\": ["},
		{format: "github", prefix: "::error file=org/broken/tabs.yaml,line=8,col=1,title=orgctl parse::"},
		{format: "sarif", prefix: "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\","},
		{format: "yml", wantErr: `unknown output format "yml": use text, json, github or sarif`},
		{format: "JSON", wantErr: `unknown output format "JSON": use text, json, github or sarif`},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(tt.format, &b, fixture(), Options{})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				if b.Len() != 0 {
					t.Errorf("wrote %q for an unknown format", b.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte(tt.prefix)) {
				t.Errorf("output starts %q, want %q", b.String()[:min(b.Len(), len(tt.prefix)+20)], tt.prefix)
			}
		})
	}
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteErrorsReachTheCaller(t *testing.T) {
	for _, format := range Formats {
		if err := Write(format, failingWriter{}, fixture(), Options{}); err == nil {
			t.Errorf("%s: no error from a failing writer", format)
		}
	}
	var out bytes.Buffer
	if err := GitHub(&out, fixture(), Options{StepSummary: failingWriter{}}); err == nil {
		t.Error("github: no error from a failing step summary")
	}
}
