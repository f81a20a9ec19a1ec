package redact

import (
	"encoding/base64"
	"hash/fnv"
	"strings"
)

// Fake secrets are generated at test time so that no token-shaped literal
// sits in the source for scanners (ours, gitleaks, a forge's push
// protection) to flag. Test inputs name them as {name}.

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base64Std  = mixedAlnum + "+/"
	urlSafe    = mixedAlnum + "-_"
	upperB32   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexDigits  = "0123456789abcdef"
	digits     = "0123456789"
)

// randChars returns n deterministic pseudo-random characters of alphabet,
// seeded by name so each fake differs.
func randChars(name, alphabet string, n int) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	x := h.Sum64() | 1
	var b strings.Builder
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b.WriteByte(alphabet[x%uint64(len(alphabet))])
	}
	return b.String()
}

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func pemBody(name string, lines int, sep string) string {
	var b strings.Builder
	for i := 0; i < lines; i++ {
		b.WriteString(randChars(name+string(rune('a'+i)), base64Std, 64))
		b.WriteString(sep)
	}
	return b.String()
}

// fakes maps {name} to a fake secret of the named kind.
var fakes = map[string]string{
	"ghp":        "gh" + "p_" + randChars("ghp", mixedAlnum, 36),
	"ghs":        "gh" + "s_" + randChars("ghs", mixedAlnum, 36),
	"github_pat": "github" + "_pat_" + randChars("pat1", mixedAlnum, 22) + "_" + randChars("pat2", mixedAlnum, 59),
	"xoxb":       "xo" + "xb-" + randChars("xb1", digits, 12) + "-" + randChars("xb2", digits, 13) + "-" + randChars("xb3", mixedAlnum, 24),
	"xoxp":       "xo" + "xp-" + randChars("xp1", digits, 12) + "-" + randChars("xp2", digits, 12) + "-" + randChars("xp3", digits, 13) + "-" + randChars("xp4", hexDigits, 32),
	"akia":       "AK" + "IA" + randChars("akia", upperB32, 16),
	"awssecret":  randChars("aws1", mixedAlnum, 12) + "/" + randChars("aws2", base64Std, 18) + "+" + randChars("aws3", mixedAlnum, 6) + "Q7",
	"awsexample": "wJalrXUtnFEMI" + "/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"jwt": "eyJ" + b64url(`{"alg":"HS256","typ":"JWT"}`)[3:] + "." + b64url(`{"sub":"u_4711","role":"admin","exp":1710259200}`) +
		"." + randChars("jwtsig", urlSafe, 43),
	"stripe":       "sk" + "_live_" + randChars("stripe", mixedAlnum, 24),
	"google":       "AI" + "za" + "Sy" + randChars("google", urlSafe, 33),
	"glpat":        "gl" + "pat-" + randChars("glpat", urlSafe, 20),
	"npm":          "np" + "m_" + randChars("npm", mixedAlnum, 36),
	"openai":       "sk" + "-proj-" + randChars("openai", urlSafe, 48),
	"vault":        "hv" + "s." + randChars("vault", urlSafe, 90),
	"sendgrid":     "S" + "G." + randChars("sg1", urlSafe, 22) + "." + randChars("sg2", urlSafe, 43),
	"b64auth":      randChars("b64auth", base64Std, 30) + "==",
	"hex32":        randChars("hex32", hexDigits, 32),
	"hex40":        randChars("hex40", hexDigits, 40),
	"rsa":          "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody("rsa", 6, "\n") + "-----END RSA PRIVATE KEY-----",
	"pkcs8escaped": `-----BEGIN PRIVATE KEY-----\n` + pemBody("p8", 4, `\n`) + `-----END PRIVATE KEY-----\n`,
	"opensshcut":   "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ" + randChars("ossh", base64Std, 40),
	"slackhook":    "https://hooks.slack.com/services/T" + randChars("h1", upperB32, 8) + "/B" + randChars("h2", upperB32, 10) + "/" + randChars("h3", mixedAlnum, 24),
	"generic":      randChars("generic", mixedAlnum, 32),
}

var fakeReplacer = func() *strings.Replacer {
	var pairs []string
	for k, v := range fakes {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...)
}()

// expand replaces {name} by the fake secret of that name.
func expand(s string) string { return fakeReplacer.Replace(s) }
