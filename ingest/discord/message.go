package discord

import (
	"fmt"
	"github.com/debriefhq/debrief/ingest"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// message emits one message, or reports it through the Bad hook when it
// cannot be read.
func (d *doc) message(raw []byte) error {
	v, err := d.json.ParseBytes(raw)
	if err != nil || v.Type() != fastjson.TypeObject {
		return d.bad(raw, "expected a message object")
	}
	ev, msg := d.event(v)
	if msg != "" {
		return d.bad(raw, msg)
	}
	if !d.hasChannel {
		d.early = append(d.early, ev)
		return nil
	}
	d.place(ev)
	return d.emit(ev)
}

// bad reports the message raw, just decoded, as a bad record on its line.
func (d *doc) bad(raw []byte, msg string) error {
	return d.in.BadRecord(d.in.Errorf(lineOf(d.cr, d.dec, raw), "%s", msg))
}

// event builds the event of a message, or says what was expected instead.
func (d *doc) event(v *fastjson.Value) (*debrief.Event, string) {
	id := text(v, "id")
	if id == "" {
		return nil, `expected "id" as a string like "1217030391227191296"`
	}
	at, ok := timeOf(v, "timestamp", d.in.Zone)
	if !ok {
		return nil, fmt.Sprintf(`message %s: expected "timestamp" as an ISO 8601 time like "2024-03-12T14:02:11.482+00:00"`, id)
	}
	if !inRange(at) {
		return nil, fmt.Sprintf(`message %s: "timestamp" %s is out of range (before 1970 or after 2200)`, id, at.Format(time.RFC3339))
	}
	author := v.Get("author")
	name := text(author, "name")
	if name == "" {
		return nil, fmt.Sprintf(`message %s: expected "author" as an object with a "name"`, id)
	}
	who := d.identity(author, name)
	ev := &debrief.Event{
		Time:     at,
		Source:   debrief.SourceDiscord,
		Kind:     kindOf(text(v, "type")),
		Actor:    name,
		Text:     messageText(v, who.Bot),
		Ref:      id,
		Bot:      who.Bot,
		Input:    d.in.Name,
		Identity: who,
	}
	if edited, ok := timeOf(v, "timestampEdited", d.in.Zone); ok && inRange(edited) {
		ev.Edited = edited
	}
	ev.Thread, ev.Text = threadOf(v, ev.Text)
	return ev, ""
}

// threadOf gives the thread a message belongs to by its type: a reply
// belongs to the message it answers, the notice of a thread created to the
// thread (whose id is the reference's channel). The first message of a
// thread, which the exporter writes as type "21" with no content, is given a
// text that says what it is.
func threadOf(v *fastjson.Value, txt string) (thread, newText string) {
	ref := v.Get("reference")
	switch text(v, "type") {
	case "Reply":
		return text(ref, "messageId"), txt
	case "ThreadCreated":
		return text(ref, "channelId"), txt
	case "21", "ThreadStarterMessage":
		if id := text(ref, "messageId"); txt == "" && id != "" {
			txt = "Thread started from message " + id
		}
	}
	return "", txt
}

// place puts ev in the export's channel; in an exported thread every message
// belongs to the thread, whose id is that of the message it was started from.
func (d *doc) place(ev *debrief.Event) {
	ev.Channel = d.channel.label()
	if d.channel.thread() && d.channel.id != "" {
		ev.Thread = d.channel.id
	}
}

// identity returns the one identity of a message author, by Discord user id.
func (d *doc) identity(author *fastjson.Value, name string) *debrief.Identity {
	id := text(author, "id")
	key := id
	if key == "" {
		key = "name:" + name
	}
	if who, ok := d.authors[key]; ok {
		return who
	}
	who := &debrief.Identity{
		Source:      debrief.SourceDiscord,
		Handle:      name,
		ID:          id,
		DisplayName: text(author, "nickname"),
		Bot:         author.GetBool("isBot"),
	}
	d.authors[key] = who
	return who
}

// kindOf maps DiscordChatExporter's message type to an event kind: members
// joining are joins, other system notifications are notes, and everything
// else (Default, Reply, and types the exporter writes as numbers, like slash
// command replies) is a message.
func kindOf(typ string) debrief.Kind {
	switch typ {
	case "GuildMemberJoin", "RecipientAdd":
		return debrief.KindJoin
	case "RecipientRemove", "Call", "ChannelNameChange", "ChannelIconChange", "ChannelPinnedMessage", "ThreadCreated",
		"21", "ThreadStarterMessage":
		return debrief.KindNote
	}
	return debrief.KindMessage
}

// timeOf reads the time in the string field key of v. The exporter writes an
// offset; a time without one is taken in zone.
func timeOf(v *fastjson.Value, key string, zone *time.Location) (time.Time, bool) {
	s := string(v.GetStringBytes(key))
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if zone == nil {
		zone = time.UTC
	}
	if t, err := ingest.ParseLocal("2006-01-02T15:04:05.999999999", s, zone); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// inRange reports whether t is between 1970 and 2200; anything else is a
// mistake in the file.
func inRange(t time.Time) bool {
	return t.Unix() >= 0 && t.Unix() < 7258118400
}

// text returns the string field key of v as valid UTF-8, or "" when it is
// absent or not a string.
func text(v *fastjson.Value, key string) string {
	return strings.ToValidUTF8(string(v.GetStringBytes(key)), "\uFFFD")
}
