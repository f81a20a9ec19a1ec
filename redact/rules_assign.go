package redact

import "strings"

// assignmentRule redacts the value given to a key whose name says it holds a
// secret: env assignments (PGPASSWORD=hunter2, export API_KEY=…), flags
// (--password=…, --token …), config and log lines (password: hunter2,
// "client_secret": "…", Password=…; in connection strings, <password>…</password>),
// fish's "set -x DB_PASSWORD …" and "aws configure set aws_secret_access_key …".
//
// The key decides, not the value: after a key that clearly names a secret even
// "hunter2" goes, which gitleaks (entropy thresholds, stop words) lets
// through. The key must END with the secret word, which is what keeps
// PASSWORD_FILE, token_type, secret_name, max_tokens, --password-file and
// password_reset_sent out. Values that only point at a secret (a $VAR, a
// template, a file path, a mask, null) are kept.
type assignmentRule struct{}

func (assignmentRule) wholeText() bool { return false }

func (assignmentRule) keywords() []string {
	return []string{"pass", "pw", "secret", "token", "key", "credential", "creds"}
}

func (assignmentRule) gate(s string, hs, he int) bool {
	_, _, _, ok := parseAssignment(s, hs, he)
	return ok
}

func (assignmentRule) find(s string, hits []hit, out *spans) {
	for _, h := range hits {
		if vs, ve, id, ok := parseAssignment(s, h.start, h.end); ok {
			out.add(vs, ve, id)
		}
	}
}

// secretKeySuffixes name secrets, checked in order against the end of a key
// (lower-cased, leading dashes removed). sep means the suffix must be the
// whole key or follow "_", "-" or ".": "db_pass" and "--pass" but not "bypass",
// "mysql_pwd" but not "oldpwd".
var secretKeySuffixes = []struct {
	suffix string
	id     string
	sep    bool
}{
	{"secret_access_key", "aws-secret-access-key", false},
	{"secretaccesskey", "aws-secret-access-key", false},
	{"secret-access-key", "aws-secret-access-key", false},
	{"password", "password", false},
	{"passwd", "password", false},
	{"passphrase", "password", false},
	{"pass", "password", true},
	{"pwd", "password", true},
	{"pw", "password", true},
	{"secret_key_base", "secret", false},
	{"secret", "secret", false},
	{"token", "token", false},
	{"credentials", "secret", false},
	{"credential", "secret", false},
	{"creds", "secret", true},
}

// keyedSecrets are the "<word><sep>key" names of secrets; "key" alone is too
// common ("the feature flag key is …") and left to gitleaks' entropy-checked
// generic rule.
var keyedSecrets = []struct{ word, id string }{
	{"api", "api-key"}, {"access", "access-key"}, {"private", "private-key"},
	{"secret", "secret"}, {"account", "secret"}, {"auth", "secret"},
	{"signing", "secret"}, {"encryption", "secret"}, {"master", "secret"},
	{"app", "secret"}, {"session", "secret"}, {"hmac", "secret"},
	{"jwt", "secret"}, {"license", "secret"}, {"client", "secret"},
	{"sharedaccess", "secret"}, {"subscription", "secret"},
}

// notSecretTokens end in "token" but are pagination or idempotency handles.
var notSecretTokens = []string{"pagetoken", "page_token", "page-token", "continuationtoken",
	"continuation_token", "synctoken", "sync_token", "idempotency_token", "idempotencytoken",
	"cancellationtoken", "cancellation_token", "clienttoken", "client_token"}

// classifyKey returns the marker id for a key that names a secret, or "".
func classifyKey(key string) string {
	key = strings.TrimLeft(key, "-")
	for _, k := range secretKeySuffixes {
		if !hasSuffixFold(key, k.suffix) {
			continue
		}
		if k.sep && len(key) > len(k.suffix) && !strings.ContainsRune("_-.", rune(key[len(key)-len(k.suffix)-1])) {
			continue
		}
		if k.id == "token" {
			for _, n := range notSecretTokens {
				if hasSuffixFold(key, n) {
					return ""
				}
			}
		}
		return k.id
	}
	if !hasSuffixFold(key, "key") {
		return ""
	}
	stem := strings.TrimRight(key[:len(key)-3], "_-.")
	for _, k := range keyedSecrets {
		if hasSuffixFold(stem, k.word) {
			return k.id
		}
	}
	return ""
}

// maxKey bounds a key name, so that finding one costs constant time per hit.
const maxKey = 128

