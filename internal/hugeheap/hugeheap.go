// Package hugeheap asks the kernel to back the Go heap with transparent huge
// pages for the commands that fill it with an incident's events.
//
// Go leaves huge pages to the system's default, and most Linux systems
// default to "madvise": only memory a program asks for gets them. A
// timeline of a large export touches its whole heap (the builder's budget,
// decoded batches, parse buffers), each 4 KiB page faulting in on first
// use: 35,000 faults on the 1M-message benchmark. On virtual machines,
// where a fault also costs the hypervisor (12 microseconds each on the VM
// this was measured on, and every page walk after it costs more too), the
// advised heap leaves 4,000 faults and the run takes 7 to 14% less CPU
// (README, Performance).
//
// The advice is for batch commands, whose heap is bounded and short-lived.
// A long-running server would keep whole huge pages for a few live objects,
// the bloat that made Go stop advising huge pages itself (Go 1.21.1).
package hugeheap

// Advise maps n bytes of heap address space now, before anything is
// allocated there, and advises huge pages for them. The runtime allocates
// low addresses first, so the heap then grows inside the advised range.
// It returns the range advised, empty where the system has no such advice
// (other systems, a kernel without transparent huge pages) or where it is
// not given (GODEBUG=disablethp=1, 32-bit builds, a kernel that does not
// overcommit); the program runs the same, only with small pages.
func Advise(n int) (start, end uintptr) {
	if n <= 0 || disabled() {
		return 0, 0
	}
	return advise(n)
}
