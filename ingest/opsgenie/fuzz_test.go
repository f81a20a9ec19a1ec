package opsgenie

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	if _, err := os.Stat(corpusRoot); err == nil {
		seeds = append(seeds, corpusFiles(f, "opsgenie")...)
	}
	for _, path := range seeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"action":"Create","alert":{"alertId":"A1","tinyId":7,"priority":3,"createdAt":1715695331482}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &ingest.Input{FS: fstest.MapFS{"in.json": {Data: data}}, Path: "in.json", Name: "in.json",
			Zone: time.UTC, Bad: func(error) error { return nil }}
		err := Parse(context.Background(), in, func(ev *debrief.Event) error {
			if ev.Time.IsZero() || ev.Time.Location() != time.UTC {
				t.Errorf("event %q: time %v, want a UTC time", ev.Ref, ev.Time)
			}
			if !utf8.ValidString(ev.Text) || !utf8.ValidString(ev.Actor) || !utf8.ValidString(ev.Channel) {
				t.Errorf("event %q: text, actor or channel is not valid UTF-8", ev.Ref)
			}
			if ev.Ref == "" || ev.Identity == nil {
				t.Errorf("event without ref or identity: %+v", ev)
			}
			return nil
		})
		if err != nil {
			var ie *debrief.InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %v (%T) is not an input error", err, err)
			}
		}
	})
}

// BenchmarkParse parses 7 000 webhook bodies as JSON lines.
func BenchmarkParse(b *testing.B) {
	lines, err := os.ReadFile("testdata/checkout-alerts.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(lines, 1000)
	fsys := fstest.MapFS{"alerts.jsonl": {Data: data}}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		in := &ingest.Input{FS: fsys, Path: "alerts.jsonl", Name: "alerts.jsonl", Zone: time.UTC}
		if err := Parse(context.Background(), in, func(*debrief.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
