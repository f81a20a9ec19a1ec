package grafana

import (
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/alertmanager"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestCorpus parses every real Grafana sample: each must parse without a
// bad record and give events. The legacy sample (alert.json) has no time
// and gets the file's modification time, which os.DirFS gives.
func TestCorpus(t *testing.T) {
	ingesttest.ParseCorpus(t, Parse, "grafana", ingesttest.WantEvents)
}

// leastOwnScore is the lowest score Sniff gives a Grafana body (legacy).
const leastOwnScore = 90

// TestSniffOwn checks that Grafana's samples are recognised, and that
// Grafana outscores Alertmanager on them, since unified bodies carry the
// Alertmanager envelope.
func TestSniffOwn(t *testing.T) {
	files, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, ingesttest.CorpusFiles(t, "grafana")...)
	for _, path := range files {
		h := ingesttest.Head(t, path)
		got, am := Sniff(h, filepath.Base(path)), alertmanager.Sniff(h, filepath.Base(path))
		if got < leastOwnScore || am >= got {
			t.Errorf("Sniff(%s) = %d, Alertmanager %d; want at least %d and above Alertmanager", path, got, am, leastOwnScore)
		}
	}
}

// TestSniffOthers checks that no other format's sample scores as high as
// Grafana bodies do, Alertmanager bodies included.
func TestSniffOthers(t *testing.T) {
	ingesttest.SniffBelow(t, Sniff, ingesttest.CorpusFilesExcept(t, "grafana"), leastOwnScore)
	for _, text := range []string{"", "{}", "[]", `{"title":"x"}`, "\x00PK"} {
		if got := Sniff([]byte(text), "x"); got != 0 {
			t.Errorf("Sniff(%q) = %d, want 0", text, got)
		}
	}
}
