package render

import (
	"strings"
	"testing"
)

func TestEscapeMarkdown(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		// Ordinary text is left alone.
		{"empty", "", ""},
		{"plain", "alice", "alice"},
		{"name", "Ann-Marie O'Neil", "Ann-Marie O'Neil"},
		{"path", "org/people/a-b.yaml", "org/people/a-b.yaml"},
		{"unicode", "Олена → Zoë", "Олена → Zoë"},
		{"quotes", `say "hi", ok?`, `say "hi", ok?`},
		{"percent and colon", "100% a,b:c", "100% a,b:c"},

		// No raw HTML, and entities stay literal text.
		{"tag", "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"script", "<script>alert(1)</script>", `&lt;script&gt;alert\(1\)&lt;/script&gt;`},
		{"comment", "<!-- orgctl:plan -->", "&lt;\\!-- orgctl:plan --&gt;"},
		{"ampersand", "a & b", "a &amp; b"},
		{"entity stays literal", "&lt;&#64;", "&amp;lt;&amp;#&#8203;64;"},
		{"angle autolink", "<https://e.com>", "&lt;https:&#8203;//e.com&gt;"},

		// No links, images, footnotes or autolinks.
		{"link", "[x](http://e.com)", `\[x\]\(http:&#8203;//e.com\)`},
		{"image", "![img](x)", `\!\[img\]\(x\)`},
		{"reference link", "[x][1]", `\[x\]\[1\]`},
		{"footnote", "[^1]", `\[^1\]`},
		{"bare url", "see https://evil.example/a", "see https:&#8203;//evil.example/a"},
		{"www", "see www.evil.com", "see www&#8203;.evil.com"},
		{"email autolink", "alice@example.com", "alice@&#8203;example.com"},

		// No mentions or references that notify someone.
		{"mentions", "@everyone @octocat", "@&#8203;everyone @&#8203;octocat"},
		{"team mention", "@acme/people", "@&#8203;acme/people"},
		{"issue reference", "fixes #123", "fixes #&#8203;123"},
		{"cross-repo reference", "acme/people#1", "acme/people#&#8203;1"},

		// No emphasis, strikethrough, math or code.
		{"code span", "`code`", "\\`code\\`"},
		{"code fence", "```sh", "\\`\\`\\`sh"},
		{"tilde fence", "~~~", `\~\~\~`},
		{"emphasis", "*bold* _it_ ~s~", `\*bold\* \_it\_ \~s\~`},
		{"math", "$x$ and $$y$$", `\$x\$ and \$\$y\$\$`},
		{"backslash", `back\slash`, `back\\slash`},
		{"escaped escape", `\*`, `\\\*`},

		// One table cell, one line.
		{"pipe", "a | b", `a \| b`},
		{"newlines", "line\nbreak\r\nx\ry", "line break x y"},
		{"tab", "a\tb", "a b"},

		// Nothing that opens a block at the start of a line.
		{"heading", "# Title", "#&#8203; Title"},
		{"quote", "> quoted", "&gt; quoted"},
		{"bullet", "- item", `\- item`},
		{"plus bullet", "+ item", `\+ item`},
		{"star bullet", "* item", `\* item`},
		{"ordered list", "1. first", `1\. first`},
		{"ordered list paren", "2) second", `2\) second`},
		{"number in text", "3 people", "3 people"},
		{"decimal", "1.5 years", `1\.5 years`},
		{"thematic break", "---", `\---`},
		{"setext underline", "===", `\===`},
		{"indented code", "    code", "code"},
		{"leading newline", "\n# x", "#&#8203; x"},
		{"dash inside", "a - b", "a - b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscapeMarkdown(tt.in); got != tt.want {
				t.Errorf("EscapeMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestEscapeMarkdownIsInert checks properties that must hold for any
// input: one line, no raw HTML, no unescaped table pipe, link bracket,
// backtick or mention.
func TestEscapeMarkdownIsInert(t *testing.T) {
	inputs := []string{hostile, "@@everyone", "\\@x", "\\|", "\\`", "&#64;x", "a\r\n|b", "[](<>)", strings.Repeat("`|@#<", 20)}
	for _, in := range inputs {
		got := EscapeMarkdown(in)
		if strings.ContainsAny(got, "\r\n\t<>") {
			t.Errorf("EscapeMarkdown(%q) = %q: contains a line break, tab or angle bracket", in, got)
		}
		for i := 0; i < len(got); i++ {
			if strings.HasPrefix(got[i:], zwsp) {
				i += len(zwsp) - 1
				continue
			}
			switch got[i] {
			case '|', '`', '[', ']', '(', ')', '*', '_', '$':
				if backslashesBefore(got, i)%2 == 0 {
					t.Errorf("EscapeMarkdown(%q) = %q: unescaped %q at %d", in, got, got[i], i)
				}
			case '@', '#':
				if !strings.HasPrefix(got[i+1:], zwsp) {
					t.Errorf("EscapeMarkdown(%q) = %q: %q at %d is not followed by a zero-width space", in, got, got[i], i)
				}
			}
		}
	}
}

// backslashesBefore counts the backslashes right before s[i].
func backslashesBefore(s string, i int) int {
	n := 0
	for i > 0 && s[i-1] == '\\' {
		n++
		i--
	}
	return n
}

func TestCodeSpan(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"people/a.yaml", "`people/a.yaml`"},
		{"a `b` c", "``a `b` c``"},
		{"``x", "``` ``x ```"},
		{"x`", "`` x` ``"},
		{"a\nb\r\nc\u2028d", "`a b c d`"},
		{"@octocat", "`@\u200boctocat`"},
		{"<!-- orgctl:plan -->", "`<\u200b!-- orgctl:plan -->`"},
		{"", "` `"},
		{" a ", "`  a  `"},
	} {
		if got := CodeSpan(tt.in); got != tt.want {
			t.Errorf("CodeSpan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFencedTextStaysOnItsLine(t *testing.T) {
	for _, in := range []string{"a\n```\nrm -rf", "x\r```", "y\u2028```", "z\u0085~~~"} {
		if got := FencedText(in); strings.ContainsAny(got, "\r\n\u2028\u0085") {
			t.Errorf("FencedText(%q) = %q: it breaks the line", in, got)
		}
	}
}
