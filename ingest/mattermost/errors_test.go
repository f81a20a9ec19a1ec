package mattermost

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

const (
	goodPost1 = `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"checkout 502s","create_at":1710252000123}}`
	goodPost2 = `{"type":"post","post":{"team":"acme","channel":"ops","user":"priya","message":"on it","create_at":1710252060456}}`
)

func TestBadRecords(t *testing.T) {
	tests := []struct {
		name    string
		bad     string // the line placed between two good posts, at line 3
		msg     string // part of the error message
		skipped int    // events still emitted from the bad line with --skip-bad
	}{
		{"invalid JSON", `{"type":"post","post":{"team":"acme",,}}`, "invalid JSON", 0},
		{"cut short", `{"type":"post","post":{"team":"acme","chan`, "truncated", 0},
		{"not an object", `["post"]`, "expected a JSON object", 0},
		{"no type", `{"post":{}}`, `expected "type" as a string`, 0},
		{"type not a string", `{"type":7}`, `expected "type" as a string`, 0},
		{"post not an object", `{"type":"post","post":"hello"}`, `expected "post" as an object`, 0},
		{"no channel", `{"type":"post","post":{"team":"acme","user":"sam","message":"x","create_at":1710252000000}}`, `expected "channel"`, 0},
		{"user not a string", `{"type":"post","post":{"team":"acme","channel":"ops","user":42,"message":"x","create_at":1710252000000}}`, `expected "user" as a username string`, 0},
		{"create_at a string", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"x","create_at":"1710252000000"}}`, `expected "create_at" as an integer of milliseconds`, 0},
		{"create_at missing", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"x"}}`, `expected "create_at"`, 0},
		{"create_at a fraction", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"x","create_at":1710252000.5}}`, `expected "create_at"`, 0},
		{"before 1970", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"x","create_at":-1}}`, "out of range", 0},
		{"after 2200", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"x","create_at":7258118400000}}`, "out of range", 0},
		{"beyond int64", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"x","create_at":99999999999999999999999}}`, `expected "create_at"`, 0},
		{"members not an array", `{"type":"direct_post","direct_post":{"channel_members":"sam,priya","user":"sam","message":"x","create_at":1710252000000}}`, `expected "channel_members"`, 0},
		{"user line without username", `{"type":"user","user":{"email":"sam@acme.example"}}`, `expected "username"`, 0},
		{"bad reply", `{"type":"post","post":{"team":"acme","channel":"ops","user":"sam","message":"root","create_at":1710252030000,` +
			`"replies":[{"user":"priya","message":"ok","create_at":1710252031000},{"user":"priya","message":"no time"},{"user":"sam","message":"ok","create_at":1710252032000}]}}`,
			`reply 2: expected "create_at"`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := `{"type":"version","version":1}` + "\n" + goodPost1 + "\n" + tt.bad + "\n" + goodPost2 + "\n"

			stop := parseString(t, data, nil)
			ingesttest.WantInputErrorAt(t, stop.Err, "export.jsonl", 3, tt.msg)
			if debrief.ErrorCode(stop.Err) != debrief.EINVALID {
				t.Errorf("code = %s, want %s", debrief.ErrorCode(stop.Err), debrief.EINVALID)
			}

			skip := parseString(t, data, ingesttest.Skip)
			if skip.Err != nil {
				t.Fatalf("with a skipping Bad hook: %v", skip.Err)
			}
			if len(skip.Bad) != 1 {
				t.Errorf("Bad called %d times, want 1", len(skip.Bad))
			}
			if got, want := len(skip.Events), 2+tt.skipped; got != want {
				t.Errorf("%d events, want %d", got, want)
			}
		})
	}
}

func TestTruncatedFile(t *testing.T) {
	data := `{"type":"version","version":1}` + "\n" + goodPost1 + "\n" + goodPost2[:len(goodPost2)-20]
	ingesttest.WantInputError(t, parseString(t, data, nil).Err, 3, "truncated")
}

func TestEmptyAndBlankLines(t *testing.T) {
	got := parseString(t, "\xef\xbb\xbf"+`{"type":"version","version":1}`+"\r\n\r\n  \n"+goodPost1+"\r\n", nil)
	if got.Err != nil || len(got.Events) != 1 {
		t.Fatalf("got %v and %d events, want 1 event", got.Err, len(got.Events))
	}
	none := parseString(t, "", nil)
	if none.Err != nil || len(none.Events) != 0 {
		t.Errorf("empty file: %v, %d events", none.Err, len(none.Events))
	}
}

// TestInvalidUTF8 checks that bytes that are not UTF-8 never reach a Text.
func TestInvalidUTF8(t *testing.T) {
	got := parseString(t, `{"type":"post","post":{"team":"acme","channel":"ops","user":"s`+"\xff"+`m","message":"5xx `+"\xc3\x28"+` spike \ud800","create_at":1710252000123}}`, nil)
	if got.Err != nil || len(got.Events) != 1 {
		t.Fatalf("got %v and %d events", got.Err, len(got.Events))
	}
	ev := got.Events[0]
	for _, s := range []string{ev.Text, ev.Actor, ev.Identity.Handle} {
		if !strings.Contains(s, "\uFFFD") || !utf8.ValidString(s) {
			t.Errorf("%q: want invalid bytes replaced", s)
		}
	}
}
