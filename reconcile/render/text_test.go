package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

func TestTextFindingLines(t *testing.T) {
	base := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "ann", Fingerprint: "missing-coach/ann", Message: "ann has no coach", File: "org/people.yaml", Line: 7, Column: 3}
	with := func(change func(*reconcile.Finding)) reconcile.Finding {
		f := base
		change(&f)
		return f
	}
	for _, tt := range []struct {
		name    string
		f       reconcile.Finding
		verbose bool
		color   bool
		want    string
	}{
		{name: "line and column", f: base, want: "org/people.yaml:7:3: error missing-coach: ann has no coach"},
		{name: "no column", f: with(func(f *reconcile.Finding) { f.Column = 0 }), want: "org/people.yaml:7: error missing-coach: ann has no coach"},
		{name: "no line", f: with(func(f *reconcile.Finding) { f.Line, f.Column = 0, 0 }), want: "org/people.yaml: error missing-coach: ann has no coach"},
		{name: "warning", f: with(func(f *reconcile.Finding) { f.Severity = reconcile.Warning }), want: "org/people.yaml:7:3: warning missing-coach: ann has no coach"},
		{name: "exempt hidden", f: with(func(f *reconcile.Finding) { f.Exempt = true }), want: ""},
		{name: "exempt with -v", f: with(func(f *reconcile.Finding) { f.Exempt = true }), verbose: true, want: "org/people.yaml:7:3: error missing-coach: ann has no coach (exempt)"},
		{name: "error in colour", f: base, color: true, want: "org/people.yaml:7:3: \x1b[1;31merror\x1b[0m missing-coach: ann has no coach"},
		{name: "warning in colour", f: with(func(f *reconcile.Finding) { f.Severity = reconcile.Warning }), color: true, want: "org/people.yaml:7:3: \x1b[33mwarning\x1b[0m missing-coach: ann has no coach"},
		{name: "exempt in colour", f: with(func(f *reconcile.Finding) { f.Exempt = true }), verbose: true, color: true, want: "org/people.yaml:7:3: \x1b[1;31merror\x1b[0m missing-coach: ann has no coach\x1b[2m (exempt)\x1b[0m"},
		{name: "multi-line message", f: with(func(f *reconcile.Finding) { f.Message = "first\nsecond\r\nthird\tfourth" }), want: "org/people.yaml:7:3: error missing-coach: first second third fourth"},
		{name: "terminal escapes are shown, not obeyed", f: with(func(f *reconcile.Finding) { f.Message = "ann \x1b[2J\x1b]0;pwned\x07 \u202eevil\u0085" }), color: true, want: "org/people.yaml:7:3: \x1b[1;31merror\x1b[0m missing-coach: ann \\x1b[2J\\x1b]0;pwned\\x07 \\u202eevil\\u0085"},
		{name: "hostile file name", f: with(func(f *reconcile.Finding) { f.File = "a\nb\x1b.yaml" }), want: "a b\\x1b.yaml:7:3: error missing-coach: ann has no coach"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			r := reconcile.Result{Findings: []reconcile.Finding{tt.f}, Summary: reconcile.Summary{People: 1, Teams: 1, Files: 1, Errors: 1}}
			if err := Text(&b, r, Options{Verbose: tt.verbose, Color: tt.color}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			got := ""
			if len(lines) == 2 {
				got = lines[0]
			} else if len(lines) != 1 {
				t.Fatalf("want one finding line and the summary, got:\n%s", b.String())
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if !strings.HasPrefix(lines[len(lines)-1], "1 error, 0 warnings in 1 person") {
				t.Errorf("last line is not the summary: %q", lines[len(lines)-1])
			}
		})
	}
}

func TestSummaryLine(t *testing.T) {
	for _, tt := range []struct {
		s    reconcile.Summary
		want string
	}{
		{reconcile.Summary{People: 45, Teams: 6, Files: 12, Errors: 2, Warnings: 1}, "2 errors, 1 warning in 45 people and 6 teams (12 files)"},
		{reconcile.Summary{People: 1, Teams: 1, Files: 1, Errors: 1, Warnings: 2}, "1 error, 2 warnings in 1 person and 1 team (1 file)"},
		{reconcile.Summary{People: 45, Teams: 6, Files: 12}, "no problems in 45 people and 6 teams (12 files)"},
		{reconcile.Summary{}, "no problems in 0 people and 0 teams (0 files)"},
		{reconcile.Summary{People: 3, Teams: 2, Files: 2, Warnings: 1}, "0 errors, 1 warning in 3 people and 2 teams (2 files)"},
		{reconcile.Summary{People: 45, Teams: 7, Files: 10, Exempt: 1}, "no problems in 45 people and 7 teams (10 files, 1 exempt)"},
		{reconcile.Summary{People: 45, Teams: 7, Files: 10, Errors: 3, Exempt: 2}, "3 errors, 0 warnings in 45 people and 7 teams (10 files, 2 exempt)"},
	} {
		if got := SummaryLine(reconcile.Result{Summary: tt.s}); got != tt.want {
			t.Errorf("SummaryLine(%+v)\n got %q\nwant %q", tt.s, got, tt.want)
		}
	}
}

