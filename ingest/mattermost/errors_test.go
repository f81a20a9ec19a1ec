package mattermost

import (
	"errors"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
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

			stop := parseString(t, data, false)
			var ie *debrief.InputError
			if !errors.As(stop.err, &ie) {
				t.Fatalf("err = %v, want an *debrief.InputError", stop.err)
			}
			if ie.Line != 3 || ie.File != "export.jsonl" || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("err = %q (line %d), want line 3 saying %q", ie, ie.Line, tt.msg)
			}
			if debrief.ErrorCode(stop.err) != debrief.EINVALID {
				t.Errorf("code = %s, want %s", debrief.ErrorCode(stop.err), debrief.EINVALID)
			}

			skip := parseString(t, data, true)
			if skip.err != nil {
				t.Fatalf("with a skipping Bad hook: %v", skip.err)
			}
			if len(skip.bad) != 1 {
				t.Errorf("Bad called %d times, want 1", len(skip.bad))
			}
			if got, want := len(skip.events), 2+tt.skipped; got != want {
				t.Errorf("%d events, want %d", got, want)
			}
		})
	}
}

func TestTruncatedFile(t *testing.T) {
	data := `{"type":"version","version":1}` + "\n" + goodPost1 + "\n" + goodPost2[:len(goodPost2)-20]
	got := parseString(t, data, false)
	var ie *debrief.InputError
	if !errors.As(got.err, &ie) || ie.Line != 3 || !strings.Contains(ie.Msg, "truncated") {
		t.Fatalf("err = %v, want a truncated error on line 3", got.err)
	}
}

func TestEmptyAndBlankLines(t *testing.T) {
	got := parseString(t, "\xef\xbb\xbf"+`{"type":"version","version":1}`+"\r\n\r\n  \n"+goodPost1+"\r\n", false)
	if got.err != nil || len(got.events) != 1 {
		t.Fatalf("got %v and %d events, want 1 event", got.err, len(got.events))
	}
	none := parseString(t, "", false)
	if none.err != nil || len(none.events) != 0 {
		t.Errorf("empty file: %v, %d events", none.err, len(none.events))
	}
}

// TestInvalidUTF8 checks that bytes that are not UTF-8 never reach a Text.
func TestInvalidUTF8(t *testing.T) {
	got := parseString(t, `{"type":"post","post":{"team":"acme","channel":"ops","user":"s`+"\xff"+`m","message":"5xx `+"\xc3\x28"+` spike \ud800","create_at":1710252000123}}`, false)
	if got.err != nil || len(got.events) != 1 {
		t.Fatalf("got %v and %d events", got.err, len(got.events))
	}
	ev := got.events[0]
	for _, s := range []string{ev.Text, ev.Actor, ev.Identity.Handle} {
		if !strings.Contains(s, "\uFFFD") || !isValid(s) {
			t.Errorf("%q: want invalid bytes replaced", s)
		}
	}
}
