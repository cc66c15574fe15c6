package render

import (
	"strings"
)

// zwsp is a zero-width space written as an HTML character reference:
// invisible once rendered, it splits @name, #123, scheme:// and www. so that
// GitHub makes no mention, reference or link of them.
const zwsp = "&#8203;"

// mdEscaper escapes, in one pass, every character that means something to
// GitHub Flavored Markdown wherever it appears in a line. At one position
// the first matching pair wins, so "\r\n" comes before "\r".
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
	// One line: a newline would end a table row or start a new block.
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
	"\t", " ",
)

// EscapeMarkdown makes user-supplied text inert in GitHub Flavored Markdown
// and keeps it on one line: no raw HTML, no links, images or autolinks, no
// @mentions or #references, no emphasis, math or code spans, and no
// breaking out of a table cell. The result is safe anywhere in running
// text, in a table cell, or at the start of a line (it cannot open a
// heading, list, quote or code block). It is not for use inside code spans
// or fenced blocks, where Markdown escapes are shown literally. Use it for
// every string that comes from the org's YAML or from GitHub.
func EscapeMarkdown(s string) string {
	// Leading blanks would make a code block at the start of a line, and
	// Markdown drops them anyway.
	s = mdEscaper.Replace(strings.TrimLeft(s, " \t\r\n"))
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
