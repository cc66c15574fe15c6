package ghsync

import (
	"strings"
	"testing"
)

// TestCommentsKeepNamesInTheirPlace: the comments orgctl writes on issues
// and proposals keep a hostile name or branch on its line and inside its
// code span or block, so that it can neither close the block nor start a
// heading, a mention or a link of its own.
func TestCommentsKeepNamesInTheirPlace(t *testing.T) {
	for _, name := range []string{"x\n```\n# h @everyone", "y\r```", "z`\n[l](https://evil.example)", "w\u2028@octocat"} {
		reopen := reopenComment(&Action{want: &Want{Fingerprint: "missing-coach/" + name}})
		fences := 0
		for _, line := range strings.Split(reopen, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " "), "```") {
				fences++
			}
			if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "@") || strings.HasPrefix(line, "[") {
				t.Errorf("reopen comment for %q has a line of its own from the name: %q", name, line)
			}
		}
		if fences != 2 || strings.Contains(reopen, "\r") {
			t.Errorf("reopen comment for %q opens or closes %d fences, want 2:\n%s", name, fences, reopen)
		}
		resolved := proposalResolvedComment("abc123", "orgctl/missing-coach-"+name)
		if strings.ContainsAny(resolved, "\r\n\u2028") || strings.Contains(resolved, "@everyone") || strings.Contains(resolved, "@octocat") {
			t.Errorf("proposal resolved comment for %q breaks its line or mentions someone: %q", name, resolved)
		}
	}
}
