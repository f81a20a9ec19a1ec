package opsgenie

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusRoot holds real third-party samples, one folder per category, beside
// the repository; it is absent where only the repository is checked out.
const corpusRoot = "../../../shared/corpus"

// corpusFiles lists the files of one corpus category, skipping the test
// loudly when the corpus is absent.
func corpusFiles(t testing.TB, category string) []string {
	t.Helper()
	dir := filepath.Join(corpusRoot, category)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("CORPUS ABSENT: %s not found (%v); real-world samples were NOT checked", dir, err)
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
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

// TestCorpus parses every real Opsgenie sample with no Bad hook: each must
// parse without error and give one event, except the escalation callback
// (escalate.json), which legitimately gives none: it carries no time, and is
// left out with a note saying so.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t, "opsgenie")
	if len(files) == 0 {
		t.Fatal("the opsgenie corpus is empty")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res := parse(t, os.DirFS(filepath.Dir(path)), filepath.Base(path), false)
			if res.err != nil {
				t.Fatalf("parse: %v", res.err)
			}
			if strings.HasSuffix(path, "__escalate.json") {
				if len(res.events) != 0 || len(res.notes) != 1 || !strings.Contains(res.notes[0], "no time") {
					t.Fatalf("escalation callback: %d events, notes %q; want none and a note", len(res.events), res.notes)
				}
				return
			}
			if len(res.events) != 1 {
				t.Fatalf("got %d events, want 1", len(res.events))
			}
			ev := res.events[0]
			if ev.Actor == "" || ev.Text == "" || ev.Ref == "" || ev.Thread == "" || ev.Bot {
				t.Errorf("event lacks actor, text, ref or thread, or is a bot's: %+v", ev)
			}
		})
	}
}
