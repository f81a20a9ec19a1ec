package mattermost

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// FuzzParse checks that no input makes the parser panic and that every event
// it emits has a time and readable text.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.jsonl")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "mattermost", "*", "*"))
	for _, path := range append(seeds, corpus...) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(goodPost1 + "\n" + `{"type":"user","user":{"username":"sam"}}`))
	f.Add([]byte(`{"type":"direct_post","direct_post":{"channel_members":["a","b"],"user":"a","create_at":1,"replies":[{"user":"b","create_at":2}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &ingest.Input{FS: fstest.MapFS{"x.jsonl": {Data: data}}, Path: "x.jsonl", Name: "x.jsonl",
			Zone: time.UTC, Bad: func(error) error { return nil }}
		err := Parse(context.Background(), in, func(ev *debrief.Event) error {
			if ev.Time.IsZero() || !utf8.ValidString(ev.Text) || !utf8.ValidString(ev.Actor) || ev.Ref == "" || ev.Identity == nil {
				t.Errorf("bad event %+v", ev)
			}
			return nil
		})
		if err != nil {
			t.Errorf("with a skipping Bad hook: %v", err)
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
	fsys := fstest.MapFS{"export.jsonl": {Data: data}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in := &ingest.Input{FS: fsys, Path: "export.jsonl", Name: "export.jsonl", Zone: time.UTC}
		if err := Parse(context.Background(), in, func(*debrief.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
