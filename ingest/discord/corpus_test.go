package discord

import (
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// The shared corpus holds no real DiscordChatExporter export (its README
// lists the gap), so there is no corpus test here: the fixtures in testdata
// follow the exporter's JsonMessageWriter. Add one when corpus/discord exists.

// TestSniff checks that Discord exports are recognised and that no real
// sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	ours, _ := filepath.Glob("testdata/*.json")
	others, _ := filepath.Glob("../mattermost/testdata/*.jsonl")
	ingesttest.CheckSniff(t, Sniff, "discord", 80, ours, others)
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
