package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/valyala/fastjson"
)

// fields is what a message read gives an event, as comparable text: the
// string fields and the nested values, re-encoded.
func fields(m *message, cut [len(trimmed)][]byte) string {
	var b strings.Builder
	for _, f := range []struct {
		k string
		v []byte
	}{{"ts", m.ts}, {"thread_ts", m.threadTS}, {"user", m.user}, {"text", m.text}, {"subtype", m.subtype},
		{"username", m.username}, {"bot_id", m.botID}} {
		fmt.Fprintf(&b, "%s=%q\n", f.k, f.v)
	}
	var p fastjson.Parser
	for _, f := range []struct {
		k string
		v *fastjson.Value
		c []byte
	}{{"attachments", m.attachments, nil}, {"files", m.files, nil}, {"file", m.file, nil}, {"comment", m.comment, nil},
		{"edited", m.edited, nil}, {"bot_profile", m.botProfile, nil}, {"blocks", m.blocks, cut[0]}, {"user_profile", m.profile, cut[1]}} {
		v := f.v
		if v == nil && f.c != nil {
			v, _ = p.ParseBytes(f.c)
		}
		if v != nil {
			fmt.Fprintf(&b, "%s=%s\n", f.k, v.MarshalTo(nil))
		}
	}
	return b.String()
}

// slowRead is how a message is read without the walk: parsed whole.
func slowRead(t *testing.T, msg []byte) (string, bool) {
	var p fastjson.Parser
	v, err := p.ParseBytes(msg)
	if err != nil {
		return "", false
	}
	o, err := v.Object()
	if err != nil {
		return "", false
	}
	var m message
	m.read(o)
	if m.tsValue == nil || m.tsValue.Type() != fastjson.TypeString {
		return "", false
	}
	m.ts, _ = m.tsValue.StringBytes()
	return fields(&m, [len(trimmed)][]byte{}), true
}

// checkWalk walks msg and, where the walk reads it, compares what it read
// with the parser's reading of the whole message.
func checkWalk(t *testing.T, msg []byte) bool {
	t.Helper()
	var wk walker
	var p fastjson.Parser
	var m message
	cut, ok := wk.walk(msg, &p, &m)
	if !ok {
		return false
	}
	want, valid := slowRead(t, msg)
	if !valid {
		// The walk does not check what it steps over; it must still have
		// found a ts.
		if !m.tsRead {
			t.Errorf("walk read a message without its ts:\n%s", msg)
		}
		return true
	}
	if got := fields(&m, cut); got != want {
		t.Errorf("walk read\n%s\nthe parser read\n%s\nfrom\n%s", got, want, msg)
	}
	return true
}

const walkMessage = `{
    "user": "U0Z1QBCCTXZ",
    "type": "message",
    "ts": "1709597230.082834",
    "client_msg_id": "053cf78d-6a96-b247-8f43-8bfe03eba35b",
    "text": "<@U0Z18280NRX> rolled back cart to v2.21.19, let\u2019s hold \ud83d\ude80 https:\/\/x.io \"q\" \\ end",
    "team": "T04PLATF0RM",
    "user_profile": {
        "avatar_hash": "d6dd0074e3d0",
        "display_name": "amir",
        "name": "amir.costa",
        "is_restricted": false
    },
    "blocks": [
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "text",
                    "text": "]\n    ]"
                }
            ]
        }
    ],
    "thread_ts": "1709597230.082834",
    "reply_count": 22,
    "reply_users": [
        "U0A7771UGX7"
    ],
    "replies": [
        {
            "user": "U0A7771UGX7",
            "ts": "1709599081.988049"
        }
    ],
    "edited": {
        "user": "U0Z1QBCCTXZ",
        "ts": "1709597299.000000"
    },
    "is_locked": false,
    "reactions": []
}`

const walkBot = `{
    "type": "message",
    "subtype": "bot_message",
    "text": "",
    "ts": "1704067703.956739",
    "username": "Alertmanager",
    "bot_id": "B0Y5TX908B7",
    "icons": {
        "image_48": "https:\/\/avatars.slack-edge.com\/bots\/B0Y5TX908B7_48.png"
    },
    "attachments": [
        {
            "id": 1,
            "color": "E01E5A",
            "fallback": "[FIRING:3] KubePodNotReady (shipping staging-eu-1)",
            "text": "*Alert:* Pod has been in a non-ready state for &gt;15m"
        }
    ]
}`

