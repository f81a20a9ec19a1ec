package opsgenie

import (
	"os"
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestDocumentErrors checks that a file that is not JSON stops the parse
// with the line where it went wrong.
func TestDocumentErrors(t *testing.T) {
	whole, err := os.ReadFile("testdata/search-alerts.json")
	if err != nil {
		t.Fatal(err)
	}
	cut := string(whole[:len(whole)/2])
	ingesttest.CheckInputErrors(t, Parse, "og.json", ingesttest.Skip, []ingesttest.InputErrorCase{
		{"truncated", cut, strings.Count(cut, "\n") + 1, "truncated"},
		{"invalid", "{\n  \"action\": \"Close\",\n  \"alert\": {\"alertId\": 'A1'}\n}\n", 3, "invalid JSON"},
		{"not json", "Alert #23 acknowledged by fili@ifountain.com\n", 1, "invalid JSON"},
	})
}

// TestBadRecords checks each kind of record that cannot be read: without a
// Bad hook it stops the parse at its line; with one that skips, the parse
// goes on and keeps the good ingest.Records.
func TestBadRecords(t *testing.T) {
	const good = `{"action":"Acknowledge","alert":{"alertId":"A1","message":"checkout down","updatedAt":1715695477915304011,"createdAt":1715695331482,"username":"sam@shop.example"}}`
	ingesttest.CheckBadRecords(t, Parse, "og.json", []ingesttest.BadRecordCase{
		{"bad json line", good + "\n{\"action\": \"Close\", \n" + good + "\n", []int{2}, "truncated", 2},
		{"garbage line", good + "\n" + good + "\n{action: Close}\n", []int{3}, "invalid JSON", 2},
		{"wrong type", "[\n  " + good + ",\n  {\"action\": \"Close\",\n   \"alert\": {\"alertId\": \"A1\", \"updatedAt\": true}}\n]\n", []int{3}, `"alert.updatedAt" as nanoseconds since 1970 (up to 2200) like 1715695331482000000, found true`, 1},
		{"wrong type of message", "[\n  " + good + ",\n  {\"action\": \"Close\",\n   \"alert\": {\"alertId\": \"A1\", \"message\": 404}}\n]\n", []int{4}, `expected "alert.message" as a string, found JSON number`, 1},
		{"string time", strings.Replace(good, "1715695477915304011", `"soon"`, 1), []int{1}, `found soon`, 0},
		{"alert not an object", `{"action":"Close","alert":"A1"}`, []int{1}, `expected "alert" as an object`, 0},
		{"no action", strings.Replace(good, `"action":"Acknowledge",`, "", 1), []int{1}, `expected "action"`, 0},
		{"no updatedAt", strings.Replace(good, `"updatedAt":1715695477915304011,`, "", 1), []int{1}, `"alert.updatedAt" as nanoseconds`, 0},
		{"milliseconds for nanoseconds", strings.Replace(good, `1715695477915304011`, "1715695477915", 1), []int{1}, "found 1715695477915", 0},
		{"after 2200", strings.Replace(good, `1715695477915304011`, "7289654400000000001", 1), []int{1}, "up to 2200", 0},
		{"before 1970", strings.Replace(good, `1715695477915304011`, "-1715695477915304011", 1), []int{1}, "since 1970", 0},
		{"float", strings.Replace(good, `1715695477915304011`, "1.715695477915304e18", 1), []int{1}, "nanoseconds", 0},
		{"huge", strings.Replace(good, `1715695477915304011`, "171569547791530401100000000", 1), []int{1}, "nanoseconds", 0},
		{"create with bad createdAt", `{"action":"Create","alert":{"alertId":"A1","createdAt":1715695331}}`, []int{1}, `"alert.createdAt" as milliseconds`, 0},
		{"not an object", "[\n  \"Close\",\n  " + good + "\n]\n", []int{2}, "expected a JSON object", 1},
	})
}

// TestCreateFallsBackToCreatedAt checks that a Create without updatedAt is
// placed at createdAt, read as milliseconds.
func TestCreateFallsBackToCreatedAt(t *testing.T) {
	res := ingesttest.ParseData(t, Parse, "og.json", []byte(`{"action":"Create","alert":{"alertId":"A1","message":"checkout down","createdAt":1715695331482,"username":"System"}}`), nil)
	if res.Err != nil || len(res.Events) != 1 {
		t.Fatalf("got %d events, error %v; want 1", len(res.Events), res.Err)
	}
	if got := res.Events[0].Time.Format("2006-01-02T15:04:05.000Z"); got != "2024-05-14T14:02:11.482Z" {
		t.Errorf("time = %s, want 2024-05-14T14:02:11.482Z", got)
	}
	if ref := res.Events[0].Ref; ref != "A1/Create/1715695331482000000" {
		t.Errorf("ref = %q", ref)
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
