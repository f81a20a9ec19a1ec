package mattermost

import (
	"os"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

func TestParseFixtures(t *testing.T) {
	// The people of the checkout fixture, as its user and bot lines describe them.
	sam := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "sam", DisplayName: "Sam Rivera", Email: "sam.rivera@acme.example"}
	priya := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "priya", DisplayName: "Priya Natarajan", Email: "priya@acme.example"}
	dmitri := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "dmitri", DisplayName: "Dima", Email: "dmitri.v@acme.example"}
	opsbot := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "opsbot", DisplayName: "Ops Bot", Bot: true}
	grafana := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "grafana", Bot: true}
	const checkout = "checkout-outage.jsonl"
	const incident = "inc-2024-0312-checkout"
	const root = "e33e139f787daec0f1afa384"
	const dm = "e8067f44201c9dbde284879f"
	ev := func(at string, kind debrief.Kind, id *debrief.Identity, channel, text, ref, thread string) *debrief.Event {
		return &debrief.Event{Time: ingesttest.Time(t, at), Source: debrief.SourceMattermost, Kind: kind, Actor: id.Handle,
			Channel: channel, Text: text, Ref: ref, Thread: thread, Bot: id.Bot, Input: checkout, Identity: id}
	}
	edited := ev("2024-03-12T14:04:37.015Z", debrief.KindMessage, sam, incident,
		"I'm IC. checkout-api p99 is 8s and the 5xx are all from POST /api/v2/checkout. Anyone deploy in the last hour?", root, "")
	edited.Edited = ingesttest.Time(t, "2024-03-12T14:05:02.3Z")
	all := []*debrief.Event{
		ev("2024-03-12T14:02:11.482Z", debrief.KindMessage, grafana, incident,
			"[FIRING:1] CheckoutHighErrorRate (checkout-api)\n5xx ratio on /api/v2/checkout is 12.4% (threshold 5%)\nseverity: critical\ncluster: prod-eu-west-1",
			"2ff17bff51b6e54cfdc269d2", ""),
		edited,
		ev("2024-03-12T14:06:12.908Z", debrief.KindMessage, priya, incident,
			"payments-gateway v2.42.0 went out at 13:55. Pods are OOMKilled: `kubectl -n payments get pods -l app=payments-gateway`",
			"f91db19ae136f0c146e5b4b2", root),
		ev("2024-03-12T14:06:15.001Z", debrief.KindMessage, opsbot, incident,
			"deploy payments-gateway v2.42.0 by ci-pipeline finished 13:55:40 UTC", "342500c68f2e7db2a2dc4b3e", root),
		ev("2024-03-12T14:07:00.25Z", debrief.KindMessage, sam, incident, "@priya roll it back please", "8e48b2a324520a788b8148ac", root),
		ev("2024-03-12T14:08:03.777Z", debrief.KindJoin, dmitri, incident, "dmitri joined the channel.", "f3eec3071d6890249dd12cee", ""),
		ev("2024-03-12T14:09:41.12Z", debrief.KindMessage, priya, incident,
			"Rolling back: kubectl -n payments rollout undo deploy/payments-gateway --to-revision=41\nerror-rate graph attached\n[attachment: error-rate.png]",
			"d7b6934dd389bde80c7d055c", ""),
		ev("2024-03-12T14:10:00Z", debrief.KindNote, sam, incident,
			"sam updated the channel header to: SEV1 checkout 5xx | IC @sam", "1eee6b84ed8e6fa47f744b0e", ""),
		ev("2024-03-12T14:11:30.555Z", debrief.KindMessage, dmitri, "town-square",
			"FYI checkout is degraded, follow ~inc-2024-0312-checkout", "3c0d891760a4b8b8c5eb1dc6", ""),
		ev("2024-03-12T14:12:05.404Z", debrief.KindMessage, dmitri, "dmitri,sam", "want me to page the payments team lead?", dm, ""),
		ev("2024-03-12T14:12:40.01Z", debrief.KindMessage, sam, "dmitri,sam", "yes, page Lena", "adbba6886d33b587cb04d31e", dm),
		ev("2024-03-12T14:22:18.999Z", debrief.KindMessage, sam, "dmitri,sam", "error rate back under 1% since 14:21 ✅", "85976a79a51b08456b4765bd", ""),
	}

	lena := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "lena", DisplayName: "Lena Kowalski", Email: "lena.k@acme.example"}
	ci := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "ci", DisplayName: "CI", Bot: true}
	tomas := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "tomas"}
	late := func(at string, id *debrief.Identity, text, ref string) *debrief.Event {
		return &debrief.Event{Time: ingesttest.Time(t, at), Source: debrief.SourceMattermost, Kind: debrief.KindMessage, Actor: id.Handle,
			Channel: "inc-search", Text: text, Ref: ref, Bot: id.Bot, Input: "late-users.jsonl", Identity: id}
	}

	tests := []struct {
		name     string
		file     string
		channels []string
		want     []*debrief.Event
		notes    []string
	}{
		{name: "every record kind", file: checkout, want: all},
		{name: "one channel by name", file: checkout, channels: []string{"#INC-2024-0312-checkout"}, want: all[:8]},
		{name: "channel as team/name and a direct channel", file: checkout,
			channels: []string{"acme/town-square", "dmitri,sam"}, want: all[8:]},
		{name: "posts before their authors' user lines", file: "late-users.jsonl", want: []*debrief.Event{
			late("2024-05-02T09:14:20.1Z", lena, "search-api is returning empty results for every query since 09:12", "0001b195d061a9962c860cbb"),
			late("2024-05-02T09:15:00Z", ci, "reindex job search-reindex-20240502 started", "f03a937aeb0c9b2850cf3eea"),
			late("2024-05-02T09:21:44.65Z", tomas,
				"the alias products points at an empty index, swapping back: curl -XPOST es:9200/_aliases -d @alias.json",
				"7e5be7733f8d90fa832eb1a5"),
		}, notes: []string{"posts whose author has no user line in the export: 1, by tomas; kept with the username only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ingesttest.Input(os.DirFS("testdata"), tt.file)
			in.Channels = tt.channels
			got := ingesttest.Parse(t, Parse, in).ByTime()
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if diff := cmp.Diff(tt.want, got.Events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, got.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIdentityShared checks that all events of one author share one identity,
// so the timeline can join people by pointer.
func TestIdentityShared(t *testing.T) {
	ingesttest.SharedIdentities(t, ingesttest.ParseTestdata(t, Parse, "checkout-outage.jsonl").Events)
}

// TestRefStable checks that a post keeps its Ref when its text is edited and
// the export is written again: the Ref is what lets the timeline drop
// duplicates across two exports of one incident.
func TestRefStable(t *testing.T) {
	a := parseString(t, `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"db is down","create_at":1710252000123}}`, nil)
	b := parseString(t, `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"db is down (edited)","edit_at":1710252060000,"create_at":1710252000123}}`, nil)
	if a.Err != nil || b.Err != nil || len(a.Events) != 1 || len(b.Events) != 1 {
		t.Fatalf("parse: %v %v", a.Err, b.Err)
	}
	if a.Events[0].Ref != b.Events[0].Ref {
		t.Errorf("Ref changed with the text: %s vs %s", a.Events[0].Ref, b.Events[0].Ref)
	}
	c := parseString(t, `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"db is down","create_at":1710252000124}}`, nil)
	if c.Events[0].Ref == a.Events[0].Ref {
		t.Errorf("posts a millisecond apart share Ref %s", a.Events[0].Ref)
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		typ, message, user string
		want               debrief.Kind
	}{
		{"", "disk full on db-1", "sam", debrief.KindMessage},
		{"", "sam joined the channel.", "sam", debrief.KindJoin},
		{"", "@sam joined the team.", "sam", debrief.KindJoin},
		{"", "priya joined the channel.", "sam", debrief.KindMessage},
		{"", "ron added to the channel by harry.", "harry", debrief.KindJoin},
		{"", "ron added to the channel by harry.", "ron", debrief.KindMessage},
		{"system_add_to_channel", "priya added to the channel by sam.", "sam", debrief.KindJoin},
		{"system_leave_channel", "sam left the channel.", "sam", debrief.KindNote},
		{"system_purpose_change", "sam updated the channel purpose", "sam", debrief.KindNote},
		{"custom_pagerduty", "incident #4411 triggered", "pd", debrief.KindMessage},
	}
	for _, tt := range tests {
		if got := kindOf(entry{typ: tt.typ, message: tt.message, user: tt.user}); got != tt.want {
			t.Errorf("kindOf(%q, %q by %s) = %s, want %s", tt.typ, tt.message, tt.user, got, tt.want)
		}
	}
}

func TestTimePrecision(t *testing.T) {
	got := parseString(t, `{"type":"post","post":{"team":"t","channel":"c","user":"u","message":"m","create_at":1700000000999}}`, nil)
	if got.Err != nil || len(got.Events) != 1 {
		t.Fatalf("got %v, %d events", got.Err, len(got.Events))
	}
	want := time.Date(2023, 11, 14, 22, 13, 20, 999_000_000, time.UTC)
	if tm := got.Events[0].Time; !tm.Equal(want) || tm.Location() != time.UTC {
		t.Errorf("Time = %v, want %v in UTC", tm, want)
	}
}

func TestCancelled(t *testing.T) {
	ingesttest.CheckCancelled(t, Parse, ingesttest.Input(os.DirFS("testdata"), "checkout-outage.jsonl"))
}
