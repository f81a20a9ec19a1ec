package pagerduty

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
		seeds = append(seeds, corpusFiles(f, "pagerduty")...)
	}
	for _, path := range seeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"log_entries":[{"type":"annotate_log_entry","created_at":"2024-05-14T14:02:11","channel":{"type":"note","summary":7}}],"more":true}`))
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
			fsys := fstest.MapFS{in.name: {Data: in.data}}
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				input := &ingest.Input{FS: fsys, Path: in.name, Name: in.name, Zone: time.UTC}
				if err := Parse(context.Background(), input, func(*debrief.Event) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
