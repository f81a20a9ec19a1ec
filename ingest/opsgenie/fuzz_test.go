package opsgenie

import (
	"bytes"
	"os"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "opsgenie", "testdata/*")
	f.Add([]byte(`{"action":"Create","alert":{"alertId":"A1","tinyId":7,"priority":3,"createdAt":1715695331482}}`))
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

// BenchmarkParse parses 7 000 webhook bodies as JSON lines.
func BenchmarkParse(b *testing.B) {
	lines, err := os.ReadFile("testdata/checkout-alerts.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(lines, 1000)
	b.SetBytes(int64(len(data)))
	ingesttest.Benchmark(b, Parse, ingesttest.DataInput("alerts.jsonl", data))
}
