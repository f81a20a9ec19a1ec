package pagerduty

import (
	"os"
	"strings"
	"testing"
)

// TestDocumentErrors checks that a file that is not JSON stops the parse
// with the line where it went wrong.
func TestDocumentErrors(t *testing.T) {
	whole, err := os.ReadFile("testdata/search-webhooks.json")
	if err != nil {
		t.Fatal(err)
	}
	cut := string(whole[:len(whole)/2])
	tests := []struct {
		name     string
		data     string
		line     int
		contains string
	}{
		{"truncated", cut, strings.Count(cut, "\n") + 1, "truncated"},
		{"invalid", "{\n  \"event\": {\n    \"id\": \"E1\",,\n  }\n}\n", 3, "invalid JSON"},
		{"not json", "Incident #1234 acknowledged by Sam\n", 1, "invalid JSON"},
		{"second document broken", "{\n  \"event\": {}\n}\n{\n  \"event\": tr!e\n}\n", 5, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseBytes(t, "pd.json", tt.data, true)
			if res.err == nil {
				t.Fatal("parse succeeded, want an error")
			}
			ie := inputError(t, res.err)
			if ie.Line != tt.line || ie.File != "pd.json" || !strings.Contains(ie.Msg, tt.contains) {
				t.Errorf("error %q at line %d; want line %d saying %q", ie, ie.Line, tt.line, tt.contains)
			}
		})
	}
}

// TestBadRecords checks each kind of record that cannot be read: without a
// Bad hook it stops the parse at its line; with one that skips, the parse
// goes on and keeps the good ingest.Records.
func TestBadRecords(t *testing.T) {
	const good = `{"event":{"id":"G1","event_type":"incident.acknowledged","occurred_at":"2024-05-14T14:04:37.915Z","agent":{"type":"user_reference","summary":"Sam Rivera"},"data":{"id":"Q1","type":"incident","number":1,"title":"t"}}}`
	tests := []struct {
		name     string
		data     string
		lines    []int // lines of the bad ingest.Records, in order
		contains string
		events   int
	}{
		{"bad json line", good + "\n{\"event\": {\"id\": \n" + good + "\n", []int{2}, "truncated", 2},
		{"garbage line", good + "\n" + good + "\n[1, 2,]\n", []int{3}, "invalid JSON", 2},
		{"two values on a line", good + "\n" + good + " {}\n", []int{2}, "one JSON value a line", 1},
		{"wrong type", "{\n  \"event\": {\n    \"id\": 17,\n    \"event_type\": \"incident.triggered\"\n  }\n}\n", []int{3}, `expected "id" as a string, found JSON number`, 0},
		{"wrong type of data", `{"event":{"id":"E","event_type":"incident.triggered","occurred_at":"2024-05-14T14:04:37Z","data":{"assignees":{}}}}`, []int{1}, `"data.assignees" as an array`, 0},
		{"before 1970", strings.Replace(good, "2024-05-14", "1969-12-31", 1), []int{1}, `expected "occurred_at"`, 0},
		{"after 2200", strings.Replace(good, "2024-05-14", "2201-01-01", 1), []int{1}, "between 1970 and 2200", 0},
		{"not a time", strings.Replace(good, "2024-05-14T14:04:37.915Z", "yesterday", 1), []int{1}, `found "yesterday"`, 0},
		{"no event type", strings.Replace(good, `"event_type":"incident.acknowledged",`, "", 1), []int{1}, `expected "event_type"`, 0},
		{"not an object", "[\n  42,\n  " + good + "\n]\n", []int{2}, "expected a JSON object", 1},
		{"unknown object", good + "\n{\"incident\": {}}\n", []int{2}, `expected a v3 webhook`, 1},
		{"v2 webhook", `{"messages": [{"event": "incident.trigger"}]}`, []int{1}, "v1/v2 webhook", 0},
		{"log entry not a log entry type", `{"log_entry": {"id": "R1", "type": "incident", "created_at": "2024-05-14T14:04:37Z"}}`, []int{1}, `"trigger_log_entry"`, 0},
		{"log entries not an array", `{"log_entries": {"id": "R1"}}`, []int{1}, `"log_entries" as a JSON array`, 0},
		{"log entry without time", "{\"log_entries\": [\n  {\"id\": \"R1\", \"type\": \"trigger_log_entry\", \"created_at\": \"2024-05-14T14:04:37Z\"},\n  {\"id\": \"R2\", \"type\": \"resolve_log_entry\"},\n  {\"id\": \"R3\", \"type\": \"resolve_log_entry\", \"created_at\": \"10:12\"}\n]}\n",
			[]int{3, 4}, `expected "created_at"`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stopped := parseBytes(t, "pd.json", tt.data, false)
			if stopped.err == nil {
				t.Fatal("parse without a Bad hook succeeded, want the first bad record's error")
			}
			ie := inputError(t, stopped.err)
			if ie.Line != tt.lines[0] || !strings.Contains(ie.Msg, tt.contains) {
				t.Errorf("error %q at line %d; want line %d saying %q", ie, ie.Line, tt.lines[0], tt.contains)
			}
			skipped := parseBytes(t, "pd.json", tt.data, true)
			if skipped.err != nil {
				t.Fatalf("parse with a skipping Bad hook: %v", skipped.err)
			}
			var lines []int
			for _, err := range skipped.bad {
				lines = append(lines, inputError(t, err).Line)
			}
			if !equalInts(lines, tt.lines) || len(skipped.events) != tt.events {
				t.Errorf("skipped lines %v and kept %d events; want lines %v and %d events", lines, len(skipped.events), tt.lines, tt.events)
			}
		})
	}
}

// TestMorePagesNoted checks that a list page saying more entries follow is
// read and remarked on.
func TestMorePagesNoted(t *testing.T) {
	res := parseBytes(t, "page1.json", `{"log_entries":[{"id":"R1","type":"trigger_log_entry","created_at":"2024-05-14T14:02:11Z"}],"limit":1,"offset":0,"more":true}`, false)
	if res.err != nil || len(res.events) != 1 {
		t.Fatalf("got %d events, error %v; want 1 event", len(res.events), res.err)
	}
	if len(res.notes) != 1 || !strings.Contains(res.notes[0], `"more": true`) {
		t.Errorf("notes = %q, want one about more pages", res.notes)
	}
}

// TestEmptyInput checks that an empty or blank file gives nothing and no error.
func TestEmptyInput(t *testing.T) {
	for _, data := range []string{"", "\n\n", "\xef\xbb\xbf  \n", "[]"} {
		res := parseBytes(t, "empty.json", data, false)
		if res.err != nil || len(res.events) != 0 {
			t.Errorf("%q: %d events, error %v; want none", data, len(res.events), res.err)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
