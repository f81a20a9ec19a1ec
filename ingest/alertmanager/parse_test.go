package alertmanager

import (
	"context"
	"io/fs"
	"os"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/google/go-cmp/cmp"
)

// result is what parsing one input gave.
type result struct {
	events []*debrief.Event
	bad    []error
	notes  []string
	err    error
}

// parse parses path in fsys. With skip, bad records are collected and
// skipped; without, the first one stops the parse.
func parse(t *testing.T, fsys fs.FS, path string, skip bool) result {
	t.Helper()
	var r result
	var mu sync.Mutex
	in := &ingest.Input{FS: fsys, Path: path, Name: path, Zone: time.UTC,
		Note: func(msg string) { r.notes = append(r.notes, msg) }}
	if skip {
		in.Bad = func(err error) error { r.bad = append(r.bad, err); return nil }
	}
	r.err = Parse(context.Background(), in, func(ev *debrief.Event) error {
		mu.Lock()
		defer mu.Unlock()
		r.events = append(r.events, ev)
		return nil
	})
	return r
}

// parseString parses data as a file named name.
func parseString(t *testing.T, name, data string, skip bool) result {
	t.Helper()
	return parse(t, fstest.MapFS{name: {Data: []byte(data)}}, name, skip)
}

func at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

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
				event(at(t, "2025-03-14T09:41:30.512Z"), firing, "pagerduty-critical", "HighErrorRate firing: "+errRate+first,
					"3f1c9a7be2d04a11@2025-03-14T09:41:30.512Z/firing", in, true),
				event(at(t, "2025-03-14T09:42:05.250713Z"), firing, "pagerduty-critical", "HighErrorRate firing: "+errRate+second,
					"a93e0c55d1b27f40@2025-03-14T09:42:05.250713Z/firing", in, true),
				event(at(t, "2025-03-14T09:43:02.118734902Z"), firing, "sre-slack", crashText,
					"c0d4e8a1f7b36295@2025-03-14T09:43:02.118734902Z/firing", in, false),
				event(at(t, "2025-03-14T10:07:45.9Z"), resolved, "pagerduty-critical", "HighErrorRate resolved: "+errRate+first,
					"3f1c9a7be2d04a11@2025-03-14T09:41:30.512Z/resolved", in, false),
				event(at(t, "2025-03-14T10:12:00Z"), resolved, "pagerduty-critical", "HighErrorRate resolved: "+errRate+second,
					"a93e0c55d1b27f40@2025-03-14T09:42:05.250713Z/resolved", in, false),
			}
		},
	}, {
		// One pretty-printed body: a resolved alert, and one without a
		// summary or generatorURL at a -04:00 offset.
		file: "search-latency.json",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(at(t, "2025-03-14T09:50:00Z"), firing, "search-oncall",
					"HighLatencyP99 firing: p99 latency above 2s for search-api"+latLabels,
					"5b2e71d09c4fa386@2025-03-14T09:50:00Z/firing", in, false),
				event(at(t, "2025-03-14T10:20:30.75Z"), resolved, "search-oncall",
					"HighLatencyP99 resolved: p99 latency above 2s for search-api"+latLabels,
					"5b2e71d09c4fa386@2025-03-14T09:50:00Z/resolved", in, false),
				event(at(t, "2025-03-14T13:58:12.4Z"), firing, "search-oncall",
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
				event(at(t, "2017-06-02T12:03:07.12Z"), firing, "ops-mail",
					"NodeDiskFull firing: Disk /var/lib/postgresql on db-checkout-02 is 97% full (severity=critical, instance=db-checkout-02:9100, job=node)",
					"628e00bcadabca6a@2017-06-02T12:03:07.12Z/firing", in, true),
			}
		},
	}, {
		// A JSON array of bodies; the description's newlines are folded.
		file: "crashloop-array.json",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(at(t, "2025-03-14T09:43:02.118734902Z"), firing, "sre-slack", crashText,
					"c0d4e8a1f7b36295@2025-03-14T09:43:02.118734902Z/firing", in, false),
				event(at(t, "2025-03-14T09:58:40.001Z"), resolved, "sre-slack",
					"KubePodCrashLooping resolved"+crashText[len("KubePodCrashLooping firing"):],
					"c0d4e8a1f7b36295@2025-03-14T09:43:02.118734902Z/resolved", in, false),
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := parse(t, os.DirFS("testdata"), tt.file, false)
			if got.err != nil {
				t.Fatal(got.err)
			}
			for _, ev := range got.events {
				if ev.Time.Location() != time.UTC {
					t.Errorf("%s: time %v is not in UTC", ev.Ref, ev.Time)
				}
			}
			if diff := cmp.Diff(tt.want(t, tt.file), got.events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, got.notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIdentityShared checks that all events of an input share one Identity,
// so the timeline joins them as one actor cheaply.
func TestIdentityShared(t *testing.T) {
	got := parse(t, os.DirFS("testdata"), "checkout-outage.jsonl", false)
	for _, ev := range got.events {
		if ev.Identity != got.events[0].Identity {
			t.Fatalf("event %s has its own Identity", ev.Ref)
		}
	}
}

// TestRepeatsAcrossFiles checks that the same firing read from two inputs
// gets the same Ref, which is how the timeline drops the second.
func TestRepeatsAcrossFiles(t *testing.T) {
	a := parse(t, os.DirFS("testdata"), "checkout-outage.jsonl", false)
	b := parse(t, os.DirFS("testdata"), "crashloop-array.json", false)
	if a.events[2].Ref != b.events[0].Ref {
		t.Errorf("same firing, Refs %q and %q", a.events[2].Ref, b.events[0].Ref)
	}
}

func TestNoEndsAtNote(t *testing.T) {
	body := `{"receiver":"ops","status":"resolved","alerts":[{"labels":{"alertname":"NodeDown","instance":"mail01:9100"},` +
		`"startsAt":"2016-10-19T15:03:37.811Z"}]}` + "\n"
	got := parseString(t, "resolved.jsonl", body+body, false)
	if got.err != nil || len(got.events) != 1 || got.events[0].Kind != debrief.KindAlertFiring {
		t.Fatalf("got %v, %d events; want one firing", got.err, len(got.events))
	}
	want := []string{"resolved.jsonl: resolved alerts without endsAt: 1; only their firing is on the timeline"}
	if diff := cmp.Diff(want, got.notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestNaiveTimeUsesZone(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	in := &ingest.Input{FS: fstest.MapFS{"a.json": {Data: []byte(`{"receiver":"ops","alerts":[{"status":"firing",` +
		`"labels":{"alertname":"CheckoutDown"},"startsAt":"2025-03-14T10:00:00.5","fingerprint":"0123456789abcdef"}]}`)}},
		Path: "a.json", Name: "a.json", Zone: zone}
	var got []*debrief.Event
	err := Parse(context.Background(), in, func(ev *debrief.Event) error { got = append(got, ev); return nil })
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %d events", err, len(got))
	}
	if want := at(t, "2025-03-14T09:00:00.5Z"); !got[0].Time.Equal(want) || got[0].Time.Location() != time.UTC {
		t.Errorf("time %v, want %v in UTC", got[0].Time, want)
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
	got := parseString(t, "both.json", string(data), false)
	if got.err != nil || len(got.events) != 4 {
		t.Fatalf("got %v, %d events; want 4", got.err, len(got.events))
	}
	if got.events[3].Channel != "ops-mail" {
		t.Errorf("last event from %q, want the second document's ops-mail", got.events[3].Channel)
	}
}
