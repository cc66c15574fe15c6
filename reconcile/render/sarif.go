package render

import (
	"io"
	"regexp"
	"strings"
	"unicode"

	"github.com/orgctl/orgctl/reconcile"
)

// The subset of SARIF 2.1.0 that orgctl writes, shaped by what GitHub code
// scanning reads: rules with descriptions and help, results with a
// relative URI, a region and a partial fingerprint. Structs rather than
// maps keep the field order stable.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult            `json:"results"`
		ColumnKind         string                   `json:"columnKind"`
		// Properties count the private findings left out (never named).
		Properties map[string]any `json:"properties,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		InformationURI  string      `json:"informationUri"`
		Version         string      `json:"version"`
		SemanticVersion string      `json:"semanticVersion,omitempty"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID                   string              `json:"id"`
		Name                 string              `json:"name"`
		ShortDescription     sarifMessage        `json:"shortDescription"`
		FullDescription      sarifMessage        `json:"fullDescription"`
		Help                 sarifMessage        `json:"help"`
		DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
		Properties           sarifRuleProperties `json:"properties"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	// sarifRuleProperties are the rule properties GitHub code scanning
	// reads: tags to filter by, and the severity it shows.
	sarifRuleProperties struct {
		Tags            []string `json:"tags"`
		Precision       string   `json:"precision"`
		ProblemSeverity string   `json:"problem.severity"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           *int               `json:"ruleIndex,omitempty"`
		Level               string             `json:"level"`
		Message             sarifMessage       `json:"message"`
		Locations           []sarifLocation    `json:"locations,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI         string        `json:"uri,omitempty"`
		URIBaseID   string        `json:"uriBaseId,omitempty"`
		Description *sarifMessage `json:"description,omitempty"`
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

const (
	// sarifSchema and sarifVersion identify SARIF 2.1.0.
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// srcRoot is the uriBaseId of every relative file URI: the directory
	// orgctl ran in, which in a workflow is the repository's checkout.
	srcRoot = "%SRCROOT%"
)

// FingerprintKey names orgctl's fingerprint (RULE/subject[/other]) in SARIF
// partialFingerprints. GitHub code scanning matches alerts across runs by
// it, so moving lines does not open new alerts. The /v1 suffix is SARIF's
// convention for versioning a fingerprint's computation.
const FingerprintKey = "orgctl/v1"

// SARIF writes a SARIF 2.1.0 log for GitHub code scanning (and any other
// SARIF viewer). Every rule of reconcile.Rules is described, whether it
// fired or not, so that GitHub can show a rule's help for any alert; each
// finding becomes a result with the file as a URI relative to %SRCROOT%
// (a file: URI for an absolute path), its line and column, and its
// fingerprint. With o.Verbose, exempt findings are included as suppressed
// results.
//
// There is deliberately no run.automationDetails: GitHub's upload-sarif
// keeps an id found in the file over its own category input, so a fixed
// id would make two orgctl jobs in one repository overwrite each other's
// alerts.
func SARIF(w io.Writer, r reconcile.Result, o Options) error {
	version, semantic := sarifVersions(o.Version)
	index := make(map[reconcile.RuleID]int, len(reconcile.Rules()))
	rules := make([]sarifRule, 0, len(reconcile.Rules()))
	for i, ri := range reconcile.Rules() {
		index[ri.ID] = i
		rules = append(rules, sarifRuleOf(ri))
	}
	results := []sarifResult{}
	public, private := reconcile.Publishable(r.Reported(o.Verbose))
	var props map[string]any
	if private.N > 0 {
		props = map[string]any{"orgctl/privateFindings": private.N, "orgctl/privateNote": private.Note()}
	}
	for _, f := range public {
		res := sarifResult{
			RuleID:              string(f.Rule),
			Level:               f.Severity.String(),
			Message:             sarifMessage{Text: sarifPlainText(f.Message)},
			PartialFingerprints: map[string]string{FingerprintKey: f.Fingerprint},
		}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		if f.File != "" {
			loc := sarifPhysicalLocation{ArtifactLocation: artifactOf(workspaceFile(f))}
			// GitHub needs a line; a finding about a whole file points
			// at its first line.
			loc.Region = &sarifRegion{StartLine: max(f.Line, 1)}
			if f.Line > 0 && f.Column > 0 {
				loc.Region.StartColumn = f.Column
			}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		if f.Exempt {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: "exempted in the orgctl Policy (spec.exemptions)"}}
		}
		results = append(results, res)
	}
	return WriteJSON(w, sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:            "orgctl",
				InformationURI:  "https://github.com/orgctl/orgctl",
				Version:         version,
				SemanticVersion: semantic,
				Rules:           rules,
			}},
			OriginalURIBaseIDs: map[string]sarifArtifact{srcRoot: {Description: &sarifMessage{
				Text: "The directory orgctl ran in (in a workflow, the repository's checkout); file paths are relative to it."}}},
			Results:    results,
			ColumnKind: "unicodeCodePoints",
			Properties: props,
		}},
	})
}

// sarifLinkEscaper escapes square brackets, which SARIF consumers read as
// embedded links ("[text](target)") in plain text messages (SARIF §3.11.6).
var sarifLinkEscaper = strings.NewReplacer("[", `\[`, "]", `\]`)

// sarifPlainText is a finding's message as a SARIF plain text message: on
// one line like the text output, and with no embedded link a viewer would
// follow.
func sarifPlainText(s string) string { return sarifLinkEscaper.Replace(oneLine(s)) }

// sarifRuleOf describes one rule of the registry as a SARIF reportingDescriptor.
func sarifRuleOf(ri *reconcile.Rule) sarifRule {
	level := ri.Default.String()
	return sarifRule{
		ID:               string(ri.ID),
		Name:             ruleName(ri),
		ShortDescription: sarifMessage{Text: sentence(ri.Summary)},
		FullDescription:  sarifMessage{Text: sentence(ri.Rationale)},
		Help: sarifMessage{
			Text: sentence(ri.Rationale) + "\n\nFix: " + sentence(ri.Fix) +
				"\n\nFingerprint: " + ri.FingerprintForm + " (stays the same when lines move).",
			Markdown: sentence(ri.Rationale) + "\n\n**Fix:** " + sentence(ri.Fix) +
				"\n\n**Fingerprint:** `" + ri.FingerprintForm + "` (stays the same when lines move).",
		},
		DefaultConfiguration: sarifConfiguration{Level: level},
		Properties: sarifRuleProperties{
			Tags: []string{"orgctl"},
			// Findings are facts about the YAML, not guesses.
			Precision:       "very-high",
			ProblemSeverity: level,
		},
	}
}

// artifactOf locates a file given as a slash path: a path relative to the
// directory orgctl ran in becomes a relative URI reference resolved
// against %SRCROOT%; an absolute path becomes a file: URI.
func artifactOf(file string) sarifArtifact {
	file = strings.TrimPrefix(file, "./")
	switch {
	case strings.HasPrefix(file, "/"):
		return sarifArtifact{URI: "file://" + escapePath(file)}
	case len(file) >= 3 && file[1] == ':' && file[2] == '/' && unicode.IsLetter(rune(file[0])):
		// A Windows drive, C:/org/a.yaml.
		return sarifArtifact{URI: "file:///" + file[:2] + escapePath(file[2:])}
	}
	return sarifArtifact{URI: escapePath(file), URIBaseID: srcRoot}
}

// escapePath percent-encodes a slash path for a URI: every byte but the
// unreserved characters of RFC 3986 and the slashes between segments. So
// spaces, '%', '#', '?' and non-ASCII letters are encoded, and, in a
// relative reference, so is a ':' that would otherwise read as a scheme.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// semverRE is Semantic Versioning 2.0.0's own regular expression.
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// sarifVersions turns orgctl's version into tool.driver's version, which
// SARIF tools want to start with a number, and semanticVersion, which must
// be SemVer 2.0 ("" leaves it out). "v1.2.3" gives "1.2.3" for both; a
// build that is not a release, such as a bare commit "abc1234-dirty" from
// git describe, gives "0.0.0-dev+abc1234-dirty".
func sarifVersions(v string) (version, semantic string) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	switch {
	case v == "":
		v = "0.0.0-dev"
	case v[0] < '0' || v[0] > '9':
		v = "0.0.0-dev+" + buildMetadata(v)
	}
	if semverRE.MatchString(v) {
		return v, v
	}
	return v, ""
}

// buildMetadata keeps what SemVer allows in build metadata: dot-separated
// identifiers of ASCII letters, digits and hyphens.
func buildMetadata(s string) string {
	var ids []string
	for _, id := range strings.Split(s, ".") {
		id = strings.Trim(strings.Map(func(r rune) rune {
			if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '-' {
				return r
			}
			return '-'
		}, id), "-")
		if id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "unknown"
	}
	return strings.Join(ids, ".")
}

// ruleName is a rule's friendly name for SARIF: its Name, or its id in
// Pascal case (CoachIsManager for coach-is-manager), with "Rule" appended
// when that would differ from the id only in case (SARIF wants a rule's
// name to differ from its id by more than case).
func ruleName(r *reconcile.Rule) string {
	if r.Name != "" {
		return r.Name
	}
	id := string(r.ID)
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	name := b.String()
	if strings.EqualFold(name, id) {
		return name + "Rule"
	}
	return name
}

// sentence capitalises s and ends it with a full stop, as SARIF's style
// rules ask of descriptions. Only for orgctl's own text: capitalising a
// message would change the names in it.
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
