package slack

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	gocmp "github.com/google/go-cmp/cmp"
)

// dayWithBadRecords has a good message on each side of every kind of bad one.
const dayWithBadRecords = `[
    {"type": "message", "user": "U07SAM", "text": "checkout p99 at 4s", "ts": "1710252190.200300"},
    {"type": "message", "user": "U07SAM", "text": "number ts",
     "ts": 1710252191.5},
    7,
    {"type": "message", "user": "U07SAM", "text": "no ts"},
    {"type": "message", "user": "U07SAM", "text": "year 2286",
        "ts": "9999999999.000000"},
    {"type": "message", "user": "U07SAM", "text": "garbage", "ts": "17102521x0.000000"},
    {"type": "message", "user": "U07SAM", "text": "negative", "ts": "-1.000000"},
    {"type": "message", "user": "U07PRIYA", "text": "rolling back now", "ts": "1710252250.000001"}
]`

func TestBadRecords(t *testing.T) {
	fsys := fstest.MapFS{"checkout/2024-03-12.json": {Data: []byte(dayWithBadRecords)}}
	t.Run("stop", func(t *testing.T) {
		_, err := parseAll(t, input(fsys, "checkout/2024-03-12.json", "day.json"))
		ingesttest.WantInputErrorAt(t, err, "day.json", 4, `message 2: expected "ts" as a string like "1700000000.000100", found JSON number`)
	})
	t.Run("skip", func(t *testing.T) {
		in := input(fsys, "checkout/2024-03-12.json", "day.json")
		in.Bad = ingesttest.Skip
		res := ingesttest.Parse(t, Parse, in)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		got := sortEvents(res.Events)
		if len(got) != 2 || got[0].Text != "checkout p99 at 4s" || got[1].Text != "rolling back now" {
			t.Errorf("got %d events, want the two good ones", len(got))
		}
		if diff := gocmp.Diff([]int{4, 5, 6, 8, 9, 10}, ingesttest.BadLines(t, res.Bad)); diff != "" {
			t.Errorf("bad record lines (-want +got):\n%s\nbad records: %v", diff, res.Bad)
		}
	})
}

func TestBadDocuments(t *testing.T) {
	// Whole documents are not skipped, even with a Bad hook that skips.
	ingesttest.CheckInputErrors(t, Parse, "f.json", ingesttest.Skip, []ingesttest.InputErrorCase{
		{"truncated", "[\n  {\"ts\": \"1710252190.200300\",\n   \"text\": \"checkout is d", 3, "truncated"},
		{"invalid", "[\n  {\"ts\": \"1710252190.200300\",\n   \"text\": oops}\n]", 3, "invalid JSON: invalid character 'o'"},
		{"trailing", "[]\n]", 2, "column 1: invalid JSON: unexpected data after"},
		{"empty", "  \n", 1, "empty file"},
		{"object", `{"channel": "C1", "members": []}`, 1, `expected a Slack day file`},
		{"api error", `{"ok": false, "error": "not_in_channel"}`, 1, `Slack API answered with an error ("not_in_channel")`},
		{"messages not array", `{"ok": true, "messages": {"ts": "1710252190.200300"}}`, 1, `expected a Slack day file`},
		{"string", `"hello"`, 1, `found JSON string`},
	})
}

// TestBadExportFiles breaks one file of an export at a time: without a Bad
// hook the parse stops naming the member; with one, the rest still parses.
func TestBadExportFiles(t *testing.T) {
	good := `[{"type": "message", "user": "U1", "text": "db failover done", "ts": "1710252190.200300"}]`
	users := `[{"id": "U1", "name": "sam.rivera", "profile": {"real_name": "Sam Rivera"}}]`
	tests := []struct {
		name, file, data string
		line             int
		msg              string
		events           int
		actor            string
	}{
		{"day file", "x/general/2024-03-13.json", "[\n{\"ts\": \"1710252190.000100\", \"user\": \"U1\", \"text\": \"hi\"}", 2, "truncated", 2, "sam.rivera"}, // day files stream: messages before the damage are kept
		{"day file object", "x/general/2024-03-13.json", `{"ts": "1"}`, 1, "expected a JSON array of Slack messages", 1, "sam.rivera"},
		{"users", "x/users.json", "[\n{\"id\": \"U1\",]", 2, "invalid JSON", 1, "U1"},
		{"users object", "x/users.json", `{"members": []}`, 1, "expected a JSON array of users", 1, "U1"},
		{"integration logs", "x/integration_logs.json", "[{\"date\": \"1710252190\", \"user_id\": \"U1\"},\n {\"date\": true}]", 2,
			`entry 2: expected "date"`, 2, "sam.rivera"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"x/users.json":              {Data: []byte(users)},
				"x/channels.json":           {Data: []byte(`[{"id": "C1", "name": "general"}]`)},
				"x/general/2024-03-12.json": {Data: []byte(good)},
			}
			fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			_, err := parseAll(t, input(fsys, ".", "export.zip"))
			ingesttest.WantInputErrorAt(t, err, "export.zip:"+strings.TrimPrefix(tt.file, ""), tt.line, tt.msg)

			in := input(fsys, ".", "export.zip")
			in.Bad = func(error) error { return nil }
			got, err := parseAll(t, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.events || got[len(got)-1].Actor != tt.actor {
				t.Errorf("got %d events, last by %q; want %d, by %q", len(got), got[len(got)-1].Actor, tt.events, tt.actor)
			}
		})
	}
}

// TestManyBadRecords reports every message of a large file as bad; finding
// their lines must take one pass over the file, not one per message.
func TestManyBadRecords(t *testing.T) {
	const n = 100000
	var b strings.Builder
	b.WriteString("[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"ts": 1, "text": "x"}`)
	}
	b.WriteString("\n]")
	in := input(fstest.MapFS{"f.json": {Data: []byte(b.String())}}, "f.json", "f.json")
	count, last := 0, 0
	in.Bad = func(err error) error {
		count++
		var ie *debrief.InputError
		if errors.As(err, &ie) {
			last = ie.Line
		}
		return nil
	}
	if _, err := parseAll(t, in); err != nil {
		t.Fatal(err)
	}
	if count != n || last != n+1 {
		t.Errorf("got %d bad records, the last on line %d; want %d, on line %d", count, last, n, n+1)
	}
}
