package alertmanager

import (
	"os"
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// line returns a one-line body whose alert has the given JSON fields.
func line(alert string) string {
	return `{"receiver":"pagerduty-critical","status":"firing","alerts":[{"status":"firing",` +
		`"labels":{"alertname":"HighErrorRate","service":"checkout","severity":"critical"},` + alert + `}],"version":"4"}`
}

var (
	good1 = line(`"startsAt":"2025-03-14T09:41:30.512Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"3f1c9a7be2d04a11"`)
	good2 = line(`"startsAt":"2025-03-14T09:42:05Z","fingerprint":"a93e0c55d1b27f40"`)
)

func TestBadInput(t *testing.T) {
	search, err := os.ReadFile("testdata/search-latency.json")
	if err != nil {
		t.Fatal(err)
	}
	array, err := os.ReadFile("testdata/crashloop-array.json")
	if err != nil {
		t.Fatal(err)
	}
	half := string(search[:len(search)/2])
	tests := []struct {
		name, file, data string
		line             int
		msg              string
		fatal            bool // the whole input is unreadable, skipping or not
		events           int  // events when bad records are skipped
	}{
		{name: "truncated document", file: "a.json", data: half, line: strings.Count(half, "\n") + 1,
			msg: "truncated JSON", fatal: true},
		{name: "invalid document", file: "a.json", data: "{\n  \"receiver\": \"ops\",\n  \"alerts\": [}\n",
			line: 3, msg: "column 14: invalid JSON", fatal: true},
		{name: "not JSON at all", file: "a.json", data: "receiver: ops\nalerts: []\n",
			line: 1, msg: "invalid JSON", fatal: true},
		{name: "bad JSON line", file: "a.jsonl", data: good1 + "\n{\"receiver\": oops}\n" + good2 + "\n",
			line: 2, msg: "column 14: invalid JSON", events: 2},
		{name: "truncated last line", file: "a.jsonl", data: good1 + "\n" + good2[:60],
			line: 2, msg: "truncated JSON", events: 1},
		{name: "startsAt a number", file: "a.jsonl", data: good1 + "\n" + line(`"startsAt":1741945290`) + "\n",
			line: 2, msg: `column 184: expected "startsAt" as a string`, events: 1},
		{name: "startsAt not a time", file: "a.jsonl", data: line(`"startsAt":"yesterday"`) + "\n" + good2,
			line: 1, msg: `expected "startsAt" as an RFC 3339 time like "2024-08-13T20:37:00.123Z", found "yesterday"`, events: 1},
		{name: "startsAt missing", file: "a.jsonl", data: line(`"endsAt":"2025-03-14T10:00:00Z"`) + "\n" + good2,
			line: 1, msg: `expected "startsAt" on every alert`, events: 1},
		{name: "startsAt before 1970", file: "a.jsonl", data: good1 + "\n" + line(`"startsAt":"1969-12-31T23:59:59Z"`),
			line: 2, msg: `"startsAt" 1969-12-31T23:59:59Z is out of range`, events: 1},
		{name: "startsAt after 2200", file: "a.jsonl", data: good1 + "\n" + line(`"startsAt":"2200-01-01T00:00:00Z"`),
			line: 2, msg: `"startsAt" 2200-01-01T00:00:00Z is out of range`, events: 1},
		{name: "endsAt out of range", file: "a.jsonl",
			data: line(`"status":"resolved","startsAt":"2025-03-14T09:41:30Z","endsAt":"9999-12-31T23:59:59Z"`),
			line: 1, msg: `"endsAt" 9999-12-31T23:59:59Z is out of range`},
		{name: "labels a string", file: "a.jsonl",
			data: good1 + "\n" + `{"alerts":[{"labels":"severity=critical","startsAt":"2025-03-14T09:41:30Z"}]}` + "\n",
			line: 2, msg: `column 41: expected "labels" and "annotations" of an alert as objects of strings`, events: 1},
		{name: "label value a number", file: "a.jsonl",
			data: `{"alerts":[{"labels":{"alertname":"DiskFull","shard":3},"startsAt":"2025-03-14T09:41:30Z","fingerprint":"01"}]}`,
			line: 1, msg: `column 55: expected the labels, annotations and URLs of an alert as strings`},
		{name: "alerts an object", file: "a.jsonl", data: `{"receiver":"ops","alerts":{"alertname":"DiskFull"}}` + "\n" + good1,
			line: 1, msg: `expected "alerts" as an array of alerts, found JSON object`, events: 1},
		{name: "alert a string", file: "a.jsonl", data: `{"receiver":"ops","alerts":["DiskFull"]}`,
			line: 1, msg: `expected each of "alerts" to be an object, found JSON string`},
		{name: "receiver a number", file: "a.jsonl", data: `{"receiver":7,"alerts":[]}`,
			line: 1, msg: `column 14: expected "receiver" as a string`},
		{name: "no alerts", file: "a.jsonl", data: `{"kind":"EventList","items":[]}` + "\n" + good1,
			line: 1, msg: `expected a webhook body with "alerts"`, events: 1},
		{name: "a number, not a body", file: "a.jsonl", data: "[42]\n" + good1,
			line: 1, msg: `expected a webhook body: a JSON object with "alerts", found JSON number`, events: 1},
		{name: "bad element of an array", file: "a.json",
			data: strings.Replace(string(array), `"2025-03-14T09:58:40.001Z"`, `"soon"`, 1),
			line: 71, msg: `column 15: expected "endsAt" as an RFC 3339 time`, events: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ingesttest.ParseData(t, Parse, tt.file, []byte(tt.data), nil)
			ingesttest.WantInputErrorAt(t, got.Err, tt.file, tt.line, tt.msg)
			skipped := ingesttest.ParseData(t, Parse, tt.file, []byte(tt.data), ingesttest.Skip)
			if tt.fatal {
				if skipped.Err == nil {
					t.Errorf("skipping bad records: no error, want the document refused")
				}
				return
			}
			if skipped.Err != nil || len(skipped.Bad) == 0 || len(skipped.Events) != tt.events {
				t.Errorf("skipping bad records: %v, %d bad, %d events; want nil, some, %d",
					skipped.Err, len(skipped.Bad), len(skipped.Events), tt.events)
			}
		})
	}
}
