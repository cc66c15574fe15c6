package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasLongHelpAndExamples: `orgctl COMMAND --help` always
// says what the command does at length and shows how to call it, for every
// command and subcommand a user can reach.
func TestEveryCommandHasLongHelpAndExamples(t *testing.T) {
	ios, _, _ := testIO(nil)
	root := newRootCmd(ios)
	// newRootCmd adds completion and help itself (cobra would add them only
	// when it runs), so they are walked too.
	seen := 0
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		seen++
		name := c.CommandPath()
		if strings.TrimSpace(c.Long) == "" {
			t.Errorf("%s has no Long help", name)
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s has no Example", name)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			if line != "" && !strings.HasPrefix(line, "  ") {
				t.Errorf("%s: example line %q is not indented by two spaces like the others", name, line)
			}
		}
		if c.Short == "" || strings.HasSuffix(c.Short, ".") {
			t.Errorf("%s: Short %q should be set and not end with a period", name, c.Short)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if seen < 13 {
		t.Errorf("walked only %d commands", seen)
	}
}
