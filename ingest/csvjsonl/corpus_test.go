package csvjsonl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// The shared corpus has no category of generic CSV or JSON lines (those are
// whatever a team writes), so it serves to check that the other formats'
// files are not claimed, and that forcing these parsers on them fails
// cleanly.

func TestSniff(t *testing.T) {
	least := map[string]int{"csv": 100, "jsonl": 100}
	for _, path := range []string{"scribe-notes.csv", "search-notes.csv", "tool-export.csv", "bad-rows.csv"} {
		got := SniffCSV(ingesttest.Head(t, filepath.Join("testdata", path)), path)
		if got < 55 || SniffJSONL(ingesttest.Head(t, filepath.Join("testdata", path)), path) != 0 {
			t.Errorf("SniffCSV(%s) = %d; want at least 55, and SniffJSONL 0", path, got)
		}
		least["csv"] = min(least["csv"], got)
	}
	for _, path := range []string{"ops-log.jsonl", "bad-lines.jsonl"} {
		got := SniffJSONL(ingesttest.Head(t, filepath.Join("testdata", path)), path)
		if got < 50 || SniffCSV(ingesttest.Head(t, filepath.Join("testdata", path)), path) != 0 {
			t.Errorf("SniffJSONL(%s) = %d; want at least 50, and SniffCSV 0", path, got)
		}
		least["jsonl"] = min(least["jsonl"], got)
	}
	for _, path := range ingesttest.CorpusFilesExcept(t, "") {
		h, name := ingesttest.Head(t, path), filepath.Base(path)
		if got := SniffCSV(h, name); got > 0 {
			t.Errorf("SniffCSV(%s) = %d; want 0 for another format", path, got)
		}
		if got := SniffJSONL(h, name); got > 10 || got >= least["jsonl"] {
			t.Errorf("SniffJSONL(%s) = %d; want at most 10 for another format", path, got)
		}
	}
}

// TestSniffOwnedLines checks that JSON lines of formats with their own
// parser score 10 even when they carry a time and a text key.
func TestSniffOwnedLines(t *testing.T) {
	for _, line := range []string{
		`{"__REALTIME_TIMESTAMP":"1748872867120448","time":"x","MESSAGE":"nginx: upstream timed out"}`,
		`{"receiver":"pager","status":"firing","alerts":[],"time":"2025-06-02T14:03:07Z","message":"x"}`,
		`{"type":"post","post":{"message":"x"},"time":1748872867,"message":"x"}`,
		`{"type":"version","version":1,"time":1748872867,"message":"x"}`,
		`{"event":{"event_type":"incident.triggered"},"time":"2025-06-02T14:03:07Z","summary":"x"}`,
		`{"log_entries":[],"time":"2025-06-02T14:03:07Z","summary":"x"}`,
		`{"id":"R1","type":"acknowledge_log_entry","created_at":"2025-06-02T14:03:07Z","summary":"Acknowledged by Sam Rivera."}`,
		`{"action":"Create","alert":{"message":"x"},"time":"2025-06-02T14:03:07Z","message":"x"}`,
	} {
		if got := SniffJSONL([]byte(line+"\n"), "x.jsonl"); got != 10 {
			t.Errorf("SniffJSONL(%s) = %d; want 10", line, got)
		}
	}
}

// TestForcedOnCorpus forces both parsers on every corpus file: each must
// either parse or fail with an input error, never anything else.
func TestForcedOnCorpus(t *testing.T) {
	for _, path := range ingesttest.CorpusFilesExcept(t, "") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, parse := range map[string]ingest.ParserFunc{"csv": ParseCSV, "jsonl": ParseJSONL} {
			err := run(t, parse, "f", data, ingesttest.Skip).Err
			var ie *debrief.InputError
			if err != nil && !errors.As(err, &ie) {
				t.Errorf("%s parser on %s: %T %v; want nil or *debrief.InputError", name, path, err, err)
			}
			if ie != nil && strings.Contains(path, "journalctl-o-json") && name == "jsonl" && !strings.Contains(ie.Msg, `"MESSAGE"`) {
				t.Errorf("jsonl parser on %s: %v; want it to name the keys found", path, err)
			}
		}
	}
}
