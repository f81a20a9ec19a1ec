package hugeheap

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the huge page size of x86-64, and of arm64 with 4 KiB pages.
// Elsewhere only the range's ends are off: the kernel gives huge pages
// where whole ones fit in the advised range.
const hugePage = 2 << 20

func advise(n int) (start, end uintptr) {
	// The runtime zeroes a new allocation unless all of it lies past the
	// highest address the heap ever handed out: a fresh mapping is zero
	// already. The first fit for a block this large is the free run at
	// the heap's end, which may begin with pages used and freed before
	// (a goroutine's old stack): zeroing the whole block from there would
	// fault in every one of its pages, the very cost this avoids (a
	// second). A plug as large as all the heap's free pages takes that
	// run's used part, so the block after it is all fresh.
	//
	// No collection may run until the block is placed: one frees what the
	// runtime took meanwhile past the plug (a P's page cache, a stack),
	// leaving used pages where the block then begins, and the block is
	// zeroed after all (one run in ten or twenty, a GC started by the
	// plug). Both triggers are held off: the GC percentage and the memory
	// limit, which the plug and the block together exceed.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	plug := make([]byte, plugSize())
	// A fresh allocation this large is mapped for it alone and never
	// touched, so it costs address space, not pages.
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start = (p + hugePage - 1) &^ (hugePage - 1)
	end = (p + uintptr(n)) &^ (hugePage - 1)
	if start < end && unix.Madvise(b[start-p:end-p], unix.MADV_HUGEPAGE) != nil {
		start, end = 0, 0
	}
	runtime.KeepAlive(plug)
	// The advice belongs to the mapping, which the runtime keeps (it
	// returns unused pages with MADV_DONTNEED, leaving the advice in
	// place). The allocations, dead from here, go at once, and their pages
	// are given back now rather than counted against the memory limit
	// until the scavenger gets to them; never touched, they cost a system
	// call, not a fault.
	debug.FreeOSMemory()
	if start >= end {
		return 0, 0
	}
	return start, end
}

// plugSize is the heap's free memory, used before or not, rounded up to a
// palloc chunk (4 MiB): more than the used part of the free run at the
// heap's end can be.
func plugSize() int {
	s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	var free uint64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			free += x.Value.Uint64()
		}
	}
	const chunk = 4 << 20
	return int((free + chunk) &^ (chunk - 1))
}

// disabled honours the runtime's own switch for huge pages, and leaves
// alone the systems where mapping the block could fail a run that would
// have fitted without it: 32-bit address spaces, and kernels that refuse
// to overcommit (vm.overcommit_memory=2 counts untouched memory too).
func disabled() bool {
	for _, kv := range strings.Split(os.Getenv("GODEBUG"), ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return true
		}
	}
	if unsafe.Sizeof(uintptr(0)) < 8 {
		return true
	}
	mode, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && strings.TrimSpace(string(mode)) == "2"
}
