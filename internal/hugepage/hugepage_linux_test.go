package hugepage

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// A large slice Advise was asked about lies in memory marked for
// huge pages (the "hg" of the mapping's VmFlags in /proc/self/smaps: set
// by the advice itself, whether or not the kernel found a free huge page
// at that moment), and keeps what is written to it.
func TestAdviseMarksLargeSlices(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("transparent huge pages are off here")
	}
	s := make([]uint64, 16<<20/8)
	Advise(s)
	for i := range s {
		s[i] = uint64(i) * 7
	}
	for i := range s {
		if s[i] != uint64(i)*7 {
			t.Fatalf("s[%d] = %d after Advise, want %d", i, s[i], uint64(i)*7)
		}
	}
	flags, hugeKB := mappingOf(t, uintptr(unsafe.Pointer(&s[len(s)/2])))
	if !slices.Contains(flags, "hg") {
		t.Errorf("the middle of a 16 MiB slice is not advised for huge pages after Advise: VmFlags %v", flags)
	}
	t.Logf("AnonHugePages of its mapping: %d kB", hugeKB)

}

// mappingOf reads /proc/self/smaps: the VmFlags and AnonHugePages (in
// KiB) of the mapping holding addr.
func mappingOf(t *testing.T, addr uintptr) (flags []string, hugeKB int) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	in, found := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 && strings.Contains(line, "-") {
			in = lo <= addr && addr < hi
			found = found || in
			continue
		}
		if !in {
			continue
		}
		if v, ok := strings.CutPrefix(line, "AnonHugePages:"); ok {
			hugeKB, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
		if v, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			flags = strings.Fields(v)
		}
	}
	if !found {
		t.Fatalf("no mapping in smaps holds %#x", addr)
	}
	return flags, hugeKB
}

// After Heap, what the process allocates next lies in memory marked for
// huge pages: the runtime hands out the pages Heap freed, to large
// objects and to the spans of small ones alike.
func TestHeapMarksWhatIsAllocatedNext(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("transparent huge pages are off here")
	}
	Heap(128 << 20)
	big := make([]byte, 16<<20)
	// 16 MiB of small objects: the first may fill gaps below, those made
	// after them come from new spans.
	small := make([]*[64]byte, 16<<20/64)
	for i := range small {
		small[i] = new([64]byte)
	}
	for _, x := range []struct {
		what string
		addr uintptr
	}{
		{"a 16 MiB slice", uintptr(unsafe.Pointer(&big[len(big)/2]))},
		{"the last of 262,144 small objects", uintptr(unsafe.Pointer(small[len(small)-1]))},
	} {
		if flags, _ := mappingOf(t, x.addr); !slices.Contains(flags, "hg") {
			t.Errorf("%s made after Heap is not in memory advised for huge pages: VmFlags %v", x.what, flags)
		}
	}
	runtime.KeepAlive(big)
	runtime.KeepAlive(small)
}
