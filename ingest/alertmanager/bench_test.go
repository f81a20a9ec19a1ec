package alertmanager

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// benchFile is the synthetic benchmark capture made by
// shared/bench/gen_corpus.py; it is never committed.
const benchFile = "../../../data/m100k/alerts.jsonl"

// BenchmarkParse measures JSON-lines throughput; the target is 200 MB/s on
// one core.
func BenchmarkParse(b *testing.B) {
	info, err := os.Stat(benchFile)
	if err != nil {
		b.Skipf("benchmark capture %s is absent (make it with shared/bench/gen_corpus.py): %v", benchFile, err)
	}
	b.SetBytes(info.Size())
	in := ingesttest.Input(os.DirFS(filepath.Dir(benchFile)), filepath.Base(benchFile))
	in.Name = "alerts.jsonl"
	events := ingesttest.Benchmark(b, Parse, in)
	b.ReportMetric(float64(events), "events")
}
