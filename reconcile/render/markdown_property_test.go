package render

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/ghsync/marker"
	"github.com/orgctl/orgctl/reconcile/match"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// hostileStrings are what a file name, a name, a display name, a reason
// or a label may hold to break out of the context orgctl writes it in.
var hostileStrings = []string{
	"line\nbreak",
	"\n\n# heading\n\n@everyone",
	"\r\n## heading",
	"a\rb",
	"`code` and ``two``",
	"```\nfence",
	"x`\n@mention`",
	"[click](https://evil.example)",
	"![img](https://evil.example/x.png)",
	"](https://evil.example)",
	"<img src=x onerror=alert(1)>",
	"<script>alert(1)</script>",
	"<!-- orgctl:fingerprint=missing-coach/ceo -->",
	"<!-- orgctl:plan -->",
	"--> <b>out</b>",
	"--!> <b>out</b>",
	"<!--",
	"@octocat @acme/people",
	"ann@example.com",
	"# title",
	"| a | b |",
	`back\slash\`,
	`\|`,
	"line\u2028separator\u2029paragraph\u0085next",
	"zero\u200bwidth\u200c\u200d\u2060\ufeff",
	"@\u200boctocat",
	"\u202eevil",
	"https://evil.example www.evil.example",
	"<https://evil.example>",
	"[x]: https://evil.example",
	"    indented",
	"- item",
	"1. item",
	"> quote",
	"***",
	"~~strike~~",
	"$x$",
	"*bold* _it_",
	"&lt;b&gt; &#64;octocat",
	"<details><summary>x</summary>",
	"</details></sub>",
	"a\x00b\x1b[31m",
	"\xff\xfe invalid",
	"",
	" ",
	"-",
	"`",
}

// gfm parses Markdown as GitHub does, near enough: tables, autolinks
// (linkify) and strikethrough.
var gfm = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Linkify, extension.Strikethrough, extension.TaskList))

// mentionRE is an @mention GitHub would notify: @ right before a login's
// first character.
var mentionRE = regexp.MustCompile(`@[A-Za-z0-9]`)

// shape is what a Markdown document is made of apart from its words: the
// kinds of every node but text, in document order, and the raw HTML.
type shape struct {
	kinds    []string
	html     []string
	mentions []string
	links    []string
}

func shapeOf(md string) shape {
	src := []byte(md)
	doc := gfm.Parser().Parse(text.NewReader(src))
	var s shape
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			if m := mentionRE.FindString(string(n.Segment.Value(src))); m != "" {
				s.mentions = append(s.mentions, string(n.Segment.Value(src)))
			}
			return ast.WalkContinue, nil
		case *ast.String, *ast.TextBlock:
			// A TextBlock wraps a tight list item's text, and is
			// missing only when the item is empty.
			return ast.WalkContinue, nil
		case *ast.Link, *ast.Image, *ast.AutoLink:
			s.links = append(s.links, fmt.Sprintf("%s in %q", n.Kind(), linesOf(n, src)))
		case *ast.RawHTML:
			var b bytes.Buffer
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(src))
			}
			s.html = append(s.html, b.String())
		case *ast.HTMLBlock:
			s.html = append(s.html, linesOf(n, src))
		}
		s.kinds = append(s.kinds, n.Kind().String())
		return ast.WalkContinue, nil
	})
	return s
}

func linesOf(n ast.Node, src []byte) string {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if hb, ok := n.(*ast.HTMLBlock); ok && hb.HasClosure() {
		b.Write(hb.ClosureLine.Value(src))
	}
	return b.String()
}

