package render

import (
	"io"
	"net/url"
	"strings"
	"unicode"

	"github.com/orgctl/orgctl/reconcile"
)

// The subset of SARIF 2.1.0 that orgctl writes, shaped by what GitHub code
// scanning requires (rules with descriptions and help; results with a
// relative URI and a region; partial fingerprints).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifText      `json:"help"`
		HelpURI              string         `json:"helpUri"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	}
)

// FingerprintKey names orgctl's fingerprint in SARIF partialFingerprints.
const FingerprintKey = "orgctlFingerprint/v1"

// SARIF writes a SARIF 2.1.0 log for GitHub code scanning. Every rule of
// the catalogue is described, whether it fired or not.
func SARIF(w io.Writer, r reconcile.Result, o Options) error {
	version := o.Version
	if version == "" {
		version = "0.0.0-dev"
	}
	index := map[string]int{}
	rules := make([]sarifRule, 0, len(reconcile.Catalog))
	for i, ri := range reconcile.Catalog {
		index[ri.ID] = i
		rules = append(rules, sarifRule{
			ID:               ri.ID,
			Name:             ruleName(ri.ID),
			ShortDescription: sarifText{Text: sentence(ri.Summary)},
			FullDescription:  sarifText{Text: sentence(ri.Rationale)},
			Help: sarifText{
				Text:     sentence(ri.Rationale) + " Fix: " + sentence(ri.Fix) + " Fingerprint: " + ri.FingerprintForm + ".",
				Markdown: ri.Rationale + "\n\n**Fix:** " + sentence(ri.Fix) + "\n\nFingerprint: `" + ri.FingerprintForm + "`",
			},
			HelpURI:              "https://github.com/orgctl/orgctl/blob/main/docs/rules.md#" + ri.ID,
			DefaultConfiguration: sarifConfig{Level: ri.Default.String()},
			Properties:           map[string]any{"tags": []string{"orgctl", "people"}, "precision": "very-high", "problem.severity": ri.Default.String()},
		})
	}
	results := []sarifResult{}
	for _, f := range r.Reported(o.Verbose) {
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     f.Severity.String(),
			Message:   sarifText{Text: sentence(oneLine(f.Message))},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: fileURI(f.File), URIBaseID: "%SRCROOT%"},
				Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: f.Column},
			}}},
			PartialFingerprints: map[string]string{FingerprintKey: f.Fingerprint},
		}
		if f.Exempt {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: "exempted by the orgctl Policy"}}
		}
		results = append(results, res)
	}
	return WriteJSON(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: sarifDriver{Name: "orgctl", InformationURI: "https://github.com/orgctl/orgctl", Version: version, Rules: rules}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	})
}

// fileURI turns a slash path into a relative URI reference, escaping each
// segment.
func fileURI(p string) string {
	p = strings.TrimPrefix(p, "./")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// ruleName is a rule's friendly name for SARIF: CoachIsManager for
// coach-is-manager. SARIF wants it to differ from the id, also in case.
func ruleName(id string) string {
	switch id {
	case "parse":
		return "UnreadableYAML"
	case "schema":
		return "SchemaViolation"
	}
	return pascal(id)
}

// pascal turns coach-is-manager into CoachIsManager.
func pascal(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// sentence capitalises s and ends it with a full stop, as SARIF's style
// rules ask of messages.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}
