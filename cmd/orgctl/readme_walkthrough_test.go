package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestReadmeWalkthroughIsTested keeps the README's "From an HR export to
// your first pull request" honest: its CSV is the one walkthrough.txtar
// imports, and every orgctl command it shows is one the script runs.
func TestReadmeWalkthroughIsTested(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readme)
	start := strings.Index(doc, "## From an HR export to your first pull request")
	if start < 0 {
		t.Fatal("README has no walkthrough section")
	}
	section := doc[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	ar, err := txtar.ParseFile("testdata/script/walkthrough.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var csv string
	for _, f := range ar.Files {
		if f.Name == "hr-export.csv" {
			csv = string(f.Data)
		}
	}
	m := regexp.MustCompile("(?s)```csv\n(.*?)```").FindStringSubmatch(section)
	if m == nil || m[1] != csv {
		t.Errorf("the README's CSV differs from walkthrough.txtar's hr-export.csv:\n%s", m)
	}
	script := string(ar.Comment)
	var shell strings.Builder
	for _, b := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(section, -1) {
		shell.WriteString(b[1])
	}
	cmds := regexp.MustCompile(`(?m)(?:^|&& )(orgctl [^#\n&]*?)\s*(?:#|$|&&)`).FindAllStringSubmatch(shell.String(), -1)
	if len(cmds) < 6 {
		t.Fatalf("found %d orgctl commands in the README's walkthrough, want its 6 or more", len(cmds))
	}
	for _, c := range cmds {
		if !strings.Contains(script, "exec "+c[1]+"\n") {
			t.Errorf("the README runs %q, which walkthrough.txtar does not", c[1])
		}
	}
}
