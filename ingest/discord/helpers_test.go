package discord

import (
	"runtime"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/valyala/fastjson"
)

// parseString parses one in-memory file named "export.json" with bad as the
// Bad hook, its events in timeline order: messages are read in parallel.
func parseString(t testing.TB, data string, bad func(error) error) ingesttest.Result {
	return ingesttest.ParseData(t, Parse, "export.json", []byte(data), bad).ByTime()
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
