package timeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

// sortEvents sorts evs as a run is sorted, with scratch of its own.
func sortEvents(evs []*debrief.Event) { new(sorter).sort(evs) }

// sortEvents puts events in compareEvents' order whatever their times:
// many at one instant (told apart by source, channel, ref, text), times
// before 1970, times nanoseconds apart and years apart, short runs sorted
// by comparison and long ones by radix.
func TestSortEventsOrdersAsCompareEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	base := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
	times := []func() time.Time{
		func() time.Time { return base.Add(time.Duration(r.IntN(5)) * time.Second) }, // heavy ties
		func() time.Time { return base.Add(time.Duration(r.Int64N(int64(time.Hour)))) },
		func() time.Time { return time.Unix(r.Int64N(1<<33)-1<<32, r.Int64N(1e9)) }, // 1834 to 2106
		func() time.Time { return base.Add(time.Duration(r.IntN(3))) },              // nanoseconds apart
	}
	sources := []debrief.Source{debrief.SourceSlack, debrief.SourceZsh, debrief.SourceAlertmanager}
	for _, n := range []int{0, 1, 2, radixMin - 1, radixMin, 1000, 20000} {
		for k, at := range times {
			evs := make([]*debrief.Event, n)
			for i := range evs {
				evs[i] = &debrief.Event{Time: at(), Source: sources[r.IntN(len(sources))],
					Channel: fmt.Sprint(r.IntN(3)), Ref: fmt.Sprint(r.IntN(50)), Text: fmt.Sprint(r.IntN(4))}
			}
			want := slices.Clone(evs)
			slices.SortStableFunc(want, compareEvents)
			sortEvents(evs)
			for i := range evs {
				if compareEvents(evs[i], want[i]) != 0 {
					t.Fatalf("%d events, times %d: at %d got %v %s, want %v %s", n, k, i, evs[i].Time, evs[i].Ref, want[i].Time, want[i].Ref)
				}
			}
		}
	}
}

func BenchmarkSortEvents(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	base := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
	src := make([]*debrief.Event, 60000)
	for i := range src {
		src[i] = &debrief.Event{Time: base.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour)))), Source: debrief.SourceSlack}
	}
	evs := make([]*debrief.Event, len(src))
	for b.Loop() {
		copy(evs, src)
		sortEvents(evs)
	}
}
