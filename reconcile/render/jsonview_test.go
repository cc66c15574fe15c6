package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orgctl/orgctl/reconcile"
)

// awkward are strings encoding/json treats specially: quotes, backslashes,
// control characters, HTML characters (left unescaped), U+2028, invalid
// UTF-8, multi-byte runes.
var awkward = []string{
	"", "plain", `quo"te`, `back\slash`, "tab\tnew\nline\r", "\b\f\x00\x01\x1f\x7f",
	"<a href='x'>&amp;</a>", "line\u2028sep\u2029", "bad\xffutf8\xc3", "ünïcödé 日本 🙂", "a/b", "\xe2\x80",
}

// fill sets every exported field of the value v points to, recursively,
// to random values: strings from awkward, nil or empty or full slices and
// maps. A field added to a view is filled too, so the comparison with
// encoding/json fails until the hand-written encoder writes it.
func fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(awkward[r.IntN(len(awkward))] + strings.Repeat("x", r.IntN(3)))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(r.IntN(2000)) - 10)
	case reflect.Slice:
		switch r.IntN(4) {
		case 0: // nil: null
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), 1+r.IntN(4), 4)
			for i := range s.Len() {
				fill(r, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Map:
		if r.IntN(4) == 0 {
			return // nil: null
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(4) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(r, k)
			fill(r, e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i))
			}
		}
	}
}

// The hand-written encoder of get -o json must write exactly what
// encoding/json writes for the same views (WriteJSONList is the reference),
// on one goroutine or several, for lists shorter and longer than a chunk.
func TestViewJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 18))
	for _, n := range []int{0, 1, 2, jsonChunk, 2*jsonChunk + 7} {
		people := make([]reconcile.PersonView, n)
		teams := make([]reconcile.TeamView, n)
		for i := range n {
			fill(r, reflect.ValueOf(&people[i]).Elem())
			fill(r, reflect.ValueOf(&teams[i]).Elem())
			// Severity is an enum: keep it to the values it takes.
			for _, fs := range [][]reconcile.Finding{people[i].Findings, teams[i].Findings} {
				for j := range fs {
					fs[j].Severity = reconcile.Severity(r.IntN(3))
				}
			}
			// The loader shares one map per distinct set of labels:
			// views share them too, and are written from what the
			// encoder remembers of each.
			if i%3 == 2 {
				people[i].Labels = people[r.IntN(i)].Labels
			}
		}
		var wantPeople, wantTeams bytes.Buffer
		if err := WriteJSONList(&wantPeople, "people", n, func(i int) any { return people[i] }); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSONList(&wantTeams, "teams", n, func(i int) any { return teams[i] }); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 3} {
			var gotPeople, gotTeams bytes.Buffer
			if err := writeJSONItems(&gotPeople, "people", n, workers, func() func(b []byte, i int) []byte {
				e := &personJSON{}
				return func(b []byte, i int) []byte { return e.append(b, &people[i]) }
			}); err != nil {
				t.Fatal(err)
			}
			if err := writeJSONItems(&gotTeams, "teams", n, workers, appender(func(b []byte, i int) []byte { return appendTeamJSON(b, &teams[i]) })); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				what      string
				got, want []byte
			}{{"people", gotPeople.Bytes(), wantPeople.Bytes()}, {"teams", gotTeams.Bytes(), wantTeams.Bytes()}} {
				if !bytes.Equal(c.got, c.want) {
					at := 0
					for at < min(len(c.got), len(c.want)) && c.got[at] == c.want[at] {
						at++
					}
					t.Fatalf("%d %s on %d workers: the bytes differ from encoding/json's at offset %d:\ngot  %q\nwant %q",
						n, c.what, workers, at, c.got[max(0, at-80):min(len(c.got), at+80)], c.want[max(0, at-80):min(len(c.want), at+80)])
				}
			}
		}
	}
}

// appender gives every goroutine of writeJSONItems the same appendItem.
func appender(f func(b []byte, i int) []byte) func() func(b []byte, i int) []byte {
	return func() func(b []byte, i int) []byte { return f }
}

