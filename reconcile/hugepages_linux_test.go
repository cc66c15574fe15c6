package reconcile

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// A large slice adviseHuge was asked about is backed by huge pages once
// written (where the kernel's transparent huge pages are not turned off),
// and keeps what is written to it.
func TestAdviseHugeBacksLargeSlices(t *testing.T) {
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
	if kb := anonHugeKB(t, uintptr(unsafe.Pointer(&s[len(s)/2]))); kb == 0 {
		t.Errorf("the middle of a 16 MiB slice is on no huge page after adviseHuge")
	}
}

// anonHugeKB reads /proc/self/smaps: the AnonHugePages of the mapping
// holding addr, in KiB.
func anonHugeKB(t *testing.T, addr uintptr) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 {
			in = lo <= addr && addr < hi
			continue
		}
		if v, ok := strings.CutPrefix(line, "AnonHugePages:"); ok && in {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return kb
		}
	}
	t.Fatalf("no mapping in smaps holds %#x", addr)
	return 0
}
