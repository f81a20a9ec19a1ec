package timeline

import (
	"math/rand/v2"
	"slices"
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
