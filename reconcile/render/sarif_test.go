package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"

	"github.com/orgctl/orgctl/internal/testtool"
)

// sarifDoc is the part of a SARIF log the tests read back.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				InformationURI  string `json:"informationUri"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID               string            `json:"id"`
					Name             string            `json:"name"`
					ShortDescription map[string]string `json:"shortDescription"`
					FullDescription  map[string]string `json:"fullDescription"`
					Help             map[string]string `json:"help"`
					Default          struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]map[string]any `json:"originalUriBaseIds"`
		ColumnKind         string                    `json:"columnKind"`
		Results            []struct {
			RuleID    string            `json:"ruleId"`
			RuleIndex *int              `json:"ruleIndex"`
			Level     string            `json:"level"`
			Message   map[string]string `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region map[string]int `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, r reconcile.Result, o Options) sarifDoc {
	t.Helper()
	var b bytes.Buffer
	if err := SARIF(&b, r, o); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(doc.Runs))
	}
	return doc
}

func TestSARIFDescribesEveryRule(t *testing.T) {
	doc := readSARIF(t, clean(), Options{Version: "v1.2.3"})
	if doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || doc.Version != "2.1.0" {
		t.Errorf("$schema %q, version %q", doc.Schema, doc.Version)
	}
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "orgctl" || d.InformationURI != "https://github.com/orgctl/orgctl" || d.Version != "1.2.3" || d.SemanticVersion != "1.2.3" {
		t.Errorf("driver %s %s %s %s", d.Name, d.InformationURI, d.Version, d.SemanticVersion)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q: yaml.v3 counts columns in code points", run.ColumnKind)
	}
	if run.Results == nil {
		t.Error("a clean org has \"results\": [], not null or nothing")
	}
	if len(d.Rules) != len(reconcile.Rules()) {
		t.Fatalf("%d rules, want all %d of the registry", len(d.Rules), len(reconcile.Rules()))
	}
	names := map[string]bool{}
	for i, ri := range reconcile.Rules() {
		got := d.Rules[i]
		if got.ID != string(ri.ID) {
			t.Errorf("rule %d is %s, want %s (catalogue order)", i, got.ID, ri.ID)
		}
		if names[got.Name] || got.Name == "" || strings.ContainsAny(got.Name, "- ") || got.Name[0] < 'A' || got.Name[0] > 'Z' || strings.EqualFold(got.Name, got.ID) {
			t.Errorf("rule %s has name %q: want a unique PascalCase name that differs from the id beyond case (SARIF1001)", ri.ID, got.Name)
		}
		names[got.Name] = true
		if !strings.Contains(got.ShortDescription["text"], ri.Summary[1:]) || !strings.Contains(got.FullDescription["text"], ri.Rationale[1:]) {
			t.Errorf("rule %s: descriptions %q / %q", ri.ID, got.ShortDescription["text"], got.FullDescription["text"])
		}
		for _, part := range []string{ri.Rationale[1:], ri.Fix[1:], ri.FingerprintForm} {
			if !strings.Contains(got.Help["text"], part) || !strings.Contains(got.Help["markdown"], part) {
				t.Errorf("rule %s: help lacks %q:\n%v", ri.ID, part, got.Help)
			}
		}
		if got.Default.Level != ri.Default.String() || got.Properties["problem.severity"] != ri.Default.String() {
			t.Errorf("rule %s: level %q, problem.severity %v, want %s", ri.ID, got.Default.Level, got.Properties["problem.severity"], ri.Default)
		}
		if tags, _ := got.Properties["tags"].([]any); len(tags) != 1 || tags[0] != "orgctl" {
			t.Errorf("rule %s: tags %v", ri.ID, got.Properties["tags"])
		}
	}
	if d.Rules[10].Name != "CoachIsManager" || d.Rules[0].Name != "InvalidYaml" || d.Rules[1].Name != "SchemaViolation" {
		t.Errorf("names %q, %q", d.Rules[10].Name, d.Rules[0].Name)
	}
}

// TestSARIFRunProperties pins what a run holds. No automationDetails: the
// upload-sarif action keeps an id found in the file over the workflow's
// category, and two orgctl jobs in one repository would then overwrite each
// other's alerts.
func TestSARIFRunProperties(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range log.Runs[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"columnKind", "originalUriBaseIds", "results", "tool"}; !slices.Equal(keys, want) {
		t.Errorf("run properties %v, want %v", keys, want)
	}
	var bases map[string]struct {
		URI         string            `json:"uri"`
		Description map[string]string `json:"description"`
	}
	if err := json.Unmarshal(log.Runs[0]["originalUriBaseIds"], &bases); err != nil {
		t.Fatal(err)
	}
	if root, ok := bases["%SRCROOT%"]; !ok || root.URI != "" || root.Description["text"] == "" {
		t.Errorf("originalUriBaseIds %v: want %%SRCROOT%% described, without a machine-specific uri", bases)
	}
}

