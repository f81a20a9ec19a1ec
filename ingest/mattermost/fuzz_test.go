package mattermost

import (
	"os"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// FuzzParse checks that no input makes the parser panic and that every event
// it emits has a time and readable text.
func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "mattermost", "testdata/*.jsonl")
	ingesttest.AddSeeds(f, "", "testdata/*.json")
	f.Add([]byte(goodPost1 + "\n" + `{"type":"user","user":{"username":"sam"}}`))
	f.Add([]byte(`{"type":"direct_post","direct_post":{"channel_members":["a","b"],"user":"a","create_at":1,"replies":[{"user":"b","create_at":2}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := ingesttest.ParseData(t, Parse, "x.jsonl", data, ingesttest.Skip)
		for _, ev := range got.Events {
			ingesttest.CheckEvent(t, ev)
			if ev.Identity == nil {
				t.Errorf("event without an identity: %+v", ev)
			}
		}
		if got.Err != nil {
			t.Errorf("with a skipping Bad hook: %v", got.Err)
		}
	})
}

// BenchmarkParse measures throughput on a large export made of the fixture's
// posts repeated.
func BenchmarkParse(b *testing.B) {
	one, err := os.ReadFile("testdata/checkout-outage.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var data []byte
	for len(data) < 16<<20 {
		data = append(data, one...)
	}
	b.SetBytes(int64(len(data)))
	ingesttest.Benchmark(b, Parse, ingesttest.DataInput("export.jsonl", data))
}
