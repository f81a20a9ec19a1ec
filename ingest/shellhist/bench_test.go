package shellhist

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// benchDir holds the synthetic 100k-message data set (gen_corpus.py); it is
// generated, never committed.
const benchDir = "../../../data/m100k/shell"

// BenchmarkParse reports MB/s over the synthetic zsh and bash histories.
func BenchmarkParse(b *testing.B) {
	for _, bench := range []struct{ format, file string }{
		{"zsh", "alice.zsh_history"},
		{"bash", "bob.bash_history"},
	} {
		b.Run(bench.format, func(b *testing.B) {
			info, err := os.Stat(benchDir + "/" + bench.file)
			if err != nil {
				b.Skipf("SKIPPING: %v (generate it with shared/bench/gen_corpus.py)", err)
			}
			f := format(b, bench.format)
			in := &ingest.Input{FS: os.DirFS(benchDir), Path: bench.file, Name: bench.file, Zone: time.UTC}
			events := 0
			emit := func(*debrief.Event) error { events++; return nil }
			b.SetBytes(info.Size())
			b.ReportAllocs()
			for b.Loop() {
				if err := f.Parser.Parse(context.Background(), in, emit); err != nil {
					b.Fatal(err)
				}
			}
			if events == 0 {
				b.Fatal("no events")
			}
		})
	}
}
