package timeline

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

var benchTexts = []string{
	"checking the p99 on the search dashboard, looks like the pool is saturated",
	"I think it's the cache, hit ratio dropped to 40%",
	"kubectl -n search get pods -o wide",
	"anyone know why the pool size changed?",
	"rolling back search-api now",
}

// BenchmarkBuild measures the timeline engine alone: concurrent emit (text
// rules, identity), sorted runs spilled to disk, and one merge to read back.
func BenchmarkBuild(b *testing.B) {
	const n = 200_000
	b.ReportAllocs()
	for b.Loop() {
		bl := NewBuilder(Options{From: t0.Add(-time.Hour), To: t0.Add(24 * time.Hour), MemoryBudget: 8 << 20, TempDir: b.TempDir()})
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += 2 {
					bl.Emit(&debrief.Event{Time: t0.Add(time.Duration(i*7919%n) * 300 * time.Millisecond),
						Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: fmt.Sprintf("u%d", i%40),
						Channel: "inc", Text: benchTexts[i%len(benchTexts)], Ref: fmt.Sprintf("inc/%d", i)})
				}
			}()
		}
		wg.Wait()
		tl, err := bl.Finish()
		if err != nil {
			b.Fatal(err)
		}
		count := 0
		tl.Each(func(*debrief.Event) error { count++; return nil })
		tl.Close()
		if count != n {
			b.Fatalf("read %d events, want %d", count, n)
		}
	}
	b.ReportMetric(float64(n), "events/op")
}

// BenchmarkFlagText measures the moment rules on typical chat lines.
func BenchmarkFlagText(b *testing.B) {
	evs := make([]debrief.Event, len(benchTexts))
	var n int64
	for _, s := range benchTexts {
		n += int64(len(s))
	}
	b.SetBytes(n / int64(len(benchTexts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		j := i % len(evs)
		evs[j] = debrief.Event{Kind: debrief.KindMessage, Text: benchTexts[j]}
		flagText(&evs[j])
	}
}

// BenchmarkMerge measures reading a spilled timeline back: sixteen runs
// decoded ahead and merged into one order, as printing does.
func BenchmarkMerge(b *testing.B) {
	const n = 400_000
	bl := NewBuilder(Options{From: t0.Add(-time.Hour), To: t0.Add(48 * time.Hour), MemoryBudget: 4 << 20, TempDir: b.TempDir()})
	for i := range n {
		bl.Emit(&debrief.Event{Time: t0.Add(time.Duration(i*7919%n) * 300 * time.Millisecond),
			Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: fmt.Sprintf("u%d", i%40),
			Channel: "inc", Text: benchTexts[i%len(benchTexts)], Ref: fmt.Sprintf("inc/%d", i)})
	}
	tl, err := bl.Finish()
	if err != nil {
		b.Fatal(err)
	}
	defer tl.Close()
	for b.Loop() {
		count := 0
		tl.Each(func(*debrief.Event) error { count++; return nil })
		if count != n {
			b.Fatalf("read %d events, want %d", count, n)
		}
	}
	b.ReportMetric(float64(len(tl.store.files)), "runs")
}

// BenchmarkSpillWrite measures writing one sorted run to disk: encoding
// each event and the writes.
func BenchmarkSpillWrite(b *testing.B) {
	const n = 60_000
	evs := make([]*debrief.Event, n)
	var actors [40]string // as parsers give them: the same strings again
	for i := range actors {
		actors[i] = fmt.Sprintf("u%d", i)
	}
	var size int64
	for i := range evs {
		evs[i] = &debrief.Event{Time: t0.Add(time.Duration(i) * 300 * time.Millisecond),
			Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: actors[i%40],
			Channel: "inc", ID: eventID(&debrief.Event{Ref: fmt.Sprint(i)}),
			Text: benchTexts[i%len(benchTexts)] + " " + benchTexts[(i+1)%len(benchTexts)],
			Ref:  fmt.Sprintf("C0NA4BQ4LFA/%d.679456", 1704067290+i)}
		size += int64(len(evs[i].Text) + len(evs[i].Ref) + 24)
	}
	b.SetBytes(size)
	r := &runs{dir: b.TempDir()}
	defer r.close()
	for b.Loop() {
		if err := r.write(evs); err != nil {
			b.Fatal(err)
		}
		// Keep one run open, as a spill keeps its runs, without piling
		// up files the benchmark never reads.
		if len(r.files) > 1 {
			r.files[0].f.Close()
			r.files = r.files[1:]
		}
	}
}
