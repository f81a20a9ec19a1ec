package redact

import "strings"

// tokenShape is a credential recognizable by a fixed prefix and a body of
// token characters. gitleaks has rules for all of these, but with exact
// lengths and entropy floors tuned for source code; an incident paste is
// often a truncated, rotated-and-revoked or hand-typed token, and must go
// anyway. The prefixes are distinctive enough that a looser body is safe.
type tokenShape struct {
	id       string
	prefixes []string // case-sensitive
	body     *byteSet
	min, max int  // body length; max 0 means unbounded
	exact    bool // the body must be exactly min..max long (AWS key ids)
}

var (
	tokenAlnum     = newByteSet("a-z", "A-Z", "0-9")
	tokenAlnumUS   = newByteSet("a-z", "A-Z", "0-9", "_")
	tokenAlnumDash = newByteSet("a-z", "A-Z", "0-9", "-")
	tokenURLSafe   = newByteSet("a-z", "A-Z", "0-9", "_-")
	tokenUpperNum  = newByteSet("A-Z", "0-9")
)

var tokenShapes = []tokenShape{
	// GitHub: personal, OAuth, app installation, user-to-server, refresh.
	{id: "github-token", prefixes: []string{"ghp_", "gho_", "ghs_", "ghu_", "ghr_"}, body: tokenAlnum, min: 20},
	{id: "github-token", prefixes: []string{"github_pat_"}, body: tokenAlnumUS, min: 20},
	// Slack: bot, user, workspace, refresh, config and app-level tokens.
	{id: "slack-token", prefixes: []string{"xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-", "xoxe.xoxp-", "xoxe.xoxb-", "xapp-"}, body: tokenAlnumDash, min: 10},
	// AWS access key ids (long-term, temporary, …) are exactly 20 characters;
	// the AWS docs example AKIAIOSFODNN7EXAMPLE is redacted too, since
	// incident text cannot be told apart from documentation.
	{id: "aws-access-key-id", prefixes: []string{"AKIA", "ASIA", "ABIA", "ACCA"}, body: tokenUpperNum, min: 16, max: 16, exact: true},
	{id: "google-api-key", prefixes: []string{"AIza"}, body: tokenURLSafe, min: 30},
	{id: "stripe-key", prefixes: []string{"sk_live_", "rk_live_", "sk_test_", "rk_test_", "sk_prod_", "rk_prod_", "whsec_"}, body: tokenAlnum, min: 10},
	{id: "gitlab-token", prefixes: []string{"glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glft-", "glsoat-", "gloas-"}, body: tokenURLSafe, min: 20},
	{id: "openai-api-key", prefixes: []string{"sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-"}, body: tokenURLSafe, min: 20},
	{id: "vault-token", prefixes: []string{"hvs.", "hvb.", "hvr."}, body: tokenURLSafe, min: 20},
	{id: "npm-token", prefixes: []string{"npm_"}, body: tokenAlnum, min: 30},
	{id: "sendgrid-api-token", prefixes: []string{"SG."}, body: newByteSet("a-z", "A-Z", "0-9", "_-."), min: 40},
}

// tokenRule finds one token shape at the hits of its prefixes.
type tokenRule struct {
	shape tokenShape
	kws   []string
}

func newTokenRule(sh tokenShape) *tokenRule {
	t := &tokenRule{shape: sh}
	for _, p := range sh.prefixes {
		t.kws = append(t.kws, strings.ToLower(p))
	}
	return t
}

func (*tokenRule) wholeText() bool { return false }

func (t *tokenRule) keywords() []string { return t.kws }

func (t *tokenRule) gate(s string, hs, he int) bool {
	_, ok := t.match(s, hs)
	return ok
}

// find skips hits inside the token found last: they can only find a part of
// it, and reading the run again for each would make a long run quadratic.
func (t *tokenRule) find(s string, hits []hit, out *spans) {
	last := 0
	for _, h := range hits {
		if h.start < last {
			continue
		}
		if end, ok := t.match(s, h.start); ok {
			out.add(h.start, end, t.shape.id)
			last = end
		}
	}
}

// match checks for the token at i: an exact-case prefix after a non-token
// byte, then the body.
func (t *tokenRule) match(s string, i int) (int, bool) {
	sh := &t.shape
	if i > 0 && (alnum[s[i-1]] || s[i-1] == '_') {
		return 0, false
	}
	for _, p := range sh.prefixes {
		if !strings.HasPrefix(s[i:], p) {
			continue
		}
		b := i + len(p)
		e := runEnd(s, b, sh.body)
		n := e - b
		if n < sh.min || sh.exact && (n > sh.max || (e < len(s) && alnum[s[e]])) {
			continue
		}
		return e, true
	}
	return 0, false
}

// jwtRule finds JSON Web Tokens: "eyJ" (base64 of `{"`), a base64url header,
// a dot, a payload that is also a JSON object, and an optional signature.
// Shorter parts than gitleaks requires are accepted: a JWT's payload is
// readable by anyone who gets it, so even a short one leaks user data.
type jwtRule struct{}

func (jwtRule) wholeText() bool { return false }

func (jwtRule) keywords() []string { return []string{"eyj"} }

func (jwtRule) gate(s string, hs, _ int) bool {
	_, ok := matchJWT(s, hs)
	return ok
}

func (jwtRule) find(s string, hits []hit, out *spans) {
	last := 0
	for _, h := range hits {
		if h.start < last {
			continue
		}
		if end, ok := matchJWT(s, h.start); ok {
			out.add(h.start, end, "jwt")
			last = end
		}
	}
}

func matchJWT(s string, i int) (int, bool) {
	if !strings.HasPrefix(s[i:], "eyJ") || (i > 0 && (alnum[s[i-1]] || s[i-1] == '_' || s[i-1] == '-')) {
		return 0, false
	}
	e := runEnd(s, i+3, tokenURLSafe)
	if e-i < 10 || e >= len(s) || s[e] != '.' || !strings.HasPrefix(s[e+1:], "eyJ") {
		return 0, false
	}
	e2 := runEnd(s, e+4, tokenURLSafe)
	if e2-(e+1) < 8 {
		return 0, false
	}
	if e2 < len(s) && s[e2] == '.' {
		e2 = runEnd(s, e2+1, tokenURLSafe)
	}
	return e2, true
}
