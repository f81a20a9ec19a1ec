package render

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func checkString(t *testing.T, s string) {
	got := appendString(nil, s)
	if !json.Valid(got) {
		t.Fatalf("%q encodes to invalid JSON %s", s, got)
	}
	var back string
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if utf8.ValidString(s) && back != s {
		t.Fatalf("%q round-trips to %q", s, back)
	}
	for _, c := range []byte(got[1 : len(got)-1]) {
		if c == '<' || c == '>' || c == '&' || c < 0x20 {
			t.Fatalf("%q: %q left unescaped in %s", s, c, got)
		}
	}
}

func TestAppendStringEscapes(t *testing.T) {
	for _, s := range []string{
		"", "plain ascii text that is long enough", "12345678", "1234567\"", "<script>alert(1)</script>",
		"tab\there and newline\n", "bell\x07 and del\x7f", "naïve café — 日本語 text", "\xff\xfe broken utf8 \xc3",
		"line\u2028sep\u2029para", `back\slash and "quotes" & amps > more`, "a&b", "exactly8", "\x1f0123456789",
	} {
		checkString(t, s)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"hello world, a long plain line", "<>&\"\\\n\x00", "héllo\u2028", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(checkString)
}

// BenchmarkAppendString encodes chat lines as the benchmark's incidents
// hold them: mostly plain ASCII, with a quote, an ampersand in a URL or an
// emoji now and then.
func BenchmarkAppendString(b *testing.B) {
	lines := []string{
		"p99 on ledger is 1638ms (normally ~282ms), anything > 2s times out at the LB",
		`here's the dashboard: ledger overview (https://grafana.acme.internal/d/cbda3f90/ledger-overview?orgId=1&from=now-3h&to=now)`,
		"error rate back to baseline :tada:",
		"kubectl -n cart rollout status deploy/cart",
		`I think it's the "connection pool" again — same as last week 🙃`,
		"*Alert:* Pod shipping/shipping-0 has been in a non-ready state for >15m - `warning`\n*Description:* Pod shipping/shipping-0 has been in a non-ready state for longer than 15 minutes.",
	}
	n := 0
	for _, s := range lines {
		n += len(s)
	}
	b.SetBytes(int64(n))
	var buf []byte
	for b.Loop() {
		for _, s := range lines {
			buf = appendString(buf[:0], s)
		}
	}
}
