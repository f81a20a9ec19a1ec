package csvjsonl

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// edt is the zone of the responders' notes, which carry none.
var edt = time.FixedZone("EDT", -4*3600)

// run parses data as the file name with parse, in edt, with bad as the Bad
// hook.
func run(t testing.TB, parse ingest.ParserFunc, name string, data []byte, bad func(error) error) ingesttest.Result {
	in := ingesttest.DataInput(name, data)
	in.Zone, in.Bad = edt, bad
	return ingesttest.Parse(t, parse, in)
}

var ignoreIdentity = cmpopts.IgnoreFields(debrief.Event{}, "Identity")

func TestParse(t *testing.T) {
	csv := func(tm, kind, actor, channel, text, ref string) *debrief.Event {
		return &debrief.Event{Time: ingesttest.MustTime(tm), Source: debrief.SourceCSV, Kind: debrief.Kind(kind), Actor: actor,
			Channel: channel, Text: text, Ref: ref}
	}
	jsonl := func(tm, kind, actor, channel, text, ref string) *debrief.Event {
		ev := csv(tm, kind, actor, channel, text, ref)
		ev.Source = debrief.SourceJSONL
		return ev
	}
	tests := []struct {
		file  string
		parse ingest.ParserFunc
		want  []*debrief.Event
		notes []string
	}{
		{"scribe-notes.csv", ParseCSV, []*debrief.Event{
			csv("2025-06-02T18:03:00Z", "note", "priya", "#inc-checkout", "Customers report 500s on checkout, status page still green", "line 2 #36052634"),
			csv("2025-06-02T18:05:30Z", "page_triggered", "sam", "#inc-checkout", "Paged DB on-call; pool at 500/500 connections", "line 3 #7ce6323d"),
			csv("2025-06-02T18:09:12.25Z", "deploy", "Zoë Brandt", "#inc-checkout", "Rolled back checkout to v2.40.3:\nkubectl -n shop rollout undo deploy/checkout", "line 4 #3b239ff8"),
			csv("2025-06-02T14:25:00Z", "note", "priya", "#inc-checkout", "Declared resolved; retro Thursday", "line 7 #70225ac3"),
			// 06/02/2025 reads both ways: it waits for a row to tell, and
			// at the end is read month first, with a note.
			csv("2025-06-02T18:22:00Z", "note", "sam", "", "Error rate back under 0.1%", "line 6 #5bc50884"),
		}, []string{`scribe-notes.csv: dates such as "06/02/2025 14:22" read month first (no date in the file reads only one way); if they are day first, give --date-order dmy`}},
		{"search-notes.csv", ParseCSV, []*debrief.Event{
			csv("2025-06-02T18:11:00Z", "note", "Marco", "", "Search p99 latency 4.2s after reindex", "line 2 #695b7b23"),
			csv("2025-06-02T18:40:05Z", "note", "Marco", "", "Reindex paused (curl -XPOST es-prod:9200/_reindex/Fp3/_rethrottle?requests_per_second=0)", "line 3 #6e9c96df"),
		}, nil},
		{"tool-export.csv", ParseCSV, []*debrief.Event{
			csv("2025-06-02T14:03:07.12Z", "deploy", "deploy-bot", "prod", "[argocd] checkout v2.41.0 rolled out to 3/3 pods", "line 2 #76e8140d"),
			csv("2025-06-02T14:03:52Z", "alert_firing", "statuspage", "statuspage", `Incident "Checkout errors" created`, "line 3 #fe3b5c67"),
			csv("2025-06-02T14:05:00.120448Z", "command", "sam", "", "checked pgbouncer SHOW POOLS: cl_waiting=312", "line 4 #ceeba655"),
			csv("2025-06-02T14:07:00.5Z", "note", "priya", "zendesk", "customer support sees 40 tickets about failed payments", "line 6 #17b84c82"),
		}, []string{"tool-export.csv: 1 rows without text were left out"}},
		{"ops-log.jsonl", ParseJSONL, []*debrief.Event{
			jsonl("2025-06-02T14:01:07.120448Z", "command", "sam", "prod-eu-1", "kubectl -n shop get pods -l app=checkout shows 3/3 CrashLoopBackOff", "line 1 #b7437356"),
			jsonl("2025-06-02T12:01:09.5Z", "note", "waf-bot", "cloudflare", "WAF blocked 1.2k req/min from 203.0.113.0/24", "line 2 #9fa613de"),
			jsonl("2025-06-02T18:02:00Z", "join", "", "", "Marco joined the bridge", "line 4 #3ff1ecfd"),
			jsonl("2025-06-02T14:03:20Z", "note", "priya", "", "Failover of checkout-db to replica b started", "line 5 #00298e4a"),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := run(t, tt.parse, tt.file, data, nil)
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			for _, ev := range tt.want {
				ev.Input = tt.file
			}
			if diff := cmp.Diff(tt.want, got.Events, ignoreIdentity); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, got.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdentityShared(t *testing.T) {
	data, err := os.ReadFile("testdata/scribe-notes.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, ParseCSV, "notes.csv", data, nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	got := res.Events
	want := &debrief.Identity{Source: debrief.SourceCSV, Handle: "priya"}
	if diff := cmp.Diff(want, got[0].Identity); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
	var priya []*debrief.Identity
	for _, ev := range got {
		if ev.Actor == "priya" {
			priya = append(priya, ev.Identity)
		}
	}
	if len(priya) != 2 || priya[0] != priya[1] {
		t.Errorf("priya's two rows carry identities %p; want one per actor", priya)
	}
}

func TestInputActor(t *testing.T) {
	data := []byte("time,note\n2025-06-02 14:03,restarted pgbouncer on db-1\n")
	in := ingesttest.DataInput("n.csv", data)
	in.Actor = "sam"
	res := ingesttest.Parse(t, ParseCSV, in)
	if got := res.Events; res.Err != nil || len(got) != 1 || got[0].Actor != "sam" {
		t.Fatalf("got %v, %v; want one event by the input's owner sam", got, res.Err)
	}
}

func TestBadRecords(t *testing.T) {
	tests := []struct {
		file  string
		parse ingest.ParserFunc
		lines []int
		msgs  []string
	}{
		{"bad-rows.csv", ParseCSV, []int{3, 4, 5, 6, 7}, []string{
			`column "time": expected an RFC 3339 time`, "expected 3 fields as in the header", "bare \"", "between 1970 and 2200", "between 1970 and 2200",
		}},
		{"bad-lines.jsonl", ParseJSONL, []int{2, 3, 4, 5, 6, 7}, []string{
			"expected a JSON object a line", "found array", `found keys "text", "user"`, `key "time": expected`, `found "1e9"`, "expected an RFC 3339",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := run(t, tt.parse, tt.file, data, ingesttest.Skip)
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if diff := cmp.Diff(tt.lines, ingesttest.BadLines(t, got.Bad)); diff != "" {
				t.Errorf("bad record lines (-want +got):\n%s", diff)
			}
			for i, err := range got.Bad {
				if ie := ingesttest.AsInputError(t, err); i < len(tt.msgs) && !strings.Contains(ie.Msg, tt.msgs[i]) {
					t.Errorf("line %d: message %q; want it to say %q", ie.Line, ie.Msg, tt.msgs[i])
				}
			}
			if len(got.Events) != 2 {
				t.Errorf("%d events; want the 2 good ones", len(got.Events))
			}
			err = run(t, tt.parse, tt.file, data, nil).Err
			if ie := ingesttest.AsInputError(t, err); ie.Line != tt.lines[0] {
				t.Errorf("without a Bad hook: %v; want an input error at line %d", err, tt.lines[0])
			}
		})
	}
}

func TestWholeInputErrors(t *testing.T) {
	tests := []struct {
		name  string
		parse ingest.ParserFunc
		data  string
		line  int
		msg   *regexp.Regexp
	}{
		{"csv missing columns", ParseCSV, "When,Who,Status\n2025-06-02 14:03,sam,ok\n", 1,
			regexp.MustCompile(`expected a header naming a time column \(one of time, .*\) and a text column \(one of text, .*\); found columns "When", "Who", "Status"`)},
		{"csv empty", ParseCSV, "", 1, regexp.MustCompile("found an empty file")},
		{"csv bad header", ParseCSV, "time,\"text\nx", 2, regexp.MustCompile(`expected a CSV header row: .*quote.* \(the record starts at line 1\)`)},
		{"jsonl missing keys", ParseJSONL, "\n{\"level\":\"error\",\"msg\":\"pool exhausted\"}\n", 2,
			regexp.MustCompile(`expected an object with a time column .*; found keys "level", "msg"`)},
		{"jsonl pretty", ParseJSONL, "{\n  \"time\": 1\n}\n", 1, regexp.MustCompile("spread over lines")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(t, tt.parse, "in", []byte(tt.data), ingesttest.Skip).Err
			if ie := ingesttest.AsInputError(t, err); ie.Line != tt.line || !tt.msg.MatchString(ie.Msg) {
				t.Errorf("error %v; want an input error at line %d matching %s", err, tt.line, tt.msg)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-06-02T14:03:07Z", "2025-06-02T14:03:07Z"},
		{"2025-06-02T14:03:07.123456789+02:00", "2025-06-02T12:03:07.123456789Z"},
		{"2025-06-02 14:03:07.250", "2025-06-02T18:03:07.25Z"},
		{"2025-06-02 14:03:07,250", "2025-06-02T18:03:07.25Z"},
		{"2025-06-02T14:03:07", "2025-06-02T18:03:07Z"},
		{"2025-06-02T14:03", "2025-06-02T18:03:00Z"},
		{"06/02/2025 14:03", "2025-06-02T18:03:00Z"},
		{"2025-06-02 14:03:07 -0700", "2025-06-02T21:03:07Z"},
		{"2025-06-02 14:03:07 UTC", "2025-06-02T14:03:07Z"},
		{"1748872987", "2025-06-02T14:03:07Z"},
		{"1748872987.000001", "2025-06-02T14:03:07.000001Z"},
		{"1748872987120", "2025-06-02T14:03:07.12Z"},
		{"1748872987120448", "2025-06-02T14:03:07.120448Z"},
		{"1748872987120448123", "2025-06-02T14:03:07.120448123Z"},
		// PostgreSQL's timestamptz text, a space before the offset, lower case.
		{"2025-06-02 14:03:07.123456+00", "2025-06-02T14:03:07.123456Z"},
		{"2025-06-02 16:03:07+02", "2025-06-02T14:03:07Z"},
		{"2025-06-02T16:03:07 +02:00", "2025-06-02T14:03:07Z"},
		{"2025-06-02t14:03:07z", "2025-06-02T14:03:07Z"},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in, edt, orderUnknown)
		if err != nil || !got.Equal(ingesttest.Time(t, tt.want)) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %s in UTC", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "noon", "14:03", "12", "-1748872987", "1.2.3", "9223372036854775807", "99999999999999999999", "2200-01-01T00:00:00Z", "1969-12-31T23:59:59Z"} {
		if got, err := parseTime(bad, edt, orderUnknown); err == nil {
			t.Errorf("parseTime(%q) = %v; want an error", bad, got)
		}
	}
}

func TestColumnNamesWithUnits(t *testing.T) {
	for name, want := range map[string]role{"Time (UTC)": roleTime, "Timestamp [UTC]": roleTime, "Who": roleActor, "What (summary)": roleText, "(time)": roleNone} {
		if got, _ := roleOf(name); got != want {
			t.Errorf("roleOf(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestSynonymsAgree keeps lookupRole's switch in step with synonyms.
func TestSynonymsAgree(t *testing.T) {
	for r := roleTime; r <= roleChannel; r++ {
		for rank, s := range synonyms(r) {
			if gotRole, gotRank := roleOf(s); gotRole != r || gotRank != rank {
				t.Errorf("roleOf(%q) = %d, %d; want %d, %d", s, gotRole, gotRank, r, rank)
			}
			if gotRole, gotRank := roleOfKey([]byte(strings.ToUpper(s))); gotRole != r || gotRank != rank {
				t.Errorf("roleOfKey(%q) = %d, %d; want %d, %d", strings.ToUpper(s), gotRole, gotRank, r, rank)
			}
		}
	}
	if r, _ := roleOf(" Created-At "); r != roleTime {
		t.Errorf(`roleOf(" Created-At ") = %d; want the time role`, r)
	}
	for name, want := range map[string]role{"createdAt": roleTime, "occurredAt": roleTime, "sentAt": roleTime, "timeStamp": roleTime,
		"userName": roleActor, "messageText": roleNone, "CreatedAt": roleTime} {
		if got, _ := roleOf(name); got != want {
			t.Errorf("roleOf(%q) = %d, want %d", name, got, want)
		}
	}
}
