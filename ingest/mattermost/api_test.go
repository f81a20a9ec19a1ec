package mattermost

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

// TestAPIPage reads a page of posts as Mattermost's REST API returns it
// (curl .../api/v4/channels/ID/posts | jq): a webhook's alert, a join, an
// edited post with a file, a reply, and a deleted post, which is left out.
func TestAPIPage(t *testing.T) {
	const file = "api-channel-posts.json"
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	res := ingesttest.ParseData(t, Parse, file, data, nil).ByTime()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	const channel = "4n7xq2kd9mbr3yt6wzc1fg8hje"
	priya := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "priya", ID: "w2c8x5kq9zmf1ry7tb3nd6hjgo"}
	anon := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "8mzq1rjd3fbx7nyk5tw6hcg9oa", ID: "8mzq1rjd3fbx7nyk5tw6hcg9oa"}
	alerts := &debrief.Identity{Source: debrief.SourceMattermost, Handle: "alertmanager", Bot: true}
	ev := func(at string, kind debrief.Kind, id *debrief.Identity, text, ref, thread string) *debrief.Event {
		return &debrief.Event{Time: ingesttest.Time(t, at), Source: debrief.SourceMattermost, Kind: kind, Actor: id.Handle,
			Channel: channel, Text: text, Ref: ref, Thread: thread, Bot: id.Bot, Input: file, Identity: id}
	}
	edited := ev("2024-06-02T14:06:00.5Z", debrief.KindMessage, priya,
		"I think it's the pgbouncer pool again, see the log\n[attachment: pgbouncer.log]", "b7n2kx5wqjr1mf3tyg8z6cpo4d", "")
	edited.Edited = ingesttest.Time(t, "2024-06-02T14:07:02Z")
	want := []*debrief.Event{
		ev("2024-06-02T14:03:27.12Z", debrief.KindMessage, alerts,
			"[FIRING:1] CheckoutErrorRate critical\n5xx ratio on checkout above 5% for 5m", "f1k8c3nz7yqb2xr5tm9wd6hj4e", ""),
		ev("2024-06-02T14:05:00Z", debrief.KindJoin, priya, "priya joined the channel.", "t3m9zq6yxh1ckr8wfn2bd5gj7o", ""),
		edited,
		ev("2024-06-02T14:08:10Z", debrief.KindMessage, anon, "agreed, let's roll back checkout to v2.40.3",
			"9xw3fzq1bjgo8r6tcn5k7hdm2a", "b7n2kx5wqjr1mf3tyg8z6cpo4d"),
	}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestAPIPageBadPosts: a post without its time is a bad record naming the
// line and the post; skipped, the others stand. JSON that is not complete
// says where it ends.
func TestAPIPageBadPosts(t *testing.T) {
	page := `{
  "order": ["a", "b"],
  "posts": {
    "a": {"id": "a", "create_at": 1717337100000, "user_id": "u1", "channel_id": "c", "message": "hello"},
    "b": {"id": "b", "user_id": "u1", "channel_id": "c", "message": "no time"}
  }
}`
	res := ingesttest.ParseData(t, Parse, "page.json", []byte(page), nil)
	if ie := ingesttest.AsInputError(t, res.Err); ie.Line != 5 || !strings.Contains(ie.Msg, `post "b": expected "create_at"`) {
		t.Errorf("error %v; want line 5, post \"b\" without create_at", res.Err)
	}
	res = ingesttest.ParseData(t, Parse, "page.json", []byte(page), ingesttest.Skip)
	if res.Err != nil || len(res.Events) != 1 || res.Events[0].Text != "hello" {
		t.Errorf("skipping: %d events, %v; want the good post", len(res.Events), res.Err)
	}
	res = ingesttest.ParseData(t, Parse, "page.json", []byte(page[:len(page)-40]), nil)
	if ie := ingesttest.AsInputError(t, res.Err); !regexp.MustCompile(`truncated|invalid JSON`).MatchString(ie.Msg) {
		t.Errorf("cut page: %v; want an error that says the JSON ends early", res.Err)
	}
}

func TestSniffAPIHeads(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`{"order":["a"],"posts":{"a":{"id":"a","create_at":1717337100000,"user_id":"u1","message":"hi"}}}`, true},
		{"{\n  \"order\": [\"a\"],\n  \"posts\": {\n    \"a\": {\n      \"id\": \"a\",\n      \"create_at\": 1,\n      \"user_id\": \"u\"", true},
		{`{"ok":true,"messages":[{"type":"message","user":"U1","text":"hi","ts":"1717337100.000100"}],"has_more":false}`, false},
		{`{"order":[],"posts":{}}`, false}, // nothing to tell it by, and nothing to read
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), "page.json") >= 80; got != tt.want {
			t.Errorf("Sniff(%.60q) claims it: %v, want %v", tt.head, got, tt.want)
		}
	}
}

// TestAPIPagesTogether: pages saved one after another (a loop of curl >>
// file) or as an array (jq -s) are all read; --channel, which API pages
// cannot match by name, says so when it leaves nothing.
func TestAPIPagesTogether(t *testing.T) {
	page := func(id string, at int64) string {
		return fmt.Sprintf(`{"order":[%q],"posts":{%q:{"id":%q,"create_at":%d,"user_id":"u1","channel_id":"c1","message":"post %s"}}}`, id, id, id, at, id)
	}
	for _, data := range []string{
		page("a", 1717337100000) + "\n" + page("b", 1717337200000) + "\n",
		"[" + page("a", 1717337100000) + ",\n" + page("b", 1717337200000) + "]\n",
	} {
		if Sniff([]byte(data), "pages.json") < 80 {
			t.Errorf("Sniff(%.40q) does not claim it", data)
		}
		res := ingesttest.ParseData(t, Parse, "pages.json", []byte(data), nil)
		if res.Err != nil || len(res.Events) != 2 {
			t.Errorf("%.40q: %d events, %v; want both pages' posts", data, len(res.Events), res.Err)
		}
	}
	in := ingesttest.DataInput("pages.json", []byte(page("a", 1717337100000)))
	in.Channels = []string{"inc-checkout"}
	res := ingesttest.Parse(t, Parse, in)
	if len(res.Events) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "--channel matched none") {
		t.Errorf("--channel by name: %d events, notes %q; want none and a note that API pages name channels by id", len(res.Events), res.Notes)
	}
}
