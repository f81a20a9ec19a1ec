package hugeheap

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestAdvise runs Advise as the program does, first thing in a fresh
// process, and checks the advice took and cost no memory.
func TestAdvise(t *testing.T) {
	if disabled() {
		// A 32-bit build, or a kernel that does not overcommit: Advise
		// must leave the heap alone.
		if start, end := Advise(224 << 20); start != end {
			t.Errorf("advised %#x-%#x where huge pages are not to be used", start, end)
		}
		return
	}
	if os.Getenv("HUGEHEAP_TEST_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdvise$", "-test.v")
		cmd.Env = append(os.Environ(), "HUGEHEAP_TEST_CHILD=1", "GODEBUG=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fresh process: %v\n%s", err, out)
		}
		return
	}
	// A heap whose end was used and freed before, as a goroutine's grown
	// stack leaves it: what Advise must not zero.
	dirty := make([]byte, 3<<20)
	for i := range dirty {
		dirty[i] = 1
	}
	dirty = nil
	// As the program runs it: a memory limit the block alone reaches.
	debug.SetMemoryLimit(224 << 20)
	runtime.GC()
	before, cycles := faults(t), gcCycles()
	start, end := Advise(224 << 20)
	if n := faults(t) - before; n > 4096 && !raceEnabled {
		t.Errorf("Advise took %d page faults (%d MiB of 4 KiB pages); want the range left untouched", n, n>>8)
	}
	// Its own collection at the end, and none while the block is placed:
	// a GC then can leave used pages where the block begins (the faults
	// above, one run in ten or twenty).
	if n := gcCycles() - cycles; n != 1 {
		t.Errorf("%d GC cycles ran during Advise, want 1 (its own, after the block is placed)", n)
	}
	if got := debug.SetMemoryLimit(-1); got != 224<<20 {
		t.Errorf("memory limit after Advise is %d, want it restored to %d", got, 224<<20)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percentage after Advise is %d, want it restored to 100", got)
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
	// The heap grows into the range: most of what is allocated next lies
	// in it (the heap's free pages before it come first).
	b := make([]byte, 64<<20)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if q := p + uintptr(len(b)); p >= end || q <= start || min(q, end)-max(p, start) < 48<<20 {
		t.Errorf("a 64 MiB allocation after Advise is at %#x, not in the advised %#x-%#x", p, start, end)
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
		t.Fatalf("cannot read the mappings: %v", err)
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

// gcCycles is the number of GC cycles completed so far.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// faults is the process's minor page faults so far.
func faults(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return int64(ru.Minflt)
}
