//go:build unix

package slack

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system, so that
// the benchmark can report throughput per core even on a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
