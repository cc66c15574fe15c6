package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
)

// The benchmarks run on a generated org of 10,000 people;
// ORGGEN_BENCH_PEOPLE sets another size, e.g. for a profile at 100,000:
//
//	ORGGEN_BENCH_PEOPLE=100000 go test -run '^$' -bench Load -benchtime 3x \
//	    -cpuprofile cpu.out -memprofile mem.out ./cmd/orggen
func benchPeople(b *testing.B) int {
	if s := os.Getenv("ORGGEN_BENCH_PEOPLE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 200 {
			b.Fatalf("ORGGEN_BENCH_PEOPLE=%q: want a number of at least 200", s)
		}
		return n
	}
	return 10000
}

var benchOrgs struct {
	sync.Mutex
	root string
	dirs map[int]string
}

// benchOrg generates an org of n people once per process.
func benchOrg(b *testing.B, n int) string {
	b.Helper()
	benchOrgs.Lock()
	defer benchOrgs.Unlock()
	if dir, ok := benchOrgs.dirs[n]; ok {
		return dir
	}
	if benchOrgs.root == "" {
		root, err := os.MkdirTemp("", "orggen-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchOrgs.root, benchOrgs.dirs = root, map[int]string{}
	}
	dir := filepath.Join(benchOrgs.root, strconv.Itoa(n))
	if _, err := Generate(Config{People: n, Out: dir, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	benchOrgs.dirs[n] = dir
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchOrgs.root != "" {
		os.RemoveAll(benchOrgs.root)
	}
	os.Exit(code)
}

// reportPerPerson adds ns/person and allocated B/person to the results.
func reportPerPerson(b *testing.B, people int, allocated uint64) {
	per := float64(b.N) * float64(people)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/person")
	b.ReportMetric(float64(allocated)/per, "alloc-B/person")
}

func mallocBytes() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// BenchmarkLoad measures schema.Loader: read, decode, check against the
// JSON Schema and convert every document (on every CPU). heap-B/person is
// what the loaded Set keeps alive.
func BenchmarkLoad(b *testing.B) {
	n := benchPeople(b)
	dir := benchOrg(b, n)
	b.ReportAllocs()
	before := mallocBytes()
	var set *schema.Set
	for b.Loop() {
		var err error
		set, err = (&schema.Loader{}).LoadPaths([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportPerPerson(b, n, mallocBytes()-before)
	b.StopTimer()
	b.ReportMetric(float64(liveHeap(func() any {
		s, _ := (&schema.Loader{}).LoadPaths([]string{dir})
		return s
	}))/float64(n), "heap-B/person")
	if len(set.Problems) != 0 {
		b.Fatalf("%d problems loading the generated org", len(set.Problems))
	}
}

// BenchmarkCheck measures reconcile.Check (build the org graph, run every
// rule, sort the findings) on a Set loaded beforehand.
func BenchmarkCheck(b *testing.B) {
	n := benchPeople(b)
	dir := benchOrg(b, n)
	set, err := (&schema.Loader{}).LoadPaths([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	opts := reconcile.Options{Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	before := mallocBytes()
	var res reconcile.Result
	for b.Loop() {
		res = reconcile.Check(set, opts)
	}
	reportPerPerson(b, n, mallocBytes()-before)
	if res.Summary.People != n {
		b.Fatalf("checked %d people, want %d", res.Summary.People, n)
	}
}

// liveHeap returns how many heap bytes the value load returns keeps alive.
func liveHeap(load func() any) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	v := load()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	after := ms.HeapAlloc
	runtime.KeepAlive(v)
	if after < before {
		return 0
	}
	return after - before
}
