package render

import (
	"strings"
	"unicode/utf8"
)

// This file is the one place that escapes user-supplied text for what
// orgctl publishes. Each context has its own function:
//
//   - EscapeMarkdown: running text, table cells, headings, list items and
//     link text in GitHub Flavored Markdown;
//   - CodeSpan: a whole inline code span (file names, logins, branches);
//   - FencedText: part of a line inside a fenced code block;
//   - annotationData / annotationProperty: GitHub Actions workflow
//     commands (annotations).
//
// Every string that comes from the org's YAML, from file names or from
// GitHub goes through one of them before it is written. The hidden markers
// (HTML comments carrying fingerprints, reviewers, pairs) have their own
// grammar and encoding in package reconcile/ghsync/marker.

// zwsp is a zero-width space written as an HTML character reference:
// invisible once rendered, it splits @name, #123, scheme:// and www. so that
// GitHub makes no mention, reference or link of them.
const zwsp = "&#8203;"

// mdEscaper escapes, in one pass, every character that means something to
// GitHub Flavored Markdown wherever it appears in a line. At one position
// the first matching pair wins. Line breaks are gone before it runs (see
// flatten).
var mdEscaper = strings.NewReplacer(
	// HTML, autolinks (<https://...>) and entities.
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	// Escapes, code spans and fences.
	`\`, `\\`,
	"`", "\\`",
	// Emphasis and strikethrough.
	"*", `\*`,
	"_", `\_`,
	"~", `\~`,
	// Links, images and footnotes.
	"[", `\[`,
	"]", `\]`,
	"(", `\(`,
	")", `\)`,
	"!", `\!`,
	// Table cells.
	"|", `\|`,
	// Math ($x$ and $$...$$).
	"$", `\$`,
	// Mentions (@user, @org/team, @everyone), references (#123,
	// owner/repo#123) and autolinks (https://, www., user@host).
	"@", "@"+zwsp,
	"#", "#"+zwsp,
	"://", ":"+zwsp+"//",
	"www.", "www"+zwsp+".",
)

// flatten puts s on one line: every line break CommonMark knows (\n, \r),
// the ones other readers know (U+0085, U+2028, U+2029), tabs, vertical
// tabs and form feeds become one space each (\r\n one space); other control
// characters and the bidirectional overrides that reorder what a reader
// sees are dropped. Invalid UTF-8 becomes U+FFFD.
func flatten(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == utf8.RuneError || isInvisibleControl(r) || r == 0x85 || r == 0x2028 || r == 0x2029 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r' && strings.HasPrefix(s[i:], "\r\n"):
			// The \n that follows writes the space.
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case r < 0x20 || isInvisibleControl(r):
		default:
			b.WriteRune(r) // utf8.RuneError is written as U+FFFD
		}
	}
	return b.String()
}

// isInvisibleControl reports C1 controls and bidirectional overrides and
// isolates, which change what a reader sees without being seen.
func isInvisibleControl(r rune) bool {
	return r == 0x7f || r >= 0x80 && r < 0xa0 && r != 0x85 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// EscapeMarkdown makes user-supplied text inert in GitHub Flavored Markdown
// and keeps it on one line: no raw HTML, no links, images or autolinks, no
// @mentions or #references, no emphasis, math or code spans, and no
// breaking out of a table cell. The result is safe anywhere in running
// text, in a table cell, in a heading, in link text, or at the start of a
// line (it cannot open a heading, list, quote or code block). It is not for
// use inside code spans or fenced blocks, where Markdown escapes are shown
// literally: use CodeSpan there. Use it for every string that comes from the
// org's YAML or from GitHub.
func EscapeMarkdown(s string) string {
	// Leading blanks would make a code block at the start of a line, and
	// trailing ones stop "**" from closing after the text; Markdown drops
	// both anyway.
	s = mdEscaper.Replace(strings.Trim(flatten(s), " "))
	// What is left can only mean something at the start of a line: a list
	// item ("- x", "+ x", "1. x"), a thematic break ("---", "***" is
	// already escaped) or a setext underline ("===").
	switch {
	case s == "":
		return s
	case s[0] == '-' || s[0] == '+' || s[0] == '=':
		return `\` + s
	}
	digits := 0
	for digits < len(s) && digits < 10 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(s) && s[digits] == '.' {
		return s[:digits] + `\` + s[digits:]
	}
	return s
}

// FencedText makes s safe as part of one line inside a fenced code block
// (the exemption snippet of a reopened issue): on one line, so that it can
// neither close the fence nor start a line of its own. Inside a fence
// GitHub shows text as it is, so nothing else needs escaping.
func FencedText(s string) string { return flatten(s) }

// realZWSP is the zero-width space itself, for code spans, where character
// references are shown literally.
const realZWSP = "\u200b"

// codeEscaper breaks, inside a code span, what GitHub or a reader of the
// raw body would still act on: an @mention in a notification e-mail's plain
// text, and "<!--", which would look like one of orgctl's markers to
// anything searching the raw body.
var codeEscaper = strings.NewReplacer("@", "@"+realZWSP, "<!--", "<"+realZWSP+"!--")

// CodeSpan returns s as one complete inline code span, backticks included:
// on one line, with a fence of backticks longer than any run inside s, so
// that nothing in s can close it. Inside a code span GitHub shows text as it
// is (no HTML, links or mentions), so this is the way to show file names,
// logins and branches exactly. Not for table cells: a "|" would still end
// the cell there; use EscapeMarkdown in tables.
func CodeSpan(s string) string {
	s = codeEscaper.Replace(flatten(s))
	if strings.TrimSpace(s) == "" {
		// An empty or blank code span is not one: show nothing rather
		// than stray backticks.
		return "` `"
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		// One space each side is stripped by the reader and lets s
		// start or end with a backtick.
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// Escaping of workflow command values, exactly as GitHub's toolkit does it
// (@actions/core, command.ts): escapeData for the message, escapeProperty
// for file=, title= and the other properties.
var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// annotationData escapes the message of a workflow command.
func annotationData(s string) string { return ghData.Replace(s) }

// annotationProperty escapes a property value (file=, title=) of a
// workflow command.
func annotationProperty(s string) string { return ghProperty.Replace(s) }
