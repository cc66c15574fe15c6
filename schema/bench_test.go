package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The loader's stages on one file of 50 people, the size orggen writes,
// each next to the floor (decoding into yaml.Node and nothing else) so
// that `go test -bench . ./schema` prints the baseline in the same run:
//
//	go test -run '^$' -bench . -benchmem ./schema
//
// DecodeFile/floor is the figure the performance target is about.
func benchFile() []byte {
	var b bytes.Buffer
	for i := range 50 {
		fmt.Fprintf(&b, `---
apiVersion: orgctl.dev/v1
kind: Person
metadata:
  name: person-%[1]d
  labels: {office: kyiv}
spec:
  displayName: Person Number %[1]d
  github: person%[1]d
  email: person%[1]d@example.com
  team: team-%[2]d
  level: %[3]s
  expertise: [go, kubernetes]
  coach: person-%[4]d
  mentors:
    - person: person-%[5]d
      domain: go
`, i, i%3, DefaultLevels[i%5], (i+7)%50, (i+11)%50)
	}
	return b.Bytes()
}

func BenchmarkFloor(b *testing.B) {
	data := benchFile()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		floorDecode(b, data)
	}
}

func floorDecode(b *testing.B, data []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) {
			return
		} else if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadVsFloor loads a directory of 40 files (2,000 people) with
// the Loader, one worker and one per CPU, and in the same iteration
// decodes the same files on one goroutine into yaml.Node (the floor), so
// that load/floor, the ratio SPEC section 7 is about, comes from one run
// on whatever else the machine is doing:
//
//	go test -run '^$' -bench LoadVsFloor -count 5 ./schema
func BenchmarkLoadVsFloor(b *testing.B) {
	dir := b.TempDir()
	data := benchFile()
	var files [][]byte
	for i := range 40 {
		// Distinct names per file, so that nothing is shared by accident.
		f := bytes.ReplaceAll(data, []byte("person-"), fmt.Appendf(nil, "p%d-", i))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.yaml", i)), f, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var load, floor time.Duration
			for b.Loop() {
				t0 := time.Now()
				for _, f := range files {
					floorDecode(b, f)
				}
				t1 := time.Now()
				set, err := (&Loader{Workers: workers}).LoadPaths([]string{dir})
				if err != nil {
					b.Fatal(err)
				}
				load += time.Since(t1)
				floor += t1.Sub(t0)
				if len(set.Problems) > 0 || len(set.Documents) != 40*50 {
					b.Fatalf("%d documents, problems %v", len(set.Documents), set.Problems)
				}
			}
			b.ReportMetric(float64(load)/float64(floor), "load/floor")
		})
	}
}

// BenchmarkDecodeFile is the whole per-file pipeline: split, decode with
// positions, convert to values, check the schema, build the typed documents.
func BenchmarkDecodeFile(b *testing.B) {
	data := benchFile()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res := DecodeFile(data, "people/bench.yaml", "people/bench.yaml")
		if len(res.problems) > 0 {
			b.Fatal(res.problems[0].Message)
		}
	}
}

// BenchmarkSchema is the JSON Schema check alone, on values converted
// beforehand.
func BenchmarkSchema(b *testing.B) {
	data := benchFile()
	type doc struct {
		root  *yaml.Node
		value any
	}
	var docs []doc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		c := converter{budget: maxAliasNodes}
		v, err := c.value(n.Content[0], 0)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, doc{n.Content[0], v})
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for _, d := range docs {
			errs, _, err := validate(d.root, d.value, maxProblems, PrecheckOn)
			if err != nil || len(errs) > 0 {
				b.Fatal(err, errs)
			}
		}
	}
}
