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

// TestEveryCommandHasAHelpFile: the long help and examples live in
// help/*.txt; every command a user can reach reads its own file, and no
// file is left over that no command reads (a renamed command would
// otherwise lose its help silently).
func TestEveryCommandHasAHelpFile(t *testing.T) {
	ios, _, _ := testIO(nil)
	root := newRootCmd(ios)
	unused := map[string]bool{}
	entries, err := helpFiles.ReadDir("help")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		unused["help/"+e.Name()] = true
	}
	if len(unused) < 13 {
		t.Fatalf("only %d help files embedded", len(unused))
	}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		name := helpFile(c)
		b, err := helpFiles.ReadFile(name)
		if err != nil {
			t.Errorf("%s has no help file %s", c.CommandPath(), name)
		} else {
			_, example, ok := strings.Cut("\n"+string(b), "\n"+exampleMark)
			if !ok {
				t.Errorf("%s has no %q line", name, strings.TrimSpace(exampleMark))
			}
			if strings.TrimSuffix(example, "\n") != c.Example {
				t.Errorf("%s: Example is not the text of %s", c.CommandPath(), name)
			}
		}
		delete(unused, name)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for name := range unused {
		t.Errorf("%s is read by no command: rename or remove it", name)
	}
}
