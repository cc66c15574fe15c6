// Command orggen writes a synthetic org repository for benchmarks and load
// tests: people in files of about fifty (people/TEAM.yaml, one team per
// file), a tree of teams (teams.yaml), a Policy, a few external coaches,
// people on leave and departed, cross-team coaches and mentors, and a
// handful of deliberate findings (about 0.1% of people: missing coaches,
// unknown references and coaches who are also the manager). The same seed
// always writes the same bytes.
//
//	go run ./cmd/orggen -people 100000 -out /tmp/org
//	go run ./cmd/orggen -people 100000 -out /tmp/org-head -variant head
//
// -variant head writes the same org with a pull-request-sized change on
// top (about 1% of people: coach changes, one team's new manager, people
// added, removed and one who departs), for measuring `orgctl plan`.
//
// -shape realistic writes an org as an HR export shows it on day one
// (divisions without direct members, a CEO in the Office of the CEO with a
// chief of staff, skewed spans, an intern cohort, job titles, nobody
// coached yet), for judging `orgctl suggest` as a people team would; -csv
// FILE also writes the matching HR export:
//
//	go run ./cmd/orggen -shape realistic -people 1500 -out /tmp/real -csv /tmp/real.csv
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var cfg Config
	flag.IntVar(&cfg.People, "people", 10000, "number of people (at least 200)")
	flag.StringVar(&cfg.Out, "out", "", "directory to write (created; must be empty or absent)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed: the same seed writes the same org")
	flag.StringVar(&cfg.Variant, "variant", "base", "base, or head: the base org plus a pull-request-sized change")
	flag.StringVar(&cfg.Shape, "shape", "synthetic", "synthetic (equal teams, everyone coached), or realistic (an HR export's org on day one: member-less divisions, a chief of staff, skewed spans, an intern cohort, nobody coached)")
	flag.StringVar(&cfg.CSV, "csv", "", "also write the matching HR export (CSV with job titles) to this file")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: orggen -people N -out DIR [-seed N] [-variant base|head] [-shape synthetic|realistic] [-csv FILE]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if cfg.Out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	st, err := Generate(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "orggen:", err)
		os.Exit(1)
	}
	fmt.Println(st)
}
