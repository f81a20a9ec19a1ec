package slack

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// conversation is the channel (or private group, or direct message) a
// message was posted in.
type conversation struct {
	id, name string
	ref      string // id + "/": the prefix of every Ref in it
	refBytes []byte // ref
}

func newConversation(id, name string) *conversation {
	if id == "" {
		id = name
	}
	if name == "" {
		name = id
	}
	id, name = valid([]byte(id)), valid([]byte(name))
	return &conversation{id: id, name: name, ref: id + "/", refBytes: []byte(id + "/")}
}

// badRecord says why a message was skipped: what was expected, and the key
// whose line the error points at ("" for the message itself).
type badRecord struct {
	key, msg string
}

// event makes the event for one message, or says in bad why the message
// cannot be read.
func (w *worker) event(v *fastjson.Value, conv *conversation, input string) (ev *debrief.Event, bad badRecord) {
	o, err := v.Object()
	if err != nil {
		return nil, badRecord{msg: "expected a message object, found JSON " + v.Type().String()}
	}
	m := &w.msg
	m.read(o)
	return w.eventOf(m, conv, input)
}

// eventOf makes the event of message m.
func (w *worker) eventOf(m *message, conv *conversation, input string) (ev *debrief.Event, bad badRecord) {
	t, bad := messageTime(m)
	if bad.msg != "" {
		return nil, bad
	}
	ev = w.newEvent()
	ev.Time = t
	ev.Source = debrief.SourceSlack
	ev.Kind = kind(m.subtype)
	ev.Channel = conv.name
	ev.Ref = w.str(conv.refBytes, m.ts)
	ev.Input = input
	w.setActor(ev, m)
	ev.Thread = w.thread(m, ev.Ref[len(conv.ref):])
	if edited, ok := parseTS(m.edited.GetStringBytes("ts")); ok {
		ev.Edited = edited
	}
	ev.Text = w.render(m, ev.Bot)
	return ev, badRecord{}
}

// messageTime reads the message's ts, which must be a string.
func messageTime(m *message) (time.Time, badRecord) {
	switch {
	case !m.hasTS:
		return time.Time{}, badRecord{msg: `expected "ts", the message's time, as a string like ` + tsExample}
	case m.tsType != fastjson.TypeString:
		return time.Time{}, badRecord{key: "ts", msg: fmt.Sprintf(`expected "ts" as a string like %s, found JSON %s`, tsExample, m.tsType)}
	}
	t, ok := parseTS(m.ts)
	if !ok {
		return time.Time{}, badRecord{key: "ts", msg: fmt.Sprintf(`expected "ts" as a string like %s with a time between 1970 and 2200, found %q`, tsExample, plain(m.ts))}
	}
	return t, badRecord{}
}

// thread is the ts of the thread the message belongs to, reusing ts's string
// when the message is the thread's parent.
func (w *worker) thread(m *message, ts string) string {
	switch {
	case len(m.threadTS) == 0:
		return ""
	case string(m.threadTS) == ts:
		return ts
	}
	return w.plainStr(m.threadTS)
}

// setActor sets the actor, identity and bot flag of ev from m.
func (w *worker) setActor(ev *debrief.Event, m *message) {
	p := w.identity(m)
	if p == nil {
		ev.Actor = w.actor // nobody posted it: the input's owner, if any
		return
	}
	ev.Actor, ev.Identity = p.Handle, p
	ev.Bot = p.Bot || (m.botProfile != nil && ev.Kind == debrief.KindMessage)
}

// identity finds who posted m: the integration of a bot_message, the user, or
// the uploader of an older file_share.
func (w *worker) identity(m *message) *debrief.Identity {
	d := w.dir
	switch {
	case string(m.subtype) == "bot_message":
		return d.bot(&w.seen, m.botID, m.username, m.botProfile)
	case len(m.user) > 0:
		if _, known := d.users[string(m.user)]; known {
			return d.person(&w.seen, m.user, nil)
		}
		if m.botProfile != nil {
			return d.bot(&w.seen, m.botID, m.username, m.botProfile)
		}
		return d.person(&w.seen, m.user, w.uncut(m.profile, 1))
	case len(m.botID) > 0 || len(m.username) > 0:
		return d.bot(&w.seen, m.botID, m.username, m.botProfile)
	}
	if user := m.file.GetStringBytes("user"); len(user) > 0 {
		return d.person(&w.seen, user, nil)
	}
	if user := m.comment.GetStringBytes("user"); len(user) > 0 {
		return d.person(&w.seen, user, nil)
	}
	return nil
}

// plain turns text into an event's text: trimmed, and valid UTF-8 even when
// the export holds broken bytes.
func plain(b []byte) string {
	b = bytes.TrimSpace(b)
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
