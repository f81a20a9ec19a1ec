package detect

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// FuzzDetectAndParse feeds any bytes through detection and the format it
// picks, as `debrief timeline` does with a file it is given: no panic, and
// every event is well formed.
func FuzzDetectAndParse(f *testing.F) {
	for _, name := range []string{"alerts.jsonl", "pagerduty.jsonl", "k8s-events.json", "sam.zsh_history", "alice.bash_history"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "examples", "search-latency", name)); err == nil {
			f.Add(name, data[:min(len(data), 4096)])
		}
	}
	f.Add("notes.csv", []byte("time,who,what\n2025-06-02T14:00:00Z,sam,rolled back\n"))
	reg := New(All())
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if name == "" || len(name) > 100 || !fsNameOK(name) {
			name = "input"
		}
		format, score, _ := reg.Sniff(data[:min(len(data), SniffSize)], name)
		if score == 0 {
			return
		}
		in := &ingest.Input{FS: fstest.MapFS{name: {Data: data}}, Path: name, Name: name,
			Zone: time.UTC, Bad: func(error) error { return nil }}
		emit := func(ev *debrief.Event) error {
			ingesttest.CheckEvent(t, ev)
			return nil
		}
		format.Parser.Parse(context.Background(), in, emit)
	})
}

func fsNameOK(name string) bool {
	for _, c := range name {
		if c == '/' || c == '\\' || c == 0 || c == '.' && len(name) <= 2 {
			return false
		}
	}
	return true
}
