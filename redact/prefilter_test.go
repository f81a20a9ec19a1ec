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
	}
}
