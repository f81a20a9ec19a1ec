package mattermost

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"

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
	if len(head) == 0 || head[0] != '{' && head[0] != '[' {
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

// parseAPI reads API pages of posts: one, pages saved one after another
// (a loop of curl >> file), or an array of them (jq -s).
func parseAPI(in *ingest.Input, r io.Reader, emit ingest.Emit) error {
	data, err := io.ReadAll(io.LimitReader(r, maxAPIPage+1))
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read the file", Err: err}
	}
	// Pages that cannot be read at all are one bad record: --skip-bad
	// passes over the file, and nothing of it is emitted.
	if len(data) > maxAPIPage {
		return in.BadRecord(in.Errorf(1, "Mattermost API pages of posts over %d MiB; expected pages of at most 200 posts", maxAPIPage>>20))
	}
	data = bytes.TrimPrefix(data, []byte(ingest.BOM))
	pages, ierr := apiPages(in, data)
	if ierr != nil {
		return in.BadRecord(ierr)
	}
	users := map[string]*debrief.Identity{}
	for _, pg := range pages {
		idNames(users, pg.Val)
	}
	p := &parser{in: in, emit: emit, people: newPeople(), channels: newChannelFilter(in.Channels)}
	var fj fastjson.Parser
	kept, other := 0, map[string]bool{}
	for _, pg := range pages {
		err := eachMember(pg.Val, pg.Line, func(id string, raw []byte, line int) error {
			v, err := fj.ParseBytes(raw)
			if err != nil || v.Type() != fastjson.TypeObject {
				return p.bad(in.Errorf(line, "post %q: expected an object", id))
			}
			e, msg := readAPIPost(v)
			if msg != "" {
				return p.bad(in.Errorf(line, "post %q: %s", id, msg))
			}
			channel := text(v, "channel_id")
			if !p.channels.selects(channel) {
				other[channel] = true
				return nil
			}
			if integerOr(v, "delete_at") > 0 {
				return nil
			}
			kept++
			ref := cmp.Or(text(v, "id"), id)
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
		if err != nil {
			return err
		}
	}
	if kept == 0 && len(other) > 0 {
		ids := slices.Sorted(maps.Keys(other))
		in.Notef("%s: Mattermost's API names channels by id (%s); --channel matched none of them", in.Name, strings.Join(ids[:min(len(ids), 5)], ", "))
	}
	return nil
}

// apiPages finds the "posts" of each page in data, with its line.
func apiPages(in *ingest.Input, data []byte) ([]ingest.Member, *debrief.InputError) {
	var pages []ingest.Member
	page := func(raw []byte, line int) *debrief.InputError {
		m, err := ingest.Members(raw, line, "posts")
		posts, ok := m["posts"]
		if err != nil || !ok || len(posts.Val) == 0 || posts.Val[0] != '{' {
			return in.Errorf(line, `expected a page of posts as Mattermost's API returns it: an object with "order" and "posts", the posts by id`)
		}
		pages = append(pages, posts)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, ingest.JSONError(in, data, 1, err)
		}
		end := dec.InputOffset()
		start := end - int64(len(raw))
		line := 1 + bytes.Count(data[:start], []byte("\n"))
		if raw[0] == '[' { // jq -s: an array of pages
			var ierr *debrief.InputError
			if err := ingest.Elements(in, raw, line, func(el []byte, line int) error {
				ierr = page(el, line)
				if ierr != nil {
					return ierr
				}
				return nil
			}); ierr != nil {
				return nil, ierr
			} else if err != nil {
				return nil, in.Errorf(line, "%v", err)
			}
			continue
		}
		if ierr := page(raw, line); ierr != nil {
			return nil, ierr
		}
	}
	if len(pages) == 0 {
		return nil, in.Errorf(1, "expected a page of posts from Mattermost's API, found an empty file")
	}
	return pages, nil
}

// idNames learns the usernames behind user ids from the page's system
// posts ("priya joined the channel." carries props.username), so that a
// person who joined, left or added someone on the page is named by
// username on all their posts, their id kept as Identity.ID.
func idNames(users map[string]*debrief.Identity, posts []byte) {
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
}

// readAPIPost reads what an event needs of an API post, or says what was
// expected instead.
func readAPIPost(v *fastjson.Value) (entry, string) {
	e := entry{user: text(v, "user_id"), typ: text(v, "type"), message: text(v, "message"), props: v.Get("props")}
	if e.user == "" {
		return e, `expected "user_id" as a string`
	}
	if msg := e.readTimes(v); msg != "" {
		return e, msg
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
