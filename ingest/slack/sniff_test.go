package slack

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// head reads what the registry gives Sniff: the first 64 KiB of a file.
func head(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(name)
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

// slackSamples are the single files Sniff must claim, from testdata and the
// corpus.
func slackSamples(t *testing.T) []string {
	samples, _ := filepath.Glob("testdata/export/*/*.json")
	samples = append(samples, "testdata/history.json")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.unpacked", "*", "*.json"))
	return append(samples, corpus...)
}

func TestSniffClaimsSlack(t *testing.T) {
	for _, name := range slackSamples(t) {
		if got := Sniff(head(t, name), filepath.Base(name)); got < 90 {
			t.Errorf("Sniff(%s) = %d, want >= 90", name, got)
		}
	}
	inline := []struct {
		head string
		want int
	}{
		{`[{"ts": "1710252190.200300", "user": "U1", "text": "hi"}]`, 70},
		{"\xef\xbb\xbf[\n  {\n    \"type\": \"message\",\n    \"ts\": \"1710252190.200300\"", 90},
		{`{"ok": true, "messages": [{"ts": "1710252190.200300"}]}`, 95},
		{`{"messages": [{"ts": "1710252190.200300"}]}`, 80},
		{`[]`, 0},
		{`[1, 2]`, 0},
		{`[{"ts": 1710252190}]`, 0},
		{`{"messages": [{"id": "1", "timestamp": "2024-03-12T14:03:10Z"}]}`, 0},
		{`{"type": "message"}`, 0},
		{``, 0},
	}
	for _, tt := range inline {
		if got := Sniff([]byte(tt.head), "x.json"); got != tt.want {
			t.Errorf("Sniff(%q) = %d, want %d", tt.head, got, tt.want)
		}
	}
	if got := Sniff([]byte(inline[0].head), "2024-03-12.json"); got != 75 {
		t.Errorf("a day file name should add 5, got %d", got)
	}
}

// TestSniffLeavesOthers checks that no other format's corpus sample, and no
// list file of an export, is claimed as a Slack single file.
func TestSniffLeavesOthers(t *testing.T) {
	root := filepath.Dir(corpusDir)
	if _, err := os.Stat(root); err != nil {
		t.Skipf("SKIPPING: no corpus at %s; other formats were not sniffed", root)
	}
	lists, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.unpacked", "*.json"))
	for _, name := range lists {
		if got := Sniff(head(t, name), filepath.Base(name)); got != 0 {
			t.Errorf("Sniff(%s) = %d, want 0: not a file of messages", name, got)
		}
	}
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, corpusDir) {
			return err
		}
		n++
		if got := Sniff(head(t, p), filepath.Base(p)); got != 0 {
			t.Errorf("Sniff(%s) = %d, want 0", p, got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sniffed %d files of other formats", n)
}