// parseAssignment looks at the key around a keyword hit and, when it names a
// secret and is assigned a value, returns the value's span.
func parseAssignment(s string, hs, he int) (vs, ve int, id string, ok bool) {
	lo, hi := max(0, hs-maxKey), min(len(s), he+maxKey)
	ks, ke := runStart(s[lo:], hs-lo, keyBytes)+lo, runEnd(s[:hi], he, keyBytes)
	if (ks == lo && lo > 0) || (ke == hi && hi < len(s)) {
		return 0, 0, "", false // longer than any key name
	}
	key := s[ks:ke]
	if id = classifyKey(key); id == "" {
		return 0, 0, "", false
	}
	flag := key[0] == '-'
	mode := assignPlain
	switch {
	case ks >= 2 && s[ks-2:ks] == "${":
		mode = assignBraceDefault
	case ks >= 1 && s[ks-1] == '$':
		return 0, 0, "", false // a reference to the variable, not its value
	case ks >= 1 && s[ks-1] == '<':
		mode = assignXML
	}
	p, spaced, ok := assignOperator(s, ke, mode)
	op := s[ke:p]
	colon := ok && mode == assignPlain && strings.IndexByte(op, ':') >= 0 && strings.IndexByte(op, '=') < 0
	if !ok {
		if !spaced || !(flag || setCommandBefore(s, ks)) {
			return 0, 0, "", false
		}
		mode = assignSpaced
	}
	vs, ve = assignValue(s, p, mode)
	v := s[vs:ve]
	if isPlaceholder(v) || (mode == assignSpaced && v[0] == '-') {
		return 0, 0, "", false
	}
	if (mode == assignSpaced || colon) && isProseWord(v) {
		return 0, 0, "", false
	}
	return vs, ve, id, true
}

type assignMode int

const (
	assignPlain        assignMode = iota
	assignBraceDefault            // ${PASSWORD:-default}
	assignXML                     // <password>value</password>
	assignSpaced                  // --password value, set -x PASSWORD value
)

// assignOperator skips what separates a key from its value: a closing quote
// or bracket of the key, blanks, and an operator (=, :, :=, =>, ==). It
// returns where the value may start; when there is no operator, spaced tells
// whether blanks followed the key (a flag's separate argument).
func assignOperator(s string, p int, mode assignMode) (int, bool, bool) {
	switch mode {
	case assignBraceDefault:
		if strings.HasPrefix(s[p:], ":-") || strings.HasPrefix(s[p:], ":=") {
			return p + 2, false, true
		}
		return p, false, false
	case assignXML:
		if p < len(s) && s[p] == '>' {
			return p + 1, false, true
		}
		return p, false, false
	}
	if p < len(s) && s[p] == '\\' && p+1 < len(s) && (s[p+1] == '"' || s[p+1] == '\'') {
		p += 2
	} else if p < len(s) && (s[p] == '"' || s[p] == '\'') {
		p++
	}
	if p < len(s) && s[p] == ']' {
		p++
	}
	q := skipBlanks(s, p)
	if q >= len(s) {
		return q, false, false
	}
	switch {
	case strings.HasPrefix(s[q:], "=>"), strings.HasPrefix(s[q:], ":="), strings.HasPrefix(s[q:], "=="):
		q += 2
	case s[q] == '=':
		q++
	case s[q] == ':':
		if strings.HasPrefix(s[q:], "://") || strings.HasPrefix(s[q:], "::") {
			return q, false, false
		}
		q++
	default:
		return q, q > p, false
	}
	return skipBlanks(s, q), false, true
}

// assignValue returns the span of the value starting at p: inside quotes when
// quoted (escaped JSON quotes too), else up to a byte a shell word cannot
// hold unquoted.
func assignValue(s string, p int, mode assignMode) (int, int) {
	if p >= len(s) {
		return p, p
	}
	switch mode {
	case assignXML, assignBraceDefault:
		le := lineEnd(s, p)
		closer := byte('<')
		if mode == assignBraceDefault {
			closer = '}'
		}
		if end := strings.IndexByte(s[p:le], closer); end >= 0 {
			return p, p + end
		}
		return p, le
	}
	if q := s[p]; q == '"' || q == '\'' || q == '`' {
		return quoted(s, p+1, s[p:p+1])
	}
	if s[p] == '\\' && p+1 < len(s) && (s[p+1] == '"' || s[p+1] == '\'') {
		return quoted(s, p+2, s[p:p+2])
	}
	e := p
	for e < len(s) && !valueStop[s[e]] {
		if s[e] == '\\' && e+1 < len(s) && strings.IndexByte(`nrt"'`, s[e+1]) >= 0 {
			break // an escape of JSON-in-JSON ends the value
		}
		if s[e] == ',' && (e+1 == len(s) || space[s[e+1]]) {
			break // "a=1, b=2": a shell word cannot hold ", " unquoted
		}
		if shellStop[s[e]] && endsWord(s, e) {
			break
		}
		if quote[s[e]] && (e+1 == len(s) || !alnum[s[e+1]]) {
			break // a quote closing a quoted word; one inside a word ("Ab'cd") is part of it
		}
		e++
	}
	return p, e
}

