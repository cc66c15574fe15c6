package render

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/internal/synthorg"
	"github.com/orgctl/orgctl/schema"
)

// benchPeople is the size of the synthetic org of the benchmarks below
// (ORGCTL_BENCH_PEOPLE, default 100,000).
func benchPeople(b *testing.B) int {
	b.Helper()
	if s := os.Getenv("ORGCTL_BENCH_PEOPLE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("ORGCTL_BENCH_PEOPLE=%q: want a positive number", s)
		}
		return n
	}
	return 100_000
}

// BenchmarkGetPeopleJSON measures what `get people -o json` does after
// the org is built and checked: index the findings, list the people in
// order and write every view, on an Org whose reverse indexes are not
// built yet (as the command finds it).
func BenchmarkGetPeopleJSON(b *testing.B) {
	n := benchPeople(b)
	set := synthorg.Set(n, 1)
	opts := reconcile.Options{Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	written := 0
	var cpu time.Duration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		o := reconcile.Build(set)
		res := o.Check(set, opts)
		runtime.GC()
		start := cpuTime(b)
		b.StartTimer()
		ov := reconcile.NewOrgView(o, IndexFindings(o, res.Reported(false)))
		names := ov.Select(schema.KindPerson, nil, nil)
		cw := &countWriter{}
		if err := WriteViews(cw, "json", ov, schema.KindPerson, names, TableOptions{}); err != nil {
			b.Fatal(err)
		}
		written = cw.n
		b.StopTimer()
		cpu += cpuTime(b) - start
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/person")
	b.ReportMetric(float64(written)/float64(n), "B/person")
}

// cpuTime is the CPU time the process has used so far, user and system.
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// countWriter counts the bytes written to it and keeps none.
type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