func TestSARIFResults(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		r := fixture()
		doc := readSARIF(t, r, Options{Verbose: verbose})
		run := doc.Runs[0]
		want := r.Reported(verbose)
		if len(run.Results) != len(want) {
			t.Fatalf("verbose=%v: %d results, want %d", verbose, len(run.Results), len(want))
		}
		for i, res := range run.Results {
			f := want[i]
			if res.RuleID != string(f.Rule) || res.RuleIndex == nil || run.Tool.Driver.Rules[*res.RuleIndex].ID != string(f.Rule) {
				t.Errorf("result %d: ruleId %s, ruleIndex %v, want %s", i, res.RuleID, res.RuleIndex, f.Rule)
			}
			if res.Level != f.Severity.String() {
				t.Errorf("result %d: level %s, want %s", i, res.Level, f.Severity)
			}
			if res.PartialFingerprints["orgctl/v1"] != f.Fingerprint || len(res.PartialFingerprints) != 1 {
				t.Errorf("result %d: partialFingerprints %v, want orgctl/v1: %s", i, res.PartialFingerprints, f.Fingerprint)
			}
			loc := res.Locations[0].PhysicalLocation
			if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
				t.Errorf("result %d: uriBaseId %q", i, loc.ArtifactLocation.URIBaseID)
			}
			if u, err := url.Parse(loc.ArtifactLocation.URI); err != nil || u.IsAbs() || u.Path != f.File {
				t.Errorf("result %d: uri %q is not a relative reference to %q (%v)", i, loc.ArtifactLocation.URI, f.File, err)
			}
			wantRegion := map[string]int{"startLine": f.Line}
			if f.Column > 0 {
				wantRegion["startColumn"] = f.Column
			}
			if !maps.Equal(loc.Region, wantRegion) {
				t.Errorf("result %d: region %v, want %v", i, loc.Region, wantRegion)
			}
			if f.Exempt != (len(res.Suppressions) == 1) {
				t.Errorf("result %d: exempt %v but suppressions %v", i, f.Exempt, res.Suppressions)
			}
			if f.Exempt && (res.Suppressions[0].Kind != "external" || res.Suppressions[0].Justification == "") {
				t.Errorf("result %d: suppression %+v", i, res.Suppressions[0])
			}
		}
		hostileText := run.Results[len(run.Results)-1].Message["text"]
		wantText := strings.NewReplacer("\n", " ", "[", `\[`, "]", `\]`).Replace(hostile)
		if hostileText != wantText {
			t.Errorf("a message is plain text on one line, with brackets escaped so that it has no embedded link (SARIF §3.11.6):\n got %q\nwant %q", hostileText, wantText)
		}
	}
}

func TestSARIFLocations(t *testing.T) {
	for _, tt := range []struct {
		file, uri, base string
		line, col       int
		region          map[string]int
	}{
		{file: "org/people/a b.yaml", uri: "org/people/a%20b.yaml", base: "%SRCROOT%", line: 3, col: 5, region: map[string]int{"startLine": 3, "startColumn": 5}},
		{file: "./org/a.yaml", uri: "org/a.yaml", base: "%SRCROOT%", line: 3, region: map[string]int{"startLine": 3}},
		// A colon in the first segment would make a scheme ("a:" URI).
		{file: "a:b.yaml", uri: "a%3Ab.yaml", base: "%SRCROOT%", line: 1, col: 1, region: map[string]int{"startLine": 1, "startColumn": 1}},
		{file: "org/100% #1?.yaml", uri: "org/100%25%20%231%3F.yaml", base: "%SRCROOT%", line: 2, region: map[string]int{"startLine": 2}},
		{file: "org/Zoë.yaml", uri: "org/Zo%C3%AB.yaml", base: "%SRCROOT%", line: 2, region: map[string]int{"startLine": 2}},
		{file: "../outside/a.yaml", uri: "../outside/a.yaml", base: "%SRCROOT%", line: 2, region: map[string]int{"startLine": 2}},
		// A finding about a whole file points at its first line.
		{file: "org/big.yaml", uri: "org/big.yaml", base: "%SRCROOT%", line: 0, col: 4, region: map[string]int{"startLine": 1}},
		// Absolute paths (a path argument given as one) become file: URIs.
		{file: "/home/ci/org/a b.yaml", uri: "file:///home/ci/org/a%20b.yaml", line: 2, region: map[string]int{"startLine": 2}},
		{file: "C:/org/a.yaml", uri: "file:///C:/org/a.yaml", line: 2, region: map[string]int{"startLine": 2}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			f := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Fingerprint: "missing-coach/x", Message: "x has no coach", File: tt.file, Line: tt.line, Column: tt.col}
			doc := readSARIF(t, reconcile.Result{Findings: []reconcile.Finding{f}}, Options{})
			loc := doc.Runs[0].Results[0].Locations[0].PhysicalLocation
			if loc.ArtifactLocation.URI != tt.uri || loc.ArtifactLocation.URIBaseID != tt.base {
				t.Errorf("uri %q (base %q), want %q (base %q)", loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID, tt.uri, tt.base)
			}
			if !maps.Equal(loc.Region, tt.region) {
				t.Errorf("region %v, want %v", loc.Region, tt.region)
			}
			u, err := url.Parse(tt.uri)
			if err != nil || (tt.base != "") == u.IsAbs() {
				t.Errorf("%q: parse error %v or wrong kind of URI reference", tt.uri, err)
			}
		})
	}
}

