package slack

import (
	"testing"
	"testing/fstest"

	"github.com/debriefhq/debrief"
)

// TestSubtypes parses one message of each shape inside a small export and
// checks the kind, actor, bot flag and text each becomes.
func TestSubtypes(t *testing.T) {
	users := `[
		{"id": "U1", "name": "sam.rivera", "profile": {"display_name": "sam", "email": "sam@shop.example"}},
		{"id": "U2", "name": "grafana", "is_bot": true, "profile": {"real_name": "Grafana", "bot_id": "B2"}}
	]`
	tests := []struct {
		name, msg string
		kind      debrief.Kind
		actor     string
		bot       bool
		text      string
	}{
		{"old file_share", `{"type": "message", "subtype": "file_share", "text": "<@U1> uploaded a file: <https://x.slack.com/files/U1/F1/db.log|db.log>", "file": {"name": "db.log", "user": "U1"}}`,
			debrief.KindMessage, "sam.rivera", false, "@sam.rivera uploaded a file: db.log (https://x.slack.com/files/U1/F1/db.log)"},
		{"file_share with comment", `{"type": "message", "subtype": "file_share", "user": "U1", "text": "heap dump from checkout-api-7f9", "files": [{"name": "heap.pprof"}, {"title": "gc.log"}, {"mode": "tombstone"}]}`,
			debrief.KindMessage, "sam.rivera", false, "heap dump from checkout-api-7f9 [file: heap.pprof] [file: gc.log]"},
		{"many files", `{"type": "message", "user": "U1", "text": "logs of every pod", "files": [{"name": "pod-0.log"}, {"name": "pod-1.log"}, {"name": "pod-2.log"}, {"name": "pod-3.log"}, {"name": "pod-4.log"}, {"name": "pod-5.log"}, {"name": "pod-6.log"}, {"name": "pod-7.log"}, {"name": "pod-8.log"}, {"name": "pod-9.log"}, {"name": "pod-10.log"}, {"name": "pod-11.log"}, {"name": "pod-12.log"}, {"name": "pod-13.log"}, {"name": "pod-14.log"}, {"name": "pod-15.log"}, {"name": "pod-16.log"}, {"name": "pod-17.log"}, {"name": "pod-18.log"}, {"name": "pod-19.log"}, {"name": "pod-20.log"}, {"name": "pod-21.log"}, {"name": "pod-22.log"}, {"name": "pod-23.log"}, {"name": "pod-24.log"}]}`,
			debrief.KindMessage, "sam.rivera", false, "logs of every pod [file: pod-0.log] [file: pod-1.log] [file: pod-2.log] [file: pod-3.log] [file: pod-4.log] [file: pod-5.log] [file: pod-6.log] [file: pod-7.log] [file: pod-8.log] [file: pod-9.log] [file: pod-10.log] [file: pod-11.log] [file: pod-12.log] [file: pod-13.log] [file: pod-14.log] [file: pod-15.log] [file: pod-16.log] [file: pod-17.log] [file: pod-18.log] [file: pod-19.log] [and 5 more files]"},
		{"file_comment", `{"type": "message", "subtype": "file_comment", "text": "", "comment": {"user": "U1", "comment": "this is the OOM stack"}}`,
			debrief.KindMessage, "sam.rivera", false, "this is the OOM stack"},
		{"bot by bot user", `{"type": "message", "subtype": "bot_message", "bot_id": "B2", "text": "CPU above 90% on db-1"}`,
			debrief.KindMessage, "grafana", true, "CPU above 90% on db-1"},
		{"bot by profile", `{"type": "message", "subtype": "bot_message", "bot_id": "B9", "bot_profile": {"name": "Opsgenie"}, "text": "", "attachments": [{"fallback": "Alert #812 acknowledged by sam"}]}`,
			debrief.KindMessage, "Opsgenie", true, "Alert #812 acknowledged by sam"},
		{"bot text and attachment", `{"type": "message", "subtype": "bot_message", "username": "CI", "text": "Deploy finished", "attachments": [{"pretext": "checkout-api v4.12.4", "fields": [{"title": "env", "value": "prod"}]}]}`,
			debrief.KindMessage, "CI", true, "Deploy finished\ncheckout-api v4.12.4\nenv: prod"},
		{"bot without name", `{"type": "message", "subtype": "bot_message", "text": "heartbeat"}`,
			debrief.KindMessage, "bot", true, "heartbeat"},
		{"bot_add by a person", `{"type": "message", "subtype": "bot_add", "user": "U1", "bot_id": "B3", "text": "added an integration to this channel: <https://x.slack.com/services/B3|github>"}`,
			debrief.KindNote, "sam.rivera", false, "added an integration to this channel: github (https://x.slack.com/services/B3)"},
		{"slackbot", `{"type": "message", "user": "USLACKBOT", "text": "Reminder: update the status page."}`,
			debrief.KindMessage, "slackbot", true, "Reminder: update the status page."},
		{"channel_leave", `{"type": "message", "subtype": "channel_leave", "user": "U1", "text": "<@U1> has left the channel"}`,
			debrief.KindNote, "sam.rivera", false, "@sam.rivera has left the channel"},
		{"channel_purpose", `{"type": "message", "subtype": "channel_purpose", "user": "U1", "text": "<@U1> set the channel purpose: checkout SEV1"}`,
			debrief.KindNote, "sam.rivera", false, "@sam.rivera set the channel purpose: checkout SEV1"},
		{"group_join", `{"type": "message", "subtype": "group_join", "user": "U1", "text": "<@U1> has joined the group"}`,
			debrief.KindJoin, "sam.rivera", false, "@sam.rivera has joined the group"},
		{"unknown subtype", `{"type": "message", "subtype": "something_new", "user": "U1", "text": "still a message"}`,
			debrief.KindMessage, "sam.rivera", false, "still a message"},
		{"unfurl left out", `{"type": "message", "user": "U1", "text": "<https://github.com/shop/checkout/pull/881>", "attachments": [{"title": "Revert pool size", "text": "long PR body"}]}`,
			debrief.KindMessage, "sam.rivera", false, "https://github.com/shop/checkout/pull/881"},
		{"shared message", `{"type": "message", "user": "U1", "text": "", "attachments": [{"is_share": true, "text": "payments-gw is rate limiting us"}]}`,
			debrief.KindMessage, "sam.rivera", false, "payments-gw is rate limiting us"},
		{"rich text only", `{"type": "message", "user": "U1", "text": "", "blocks": [{"type": "rich_text", "elements": [
				{"type": "rich_text_section", "elements": [{"type": "user", "user_id": "U1"}, {"type": "text", "text": " steps:"}]},
				{"type": "rich_text_list", "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "drain "}, {"type": "channel", "channel_id": "C1"}]},
					{"type": "rich_text_section", "elements": [{"type": "link", "url": "https://wiki.shop.example/rb", "text": "runbook"}, {"type": "emoji", "name": "fire"}, {"type": "broadcast", "range": "here"}]}]},
				{"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "kubectl get pods"}]}]}]}`,
			debrief.KindMessage, "sam.rivera", false, "@sam.rivera steps:\n- drain #general\n- runbook (https://wiki.shop.example/rb):fire:@here\nkubectl get pods"},
		{"app with bot_profile", `{"type": "message", "user": "U9", "bot_id": "B9", "bot_profile": {"name": "statuspage"}, "text": "Incident posted"}`,
			debrief.KindMessage, "statuspage", true, "Incident posted"},
		{"no actor", `{"type": "message", "subtype": "tombstone", "text": "This message was deleted.", "hidden": true}`,
			debrief.KindNote, "", false, "This message was deleted."},
		{"broken utf-8", "{\"type\": \"message\", \"user\": \"U1\", \"text\": \"caf\xe9 \\ud800 ok\"}",
			debrief.KindMessage, "sam.rivera", false, "caf\ufffd \\ud800 ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.msg[:len(tt.msg)-1] + `, "ts": "1710252190.200300"}`
			fsys := fstest.MapFS{
				"users.json":              {Data: []byte(users)},
				"channels.json":           {Data: []byte(`[{"id": "C1", "name": "general"}]`)},
				"general/2024-03-12.json": {Data: []byte("[" + msg + "]")},
			}
			got, err := parseAll(t, input(fsys, ".", "export"))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d events, want 1", len(got))
			}
			ev := got[0]
			if ev.Kind != tt.kind || ev.Actor != tt.actor || ev.Bot != tt.bot || ev.Text != tt.text {
				t.Errorf("got kind %s, actor %q, bot %v, text %q\nwant kind %s, actor %q, bot %v, text %q",
					ev.Kind, ev.Actor, ev.Bot, ev.Text, tt.kind, tt.actor, tt.bot, tt.text)
			}
			if ev.Actor != "" && (ev.Identity == nil || ev.Identity.Handle != ev.Actor || ev.Identity.Bot && !ev.Bot) {
				t.Errorf("identity %+v does not match actor %q", ev.Identity, ev.Actor)
			}
		})
	}
}
