package slack

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	gocmp "github.com/google/go-cmp/cmp"
)

// parseAll parses in and returns its events sorted by input and ref: the
// parser reads the files of an export in parallel.
func parseAll(t testing.TB, in *ingest.Input) ([]*debrief.Event, error) {
	res := ingesttest.Parse(t, Parse, in)
	return sortEvents(res.Events), res.Err
}

// input is the input over p of fsys that messages call name.
func input(fsys fs.FS, p, name string) *ingest.Input {
	in := ingesttest.Input(fsys, p)
	in.Name = name
	return in
}

// Identities of the test export.
var (
	idSam       = &debrief.Identity{Source: debrief.SourceSlack, Handle: "sam.rivera", ID: "U07SAM", DisplayName: "sam", Email: "sam.rivera@shop.example", Aliases: []string{"Sam Rivera"}}
	idPriya     = &debrief.Identity{Source: debrief.SourceSlack, Handle: "priya.shah", ID: "U07PRIYA", DisplayName: "Priya Shah", Email: "priya.shah@shop.example"}
	idAlex      = &debrief.Identity{Source: debrief.SourceSlack, Handle: "alex.kim", ID: "U07ALEX", DisplayName: "alexk", Email: "alex.kim@shop.example", Aliases: []string{"Alex Kim"}}
	idDeploybot = &debrief.Identity{Source: debrief.SourceSlack, Handle: "deploybot", ID: "U07DEPLOYBOT", DisplayName: "Deploy Bot", Bot: true}
	idAlerts    = &debrief.Identity{Source: debrief.SourceSlack, Handle: "Alertmanager", ID: "B07ALERTS", Bot: true}
	idDana      = &debrief.Identity{Source: debrief.SourceSlack, Handle: "dana.cho", ID: "U07DANA", DisplayName: "dana"}
)

const incident = "inc-2024-0312-checkout-500s"