// jsonQuote is encoding/json's quoting of s, HTML characters unescaped.
func jsonQuote(t testing.TB, s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// appendJSONString tests eight bytes at a time: a byte to escape is found
// wherever it is, in any word and in the overlapping last one, for every
// length up to three words and each kind of byte to escape (and the
// plain ones beside them: DEL, '!', '#', '[', ']', '~').
func TestJSONStringEveryPosition(t *testing.T) {
	specials := []string{`"`, `\`, "\x00", "\x1f", "\n", "\x80", "\xff", "é", "\u2028", "\u2029", "\x7f", "!", "#", "[", "]", "~", " "}
	for n := range 25 {
		plain := "abcdefghijklmnopqrstuvwxyz"[:n]
		if got, want := string(appendJSONString(nil, plain)), jsonQuote(t, plain); got != want {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", plain, got, want)
		}
		for at := range n {
			for _, c := range specials {
				s := plain[:at] + c + plain[at+1:]
				if got, want := string(appendJSONString(nil, s)), jsonQuote(t, s); got != want {
					t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want)
				}
			}
		}
	}
}

// newline indents any depth, beyond what the views reach too.
func TestJSONIndentAnyDepth(t *testing.T) {
	for depth := range 40 {
		j := jsonOut{depth: depth}
		j.newline()
		if want := "\n" + listPrefix + strings.Repeat("  ", depth); string(j.b) != want {
			t.Fatalf("depth %d: newline wrote %q, want %q", depth, j.b, want)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendJSONString(nil, s)), jsonQuote(t, s); got != want {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// errWriter fails after accepting limit bytes.
type errWriter struct{ limit int }

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		return 0, errors.New("disk full")
	}
	w.limit -= len(p)
	return len(p), nil
}

// A write that fails stops the list and is returned, with workers running.
func TestWriteJSONItemsReturnsTheWriteError(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		encoded := 0
		err := writeJSONItems(&errWriter{limit: 200 << 10}, "people", 100*jsonChunk, workers, appender(func(b []byte, i int) []byte {
			if workers == 1 {
				encoded++
			}
			return append(b, strings.Repeat("x", 100)...)
		}))
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("%d workers: err = %v, want the writer's error", workers, err)
		}
		if workers == 1 && encoded >= 100*jsonChunk {
			t.Errorf("1 worker: encoded all %d items after the writer failed", encoded)
		}
	}
}

// storeMax keeps the largest value stored from any goroutine (the size
// new chunk buffers start at).
func TestStoreMax(t *testing.T) {
	var a atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range int64(1000) {
				storeMax(&a, (v*7919+int64(g)*104729)%5000)
			}
		}()
	}
	wg.Wait()
	want := int64(0)
	for g := range 8 {
		for v := range int64(1000) {
			want = max(want, (v*7919+int64(g)*104729)%5000)
		}
	}
	if a.Load() != want {
		t.Errorf("storeMax kept %d, the largest stored is %d", a.Load(), want)
	}
	storeMax(&a, 3)
	if a.Load() != want {
		t.Errorf("storing a smaller value changed it to %d", a.Load())
	}
}

// Chunks grow with the list (see chunkItems) and stay multiples of
// jsonChunk within their bounds; lists long enough for chunks of every
// size are written whole and in order, on one goroutine or several.
func TestWriteJSONItemsInChunksOfEverySize(t *testing.T) {
	prev := 0
	for _, n := range []int{0, 1, 25_599, 25_600, 25_601, 51_200, 100_000, 204_800, 1_000_000} {
		c := chunkItems(n)
		if c%jsonChunk != 0 || c < jsonChunk || c > maxJSONChunk || c < prev {
			t.Errorf("chunkItems(%d) = %d: want a multiple of %d in [%d, %d], not below %d (a shorter list's)", n, c, jsonChunk, jsonChunk, maxJSONChunk, prev)
		}
		prev = c
	}
	for _, n := range []int{30_000, 100_000, 210_001} {
		if chunkItems(n) == jsonChunk {
			t.Fatalf("chunkItems(%d) = %d: the list exercises no larger chunk", n, jsonChunk)
		}
		var want bytes.Buffer
		if err := writeJSONItems(&want, "n", n, 1, appender(func(b []byte, i int) []byte { return strconv.AppendInt(b, int64(i), 10) })); err != nil {
			t.Fatal(err)
		}
		var v struct{ N []int }
		if err := json.Unmarshal(want.Bytes(), &v); err != nil {
			t.Fatalf("%d items: %v", n, err)
		}
		if len(v.N) != n {
			t.Fatalf("%d items on one goroutine: got %d", n, len(v.N))
		}
		for i, x := range v.N {
			if x != i {
				t.Fatalf("%d items on one goroutine: item %d is %d", n, i, x)
			}
		}
		for _, workers := range []int{2, 3} {
			var got bytes.Buffer
			if err := writeJSONItems(&got, "n", n, workers, appender(func(b []byte, i int) []byte { return strconv.AppendInt(b, int64(i), 10) })); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%d items on %d goroutines differ from one goroutine's", n, workers)
			}
		}
	}
}
