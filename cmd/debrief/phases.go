package main

import (
	"fmt"
	"io"
	"syscall"
	"time"
)

// phaseClock reports, for performance work, the wall and CPU time of each
// phase of a command: DEBRIEF_PHASES=1 debrief timeline ... prints them on
// stderr. CPU time over wall time says how many cores a phase kept busy.
type phaseClock struct {
	w         io.Writer
	wall      time.Time
	user, sys time.Duration
}

func newPhaseClock(app *App) *phaseClock {
	if app.Getenv("DEBRIEF_PHASES") == "" {
		return nil
	}
	c := &phaseClock{w: app.Stderr}
	c.user, c.sys = cpuTimes()
	c.wall = time.Now()
	return c
}

// done reports the phase that ends now and starts the next.
func (c *phaseClock) done(phase string) {
	if c == nil {
		return
	}
	now := time.Now()
	user, sys := cpuTimes()
	wall := now.Sub(c.wall)
	cpu := user - c.user + sys - c.sys
	fmt.Fprintf(c.w, "debrief: phase %-8s wall %6.2f s  cpu %6.2f s (user %.2f, sys %.2f)  %.2f cores\n",
		phase, wall.Seconds(), cpu.Seconds(), (user - c.user).Seconds(), (sys - c.sys).Seconds(), cpu.Seconds()/wall.Seconds())
	c.wall, c.user, c.sys = now, user, sys
}

func cpuTimes() (user, sys time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
