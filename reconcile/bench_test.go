package reconcile_test

import (
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/internal/synthorg"
	"github.com/orgctl/orgctl/schema"
)

// The benchmarks run on a synthetic org of 100,000 people built in memory
// (reconcile/internal/synthorg); ORGCTL_BENCH_PEOPLE sets another size.
// Compare two versions by running both binaries alternately:
//
//	go test -c -o new.test ./reconcile && git stash && go test -c -o old.test ./reconcile && git stash pop
//	for i in 1 2 3; do for t in old new; do ./$t.test -test.run '^$' -test.bench 'Check|Build|Views' -test.benchmem; done; done
func benchSet(b *testing.B) (*schema.Set, int) {
	b.Helper()
	n := 100_000
	if s := os.Getenv("ORGCTL_BENCH_PEOPLE"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("ORGCTL_BENCH_PEOPLE=%q: want a positive number", s)
		}
	}
	benchSets.Lock()
	defer benchSets.Unlock()
	if benchSets.m == nil {
		benchSets.m = map[int]*schema.Set{}
	}
	if set, ok := benchSets.m[n]; ok {
		return set, n
	}
	set := synthorg.Set(n, 1)
	benchSets.m[n] = set
	return set, n
}

var benchSets struct {
	sync.Mutex
	m map[int]*schema.Set
}

func perPerson(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/person")
}

// BenchmarkBuild measures reconcile.Build: the Org's indexes and every
// person's effective manager.
func BenchmarkBuild(b *testing.B) {
	set, n := benchSet(b)
	b.ReportAllocs()
	for b.Loop() {
		reconcile.Build(set)
	}
	perPerson(b, n)
}

// BenchmarkCheck measures reconcile.Check: Build, every rule, the sort.
func BenchmarkCheck(b *testing.B) {
	set, n := benchSet(b)
	opts := reconcile.Options{Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	var res reconcile.Result
	for b.Loop() {
		res = reconcile.Check(set, opts)
	}
	perPerson(b, n)
	b.ReportMetric(float64(len(res.Findings)), "findings")
	if res.Summary.People == 0 || len(res.Findings) == 0 {
		b.Fatalf("checked %d people with %d findings: the synthetic org should have both", res.Summary.People, len(res.Findings))
	}
}

type noFindings struct{}

func (noFindings) Person(string) []reconcile.Finding { return nil }
func (noFindings) Team(string) []reconcile.Finding   { return nil }

// BenchmarkViews measures the view of every person (what get and
// describe show: effective manager, chain, coachees, mentees, reports) on
// an Org built beforehand, its reverse indexes included.
func BenchmarkViews(b *testing.B) {
	set, n := benchSet(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		o := reconcile.Build(set)
		b.StartTimer()
		ov := reconcile.NewOrgView(o, noFindings{})
		for _, name := range ov.Select(schema.KindPerson, nil, nil) {
			if v := ov.Person(name); v.Name != name {
				b.Fatalf("the view of %s is named %s", name, v.Name)
			}
		}
	}
	perPerson(b, n)
}
