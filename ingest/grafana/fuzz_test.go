package grafana

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

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	if _, err := os.Stat(corpus); err == nil {
		more, _ := filepath.Glob(filepath.Join(corpus, "grafana", "*", "*"))
		seeds = append(seeds, more...)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, true)
	}
	f.Add([]byte(`{"ruleId":1,"ruleName":"x","state":"ok","evalMatches":[{"metric":"\xff","value":1e400}]}`), false)
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, withTime bool) {
		file := &fstest.MapFile{Data: data}
		if withTime {
			file.ModTime = mtime
		}
		in := &ingest.Input{FS: fstest.MapFS{"f": file}, Path: "f", Name: "f", Zone: time.UTC,
			Bad: func(error) error { return nil }}
		_ = Parse(context.Background(), in, func(ev *debrief.Event) error {
			if ev.Time.IsZero() || ev.Time.Location() != time.UTC {
				t.Errorf("event %q has time %v", ev.Ref, ev.Time)
			}
			if !utf8.ValidString(ev.Text) || !utf8.ValidString(ev.Ref) || !utf8.ValidString(ev.Channel) {
				t.Errorf("event %q has invalid UTF-8", ev.Ref)
			}
			if ev.Ref == "" || ev.Source != debrief.SourceGrafana {
				t.Errorf("event %+v has no Ref or the wrong source", ev)
			}
			return nil
		})
	})
}
