package hugeheap

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdvise runs Advise as the program does, first thing in a fresh
// process, and checks the advice took and cost no memory.
func TestAdvise(t *testing.T) {
	if os.Getenv("HUGEHEAP_TEST_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdvise$", "-test.v")
		cmd.Env = append(os.Environ(), "HUGEHEAP_TEST_CHILD=1", "GODEBUG=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fresh process: %v\n%s", err, out)
		}
		return
	}
	before := rss(t)
	start, end := Advise(224 << 20)
	if grew := rss(t) - before; grew > 16<<20 {
		t.Errorf("resident memory grew by %d MiB for 224 MiB advised; want the range left untouched", grew>>20)
	}
	if start == end {
		t.Fatal("nothing advised: madvise(MADV_HUGEPAGE) failed (a kernel without transparent huge pages?)")
	}
	if end-start < 220<<20 {
		t.Errorf("advised %d MiB, want nearly 224", (end-start)>>20)
	}
	flags := vmFlags(t, start, end)
	if len(flags) == 0 {
		t.Fatalf("no mapping of the heap covers %#x-%#x", start, end)
	}
	for _, f := range flags {
		if !strings.Contains(" "+f+" ", " hg ") {
			t.Errorf("a mapping in the advised range has VmFlags %q, want hg (huge pages advised)", f)
		}
	}
	// The heap grows into the range: what is allocated next lies in it
	// (all but its first pages, below the first huge page boundary).
	b := make([]byte, 8<<20)
	if p := uintptr(unsafe.Pointer(unsafe.SliceData(b))); p+uintptr(len(b)) <= start+4<<20 || p >= end {
		t.Errorf("an 8 MiB allocation after Advise is at %#x, not in the advised %#x-%#x", p, start, end)
	}
}

func TestAdviseHonoursDisableTHP(t *testing.T) {
	t.Setenv("GODEBUG", "gctrace=0,disablethp=1")
	if start, end := Advise(8 << 20); start != end {
		t.Errorf("advised %#x-%#x with GODEBUG=disablethp=1, want nothing", start, end)
	}
}

// vmFlags returns the VmFlags of every mapping that overlaps [start, end).
func vmFlags(t *testing.T, start, end uintptr) []string {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	var out []string
	overlaps := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			overlaps = lo < end && hi > start
			continue
		}
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok && overlaps {
			out = append(out, strings.TrimSpace(rest))
		}
	}
	return out
}

// mappingRange parses a mapping's header line ("c000000000-c004000000 rw-p ...").
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	addr, _, found := strings.Cut(line, " ")
	a, b, found2 := strings.Cut(addr, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}

func rss(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatalf("VmRSS: %v", err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
