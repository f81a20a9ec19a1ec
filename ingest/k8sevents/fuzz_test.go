package k8sevents

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	if more, err := filepath.Glob(filepath.Join(corpusDir, "k8s_events", "*", "*")); err == nil {
		seeds = append(seeds, more...)
	}
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"items":[{"namespace":"ns","lastTimestamp":"2022-08-24T11:40:44+02:00","reason":"R","message":"\xff","type":"Warning"}]}`))
	f.Add([]byte(`{"type":"MODIFIED","object":{"kind":"Event","eventTime":"2025-06-02T14:01:12.1Z","series":{"count":2,"lastObservedTime":"2025-06-02T14:09:12Z"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _ := parseBytes(t, data, func(error) error { return nil })
		for _, ev := range got {
			if ev.Time.IsZero() || !utf8.ValidString(ev.Text) || ev.Ref == "" {
				t.Fatalf("bad event %+v", ev)
			}
		}
	})
}
