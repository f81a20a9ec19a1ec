package discord

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

// TestCorpus parses every real DiscordChatExporter export in the shared
// corpus. There is none yet (the corpus README lists Discord as a gap), so
// this test skips loudly until one is added under corpus/discord.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t, "discord") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := parseWith(t, os.DirFS(filepath.Dir(path)), filepath.Base(path), false)
			if got.err != nil {
				t.Fatal(got.err)
			}
			if len(got.events) == 0 {
				t.Fatal("no events")
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

// TestSniff checks that Discord exports are recognised and that no real
// sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	ours, _ := filepath.Glob("testdata/*.json")
	if _, err := os.Stat(filepath.Join(corpusDir, "discord")); err == nil {
		ours = append(ours, corpusFiles(t, "discord")...)
	}
	lowest := 100
	for _, path := range ours {
		score := Sniff(head(t, path), filepath.Base(path))
		if score < 80 {
			t.Errorf("Sniff(%s) = %d, want at least 80", path, score)
		}
		lowest = min(lowest, score)
	}
	others, _ := filepath.Glob("../mattermost/testdata/*.jsonl")
	for _, path := range others {
		if score := Sniff(head(t, path), filepath.Base(path)); score >= lowest {
			t.Errorf("Sniff(%s) = %d, want below %d", path, score, lowest)
		}
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("SKIPPED the other formats' samples: no corpus at %s", corpusDir)
	}
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.Contains(path, "/discord/") {
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
		{`{"guild":{"id":"1","name":"Acme","iconUrl":"x"},"channel":{"id":"2"}`, 95},
		{"\xef\xbb\xbf{\n  \"guild\": {\n    \"id\": \"1\"\n  },\n  \"channel\"", 95},
		{`{"guild":{"id":"1"},"messages":[]}`, 85},
		{`{"guild":{"id":"1","name":"Ac`, 0},
		{`{"channel":{"name":"ops"},"guild":{},"messages":[{"author":{}}]}`, 70},
		{`{"channel":{"name":"ops"},"messages":[]}`, 0},
		{`{"guild":"acme","channel":"ops"}`, 0},
		{`[{"guild":{}}]`, 0},
		{`{"type":"version","version":1}`, 0},
		{``, 0},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), "Acme - Incidents - inc [123].json"); got != tt.want {
			t.Errorf("Sniff(%.40q) = %d, want %d", tt.head, got, tt.want)
		}
	}
}
