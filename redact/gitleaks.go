package redact

import (
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/regexp"
)

// gitleaksAliases renames gitleaks rules in markers where a family of its
// rules is one kind of secret to a reader of a timeline.
var gitleaksAliases = map[string]string{
	"github-pat":                   "github-token",
	"github-oauth":                 "github-token",
	"github-app-token":             "github-token",
	"github-refresh-token":         "github-token",
	"github-fine-grained-pat":      "github-token",
	"slack-bot-token":              "slack-token",
	"slack-user-token":             "slack-token",
	"slack-app-token":              "slack-token",
	"slack-config-access-token":    "slack-token",
	"slack-config-refresh-token":   "slack-token",
	"slack-legacy-bot-token":       "slack-token",
	"slack-legacy-token":           "slack-token",
	"slack-legacy-workspace-token": "slack-token",
	"aws-access-token":             "aws-access-key-id",
	"gcp-api-key":                  "google-api-key",
	"stripe-access-token":          "stripe-key",
	"jwt-base64":                   "jwt",
	"curl-auth-user":               "password",
	"curl-auth-header":             "authorization",
}

// gitleaksRules loads gitleaks' default configuration, the rule set its
// maintainers keep up with new token formats, and turns each content rule
// into a regexRule with a gate derived from its regular expression.
//
// Rules restricted to file paths (Terraform, Kubernetes YAML, NuGet, PHP,
// PKCS#12 files) are left out: incident text has no path, and our own
// assignment rule covers what they look for. A content rule without keywords
// (none in the default set today) runs only on texts with a long run of
// token characters (see Redactor.keywordless).
func gitleaksRules(disabled map[string]bool) ([]rule, error) {
	cfg, stops, err := gitleaksConfig()
	if err != nil {
		return nil, err
	}
	global := usableAllowlists(cfg.Allowlists)
	var rules []rule
	for _, id := range cfg.OrderedRules {
		gr := cfg.Rules[id]
		if gr.Regex == nil || gr.Path != nil || gr.SkipReport {
			continue
		}
		name := id
		if a, ok := gitleaksAliases[id]; ok {
			name = a
		}
		if disabled[id] || disabled[name] {
			continue
		}
		var gt gate // a keywordless rule has no hit to gate or window around
		if len(gr.Keywords) > 0 {
			gt = deriveGate(id, gr.Regex.String(), gr.Keywords, gr.Entropy, gr.SecretGroup)
		}
		rules = append(rules, &regexRule{
			id:          name,
			gitleaksID:  id,
			re:          gr.Regex,
			secretGroup: gr.SecretGroup,
			entropy:     gr.Entropy,
			kws:         gr.Keywords,
			allow:       append(usableAllowlists(gr.Allowlists), global...),
			stops:       stops,
			gates:       gt,
			win:         windowFor(gr.Regex.String(), gt),
			userPass:    id == "curl-auth-user",
		})
	}
	return rules, nil
}

// gitleaksConfig parses the embedded default config with a viper instance of
// our own: gitleaks' NewDetectorDefaultConfig uses viper's global instance,
// which is process-wide mutable state.
//
// The allowlists' stop words are kept aside while gitleaks compiles the
// config: it builds a matcher for each list of them (one list has some
// fifteen hundred words), which was half of the time every run of Debrief
// spent before reading its first input, for matchers that run only on the
// rare text a rule matches. Debrief builds its own, at first use (see
// stopWords); gitleaks compiles a one-word placeholder that names the list.
func gitleaksConfig() (config.Config, map[*config.Allowlist]*stopWords, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return config.Config{}, nil, fmt.Errorf("read default config: %w", err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, nil, fmt.Errorf("decode default config: %w", err)
	}
	var kept [][]string
	keep := func(words *[]string) {
		if len(*words) > 0 {
			kept = append(kept, *words)
			*words = []string{stopPlaceholder + strconv.Itoa(len(kept)-1)}
		}
	}
	for i := range vc.Rules {
		r := &vc.Rules[i]
		if r.AllowList != nil {
			keep(&r.AllowList.StopWords)
		}
		for _, a := range r.Allowlists {
			if a != nil {
				keep(&a.StopWords)
			}
		}
	}
	if vc.AllowList != nil {
		keep(&vc.AllowList.StopWords)
	}
	for _, a := range vc.Allowlists {
		if a != nil {
			keep(&a.StopWords)
		}
	}
	cfg, err := vc.Translate()
	if err != nil {
		return config.Config{}, nil, fmt.Errorf("compile default config: %w", err)
	}
	stops := map[*config.Allowlist]*stopWords{}
	back := func(a *config.Allowlist) error {
		if a == nil || len(a.StopWords) != 1 || !strings.HasPrefix(a.StopWords[0], stopPlaceholder) {
			return nil
		}
		if _, done := stops[a]; done {
			return nil
		}
		n, err := strconv.Atoi(strings.TrimPrefix(a.StopWords[0], stopPlaceholder))
		if err != nil || n < 0 || n >= len(kept) {
			return fmt.Errorf("compile default config: stop words %q lost", a.StopWords[0])
		}
		sw := newStopWords(kept[n])
		a.StopWords = sw.words
		stops[a] = sw
		return nil
	}
	for _, r := range cfg.Rules {
		for _, a := range r.Allowlists {
			if err := back(a); err != nil {
				return config.Config{}, nil, err
			}
		}
	}
	for _, a := range cfg.Allowlists {
		if err := back(a); err != nil {
			return config.Config{}, nil, err
		}
	}
	return cfg, stops, nil
}

