package opsgenie

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// head reads the beginning of a file the way format detection does.
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

// TestSniff checks that every sample of this format is recognised, and that
// no sample of another format is claimed as surely.
func TestSniff(t *testing.T) {
	own, _ := filepath.Glob("testdata/*")
	if _, err := os.Stat(corpusRoot); err == nil {
		own = append(own, corpusFiles(t, "opsgenie")...)
	}
	lowest := 100
	for _, path := range own {
		score := Sniff(head(t, path), filepath.Base(path))
		if score < 90 {
			t.Errorf("%s: score %d, want at least 90", path, score)
		}
		lowest = min(lowest, score)
	}
	cats, err := os.ReadDir(corpusRoot)
	if err != nil {
		t.Skipf("CORPUS ABSENT: %v; other formats' samples were NOT checked", err)
	}
	for _, c := range cats {
		if !c.IsDir() || c.Name() == "opsgenie" {
			continue
		}
		for _, path := range corpusFiles(t, c.Name()) {
			if score := Sniff(head(t, path), filepath.Base(path)); score >= lowest {
				t.Errorf("%s: claimed with score %d, as sure as Opsgenie's own samples (%d)", path, score, lowest)
			}
		}
	}
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