// markdownRenderers are every Markdown renderer orgctl publishes with, each
// fed u in every user-controlled field. markers are the hidden markers the
// result must carry, exactly once each.
var markdownRenderers = []struct {
	name    string
	render  func(u string) string
	markers func(u string) []string
	// uncut is set for a renderer whose output is cut to a size limit:
	// the cut falls elsewhere for other text, so only the links, mentions
	// and markers are compared, and the raw HTML with what uncut writes.
	uncut func(u string) string
}{
	{
		name: "issue body",
		render: func(u string) string {
			d := reconcile.DesiredIssue{
				Fingerprint: reconcile.Fingerprint("missing-coach", u, ""),
				Title:       u + " has no coach",
				Finding: reconcile.Finding{Rule: "missing-coach", Subject: u, Message: u + " has no coach (" + u + ")",
					File: "/abs/" + u, Rel: "people/" + u + ".yaml", Line: 3},
				Candidates: []string{u, "carol (" + u + ")"},
			}
			return IssueBody(d, "x"+u)
		},
		markers: func(u string) []string {
			return []string{fpMarker(reconcile.Fingerprint("missing-coach", u, "")),
				marker.Write(marker.Marker{Kind: marker.Unassigned, Login: "x" + u})}
		},
	},
	{
		name: "proposal body",
		render: func(u string) string {
			d := match.DesiredProposal{
				Fingerprint: reconcile.Fingerprint("missing-coach", u, ""),
				Rule:        "missing-coach",
				Finding:     reconcile.Finding{Rule: "missing-coach", Subject: u, Message: u + " has no coach"},
				Suggestion: match.Suggestion{Person: u, Candidate: u, Role: match.RoleCoach, Replaces: u,
					Reasons: []string{u, "in team " + u}},
			}
			return ProposalBody(d, "org/"+u+".yaml", Reviews{Asked: []string{u, "boss"}, Refused: []string{u}})
		},
		markers: func(u string) []string {
			return []string{fpMarker(reconcile.Fingerprint("missing-coach", u, "")),
				marker.Write(marker.Marker{Kind: marker.Reviewers, Asked: []string{u, "boss"}, Refused: []string{u}}),
				marker.Write(marker.Marker{Kind: marker.Pairs, Pairs: []marker.Pair{{Coach: u, Coachee: u}}})}
		},
	},
	{
		name:    "plan comment",
		render:  func(u string) string { return PlanMarkdown(hostilePlan(u), PlanOptions{Base: "origin/" + u}) },
		markers: func(string) []string { return []string{PlanMarker} },
	},
	{
		name: "plan comment cut to a small limit",
		render: func(u string) string {
			return PlanMarkdown(hostilePlan(strings.Repeat(u+" ", 40)), PlanOptions{Base: u, Limit: 2500})
		},
		markers: func(string) []string { return []string{PlanMarker} },
		uncut:   func(u string) string { return PlanMarkdown(hostilePlan(u), PlanOptions{Base: u}) },
	},
	{
		name: "step summary",
		render: func(u string) string {
			var b strings.Builder
			r := reconcile.Result{Findings: []reconcile.Finding{
				{Rule: "missing-coach", Severity: reconcile.Error, Subject: u, Message: u + " has no coach", File: u, Rel: u, Line: 2},
				{Rule: reconcile.RuleID(u), Severity: reconcile.Warning, Subject: u, Message: u, File: "/abs/" + u, Rel: "a/" + u, Line: 0},
			}, Summary: reconcile.Summary{Errors: 1, Warnings: 1}}
			if err := StepSummary(&b, r, Options{}); err != nil {
				panic(err)
			}
			return b.String()
		},
	},
}

// hostilePlan is a plan with u in every string a plan carries.
func hostilePlan(u string) reconcile.Plan {
	f := func(rule string, sev reconcile.Severity) reconcile.Finding {
		return reconcile.Finding{Rule: reconcile.RuleID(rule), Severity: sev, Subject: u, Fingerprint: rule + "/" + u,
			Message: u + " has no coach", File: "/abs/" + u, Rel: u + ".yaml", Line: 4}
	}
	return withRelations(reconcile.Plan{
		Changes: []reconcile.Change{
			{Kind: "Person", Name: u, Action: reconcile.ActionAdd, Fields: []reconcile.FieldChange{{Field: "displayName", To: u}, {Field: "coach", To: u}}},
			{Kind: "Person", Name: u + "2", Action: reconcile.ActionChange, Fields: []reconcile.FieldChange{
				{Field: "manager", From: u, To: "boss"},
				{Field: "mentors", From: []string{u + " (" + u + ")"}, To: nil},
				{Field: u, From: nil, To: []string{u, u}},
			}, Effects: []string{u + " loses their coach " + u}},
			{Kind: u, Name: u, Action: reconcile.ActionRemove},
		},
		Findings: reconcile.PlanFindings{
			Introduced: []reconcile.Finding{f("missing-coach", reconcile.Error), f(u, reconcile.Warning)},
			Resolved:   []reconcile.Finding{f("coach-is-manager", reconcile.Error)},
			Unchanged:  []reconcile.Finding{f("missing-coach", reconcile.Error)},
		},
		GitHub:  []reconcile.GitHubAction{{Action: "create", Type: "issue", Fingerprint: "missing-coach/" + u, Title: u + " has no coach"}, {Action: "close", Type: "issue", Number: 12, Title: u}},
		Summary: reconcile.PlanSummary{Add: 1, Change: 1, Remove: 1, Errors: 1, Warnings: 1},
	})
}

