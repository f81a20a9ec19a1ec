package redact

import "strings"

// handGates are gates for rules with frequent keywords that no structural
// derivation covers. Each applies only while the rule's expression still
// contains the text it was written against (guard), so a gitleaks upgrade
// that rewrites the rule falls back to no gate rather than to a wrong one.
var handGates = map[string]struct {
	guard string
	gate  gate
}{
	// "-----BEGIN" starts every certificate and public key too.
	"private-key": {guard: `PRIVATE KEY(?: BLOCK)?-----`, gate: foldGate{"private key"}},
	// "curl" is in half of all shell histories; the rule needs a user flag
	// whose value holds a colon.
	"curl-auth-user": {guard: `[ \t\n\r](?:-u|--user)(?:=|[ \t]{0,5})("(:[^"]{3,}|[^:"]{3,}:|[^:"]{3,}:[^"]{3,})"|'([^:']{3,}:[^']{3,})'|((?:"[^"]{3,}"|'[^']{3,}'|[\w$@.-]+):`, gate: curlUserGate{}},
	// … or a quoted header flag whose value holds an 8-byte credential.
	"curl-auth-header": {guard: `[ \t\n\r](?:-H|--header)(?:=|[ \t]{0,5})(?:"(?i)(?:Authorization:[ \t]{0,5}(?:Basic[ \t]([a-z0-9+/]{8,}={0,3})|(?:Bearer|(?:Api-)?Token)[ \t]([\w=~@.+/-]{8,})|([\w=~@.+/-]{8,}))|(?:(?:X-(?:[a-z]+-)?)?(?:Api-?)?(?:Key|Token)):[ \t]{0,5}([\w=~@.+/-]{8,}))"|'`, gate: curlHeaderGate{}},
	// "jira" and "atlassian" are in every ticket link; the rule needs an
	// assignment operator within reach of the word (or an ATATT3 token).
	"atlassian-api-token": {guard: `(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)`, gate: operatorAfterGate{reach: 20 + 3}},
}

// operatorAfterGate passes when an assignment operator (= > : | ? ,) follows
// the keyword after at most reach bytes of word characters, dots, dashes,
// blanks and quotes, as the gitleaks template `(?:[ \t\w.-]{0,20})[\s'"]{0,3}`
// allows; a keyword that is itself a token prefix (atatt3) always passes.
type operatorAfterGate struct{ reach int }

func (g operatorAfterGate) pass(s string, hs, he int) bool {
	if strings.EqualFold(s[hs:he], "atatt3") {
		return true
	}
	for j := he; j < len(s) && j <= he+g.reach; j++ {
		switch c := s[j]; {
		case c == '=' || c == '>' || c == ':' || c == '|' || c == '?' || c == ',':
			return true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '.' || c == '-' ||
			c == '_' || c == '\'' || c == '"' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		default:
			return false
		}
	}
	return false
}

func handGate(id, src string) gate {
	h, ok := handGates[id]
	if !ok || !strings.Contains(src, h.guard) {
		return nil
	}
	return h.gate
}

// curlFlagValues calls check with the start of the value of each flag in
// flags that follows a blank, after "=" or up to 5 blanks, as in
// `[ \t\n\r](?:-u|--user)(?:=|[ \t]{0,5})`.
func curlFlagValues(s string, flags []string, check func(v int) bool) bool {
	for _, f := range flags {
		for from := 0; ; {
			i := strings.Index(s[from:], f)
			if i < 0 {
				break
			}
			i += from
			from = i + 1
			if i == 0 || strings.IndexByte(" \t\n\r", s[i-1]) < 0 {
				continue
			}
			v := i + len(f)
			if v < len(s) && s[v] == '=' {
				if check(v + 1) {
					return true
				}
			}
			for k := 0; k <= 5 && v <= len(s); k++ {
				if check(v) {
					return true
				}
				if v == len(s) || (s[v] != ' ' && s[v] != '\t') {
					break
				}
				v++
			}
		}
	}
	return false
}

// curlUserGate passes when a -u/--user value holds a colon: inside its
// quotes or right after them when quoted, else before the next blank.
type curlUserGate struct{}

func (curlUserGate) pass(s string, _, _ int) bool {
	return curlFlagValues(s, []string{"-u", "--user"}, func(v int) bool {
		if v >= len(s) {
			return false
		}
		if q := s[v]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[v+1:], q)
			if end < 0 {
				return false
			}
			after := v + 1 + end + 1 // "user":pass
			return strings.IndexByte(s[v+1:v+1+end], ':') >= 0 || (after < len(s) && s[after] == ':')
		}
		end := v
		for end < len(s) && !space[s[end]] {
			end++
		}
		return strings.IndexByte(s[v:end], ':') >= 0
	})
}

// curlHeaderGate passes when a -H/--header value is quoted and holds, after
// a colon and before its closing quote, a run of 8 credential bytes.
type curlHeaderGate struct{}

var curlCredential = newByteSet("a-z", "A-Z", "0-9", "_=~@.+/-")

func (curlHeaderGate) pass(s string, _, _ int) bool {
	return curlFlagValues(s, []string{"-H", "--header"}, func(v int) bool {
		if v >= len(s) || (s[v] != '"' && s[v] != '\'') {
			return false
		}
		end := strings.IndexByte(s[v+1:], s[v])
		if end < 0 {
			return false
		}
		val := s[v+1 : v+1+end]
		c := strings.IndexByte(val, ':')
		if c < 0 {
			return false
		}
		for i := c + 1; i < len(val); {
			e := runEnd(val, i, curlCredential)
			if e-i >= 8 {
				return true
			}
			i = e + 1
		}
		return false
	})
}
