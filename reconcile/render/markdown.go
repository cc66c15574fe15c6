package render

import (
	"strings"
)

// zwsp is a zero-width space written as an HTML entity: invisible when
// rendered, it stops GitHub from turning @name into a mention and a URL
// into a link.
const zwsp = "&#8203;"

var mdEscaper = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`\`, `\\`,
	"`", "\\`",
	"*", `\*`,
	"_", `\_`,
	"[", `\[`,
	"]", `\]`,
	"(", `\(`,
	")", `\)`,
	"!", `\!`,
	"|", `\|`,
	"~", `\~`,
	"#", `\#`,
	"@", "@"+zwsp,
	"://", ":"+zwsp+"//",
	"www.", "www"+zwsp+".",
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
)

// EscapeMarkdown makes user-supplied text inert in GitHub Markdown: no
// HTML, no links or images, no @mentions, no emphasis, no breaking out of
// a table cell or code span, all on one line. Use it for every string that
// comes from the org's YAML.
func EscapeMarkdown(s string) string { return mdEscaper.Replace(s) }
