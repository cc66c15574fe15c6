package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// hostile is user-controlled text trying every trick: HTML, a link, a
// mention, a code span, a table cell break, a newline and the characters
// GitHub's workflow commands treat specially.
const hostile = "<script>alert(1)</script> [click](https://evil.example) @everyone `rm -rf` | cell\nnew line 100% a,b:c"

// fixture is a realistic result: errors and warnings in two files, a
// finding without a column, an exempt one and a hostile message.
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

func clean() reconcile.Result {
	return reconcile.Result{Findings: []reconcile.Finding{}, Summary: reconcile.Summary{People: 45, Teams: 7, Files: 10}}
}

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
		t.Fatalf("%v (run go test -update to create it, then review it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff.\ngot:\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		for _, c := range []struct {
			name    string
			r       reconcile.Result
			verbose bool
		}{{"findings", fixture(), false}, {"verbose", fixture(), true}, {"clean", clean(), false}} {
			t.Run(format+"/"+c.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := Write(format, &b, c.r, Options{Verbose: c.verbose, Version: "1.2.3"}); err != nil {
					t.Fatal(err)
				}
				golden(t, format+"-"+c.name+".golden", b.Bytes())
			})
		}
	}
}

func TestTextColorOnlyWhenAsked(t *testing.T) {
	var plain, color bytes.Buffer
	_ = Text(&plain, fixture(), Options{})
	_ = Text(&color, fixture(), Options{Color: true})
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain output contains ANSI escapes")
	}
	if !strings.Contains(color.String(), ansiRed+"error"+ansiReset) || !strings.Contains(color.String(), ansiYellow+"warning"+ansiReset) {
		t.Errorf("coloured output lacks coloured severities:\n%q", color.String())
	}
}

func TestJSONKeepsTheSpecFieldNames(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 4 {
		t.Fatalf("want the 4 non-exempt findings, got %d", len(got.Findings))
	}
	for _, k := range []string{"rule", "severity", "subject", "fingerprint", "message", "file", "line", "column"} {
		if _, ok := got.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	for _, k := range []string{"people", "teams", "errors", "warnings"} {
		if _, ok := got.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if got.Findings[0]["severity"] != "error" {
		t.Errorf("severity is %v, want the string error", got.Findings[0]["severity"])
	}
}

func TestGitHubPutsErrorsFirstAndEscapes(t *testing.T) {
	var b, summary bytes.Buffer
	if err := GitHub(&b, fixture(), Options{StepSummary: &summary}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	seenWarning := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "::warning"):
			seenWarning = true
		case strings.HasPrefix(l, "::error") && seenWarning:
			t.Errorf("error after a warning: %s", l)
		}
	}
	if !strings.Contains(b.String(), "cell%0Anew line 100%25 a,b:c") {
		t.Errorf("message data not escaped:\n%s", b.String())
	}
	if strings.Contains(b.String(), "coach-junior") {
		t.Error("exempt findings must not become annotations")
	}
	s := summary.String()
	for _, bad := range []string{"<script>", "](https://", "@everyone", " `rm", " | cell", "\nnew line"} {
		if strings.Contains(s, bad) {
			t.Errorf("step summary contains %q unescaped:\n%s", bad, s)
		}
	}
	if got := strings.Count(s, "\n| error |") + strings.Count(s, "\n| warning |"); got != 4 {
		t.Errorf("step summary table has %d rows, want 4:\n%s", got, s)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"alice", "alice"},
		{"Ann-Marie O'Neil", "Ann-Marie O'Neil"},
		{"<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"a & b", "a &amp; b"},
		{"[x](http://e.com)", `\[x\]\(http:&#8203;//e.com\)`},
		{"![img](x)", `\!\[img\]\(x\)`},
		{"@everyone @octocat", "@&#8203;everyone @&#8203;octocat"},
		{"`code`", "\\`code\\`"},
		{"a | b", `a \| b`},
		{"*bold* _it_ ~s~", `\*bold\* \_it\_ \~s\~`},
		{"#123", `\#123`},
		{"line\nbreak\r\nx", "line break x"},
		{`back\slash`, `back\\slash`},
		{"see www.evil.com", "see www&#8203;.evil.com"},
	} {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSARIFShape(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, fixture(), Options{Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || len(run.Tool.Driver.Rules) != len(reconcile.Catalog) || len(run.Results) != 4 {
		t.Fatalf("version %s, %d rules, %d results", log.Version, len(run.Tool.Driver.Rules), len(run.Results))
	}
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("ruleIndex %d does not point at %s", r.RuleIndex, r.RuleID)
		}
		if r.Locations[0].PhysicalLocation.Region.StartLine < 1 || r.PartialFingerprints[FingerprintKey] == "" {
			t.Errorf("result %s lacks a line or fingerprint", r.RuleID)
		}
	}
	if uri := run.Results[1].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "org/people/a%20b.yaml" {
		t.Errorf("uri %q is not an escaped relative reference", uri)
	}
}

// TestSARIFPassesMultitool validates the SARIF output with Microsoft's
// SARIF multitool and GitHub's rules ("Gh"): no errors and no warnings.
// .ci/run installs the tool (testdata/install-sarif-multitool.sh); set
// SARIF_MULTITOOL to its path to run this locally.
func TestSARIFPassesMultitool(t *testing.T) {
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		if p, err := exec.LookPath("Sarif.Multitool"); err == nil {
			tool = p
		}
	}
	if tool == "" {
		t.Skip("SARIF multitool not installed; run testdata/install-sarif-multitool.sh DIR and set SARIF_MULTITOOL")
	}
	for name, r := range map[string]reconcile.Result{"findings": fixture(), "clean": clean()} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.sarif"), filepath.Join(dir, "log.sarif")
			var b bytes.Buffer
			if err := SARIF(&b, r, Options{Verbose: true, Version: "1.2.3"}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(tool, "validate", "--rule-kind", "Sarif;Gh", "--output", out, in)
			cmd.Env = append(os.Environ(), "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
			msg, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("multitool failed: %v\n%s", err, msg)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var log struct {
				Runs []struct {
					Results []struct {
						RuleID  string `json:"ruleId"`
						Level   string `json:"level"`
						Message struct {
							Arguments []string `json:"arguments"`
						} `json:"message"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(data, &log); err != nil {
				t.Fatal(err)
			}
			for _, run := range log.Runs {
				for _, res := range run.Results {
					if res.Level == "error" || res.Level == "warning" || res.Level == "" {
						t.Errorf("%s (%s): %v", res.RuleID, res.Level, res.Message.Arguments)
					}
				}
			}
		})
	}
}
