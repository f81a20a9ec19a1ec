package mattermost

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestCorpus parses every real Mattermost export: each must parse without a
// bad record and yield events.
func TestCorpus(t *testing.T) {
	if n := len(ingesttest.CorpusFiles(t, "mattermost")); n < 2 {
		t.Fatalf("found %d corpus files, want the 2 real exports", n)
	}
	ingesttest.ParseCorpus(t, Parse, "mattermost", func(t *testing.T, path string, got ingesttest.Result) {
		ingesttest.WantEvents(t, path, got)
		for _, ev := range got.Events {
			if ev.Identity == nil || ev.Identity.DisplayName == "" && ev.Actor != "malfoy" && ev.Actor != "pansy" {
				t.Errorf("%s at %v: identity %+v, want the user line's names", ev.Actor, ev.Time, ev.Identity)
			}
		}
	})
}

// TestSniff checks that Mattermost exports are recognised and that no real
// sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	ours := []string{"testdata/checkout-outage.jsonl", "testdata/late-users.jsonl", "testdata/api-channel-posts.json"}
	others, _ := filepath.Glob("../discord/testdata/*.json")
	ingesttest.CheckSniff(t, Sniff, "mattermost", 80, ours, others)
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
