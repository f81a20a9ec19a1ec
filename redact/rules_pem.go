package redact

import "strings"

// privateKeyRule redacts PEM private key blocks (RSA, EC, OpenSSH, PKCS#8,
// encrypted, PGP), from the BEGIN line through the END line, whether the
// newlines are real or JSON-escaped "\n". A block without its END line, as
// when a chat message or a log line is cut off, is redacted to the end of the
// text: a partial key is still a key. Certificates and public keys are kept.
type privateKeyRule struct{}

func (privateKeyRule) wholeText() bool { return false }

func (privateKeyRule) keywords() []string { return []string{"-----begin"} }

func (privateKeyRule) gate(s string, hs, he int) bool {
	_, ok := pemHeaderEnd(s, he)
	return ok
}

func (privateKeyRule) find(s string, hits []hit, out *spans) {
	covered := 0
	for _, h := range hits {
		if h.start < covered {
			continue // inside the block found last: one search per block
		}
		hdrEnd, ok := pemHeaderEnd(s, h.end)
		if !ok {
			continue
		}
		covered = pemBlockEnd(s, hdrEnd)
		out.add(h.start, covered, "private-key")
	}
}

// pemHeaderEnd checks that "-----BEGIN" at he-10 continues with a label
// ending in "PRIVATE KEY" (or "PRIVATE KEY BLOCK") and "-----", and returns
// the end of the header.
func pemHeaderEnd(s string, he int) (int, bool) {
	end := min(len(s), he+120)
	dash := strings.Index(s[he:end], "-----")
	if dash < 0 {
		return 0, false
	}
	label := strings.TrimSuffix(strings.TrimRight(s[he:he+dash], " "), " BLOCK")
	if !hasSuffixFold(label, "private key") {
		return 0, false
	}
	return he + dash + 5, true
}

// pemBlockEnd returns the end of the "-----END … -----" line after p, or the
// end of s.
func pemBlockEnd(s string, p int) int {
	for i := p; ; {
		d := strings.Index(s[i:], "-----")
		if d < 0 {
			return len(s)
		}
		i += d + 5
		if i+3 > len(s) || !strings.EqualFold(s[i:i+3], "end") {
			continue
		}
		close := strings.Index(s[i+3:min(len(s), i+120)], "-----")
		if close < 0 {
			return len(s)
		}
		return i + 3 + close + 5
	}
}

// indexFold is strings.Index ignoring ASCII case, for a lower-case needle.
func indexFold(s, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		j := strings.IndexByte(s[i:], needle[0])
		if c := needle[0]; 'a' <= c && c <= 'z' {
			if k := strings.IndexByte(s[i:], c-lowerDelta); k >= 0 && (j < 0 || k < j) {
				j = k
			}
		}
		if j < 0 {
			return -1
		}
		i += j
		if i+len(needle) <= len(s) && strings.EqualFold(s[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}
