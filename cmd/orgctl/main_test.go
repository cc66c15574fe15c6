package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the golden output inside testdata/script/*.txtar")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"orgctl": func() { os.Exit(run(os.Args[1:], systemIO())) },
	})
}

// TestScripts runs the real orgctl binary over testdata/script/*.txtar.
// $REPO is the repository root, so scripts can `cd $REPO` and run on
// examples/ with the paths a user sees.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			// Exemption expiry is judged against a fixed day.
			env.Setenv("ORGCTL_TODAY", "2026-11-24")
			env.Setenv("NO_COLOR", "")
			return nil
		},
	})
}
