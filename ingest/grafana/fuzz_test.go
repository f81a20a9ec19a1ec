package grafana

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	more, _ := filepath.Glob(ingesttest.CorpusPath("grafana", "*", "*"))
	for _, path := range append(seeds, more...) {
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
		got := ingesttest.ParseFile(t, Parse, fstest.MapFS{"f": file}, "f", ingesttest.Skip)
		for _, ev := range got.Events {
			ingesttest.CheckEvent(t, ev)
			if ev.Source != debrief.SourceGrafana {
				t.Errorf("event %+v has the wrong source", ev)
			}
		}
	})
}
