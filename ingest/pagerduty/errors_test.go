package pagerduty

import (
	"os"
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestDocumentErrors checks that a file that is not JSON stops the parse
// with the line where it went wrong.
func TestDocumentErrors(t *testing.T) {
	whole, err := os.ReadFile("testdata/search-webhooks.json")
	if err != nil {
		t.Fatal(err)
	}
	cut := string(whole[:len(whole)/2])
	ingesttest.CheckInputErrors(t, Parse, "pd.json", ingesttest.Skip, []ingesttest.InputErrorCase{
		{"truncated", cut, strings.Count(cut, "\n") + 1, "truncated"},
		{"invalid", "{\n  \"event\": {\n    \"id\": \"E1\",,\n  }\n}\n", 3, "invalid JSON"},
		{"not json", "Incident #1234 acknowledged by Sam\n", 1, "invalid JSON"},
		{"second document broken", "{\n  \"event\": {}\n}\n{\n  \"event\": tr!e\n}\n", 5, "invalid JSON"},
	})
}

// TestBadRecords checks each kind of record that cannot be read: without a
// Bad hook it stops the parse at its line; with one that skips, the parse
// goes on and keeps the good ingest.Records.
func TestBadRecords(t *testing.T) {
	const good = `{"event":{"id":"G1","event_type":"incident.acknowledged","occurred_at":"2024-05-14T14:04:37.915Z","agent":{"type":"user_reference","summary":"Sam Rivera"},"data":{"id":"Q1","type":"incident","number":1,"title":"t"}}}`
	ingesttest.CheckBadRecords(t, Parse, "pd.json", []ingesttest.BadRecordCase{
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
	})
}

// TestMorePagesNoted checks that a list page saying more entries follow is
// read and remarked on.
func TestMorePagesNoted(t *testing.T) {
	res := ingesttest.ParseData(t, Parse, "page1.json", []byte(`{"log_entries":[{"id":"R1","type":"trigger_log_entry","created_at":"2024-05-14T14:02:11Z"}],"limit":1,"offset":0,"more":true}`), nil)
	if res.Err != nil || len(res.Events) != 1 {
		t.Fatalf("got %d events, error %v; want 1 event", len(res.Events), res.Err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], `"more": true`) {
		t.Errorf("notes = %q, want one about more pages", res.Notes)
	}
}

// TestEmptyInput checks that an empty or blank file gives nothing and no error.
func TestEmptyInput(t *testing.T) {
	for _, data := range []string{"", "\n\n", "\xef\xbb\xbf  \n", "[]"} {
		res := ingesttest.ParseData(t, Parse, "empty.json", []byte(data), nil)
		if res.Err != nil || len(res.Events) != 0 {
			t.Errorf("%q: %d events, error %v; want none", data, len(res.Events), res.Err)
		}
	}
}
