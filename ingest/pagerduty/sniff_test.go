package pagerduty

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
		own = append(own, corpusFiles(t, "pagerduty")...)
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
		if !c.IsDir() || c.Name() == "pagerduty" {
			continue
		}
		for _, path := range corpusFiles(t, c.Name()) {
			if score := Sniff(head(t, path), filepath.Base(path)); score >= lowest {
				t.Errorf("%s: claimed with score %d, as sure as PagerDuty's own samples (%d)", path, score, lowest)
			}
		}
	}
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
