package redact

import (
	"fmt"
	"strings"
	"testing"
)

func gitleaksRuleByID(t *testing.T, r *Redactor, id string) *regexRule {
	t.Helper()
	for _, ru := range r.rules {
		if g, ok := ru.(*regexRule); ok && g.gitleaksID == id {
			return g
		}
	}
	t.Fatalf("no gitleaks rule %q", id)
	return nil
}

// TestGateKinds pins which gate the busiest gitleaks rules get, so that a
// gitleaks upgrade that changes their shape shows up here rather than as a
// slowdown.
func TestGateKinds(t *testing.T) {
	r := redactor(t)
	want := map[string]string{
		"generic-api-key":  "redact.templateGate",
		"private-key":      "redact.foldGate",
		"curl-auth-user":   "redact.curlUserGate",
		"curl-auth-header": "redact.curlHeaderGate",
		"jwt":              "redact.prefixGate",
	}
	for id, kind := range want {
		g := gitleaksRuleByID(t, r, id)
		if got := fmt.Sprintf("%T", g.gates); got != kind {
			t.Errorf("%s: gate %s, want %s", id, got, kind)
		}
	}
	if g := gitleaksRuleByID(t, r, "generic-api-key").gates.(templateGate); g.between == nil || g.values == nil {
		t.Errorf("generic-api-key: template gate without operator or value check: %+v", g)
	}
	ungated := 0
	for _, ru := range r.rules {
		if g, ok := ru.(*regexRule); ok && g.gates == nil {
			ungated++
		}
	}
	t.Logf("%d rules, %d gitleaks rules without a gate", len(r.rules), ungated)
}

// TestGatesAreSound checks gates against their rules: wherever a gitleaks
// rule, run without its gate, finds a secret, one of its keyword hits must
// pass the gate. The corpus is the test cases plus synthetic lines built from
// each rule's keywords in assignment and prefix shapes.
func TestGatesAreSound(t *testing.T) {
	r := redactor(t)
	corpus := soundnessCorpus(t, r)
	lower := make([]string, len(corpus))
	for i, s := range corpus {
		lower[i] = strings.ToLower(s)
	}
	checked := 0
	for _, ru := range r.rules {
		g, ok := ru.(*regexRule)
		if !ok || g.gates == nil {
			continue
		}
		for i, s := range corpus {
			if !containsAny(lower[i], g.kws) {
				continue // the prefilter would not wake the rule either
			}
			var found spans
			g.find(s, nil, &found)
			if len(found.list) == 0 {
				continue
			}
			checked++
			if !anyHitPasses(g, s) {
				t.Errorf("%s: gate rejects %q, where the rule finds %q", g.id, s, s[found.list[0].start:found.list[0].end])
			}
		}
	}
	if checked < 300 {
		t.Errorf("only %d findings checked; the corpus no longer exercises the gates", checked)
	}
	t.Logf("%d lines, %d rule findings checked", len(corpus), checked)
}

func containsAny(s string, kws []string) bool {
	for _, kw := range kws {
		if strings.Contains(s, kw) {
			return true
		}
	}
	return false
}

func anyHitPasses(g *regexRule, s string) bool {
	low := strings.ToLower(s)
	for _, kw := range g.kws {
		for from := 0; ; {
			i := strings.Index(low[from:], kw)
			if i < 0 {
				break
			}
			i += from
			if g.gate(s, i, i+len(kw)) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

func soundnessCorpus(t *testing.T, r *Redactor) []string {
	var corpus []string
	for _, tc := range secretCases {
		corpus = append(corpus, expand(tc.in))
	}
	corpus = append(corpus, cleanMix(t)...)
	values := []string{
		randChars("v1", hexDigits, 32), randChars("v2", mixedAlnum, 40), randChars("v3", lowerAlnum, 24),
		randChars("v4", base64Std, 64), randChars("v5", urlSafe, 36) + "==", randChars("v6", digits, 18),
		randChars("v7", upperB32, 20), randChars("v8", lowerAlnum, 64), randChars("v9", mixedAlnum, 100),
	}
	shapes := []string{"%s_API_KEY=%s", `"%s_token": "%s"`, "%s_secret: %s", "%s = '%s'", "%s-key => %s",
		"export %s_AUTH_TOKEN=\"%s\"", "%s_client_secret:=%s;", "%s.key: %s"}
	for _, ru := range r.rules {
		g, ok := ru.(*regexRule)
		if !ok {
			continue
		}
		for _, kw := range g.kws {
			for vi, v := range values {
				corpus = append(corpus, fmt.Sprintf(shapes[vi%len(shapes)], kw, v))
				corpus = append(corpus, kw+v, strings.ToUpper(kw)+v, "token "+kw+v+" leaked")
			}
		}
		if pg, ok := g.gates.(prefixGate); ok {
			for _, b := range pg {
				for _, v := range values {
					corpus = append(corpus, b.lit+v, "x "+strings.ToUpper(b.lit)+v+"\n")
				}
			}
		}
	}
	corpus = append(corpus,
		`curl -u "deploy":hunter22 https://x.internal`, `curl --user 'deploy:hunter22' https://x`,
		`curl -s -H "X-Api-Key: `+randChars("ck", mixedAlnum, 24)+`" https://x`,
		`curl -H 'Authorization: Basic `+fakes["b64auth"]+`' https://x`)
	return corpus
}
