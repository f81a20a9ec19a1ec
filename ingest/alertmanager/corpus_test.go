package alertmanager

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestCorpus parses every real Alertmanager sample: each must parse without
// a bad record and give events.
func TestCorpus(t *testing.T) {
	ingesttest.ParseCorpus(t, Parse, "alertmanager", ingesttest.WantEvents)
}

// ownScore is the score Sniff gives Alertmanager bodies.
const ownScore = 90

func TestSniffOwn(t *testing.T) {
	files, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(benchFile); err == nil {
		files = append(files, benchFile)
	}
	files = append(files, ingesttest.CorpusFiles(t, "alertmanager")...)
	for _, path := range files {
		if got := Sniff(ingesttest.Head(t, path), filepath.Base(path)); got != ownScore {
			t.Errorf("Sniff(%s) = %d, want %d", path, got, ownScore)
		}
	}
}

// TestSniffOthers checks that no other format's sample scores as high as
// Alertmanager bodies do; Grafana's unified bodies share the envelope but
// must score below.
func TestSniffOthers(t *testing.T) {
	ingesttest.SniffBelow(t, Sniff, ingesttest.CorpusFilesExcept(t, "alertmanager"), ownScore)
	for _, text := range []string{"", "   ", "\xef\xbb\xbf", "[]", "{}", "null", "# zsh\n: 1700000000:0;ls\n", "\x00\x01PK"} {
		if got := Sniff([]byte(text), "x"); got != 0 {
			t.Errorf("Sniff(%q) = %d, want 0", text, got)
		}
	}
}
