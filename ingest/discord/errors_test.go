package discord

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// fixture reads the channel export that error tests damage.
func fixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/search-outage.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineOfText returns the 1-based line of the first occurrence of s in doc.
func lineOfText(t *testing.T, doc, s string) int {
	t.Helper()
	i := strings.Index(doc, s)
	if i < 0 {
		t.Fatalf("%q not in the fixture", s)
	}
	return 1 + strings.Count(doc[:i], "\n")
}

// TestBadMessages damages the third message of the fixture, which starts on
// the line before its id: the message is reported on that line, and skipped
// with a skipping Bad hook while the other eight are read.
func TestBadMessages(t *testing.T) {
	const id = `"id": "1235613178393186375",`
	tests := []struct {
		name, old, new, msg string
	}{
		{"timestamp a number", `"timestamp": "2024-05-02T11:14:20.1+02:00"`, `"timestamp": 1714641260100`, `expected "timestamp" as an ISO 8601 time`},
		{"timestamp not a time", `"timestamp": "2024-05-02T11:14:20.1+02:00"`, `"timestamp": "yesterday"`, `message 1235613178393186375: expected "timestamp"`},
		{"timestamp missing", `"timestamp": "2024-05-02T11:14:20.1+02:00",`, ``, `expected "timestamp"`},
		{"before 1970", `"timestamp": "2024-05-02T11:14:20.1+02:00"`, `"timestamp": "1969-12-31T23:59:59Z"`, "out of range"},
		{"after 2200", `"timestamp": "2024-05-02T11:14:20.1+02:00"`, `"timestamp": "2200-01-01T00:00:00Z"`, "out of range"},
		{"year 10000", `"timestamp": "2024-05-02T11:14:20.1+02:00"`, `"timestamp": "10000-01-01T00:00:00Z"`, `expected "timestamp"`},
		{"id a number", id, `"id": 1235613178393186375,`, `expected "id" as a string`},
		{"author a string", `"timestampEdited": "2024-05-02T11:14:41.992+02:00",`, `"timestampEdited": "2024-05-02T11:14:41.992+02:00", "author": "tomas",`, `expected "author" as an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := fixture(t)
			at := strings.Index(doc, id)
			rest := strings.Replace(doc[at:], tt.old, tt.new, 1)
			if rest == doc[at:] {
				t.Fatalf("%q not in the fixture", tt.old)
			}
			doc = doc[:at] + rest
			want := lineOfText(t, fixture(t), id) - 1

			ingesttest.WantInputErrorAt(t, parseString(t, doc, nil).Err, "export.json", want, tt.msg)

			skip := parseString(t, doc, ingesttest.Skip)
			if skip.Err != nil {
				t.Fatalf("with a skipping Bad hook: %v", skip.Err)
			}
			if len(skip.Bad) != 1 || len(skip.Events) != 8 {
				t.Errorf("%d bad, %d events; want 1 bad and 8 events", len(skip.Bad), len(skip.Events))
			}
		})
	}
}

func TestBadDocuments(t *testing.T) {
	doc := fixture(t)
	cut := strings.Index(doc, `"id": "1235614847134773299"`) + 10
	garbled := strings.Replace(doc, `"isPinned": true,`, `"isPinned": true,,`, 1)
	noComma := strings.Replace(doc, "    },\n    {\n      \"id\": \"1235614847134773299\"", "    }\n    {\n      \"id\": \"1235614847134773299\"", 1)
	badKey := strings.Replace(doc, `"dateRange": {`, `"dateRange" {`, 1)
	ingesttest.CheckInputErrors(t, Parse, "export.json", nil, []ingesttest.InputErrorCase{
		{"empty", "", 1, "empty file"},
		{"blank", "  \n\n", 2, "truncated"},
		{"cut in a message", doc[:cut], lineOfText(t, doc, `"id": "1235614847134773299"`), "truncated JSON"},
		{"cut after the array", strings.TrimSuffix(strings.TrimSpace(doc), "}"), strings.Count(strings.TrimSpace(doc), "\n"), "truncated JSON"},
		{"invalid JSON in a message", garbled, lineOfText(t, garbled, `"isPinned": true,,`), "column 24: invalid JSON: invalid character ',' looking for beginning of object key"},
		{"missing comma between messages", noComma, lineOfText(t, noComma, `"id": "1235614847134773299"`) - 1, "column 5: invalid JSON: expected comma"},
		{"missing colon at the top", badKey, lineOfText(t, badKey, `"dateRange" {`), "column 15: invalid JSON: expected colon after object key"},
		{"not an object", `[{"id":"1"}]`, 1, "expected a DiscordChatExporter JSON object"},
		{"not JSON", "Exported by hand\n", 1, "invalid JSON"},
		{"messages an object", "{\"channel\":{\"name\":\"ops\"},\n\"messages\":{}}", 2, `expected "messages" as an array`},
		{"channel a string", "{\n\"channel\":\"ops\",\"messages\":[]}", 2, `expected "channel" as an object`},
		{"message a string", "{\"channel\":{\"name\":\"ops\"},\"messages\":[\n\"hello\"]}", 2, "expected a message object"},
	})
}

func TestInvalidUTF8(t *testing.T) {
	doc := message(`{"id":"10","type":"Default","timestamp":"2024-03-12T14:02:11Z","author":{"id":"7","name":"s` + "\xff" + `m"},"content":"5xx ` + "\xc3\x28" + ` \ud800 spike"}`)
	got := parseString(t, doc, nil)
	if got.Err != nil || len(got.Events) != 1 {
		t.Fatalf("got %v and %d events", got.Err, len(got.Events))
	}
	for _, s := range []string{got.Events[0].Text, got.Events[0].Actor} {
		if !utf8.ValidString(s) {
			t.Errorf("%q is not valid UTF-8", s)
		}
	}
}
