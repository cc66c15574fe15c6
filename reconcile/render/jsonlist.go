package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// WriteJSONList writes {"key": [item(0), ..., item(n-1)]} exactly as
// WriteJSON writes a struct with that one field, but one item at a time:
// a list of 100,000 people is never held whole, neither as values nor as
// encoded text (WriteJSON encodes all of it, then indents a second copy).
func WriteJSONList(w io.Writer, key string, n int, item func(i int) any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(listPrefix, "  ")
	enc.SetEscapeHTML(false)
	var err error
	werr := writeJSONItems(w, key, n, 1, func() func(b []byte, i int) []byte {
		return func(b []byte, i int) []byte {
			buf.Reset()
			if e := enc.Encode(item(i)); e != nil && err == nil {
				err = e
			}
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
	})
	if err != nil {
		return err
	}
	return werr
}

// jsonChunk and maxJSONChunk bound how many items one worker of
// writeJSONItems encodes at a time (see chunkItems).
const (
	jsonChunk    = 64
	maxJSONChunk = 512
)

// chunkItems is how many of n items a worker encodes at a time: about
// n/400, a multiple of jsonChunk between jsonChunk and maxJSONChunk. Each
// chunk handed over wakes the writing goroutine, which then needs a core
// the workers are using: at a million people (about 1 KB of JSON each)
// and 64 a chunk, some 20,000 chunks a second, the two cores were busy
// 1.4 to 1.6 of the time the write took, against 1.7 to 2.0 with 512 (a
// process-CPU sample every 100 ms), and the write took 0.72 s rather than
// 0.55. But a chunk's buffer is fresh memory until the first dozen are
// reused (about a dozen are in flight or waiting), and the first chunk is
// written only once it is whole: 512 a chunk made get at 10,000 people
// 10% slower than 64, and at 100,000 people 256 was fastest (0.50 s
// against 0.58 for 64 and 512; `get people -o json` on cmd/orggen's
// orgs, alternated). At n/400 the buffers in flight stay about 3% of
// the output.
func chunkItems(n int) int {
	c := (n/400 + jsonChunk - 1) / jsonChunk * jsonChunk
	return min(max(c, jsonChunk), maxJSONChunk)
}

// writeJSONItems writes {"key": [...]} as WriteJSONList does, each
// encoding goroutine calling newAppend once for its appendItem, which
// appends item i as it appears in the list (its first line unprefixed,
// every later line starting with listPrefix): an appendItem may keep
// scratch space of its own. With workers > 1 the items are encoded in
// chunks on that many goroutines and written in order as they are ready.
func writeJSONItems(w io.Writer, key string, n, workers int, newAppend func() func(b []byte, i int) []byte) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n  ")
	bw.Write(appendJSONString(nil, key))
	if n == 0 {
		bw.WriteString(": []\n}\n")
		return bw.Flush()
	}
	bw.WriteString(": [\n")
	newEncode := func() func(b []byte, lo, hi int) []byte {
		appendItem := newAppend()
		return func(b []byte, lo, hi int) []byte {
			for i := lo; i < hi; i++ {
				b = append(b, listPrefix...)
				b = appendItem(b, i)
				if i < n-1 {
					b = append(b, ',', '\n')
				} else {
					b = append(b, '\n')
				}
			}
			return b
		}
	}
	// A chunk is tens of kilobytes: it goes to w as it is, rather than
	// copied into bw's buffer first.
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := inOrder(n, workers, newEncode, w.Write); err != nil {
		return err
	}
	bw.WriteString("  ]\n}\n")
	return bw.Flush()
}

// inOrder encodes items [0, n) in chunks of chunkItems(n) on up to workers
// goroutines, each with the encode newEncode gives it, and passes each
// chunk's bytes to write in order, stopping at the first error write
// returns.
func inOrder(n, workers int, newEncode func() func(b []byte, lo, hi int) []byte, write func([]byte) (int, error)) error {
	size := chunkItems(n)
	chunks := (n + size - 1) / size
	workers = min(workers, chunks)
	if workers <= 1 {
		encode := newEncode()
		var b []byte
		for lo := 0; lo < n; lo += size {
			b = encode(b[:0], lo, min(lo+size, n))
			if _, err := write(b); err != nil {
				return err
			}
		}
		return nil
	}
	type part struct {
		lo, hi int
		b      []byte
		done   chan struct{}
	}
	var (
		stopped atomic.Bool
		free    = make(chan []byte, 3*workers) // buffers written, for reuse
		// largest is the most bytes a chunk took so far: a new buffer
		// starts a little larger, rather than growing from nothing by
		// doubling (each step a copy into memory the kernel has yet to
		// map, which costs more than the encoding at 10,000 people).
		largest atomic.Int64
		jobs    = make(chan *part)
		order   = make(chan *part, 2*workers)
		wg      sync.WaitGroup
	)
	go func() {
		for lo := 0; lo < n && !stopped.Load(); lo += size {
			p := &part{lo: lo, hi: min(lo+size, n), done: make(chan struct{})}
			order <- p
			jobs <- p
		}
		close(jobs)
		close(order)
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			encode := newEncode()
			for p := range jobs {
				var b []byte
				select {
				case b = <-free:
				default:
					b = make([]byte, 0, largest.Load()*9/8)
				}
				p.b = encode(b[:0], p.lo, p.hi)
				storeMax(&largest, int64(len(p.b)))
				close(p.done)
			}
		}()
	}
	var err error
	for p := range order {
		<-p.done
		if err == nil {
			if _, err = write(p.b); err != nil {
				stopped.Store(true)
			}
		}
		select {
		case free <- p.b:
		default:
		}
	}
	wg.Wait()
	return err
}

// storeMax sets a to v if v is larger.
func storeMax(a *atomic.Int64, v int64) {
	for m := a.Load(); v > m; m = a.Load() {
		if a.CompareAndSwap(m, v) {
			return
		}
	}
}

// jsonWorkers is how many goroutines encode a view list: one per CPU.
func jsonWorkers() int { return runtime.GOMAXPROCS(0) }
