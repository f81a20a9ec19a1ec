package slack

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// collect reads every element of data through the stream, retrying guesses
// that do not parse as the worker does.
func collect(t *testing.T, data string) []string {
	t.Helper()
	var s arrayStream
	s.buf = make([]byte, 16) // tiny window: every element crosses a refill
	s.reset(strings.NewReader(data))
	var out []string
	for {
		elem, _, state, err := s.next()
		if err != nil {
			t.Fatal(err)
		}
		if state == streamEnd {
			return out
		}
		if state == streamBad {
			t.Fatalf("stream says bad after %q", out)
		}
		if !validJSON(elem) {
			if elem, _, state, err = s.retry(); err != nil || state != streamElem {
				t.Fatalf("retry: %v %v", state, err)
			}
		}
		out = append(out, string(bytes.TrimSpace(elem)))
	}
}

func validJSON(b []byte) bool {
	var w worker
	_, err := w.p.ParseBytes(b)
	return err == nil
}

func TestArrayStreamGuessesAndRetries(t *testing.T) {
	want := []string{`{"ts": "1.000001", "text": "a } b"}`, `{"ts": "2.000002", "n": {"x": [1, 2]}}`, `{"ts": "3.000003"}`}
	for name, data := range map[string]string{
		"pretty":   "[\n    {\"ts\": \"1.000001\", \"text\": \"a } b\"\n    },\n    {\"ts\": \"2.000002\", \"n\": {\"x\": [1, 2]}\n    },\n    {\"ts\": \"3.000003\"\n    }\n]\n",
		"minified": `[{"ts": "1.000001", "text": "a } b"},{"ts": "2.000002", "n": {"x": [1, 2]}},{"ts": "3.000003"}]`,
		// An inner object closing at the elements' indent: the guess is
		// short, does not parse, and the exact scan takes over.
		"ragged": "[\n  {\"ts\": \"1.000001\", \"text\": \"a } b\"\n  },\n  {\"ts\": \"2.000002\", \"n\": {\"x\": [1, 2]\n  }},\n  {\"ts\": \"3.000003\"}\n]",
	} {
		got := collect(t, data)
		if len(got) != len(want) {
			t.Errorf("%s: %d elements %q, want %d", name, len(got), got, len(want))
			continue
		}
		for i := range want {
			norm := strings.NewReplacer("\n", "", "  ", "").Replace(got[i])
			if strings.ReplaceAll(norm, " ", "") != strings.ReplaceAll(want[i], " ", "") {
				t.Errorf("%s: element %d = %q, want %q", name, i, got[i], want[i])
			}
		}
	}
}

func TestIndexCloserMatchesBytesIndex(t *testing.T) {
	closer := []byte("\n    }")
	for _, b := range []string{
		"", "}", "\n    }", "  \n    }", "{\n        \"a\": {}\n    }", "\n   }\n    },",
		"x}\n    }", "\n    \n    }", "}}}}\n    }}", "\n    ", "    }",
	} {
		if got, want := indexLine([]byte(b), closer), bytes.Index([]byte(b), closer); got != want {
			t.Errorf("indexLine(%q) = %d, bytes.Index = %d", b, got, want)
		}
	}
}

// stringEndPlain finds the closing quote of a JSON string as a byte-by-byte
// reading does, escapes and all, and says plain only of strings without a
// backslash: on every mix of quotes, backslashes and letters, in strings
// shorter and longer than the eight-byte steps it first takes.
func TestStringEndPlain(t *testing.T) {
	ref := func(b []byte) (int, bool) {
		plain := true
		for j := 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				plain = false
				j++
			case '"':
				return j, plain
			}
		}
		return len(b), plain
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := []byte{'"'}
		for n := rng.IntN(60); len(b) < n; {
			b = append(b, `ab\"x `[rng.IntN(6)])
		}
		b = append(b, '"', ',')
		wantEnd, wantPlain := ref(b)
		end, plain := stringEndPlain(b, 0)
		if end != wantEnd || (end < len(b) && plain != wantPlain) {
			t.Fatalf("stringEndPlain(%q) = %d, %v; want %d, %v", b, end, plain, wantEnd, wantPlain)
		}
	}
}
