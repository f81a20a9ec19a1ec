package opsgenie

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

const (
	checkout = "8418d193-2dab-4490-b331-8c02cdd196b7-1715695331482"
	search   = "2c51e7d0-4a36-4f8e-9d21-b0c9a8f7e6d5-1717406102118"
	chkLabel = " (#1871 checkout-api 5xx rate above 5%)"
	sam      = "sam.rivera@shop.example"
	kim      = "kim.lee@shop.example"
	oom      = "6f3b2a1c-9d84-4e57-b0a2-3c1d5e7f9a80-1718021845117"
	p5xx     = "0a9e8d7c-6b5a-4f3e-8d2c-1b0a9e8d7c6b-1718022410830"
)

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []ingesttest.Row
	}{
		{"checkout-alerts.jsonl", []ingesttest.Row{
			{"2024-05-14T14:02:11.482000213Z", debrief.KindPageTriggered, "System", true, "checkout-api",
				"Created #1871 [checkout-api] checkout-api 5xx rate above 5% (priority P1)", checkout + "/Create/1715695331482000213", checkout},
			{"2024-05-14T14:04:37.915304011Z", debrief.KindPageAcknowledged, sam, false, "checkout-api",
				"Acknowledged by " + sam + chkLabel, checkout + "/Acknowledge/1715695477915304011", checkout},
			{"2024-05-14T14:07:52.120000001Z", debrief.KindNote, sam, false, "checkout-api",
				"Note: Rolling back checkout-api to v2.14.2: kubectl -n shop rollout undo deploy/checkout-api", checkout + "/AddNote/1715695672120000001", checkout},
			{"2024-05-14T14:09:03.001Z", debrief.KindPageEscalated, "System", true, "checkout-api",
				"Escalated to the next level via Checkout escalation" + chkLabel, checkout + "/EscalateNext/1715695743001000000", checkout},
			{"2024-05-14T14:10:00.25Z", debrief.KindPageEscalated, sam, false, "checkout-api",
				"Ownership assigned to " + kim + " by " + sam + chkLabel, checkout + "/AssignOwnership/1715695800250000000", checkout},
			{"2024-05-14T14:20:00Z", debrief.KindNote, kim, false, "checkout-api",
				"Tags added by " + kim + chkLabel, checkout + "/AddTags/1715696400000000000", checkout},
			{"2024-05-14T14:41:05.003000999Z", debrief.KindPageResolved, kim, false, "checkout-api",
				"Closed by " + kim + chkLabel, checkout + "/Close/1715697665003000999", checkout},
		}},
		// A page of the API's alerts: each one's creation, and its
		// acknowledgement and closing at the report's offsets from it.
		{"api-alert-list.json", []ingesttest.Row{
			{"2024-06-10T12:17:25.117Z", debrief.KindPageTriggered, "Prometheus Alertmanager", true, "",
				"Created #2043 payments-gateway pods OOMKilled (priority P1)", oom + "/Create/1718021845117000000", oom},
			{"2024-06-10T12:20:36.565Z", debrief.KindPageAcknowledged, "lena.k@shop.example", false, "",
				"Acknowledged by lena.k@shop.example (#2043 payments-gateway pods OOMKilled)", oom + "/Acknowledge/1718022036565000000", oom},
			{"2024-06-10T13:02:40.552Z", debrief.KindPageResolved, "lena.k@shop.example", false, "",
				"Closed by lena.k@shop.example (#2043 payments-gateway pods OOMKilled)", oom + "/Close/1718024560552000000", oom},
			{"2024-06-10T12:26:50.83Z", debrief.KindPageTriggered, "Prometheus Alertmanager", true, "",
				"Created #2044 payments-gateway 5xx above 2% (priority P2)", p5xx + "/Create/1718022410830000000", p5xx},
		}},
		{"search-alerts.json", []ingesttest.Row{
			{"2024-06-03T09:15:02.118Z", debrief.KindPageTriggered, "Alert API", true, "search-api",
				"Created #77 [search-api] search-api p99 latency above 2s (priority P2)", search + "/Create/1717406102118000000", search},
			{"2024-06-03T09:20:21.507893311Z", debrief.KindPageAcknowledged, "priya@shop.example", false, "search-api",
				"Acknowledged by priya@shop.example (#77 search-api p99 latency above 2s)", search + "/Acknowledge/1717406421507893311", search},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := ingesttest.Rows(t, debrief.SourceOpsgenie, tt.file, ingesttest.ParseTestdata(t, Parse, tt.file).Events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIdentities checks what each actor's identity carries, and that the
// events of one actor share it.
func TestIdentities(t *testing.T) {
	evs := ingesttest.ParseTestdata(t, Parse, "checkout-alerts.jsonl").Events
	want := map[string]debrief.Identity{
		"System": {Source: debrief.SourceOpsgenie, Handle: "System", DisplayName: "System", Bot: true},
		sam:      {Source: debrief.SourceOpsgenie, Handle: sam, ID: "0f3c9a51-2b7e-4d8c-9e1f-6a5b4c3d2e1f", Email: sam},
		kim:      {Source: debrief.SourceOpsgenie, Handle: kim, ID: "7d2e1f0a-9b8c-4d7e-a6f5-e4d3c2b1a098", Email: kim},
	}
	got := ingesttest.SharedIdentities(t, evs)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identities (-want +got):\n%s", diff)
	}
}

// TestActions checks the text and kind of actions the fixtures do not show.
func TestActions(t *testing.T) {
	const tail = `,"alert":{"alertId":"A1","message":"checkout-api 5xx rate above 5%","tinyId":"9","updatedAt":1715695477915304011,"username":"sam@shop.example","recipient":"kim@shop.example","priority":"P1"}`
	tests := []struct {
		body string
		kind debrief.Kind
		text string
	}{
		{`{"action":"AddRecipient"` + tail + `}`, debrief.KindPageEscalated, "Recipient kim@shop.example added by sam@shop.example (#9 checkout-api 5xx rate above 5%)"},
		{`{"action":"Escalate"` + tail + `}`, debrief.KindPageEscalated, "Escalated to kim@shop.example (#9 checkout-api 5xx rate above 5%)"},
		{`{"action":"UnAcknowledge"` + tail + `}`, debrief.KindNote, "Unacknowledged by sam@shop.example (#9 checkout-api 5xx rate above 5%)"},
		{`{"action":"UpdatePriority"` + tail + `}`, debrief.KindNote, "Priority set to P1 by sam@shop.example (#9 checkout-api 5xx rate above 5%)"},
		{`{"action":"CustomAction"` + tail + `}`, debrief.KindNote, "Custom action by sam@shop.example (#9 checkout-api 5xx rate above 5%)"},
		{`{"action":"Escalate","escalationName":"Checkout escalation","escalationNotify":{"name":"kim@shop.example","type":"default","entity":"user"},"alert":{"alertId":"A1","updatedAt":1715695477915304011}}`,
			debrief.KindPageEscalated, "Escalated to kim@shop.example via Checkout escalation (A1)"},
	}
	for _, tt := range tests {
		res := ingesttest.ParseData(t, Parse, "og.json", []byte(tt.body), nil)
		if res.Err != nil || len(res.Events) != 1 {
			t.Errorf("%s: %d events, error %v; want 1 event", tt.body, len(res.Events), res.Err)
			continue
		}
		if ev := res.Events[0]; ev.Kind != tt.kind || ev.Text != tt.text {
			t.Errorf("%s:\ngot  %s %q\nwant %s %q", tt.body, ev.Kind, ev.Text, tt.kind, tt.text)
		}
	}
}

// TestListBadAlert: an alert of an API page without its creation time is a
// bad record at its line; skipped, the others stand.
func TestListBadAlert(t *testing.T) {
	page := "{\n\"data\": [\n{\"id\": \"a\", \"tinyId\": \"1\", \"message\": \"ok\", \"createdAt\": \"2024-06-10T12:17:25.117Z\"},\n" +
		"{\"id\": \"b\", \"tinyId\": \"2\", \"message\": \"no time\"}\n],\n\"took\": 0.01, \"requestId\": \"r\"\n}\n"
	res := ingesttest.ParseData(t, Parse, "page.json", []byte(page), nil)
	if ie := ingesttest.AsInputError(t, res.Err); ie.Line != 4 || !strings.Contains(ie.Msg, `expected "createdAt"`) {
		t.Errorf("error %v; want line 4 saying createdAt is expected", res.Err)
	}
	res = ingesttest.ParseData(t, Parse, "page.json", []byte(page), ingesttest.Skip)
	if res.Err != nil || len(res.Events) != 1 {
		t.Errorf("skipping: %d events, %v; want the good alert's creation", len(res.Events), res.Err)
	}
}

// TestListShapes: a single alert's response ({"data": {...}}) reads like a
// list of one, and an alert whose tags or alias say "action" is still an
// alert.
func TestListShapes(t *testing.T) {
	alert := `{"id":"a1","tinyId":"7","tags":["action"],"alias":"action","message":"disk full",` +
		`"createdAt":"2024-05-14T14:02:11.482Z","report":{"ackTime":1000,"acknowledgedBy":"sam.rivera@shop.example"}}`
	for _, doc := range []string{`{"data":[` + alert + `],"took":0.01,"requestId":"r"}`, `{"data":` + alert + `,"took":0.01,"requestId":"r"}`} {
		res := ingesttest.ParseData(t, Parse, "list.json", []byte(doc), nil)
		if res.Err != nil || len(res.Events) != 2 || res.Events[1].Time.Sub(res.Events[0].Time) != time.Second {
			t.Errorf("%s: %d events, %v; want the creation and the acknowledgement a second later", doc, len(res.Events), res.Err)
		}
	}
}
