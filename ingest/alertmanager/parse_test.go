package alertmanager

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

var bot = &debrief.Identity{Source: debrief.SourceAlertmanager, Handle: "alertmanager", DisplayName: "Alertmanager", Bot: true}

// event is an Alertmanager event with the fields all of them share.
func event(tm time.Time, kind debrief.Kind, channel, text, ref, input string, impact bool) *debrief.Event {
	return &debrief.Event{Time: tm, Source: debrief.SourceAlertmanager, Kind: kind, Actor: "alertmanager",
		Channel: channel, Text: text, Ref: ref, Bot: true, Input: input, Impact: impact, Identity: bot}
}

func TestParse(t *testing.T) {
	const (
		errRate   = "5xx error ratio above 5% for checkout"
		crashText = "KubePodCrashLooping firing: Pod checkout/checkout-7d9f8c6b5-x2k4q is crash looping " +
			"(severity=warning, service=checkout, instance=10.4.0.12:8080, pod=checkout-7d9f8c6b5-x2k4q, cluster=prod-eu-west-1)"
		latLabels = " (severity=warning, service=search-api, instance=10.4.12.40:9090, namespace=search, cluster=prod-eu-west-1)"
	)
	firing, resolved := debrief.KindAlertFiring, debrief.KindAlertResolved
	tests := []struct {
		file  string
		want  func(t *testing.T, in string) []*debrief.Event
		notes []string
	}{{
		// JSON lines: repeats, a second alert joining the group, an offset
		// time, a blank line, resolutions repeated.
		file: "checkout-outage.jsonl",
		want: func(t *testing.T, in string) []*debrief.Event {
			first := " (severity=critical, service=checkout, instance=10.4.7.21:8080, cluster=prod-eu-west-1)"
			second := " (severity=critical, service=checkout, instance=10.4.9.3:8080, cluster=prod-eu-west-1)"
			return []*debrief.Event{
				event(ingesttest.Time(t, "2025-03-14T09:41:30.512Z"), firing, "pagerduty-critical", "HighErrorRate firing: "+errRate+first,
					"3f1c9a7be2d04a11@2025-03-14T09:41:30.512Z/firing", in, true),
				event(ingesttest.Time(t, "2025-03-14T09:42:05.250713Z"), firing, "pagerduty-critical", "HighErrorRate firing: "+errRate+second,
					"a93e0c55d1b27f40@2025-03-14T09:42:05.250713Z/firing", in, true),
				event(ingesttest.Time(t, "2025-03-14T09:43:02.118734902Z"), firing, "sre-slack", crashText,
					"c0d4e8a1f7b36295@2025-03-14T09:43:02.118734902Z/firing", in, false),
				event(ingesttest.Time(t, "2025-03-14T10:07:45.9Z"), resolved, "pagerduty-critical", "HighErrorRate resolved: "+errRate+first,
					"3f1c9a7be2d04a11@2025-03-14T09:41:30.512Z/resolved", in, false),
				event(ingesttest.Time(t, "2025-03-14T10:12:00Z"), resolved, "pagerduty-critical", "HighErrorRate resolved: "+errRate+second,
					"a93e0c55d1b27f40@2025-03-14T09:42:05.250713Z/resolved", in, false),
			}
		},
	}, {
		// One pretty-printed body: a resolved alert, and one without a
		// summary or generatorURL at a -04:00 offset.
		file: "search-latency.json",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(ingesttest.Time(t, "2025-03-14T09:50:00Z"), firing, "search-oncall",
					"HighLatencyP99 firing: p99 latency above 2s for search-api"+latLabels,
					"5b2e71d09c4fa386@2025-03-14T09:50:00Z/firing", in, false),
				event(ingesttest.Time(t, "2025-03-14T10:20:30.75Z"), resolved, "search-oncall",
					"HighLatencyP99 resolved: p99 latency above 2s for search-api"+latLabels,
					"5b2e71d09c4fa386@2025-03-14T09:50:00Z/resolved", in, false),
				event(ingesttest.Time(t, "2025-03-14T13:58:12.4Z"), firing, "search-oncall",
					"SearchIndexLag firing: The search index is 14 minutes behind the orders topic; new orders do not show in search. "+
						"(severity=page, service=search-indexer, namespace=search)",
					"e81f0b6a2d7c9354@2025-03-14T13:58:12.4Z/firing", in, true),
			}
		},
		notes: []string{"search-latency.json: notifications left out up to 2 alerts each (truncatedAlerts); those are not on the timeline"},
	}, {
		// Version 3: no fingerprint (the label set's is used), a numeric
		// groupKey, status only on the body, no endsAt.
		file: "v3-no-fingerprint.json",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(ingesttest.Time(t, "2017-06-02T12:03:07.12Z"), firing, "ops-mail",
					"NodeDiskFull firing: Disk /var/lib/postgresql on db-checkout-02 is 97% full (severity=critical, instance=db-checkout-02:9100, job=node)",
					"628e00bcadabca6a@2017-06-02T12:03:07.12Z/firing", in, true),
			}
		},
	}, {
		// A JSON array of bodies; the description's newlines are folded.
		file: "crashloop-array.json",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(ingesttest.Time(t, "2025-03-14T09:43:02.118734902Z"), firing, "sre-slack", crashText,
					"c0d4e8a1f7b36295@2025-03-14T09:43:02.118734902Z/firing", in, false),
				event(ingesttest.Time(t, "2025-03-14T09:58:40.001Z"), resolved, "sre-slack",
					"KubePodCrashLooping resolved"+crashText[len("KubePodCrashLooping firing"):],
					"c0d4e8a1f7b36295@2025-03-14T09:43:02.118734902Z/resolved", in, false),
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := ingesttest.ParseFile(t, Parse, os.DirFS("testdata"), tt.file, nil)
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			for _, ev := range got.Events {
				if ev.Time.Location() != time.UTC {
					t.Errorf("%s: time %v is not in UTC", ev.Ref, ev.Time)
				}
			}
			if diff := cmp.Diff(tt.want(t, tt.file), got.Events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, got.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIdentityShared checks that all events of an input share one Identity,
// so the timeline joins them as one actor cheaply.
func TestIdentityShared(t *testing.T) {
	got := ingesttest.ParseFile(t, Parse, os.DirFS("testdata"), "checkout-outage.jsonl", nil)
	for _, ev := range got.Events {
		if ev.Identity != got.Events[0].Identity {
			t.Fatalf("event %s has its own Identity", ev.Ref)
		}
	}
}

// TestRepeatsAcrossFiles checks that the same firing read from two inputs
// gets the same Ref, which is how the timeline drops the second.
func TestRepeatsAcrossFiles(t *testing.T) {
	a := ingesttest.ParseFile(t, Parse, os.DirFS("testdata"), "checkout-outage.jsonl", nil)
	b := ingesttest.ParseFile(t, Parse, os.DirFS("testdata"), "crashloop-array.json", nil)
	if a.Events[2].Ref != b.Events[0].Ref {
		t.Errorf("same firing, Refs %q and %q", a.Events[2].Ref, b.Events[0].Ref)
	}
}

func TestNoEndsAtNote(t *testing.T) {
	body := `{"receiver":"ops","status":"resolved","alerts":[{"labels":{"alertname":"NodeDown","instance":"mail01:9100"},` +
		`"startsAt":"2016-10-19T15:03:37.811Z"}]}` + "\n"
	got := ingesttest.ParseData(t, Parse, "resolved.jsonl", []byte(body+body), nil)
	if got.Err != nil || len(got.Events) != 1 || got.Events[0].Kind != debrief.KindAlertFiring {
		t.Fatalf("got %v, %d events; want one firing", got.Err, len(got.Events))
	}
	want := []string{"resolved.jsonl: resolved alerts without endsAt: 1; only their firing is on the timeline"}
	if diff := cmp.Diff(want, got.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestNaiveTimeUsesZone(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	in := ingesttest.DataInput("a.json", []byte(`{"receiver":"ops","alerts":[{"status":"firing",`+
		`"labels":{"alertname":"CheckoutDown"},"startsAt":"2025-03-14T10:00:00.5","fingerprint":"0123456789abcdef"}]}`))
	in.Zone = zone
	got := ingesttest.Parse(t, Parse, in)
	if got.Err != nil || len(got.Events) != 1 {
		t.Fatalf("got %v, %d events", got.Err, len(got.Events))
	}
	if want := ingesttest.Time(t, "2025-03-14T09:00:00.5Z"); !got.Events[0].Time.Equal(want) || got.Events[0].Time.Location() != time.UTC {
		t.Errorf("time %v, want %v in UTC", got.Events[0].Time, want)
	}
}

// TestConcatenatedDocuments reads two pretty-printed bodies saved one after
// the other (cat a.json b.json), each a document of its own.
func TestConcatenatedDocuments(t *testing.T) {
	var data []byte
	for _, name := range []string{"search-latency.json", "v3-no-fingerprint.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, b...)
	}
	got := ingesttest.ParseData(t, Parse, "both.json", data, nil)
	if got.Err != nil || len(got.Events) != 4 {
		t.Fatalf("got %v, %d events; want 4", got.Err, len(got.Events))
	}
	if got.Events[3].Channel != "ops-mail" {
		t.Errorf("last event from %q, want the second document's ops-mail", got.Events[3].Channel)
	}
}

// TestAPIAlertList reads the alerts Alertmanager's API lists (GET
// /api/v2/alerts, amtool alert query -o json): each is firing since
// startsAt (a suppressed one notified nobody, and is a note), and its endsAt
// (when it will time out) is no resolution. Their refs are the webhook's, so a firing in both
// an API list and a webhook capture is one event.
func TestAPIAlertList(t *testing.T) {
	const file = "api-alerts.json"
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if got := Sniff(data, file); got < 80 {
		t.Errorf("Sniff = %d; want it claimed", got)
	}
	if got := Sniff(data[:len(data)-60], file); got < 80 {
		t.Errorf("Sniff of a cut head = %d; want it claimed", got)
	}
	res := ingesttest.ParseData(t, Parse, file, data, nil).ByTime()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []*debrief.Event{
		event(ingesttest.Time(t, "2024-03-12T14:01:41.512Z"), debrief.KindAlertFiring, "pagerduty-critical",
			"CheckoutHighErrorRate firing: 5xx error ratio above 5% for checkout (severity=critical, service=checkout, cluster=prod-eu-west-1)",
			"3a7c1e9b5d2f4a68@2024-03-12T14:01:41.512Z/firing", file, true),
		// Suppressed by an inhibition: it notified nobody, so it is a note
		// that says so, not a detection.
		event(ingesttest.Time(t, "2024-03-12T14:03:10Z"), debrief.KindNote, "slack-sre",
			"KubePodCrashLooping firing: Pod checkout/checkout-7d9f8c6b5-x2k4q is crash looping (severity=warning, service=checkout, cluster=prod-eu-west-1) (inhibited, nobody notified)",
			"9b04d6e2c1a37f85@2024-03-12T14:03:10Z/firing", file, false),
	}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestAPIAlertErrors: a field of the wrong type in an API alert is
// reported at its own line, by its name.
func TestAPIAlertErrors(t *testing.T) {
	data, err := os.ReadFile("testdata/api-alerts.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ from, to, field string }{
		{`"startsAt": "2024-03-12T14:03:10.000Z"`, `"startsAt": 12345`, "startsAt"},
		{`"fingerprint": "9b04d6e2c1a37f85"`, `"fingerprint": 12345`, "fingerprint"},
	} {
		bad := strings.Replace(string(data), tt.from, tt.to, 1)
		line := strings.Count(bad[:strings.Index(bad, tt.to)], "\n") + 1
		res := ingesttest.ParseData(t, Parse, "alerts.json", []byte(bad), nil)
		if ie := ingesttest.AsInputError(t, res.Err); ie.Line != line || !strings.Contains(ie.Msg, tt.field) {
			t.Errorf("%s: error %v; want line %d naming %s", tt.to, res.Err, line, tt.field)
		}
	}
}

// TestAPIAlertGroups reads the API's groups of alerts (GET
// /api/v2/alerts/groups): the group's receiver names the channel, and
// each alert is read as in a list.
func TestAPIAlertGroups(t *testing.T) {
	alerts, err := os.ReadFile("testdata/api-alerts.json")
	if err != nil {
		t.Fatal(err)
	}
	groups := `[{"alerts": ` + string(alerts) + `, "labels": {"alertname": "CheckoutHighErrorRate"}, "receiver": {"name": "sre-pager"}}]`
	if Sniff([]byte(groups), "groups.json") < 80 {
		t.Error("Sniff does not claim the API's groups")
	}
	res := ingesttest.ParseData(t, Parse, "groups.json", []byte(groups), nil).ByTime()
	if res.Err != nil || len(res.Events) != 2 {
		t.Fatalf("%d events, %v; want the two alerts' firings", len(res.Events), res.Err)
	}
	for i, kind := range []debrief.Kind{debrief.KindAlertFiring, debrief.KindNote} {
		if ev := res.Events[i]; ev.Kind != kind || ev.Channel != "sre-pager" || !strings.HasSuffix(ev.Ref, "/firing") {
			t.Errorf("event %+v; want a %s in sre-pager", ev, kind)
		}
	}
}

// TestRepeatedLines reads a capture where Alertmanager sent the same body
// again (every repeat_interval): the copies add nothing, and a bad line is
// reported every time it comes.
func TestRepeatedLines(t *testing.T) {
	bad := line(`"startsAt":"yesterday","fingerprint":"0000000000000001"`)
	resolved := strings.Replace(strings.Replace(good1, `"status":"firing"`, `"status":"resolved"`, 2),
		`"endsAt":"0001-01-01T00:00:00Z"`, `"endsAt":"2025-03-14T10:00:00Z"`, 1)
	capture := strings.Join([]string{good1, bad, good1, good2, bad, good1, resolved, good2, resolved}, "\n")
	in := ingesttest.DataInput("capture.jsonl", []byte(capture))
	in.Bad = ingesttest.Skip
	got := ingesttest.Parse(t, Parse, in)
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	var kinds []string
	for _, ev := range got.Events {
		kinds = append(kinds, string(ev.Kind)+" "+ev.Ref[:16])
	}
	want := []string{"alert_firing 3f1c9a7be2d04a11", "alert_firing a93e0c55d1b27f40", "alert_resolved 3f1c9a7be2d04a11"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(got.Bad) != 2 || !strings.Contains(got.Bad[0].Error(), "capture.jsonl:2") || !strings.Contains(got.Bad[1].Error(), "capture.jsonl:5") {
		t.Errorf("bad records %v, want lines 2 and 5", got.Bad)
	}
}
