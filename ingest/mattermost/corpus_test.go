package mattermost

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds real third-party samples, shared between the helpers of
// the project; it is absent from some checkouts.
const corpusDir = "../../../shared/corpus"

// corpusFiles lists the regular files under category of the corpus, or skips
// the test loudly when the corpus is absent.
func corpusFiles(t *testing.T, category string) []string {
	t.Helper()
	root := filepath.Join(corpusDir, category)
	if _, err := os.Stat(root); err != nil {
		t.Skipf("SKIPPED: no real samples at %s (%v); the corpus test did not run", root, err)
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

// TestCorpus parses every real Mattermost export: each must parse without a
// bad record and yield events.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t, "mattermost")
	if len(files) < 2 {
		t.Fatalf("found %d corpus files, want the 2 real exports", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := parseWith(t, os.DirFS(filepath.Dir(path)), filepath.Base(path), false)
			if got.err != nil {
				t.Fatal(got.err)
			}
			if len(got.events) == 0 {
				t.Fatal("no events")
			}
			for _, ev := range got.events {
				if ev.Identity == nil || ev.Identity.DisplayName == "" && ev.Actor != "malfoy" && ev.Actor != "pansy" {
					t.Errorf("%s at %v: identity %+v, want the user line's names", ev.Actor, ev.Time, ev.Identity)
				}
			}
		})
	}
}

// head reads the first 64 KiB of a file, as format detection does.
func head(t *testing.T, path string) []byte {
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

// TestSniff checks that Mattermost exports are recognised and that no real
// sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	ours := []string{"testdata/checkout-outage.jsonl", "testdata/late-users.jsonl"}
	if _, err := os.Stat(corpusDir); err == nil {
		ours = append(ours, corpusFiles(t, "mattermost")...)
	}
	lowest := 100
	for _, path := range ours {
		score := Sniff(head(t, path), filepath.Base(path))
		if score < 80 {
			t.Errorf("Sniff(%s) = %d, want at least 80", path, score)
		}
		lowest = min(lowest, score)
	}
	others, _ := filepath.Glob("../discord/testdata/*.json")
	for _, path := range others {
		if score := Sniff(head(t, path), filepath.Base(path)); score >= lowest {
			t.Errorf("Sniff(%s) = %d, want below %d", path, score, lowest)
		}
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("SKIPPED the other formats' samples: no corpus at %s", corpusDir)
	}
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.Contains(path, "/mattermost/") {
			return err
		}
		if score := Sniff(head(t, path), d.Name()); score >= lowest {
			t.Errorf("Sniff(%s) = %d, want below %d", path, score, lowest)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSniffHeads(t *testing.T) {
	tests := []struct {
		head string
		want int
	}{
		{`{"type":"version","version":1}` + "\n", 95},
		{"\xef\xbb\xbf\n" + `{"type":"version","version":1,"info":{"generator":"mmctl"}}`, 95},
		{`{"type":"version"}`, 83},
		{`{"type":"version","info":{"generator":"` + strings.Repeat("x", 100), 88},
		{`{"type":"post","post":{"team":"acme"}}`, 63},
		{`{"type":"post","message":"x"}`, 0},
		{`{"type":"version"`, 88},
		{`{"level":"info","msg":"started"}`, 0},
		{`[{"type":"message","ts":"1.2"}]`, 0},
		{``, 0},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), "export.jsonl"); got != tt.want {
			t.Errorf("Sniff(%.40q) = %d, want %d", tt.head, got, tt.want)
		}
	}
}
