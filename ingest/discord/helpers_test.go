package discord

import (
	"context"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// result is what one parse produced.
type result struct {
	events []*debrief.Event
	notes  []string
	bad    []error
	err    error
}

// parseWith parses path of fsys; skip makes the Bad hook skip bad records
// (recording them) instead of stopping.
func parseWith(t testing.TB, fsys fs.FS, path string, skip bool, channels ...string) result {
	t.Helper()
	var (
		mu  sync.Mutex
		res result
	)
	in := &ingest.Input{FS: fsys, Path: path, Name: path, Zone: time.UTC, Channels: channels,
		Note: func(msg string) { res.notes = append(res.notes, msg) }}
	if skip {
		in.Bad = func(err error) error { res.bad = append(res.bad, err); return nil }
	}
	res.err = Parse(context.Background(), in, func(ev *debrief.Event) error {
		mu.Lock()
		defer mu.Unlock()
		res.events = append(res.events, ev)
		return nil
	})
	slices.SortStableFunc(res.events, func(a, b *debrief.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	return res
}

// parseString parses one in-memory file named "export.json".
func parseString(t testing.TB, data string, skip bool) result {
	t.Helper()
	return parseWith(t, fstest.MapFS{"export.json": {Data: []byte(data)}}, "export.json", skip)
}

// ms is a UTC time from an RFC 3339 string, for expectations.
func ms(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

// isValid reports whether s is valid UTF-8.
func isValid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// parseWithZone parses one in-memory export with times without an offset
// taken in zone.
func parseWithZone(t testing.TB, data string, zone *time.Location) result {
	t.Helper()
	var res result
	in := &ingest.Input{FS: fstest.MapFS{"export.json": {Data: []byte(data)}}, Path: "export.json", Name: "export.json", Zone: zone}
	res.err = Parse(context.Background(), in, func(ev *debrief.Event) error {
		res.events = append(res.events, ev)
		return nil
	})
	return res
}

// mustParse parses JSON for a test.
func mustParse(t testing.TB, s string) *fastjson.Value {
	t.Helper()
	v, err := fastjson.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// runtimeStats tracks the live heap.
type runtimeStats struct{ heap uint64 }

// read records the live heap after a collection.
func (s *runtimeStats) read() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.heap = m.HeapAlloc
}

// max records the live heap if it is the largest seen.
func (s *runtimeStats) max() {
	var now runtimeStats
	now.read()
	s.heap = max(s.heap, now.heap)
}
