package slack

import (
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// slackSamples are the single files Sniff must claim, from testdata and the
// corpus.
func slackSamples(t *testing.T) []string {
	samples, _ := filepath.Glob("testdata/export/*/*.json")
	samples = append(samples, "testdata/history.json")
	corpus, _ := filepath.Glob(ingesttest.CorpusPath("slack", "*", "*.unpacked", "*", "*.json"))
	return append(samples, corpus...)
}

func TestSniffClaimsSlack(t *testing.T) {
	ingesttest.SniffAtLeast(t, Sniff, slackSamples(t), 90)
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
	others := ingesttest.CorpusFilesExcept(t, "slack")
	lists, _ := filepath.Glob(ingesttest.CorpusPath("slack", "*", "*.unpacked", "*.json"))
	ingesttest.SniffBelow(t, Sniff, lists, 1)
	ingesttest.SniffBelow(t, Sniff, others, 1)
	t.Logf("sniffed %d files of other formats", len(others))
}
