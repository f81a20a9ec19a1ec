package mattermost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// A page of posts from Mattermost's REST API (GET
// /api/v4/channels/{id}/posts, or a thread's /api/v4/posts/{id}/thread) is
// what someone without the server's admin rights can fetch, with a personal
// access token: {"order": [post ids, newest first], "posts": {id: post}}.
// Its posts name their author and channel by id only; a people file maps a
// user id to a person (debrief timeline --people).

// sniffAPI scores head (the start of a file, possibly cut) as an API page
// of posts: an object with "order" and "posts", whose posts carry
// "create_at" and "user_id".
func sniffAPI(head []byte) int {
	head = bytes.TrimSpace(bytes.TrimPrefix(head, []byte(ingest.BOM)))
	if len(head) == 0 || head[0] != '{' {
		return 0
	}
	for _, key := range []string{`"order"`, `"posts"`, `"create_at"`, `"user_id"`} {
		if !bytes.Contains(head, []byte(key)) {
			return 0
		}
	}
	return 80
}

// maxAPIPage bounds what is read of one page: the API serves at most 200
// posts a page (a few hundred kilobytes), and pages saved together stay far
// below it.
const maxAPIPage = 256 << 20

// parseAPI reads an API page of posts.
func parseAPI(in *ingest.Input, r io.Reader, emit ingest.Emit) error {
	data, err := io.ReadAll(io.LimitReader(r, maxAPIPage+1))
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read the file", Err: err}
	}
	// A page that cannot be read at all is one bad record: --skip-bad
	// passes over the file.
	if len(data) > maxAPIPage {
		return in.BadRecord(in.Errorf(1, "a Mattermost API page of posts over %d MiB; expected one page (at most 200 posts)", maxAPIPage>>20))
	}
	data = bytes.TrimPrefix(data, []byte(ingest.BOM))
	if !json.Valid(data) {
		var v any
		return in.BadRecord(ingest.JSONError(in, data, 1, json.Unmarshal(data, &v)))
	}
	members, err := ingest.Members(data, 1, "posts")
	if err != nil {
		return in.BadRecord(in.Errorf(1, "expected a JSON object with \"order\" and \"posts\", as Mattermost's API returns posts"))
	}
	posts, ok := members["posts"]
	if !ok || len(posts.Val) == 0 || posts.Val[0] != '{' {
		return in.BadRecord(in.Errorf(1, `expected "posts" as an object of posts by id`))
	}
	p := &parser{in: in, emit: emit, people: newPeople(), channels: newChannelFilter(in.Channels)}
	users := idNames(posts.Val)
	var fj fastjson.Parser
	return eachMember(posts.Val, posts.Line, func(id string, raw []byte, line int) error {
		v, err := fj.ParseBytes(raw)
		if err != nil || v.Type() != fastjson.TypeObject {
			return p.bad(in.Errorf(line, "post %q: expected an object", id))
		}
		e, msg := readAPIPost(v)
		if msg != "" {
			return p.bad(in.Errorf(line, "post %q: %s", id, msg))
		}
		channel := text(v, "channel_id")
		if !p.channels.selects(channel) || integerOr(v, "delete_at") > 0 {
			return nil
		}
		ref := text(v, "id")
		if ref == "" {
			ref = id
		}
		ev := p.event(e, channel, ref, text(v, "root_id"))
		if ev.Identity == nil {
			uid, ok := users[e.user]
			if !ok {
				uid = &debrief.Identity{Source: debrief.SourceMattermost, Handle: e.user, ID: e.user}
				users[e.user] = uid
			}
			ev.Actor = uid.Handle
			complete(ev, uid)
		}
		return emit(ev)
	})
}

// idNames learns the usernames behind user ids from the page's system
// posts ("priya joined the channel." carries props.username), so that a
// person who joined, left or added someone on the page is named by
// username on all their posts, their id kept as Identity.ID.
func idNames(posts []byte) map[string]*debrief.Identity {
	users := map[string]*debrief.Identity{}
	var fj fastjson.Parser
	eachMember(posts, 1, func(_ string, raw []byte, _ int) error {
		v, err := fj.ParseBytes(raw)
		if err != nil || v.Type() != fastjson.TypeObject {
			return nil
		}
		uid, name := text(v, "user_id"), text(v.Get("props"), "username")
		if uid == "" || name == "" || !strings.HasPrefix(text(v, "type"), "system_") || users[uid] != nil {
			return nil
		}
		users[uid] = &debrief.Identity{Source: debrief.SourceMattermost, Handle: name, ID: uid}
		return nil
	})
	return users
}

// readAPIPost reads what an event needs of an API post, or says what was
// expected instead.
func readAPIPost(v *fastjson.Value) (entry, string) {
	e := entry{user: text(v, "user_id"), typ: text(v, "type"), message: text(v, "message"), props: v.Get("props")}
	if e.user == "" {
		return e, `expected "user_id" as a string`
	}
	ms, ok := integer(v, "create_at")
	if !ok {
		return e, `expected "create_at" as an integer of milliseconds since 1970, like 1700000000123`
	}
	if ms < 0 || ms >= maxMillis {
		return e, fmt.Sprintf(`"create_at" %d is out of range (before 1970 or after 2200); expected milliseconds since 1970`, ms)
	}
	e.millis, e.created = ms, time.UnixMilli(ms).UTC()
	if ed, ok := integer(v, "edit_at"); ok && ed > 0 && ed < maxMillis {
		e.edited = time.UnixMilli(ed).UTC()
	}
	for _, f := range v.GetArray("metadata", "files") {
		if name := text(f, "name"); name != "" {
			e.files = append(e.files, name)
		}
	}
	return e, ""
}

// integerOr is the integer field key of v, or 0.
func integerOr(v *fastjson.Value, key string) int64 {
	n, _ := integer(v, key)
	return n
}

// eachMember calls fn with each key of the JSON object raw (valid JSON,
// starting on line line0), its raw value and the line the value starts on.
func eachMember(raw []byte, line0 int, fn func(key string, val []byte, line int) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return err
	}
	line, off := line0, 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		start := int(dec.InputOffset())
		for start < len(raw) && (raw[start] == ' ' || raw[start] == '\t' || raw[start] == '\r' || raw[start] == '\n' || raw[start] == ':') {
			start++
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return err
		}
		line += bytes.Count(raw[off:start], []byte("\n"))
		off = start
		if err := fn(key, val, line); err != nil {
			return err
		}
	}
	return nil
}
