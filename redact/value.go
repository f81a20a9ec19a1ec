package redact

import (
	"math"
	"strings"
)

// byteSet is a set of ASCII bytes, used for the character classes the
// hand-written rules scan with.
type byteSet [256]bool

func newByteSet(ranges ...string) *byteSet {
	var bs byteSet
	for _, r := range ranges {
		if len(r) == 3 && r[1] == '-' {
			for b := int(r[0]); b <= int(r[2]); b++ {
				bs[b] = true
			}
			continue
		}
		for i := 0; i < len(r); i++ {
			bs[r[i]] = true
		}
	}
	return &bs
}

var (
	alnum = newByteSet("a-z", "A-Z", "0-9")
	// keyBytes may appear in a key name: env vars, flags, dotted config paths,
	// header names.
	keyBytes = newByteSet("a-z", "A-Z", "0-9", "_.-")
	// valueStop ends an unquoted value: white space. Quotes and the other
	// bytes a shell would not take into a word (& ; | < > ( )) end it only
	// where they are punctuation (see shellStop and quote); "," "}" "]" stay in the
	// value because they can be part of a password and cutting there could
	// leak the rest of it.
	valueStop = newByteSet(" \t\r\n\v\f")
	space     = newByteSet(" \t\r\n\v\f")
)

// runEnd returns the end of the run of bytes in set starting at i.
func runEnd(s string, i int, set *byteSet) int {
	for i < len(s) && set[s[i]] {
		i++
	}
	return i
}

// runStart returns the start of the run of bytes in set ending at i.
func runStart(s string, i int, set *byteSet) int {
	for i > 0 && set[s[i-1]] {
		i--
	}
	return i
}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// hasSuffixFold reports whether s ends with the lower-case ASCII suffix,
// ignoring case, without allocating.
func hasSuffixFold(s, suffix string) bool {
	if len(s) < len(suffix) {
		return false
	}
	return strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// markerPrefix starts every replacement.
const markerPrefix = "[REDACTED:"

// isMarkerAt reports the length of a replacement marker starting at s[i], or 0.
func markerLen(s string, i int) int {
	if !strings.HasPrefix(s[i:], markerPrefix) {
		return 0
	}
	j := i + len(markerPrefix)
	k := j
	for k < len(s) && (('a' <= s[k] && s[k] <= 'z') || ('0' <= s[k] && s[k] <= '9') || s[k] == '-') {
		k++
	}
	if k == j || k >= len(s) || s[k] != ']' {
		return 0
	}
	return k + 1 - i
}

// placeholderWords are values that stand for a secret without being one.
var placeholderWords = map[string]bool{
	"null": true, "nil": true, "none": true, "true": true, "false": true,
	"undefined": true, "redacted": true, "hidden": true, "masked": true,
	"filtered": true, "required": true, "optional": true, "string": true, "str": true,
	"yes": true, "no": true, "empty": true, "unset": true, "env": true,
}

// placeholderPrefixes start references to a secret held elsewhere.
var placeholderPrefixes = []string{
	"{{", "%(", "process.env", "os.environ", "os.getenv", "getenv(", "env(",
	"env.", "secrets.", "vars.", "secretkeyref", "valuefrom", "vault:", "file:",
	"sha256:", "<%", "#{",
}

// isPlaceholder reports whether a candidate secret value is obviously not a
// secret: empty, a variable or template reference, a mask, a literal such
// as null or true, a file path, or one of our own markers. Everything else
// after a key that clearly names a secret is redacted, however weak it looks.
func isPlaceholder(v string) bool {
	if v == "" || markerLen(v, 0) > 0 {
		return true
	}
	if !hasAlnum(v) || isMask(v) || isPath(v) {
		return true
	}
	if v[0] == '$' && isReference(v[1:]) {
		return true
	}
	if (v[0] == '<' && v[len(v)-1] == '>') || (v[0] == '[' && v[len(v)-1] == ']') ||
		(v[0] == '{' && v[len(v)-1] == '}' && isWord(v[1:len(v)-1])) {
		return isWordy(v[1 : len(v)-1])
	}
	if v[0] == '%' && len(v) <= 3 {
		return true
	}
	for _, p := range placeholderPrefixes {
		if hasPrefixFold(v, p) {
			return true
		}
	}
	if len(v) <= 9 {
		var buf [9]byte
		for i := 0; i < len(v); i++ {
			buf[i] = fold(v[i])
		}
		return placeholderWords[string(buf[:len(v)])]
	}
	return false
}

// isReference reports whether what follows a "$" is a shell or template
// reference: NAME, {…}, (…), a digit.
func isReference(r string) bool {
	if r == "" {
		return false
	}
	switch r[0] {
	case '{', '(':
		return true
	}
	return isWord(r)
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !alnum[b] && b != '_' {
			return false
		}
	}
	return true
}

// isWordy reports whether s reads like a placeholder name: letters, digits,
// spaces, "_", "-", ".".
func isWordy(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !alnum[b] && b != '_' && b != '-' && b != ' ' && b != '.' {
			return false
		}
	}
	return true
}

func hasAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if alnum[s[i]] {
			return true
		}
	}
	return false
}

// isMask reports values like "********" or "xxxxxx".
func isMask(v string) bool {
	if len(v) < 3 {
		return false
	}
	c := fold(v[0])
	if c != '*' && c != 'x' && c != '.' && c != '#' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if fold(v[i]) != c {
			return false
		}
	}
	return true
}

// isPath reports values like /run/secrets/db_password or ~/.pgpass: a
// reference to a file holding the secret, with at least two segments and only
// path characters, so a password that merely starts with "/" is still
// redacted.
func isPath(v string) bool {
	rest := v
	switch {
	case strings.HasPrefix(v, "~/"):
		rest = v[1:]
	case strings.HasPrefix(v, "./"):
		rest = v[1:]
	case strings.HasPrefix(v, "../"):
		rest = v[2:]
	case strings.HasPrefix(v, "/"):
	default:
		return false
	}
	if strings.Count(rest, "/") < 2 && !strings.HasPrefix(v, "~/") && !strings.HasPrefix(v, ".") {
		return false
	}
	for i := 0; i < len(rest); i++ {
		b := rest[i]
		if !alnum[b] && !strings.ContainsRune("/._-@+", rune(b)) {
			return false
		}
	}
	return true
}

// looksLikeCredential reports whether a bare word looks machine-generated
// rather than like English: used where no key names the value as a secret
// (a token after "Bearer", a URL user name).
func looksLikeCredential(v string) bool {
	if len(v) < 8 {
		return false
	}
	var lower, upper, digit bool
	for i := 0; i < len(v); i++ {
		b := v[i]
		switch {
		case 'a' <= b && b <= 'z':
			lower = true
		case 'A' <= b && b <= 'Z':
			upper = true
		case '0' <= b && b <= '9':
			digit = true
		}
	}
	if digit && (lower || upper) {
		return true
	}
	return len(v) >= 16 && lower && upper
}

// shannonEntropy is gitleaks' measure, in bits per byte, so its per-rule
// thresholds mean the same here.
func shannonEntropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	var h float64
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}

// lineBounds returns the start and end of the line around s[i:j].
func lineBounds(s string, i, j int) (int, int) {
	start := strings.LastIndexByte(s[:i], '\n') + 1
	end := strings.IndexByte(s[j:], '\n')
	if end < 0 {
		return start, len(s)
	}
	return start, j + end
}