// checkInert renders u through every Markdown renderer and compares the
// parsed result with the same renderer fed a plain word: user text may
// change the words, never the shape (no node kind appears, disappears or
// moves: no link, image, autolink, HTML, heading, list, table row or code
// block comes from it), no raw HTML differs, no @mention survives, and
// every hidden marker is there exactly once.
func checkInert(t *testing.T, u string) {
	t.Helper()
	for _, r := range markdownRenderers {
		got, plain := r.render(u), r.render("word")
		cut := r.uncut != nil
		if cut {
			plain = r.uncut("word")
		}
		// Markers carry the text, encoded: compare them apart.
		var markers []string
		if r.markers != nil {
			markers = r.markers(u)
			for i, m := range r.markers("word") {
				plain = strings.Replace(plain, m, fmt.Sprintf("<!-- marker %d -->", i), 1)
			}
		}
		stripped := got
		for i, m := range markers {
			stripped = strings.Replace(stripped, m, fmt.Sprintf("<!-- marker %d -->", i), 1)
		}
		want, s := shapeOf(plain), shapeOf(stripped)
		if len(s.links) > 0 {
			t.Errorf("%s of %q: links from user text: %q\n%s", r.name, u, s.links, got)
		}
		if len(s.mentions) > 0 {
			t.Errorf("%s of %q: @mentions in text: %q\n%s", r.name, u, s.mentions, got)
		}
		if cut {
			for _, h := range s.html {
				if !slices.Contains(want.html, h) {
					t.Errorf("%s of %q: raw HTML %q from user text\n%s", r.name, u, h, got)
				}
			}
		} else if !slices.Equal(s.html, want.html) {
			t.Errorf("%s of %q: raw HTML\n got %q\nwant %q\n%s", r.name, u, s.html, want.html, got)
		}
		// Blank text leaves an empty "**" or list item where a word was:
		// a node less, never one more.
		blank := strings.TrimSpace(flatten(u)) == ""
		if !cut && !blank && !slices.Equal(s.kinds, want.kinds) {
			t.Errorf("%s of %q: the document's shape changed\n got %v\nwant %v\n%s", r.name, u, s.kinds, want.kinds, got)
		}
		if r.markers != nil {
			for _, m := range markers {
				if n := strings.Count(got, m); n != 1 {
					t.Errorf("%s of %q: marker %q appears %d times\n%s", r.name, u, m, n, got)
				}
			}
			if n, want := strings.Count(got, "<!-- orgctl:"), len(r.markers(u)); n != want {
				t.Errorf("%s of %q: %d orgctl markers, want %d\n%s", r.name, u, n, want, got)
			}
		}
	}
}

func TestMarkdownRenderersKeepUserTextInert(t *testing.T) {
	for _, u := range hostileStrings {
		checkInert(t, u)
	}
	// Several at once, as a real name or file name might combine them.
	checkInert(t, strings.Join(hostileStrings, " "))
}

// fpMarker is the fingerprint marker orgctl writes for fp.
func fpMarker(fp string) string {
	return marker.Write(marker.Marker{Kind: marker.Fingerprint, Fingerprint: fp})
}

func FuzzMarkdownRenderersKeepUserTextInert(f *testing.F) {
	for _, u := range hostileStrings {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u string) {
		checkInert(t, u)
	})
}

// annotationRE is one workflow command as GitHub's runner reads it: the
// level, properties without ":" or ",", and the message, on one line.
var annotationRE = regexp.MustCompile(`^::(error|warning|notice) ((?:file|line|col|title)=[^:,\r\n]*(?:,(?:file|line|col|title)=[^:,\r\n]*)*)::([^\r\n]*)\n$`)

func TestAnnotationsKeepUserTextInItsProperty(t *testing.T) {
	for _, u := range append(hostileStrings, "a::error file=x::y", "100%0A", "x,title=forged", "C:/org/a.yaml") {
		f := reconcile.Finding{Rule: "missing-coach", Severity: reconcile.Error, Message: u, File: u + ".yaml", Rel: "people/" + u + ".yaml", Line: 3, Column: 2}
		got := annotation(f)
		m := annotationRE.FindStringSubmatch(got)
		if m == nil {
			t.Errorf("annotation of %q is not one workflow command: %q", u, got)
			continue
		}
		props := strings.Split(m[2], ",")
		if len(props) != 4 || !strings.HasPrefix(props[0], "file=") || props[3] != "title=orgctl missing-coach" {
			t.Errorf("annotation of %q: properties %q, want file, line, col and title", u, props)
		}
		if strings.Contains(props[0], "file=/") {
			t.Errorf("annotation of %q names an absolute path: %q", u, props[0])
		}
	}
	// A path outside the working directory is published relative to the
	// org root.
	got := annotation(reconcile.Finding{Rule: "r", Severity: reconcile.Warning, Message: "m", File: "/home/runner/org/people/a.yaml", Rel: "people/a.yaml", Line: 1})
	if !strings.Contains(got, "file=people/a.yaml,") {
		t.Errorf("an absolute path is not published relative to the org root: %q", got)
	}
}
