package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAnyHitFindsKeywordsAnywhere checks the two-chain scan against a plain
// search, with keywords placed across the middle, at both ends and nowhere.
func TestAnyHitFindsKeywordsAnywhere(t *testing.T) {
	kws := []string{"token", "password", "ghp_", "xoxb-", "akia", "secret_access_key", "-----begin openssh private key"}
	ks, err := newKeywordScanner(kws)
	if err != nil {
		t.Fatal(err)
	}
	naive := func(s string) bool {
		l := strings.ToLower(s)
		for _, k := range kws {
			if strings.Contains(l, k) {
				return true
			}
		}
		return false
	}
	rng := rand.New(rand.NewPCG(1, 2))
	filler := "the quick brown fox jumps over the lazy dog 0123456789 -_/:"
	for n := range 6000 {
		size := rng.IntN(1500)
		b := make([]byte, size)
		for i := range b {
			b[i] = filler[rng.IntN(len(filler))]
		}
		s := string(b)
		if n%2 == 0 && size > 0 {
			kw := kws[rng.IntN(len(kws))]
			if rng.IntN(2) == 0 {
				kw = strings.ToUpper(kw)
			}
			at := rng.IntN(size)
			if n%6 == 0 { // straddle the middle
				at = max(size/2-len(kw)/2, 0)
			}
			s = s[:at] + kw + s[at:]
		}
		if got, want := ks.anyHit(s), naive(s); got != want {
			t.Fatalf("anyHit(%q) = %v, want %v", s, got, want)
		}
		// A pass resumed where firstHit says meets the first keyword
		// where a pass from the start does.
		if hit, pos, st := ks.firstHit(s); hit {
			if got, want := firstEnd(ks, s, pos, st), firstEnd(ks, s, 0, 0); got != want || got < 0 {
				t.Fatalf("firstHit(%q): resumed at %d, first keyword ends at %d; from the start at %d", s, pos, got, want)
			}
		}
	}
}

// firstEnd runs one chain from s[from] in state st and returns the index of
// the byte that ends the first keyword, or -1.
func firstEnd(ks *keywordScanner, s string, from, st int) int {
	for i := from; i < len(s); i++ {
		e := ks.next[st+int(ks.class[s[i]])]
		if e&outFlag != 0 {
			return i
		}
		st = int(e&stateMask) << ks.shift
	}
	return -1
}
