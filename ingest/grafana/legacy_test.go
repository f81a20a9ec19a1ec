package grafana

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

// legacyFS holds the legacy sample with the given modification time.
func legacyFS(t *testing.T, mtime time.Time) fstest.MapFS {
	t.Helper()
	data, err := os.ReadFile("testdata/legacy-checkout.json")
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"legacy-checkout.json": {Data: data, ModTime: mtime}}
}

func TestLegacyUsesFileTime(t *testing.T) {
	mtime := time.Date(2019, 11, 4, 16, 21, 9, 350000000, time.FixedZone("PST", -8*3600))
	got := ingesttest.ParseFile(t, Parse, legacyFS(t, mtime), "legacy-checkout.json", nil)
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	const ref = "legacy/37/a5ba03d2b2ab6246/firing"
	want := []*debrief.Event{event(mtime.UTC(), debrief.KindAlertFiring, "",
		"Checkout 5xx rate firing: 5xx ratio above 5% on the checkout path. See the runbook: https://runbooks.acme.example/checkout/5xx "+
			"(checkout-api=0.083, checkout-worker=0.071, cart-api=0.064, payments-gateway=0.059, payments-refunds=no value and 2 more)",
		ref, "legacy-checkout.json", true)}
	if diff := cmp.Diff(want, got.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantNotes := []string{"legacy-checkout.json: legacy Grafana alert bodies carry no time; " +
		"placed 1 at the file's modification time, 2019-11-05T00:21:09Z"}
	if diff := cmp.Diff(wantNotes, got.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	// The Ref depends on the body, not on the file's time: a copy of the
	// file made later is recognised as the same notification.
	later := ingesttest.ParseFile(t, Parse, legacyFS(t, mtime.Add(time.Hour)), "legacy-checkout.json", nil)
	if later.Err != nil || len(later.Events) != 1 || later.Events[0].Ref != ref {
		t.Errorf("copy made later: %v, %d events, want Ref %q", later.Err, len(later.Events), ref)
	}
}

func TestLegacyWithoutFileTime(t *testing.T) {
	got := ingesttest.ParseFile(t, Parse, legacyFS(t, time.Time{}), "legacy-checkout.json", nil)
	ie := ingesttest.WantInputError(t, got.Err, 1, `"Checkout 5xx rate" carries no time`)
	if want := "a CSV or JSONL note"; !strings.Contains(ie.Msg, want) {
		t.Errorf("message %q does not say %q", ie.Msg, want)
	}
	skipped := ingesttest.ParseFile(t, Parse, legacyFS(t, time.Time{}), "legacy-checkout.json", ingesttest.Skip)
	if skipped.Err != nil || len(skipped.Bad) != 1 || len(skipped.Events) != 0 {
		t.Errorf("skipping: %v, %d bad, %d events; want nil, 1, 0", skipped.Err, len(skipped.Bad), len(skipped.Events))
	}
}

func TestLegacyStates(t *testing.T) {
	mtime := time.Date(2020, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		body string
		kind debrief.Kind
		text string
	}{
		{`{"ruleId":3,"ruleName":"Search p99","state":"ok","message":"","evalMatches":[]}`,
			debrief.KindAlertResolved, "Search p99 resolved"},
		{`{"ruleId":3,"ruleName":"Search p99","state":"no_data","evalMatches":[{"metric":"search-api","value":null}]}`,
			debrief.KindAlertFiring, "Search p99 no data (search-api=no value)"},
		{`{"title":"[Alerting] Search p99","state":"alerting"}`,
			debrief.KindAlertFiring, "[Alerting] Search p99 firing"},
	}
	for _, tt := range tests {
		got := ingesttest.ParseFile(t, Parse, fstest.MapFS{"a.json": {Data: []byte(tt.body), ModTime: mtime}}, "a.json", nil)
		if got.Err != nil || len(got.Events) != 1 {
			t.Errorf("%s: %v, %d events", tt.body, got.Err, len(got.Events))
			continue
		}
		if ev := got.Events[0]; ev.Kind != tt.kind || ev.Text != tt.text || !ev.Time.Equal(mtime) {
			t.Errorf("%s: got %s %q at %v, want %s %q", tt.body, ev.Kind, ev.Text, ev.Time, tt.kind, tt.text)
		}
	}
}

func TestBadInput(t *testing.T) {
	mtime := time.Date(2020, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"legacy ruleId a string", "{\n\"ruleId\": \"37\",\n\"ruleName\": \"Checkout 5xx rate\",\n\"state\": \"alerting\"}",
			2, `column 15: expected a legacy Grafana alert body`},
		{"evalMatches an object", `{"ruleName":"Checkout 5xx rate","state":"alerting","evalMatches":{"value":1}}`,
			1, `expected a legacy Grafana alert body`},
		{"neither unified nor legacy", `{"dashboardId":12,"panelId":4}`,
			1, `expected a Grafana alerting webhook body: "alerts" (unified alerting), or "ruleName"`},
		{"unified startsAt a number", `{"orgId":1,"alerts":[{"labels":{"alertname":"x"},"startsAt":1741945290}]}`,
			1, `expected "startsAt" as a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"a.json": {Data: []byte(tt.data), ModTime: mtime}}
			got := ingesttest.ParseFile(t, Parse, fsys, "a.json", nil)
			ingesttest.WantInputError(t, got.Err, tt.line, tt.msg)
			if skipped := ingesttest.ParseFile(t, Parse, fsys, "a.json", ingesttest.Skip); skipped.Err != nil || len(skipped.Bad) != 1 {
				t.Errorf("skipping: %v, %d bad; want nil, 1", skipped.Err, len(skipped.Bad))
			}
		})
	}
}