func TestSARIFUnknownRuleHasNoRuleIndex(t *testing.T) {
	f := reconcile.Finding{Rule: "future-rule", Severity: reconcile.Warning, Fingerprint: "future-rule/x", Message: "m", File: "a.yaml", Line: 1}
	doc := readSARIF(t, reconcile.Result{Findings: []reconcile.Finding{f}}, Options{})
	if res := doc.Runs[0].Results[0]; res.RuleID != "future-rule" || res.RuleIndex != nil {
		t.Errorf("ruleId %s, ruleIndex %v: an index would point at another rule", res.RuleID, res.RuleIndex)
	}
}

func TestSARIFVersions(t *testing.T) {
	for _, tt := range []struct{ in, version, semantic string }{
		{"", "0.0.0-dev", "0.0.0-dev"},
		{"0.0.0-dev", "0.0.0-dev", "0.0.0-dev"},
		{"1.2.3", "1.2.3", "1.2.3"},
		{"v1.2.3", "1.2.3", "1.2.3"},
		{"v1.2.3-4-gabcdef0", "1.2.3-4-gabcdef0", "1.2.3-4-gabcdef0"},
		{"v1.2.3-4-gabcdef0-dirty", "1.2.3-4-gabcdef0-dirty", "1.2.3-4-gabcdef0-dirty"},
		{"v0.0.0-20260101120000-abcdef012345", "0.0.0-20260101120000-abcdef012345", "0.0.0-20260101120000-abcdef012345"},
		{"1.2.3+build.7", "1.2.3+build.7", "1.2.3+build.7"},
		// Not SemVer, but starts with a number: version only.
		{"1.2", "1.2", ""},
		{"01.2.3", "01.2.3", ""},
		// Not a release (git describe --always without a tag, go run).
		{"abcdef0", "0.0.0-dev+abcdef0", "0.0.0-dev+abcdef0"},
		{"abcdef0-dirty", "0.0.0-dev+abcdef0-dirty", "0.0.0-dev+abcdef0-dirty"},
		{"(devel)", "0.0.0-dev+devel", "0.0.0-dev+devel"},
		{"my build/ü..x", "0.0.0-dev+my-build.x", "0.0.0-dev+my-build.x"},
		{"???", "0.0.0-dev+unknown", "0.0.0-dev+unknown"},
	} {
		version, semantic := sarifVersions(tt.in)
		if version != tt.version || semantic != tt.semantic {
			t.Errorf("sarifVersions(%q) = %q, %q; want %q, %q", tt.in, version, semantic, tt.version, tt.semantic)
		}
	}
	if d := readSARIF(t, clean(), Options{}).Runs[0].Tool.Driver; d.Version != "0.0.0-dev" || d.SemanticVersion != "0.0.0-dev" {
		t.Errorf("without a version: %q, %q", d.Version, d.SemanticVersion)
	}
	if d := readSARIF(t, clean(), Options{Version: "1.2"}).Runs[0].Tool.Driver; d.Version != "1.2" || d.SemanticVersion != "" {
		t.Errorf("a version that is not SemVer: %q, %q", d.Version, d.SemanticVersion)
	}
}

