package pagerduty

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone test needs no system zone database
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

const (
	checkout = "Q2CHK7Z1A3BF"
	search   = "Q0SRCH9K4T2E"
	payments = "Q9PAY3X7"
	chkLabel = " (#1234 High 5xx rate on checkout-api)"
	srchLbl  = " (#1311 search-api p99 latency above 2s)"
)

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []ingesttest.Row
	}{
		{"checkout-webhooks.jsonl", []ingesttest.Row{
			{"2024-05-14T14:02:11.482Z", debrief.KindPageTriggered, "checkout-api", true, "checkout-api",
				"Triggered #1234 [checkout-api] High 5xx rate on checkout-api (urgency high, priority P2)", "01HXT3C4K2M8ZC1Q9W0B7E5R2A", checkout},
			{"2024-05-14T14:04:37.915Z", debrief.KindPageAcknowledged, "Sam Rivera", false, "checkout-api",
				"Acknowledged by Sam Rivera" + chkLabel, "01HXT3GQ0V7R5JX3M2N8D4K6PB", checkout},
			{"2024-05-14T14:07:52.12Z", debrief.KindNote, "Sam Rivera", false, "checkout-api",
				"Note: 5xx started with the 13:58 deploy of checkout-api v2.15.0; rolling back: kubectl -n shop rollout undo deploy/checkout-api",
				"01HXT3N2Y9F1E6W4Q7T0C3H8ZC", checkout},
			{"2024-05-14T14:09:03.001Z", debrief.KindPageEscalated, "Sam Rivera", false, "checkout-api",
				"Escalated to Kim Lee" + chkLabel, "01HXT3R8B5D2K9P6V1X4M7J3QD", checkout},
			{"2024-05-14T14:10:44.25Z", debrief.KindNote, "Kim Lee", false, "checkout-api",
				"Priority set to P1 by Kim Lee" + chkLabel, "01HXT3V1W6C3N8R5T2Y9G4L7ME", checkout},
			{"2024-05-14T14:13:20.7Z", debrief.KindPageEscalated, "Kim Lee", false, "checkout-api",
				"Reassigned to Priya Nair by Kim Lee" + chkLabel, "01HXT40A2E7M4S9Q6U3Z1H8K5F", checkout},
			{"2024-05-14T14:30:00Z", debrief.KindNote, "Priya Nair", false, "checkout-api",
				"Status update published by Priya Nair: Rollback done; checkout error rate back under 0.5% (High 5xx rate on checkout-api)",
				"01HXT4KJ7H3P0T5X2V9B6N1R4G", checkout},
			{"2024-05-14T14:41:05.003Z", debrief.KindPageResolved, "Kim Lee", false, "checkout-api",
				"Resolved by Kim Lee" + chkLabel, "01HXT5E3M8Q1V6Z4X9C2K7P0SH", checkout},
		}},
		{"search-webhooks.json", []ingesttest.Row{
			{"2024-06-03T09:15:02.118345Z", debrief.KindPageTriggered, "Alertmanager", true, "search-api",
				"Triggered #1311 [search-api] search-api p99 latency above 2s (urgency low)", "01HZ8T1B6P3X0R7M4K9C2V5N8A", search},
			{"2024-06-03T09:45:02Z", debrief.KindNote, "PagerDuty", true, "search-api",
				"Unacknowledged by PagerDuty" + srchLbl, "01HZ8TH4S2W9E6Q3Z0M7B4X1KB", search},
		}},
		{"search-log-entries.json", []ingesttest.Row{
			{"2024-06-03T09:15:02Z", debrief.KindPageTriggered, "search-api", true, "search-api",
				"Triggered #1311 [search-api] search-api p99 latency above 2s", "R3Y0A7Q1M2V5KX", search},
			{"2024-06-03T09:15:04Z", debrief.KindNote, "PagerDuty", true, "search-api",
				"Notified Kim Lee by push notification." + srchLbl, "R8K2C9T6W1N4QB", search},
			{"2024-06-03T09:30:04Z", debrief.KindPageEscalated, "PagerDuty", true, "search-api",
				"Escalated to level 2: Priya Nair" + srchLbl, "R1V7M3P8X5D0HC", search},
			{"2024-06-03T09:30:06Z", debrief.KindNote, "PagerDuty", true, "search-api",
				"Notified Priya Nair via sms" + srchLbl, "R5Q9Z2J7F4L1BD", search},
			{"2024-06-03T09:33:41Z", debrief.KindPageAcknowledged, "Priya Nair", false, "search-api",
				"Acknowledged by Priya Nair" + srchLbl, "R6N0X8E3K5T2WE", search},
			{"2024-06-03T09:41:12Z", debrief.KindNote, "Priya Nair", false, "search-api",
				"Note: Shard 7 sits on a degraded node; draining it: kubectl cordon es-data-7 && kubectl drain es-data-7 --ignore-daemonsets",
				"R2B4H6Y8U0I3OF", search},
			{"2024-06-03T09:44:00Z", debrief.KindPageEscalated, "Priya Nair", false, "search-api",
				"Reassigned to Sam Rivera by Priya Nair" + srchLbl, "R9D1F3G5H7J2KG", search},
			{"2024-06-03T10:12:30Z", debrief.KindPageResolved, "Sam Rivera", false, "search-api",
				"Resolved by Sam Rivera" + srchLbl, "R4T6U8I0O2P5AH", search},
		}},
		{"log-entry.json", []ingesttest.Row{
			{"2024-06-03T09:50:00Z", debrief.KindNote, "Sam Rivera", false, "search-api",
				"Note: Index rebuilt on es-data-7; p99 back to 180 ms. Follow-up: alert on shard relocation.", "R7W9E1R3T5Y8UJ", search},
		}},
		{"payments-log-entries.jsonl", []ingesttest.Row{
			{"2024-07-09T22:47:19Z", debrief.KindPageTriggered, "Sam Rivera", false, "payments-api",
				"Triggered #1402 [payments-api] payments-api card authorisations timing out", "RPAY0001TRIG", payments},
			{"2024-07-09T23:20:55Z", debrief.KindPageResolved, "payments-api", true, "payments-api",
				"Resolved by payments-api (#1402 payments-api card authorisations timing out)", "RPAY0002RES", payments},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := ingesttest.Rows(t, debrief.SourcePagerDuty, tt.file, ingesttest.ParseTestdata(t, Parse, tt.file).Events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIdentities checks what each actor's identity carries, and that the
// events of one actor share it.
func TestIdentities(t *testing.T) {
	evs := ingesttest.ParseTestdata(t, Parse, "checkout-webhooks.jsonl").Events
	want := map[string]debrief.Identity{
		"checkout-api": {Source: debrief.SourcePagerDuty, Handle: "checkout-api", ID: "PCHKAPI", DisplayName: "checkout-api", Bot: true},
		"Sam Rivera":   {Source: debrief.SourcePagerDuty, Handle: "Sam Rivera", ID: "PSAMRV1", DisplayName: "Sam Rivera", Email: "sam@shop.example"},
		"Kim Lee":      {Source: debrief.SourcePagerDuty, Handle: "Kim Lee", ID: "PKIMLE2", DisplayName: "Kim Lee"},
		"Priya Nair":   {Source: debrief.SourcePagerDuty, Handle: "Priya Nair", ID: "PPRIYA3", DisplayName: "Priya Nair"},
	}
	got := ingesttest.SharedIdentities(t, evs)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identities (-want +got):\n%s", diff)
	}
	// A log entry's agent gets its email from the user reference of the same id.
	for _, ev := range ingesttest.ParseTestdata(t, Parse, "search-log-entries.json").Events {
		if ev.Actor == "Priya Nair" && ev.Identity.Email != "priya@shop.example" {
			t.Errorf("Priya Nair's identity %+v lacks the email of the user reference", ev.Identity)
		}
	}
}

// TestNoteTakesServiceOfItsIncident checks that a note, whose webhook names
// no service, is placed in the service another event of its incident names,
// even when the note comes first.
func TestNoteTakesServiceOfItsIncident(t *testing.T) {
	const note = `{"event":{"id":"N1","event_type":"incident.annotated","occurred_at":"2024-05-14T14:07:52Z","agent":{"id":"PSAM","type":"user_reference","summary":"Sam Rivera"},"data":{"type":"incident_note","content":"rolling back","incident":{"id":"Q1","summary":"High 5xx rate"}}}}
{"event":{"id":"T1","event_type":"incident.triggered","occurred_at":"2024-05-14T14:02:11Z","agent":null,"data":{"id":"Q1","type":"incident","number":7,"title":"High 5xx rate","service":{"summary":"checkout-api"}}}}
`
	res := ingesttest.ParseData(t, Parse, "hooks.jsonl", []byte(note), nil)
	if res.Err != nil || len(res.Events) != 2 {
		t.Fatalf("got %d events, error %v; want 2 events", len(res.Events), res.Err)
	}
	if ch := res.Events[0].Channel; ch != "checkout-api" {
		t.Errorf("note channel = %q, want checkout-api", ch)
	}
}

// TestZone checks that a time without a zone is read in the input's zone.
func TestZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatalf("zone database: %v", err)
	}
	got, ok := parseTime("2024-05-14T10:02:11.482", ny)
	want := time.Date(2024, 5, 14, 14, 2, 11, 482e6, time.UTC)
	if !ok || !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("parseTime = %v, %v; want %v", got, ok, want)
	}
}

// TestTextIsValidUTF8 checks that broken bytes in a note come out as
// replacement characters.
func TestTextIsValidUTF8(t *testing.T) {
	res := ingesttest.ParseData(t, Parse, "bad-utf8.json", []byte("{\"event\":{\"id\":\"E1\",\"event_type\":\"incident.annotated\",\"occurred_at\":\"2024-05-14T14:07:52Z\",\"data\":{\"content\":\"caf\xe9 down\",\"incident\":{\"id\":\"Q1\"}}}}"), nil)
	if res.Err != nil || len(res.Events) != 1 {
		t.Fatalf("got %d events, error %v", len(res.Events), res.Err)
	}
	if txt := res.Events[0].Text; !utf8.ValidString(txt) || txt != "Note: caf\uFFFD down" {
		t.Errorf("text = %q, want valid UTF-8 %q", txt, "Note: caf\uFFFD down")
	}
}
