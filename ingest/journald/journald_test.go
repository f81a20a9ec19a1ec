package journald

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// parseBytes parses data as the file "journal" and collects what it emits and
// notes. bad receives each bad record; nil means no hook.
func parseBytes(t testing.TB, data []byte, bad func(error) error) ([]*debrief.Event, []string, error) {
	res := ingesttest.ParseData(t, Parse, "journal", data, bad)
	return res.Events, res.Notes, res.Err
}

const cursor = "b=8d4e2f1a9c3b4e7d8f0a1b2c3d4e5f60;"

// ev builds an expected event with the fields every journald event shares.
func ev(us int64, actor, text, ref string) *debrief.Event {
	return &debrief.Event{
		Time: time.UnixMicro(us).UTC(), Source: debrief.SourceJournald, Kind: debrief.KindLog,
		Actor: actor, Channel: "prod-web-3", Text: text, Ref: cursor + ref, Bot: true, Input: "journal",
	}
}

var ignoreIdentity = cmpopts.IgnoreFields(debrief.Event{}, "Identity")

// checkoutEvents are the events of testdata/checkout.jsonl.
func checkoutEvents() []*debrief.Event {
	return []*debrief.Event{
		ev(1748872867120448, "systemd", "checkout.service: Started Checkout API.",
			"m=3a4021;t=6369732008540;x=9e3779b97f4a7c14"),
		ev(1748872869124565, "checkout-api", `checkout.service: [err] psycopg2.OperationalError: connection to server at "10.8.3.17", port 5432 failed: FATAL: remaining connection slots are reserved`,
			"m=3a5132;t=63697321f19d5;x=9e3779b97f4a7c17"),
		ev(1748872869430449, "nginx", `[err] 2025/06/02 14:01:09 [error] 913#913: *88121 upstream prematurely closed connection while reading response header from upstream, client: 10.0.4.22, server: checkout.example.com, request: "POST /api/v2/orders HTTP/1.1"`,
			"m=3a6243;t=636973223c4b1;x=9e3779b97f4a7c16"),
		ev(1748872872120448, "checkout-api", "checkout.service: retrying order 7f3e in 2s (attempt 3/5) \u2014 pool exhausted\uFFFD",
			"m=3a7354;t=63697324cd080;x=9e3779b97f4a7c11"),
		ev(1748872876991678, "kernel", "[crit] Out of memory: Killed process 48113 (python3) total-vm:3140872kB, anon-rss:2093312kB, file-rss:0kB, shmem-rss:0kB, UID:998 pgtables:4388kB oom_score_adj:0",
			"m=3a8465;t=63697329724be;x=9e3779b97f4a7c10"),
		ev(1748872877122448, "systemd", "checkout.service: Main process exited, code=killed, status=9/KILL",
			"m=3a9576;t=6369732992390;x=9e3779b97f4a7c13"),
		ev(1748872879620448, "search-indexer.service", "(message left out by journalctl: larger than its field size limit; export with --all to keep it)",
			"m=3aa687;t=6369732bf4160;x=9e3779b97f4a7c12"),
		ev(1748872880120448, "pg_dump", "pg_dump: dumping contents of table \"public.orders\"\npg_dump: dumping contents of table \"public.payments\"",
			"m=3ab798;t=6369732c6e280;x=9e3779b97f4a7c1d"),
	}
}

func TestParseJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/checkout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got, notes, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(checkoutEvents(), got, ignoreIdentity); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "1 messages were null") {
		t.Errorf("notes %q; want one about the null message", notes)
	}
	if got[1].Identity != got[3].Identity || got[1].Identity.Handle != "checkout-api" || !got[1].Identity.Bot {
		t.Errorf("identities %+v and %+v; want one shared bot identity for checkout-api", got[1].Identity, got[3].Identity)
	}
}

