package render

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// appendStringRef is appendString written plainly, a rune at a time: the
// fast one must write exactly what it writes.
func appendStringRef(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20 || r == '<' || r == '>' || r == '&':
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func checkString(t *testing.T, s string) {
	got := appendString(nil, s)
	if want := appendStringRef(nil, s); string(got) != string(want) {
		t.Fatalf("%q encodes to %s, want %s", s, got, want)
	}
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
		"a plain run of more than thirty-two bytes, then <b>", "0123456789abcdef0123456789abcdef\u2028 and on",
		"seven<8", "\xe2\x80", "emoji 🎉🎉 and text after them, long enough for blocks",
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

// plainBlocksRef is what plainBlocks returns, by the table.
func plainBlocksRef(s string) int {
	for i := 0; i+32 <= len(s); i += 32 {
		for j := i; j < i+32; j++ {
			if plain[s[j]] == 0 {
				return j
			}
		}
	}
	return len(s) &^ 31
}

// TestPlainBlocks puts every byte value at every place of a block and past
// it, and checks the assembly against the table.
func TestPlainBlocks(t *testing.T) {
	if !useBlocks {
		t.Log("no AVX2 here: plainRun uses the table alone")
		return
	}
	base := []byte("The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ (plain)")
	for c := range 256 {
		for at := range 70 {
			for _, n := range []int{31, 32, 33, 64, 65, len(base)} {
				s := append([]byte(nil), base[:n]...)
				if at < n {
					s[at] = byte(c)
				}
				if got, want := plainBlocks(string(s)), plainBlocksRef(string(s)); got != want {
					t.Fatalf("plainBlocks(%q) = %d, want %d", s, got, want)
				}
			}
		}
	}
}

func FuzzPlainBlocks(f *testing.F) {
	f.Add("plain ascii text that is long enough to make a block or two of it")
	f.Add("0123456789012345678901234567890\x7f0123456789012345678901234567890\x80")
	f.Fuzz(func(t *testing.T, s string) {
		if useBlocks {
			if got, want := plainBlocks(s), plainBlocksRef(s); got != want {
				t.Fatalf("plainBlocks(%q) = %d, want %d", s, got, want)
			}
		}
		checkString(t, s)
	})
}