func TestWalk(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		walk bool // the walk reads it (else the parser does)
	}{
		{"a person's message", walkMessage, true},
		{"a bot's message", walkBot, true},
		{"tabs", strings.ReplaceAll(walkBot, "    ", "\t"), true},
		{"two-space indent", strings.ReplaceAll(walkMessage, "    ", "  "), true},
		{"ts last", "{\n    \"text\": \"x\",\n    \"ts\": \"1.5\"\n}", true},
		{"numbers and literals skipped", "{\n    \"ts\": \"1.5\",\n    \"n\": -1.5e+3,\n    \"b\": true,\n    \"z\": null\n}", true},
		{"user null", "{\n    \"ts\": \"1.5\",\n    \"user\": null\n}", true},
		{"text a number", "{\n    \"ts\": \"1.5\",\n    \"text\": 12\n}", true},
		{"lone surrogate goes to the parser", "{\n    \"ts\": \"1.5\",\n    \"text\": \"a \\ud83d b\"\n}", true},
		{"unknown escape goes to the parser", "{\n    \"ts\": \"1.5\",\n    \"text\": \"a \\x b\"\n}", true},
		{"escaped ts", "{\n    \"ts\": \"1\\u002e5\"\n}", true},
		{"empty nested values", "{\n    \"ts\": \"1.5\",\n    \"blocks\": [],\n    \"attachments\": [],\n    \"edited\": {}\n}", true},

		{"compact", `{"ts":"1.5","text":"x"}`, false},
		{"no ts", "{\n    \"text\": \"x\"\n}", false},
		{"ts a number", "{\n    \"ts\": 1.5\n}", false},
		{"repeated key", "{\n    \"ts\": \"1.5\",\n    \"text\": \"a\",\n    \"text\": \"b\"\n}", false},
		{"two keys on a line", "{\n    \"ts\": \"1.5\", \"text\": \"a\"\n}", false},
		{"trailing comma", "{\n    \"ts\": \"1.5\",\n}", false},
		{"missing comma", "{\n    \"ts\": \"1.5\"\n    \"text\": \"a\"\n}", false},
		{"nested value on one line", "{\n    \"ts\": \"1.5\",\n    \"attachments\": [{\"text\": \"a\"}]\n}", false},
		{"uneven indentation", "{\n    \"ts\": \"1.5\",\n    \"blocks\": [\n        [\n    ],\n        2\n    ],\n    \"text\": \"x\"\n}", false},
		{"closing brace indented like keys", "{\n    \"ts\": \"1.5\"\n    }", false},
		{"blocks a string", "{\n    \"ts\": \"1.5\",\n    \"blocks\": \"x\"\n}", false},
		{"string across lines", "{\n    \"ts\": \"1.5\",\n    \"text\": \"a\nb\"\n}", false},
		{"gathered value not JSON", "{\n    \"ts\": \"1.5\",\n    \"edited\": {\n        \"ts\": \n    }\n}", false},
		{"not an object", "[\n    1\n]", false},
		{"no value", "{\n    \"ts\": ,\n    \"x\": 1\n}", false},
		{"no text value", "{\n    \"ts\": \"1.5\",\n    \"text\": ,\n    \"x\": 1\n}", false},
		{"no blocks value", "{\n    \"ts\": \"1.5\",\n    \"blocks\": \n}", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := checkWalk(t, []byte(c.in)); got != c.walk {
				t.Errorf("walk read it: %v, want %v", got, c.walk)
			}
		})
	}
}

