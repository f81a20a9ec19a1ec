package redact

import "strings"

// urlCredentialRule redacts the password in a URL's userinfo
// (postgres://app:hunter2@db:5432/orders, redis://:hunter2@cache:6379,
// https://user:token@github.com/…), and in Go MySQL DSNs
// (app:hunter2@tcp(db:3306)/orders), keeping scheme, user, host, port and
// path readable: which database an incident touched is the point of the
// timeline. A userinfo without a password is redacted whole only when it
// looks like a credential (https://<token>@github.com); ssh://git@host and
// plain URLs are left alone.
//
// The authority ends at the first "/", space or quote; the userinfo at its
// last "@", so an unencoded "@" in a password is covered. A password with a
// raw "/" is not, but RFC 3986 requires it to be percent-encoded.
type urlCredentialRule struct{}

func (urlCredentialRule) wholeText() bool { return false }

func (urlCredentialRule) keywords() []string { return []string{"://", "@tcp(", "@unix("} }

func (urlCredentialRule) gate(s string, hs, he int) bool {
	_, _, ok := urlSecret(s, hs, he)
	return ok
}

func (urlCredentialRule) find(s string, hits []hit, out *spans) {
	for _, h := range hits {
		if start, end, ok := urlSecret(s, h.start, h.end); ok {
			out.add(start, end, "connection-string")
		}
	}
}

// maxAuthority bounds the user:password@host part read from a hit.
const maxAuthority = 2048

var authorityStop = newByteSet(" \t\r\n\v\f\"'`<>/\\")

// dsnUserStop ends the walk back from a DSN's "@" to the start of its
// userinfo.
var dsnUserStop = newByteSet(" \t\r\n\v\f\"'`<>=(")

func urlSecret(s string, hs, he int) (int, int, bool) {
	var ui, at int
	if s[hs] == ':' { // "://"
		e, limit := he, min(len(s), he+maxAuthority)
		for e < limit && !authorityStop[s[e]] {
			e++
		}
		at = strings.LastIndexByte(s[he:e], '@')
		if at < 0 || hs == 0 || !alnum[s[hs-1]] {
			return 0, 0, false
		}
		ui, at = he, he+at
	} else { // "@tcp(": walk back over the userinfo
		at = hs
		ui = at
		for limit := max(0, at-maxAuthority); ui > limit && !dsnUserStop[s[ui-1]]; {
			ui--
		}
	}
	userinfo := s[ui:at]
	colon := strings.IndexByte(userinfo, ':')
	if colon < 0 {
		if looksLikeCredential(userinfo) && !isPlaceholder(userinfo) {
			return ui, at, true
		}
		return 0, 0, false
	}
	if isPlaceholder(userinfo[colon+1:]) {
		return 0, 0, false
	}
	return ui + colon + 1, at, true
}