func TestTextColorOnlyWhenAsked(t *testing.T) {
	var plain, color bytes.Buffer
	if err := Text(&plain, fixture(), Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&color, fixture(), Options{Verbose: true, Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Errorf("plain output contains ANSI escapes:\n%q", plain.String())
	}
	for _, want := range []string{ansiRed + "error" + ansiReset, ansiYellow + "warning" + ansiReset} {
		if !strings.Contains(color.String(), want) {
			t.Errorf("coloured output lacks %q:\n%q", want, color.String())
		}
	}
	// Colour changes nothing else.
	stripped := strings.NewReplacer(ansiRed, "", ansiYellow, "", ansiDim, "", ansiReset, "").Replace(color.String())
	if stripped != plain.String() {
		t.Errorf("coloured output differs from plain output beyond the colours:\n%s\n%s", stripped, plain.String())
	}
}

// TestTextRecapsStructuralProblems: the list stays in file order, and a
// long one ends with the structural problems named again, in a form that
// is not a second finding line.
func TestTextRecapsStructuralProblems(t *testing.T) {
	withFingerprints := func(fs []reconcile.Finding) []reconcile.Finding {
		for i := range fs {
			fs[i].Fingerprint = fmt.Sprintf("%s/p%d", fs[i].Rule, fs[i].Line)
		}
		return fs
	}
	cycle := withFingerprints(findingsOf("management-cycle", reconcile.Error, 1))
	cycle[0].File = "z.yaml" // last in file order
	unknown := withFingerprints(findingsOf("unknown-reference", reconcile.Error, 12))
	coaches := withFingerprints(findingsOf("missing-coach", reconcile.Error, 30))
	many := append(append(slices.Clone(coaches), unknown...), cycle...)
	reconcile.SortFindings(many)

	for _, tt := range []struct {
		name  string
		fs    []reconcile.Finding
		recap []string
	}{
		{"a long list with structural problems", many, []string{
			"fix these 13 structural problems first (the other findings may follow from them):",
			"  unknown-reference/p1 at unknown-reference.yaml:1",
			"  management-cycle/p1 at z.yaml:1",
			"  unknown-reference/p2 at unknown-reference.yaml:2",
			"  unknown-reference/p3 at unknown-reference.yaml:3",
			"  unknown-reference/p4 at unknown-reference.yaml:4",
			"  unknown-reference/p5 at unknown-reference.yaml:5",
			"  unknown-reference/p6 at unknown-reference.yaml:6",
			"  unknown-reference/p7 at unknown-reference.yaml:7",
			"  unknown-reference/p8 at unknown-reference.yaml:8",
			"  unknown-reference/p9 at unknown-reference.yaml:9",
			"  and 3 more, listed above",
		}},
		{"one structural problem", append(slices.Clone(coaches), cycle...), []string{
			"fix this structural problem first (the other findings may follow from it):",
			"  management-cycle/p1 at z.yaml:1",
		}},
		{"a short list shows everything at a glance", append(slices.Clone(coaches[:5]), cycle...), nil},
		{"only structural problems", append(slices.Clone(unknown), unknown...), nil},
		{"no structural problem", coaches, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			r := reconcile.Result{Findings: tt.fs, Summary: reconcile.Summary{Errors: len(tt.fs)}}
			if err := Text(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if len(lines) != len(tt.fs)+len(tt.recap)+1 {
				t.Fatalf("%d lines, want %d findings, %d of recap and the summary:\n%s", len(lines), len(tt.fs), len(tt.recap), b.String())
			}
			for i, f := range tt.fs {
				if !strings.HasPrefix(lines[i], position(f)+": error "+string(f.Rule)+": ") {
					t.Errorf("line %d is %q, want finding %d in file order", i+1, lines[i], i+1)
				}
			}
			if got := lines[len(tt.fs) : len(lines)-1]; !slices.Equal(got, tt.recap) {
				t.Errorf("recap:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.recap, "\n"))
			}
			if n := strings.Count(b.String(), ": error "); n != len(tt.fs) {
				t.Errorf("%d lines look like findings, want %d", n, len(tt.fs))
			}
		})
	}
}
