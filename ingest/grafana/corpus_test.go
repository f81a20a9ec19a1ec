package grafana

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/alertmanager"
)

// corpus is where the shared real-world samples live, relative to this
// package; tests that read it skip loudly when it is absent.
const corpus = "../../../shared/corpus"

// corpusFiles returns the files under corpus/category, or skips the test.
func corpusFiles(t testing.TB, category string) []string {
	t.Helper()
	root := filepath.Join(corpus, category)
	if _, err := os.Stat(root); err != nil {
		t.Skipf("CORPUS ABSENT: %s not found (%v); the real-world samples were not checked", root, err)
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCorpus parses every real Grafana sample: each must parse without a
// bad record and give events. The legacy sample (alert.json) has no time
// and gets the file's modification time, which os.DirFS gives.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t, "grafana") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := parse(t, os.DirFS(filepath.Dir(path)), filepath.Base(path), false)
			if got.err != nil {
				t.Fatal(got.err)
			}
			if len(got.events) == 0 {
				t.Fatal("no events")
			}
			t.Logf("%d events, notes %q", len(got.events), got.notes)
		})
	}
}

// head returns the first 64 KiB of a file, as the registry gives Sniff.
func head(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		t.Fatal(err)
	}
	return b
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
	files = append(files, corpusFiles(t, "grafana")...)
	for _, path := range files {
		h := head(t, path)
		got, am := Sniff(h, filepath.Base(path)), alertmanager.Sniff(h, filepath.Base(path))
		if got < leastOwnScore || am >= got {
			t.Errorf("Sniff(%s) = %d, Alertmanager %d; want at least %d and above Alertmanager", path, got, am, leastOwnScore)
		}
	}
}

// TestSniffOthers checks that no other format's sample scores as high as
// Grafana bodies do, Alertmanager bodies included.
func TestSniffOthers(t *testing.T) {
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("CORPUS ABSENT: %v", err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "grafana" {
			continue
		}
		for _, path := range corpusFiles(t, e.Name()) {
			if got := Sniff(head(t, path), filepath.Base(path)); got >= leastOwnScore {
				t.Errorf("Sniff(%s) = %d, want below %d", path, got, leastOwnScore)
			}
		}
	}
	for _, text := range []string{"", "{}", "[]", `{"title":"x"}`, "\x00PK"} {
		if got := Sniff([]byte(text), "x"); got != 0 {
			t.Errorf("Sniff(%q) = %d, want 0", text, got)
		}
	}
}
