package redact

import (
	"testing"
)

// reportCPU adds cpu-ns/op, the process CPU time per op, next to ns/op: on a
// busy shared machine wall-clock ns/op also counts the other tenants.
func reportCPU(b *testing.B, start func()) func() {
	var c0 = cpuTime()
	start()
	return func() {
		if c0 != 0 && b.N > 0 {
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// cleanMix is the benchmark's realistic mix of clean chat messages, shell
// commands and log lines.
func cleanMix(b testing.TB) []string {
	return append(append([]string{}, cleanCases...), cleanCorpus(b)...)
}

func dirtyMix() []string {
	var lines []string
	for _, tc := range secretCases {
		lines = append(lines, expand(tc.in))
	}
	return lines
}

// BenchmarkRedactClean measures one clean message or command per op: the
// whole mix, and only the 60–200 byte texts typical of chat and commands.
func BenchmarkRedactClean(b *testing.B) {
	r := redactor(b)
	all := cleanMix(b)
	var typical []string
	for _, l := range all {
		if len(l) >= 60 && len(l) <= 200 {
			typical = append(typical, l)
		}
	}
	for _, bc := range []struct {
		name  string
		lines []string
	}{{"mix", all}, {"60to200bytes", typical}} {
		b.Run(bc.name, func(b *testing.B) {
			bytes := 0
			for _, l := range bc.lines {
				bytes += len(l)
			}
			b.SetBytes(int64(bytes / len(bc.lines)))
			b.ReportAllocs()
			defer reportCPU(b, b.ResetTimer)()
			for i := 0; i < b.N; i++ {
				r.Redact(bc.lines[i%len(bc.lines)])
			}
		})
	}
}

// BenchmarkRedactDirty measures one line holding secrets per op.
func BenchmarkRedactDirty(b *testing.B) {
	r := redactor(b)
	lines := dirtyMix()
	b.ReportAllocs()
	defer reportCPU(b, b.ResetTimer)()
	for i := 0; i < b.N; i++ {
		r.Redact(lines[i%len(lines)])
	}
}

// BenchmarkRedactParallel is the clean mix on every core, as a timeline
// build runs it.
func BenchmarkRedactParallel(b *testing.B) {
	r := redactor(b)
	lines := cleanMix(b)
	b.ReportAllocs()
	defer reportCPU(b, b.ResetTimer)()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Redact(lines[i%len(lines)])
			i++
		}
	})
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	defer reportCPU(b, func() {})()
	for i := 0; i < b.N; i++ {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewWithoutGitleaks(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := New(WithoutGitleaks()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCleanTextDoesNotAllocate(t *testing.T) {
	r := redactor(t)
	for _, l := range cleanMix(t) {
		if a := testing.AllocsPerRun(20, func() { r.Redact(l) }); a != 0 {
			t.Errorf("Redact(%q) allocates %.0f times, want 0", l, a)
		}
	}
}