// multitoolInputs are the SARIF logs the multitool checks: the golden
// cases and a log of awkward locations.
func multitoolInputs() map[string]struct {
	r reconcile.Result
	o Options
} {
	var edge reconcile.Result
	for _, f := range []string{"a:b #1?.yaml", "org/c:d.yaml", "org/Zoë 100%.yaml", "../outside/a.yaml", "/home/ci/org/a.yaml"} {
		edge.Findings = append(edge.Findings, reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Subject: "x", Fingerprint: "missing-coach/x", Message: hostile, File: f, Line: 2, Column: 3})
	}
	edge.Findings = append(edge.Findings,
		reconcile.Finding{Rule: "parse", Severity: reconcile.Error, Subject: "big.yaml", Fingerprint: "parse/big.yaml", Message: "file is larger than 8 MiB", File: "org/big.yaml"},
		reconcile.Finding{Rule: "future-rule", Severity: reconcile.Warning, Subject: "x", Fingerprint: "future-rule/x", Message: "from a newer catalogue", File: "org/a.yaml", Line: 1})
	return map[string]struct {
		r reconcile.Result
		o Options
	}{
		"findings": {fixture(), Options{Version: "1.2.3"}},
		"verbose":  {fixture(), Options{Verbose: true, Version: "v1.2.3-4-gabcdef0-dirty"}},
		"clean":    {clean(), Options{}},
		"edge":     {edge, Options{Version: "abcdef0"}},
	}
}

// TestSARIFPassesMultitool validates the SARIF output with Microsoft's SARIF
// multitool, with the SARIF spec's rules and GitHub code scanning's ("Gh"):
// no errors and no warnings (notes are suggestions, such as numeric rule
// ids, that do not apply). The tool comes from npm
// (testdata/install-sarif-multitool.sh); set SARIF_MULTITOOL to its path or
// put Sarif.Multitool on PATH. The test skips without it, except in CI,
// where it fails.
func TestSARIFPassesMultitool(t *testing.T) {
	tool := testtool.Need(t, "the SARIF multitool", "run testdata/install-sarif-multitool.sh DIR and set SARIF_MULTITOOL to the path it prints", "$SARIF_MULTITOOL", "Sarif.Multitool")
	dir := t.TempDir()
	var inputs []string
	for name, in := range multitoolInputs() {
		var b bytes.Buffer
		if err := SARIF(&b, in.r, in.o); err != nil {
			t.Fatal(err)
		}
		// The multitool only reads files named *.sarif.
		p := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	slices.Sort(inputs)
	out := filepath.Join(dir, "validation.sarif.json")
	args := append([]string{"validate", "--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note", "--log", "ForceOverwrite", "--output", out}, inputs...)
	cmd := exec.Command(tool, args...)
	cmd.Env = append(os.Environ(), "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	console, err := cmd.CombinedOutput()
	// The exit code is 0 even for invalid input: the verdict is in the log.
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, console)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the multitool wrote no log: %v\n%s", err, console)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text      string   `json:"text"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
			Invocations []struct {
				ExecutionSuccessful bool `json:"executionSuccessful"`
				Notifications       []struct {
					Level   string `json:"level"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("reading the multitool's log: %v", err)
	}
	notes := map[string]int{}
	analysed := map[string]bool{}
	failed := false
	for _, run := range log.Runs {
		for _, inv := range run.Invocations {
			if !inv.ExecutionSuccessful {
				t.Error("the multitool reports an unsuccessful run")
			}
			for _, n := range inv.Notifications {
				if n.Level == "error" || n.Level == "warning" || n.Level == "" {
					t.Errorf("multitool %s: %s", n.Level, n.Message.Text)
				}
			}
		}
		for _, res := range run.Results {
			for _, l := range res.Locations {
				analysed[filepath.Base(l.PhysicalLocation.ArtifactLocation.URI)] = true
			}
			// A result without a level is a warning in SARIF.
			if res.Level == "note" || res.Level == "none" {
				notes[res.RuleID]++
				continue
			}
			failed = true
			t.Errorf("multitool %s %s: %v", cmp.Or(res.Level, "warning"), res.RuleID, res.Message.Arguments)
		}
	}
	if failed {
		for _, l := range strings.Split(string(console), "\n") {
			if strings.Contains(l, ": error ") || strings.Contains(l, ": warning ") {
				t.Log(l)
			}
		}
	}
	// The multitool silently skips a log it cannot load (a result URI that
	// parses as an unknown scheme, for one); each of ours draws at least
	// the note that it has no versionControlProvenance, so a log without
	// any result was not checked at all.
	for _, p := range inputs {
		if !analysed[filepath.Base(p)] {
			t.Errorf("the multitool did not analyse %s", filepath.Base(p))
		}
	}
	t.Logf("notes (suggestions only): %v", notes)
}
