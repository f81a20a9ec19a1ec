package redact

import "strings"

// authHeaderRule redacts credentials in HTTP headers as they show up in curl
// commands, access logs and pasted requests:
//
//   - Authorization and Proxy-Authorization: everything after the scheme
//     (Bearer, Basic, token, Digest, AWS4-HMAC-SHA256 …) or the whole value
//     when there is no scheme, whatever it looks like, since the header
//     names it a credential. The scheme stays: "Bearer [REDACTED:bearer-token]".
//   - a bare "Bearer <token>" in prose or logs, only when the word after it
//     looks machine-made, so "the bearer token expired" stays.
//   - Cookie and Set-Cookie values that hold name=value pairs (session
//     cookies are credentials).
type authHeaderRule struct{}

func (authHeaderRule) wholeText() bool { return false }

func (authHeaderRule) keywords() []string { return []string{"authorization", "bearer", "cookie"} }

func (authHeaderRule) gate(s string, hs, he int) bool {
	_, _, _, ok := headerSecret(s, hs, he)
	return ok
}

func (authHeaderRule) find(s string, hits []hit, out *spans) {
	last := 0
	for _, h := range hits {
		if h.start < last {
			continue // inside the value found last
		}
		if start, end, id, ok := headerSecret(s, h.start, h.end); ok {
			out.add(start, end, id)
			last = end
		}
	}
}

// authSchemes are Authorization schemes followed by a credential; the value
// after them is the secret.
var authSchemes = []struct{ name, id string }{
	{"bearer", "bearer-token"}, {"basic", "basic-auth"}, {"token", "authorization"},
	{"digest", "authorization"}, {"negotiate", "authorization"}, {"ntlm", "authorization"},
	{"apikey", "authorization"}, {"api-key", "authorization"}, {"sso-key", "authorization"},
	{"ssws", "authorization"}, {"aws4-hmac-sha256", "authorization"}, {"hmac", "authorization"},
	{"oauth", "authorization"}, {"splunk", "authorization"}, {"dsn", "authorization"},
	{"key", "authorization"}, {"klaviyo-api-key", "authorization"}, {"gitlab-token", "authorization"},
}

// singleToken schemes carry one token; the others (Digest, AWS4, OAuth) carry
// comma-separated parameters to the end of the value.
func singleToken(id string) bool { return id == "bearer-token" || id == "basic-auth" }

func headerSecret(s string, hs, he int) (int, int, string, bool) {
	switch fold(s[hs]) {
	case 'a':
		return authorizationValue(s, hs, he)
	case 'b':
		return bareBearer(s, hs, he)
	}
	return cookieValue(s, hs, he)
}

// headerValueStart skips from the end of a header name to its value: an
// optional closing quote, blanks, ":" or "=", blanks, an opening "[" or
// quote. It returns the value start and the opening quote, if any.
func headerValueStart(s string, p int) (int, byte, bool) {
	if p < len(s) && (s[p] == '"' || s[p] == '\'') {
		p++
	}
	p = skipBlanks(s, p)
	if p >= len(s) || (s[p] != ':' && s[p] != '=') {
		return 0, 0, false
	}
	p = skipBlanks(s, p+1)
	if p < len(s) && s[p] == '[' {
		p++
	}
	var q byte
	if p < len(s) && (s[p] == '"' || s[p] == '\'') {
		q = s[p]
		p++
	}
	return p, q, p < len(s)
}

// headerNameEnds reports whether a header name ends at p: "Authorization" but
// not "authorizationFailed" or "authorizations".
func headerNameEnds(s string, p int) bool {
	return p >= len(s) || !alnum[s[p]]
}

func authorizationValue(s string, _, he int) (int, int, string, bool) {
	if !headerNameEnds(s, he) {
		return 0, 0, "", false
	}
	p, q, ok := headerValueStart(s, he)
	if !ok {
		return 0, 0, "", false
	}
	end := valueEnd(s, p, q)
	id := "authorization"
	word := runEnd(s, p, keyBytes)
	if word < end && (s[word] == ' ' || s[word] == '\t') {
		for _, sch := range authSchemes {
			if strings.EqualFold(s[p:word], sch.name) {
				id = sch.id
				p = skipBlanks(s, word)
				if singleToken(id) {
					end = min(end, runEnd(s, p, tokenBytes))
				}
				break
			}
		}
	}
	if p >= end || isPlaceholder(s[p:end]) {
		return 0, 0, "", false
	}
	return p, end, id, true
}

// tokenBytes are what a single credential token may hold: anything but
// blanks, quotes and separators of the surrounding text.
var tokenBytes = func() *byteSet {
	var bs byteSet
	stop := newByteSet(" \t\r\n\v\f\"'`,;")
	for i := range bs {
		bs[i] = !stop[i]
	}
	return &bs
}()

// bareBearer finds "Bearer <token>" outside an Authorization header.
func bareBearer(s string, hs, he int) (int, int, string, bool) {
	if (hs > 0 && alnum[s[hs-1]]) || he >= len(s) || (s[he] != ' ' && s[he] != '\t') {
		return 0, 0, "", false
	}
	p := skipBlanks(s, he)
	end := runEnd(s, p, tokenBytes)
	v := s[p:end]
	if !looksLikeCredential(v) || isPlaceholder(v) {
		return 0, 0, "", false
	}
	return p, end, "bearer-token", true
}

// cookieValue finds the value of a Cookie or Set-Cookie header that holds
// name=value pairs.
func cookieValue(s string, hs, he int) (int, int, string, bool) {
	if (hs > 0 && alnum[s[hs-1]]) || !headerNameEnds(s, he) { // "Set-Cookie" passes, "xcookie" not
		return 0, 0, "", false
	}
	p, q, ok := headerValueStart(s, he)
	if !ok {
		return 0, 0, "", false
	}
	end := valueEnd(s, p, q)
	v := s[p:end]
	eq := strings.IndexByte(v, '=')
	if eq <= 0 || isPlaceholder(v[eq+1:]) {
		return 0, 0, "", false
	}
	return p, end, "cookie", true
}

// valueEnd is the end of a header value: the closing quote when quoted, else
// the first quote or the end of the line, less trailing blanks (schemes such
// as Digest carry spaces and commas).
func valueEnd(s string, p int, q byte) int {
	le := lineEnd(s, p)
	if q != 0 {
		if i := strings.IndexByte(s[p:le], q); i >= 0 {
			return p + i
		}
		return le
	}
	if i := strings.IndexAny(s[p:le], "\"'`"); i >= 0 {
		le = p + i
	}
	return p + len(strings.TrimRight(s[p:le], " \t\r"))
}