// shellStop are the bytes that end a word in a shell, a URL's query or a
// connection string. Passwords hold them too ("Ab&cd!234" said in chat), so
// one ends a value only where what follows shows it is punctuation:
// nothing, white space, the same byte again ("&&", "||"), or the next key
// ("&user=", ";Database="). Anywhere else the value goes on: redacting a
// few bytes too many costs less than leaking the rest of a password.
var (
	shellStop = newByteSet("&;|<>()")
	quote     = newByteSet("\"'`")
)

func endsWord(s string, e int) bool {
	n := e + 1
	if n >= len(s) || space[s[n]] || s[n] == s[e] {
		return true
	}
	k := runEnd(s, n, keyBytes)
	return k > n && k < len(s) && s[k] == '='
}

// maxValue bounds how far a value is looked for, so that a long text with
// many keys costs linear time; an unterminated value is redacted up to it.
const maxValue = 16 << 10

// quoted returns the span from p to the closing delim on the same line, or to
// the end of the line when it is not closed.
func quoted(s string, p int, delim string) (int, int) {
	le := lineEnd(s, p)
	if end := strings.Index(s[p:le], delim); end >= 0 {
		return p, p + end
	}
	return p, le
}

// lineEnd returns the end of the line at p, at most maxValue bytes on.
func lineEnd(s string, p int) int {
	seg := s[p:min(len(s), p+maxValue)]
	if i := strings.IndexByte(seg, '\n'); i >= 0 {
		return p + i
	}
	return p + len(seg)
}

// proseWords follow a key name in prose rather than a value: "use the
// --password flag instead", "the token: see the vault entry",
// "*v1.Secret: secrets is forbidden". They are only skipped after a colon or
// a space, never after "=".
var proseWords = map[string]bool{
	"flag": true, "option": true, "and": true, "or": true, "to": true, "is": true,
	"are": true, "was": true, "were": true, "instead": true, "with": true, "for": true,
	"the": true, "a": true, "an": true, "when": true, "if": true, "then": true, "but": true,
	"in": true, "on": true, "of": true, "argument": true, "param": true, "parameter": true,
	"here": true, "too": true, "see": true, "check": true, "ask": true, "use": true,
	"it": true, "not": true, "missing": true, "expired": true, "invalid": true,
	"incorrect": true, "wrong": true, "rotated": true, "changed": true, "reset": true,
	"secrets": true, "tokens": true, "passwords": true, "keys": true, "unknown": true,
	"tbd": true, "todo": true, "please": true, "we": true, "i": true, "you": true,
	"they": true, "this": true, "that": true, "has": true, "had": true, "will": true,
}

func isProseWord(v string) bool {
	if len(v) > 9 {
		return false
	}
	var buf [9]byte
	for i := 0; i < len(v); i++ {
		buf[i] = fold(v[i])
	}
	return proseWords[string(buf[:len(v)])]
}

// setCommandBefore reports whether the key is the name in a command that
// sets a variable with a space instead of "=": fish's "set [-gx…] NAME value",
// csh's "setenv NAME value", a Dockerfile's "ENV NAME value", "aws configure
// set name value".
func setCommandBefore(s string, ks int) bool {
	p := ks
	for {
		q := p
		for q > 0 && (s[q-1] == ' ' || s[q-1] == '\t') {
			q--
		}
		if q == p || q == 0 {
			return false
		}
		ws := runStart(s, q, keyBytes)
		word := s[ws:q]
		switch word {
		case "set", "setenv", "ENV":
			return ws == 0 || !keyBytes[s[ws-1]]
		}
		if word == "" || word[0] != '-' {
			return false
		}
		p = ws
	}
}