func TestParseJSONSeq(t *testing.T) {
	data, err := os.ReadFile("testdata/checkout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	seq := []byte("\x1e" + strings.ReplaceAll(string(data), "\n", "\n\x1e"))
	got, _, err := parseBytes(t, seq, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(checkoutEvents(), got, ignoreIdentity); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// journalctl -o json-pretty: the same entries, each object over lines.
func TestParseJSONPretty(t *testing.T) {
	data, err := os.ReadFile("testdata/checkout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		json.Indent(&pretty, line, "", "\t")
		pretty.WriteByte('\n')
	}
	if !bytes.HasPrefix(pretty.Bytes(), []byte("{\n\t\"")) {
		t.Fatalf("not laid out as journalctl does:\n%.200s", pretty.Bytes())
	}
	if Sniff(pretty.Bytes(), "journal.json") == 0 {
		t.Error("json-pretty not detected")
	}
	got, _, err := parseBytes(t, pretty.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(checkoutEvents(), got, ignoreIdentity); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// Cut short: the unfinished object is a bad record, with its line.
	cut := pretty.Bytes()[:len(pretty.Bytes())-40]
	_, _, err = parseBytes(t, cut, nil)
	var ie *debrief.InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "ends first") || ie.Line < 2 {
		t.Errorf("cut short: %v", err)
	}
}

func TestParseExport(t *testing.T) {
	data, err := os.ReadFile("testdata/checkout.export")
	if err != nil {
		t.Fatal(err)
	}
	got, notes, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := checkoutEvents()[:4]
	want[1].Text = "checkout.service: [err] Traceback (most recent call last):\n" +
		"  File \"/srv/checkout/app/db.py\", line 88, in connect\n" +
		"psycopg2.OperationalError: remaining connection slots are reserved"
	if diff := cmp.Diff(want, got, ignoreIdentity); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantNote := `journal: left out 1 lines that are not journal fields, such as syslog lines pasted in (first at line 33: "Jun  2 14:01:09 prod-web-3 nginx[913]: upstream prematurely ")`
	if diff := cmp.Diff([]string{wantNote}, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestBadRecords(t *testing.T) {
	ingesttest.CheckBadRecords(t, Parse, "journal", []ingesttest.BadRecordCase{
		{"bad json line", "{\"__REALTIME_TIMESTAMP\":\"1748872867120448\",\"MESSAGE\":\"ok\"}\n{\"__REALTIME_TIMESTAMP\":\n\n{\"__REALTIME_TIMESTAMP\":\"1748872867120449\",\"MESSAGE\":\"ok\"}\n",
			[]int{2}, "expected a JSON object", 2},
		{"not an object", "[1,2]\n{\"__REALTIME_TIMESTAMP\":\"1748872867120448\",\"MESSAGE\":\"ok\"}\n", []int{1}, "found array", 1},
		{"no time", "{\"MESSAGE\":\"ok\",\"_HOSTNAME\":\"prod-web-3\"}\n", []int{1}, `expected "__REALTIME_TIMESTAMP"`, 0},
		{"time as words", "{\"__REALTIME_TIMESTAMP\":\"yesterday\",\"MESSAGE\":\"ok\"}\n", []int{1}, `found "yesterday"`, 0},
		{"after 2200", "{\"__REALTIME_TIMESTAMP\":\"7258118400000001\",\"MESSAGE\":\"ok\"}\n", []int{1}, "microseconds since 1970", 0},
		{"negative", "{\"__REALTIME_TIMESTAMP\":\"-1\",\"MESSAGE\":\"ok\"}\n", []int{1}, "microseconds since 1970", 0},
		{"export without time", "__CURSOR=s=1;i=2\nMESSAGE=hello\n\n__REALTIME_TIMESTAMP=1748872867120448\nMESSAGE=ok\n", []int{1}, `expected "__REALTIME_TIMESTAMP"`, 1},
		{"export truncated binary", "__REALTIME_TIMESTAMP=1748872867120448\nMESSAGE=ok\n\n__REALTIME_TIMESTAMP=1748872867120449\nMESSAGE\n\x40\x00\x00\x00\x00\x00\x00\x00only a few bytes",
			[]int{5}, "truncated journal export", 1},
		{"export absurd length", "__REALTIME_TIMESTAMP=1748872867120448\nMESSAGE\n\xff\xff\xff\xff\xff\xff\xff\x7fxyz\nPRIORITY=3\n\n__REALTIME_TIMESTAMP=1748872867120449\nMESSAGE=ok\n",
			[]int{2}, "64-bit little-endian length", 1},
		{"export length off by one", "__REALTIME_TIMESTAMP=1748872867120448\nMESSAGE\n\x02\x00\x00\x00\x00\x00\x00\x00abc\n\n__REALTIME_TIMESTAMP=1748872867120449\nMESSAGE=ok\n",
			[]int{2}, "64-bit little-endian length", 1},
	})
}

func TestWholeInputErrors(t *testing.T) {
	tests := []struct{ name, data, msg string }{
		{"binary journal", "LPKSHHRH\x00\x00\x00\x00", "binary journal file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseBytes(t, []byte(tt.data), ingesttest.Skip)
			var ie *debrief.InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("error %v; want an input error saying %q", err, tt.msg)
			}
		})
	}
}
