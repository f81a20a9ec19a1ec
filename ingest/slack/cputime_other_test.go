//go:build !unix

package slack

import "time"

// cpuTime is unknown here; the benchmark then reports no per-core figure.
func cpuTime() time.Duration { return 0 }
