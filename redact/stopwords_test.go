package redact

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
)

// TestStopWordsAgree checks that the stop words Debrief keeps aside from
// gitleaks' compile say what gitleaks' own matcher says.
func TestStopWordsAgree(t *testing.T) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		t.Fatal(err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		t.Fatal(err)
	}
	theirs, err := vc.Translate()
	if err != nil {
		t.Fatal(err)
	}
	ours, stops, err := gitleaksConfig()
	if err != nil {
		t.Fatal(err)
	}
	if len(stops) == 0 {
		t.Fatal("no stop words kept aside")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	compared := 0
	type pair struct{ theirs, ours []*config.Allowlist }
	lists := map[string]pair{"(global)": {theirs.Allowlists, ours.Allowlists}}
	for id, tr := range theirs.Rules {
		lists[id] = pair{tr.Allowlists, ours.Rules[id].Allowlists}
	}
	for id, p := range lists {
		if len(p.ours) != len(p.theirs) {
			t.Fatalf("%s: %d allowlists, gitleaks has %d", id, len(p.ours), len(p.theirs))
		}
		for i, ta := range p.theirs {
			sw := stops[p.ours[i]]
			if len(ta.StopWords) == 0 {
				if sw != nil {
					t.Errorf("rule %s allowlist %d: stop words where gitleaks has none", id, i)
				}
				continue
			}
			if sw == nil {
				t.Fatalf("rule %s allowlist %d: stop words lost", id, i)
			}
			var probes []string
			for _, w := range ta.StopWords {
				probes = append(probes, w, strings.ToUpper(w), "x9"+w+"Q", w[:len(w)/2])
			}
			for range 2000 {
				b := make([]byte, 4+rng.IntN(30))
				for j := range b {
					b[j] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"[rng.IntN(64)]
				}
				probes = append(probes, string(b))
			}
			probes = append(probes, "hunter2", "AKIAIOSFODNN7EXAMPLE", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "changeme", "Ünïcödé")
			for _, p := range probes {
				want, _ := ta.ContainsStopWord(p)
				if got := sw.in(p); got != want {
					t.Errorf("rule %s: stop word in %q: %v, gitleaks says %v", id, p, got, want)
				}
				compared++
			}
		}
	}
	t.Logf("%d probes compared", compared)
}
