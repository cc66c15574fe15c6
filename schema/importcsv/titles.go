package importcsv

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/orgctl/orgctl/schema"
)

// DefaultTitles is the title → level mapping used when the Policy has no
// spec.titles: levels are tried in this order and the first one with a
// matching pattern wins (case-insensitive). The lowering words (intern,
// junior) come first because a junior title also names a role ("Junior
// Engineer"), then the ladder from the top down, and the plain roles,
// which mean mid, last. "Chief of Staff" is staff, not a chief.
var DefaultTitles = []schema.TitleLevel{
	{Level: "intern", Patterns: []string{`\b(intern|internship|trainee|apprentice|working student)\b`}},
	{Level: "junior", Patterns: []string{`^(junior|jr\.?|graduate|entry[- ]level)\b`, `\b(engineer|developer|analyst|designer) (i|1)$`}},
	{Level: "executive", Patterns: []string{
		`^chief (executive|technology|technical|financial|operating|product|people|marketing|information|security|data|revenue|commercial|customer|legal|design|business|growth|strategy)\b`,
		`^(ceo|cto|cfo|coo|cpo|cmo|cio|ciso|cro|cdo|president|founder|co-?founder)\b`,
		`\bvice president\b`, `^(s|e)?vp\b`, `^head of\b`, `\b(general manager|managing director)\b`,
	}},
	{Level: "principal", Patterns: []string{`\b(principal|distinguished|fellow)\b`, `\bdirector\b`}},
	{Level: "staff", Patterns: []string{`\bstaff\b`, `\bchief of staff\b`, `^senior manager\b`}},
	{Level: "senior", Patterns: []string{`^(senior|sr\.?)\b`, `\b(lead|manager)\b`, `\b(engineer|developer|analyst|designer) (iii|3)$`}},
	{Level: "mid", Patterns: []string{
		`\b(engineer|developer|programmer|analyst|designer|scientist|specialist|consultant|accountant|recruiter|administrator|coordinator|generalist|representative|writer|researcher|architect|marketer|partner|associate|officer|advisor|executive|agent|technician|tester)\b`,
	}},
}

// titleRule is one compiled pattern and its level.
type titleRule struct {
	level string
	re    *regexp.Regexp
}

// compileTitles compiles a title mapping for a ladder: levels that are
// not on the ladder are left out (they could not be written), and a
// pattern that does not compile is an error naming it.
func compileTitles(titles []schema.TitleLevel, ladder []string) ([]titleRule, error) {
	var out []titleRule
	for _, t := range titles {
		if !slices.Contains(ladder, t.Level) {
			continue
		}
		for _, p := range t.Patterns {
			re, err := regexp.Compile("(?i)" + p)
			if err != nil {
				return nil, fmt.Errorf("Policy.spec.titles.%s: pattern %q is not a regular expression (%v): fix it in the Policy", t.Level, p, err)
			}
			out = append(out, titleRule{level: t.Level, re: re})
		}
	}
	return out, nil
}

// levelOfTitle is the level of the first rule matching title, or "".
func levelOfTitle(rules []titleRule, title string) string {
	title = cleanText(title, 200)
	for _, r := range rules {
		if r.re.MatchString(title) {
			return r.level
		}
	}
	return ""
}
