package pagerduty

import (
	"bytes"
	"os"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "pagerduty", "testdata/*")
	f.Add([]byte(`{"log_entries":[{"type":"annotate_log_entry","created_at":"2024-05-14T14:02:11","channel":{"type":"note","summary":7}}],"more":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := ingesttest.ParseData(t, Parse, "in.json", data, ingesttest.Skip)
		for _, ev := range got.Events {
			ingesttest.CheckEvent(t, ev)
			if ev.Identity == nil {
				t.Errorf("event without an identity: %+v", ev)
			}
		}
		ingesttest.CheckError(t, got.Err)
	})
}

// BenchmarkParse parses 2 000 webhooks and 2 000 log entries.
func BenchmarkParse(b *testing.B) {
	hooks, err := os.ReadFile("testdata/checkout-webhooks.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(hooks, 250)
	entries, err := os.ReadFile("testdata/search-log-entries.json")
	if err != nil {
		b.Fatal(err)
	}
	page := bytes.Repeat(entries, 250)
	for _, in := range []struct {
		name string
		data []byte
	}{{"webhooks.jsonl", data}, {"log-entries.json", page}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			ingesttest.Benchmark(b, Parse, ingesttest.DataInput(in.name, in.data))
		})
	}
}