// stopPlaceholder starts the one word gitleaks compiles in place of an
// allowlist's stop words.
const stopPlaceholder = "\x00debrief-stop-words-"

// stopWords is an allowlist's stop words: a secret holding one (ignoring
// case) is a placeholder, not a secret, as gitleaks' ContainsStopWord says.
type stopWords struct {
	words []string // lower case, each once
	once  sync.Once
	ks    *keywordScanner
}

func newStopWords(words []string) *stopWords {
	seen := map[string]bool{}
	sw := &stopWords{}
	for _, w := range words {
		if w = strings.ToLower(w); w != "" && !seen[w] {
			seen[w] = true
			sw.words = append(sw.words, w)
		}
	}
	return sw
}

// in reports whether s holds one of the words.
func (sw *stopWords) in(s string) bool {
	sw.once.Do(func() { sw.ks, _ = newKeywordScanner(sw.words) })
	if sw.ks != nil {
		return sw.ks.anyHit(s)
	}
	s = strings.ToLower(s)
	for _, w := range sw.words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// usableAllowlists keeps the allowlists that can apply to text without a
// commit or a path: an AND list that needs a commit or a path never matches.
func usableAllowlists(all []*config.Allowlist) []*config.Allowlist {
	var out []*config.Allowlist
	for _, a := range all {
		if a == nil || a.Validate() != nil {
			continue
		}
		if a.MatchCondition == config.AllowlistMatchAnd && (len(a.Commits) > 0 || len(a.Paths) > 0) {
			continue
		}
		if len(a.Regexes) == 0 && len(a.StopWords) == 0 {
			continue
		}
		out = append(out, a)
	}
	return out
}

// regexRule is one gitleaks rule: its regular expression, the capture group
// holding the secret, an entropy floor and allowlists, with gitleaks' own
// semantics for each.
type regexRule struct {
	id          string // marker id
	gitleaksID  string
	re          *regexp.Regexp
	secretGroup int
	entropy     float64
	kws         []string
	allow       []*config.Allowlist
	stops       map[*config.Allowlist]*stopWords // the allowlists' stop words, where gitleaks has a placeholder
	gates       gate
	win         *window // nil: always run on the whole text
	userPass    bool    // the secret is "user:pass": redact only pass
}

func (g *regexRule) keywords() []string { return g.kws }

func (g *regexRule) wholeText() bool {
	_, ok := g.gates.(wholeTextGate)
	return ok
}

func (g *regexRule) gate(s string, hs, he int) bool {
	if g.gates == nil {
		return true
	}
	return g.gates.pass(s, hs, he)
}

// find runs the expression over s, or, for a long text and a rule with a
// window, over the windows around the hits that pass the gate: Go's regexp
// engine costs time in proportion to the input, and a 2 KB webhook payload
// with one "key" in it should not pay for all 2 KB in every template rule.
func (g *regexRule) find(s string, hits []hit, out *spans) {
	if g.win == nil || len(s) <= 2*(g.win.before+g.win.after) {
		g.findIn(s, 0, len(s), out)
		return
	}
	ws, we := -1, -1
	for _, h := range hits {
		if !g.gate(s, h.start, h.end) {
			continue
		}
		a, b := g.win.around(s, h)
		if ws >= 0 && a <= we {
			ws, we = min(ws, a), max(we, b)
			continue
		}
		if ws >= 0 {
			g.findIn(s, ws, we, out)
		}
		ws, we = a, b
	}
	if ws >= 0 {
		g.findIn(s, ws, we, out)
	}
}

// findIn reports the secrets the expression finds in s[from:to].
func (g *regexRule) findIn(s string, from, to int, out *spans) {
	for _, m := range g.re.FindAllStringSubmatchIndex(s[from:to], -1) {
		for i := range m {
			if m[i] >= 0 {
				m[i] += from
			}
		}
		start, end := g.secretSpan(m)
		if start < 0 || start == end || out.covers(start, end) {
			continue // nothing to add: skip the entropy and allowlist work
		}
		secret := s[start:end]
		if g.entropy != 0 && shannonEntropy(secret) <= g.entropy {
			continue
		}
		if g.allowed(s, secret, m[0], m[1]) {
			continue
		}
		if g.userPass {
			start, end = passwordPart(s, start, end)
		}
		out.add(start, end, g.id)
	}
}

// window bounds where a template rule's match around a keyword hit can lie:
// from the lazy `[\w.-]{0,50}?` prefix before the keyword group to the end of
// the value and its terminator. A value longer than after runs on while the
// bytes are ones a value can hold, so the window ends where the full text
// would end the match, plus the two bytes of the longest terminator (`\n`).
type window struct {
	before, after int
	value         *byteSet
}

func (w *window) around(s string, h hit) (int, int) {
	a := max(0, h.start-w.before)
	b := runEnd(s, min(len(s), h.start+w.after), w.value)
	return a, min(len(s), b+2)
}

// windowFor returns the window of a template rule, or nil when its shape is
// unknown.
func windowFor(src string, tg gate) *window {
	t, ok := tg.(templateGate)
	if !ok {
		return nil
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	v := valueGroup(re)
	if v == nil {
		return nil
	}
	bs, ok := regexBytes(v)
	if !ok {
		return nil
	}
	n := maxLen(v)
	if n < 0 {
		n = 0 // unbounded: the first byte the value cannot hold ends it
	}
	groupMax := t.reach - 23
	return &window{before: 50 + groupMax + 8, after: t.reach + 4 + 5 + n + 8, value: &bs}
}

// secretSpan picks the secret out of a match as gitleaks does: the
// configured group, else the first non-empty group, else the whole match.
func (g *regexRule) secretSpan(m []int) (int, int) {
	if g.secretGroup > 0 && 2*g.secretGroup+1 < len(m) {
		return m[2*g.secretGroup], m[2*g.secretGroup+1]
	}
	for i := 2; i+1 < len(m); i += 2 {
		if m[i] >= 0 && m[i+1] > m[i] {
			return m[i], m[i+1]
		}
	}
	return m[0], m[1]
}

func (g *regexRule) allowed(s, secret string, ms, me int) bool {
	for _, a := range g.allow {
		target := secret
		switch a.RegexTarget {
		case "match":
			target = s[ms:me]
		case "line":
			ls, le := lineBounds(s, ms, me)
			target = s[ls:le]
		}
		regex := len(a.Regexes) > 0 && a.RegexAllowed(target)
		stop := false
		if sw := g.stops[a]; sw != nil {
			stop = sw.in(secret)
		} else if len(a.StopWords) > 0 {
			stop, _ = a.ContainsStopWord(secret)
		}
		if a.MatchCondition == config.AllowlistMatchAnd {
			if (len(a.Regexes) == 0 || regex) && (len(a.StopWords) == 0 || stop) {
				return true
			}
			continue
		}
		if regex || stop {
			return true
		}
	}
	return false
}

// passwordPart narrows a "user:pass" span (quoted or not) to pass, so that
// the user stays readable as in our own rules.
func passwordPart(s string, start, end int) (int, int) {
	if q := s[start]; (q == '"' || q == '\'') && end-start >= 2 && s[end-1] == q {
		start, end = start+1, end-1
	}
	if c := strings.IndexByte(s[start:end], ':'); c >= 0 {
		start += c + 1
	}
	return start, end
}
