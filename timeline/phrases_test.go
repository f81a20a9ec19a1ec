package timeline

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTwoHalvesFindWhatOnePassFinds: the split scan reports exactly the
// hits, in the order, of a single pass, phrases across the middle included.
func TestTwoHalvesFindWhatOnePassFinds(t *testing.T) {
	ps := chatSet.set
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"the", "db", "is", "down", "i", "think", "let's", "roll", "back", "anyone", "know", "???", "not", "sure",
		"back to normal", "could it be", "rollback", "restart", "failover", "seeing 502", ":confused:", "x", "-", "\n"}
	type hit struct{ p, end int }
	for n := range 5000 {
		var b []byte
		for len(b) < rng.IntN(600) {
			b = append(b, words[rng.IntN(len(words))]...)
			b = append(b, ' ')
		}
		text := string(b)
		var got, want []hit
		ps.each(text, func(p, end int) bool { got = append(got, hit{p, end}); return true })
		ps.eachOnce(text, func(p, end int) bool { want = append(want, hit{p, end}); return true })
		if !slices.Equal(got, want) {
			t.Fatalf("text %d %q:\nsplit %v\nonce  %v", n, text, got, want)
		}
	}
}

// TestPhraseSetFindsWhatASearchFinds compares the automaton with a search
// for each phrase in turn, on the chat rules' phrases.
func TestPhraseSetFindsWhatASearchFinds(t *testing.T) {
	ps := chatSet.set
	rng := rand.New(rand.NewPCG(5, 6))
	var words []string
	for _, p := range ps.phrases {
		words = append(words, p, strings.ToUpper(p[:1])+p[1:])
	}
	words = append(words, "x", "the", ":", "-", "\n", "é", "back", "to")
	type hit struct{ p, end int }
	for n := range 3000 {
		var b []byte
		for len(b) < rng.IntN(300) {
			b = append(b, words[rng.IntN(len(words))]...)
			if rng.IntN(3) > 0 {
				b = append(b, ' ')
			}
		}
		text := string(b)
		var got, want []hit
		for _, scan := range []func(string, func(int, int) bool){ps.each, ps.eachOnce} {
			got = got[:0]
			scan(text, func(p, end int) bool { got = append(got, hit{p, end}); return true })
			want = want[:0]
			lower := strings.Map(func(r rune) rune {
				if 'A' <= r && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, text)
			for pi, p := range ps.phrases {
				for i := 0; ; {
					j := strings.Index(lower[i:], p)
					if j < 0 {
						break
					}
					start, end := i+j, i+j+len(p)
					if boundaryBefore(text, start) && boundaryAfter(text, end, p) && !emojiCode(text, start, end) {
						want = append(want, hit{pi, end})
					}
					i += j + 1
				}
			}
			order := func(a, b hit) int {
				if a.end != b.end {
					return a.end - b.end
				}
				return a.p - b.p
			}
			slices.SortFunc(got, order)
			slices.SortFunc(want, order)
			if !slices.Equal(got, want) {
				t.Fatalf("text %d %q:\nautomaton %v\nsearch    %v", n, text, got, want)
			}
		}
	}
}
