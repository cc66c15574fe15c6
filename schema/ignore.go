package schema

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// IgnoreFile is the name of the ignore file read at the root of an org
// directory.
const IgnoreFile = ".orgctlignore"

// maxIgnoreFile bounds the ignore file orgctl reads.
const maxIgnoreFile = 1 << 20

// Ignore decides which paths under an org root are left out, with the
// subset of gitignore syntax an org repository needs: one pattern a line,
// blank lines and # comments skipped, * and ? within a path segment,
// [classes], ** across segments, a trailing / for directories only, a
// leading / (or any / but a trailing one) to anchor the pattern at the
// root instead of matching a name at any depth, ! to bring back what an
// earlier pattern left out, and the last pattern that matches wins. As in
// git, nothing inside a directory that is left out comes back.
type Ignore struct {
	rules []ignoreRule
}

type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// ParseIgnore reads patterns, one a line, in gitignore syntax.
func ParseIgnore(data []byte) *Ignore {
	ig := &Ignore{}
	for _, line := range strings.Split(string(data), "\n") {
		ig.Add(line)
	}
	return ig
}

// Add adds one pattern (a line of an ignore file, or an --exclude).
func (ig *Ignore) Add(pattern string) {
	p := strings.TrimSuffix(pattern, "\r")
	// Trailing spaces are ignored unless escaped with a backslash.
	for strings.HasSuffix(p, " ") && !strings.HasSuffix(p, "\\ ") {
		p = p[:len(p)-1]
	}
	if p == "" || p[0] == '#' {
		return
	}
	r := ignoreRule{}
	switch {
	case p[0] == '!':
		r.negate, p = true, p[1:]
	case strings.HasPrefix(p, `\!`), strings.HasPrefix(p, `\#`):
		p = p[1:]
	}
	if strings.HasSuffix(p, "/") {
		r.dirOnly, p = true, strings.TrimRight(p, "/")
	}
	if p == "" {
		return
	}
	anchored := strings.Contains(p, "/")
	p = strings.TrimPrefix(p, "/")
	body := globToRegexp(p)
	if !anchored {
		body = "(?:.*/)?" + body
	}
	re, err := regexp.Compile("^" + body + "$")
	if err != nil {
		re = regexp.MustCompile("^" + regexp.QuoteMeta(p) + "$")
	}
	r.re = re
	ig.rules = append(ig.rules, r)
}

// globToRegexp translates a gitignore glob (without a leading / or a
// trailing one) into a regular expression body.
func globToRegexp(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '*' && strings.HasPrefix(p[i:], "**"):
			before := i == 0 || p[i-1] == '/'
			after := i+2 == len(p) || p[i+2] == '/'
			if !before || !after {
				b.WriteString("[^/]*") // "a**b" is two stars
				i++
				continue
			}
			switch {
			case i+2 == len(p): // "x/**": everything inside
				b.WriteString(".*")
				i++
			default: // "**/x" or "x/**/y": zero or more directories
				b.WriteString("(?:.*/)?")
				i += 2
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(p[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := p[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// match applies the rules to one path: the last rule that matches wins.
func (ig *Ignore) match(rel string, isDir bool) bool {
	ignored := false
	for _, r := range ig.rules {
		if r.dirOnly && !isDir {
			continue
		}
		if r.re.MatchString(rel) {
			ignored = !r.negate
		}
	}
	return ignored
}

// Ignored reports whether rel (a slash path relative to the org root)
// is left out: itself, or a directory it lies in.
func (ig *Ignore) Ignored(rel string, isDir bool) bool {
	if ig == nil || len(ig.rules) == 0 {
		return false
	}
	rel = strings.Trim(path.Clean(rel), "/")
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' && ig.match(rel[:i], true) {
			return true
		}
	}
	return ig.match(rel, isDir)
}

// readIgnore reads an ignore file of at most maxIgnoreFile bytes.
func readIgnore(r io.Reader) (*Ignore, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxIgnoreFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxIgnoreFile {
		return nil, fmt.Errorf("%s is over %d bytes", IgnoreFile, maxIgnoreFile)
	}
	return ParseIgnore(bytes.TrimPrefix(data, utf8BOM)), nil
}
