package mattermost

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// maxMillis is 2200-01-01T00:00:00Z in milliseconds: later create_at values
// are taken for mistakes (seconds read as something else, or garbage).
const maxMillis = 7258118400000

// entry holds the fields that posts, replies and direct posts share.
type entry struct {
	user, typ, message string
	millis             int64
	created, edited    time.Time
	props              *fastjson.Value
	files              []string
}

// post emits a channel post and its replies.
func (p *parser) post(v *fastjson.Value, n int) error {
	if v == nil || v.Type() != fastjson.TypeObject {
		return p.bad(p.in.Errorf(n, `expected "post" as an object`))
	}
	team, channel := text(v, "team"), text(v, "channel")
	if channel == "" {
		return p.bad(p.in.Errorf(n, `expected "channel" as a channel name string`))
	}
	if !p.channels.selects(channel, team+"/"+channel) {
		return nil
	}
	return p.thread(v, n, team, channel)
}

// directPost emits a direct or group message and its replies. Its channel is
// the members' usernames, sorted so that every post of one conversation
// agrees however the export ordered them.
func (p *parser) directPost(v *fastjson.Value, n int) error {
	if v == nil || v.Type() != fastjson.TypeObject {
		return p.bad(p.in.Errorf(n, `expected "direct_post" as an object`))
	}
	members, ok := usernames(v.GetArray("channel_members"))
	if !ok {
		return p.bad(p.in.Errorf(n, `expected "channel_members" as an array of usernames like ["sam","priya"]`))
	}
	channel := strings.Join(members, ",")
	if !p.channels.selects(channel) {
		return nil
	}
	return p.thread(v, n, "", channel)
}

// usernames reads a non-empty array of strings, sorted.
func usernames(arr []*fastjson.Value) ([]string, bool) {
	if len(arr) == 0 {
		return nil, false
	}
	names := make([]string, 0, len(arr))
	for _, m := range arr {
		s, err := m.StringBytes()
		if err != nil || len(s) == 0 {
			return nil, false
		}
		names = append(names, strings.ToValidUTF8(string(s), "\uFFFD"))
	}
	slices.Sort(names)
	return names, true
}

// thread emits a root post and then each of its replies, which carry the
// root's Ref as Thread. A bad reply is reported and skipped alone.
func (p *parser) thread(v *fastjson.Value, n int, team, channel string) error {
	root, msg := readEntry(v)
	if msg != "" {
		return p.bad(p.in.Errorf(n, "%s", msg))
	}
	rootRef := ref(team, channel, root.user, root.millis)
	if err := p.send(p.event(root, channel, rootRef, "")); err != nil {
		return err
	}
	for i, r := range v.GetArray("replies") {
		reply, msg := readEntry(r)
		if msg != "" {
			if err := p.bad(p.in.Errorf(n, "reply %d: %s", i+1, msg)); err != nil {
				return err
			}
			continue
		}
		ev := p.event(reply, channel, ref(team, channel, reply.user, reply.millis), rootRef)
		if err := p.send(ev); err != nil {
			return err
		}
	}
	return nil
}

// readEntry reads the shared fields of a post or reply, or says what was
// expected instead.
func readEntry(v *fastjson.Value) (entry, string) {
	if v == nil || v.Type() != fastjson.TypeObject {
		return entry{}, "expected an object"
	}
	e := entry{user: text(v, "user"), typ: text(v, "type"), message: text(v, "message"), props: v.Get("props")}
	if e.user == "" {
		return e, `expected "user" as a username string`
	}
	if msg := e.readTimes(v); msg != "" {
		return e, msg
	}
	for _, a := range v.GetArray("attachments") {
		if p := text(a, "path"); p != "" {
			e.files = append(e.files, path.Base(p))
		}
	}
	return e, ""
}

// readTimes reads create_at and edit_at, which bulk exports and the API
// write alike, or says what was expected instead.
func (e *entry) readTimes(v *fastjson.Value) string {
	ms, ok := integer(v, "create_at")
	if !ok {
		return `expected "create_at" as an integer of milliseconds since 1970, like 1700000000123`
	}
	if ms < 0 || ms >= maxMillis {
		return fmt.Sprintf(`"create_at" %d is out of range (before 1970 or after 2200); expected milliseconds since 1970`, ms)
	}
	e.millis, e.created = ms, time.UnixMilli(ms).UTC()
	if ed, ok := integer(v, "edit_at"); ok && ed > 0 && ed < maxMillis {
		e.edited = time.UnixMilli(ed).UTC()
	}
	return ""
}

// ref is the stable id of a post: Mattermost's importer itself treats team,
// channel, author and create_at as what identifies a post.
func ref(team, channel, user string, millis int64) string {
	h := sha256.New()
	for _, s := range []string{team, channel, user, strconv.FormatInt(millis, 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// event builds the event of one post or reply.
func (p *parser) event(e entry, channel, ref, thread string) *debrief.Event {
	ev := &debrief.Event{
		Time:    e.created,
		Source:  debrief.SourceMattermost,
		Kind:    kindOf(e),
		Actor:   e.user,
		Channel: channel,
		Text:    postText(e),
		Ref:     ref,
		Thread:  thread,
		Edited:  e.edited,
		Input:   p.in.Name,
	}
	if text(e.props, "from_webhook") == "true" || text(e.props, "from_bot") == "true" {
		ev.Bot = true
		if name := text(e.props, "override_username"); name != "" {
			ev.Actor = name
			ev.Identity = p.people.webhook(name)
		}
	}
	return ev
}

// integer reads the integer field key of v.
func integer(v *fastjson.Value, key string) (int64, bool) {
	f := v.Get(key)
	if f == nil {
		return 0, false
	}
	n, err := f.Int64()
	return n, err == nil
}
