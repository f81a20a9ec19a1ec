package pagerduty

import (
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestSniff checks that every sample of this format is recognised, and that
// no sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	own, _ := filepath.Glob("testdata/*")
	ingesttest.CheckSniff(t, Sniff, "pagerduty", 90, own, nil)
}

func TestSniffShapes(t *testing.T) {
	tests := []struct {
		name, head string
		want       int
	}{
		{"webhook.json", `{"event":{"id":"E1","event_type":"incident.triggered"`, 90},
		{"entries.json", "\xef\xbb\xbf" + `[{"id":"R1","type":"trigger_log_entry","created_at":"2024-05-14T14:02:11Z"}]`, 90},
		{"page.json", `{"log_entries": [], "limit": 25, "offset": 0, "more": false}`, 75},
		{"service.json", `{"event":{"event_type":"service.updated","resource_type":"service","occurred_at":"2024-05-14T14:02:11Z"}}`, 70},
		{"pagerduty-export.json", `{"something": "else"}`, 10},
		{"pagerduty.txt", "Triggered #1234", 0},
		{"alerts.json", `{"receiver":"pagerduty","status":"firing","alerts":[]}`, 0},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), tt.name); got != tt.want {
			t.Errorf("Sniff(%s) = %d, want %d", tt.name, got, tt.want)
		}
	}
}
