// Package hugepage asks Linux to back large, fresh memory with huge pages
// (transparent huge pages in madvise mode, the default of many
// distributions: Go's heap does not ask). A large org read at random (its
// people viewed in name order, names looked up across it) then faults once
// per 2 MiB rather than once per 4 KiB, and misses the TLB far less. On
// other systems, or where the kernel refuses, nothing changes.
package hugepage

import (
	"runtime"
	"syscall"
	"unsafe"
)

// size is a huge page's size on amd64 and arm64 (4 KiB base pages).
const size = 2 << 20

// Advise asks the kernel to back the memory of s, a slice just made and
// not yet written, with huge pages where it can. Only slices of 4 MiB or
// more ask, and only for the whole 2 MiB pages inside them. A refusal
// (another mode, an old kernel) leaves the memory as it was.
func Advise[T any](s []T) {
	n := uintptr(cap(s)) * unsafe.Sizeof(*new(T))
	if n < 2*size {
		return
	}
	advise(uintptr(unsafe.Pointer(unsafe.SliceData(s))), n)
}

func advise(start, n uintptr) {
	beg, end := (start+size-1)&^(size-1), (start+n)&^(size-1)
	if end <= beg {
		return
	}
	syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, 14 /* MADV_HUGEPAGE */)
}

// Heap marks about n bytes of the Go heap, not yet used, for huge pages,
// so that what the process allocates next (the org it is about to load)
// lands on them: it allocates n bytes (fresh memory the runtime maps and
// does not touch), advises them, and frees them at once with a collection
// of a heap that holds little yet; the runtime then hands out the lowest
// free pages first, which are these. Call it once, early, before the
// bulk of a large process's allocations; below 64 MiB it does nothing.
func Heap(n int64) {
	if n < 64<<20 || int64(int(n)) != n {
		return
	}
	b := make([]byte, n)
	advise(uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	runtime.KeepAlive(b)
	b = nil
	runtime.GC()
}
