package webhook

import (
	"math/rand/v2"
	"testing"

	"github.com/valyala/fastjson"
)

// TestFingerprint checks the label-set fingerprint against ones senders
// computed themselves.
func TestFingerprint(t *testing.T) {
	tests := []struct{ labels, want string }{
		// Grafana 8 test notification (zulip fixture alert_v8.json).
		{`{"alertname":"TestAlert","instance":"Grafana"}`, "57c6d9296de2ad39"},
		// Order in the body does not matter.
		{`{"instance":"Grafana","alertname":"TestAlert"}`, "57c6d9296de2ad39"},
		// The empty label set: FNV-1a's offset basis.
		{`{}`, "cbf29ce484222325"},
	}
	for _, tt := range tests {
		o := fastjson.MustParse(tt.labels).GetObject()
		if got := string(fingerprint(o)); got != tt.want {
			t.Errorf("fingerprint(%s) = %s, want %s", tt.labels, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Pod checkout/x\n  is\tcrash looping\r\n", "Pod checkout/x is crash looping"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"no\u00a0break\u2028line", "no break line"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Clean([]byte(tt.in)); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := hasText([]byte(tt.in)); got != (tt.want != "") {
			t.Errorf("hasText(%q) = %v", tt.in, got)
		}
	}
}

func TestInspect(t *testing.T) {
	tests := []struct {
		head string
		want Shape
	}{
		{`{"receiver":"r","alerts":[{"labels":{},"startsAt":"2025-03-14T09:41:30Z"}]}`, Shape{Envelope: true}},
		{`[{"alerts":[{"labels":{"alertname":"x"}}]}]`, Shape{Envelope: true}},
		{`{"receiver":"r","alerts":[]}`, Shape{Envelope: true}},
		{`{"orgId":1,"alerts":[{"startsAt":"2025-03-14T09:41:30Z"}]}`, Shape{Envelope: true, Grafana: true}},
		{`{"alerts":[{"startsAt":"x","valueString":"[ ]"}]}`, Shape{Envelope: true, Grafana: true}},
		// An annotation called title is no Grafana mark: only a top-level title with state is.
		{`{"alerts":[{"labels":{},"annotations":{"title":"t","state":"s"}}]}`, Shape{Envelope: true}},
		{`{"ruleName":"r","state":"alerting","evalMatches":[]}`, Shape{Grafana: true, Legacy: true}},
		// Cut off at 64 KiB: the keys decide.
		{`{"receiver":"r","alerts":[{"labels":{"a":"b"},"startsAt":"2025`, Shape{Envelope: true}},
		{`{"alerts":[{"labels":{"a":"b"},"dashboardURL":"`, Shape{Envelope: true, Grafana: true}},
		{`{"alert":{"alias":"x"},"action":"Create"}`, Shape{}},
		{`plain text`, Shape{}},
	}
	for _, tt := range tests {
		if got := Inspect([]byte(tt.head)); got != tt.want {
			t.Errorf("Inspect(%s) = %+v, want %+v", tt.head, got, tt.want)
		}
	}
}

// appendClean's shortcut for text already clean gives what the rune-at-a-time
// reading gives, on any bytes.
func TestAppendCleanShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"a", "Z", "~", "=", " ", "  ", "\t", "\n", "\u00a0", "é", "\xff", "\x7f", "\x1f", "x y"}
	for range 100000 {
		var b []byte
		for n := rng.IntN(8); n > 0; n-- {
			b = append(b, parts[rng.IntN(len(parts))]...)
		}
		checkClean(t, b)
	}
}

func checkClean(t *testing.T, s []byte) {
	t.Helper()
	if got, want := appendClean([]byte("x"), s), appendCleanSlow([]byte("x"), s); string(got) != string(want) {
		t.Fatalf("appendClean(%q) = %q, want %q", s, got, want)
	}
}

func FuzzAppendClean(f *testing.F) {
	f.Add([]byte("KubePodNotReady"))
	f.Add([]byte(" two  spaces\tand a tab "))
	f.Fuzz(checkClean)
}
