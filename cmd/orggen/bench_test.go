package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/schema"
	"go.yaml.in/yaml/v3"
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

// Run them together so that the floor is measured in the same run:
//
//	go test -run '^$' -bench . -benchmem ./cmd/orggen
//
// BenchmarkFloor reads the files beforehand; BenchmarkLoad reads them too.

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

// BenchmarkDiff measures reconcile.Diff (the semantic diff, effects of
// removed and departing people, findings split by fingerprint) between a
// generated org and the same org with a pull-request-sized change, both
// loaded and checked beforehand.
func BenchmarkDiff(b *testing.B) {
	n := benchPeople(b)
	base := benchOrg(b, n)
	head := filepath.Join(benchOrgs.root, strconv.Itoa(n)+"-head")
	if _, err := os.Stat(head); err != nil {
		if _, err := Generate(Config{People: n, Out: head, Seed: 1, Variant: "head"}); err != nil {
			b.Fatal(err)
		}
	}
	opts := reconcile.Options{Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	load := func(dir string) (*reconcile.Org, reconcile.Result) {
		set, err := (&schema.Loader{}).LoadPaths([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		return reconcile.Build(set), reconcile.Check(set, opts)
	}
	baseOrg, baseRes := load(base)
	headOrg, headRes := load(head)
	b.ReportAllocs()
	before := mallocBytes()
	var plan reconcile.Plan
	for b.Loop() {
		plan = reconcile.Diff(baseOrg, baseRes, headOrg, headRes)
	}
	reportPerPerson(b, n, mallocBytes()-before)
	if len(plan.Changes) == 0 || len(plan.Findings.Introduced) == 0 {
		b.Fatalf("the head variant should change people and introduce findings: %d changes, %d introduced", len(plan.Changes), len(plan.Findings.Introduced))
	}
}

// BenchmarkFloor is the baseline for BenchmarkLoad in the same run: read
// every file of the same org and decode each document into a yaml.Node on
// one goroutine, as cmd/orggen/floor does. Compare ns/person.
func BenchmarkFloor(b *testing.B) {
	n := benchPeople(b)
	dir := benchOrg(b, n)
	var files [][]byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
			return err
		}
		data, err := os.ReadFile(p)
		files = append(files, data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	before := mallocBytes()
	for b.Loop() {
		for _, data := range files {
			dec := yaml.NewDecoder(bytes.NewReader(data))
			for {
				var node yaml.Node
				if err := dec.Decode(&node); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	reportPerPerson(b, n, mallocBytes()-before)
}
