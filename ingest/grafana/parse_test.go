package grafana

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

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
				event(ingesttest.Time(t, "2025-03-14T09:40:50.123456789Z"), firing, "checkout-oncall", rate+rateVals, rateRef+"/firing", in, true),
				event(ingesttest.Time(t, "2025-03-14T09:38:00.5Z"), firing, "checkout-oncall", "Checkout pod restarts firing:"+pods,
					podsRef+"/firing", in, false),
				event(ingesttest.Time(t, "2025-03-14T10:02:30.000000001Z"), resolved, "checkout-oncall", "Checkout pod restarts resolved:"+pods,
					podsRef+"/resolved", in, false),
			}
		},
	}, {
		// JSON lines: a repeated firing, then its resolution with new values.
		file: "unified-repeat.jsonl",
		want: func(t *testing.T, in string) []*debrief.Event {
			return []*debrief.Event{
				event(ingesttest.Time(t, "2025-03-14T09:40:50.123456789Z"), firing, "checkout-oncall", rate+rateVals, rateRef+"/firing", in, true),
				event(ingesttest.Time(t, "2025-03-14T10:31:10.987654321Z"), resolved, "checkout-oncall",
					"Checkout 5xx rate resolved"+rate[len("Checkout 5xx rate firing"):]+
						" values: [ var='B' labels={service=checkout} value=0.004 ], [ var='C' labels={service=checkout} value=0 ]",
					rateRef+"/resolved", in, false),
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
			if len(got.Notes) != 0 {
				t.Errorf("notes %q, want none", got.Notes)
			}
		})
	}
}

// TestAlertAnnotations reads the state changes Grafana keeps as
// annotations (GET /api/annotations?type=alert), newest first as the API
// returns them: pending is a note, alerting a firing, normal a resolution.
func TestAlertAnnotations(t *testing.T) {
	const file = "alert-annotations.json"
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if got := Sniff(data, file); got < 80 {
		t.Errorf("Sniff = %d; want it claimed", got)
	}
	res := ingesttest.ParseData(t, Parse, file, data, nil).ByTime()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, ev := range res.Events {
		got = append(got, ev.Time.Format("15:04:05")+" "+string(ev.Kind)+" "+ev.Channel+" "+ev.Text+" "+ev.Ref)
	}
	want := []string{
		"13:59:20 note checkout-slo Checkout 5xx ratio pending (was normal) annotation/5099",
		"14:04:20 alert_firing checkout-slo Checkout 5xx ratio firing (was pending): B=12.4 annotation/5102",
		"14:31:00 alert_resolved checkout-slo Checkout 5xx ratio resolved (was alerting) annotation/5121",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	bad := strings.Replace(string(data), `"time": 1710252260000`, `"time": "soon"`, 1)
	res = ingesttest.ParseData(t, Parse, file, []byte(bad), nil)
	if ie := ingesttest.AsInputError(t, res.Err); !strings.Contains(ie.Msg, `"time"`) {
		t.Errorf("bad time: %v; want an error about \"time\"", res.Err)
	}
}
