package alertmanager

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
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
	in := &ingest.Input{FS: os.DirFS(filepath.Dir(benchFile)), Path: filepath.Base(benchFile),
		Name: "alerts.jsonl", Zone: time.UTC}
	events := 0
	for b.Loop() {
		events = 0
		err := Parse(context.Background(), in, func(*debrief.Event) error { events++; return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events), "events")
}
