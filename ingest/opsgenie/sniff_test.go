package opsgenie

import (
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestSniff checks that every sample of this format is recognised, and that
// no sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	own, _ := filepath.Glob("testdata/*")
	ingesttest.CheckSniff(t, Sniff, "opsgenie", 90, own, nil)
}

func TestSniffShapes(t *testing.T) {
	tests := []struct {
		name, head string
		want       int
	}{
		{"hook.json", `{"action":"Create","alert":{"alertId":"A1"`, 90},
		{"hooks.json", "\xef\xbb\xbf" + `[{"alert":{"alertId":"A1"},"action":"Close"}]`, 90},
		{"callback.json", `{"escalationNotify":{"name":"kim"},"action":"Escalate"}`, 70},
		{"opsgenie-export.json", `{"something": "else"}`, 10},
		{"opsgenie.txt", "Acknowledge", 0},
		{"alerts.json", `{"receiver":"opsgenie","status":"firing","alerts":[]}`, 0},
		{"pagerduty.json", `{"event":{"id":"E1","event_type":"incident.triggered"}}`, 0},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), tt.name); got != tt.want {
			t.Errorf("Sniff(%s) = %d, want %d", tt.name, got, tt.want)
		}
	}
}
