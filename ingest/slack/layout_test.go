package slack

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestDayFileOddIndentation reads day files that are valid JSON laid out
// unevenly (a nested value closing at another indentation, inner lines at
// the top level's): every message is read, as the parser reads it.
func TestDayFileOddIndentation(t *testing.T) {
	for name, day := range map[string]string{
		"nested value closes deeper": "[\n  {\n    \"ts\": \"1.5\",\n    \"text\": \"first\",\n    \"x\": {\n      \"a\": 1\n      }\n  },\n" +
			"  {\n    \"ts\": \"2.5\",\n    \"text\": \"second\",\n    \"y\": {\n        \"b\": 1\n    }\n  }\n]",
		// {"x":{"k":[{"a":{},"ts":"1.5","text":"inner"},{"b":{"c":1}}]},"ts":"2.5","text":"real"}
		"inner lines at the top level": "[\n  {\n    \"x\": {\n      \"k\": [\n        {\n          \"a\": {}\n    ,\n    \"ts\": \"1.5\",\n    \"text\": \"inner\"\n  },\n" +
			"        {\n          \"b\": {\n            \"c\": 1\n    }\n  }\n      ]\n    },\n    \"ts\": \"2.5\",\n    \"text\": \"real\"\n  }\n]",
		"empty value": "[\n  {\n    \"ts\": ,\n    \"x\": 1\n  }\n]",
	} {
		t.Run(name, func(t *testing.T) {
			var want []string
			var msgs []map[string]any
			if err := json.Unmarshal([]byte(day), &msgs); err != nil && name != "empty value" {
				t.Fatalf("the test's day file is not JSON: %v", err)
			} else if err == nil {
				for _, m := range msgs {
					want = append(want, fmt.Sprint(m["ts"], " ", m["text"]))
				}
			}
			in := input(fstest.MapFS{"users.json": {Data: []byte(`[{"id": "U1", "name": "sam"}]`)},
				"general/2024-03-12.json": {Data: []byte(day)}}, ".", "export")
			in.Bad = ingesttest.Skip
			var got []string
			res := ingesttest.Parse(t, Parse, in)
			for _, b := range res.Bad {
				t.Logf("bad record: %v", b)
			}
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			for _, ev := range res.Events {
				got = append(got, fmt.Sprintf("%d.5 %s", ev.Time.Unix(), ev.Text))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("read %q, want %q", got, want)
			}
		})
	}
}
