package slack

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path"
	"testing"
	"testing/fstest"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestHistory(t *testing.T) {
	in := input(os.DirFS("testdata"), "history.json", "history.json")
	got, err := parseAll(t, in)
	if err != nil {
		t.Fatal(err)
	}
	pd := &debrief.Identity{Source: "slack", Handle: "PagerDuty", ID: "B07PD", Bot: true}
	want := []*debrief.Event{
		{Time: ingesttest.Time(t, "2024-03-12T16:31:00.000001Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "PagerDuty", Channel: "history",
			Text: "Triggered: #4211 search-api latency (https://shop.pagerduty.com/incidents/Q1ABC)", Ref: "history/1710261060.000001",
			Bot: true, Input: "history.json", Identity: pd},
		{Time: ingesttest.Time(t, "2024-03-12T16:40:02.654321Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "priya.shah", Channel: "history",
			Text: "restarting search-indexer with `systemctl restart search-indexer`", Ref: "history/1710261602.654321", Input: "history.json",
			Identity: &debrief.Identity{Source: "slack", Handle: "priya.shah", ID: "U07PRIYA", DisplayName: "Priya Shah"}},
		{Time: ingesttest.Time(t, "2024-03-12T16:45:10.123456Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "U07ALEX", Channel: "history",
			Text: "search-api p99 back under 300ms after scaling to 8 pods", Ref: "history/1710261910.123456", Input: "history.json",
			Identity: &debrief.Identity{Source: "slack", Handle: "U07ALEX", ID: "U07ALEX"}},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestDayFileInExport parses one day file of the export on its own: the
// export's users.json and channels.json still name people and the channel,
// so the events equal the export's.
func TestDayFileInExport(t *testing.T) {
	name := incident + "/2024-03-12.json"
	got, err := parseAll(t, input(os.DirFS("testdata/export"), name, "day.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want []*debrief.Event
	for _, ev := range exportEvents(t) {
		if ev.Input == "export:"+name {
			cp := *ev
			cp.Input = "day.json"
			want = append(want, &cp)
		}
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestLoneDayFile parses a day file with no export around it: actors are the
// embedded user_profile names, else user ids, and the channel is the folder.
func TestLoneDayFile(t *testing.T) {
	data, err := os.ReadFile("testdata/export/" + incident + "/2024-03-12.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, name, channel, ref string
	}{
		{path: "checkout/2024-03-12.json", name: "day", channel: "checkout", ref: "checkout/"},
		{path: "2024-03-12.json", name: "/tmp/checkout/2024-03-12.json", channel: "checkout", ref: "checkout/"},
		{path: "2024-03-12.json", name: "2024-03-12.json", channel: "", ref: ""},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.name, func(t *testing.T) {
			got, err := parseAll(t, input(fstest.MapFS{tt.path: {Data: data}}, tt.path, tt.name))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 10 {
				t.Fatalf("got %d events, want 10", len(got))
			}
			for _, ev := range got {
				if ev.Channel != tt.channel || ev.Ref != tt.ref+refTS(ev.Time) {
					t.Errorf("channel %q ref %q, want %q and %q", ev.Channel, ev.Ref, tt.channel, tt.ref+refTS(ev.Time))
				}
			}
			actors := map[string]string{}
			for _, ev := range got {
				actors[refTS(ev.Time)] = ev.Actor
			}
			want := map[string]string{
				"1710252062.000100": "U07SAM", "1710252120.004100": "Alertmanager", "1710252190.200300": "sam.rivera",
				"1710252327.999999": "U07PRIYA", "1710252581.000005": "U07ALEX", "1710252630.000042": "deploybot",
				"1710252720.120000": "U07PRIYA", "1710252780.000001": "U07ALEX", "1710252900.000002": "U07SAM",
				"1710253200.000003": "dana.cho",
			}
			if diff := gocmp.Diff(want, actors); diff != "" {
				t.Errorf("actors (-want +got):\n%s", diff)
			}
		})
	}
}

// zipExport zips dir under the folder top ("" for the archive's root), as
// Slack or a user's archiver would.
func zipExport(t testing.TB, dir, top string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path.Join(dir, p))
		if err != nil {
			return err
		}
		w, err := zw.Create(path.Join(top, p))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// TestZip parses the export zipped at the archive's root and inside one
// top-level folder: the events equal the directory's apart from Input.
func TestZip(t *testing.T) {
	want := exportEvents(t)
	for _, top := range []string{"", "slack-export"} {
		t.Run("top="+top, func(t *testing.T) {
			zr := zipExport(t, "testdata/export", top)
			if !Tree(zr, ".") {
				t.Fatal("Tree does not recognise the zipped export")
			}
			got, err := parseAll(t, input(zr, ".", "export.zip"))
			if err != nil {
				t.Fatal(err)
			}
			prefix := "export.zip:" + path.Join(top, "x")[:len(path.Join(top, "x"))-1]
			for _, ev := range got {
				if len(ev.Input) < len(prefix) || ev.Input[:len(prefix)] != prefix {
					t.Errorf("input %q does not start with %q", ev.Input, prefix)
				}
			}
			ignoreInput := cmpopts.IgnoreFields(debrief.Event{}, "Input")
			if diff := gocmp.Diff(sortByRef(want), sortByRef(got), ignoreInput); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTree(t *testing.T) {
	tests := []struct {
		fsys fs.FS
		dir  string
		want bool
	}{
		{os.DirFS("testdata"), "export", true},
		{os.DirFS("testdata/export"), ".", true},
		{os.DirFS("testdata"), ".", false}, // the export plus history.json: not one export
		{os.DirFS("testdata/export"), incident, false},
		{fstest.MapFS{"users.json": {Data: []byte("[]")}}, ".", false},
		{fstest.MapFS{"users.json": {Data: []byte("[]")}, "general/notes.json": {}}, ".", false},
		{fstest.MapFS{"channels.json": {Data: []byte("[]")}, "general/2024-01-02.json": {}}, ".", true},
		{fstest.MapFS{"x/channels.json": {}, "x/general/2024-01-02.json": {}, "__MACOSX/x/._channels.json": {}}, ".", true},
	}
	for _, tt := range tests {
		if got := Tree(tt.fsys, tt.dir); got != tt.want {
			t.Errorf("Tree(%v, %q) = %v, want %v", tt.fsys, tt.dir, got, tt.want)
		}
	}
}

// TestHistoryNamesItsChannel: a document of messages that names its channel
// (slackdump's {"channel_id", "name", "messages"}, or a "channel" object)
// files its events under that channel, not under the file's name.
func TestHistoryNamesItsChannel(t *testing.T) {
	for doc, want := range map[string][2]string{
		`{"channel_id":"C0INC","name":"inc-checkout","messages":[{"type":"message","user":"U1","text":"db is down","ts":"1709301907.123456"}]}`:     {"inc-checkout", "C0INC/1709301907.123456"},
		`{"channel":{"id":"C0INC","name":"inc-checkout"},"messages":[{"type":"message","user":"U1","text":"db is down","ts":"1709301907.123456"}]}`: {"inc-checkout", "C0INC/1709301907.123456"},
		`{"ok":true,"channel":"C0INC","messages":[{"type":"message","user":"U1","text":"db is down","ts":"1709301907.123456"}]}`:                    {"dump", "C0INC/1709301907.123456"},
		`{"ok":true,"messages":[{"type":"message","user":"U1","text":"db is down","ts":"1709301907.123456"}]}`:                                      {"dump", "dump/1709301907.123456"},
	} {
		fsys := fstest.MapFS{"dump.json": {Data: []byte(doc)}}
		got, err := parseAll(t, input(fsys, "dump.json", "dump.json"))
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: %d events, %v", doc, len(got), err)
		}
		if got[0].Channel != want[0] || got[0].Ref != want[1] {
			t.Errorf("%s: channel %q ref %q; want %q %q", doc, got[0].Channel, got[0].Ref, want[0], want[1])
		}
	}
}
