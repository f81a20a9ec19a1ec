package hugeheap

import (
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the huge page size of x86-64, and of arm64 with 4 KiB pages.
// Elsewhere only the range's ends are off: the kernel gives huge pages
// where whole ones fit in the advised range.
const hugePage = 2 << 20

func advise(n int) (start, end uintptr) {
	// A fresh allocation this large is mapped for it alone and never
	// touched (new memory from the kernel is known to be zero), so this
	// costs address space, not pages.
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start = (p + hugePage - 1) &^ (hugePage - 1)
	end = (p + uintptr(n)) &^ (hugePage - 1)
	if start >= end {
		return 0, 0
	}
	region := b[start-p : end-p]
	if err := unix.Madvise(region, unix.MADV_HUGEPAGE); err != nil {
		start, end = 0, 0
	}
	// The advice belongs to the mapping, which the runtime keeps (it
	// returns unused pages with MADV_DONTNEED, leaving the advice in
	// place); the allocation itself, dead from here, goes at once, so the
	// heap starts small.
	runtime.GC()
	return start, end
}

// disabled honours the runtime's own switch for huge pages.
func disabled() bool {
	for _, kv := range strings.Split(os.Getenv("GODEBUG"), ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return true
		}
	}
	return false
}
