package alertmanager

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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

// TestCorpus parses every real Alertmanager sample: each must parse without
// a bad record and give events.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t, "alertmanager") {
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
	files = append(files, corpusFiles(t, "alertmanager")...)
	for _, path := range files {
		if got := Sniff(head(t, path), filepath.Base(path)); got != ownScore {
			t.Errorf("Sniff(%s) = %d, want %d", path, got, ownScore)
		}
	}
}

// TestSniffOthers checks that no other format's sample scores as high as
// Alertmanager bodies do; Grafana's unified bodies share the envelope but
// must score below.
func TestSniffOthers(t *testing.T) {
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("CORPUS ABSENT: %v", err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "alertmanager" {
			continue
		}
		for _, path := range corpusFiles(t, e.Name()) {
			if got := Sniff(head(t, path), filepath.Base(path)); got >= ownScore {
				t.Errorf("Sniff(%s) = %d, want below %d", path, got, ownScore)
			}
		}
	}
	for _, text := range []string{"", "   ", "\xef\xbb\xbf", "[]", "{}", "null", "# zsh\n: 1700000000:0;ls\n", "\x00\x01PK"} {
		if got := Sniff([]byte(text), "x"); got != 0 {
			t.Errorf("Sniff(%q) = %d, want 0", text, got)
		}
	}
}
