package discord

import (
	"os"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

func TestParseFixtures(t *testing.T) {
	lena := &debrief.Identity{Source: debrief.SourceDiscord, Handle: "lena.k", ID: "1109876543210987654", DisplayName: "Lena Kowalski"}
	tomas := &debrief.Identity{Source: debrief.SourceDiscord, Handle: "tomas.h", ID: "1098765432101234567", DisplayName: "Tomás Horvat"}
	grafana := &debrief.Identity{Source: debrief.SourceDiscord, Handle: "Grafana", ID: "1234001234001234001", DisplayName: "Grafana", Bot: true}
	deploy := &debrief.Identity{Source: debrief.SourceDiscord, Handle: "deploy-bot", ID: "1187000000000000001", DisplayName: "deploy-bot", Bot: true}

	const outage, thread = "search-outage.json", "search-thread.json"
	const incident, guard = "Incidents/inc-search-outage", "inc-search-outage/reindex guard"
	const threadID = "1235615020515086376"
	ev := func(file, at string, kind debrief.Kind, id *debrief.Identity, channel, text, ref, thread string) *debrief.Event {
		return &debrief.Event{Time: ingesttest.Time(t, at), Source: debrief.SourceDiscord, Kind: kind, Actor: id.Handle,
			Channel: channel, Text: text, Ref: ref, Thread: thread, Bot: id.Bot, Input: file, Identity: id}
	}
	edited := ev(outage, "2024-05-02T09:14:20.1Z", debrief.KindMessage, tomas, incident,
		"search is returning nothing for every query, looking. anyone touched the ES cluster?", "1235613178393186375", "")
	edited.Edited = ingesttest.Time(t, "2024-05-02T09:14:41.992Z")
	channelEvents := []*debrief.Event{
		ev(outage, "2024-05-02T09:13:02.511Z", debrief.KindJoin, lena, incident, "Joined the server.", "1235612893004763136", ""),
		ev(outage, "2024-05-02T09:14:05.803Z", debrief.KindMessage, grafana, incident,
			"[FIRING:1] SearchZeroHitRatio search-api (prod)\nZero-hit ratio for /api/search is 97% over the last 5m (threshold 20%)\nseverity: critical\nservice: search-api",
			"1235613115067449364", ""),
		edited,
		ev(outage, "2024-05-02T09:16:08.007Z", debrief.KindMessage, lena, incident,
			"the products alias points at products-20240502, which has 0 docs. Reindex job from 09:00 swapped it early",
			"1235613630857920582", "1235613178393186375"),
		ev(outage, "2024-05-02T09:21:44.65Z", debrief.KindMessage, tomas, incident,
			"swapping the alias back: `curl -XPOST es-prod:9200/_aliases -H 'Content-Type: application/json' -d @alias-rollback.json`\n[attachment: alias-rollback.json]",
			"1235614847134773299", ""),
		ev(outage, "2024-05-02T09:21:57.512Z", debrief.KindNote, tomas, incident, "Pinned a message.", "1235614901086470195", ""),
		ev(outage, "2024-05-02T09:22:26.004Z", debrief.KindNote, lena, incident, "Started a thread.", "1235615020590583818", threadID),
		ev(outage, "2024-05-02T09:24:20.888Z", debrief.KindMessage, deploy, incident,
			"search-indexer v3.8.1 paused on prod\nsearch-indexer\nSchedule paused by tomas.h\nenv: prod\nnext run: manual", "1235615502394478612", ""),
		ev(outage, "2024-05-02T09:30:56.23Z", debrief.KindMessage, tomas, incident,
			"resolved: zero-hit ratio back to 2%, search p99 180ms", "1235617160662892625", ""),
	}
	threadEvents := []*debrief.Event{
		ev(thread, "2024-05-02T09:23:39.8170001Z", debrief.KindMessage, lena, guard,
			"@tomas.h the reindex cron in #1187761200000000077 fired 2024-05-02T09:00:00Z, it should only swap after doc count check :es:",
			"1235615330016645181", threadID),
		ev(thread, "2024-05-02T09:24:51.499Z", debrief.KindMessage, tomas, guard,
			"agreed @role:1187761200000000100 I'll add a guard: `if [ \"$(curl -s es-prod:9200/products-new/_count | jq .count)\" -gt 0 ]`",
			"1235615630253576232", threadID),
	}

	tests := []struct {
		name     string
		file     string
		channels []string
		want     []*debrief.Event
	}{
		{name: "channel export", file: outage, want: channelEvents},
		{name: "thread export with raw markup", file: thread, want: threadEvents},
		{name: "selected by category/name", file: outage, channels: []string{"incidents/INC-search-outage"}, want: channelEvents},
		{name: "selected by name", file: thread, channels: []string{"#reindex guard"}, want: threadEvents},
		{name: "selected by id", file: thread, channels: []string{threadID}, want: threadEvents},
		{name: "not selected", file: outage, channels: []string{"general"}},
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
			if len(got.Notes) != 0 {
				t.Errorf("notes %q, want none", got.Notes)
			}
			for _, ev := range got.Events {
				if ev.Time.Location() != time.UTC {
					t.Errorf("%s: time %v not in UTC", ev.Ref, ev.Time)
				}
			}
		})
	}
}