// TestDayFileOddIndentation reads day files that are valid JSON laid out
// unevenly (a nested value closing at another indentation, inner lines at
// the top level's): every message is read, as the parser reads it.
func TestDayFileOddIndentation(t *testing.T) {
	for name, day := range map[string]string{
		"nested value closes deeper": "[\n  {\n    \"ts\": \"1.5\",\n    \"text\": \"first\",\n    \"x\": {\n      \"a\": 1\n      }\n  },\n" +
			"  {\n    \"ts\": \"2.5\",\n    \"text\": \"second\",\n    \"y\": {\n        \"b\": 1\n    }\n  }\n]",
		// {"x":{"k":[{"a":{},"ts":"1.5","text":"inner"},{"b":{"c":1}}]},"ts":"2.5","text":"real"}
		"inner lines at the top level": "[\n  {\n    \"x\": {\n      \"k\": [\n        {\n          \"a\": {}\n    ,\n    \"ts\": \"1.5\",\n    \"text\": \"inner\"\n  },\n" +
			"        {\n          \"b\": {\n            \"c\": 1\n    }\n  }\n      ]\n    },\n    \"ts\": \"2.5\",\n    \"text\": \"real\"\n  }\n]",
		"empty value": "[\n  {\n    \"ts\": ,\n    \"x\": 1\n  }\n]",
	} {
		t.Run(name, func(t *testing.T) {
			var want []string
			var msgs []map[string]any
			if err := json.Unmarshal([]byte(day), &msgs); err != nil && name != "empty value" {
				t.Fatalf("the test's day file is not JSON: %v", err)
			} else if err == nil {
				for _, m := range msgs {
					want = append(want, fmt.Sprint(m["ts"], " ", m["text"]))
				}
			}
			in := input(fstest.MapFS{"users.json": {Data: []byte(`[{"id": "U1", "name": "sam"}]`)},
				"general/2024-03-12.json": {Data: []byte(day)}}, ".", "export")
			in.Bad = ingesttest.Skip
			var got []string
			res := ingesttest.Parse(t, Parse, in)
			for _, b := range res.Bad {
				t.Logf("bad record: %v", b)
			}
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			for _, ev := range res.Events {
				got = append(got, fmt.Sprintf("%d.5 %s", ev.Time.Unix(), ev.Text))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("read %q, want %q", got, want)
			}
		})
	}
}

// TestWalkCorpus walks every message of the real exports: where the walk
// reads one, it reads what the parser reads.
func TestWalkCorpus(t *testing.T) {
	files, _ := filepath.Glob(ingesttest.CorpusPath("slack", "*", "*.unpacked", "*", "*.json"))
	if len(files) == 0 {
		ingesttest.Absent(t, "no Slack export day files under %s", ingesttest.CorpusPath("slack"))
	}
	own, _ := filepath.Glob("testdata/export/*/*.json")
	files = append(files, own...)
	walked, all := 0, 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		splitArray(data, func(s, e int) error {
			all++
			if checkWalk(t, data[s:e]) {
				walked++
			}
			return nil
		})
	}
	t.Logf("%d files: the walk read %d of %d messages", len(files), walked, all)
	if walked == 0 {
		t.Error("the walk read no message of the real exports")
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{``, `plain`, `a\"b`, `\\`, `\/\b\f\n\r\t`, `let\u2019s`, `\ud83d\ude80`, `\u00e9\u0000`,
		`\ud83d\u0041`, `\uDE80\ud83d`, `\u12`, `\x`, `end\`, `\u004G`} {
		checkJSONString(t, s)
	}
}

func checkJSONString(t *testing.T, s string) {
	t.Helper()
	got, ok := appendJSONString(nil, []byte(s))
	if !ok {
		return // left to the parser
	}
	var p fastjson.Parser
	v, err := p.Parse(`"` + s + `"`)
	if err != nil {
		t.Errorf("appendJSONString(%q) read what the parser refuses: %v", s, err)
		return
	}
	if want := v.GetStringBytes(); !bytes.Equal(got, want) {
		t.Errorf("appendJSONString(%q) = %q, the parser reads %q", s, got, want)
	}
	var viaJSON string
	if utf8.ValidString(s) && json.Unmarshal([]byte(`"`+s+`"`), &viaJSON) == nil && viaJSON != string(got) && !strings.Contains(s, `\u`) {
		t.Errorf("appendJSONString(%q) = %q, encoding/json reads %q", s, got, viaJSON)
	}
}

// FuzzWalk feeds messages to the walk: it must never panic, and what it
// reads must be what the parser reads. The second half of the seeds are
// laid out as an export lays messages out, so that most inputs get past
// the layout checks to the values.
func FuzzWalk(f *testing.F) {
	f.Add([]byte(walkMessage), "")
	f.Add([]byte(walkBot), "")
	f.Add([]byte("{\n    \"ts\": \"1.5\"\n}"), `a\u00e9\ud83d\ude80\"`)
	f.Fuzz(func(t *testing.T, msg []byte, text string) {
		checkWalk(t, msg)
		// The same message with text as the value of "text".
		laid := fmt.Sprintf("{\n    \"ts\": \"1.5\",\n    \"text\": \"%s\",\n    \"blocks\": [\n        {\n            \"t\": \"%s\"\n        }\n    ]\n}", text, text)
		checkWalk(t, []byte(laid))
		checkJSONString(t, text)
	})
}
