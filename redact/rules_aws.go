package redact

import "strings"

// awsSecretRule redacts AWS secret access keys that no key name announces:
// the 40-character base64 value in "aws configure" output, a credentials CSV
// row or a pasted ~/.aws/credentials next to an access key id. gitleaks has no
// rule for a bare secret key (it cannot tell one from any other base64), so
// this one wants AWS context nearby (within awsContext bytes of "aws" or an
// AKIA/ASIA key id) and a value with upper case, lower case and digits, which
// keeps out hex digests and git SHAs.
//
// The AWS documentation's example secret (wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)
// is redacted wherever it appears: gitleaks allowlists it, but in incident
// text it is as likely a real credential copied from a tutorial setup.
type awsSecretRule struct{}

const awsDocsSecret = "wjalrxutnfemi"

var awsSecretBytes = newByteSet("a-z", "A-Z", "0-9", "/+")

// awsContext is how far from its AWS context a bare secret key may be.
const awsContext = 300

func (awsSecretRule) wholeText() bool { return false }

func (awsSecretRule) keywords() []string { return []string{awsDocsSecret, "aws", "akia", "asia"} }

func (awsSecretRule) gate(s string, hs, he int) bool {
	if strings.EqualFold(s[hs:he], awsDocsSecret) {
		return true
	}
	from, to := awsWindow(s, hs, he)
	_, _, ok := nextAWSSecret(s[:to], from)
	return ok
}

func awsWindow(s string, hs, he int) (int, int) {
	return max(0, hs-awsContext), min(len(s), he+awsContext)
}

func (awsSecretRule) find(s string, hits []hit, out *spans) {
	done := 0 // windows of successive hits overlap: scan each byte once
	for _, h := range hits {
		if strings.EqualFold(s[h.start:h.end], awsDocsSecret) {
			out.add(runStart(s, h.start, awsSecretBytes), runEnd(s, h.end, awsSecretBytes), "aws-secret-access-key")
			continue
		}
		from, to := awsWindow(s, h.start, h.end)
		for from = max(from, done); ; {
			start, end, ok := nextAWSSecret(s[:to], from)
			if !ok {
				break
			}
			out.add(start, end, "aws-secret-access-key")
			from = end
		}
		done = max(done, to)
	}
}

// nextAWSSecret finds the next run of exactly 40 base64 characters with mixed
// case and a digit, at or after from.
func nextAWSSecret(s string, from int) (int, int, bool) {
	for i := from; i < len(s); {
		if !awsSecretBytes[s[i]] {
			i++
			continue
		}
		e := runEnd(s, i, awsSecretBytes)
		if e-i == 40 && (e == len(s) || s[e] != '=') && mixedCaseDigit(s[i:e]) {
			return i, e, true
		}
		i = e
	}
	return 0, 0, false
}

func mixedCaseDigit(v string) bool {
	var lower, upper, digit bool
	for i := 0; i < len(v); i++ {
		b := v[i]
		lower = lower || ('a' <= b && b <= 'z')
		upper = upper || ('A' <= b && b <= 'Z')
		digit = digit || ('0' <= b && b <= '9')
	}
	return lower && upper && digit
}