// TestIdentityShared checks that all events of one author share one identity.
func TestIdentityShared(t *testing.T) {
	ingesttest.SharedIdentities(t, ingesttest.ParseTestdata(t, Parse, "search-outage.json").Events)
}

// message wraps one message's JSON in a minimal export.
func message(m string) string {
	return `{"guild":{"id":"1","name":"Acme"},"channel":{"id":"2","type":"GuildTextChat","category":"","name":"ops"},"messages":[` + m + `]}`
}

func TestMessageVariants(t *testing.T) {
	const author = `"author":{"id":"7","name":"sam","nickname":"Sam Rivera","isBot":false}`
	tests := []struct {
		name, msg string
		kind      debrief.Kind
		text      string
		at        string
		thread    string
	}{
		{"no offset: the input's zone", `{"id":"10","type":"Default","timestamp":"2024-03-12T14:02:11.4820000",` + author + `,"content":"db failover"}`,
			debrief.KindMessage, "db failover", "2024-03-12T13:02:11.482Z", ""},
		{"Z and nanoseconds", `{"id":"10","type":"Default","timestamp":"2024-03-12T14:02:11.123456789Z",` + author + `,"content":"x"}`,
			debrief.KindMessage, "x", "2024-03-12T14:02:11.123456789Z", ""},
		{"negative offset", `{"id":"10","type":"Default","timestamp":"2024-03-12T07:02:11.5-07:00",` + author + `,"content":"x"}`,
			debrief.KindMessage, "x", "2024-03-12T14:02:11.5Z", ""},
		{"thread starter", `{"id":"11","type":"21","timestamp":"2024-03-12T14:02:11Z",` + author + `,"content":"","reference":{"messageId":"9","channelId":"11"}}`,
			debrief.KindNote, "Thread started from message 9", "2024-03-12T14:02:11Z", ""},
		{"forwarded", `{"id":"12","type":"Default","timestamp":"2024-03-12T14:02:11Z",` + author + `,"content":"","forwardedMessage":{"content":"<@8> checkout is down"},"mentions":[{"id":"8","name":"priya"}]}`,
			debrief.KindMessage, "Forwarded: @priya checkout is down", "2024-03-12T14:02:11Z", ""},
		{"embeds ignored beside a person's content", `{"id":"13","type":"Default","timestamp":"2024-03-12T14:02:11Z",` + author + `,"content":"see https://status.acme.example","embeds":[{"title":"Acme Status","description":"All systems operational"}]}`,
			debrief.KindMessage, "see https://status.acme.example", "2024-03-12T14:02:11Z", ""},
		{"stickers and a nameless attachment", `{"id":"14","type":"Default","timestamp":"2024-03-12T14:02:11Z",` + author + `,"content":"","attachments":[{"fileName":""},{"fileName":"heap.pprof"}],"stickers":[{"name":"this is fine"}]}`,
			debrief.KindMessage, "[attachment: heap.pprof]\n[sticker: this is fine]", "2024-03-12T14:02:11Z", ""},
		{"recipient added", `{"id":"15","type":"RecipientAdd","timestamp":"2024-03-12T14:02:11Z",` + author + `,"content":"Added a recipient."}`,
			debrief.KindJoin, "Added a recipient.", "2024-03-12T14:02:11Z", ""},
		{"reply without reference", `{"id":"16","type":"Reply","timestamp":"2024-03-12T14:02:11Z",` + author + `,"content":"ack"}`,
			debrief.KindMessage, "ack", "2024-03-12T14:02:11Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ingesttest.DataInput("export.json", []byte(message(tt.msg)))
			in.Zone = time.FixedZone("CET", 3600)
			got := ingesttest.Parse(t, Parse, in)
			if got.Err != nil || len(got.Events) != 1 {
				t.Fatalf("got %v and %d events", got.Err, len(got.Events))
			}
			ev := got.Events[0]
			if ev.Kind != tt.kind || ev.Text != tt.text || !ev.Time.Equal(ingesttest.Time(t, tt.at)) || ev.Thread != tt.thread || ev.Channel != "ops" {
				t.Errorf("got %s %q at %v thread %q in %q, want %s %q at %s thread %q",
					ev.Kind, ev.Text, ev.Time, ev.Thread, ev.Channel, tt.kind, tt.text, tt.at, tt.thread)
			}
		})
	}
}

