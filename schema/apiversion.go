package schema

import (
	"fmt"
	"strings"
)

// class is what the loader makes of a document from its apiVersion and kind.
type class uint8

const (
	// ours is checked against the schema (including documents missing
	// apiVersion, whose omission the schema reports).
	ours class = iota
	// foreign is another tool's document: skipped and counted.
	foreign
	// unmarked has neither apiVersion nor kind: one error that says so,
	// rather than a finding per missing and unknown field (mkdocs.yml,
	// Helm values).
	unmarked
	// misversioned is one of ours under a foreign or misspelt apiVersion,
	// or a document whose apiVersion is close to ours: an error, never
	// skipped silently (SPEC §2).
	misversioned
)

// classify sorts a document by its apiVersion and kind (SPEC §2).
func classify(apiVersion, kind string) class {
	if apiVersion == APIVersion {
		return ours
	}
	if apiVersion == "" && kind == "" {
		return unmarked
	}
	if apiVersion == "" {
		// Missing: the schema says so (SPEC §6), whatever the kind.
		return ours
	}
	if isOurKind(kind) || closeAPIVersion(apiVersion) {
		return misversioned
	}
	return foreign
}

// isOurKind reports a kind that is, or is a likely misspelling of, one of
// ours.
func isOurKind(kind string) bool {
	return kind != "" && suggest(kind, []string{KindPerson, KindTeam, KindPolicy}) != ""
}

// closeAPIVersion reports an apiVersion that is probably a mistake for
// ours: our group with another version, ours with another case, a group
// whose first label is orgctl give or take one edit, or the whole string
// within two edits of orgctl.dev/v1.
func closeAPIVersion(v string) bool {
	lv := strings.ToLower(v)
	group := lv
	if i := strings.LastIndexByte(lv, '/'); i >= 0 {
		group = lv[:i]
	}
	if group == APIGroup || lv == APIVersion {
		return true
	}
	label, _, _ := strings.Cut(group, ".")
	if boundedDistance(label, "orgctl", 2) <= 1 {
		return true
	}
	return boundedDistance(lv, APIVersion, 3) <= 2
}

// misversionMessage says what is wrong with a misversioned document and
// what to do.
func misversionMessage(apiVersion, kind string) string {
	if closeAPIVersion(apiVersion) {
		return fmt.Sprintf("apiVersion %q is not one orgctl reads (did you mean %q?): this document was not checked", apiVersion, APIVersion)
	}
	return fmt.Sprintf("kind %s with apiVersion %q is not an orgctl document (did you mean apiVersion %q?); if the file belongs to another tool, list it in .orgctlignore or pass --exclude", kind, apiVersion, APIVersion)
}

// unmarkedMessage says what to do with a document with neither apiVersion
// nor kind.
const unmarkedMessage = "the document has neither apiVersion nor kind: if the file belongs to another tool, list it in .orgctlignore or pass --exclude; if it is an orgctl document, add apiVersion: " + APIVersion + " and its kind"
