package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// prefilterOnePass is the plain form of prefilter: one chain from the
// first byte, every hit asked in order. prefilter's split chains must
// decide the same.
func (r *Redactor) prefilterOnePass(s string, want *ruleSet) bool {
	ks := r.scanner
	any := false
	if len(r.keywordless) > 0 && hasTokenRun(s, minSecretRun) {
		for _, ri := range r.keywordless {
			want.add(ri)
		}
		any = true
	}
	var g gates
	st := 0
	for i := 0; i < len(s); i++ {
		e := ks.next[st+int(ks.class[s[i]])]
		if e >= ks.firstOut {
			r.gateHit(s, i, e, want, &g)
		}
		st = int(e)
	}
	return any || g.any
}

// prefilterAgrees fails t when prefilter and the one-pass form differ on s.
func prefilterAgrees(t *testing.T, r *Redactor, s string) {
	t.Helper()
	var got, want ruleSet
	gotAny, wantAny := r.prefilter(s, &got), r.prefilterOnePass(s, &want)
	if got != want || gotAny != wantAny {
		t.Fatalf("prefilter(%q) = %v %x, one pass = %v %x", s, gotAny, got, wantAny, want)
	}
}

// TestPrefilterChainsExact checks the split scan against one pass on text
// with secrets and keywords at every distance from the pieces' boundaries
// (where a chain's warm-up ends and the next piece begins), at every
// length around the thresholds for two and four chains.
func TestPrefilterChainsExact(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ks := r.scanner
	var plants []string
	for _, k := range knownSecrets {
		plants = append(plants, strings.ReplaceAll(k.text, "{s}", k.secret))
	}
	plants = append(plants, "https://user:hunter2@db.internal:5432/x", "api", "auth", "://", "curl -u admin:s3cr3t",
		"AKIA", "xoxb-", "password=", strings.Repeat("x", ks.maxKw))
	for _, c := range secretCases {
		plants = append(plants, expand(c.in))
	}
	rng := rand.New(rand.NewPCG(7, 11))
	filler := "the quick brown fox jumps over the lazy dog 0123456789 -_/:=@.\n"
	fill := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = filler[rng.IntN(len(filler))]
		}
		return string(b)
	}
	for _, n := range []int{ks.splitMin() - 1, ks.splitMin(), ks.splitMin() + 1, 8*ks.maxKw - 1, 8 * ks.maxKw, 8*ks.maxKw + 3, 1000} {
		base := fill(n)
		for _, p := range plants {
			for at := 0; at <= n; at += max(n/64, 1) {
				prefilterAgrees(t, r, base[:at]+p+base[at:])
			}
			// Around each boundary of the pieces.
			for _, cut := range []int{n / 4, n / 2, 3 * n / 4} {
				for d := -ks.maxKw - 2; d <= ks.maxKw+2; d++ {
					if at := cut + d; at >= 0 && at <= n {
						prefilterAgrees(t, r, base[:at]+p+base[at:])
					}
				}
			}
		}
	}
	// Many hits of one rule's keyword: the bound on failed gates.
	for _, n := range []int{60, 64, 65, 66, 200} {
		prefilterAgrees(t, r, strings.Repeat("api ", n))
		prefilterAgrees(t, r, strings.Repeat("xoxb-", n))
	}
	for range 3000 {
		s := fill(rng.IntN(1200))
		for range rng.IntN(4) {
			at := rng.IntN(len(s) + 1)
			s = s[:at] + plants[rng.IntN(len(plants))] + s[at:]
		}
		prefilterAgrees(t, r, s)
	}
}

// FuzzPrefilterChains checks the split scan against one pass on any text.
func FuzzPrefilterChains(f *testing.F) {
	f.Add("https://user:hunter2@db.internal:5432/x " + strings.Repeat("api auth ", 40))
	for _, c := range secretCases {
		f.Add(strings.Repeat(expand(c.in)+" and ", 9))
	}
	r, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prefilterAgrees(t, r, s)
	})
}