// TestChannelAfterMessages reads a document whose keys were reordered: its
// messages still get the channel.
func TestChannelAfterMessages(t *testing.T) {
	doc := `{"messages":[{"id":"10","type":"Default","timestamp":"2024-03-12T14:02:11Z","author":{"id":"7","name":"sam"},"content":"x"}],` +
		`"channel":{"id":"2","type":"GuildPublicThread","category":"ops","name":"db failover"},"messageCount":1}`
	got := parseString(t, doc, nil)
	if got.Err != nil || len(got.Events) != 1 {
		t.Fatalf("got %v and %d events", got.Err, len(got.Events))
	}
	if ev := got.Events[0]; ev.Channel != "ops/db failover" || ev.Thread != "2" {
		t.Errorf("channel %q thread %q, want ops/db failover in thread 2", ev.Channel, ev.Thread)
	}
}

func TestMessageCountNote(t *testing.T) {
	doc := `{"channel":{"name":"ops"},"messages":[],"messageCount":3}`
	got := parseString(t, doc, nil)
	want := []string{"the export says it holds 3 messages but has 0; it may have been cut or edited"}
	if got.Err != nil || !cmp.Equal(got.Notes, want) {
		t.Errorf("got %v, notes %q, want %q", got.Err, got.Notes, want)
	}
}

func TestDecodeMarkup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"<@8> and <@!8>", "@priya and @priya"},
		{"<@99> unknown", "@99 unknown"},
		{"latency < 200ms and > 100ms", "latency < 200ms and > 100ms"},
		{"a < <@8>", "a < @priya"},
		{"<a:party:123> <:es:1> <:no id:>", ":party: :es: <:no id:>"},
		{"<t:1710252131> <t:1710252131:R> <t:99999999999999> <t:12:RR>", "2024-03-12T14:02:11Z 2024-03-12T14:02:11Z <t:99999999999999> <t:12:RR>"},
		{"<https://grafana.acme.example/d/checkout> <http://x y>", "https://grafana.acme.example/d/checkout <http://x y>"},
		{"</rollback:1200> <#5> <@&6> <>", "/rollback #5 @role:6 <>"},
		{"unclosed <@8", "unclosed <@8"},
	}
	mentions := mustParse(t, `[{"id":"8","name":"priya"}]`).GetArray()
	for _, tt := range tests {
		if got := decodeMarkup(tt.in, mentions); got != tt.want {
			t.Errorf("decodeMarkup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCancelled(t *testing.T) {
	ingesttest.CheckCancelled(t, Parse, ingesttest.Input(os.DirFS("testdata"), "search-outage.json"))
}
