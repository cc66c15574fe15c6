package reconcile

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// A large slice adviseHuge was asked about lies in memory marked for
// huge pages (the "hg" of the mapping's VmFlags in /proc/self/smaps: set
// by the advice itself, whether or not the kernel found a free huge page
// at that moment), and keeps what is written to it.
func TestAdviseHugeMarksLargeSlices(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("transparent huge pages are off here")
	}
	s := make([]uint64, 16<<20/8)
	adviseHuge(s)
	for i := range s {
		s[i] = uint64(i) * 7
	}
	for i := range s {
		if s[i] != uint64(i)*7 {
			t.Fatalf("s[%d] = %d after adviseHuge, want %d", i, s[i], uint64(i)*7)
		}
	}
	flags, hugeKB := mappingOf(t, uintptr(unsafe.Pointer(&s[len(s)/2])))
	if !slices.Contains(flags, "hg") {
		t.Errorf("the middle of a 16 MiB slice is not advised for huge pages after adviseHuge: VmFlags %v", flags)
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
