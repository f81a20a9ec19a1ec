package slack

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// parseIntegrations emits integration_logs.json as notes: an alert webhook
// added or removed in the middle of an incident is part of its story.
// Entries of channels left out by in.Channels are left out too.
func parseIntegrations(in *ingest.Input, root string, dir *directory, kept []folder, emit ingest.Emit) error {
	var p fastjson.Parser
	doc, err := readList(in, &p, path.Join(root, "integration_logs.json"), "integration log entries", "logs")
	if doc == nil {
		return err
	}
	channels := keptChannels(in, kept)
	where := newLocator(doc.data, doc.key)
	for i, e := range doc.items {
		ev, bad := integrationEvent(e, dir, doc.in.Name)
		if bad.msg != "" {
			if err := doc.in.BadRecord(doc.in.Errorf(where.lineOf(i, bad.key), "entry %d: %s", i+1, bad.msg)); err != nil {
				return err
			}
			continue
		}
		if channels != nil && !channels[ev.Channel] {
			continue
		}
		if err := emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// keptChannels is the set of channel names kept, nil when all are.
func keptChannels(in *ingest.Input, kept []folder) map[string]bool {
	if len(in.Channels) == 0 {
		return nil
	}
	set := make(map[string]bool, len(kept))
	for _, f := range kept {
		set[f.conv.name] = true
	}
	return set
}

// integrationEvent makes the note for one integration log entry.
func integrationEvent(e *fastjson.Value, dir *directory, input string) (*debrief.Event, badRecord) {
	if e.Type() != fastjson.TypeObject {
		return nil, badRecord{msg: "expected an integration log object, found JSON " + e.Type().String()}
	}
	t, ok := integrationTime(e.Get("date"))
	if !ok {
		return nil, badRecord{key: "date", msg: `expected "date" as seconds since 1970 like "1458969700", between 1970 and 2200`}
	}
	service := firstOf(e, "service_type", "app_type", "service_id", "app_id")
	channel := strings.TrimPrefix(dir.channelName(e.GetStringBytes("channel")), "#")
	change := firstOf(e, "change_type")
	ev := &debrief.Event{
		Time: t, Source: debrief.SourceSlack, Kind: debrief.KindNote, Channel: channel,
		Text:  integrationText(change, service, channel, str(e, "reason")),
		Ref:   fmt.Sprintf("integrations/%s/%d/%s/%s", firstOf(e, "service_id", "app_id"), t.Unix(), change, channel),
		Input: input,
	}
	if p := integrationUser(e, dir); p != nil {
		ev.Actor, ev.Identity = p.Handle, p
	}
	return ev, badRecord{}
}

// integrationTime reads "date", a string or number of seconds.
func integrationTime(v *fastjson.Value) (t time.Time, ok bool) {
	if v == nil {
		return t, false
	}
	switch v.Type() {
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return parseTS(b)
	case fastjson.TypeNumber:
		return parseTS([]byte(v.String()))
	}
	return t, false
}

func integrationText(change, service, channel, reason string) string {
	if change == "" {
		change = "changed"
	}
	if service == "" {
		service = "an unnamed"
	}
	text := change + " integration " + service
	if channel != "" {
		text += " in #" + channel
	}
	if reason != "" {
		text += " (reason: " + reason + ")"
	}
	return plain([]byte(text))
}

// integrationUser is who changed the integration.
func integrationUser(e *fastjson.Value, dir *directory) *debrief.Identity {
	id, name := e.GetStringBytes("user_id"), e.GetStringBytes("user_name")
	if p, ok := dir.users[string(id)]; ok {
		return p
	}
	if len(id) == 0 && len(name) == 0 {
		return nil
	}
	if len(name) == 0 {
		name = id
	}
	var seen seenActors
	return dir.remember(&seen, id, name, func() *debrief.Identity {
		return &debrief.Identity{Source: debrief.SourceSlack, Handle: valid(name), ID: valid(id)}
	})
}

// firstOf is the first non-empty string among keys of v.
func firstOf(v *fastjson.Value, keys ...string) string {
	for _, k := range keys {
		if s := str(v, k); s != "" {
			return s
		}
	}
	return ""
}
