package grafana

import (
	"context"
	"io/fs"
	"os"
	"sync"
	"testing"
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

func at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

var bot = &debrief.Identity{Source: debrief.SourceGrafana, Handle: "grafana", DisplayName: "Grafana", Bot: true}

// event is a Grafana event with the fields all of them share.
func event(tm time.Time, kind debrief.Kind, channel, text, ref, input string, impact bool) *debrief.Event {
	return &debrief.Event{Time: tm, Source: debrief.SourceGrafana, Kind: kind, Actor: "grafana",
		Channel: channel, Text: text, Ref: ref, Bot: true, Input: input, Impact: impact, Identity: bot}
}

func TestParse(t *testing.T) {
	const (
		rate     = "Checkout 5xx rate firing: Checkout is failing 8.3% of requests with 5xx (severity=critical, service=checkout)"
		rateVals = " values: [ var='B' labels={service=checkout} value=0.083 ], [ var='C' labels={service=checkout} value=1 ]"
		rateRef  = "9c1a4f7e2b6d0835@2025-03-14T09:40:50.123456789Z"
		pods     = " checkout-api-6c9d7b8f4-q8zvn restarted 4 times in 10 minutes " +
			"(severity=warning, pod=checkout-api-6c9d7b8f4-q8zvn, namespace=checkout) " +
			"values: [ var='A' labels={pod=checkout-api-6c9d7b8f4-q8zvn} value=4 ]"
		podsRef = "41d8e0b9c3a7f612@2025-03-14T09:38:00.5Z"
	)
	firing, resolved := debrief.KindAlertFiring, debrief.KindAlertResolved
	tests := []struct {
		file string
		want func(t *testing.T, in string) []*debrief.Event
	}{{
		// Grafana 10 unified alerting: nanosecond times, an offset, values.
		file: "unified-checkout.json",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(at(t, "2025-03-14T09:40:50.123456789Z"), firing, "checkout-oncall", rate+rateVals, rateRef+"/firing", in, true),
				event(at(t, "2025-03-14T09:38:00.5Z"), firing, "checkout-oncall", "Checkout pod restarts firing:"+pods,
					podsRef+"/firing", in, false),
				event(at(t, "2025-03-14T10:02:30.000000001Z"), resolved, "checkout-oncall", "Checkout pod restarts resolved:"+pods,
					podsRef+"/resolved", in, false),
			}
		},
	}, {
		// JSON lines: a repeated firing, then its resolution with new values.
		file: "unified-repeat.jsonl",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(at(t, "2025-03-14T09:40:50.123456789Z"), firing, "checkout-oncall", rate+rateVals, rateRef+"/firing", in, true),
				event(at(t, "2025-03-14T10:31:10.987654321Z"), resolved, "checkout-oncall",
					"Checkout 5xx rate resolved"+rate[len("Checkout 5xx rate firing"):]+
						" values: [ var='B' labels={service=checkout} value=0.004 ], [ var='C' labels={service=checkout} value=0 ]",
					rateRef+"/resolved", in, false),
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
			if len(got.notes) != 0 {
				t.Errorf("notes %q, want none", got.notes)
			}
		})
	}
}
