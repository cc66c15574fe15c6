package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestExitCodeTable holds every command to the README's one exit-code
// table: the table says 0 success, 1 findings, 2 usage; each command is run
// into each row it can reach, and every command (including ones added
// later) exits 2 on a flag it does not have and on an -o it refuses.
func TestExitCodeTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`(?m)^\| \*\*(\d)\*\* \| (\S+)`).FindAllStringSubmatch(string(readme), -1)
	table := map[int]string{}
	for _, r := range rows {
		n, _ := strconv.Atoi(r[1])
		table[n] = r[2]
	}
	for code, word := range map[int]string{exitOK: "success:", exitFindings: "findings", exitUsage: "a"} {
		if table[code] != word {
			t.Errorf("README's exit-code table: row %d starts %q, want %q (the code's exitOK/exitFindings/exitUsage)", code, table[code], word)
		}
	}

	acme, conflicts := "../../examples/acme", "../../examples/conflicts"
	cases := map[string][][]string{
		// command: {args → 0}, {args → 1}, {args → 2}; nil when a row
		// cannot be reached without GitHub.
		"validate": {{acme}, {conflicts}, {"nope-no-such-dir"}},
		"plan":     {{acme, "--base-dir", acme}, {conflicts, "--base-dir", acme}, {acme, "--base-dir", acme, "--base", "HEAD"}},
		"get":      {{"people", "-f", acme}, nil, {"people", "nobody", "-f", acme}},
		"describe": {{"person", "eva", "-f", acme}, nil, {"person", "nobody", "-f", acme}},
		"graph":    {{"-f", acme}, nil, {"--person", "nobody", "-f", acme}},
		"rules":    {{}, nil, {"extra"}},
		"schema":   {{}, nil, {"extra"}},
		"version":  {{}, nil, {"extra"}},
		"apply":    {nil, {conflicts + "/broken", "--dry-run", "--repo", "acme/people"}, {acme, "--max-changes", "-1"}},
		"comment":  {nil, nil, {"no-such-plan.json"}},
		"suggest":  {{"-f", acme}, nil, {"nobody", "-f", acme}},
		"init":     {{t.TempDir()}, nil, {"a", "b"}},
		"import":   {nil, nil, {"csv", "no-such-export.csv"}},
	}
	root := newRootCmd(&ioStreams{Getenv: func(string) string { return "" }})
	for _, c := range root.Commands() {
		name := c.Name()
		t.Run(name, func(t *testing.T) {
			expect(t, 2, name, "--no-such-flag")
			if c.Runnable() {
				expect(t, 2, name, "-o", "no-such-format")
			}
			for code, args := range cases[name] {
				if args != nil {
					expect(t, code, append([]string{name}, args...)...)
				}
			}
		})
	}
	for name := range cases {
		if c, _, err := root.Find([]string{name}); err != nil || c == root {
			t.Errorf("the exit-code cases name %q, which is no command", name)
		}
	}
}

func expect(t *testing.T, want int, args ...string) {
	t.Helper()
	ios, _, errOut := testIO(map[string]string{"ORGCTL_TODAY": "2026-01-15"})
	if got := run(args, ios); got != want {
		t.Errorf("orgctl %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), got, want, errOut)
	}
}