// exportEvents are the events of testdata/export, in the order parseAll sorts
// them, for an input named "export".
func exportEvents(t testing.TB) []*debrief.Event {
	day12 := "export:" + incident + "/2024-03-12.json"
	msg := func(ts, kind, actor, text, thread string, id *debrief.Identity) *debrief.Event {
		return &debrief.Event{
			Time: ingesttest.Time(t, ts), Source: debrief.SourceSlack, Kind: debrief.Kind(kind), Actor: actor,
			Channel: incident, Text: text, Thread: thread, Input: day12, Identity: id, Bot: id.Bot,
		}
	}
	events := []*debrief.Event{
		{Time: ingesttest.Time(t, "2024-03-12T14:04:30.000009Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "priya.shah", Channel: "D01SAMPRIYA",
			Text: "want me to take comms?", Ref: "D01SAMPRIYA/1710252270.000009", Input: "export:D01SAMPRIYA/2024-03-12.json", Identity: idPriya},
		{Time: ingesttest.Time(t, "2024-03-12T14:30:00.000007Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "priya.shah", Channel: "general",
			Text: "FYI checkout incident is resolved, details in #" + incident, Ref: "C01GENERAL/1710253800.000007", Input: "export:general/2024-03-12.json", Identity: idPriya},
	}
	incidentDay := []*debrief.Event{
		msg("2024-03-12T14:01:02.000100Z", "join", "sam.rivera", "@sam.rivera has joined the channel", "", idSam),
		msg("2024-03-12T14:02:00.004100Z", "message", "Alertmanager", "[FIRING:1] CheckoutHigh5xx (checkout prod-eu-1)\n"+
			"*Summary:* checkout-api 5xx ratio 23% > 5% for 5m\nseverity: critical\n"+
			"runbook: checkout runbook (https://wiki.shop.example/runbooks/checkout)", "", idAlerts),
		msg("2024-03-12T14:03:10.200300Z", "message", "sam.rivera", "@here checkout is throwing 500s for ~20% of orders, I'm IC. "+
			"@priya.shah can you look at checkout-api? Dashboard: checkout overview (https://grafana.shop.example/d/checkout?from=now-1h&to=now)",
			"1710252190.200300", idSam),
		msg("2024-03-12T14:05:27.999999Z", "message", "priya.shah", "on it, error logs say `connection refused` from payments-gw <-> checkout-api",
			"1710252190.200300", idPriya),
		msg("2024-03-12T14:09:41.000005Z", "message", "alex.kim", "rolled back checkout-api to v4.12.3 with "+
			"`kubectl -n checkout rollout undo deploy/checkout-api` cc @sre-oncall", "1710252190.200300", idAlex),
		msg("2024-03-12T14:10:30.000042Z", "message", "deploybot", "Rollback finished\n*checkout-api* v4.12.3 is live in #"+incident+
			"\n*Replicas:* 12/12", "", idDeploybot),
		msg("2024-03-12T14:12:00.120000Z", "message", "priya.shah", "error rate is dropping, here's the graph [file: checkout-5xx.png]", "", idPriya),
		msg("2024-03-12T14:13:00.000001Z", "message", "alex.kim", "is watching the payments-gw pool", "", idAlex),
		msg("2024-03-12T14:15:00.000002Z", "note", "sam.rivera", "@sam.rivera set the channel topic: SEV2: checkout 500s - mitigated", "", idSam),
		msg("2024-03-12T14:20:00.000003Z", "message", "dana.cho", "customer support here: tickets about failed orders stopped in #general too", "", idDana),
	}
	for _, ev := range incidentDay {
		ev.Ref = "C06CHECKOUT/" + refTS(ev.Time)
	}
	incidentDay[3].Edited = ingesttest.Time(t, "2024-03-12T14:06:01Z")
	events = append(events, incidentDay...)
	events = append(events,
		&debrief.Event{Time: ingesttest.Time(t, "2024-03-13T09:00:00.000500Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "sam.rivera", Channel: incident,
			Text: "Postmortem draft: PM 2024-03-12 – checkout 500s (https://docs.shop.example/pm/2024-03-12) (café at 11 to review)",
			Ref:  "C06CHECKOUT/1710320400.000500", Input: "export:" + incident + "/2024-03-13.json", Identity: idSam},
		&debrief.Event{Time: ingesttest.Time(t, "2024-03-12T14:00:05Z"), Source: "slack", Kind: debrief.KindNote, Actor: "sam.rivera", Channel: incident,
			Text: "added integration Incoming WebHooks in #" + incident, Ref: "integrations/6801234567/1710252005/added/" + incident,
			Input: "export:integration_logs.json", Identity: idSam},
		&debrief.Event{Time: ingesttest.Time(t, "2024-01-05T09:30:00Z"), Source: "slack", Kind: debrief.KindNote, Actor: "alex.kim", Channel: "general",
			Text: "removed integration Statuspage in #general (reason: unused)", Ref: "integrations/A0STATUS/1704447000/removed/general",
			Input: "export:integration_logs.json", Identity: idAlex},
		&debrief.Event{Time: ingesttest.Time(t, "2024-03-12T14:04:00.000008Z"), Source: "slack", Kind: debrief.KindMessage, Actor: "sam.rivera", Channel: "sre-leads",
			Text: "paging @alex.kim as secondary", Ref: "G01SRELEADS/1710252240.000008", Input: "export:sre-leads/2024-03-12.json", Identity: idSam},
	)
	return sortEvents(events)
}

// refTS formats t as a Slack ts, for building expected refs.
func refTS(t time.Time) string {
	return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000)
}

// sortByRef sorts events by ref alone, for comparing inputs named apart.
func sortByRef(events []*debrief.Event) []*debrief.Event {
	slices.SortFunc(events, func(a, b *debrief.Event) int { return cmp.Compare(a.Ref, b.Ref) })
	return events
}

func sortEvents(events []*debrief.Event) []*debrief.Event {
	slices.SortFunc(events, func(a, b *debrief.Event) int {
		return cmp.Or(cmp.Compare(a.Input, b.Input), cmp.Compare(a.Ref, b.Ref))
	})
	return events
}

func TestExport(t *testing.T) {
	all := exportEvents(t)
	only := func(channel string) []*debrief.Event {
		var out []*debrief.Event
		for _, ev := range all {
			if ev.Channel == channel {
				out = append(out, ev)
			}
		}
		return out
	}
	tests := []struct {
		name     string
		channels []string
		want     []*debrief.Event
		notes    []string
	}{
		{name: "all channels", want: all},
		{name: "by name with #", channels: []string{"#" + incident}, want: only(incident)},
		{name: "by id", channels: []string{"C01GENERAL"}, want: only("general")},
		{name: "unknown channel", channels: []string{"#random", "sre-leads"}, want: only("sre-leads"),
			notes: []string{`slack export export: channel "#random" is not in the export`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(os.DirFS("testdata/export"), ".", "export")
			in.Channels = tt.channels
			var notes []string
			in.Note = func(msg string) { notes = append(notes, msg) }
			got, err := parseAll(t, in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := gocmp.Diff(tt.notes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIdentityShared checks that all events of one actor share one identity.
func TestIdentityShared(t *testing.T) {
	got, err := parseAll(t, input(os.DirFS("testdata/export"), ".", "export"))
	if err != nil {
		t.Fatal(err)
	}
	ingesttest.SharedIdentities(t, got)
}
