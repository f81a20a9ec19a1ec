package slack

import (
	"context"
	"io/fs"
	"os"
	"sync/atomic"
	"testing"

	"github.com/debriefhq/debrief"
)

// benchExport is the generated 100k-message export the benchmark reads; it
// is not part of the repository.
const benchExport = "/work/data/m100k/slack"

// BenchmarkParse parses the whole benchmark export per iteration and reports
// MB/s of JSON read, and MB per CPU second: the throughput of one core, which
// wall-clock MB/s hides when the parse runs on several cores or the machine
// is busy.
func BenchmarkParse(b *testing.B) {
	if _, err := os.Stat(benchExport); err != nil {
		b.Skipf("benchmark export %s is absent", benchExport)
	}
	fsys := os.DirFS(benchExport)
	size := treeSize(b, fsys)
	b.SetBytes(size)
	b.ReportAllocs()
	var n atomic.Int64
	cpu0 := cpuTime()
	for b.Loop() {
		in := input(fsys, ".", "slack")
		err := Parse(context.Background(), in, func(*debrief.Event) error { n.Add(1); return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n.Load())/float64(b.N), "events/op")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

func treeSize(b *testing.B, fsys fs.FS) int64 {
	var size int64
	err := fs.WalkDir(fsys, ".", func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		size += info.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return size
}
