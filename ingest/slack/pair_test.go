package slack

import (
	"bytes"
	"strings"
	"testing"
)

func TestIndexLine(t *testing.T) {
	closer := []byte("\n    }")
	elem := `    {
        "user": "U1",
        "blocks": [
            {
                "type": "rich_text"
            }
        ],
        "text": "a } at the start\n    } of an escaped line"
    },
    {`
	for _, tc := range []struct {
		name string
		b    string
		pat  []byte
	}{
		{"message end", elem, closer},
		{"absent", strings.Repeat(" ", 100), closer},
		{"short", "\n }", []byte("\n }")},
		{"at the very end", strings.Repeat("x", 70) + "\n    }", closer},
		{"near misses first", strings.Repeat("\n   }\n     }", 20) + "\n    }", closer},
		{"two bytes", "ab\n]cd", []byte("\n]")},
		{"empty", "", closer},
	} {
		if got, want := indexLine([]byte(tc.b), tc.pat), bytes.Index([]byte(tc.b), tc.pat); got != want {
			t.Errorf("%s: indexLine = %d, want %d", tc.name, got, want)
		}
	}
}

// TestIndexLineEveryPlace puts the pattern, and near misses of it, at every
// offset of inputs around the 32-byte block size, so both the AVX2 blocks
// and the tail after them are checked at each position.
func TestIndexLineEveryPlace(t *testing.T) {
	for _, pat := range []string{"\n}", "\n    }", "\n        ]", "\n\t\t}"} {
		for n := 0; n < 100; n++ {
			for at := 0; at+len(pat) <= n; at++ {
				b := bytes.Repeat([]byte{' '}, n)
				// a near miss first: the newline and the last byte, wrong middle
				if at >= len(pat) && len(pat) > 2 {
					b[0], b[len(pat)-1], b[1] = '\n', pat[len(pat)-1], 'x'
				}
				copy(b[at:], pat)
				if got, want := indexLine(b, []byte(pat)), bytes.Index(b, []byte(pat)); got != want {
					t.Fatalf("%q in %q: %d, want %d", pat, b, got, want)
				}
			}
		}
	}
}

func FuzzIndexLine(f *testing.F) {
	f.Add([]byte("    {\n        \"a\": 1\n    }"), 4, byte('}'))
	f.Add([]byte("\n]\n  ]"), 0, byte(']'))
	f.Fuzz(func(t *testing.T, b []byte, spaces int, last byte) {
		if spaces < 0 || spaces > 40 {
			return
		}
		pat := append(append([]byte{'\n'}, bytes.Repeat([]byte{' '}, spaces)...), last)
		if got, want := indexLine(b, pat), bytes.Index(b, pat); got != want {
			t.Fatalf("indexLine(%q, %q) = %d, want %d", b, pat, got, want)
		}
	})
}
