package redact

import (
	"strings"
	"testing"
)

// knownSecrets are texts with one secret in them ({s}) for the fuzz test to
// bury in arbitrary text.
var knownSecrets = []struct{ text, secret string }{
	{"export PGPASSWORD={s}", "Hx7qLm2p"},
	{"mysql -uroot -p{s} orders", "Zq81kLp0"},
	{"curl -u admin:{s} https://jenkins.internal", "Pw9v2QxR"},
	{"postgres://app:{s}@db:5432/orders", "Ab3dE5fG"},
	{"redis://:{s}@cache:6379", "Rd7sP4ss"},
	{"app:{s}@tcp(db:3306)/orders", "Dsn4Pw7q"},
	{"password: {s}", "Yml8Pwd3"},
	{`{"client_secret": "{s}"}`, "Cs9x8y7z"},
	{"--password {s}", "Fl4gPwd9"},
	{"sshpass -p {s} ssh bastion", "Ss7hPw2d"},
	{"Cookie: session={s}", "Ck8s9d0f1g2h"},
	{"Authorization: Bearer {s}", fakes["jwt"]},
	{"Authorization: Basic {s}", fakes["b64auth"]},
	{"aws_secret_access_key = {s}", fakes["awssecret"]},
	{"{s}", fakes["awsexample"]},
	{"{s}", fakes["ghp"]},
	{"{s}", fakes["github_pat"]},
	{"{s}", fakes["xoxb"]},
	{"{s}", fakes["xoxp"]},
	{"{s}", fakes["akia"]},
	{"{s}", fakes["stripe"]},
	{"{s}", fakes["google"]},
	{"{s}", fakes["glpat"]},
	{"{s}", fakes["npm"]},
	{"{s}", fakes["openai"]},
	{"{s}", fakes["vault"]},
	{"{s}", fakes["sendgrid"]},
	{"{s}", fakes["jwt"]},
	{"-----BEGIN RSA PRIVATE KEY-----\n{s}\n" + pemBody("fz", 3, "\n") + "-----END RSA PRIVATE KEY-----", randChars("fzline", base64Std, 64)},
}

// FuzzRedact checks, for arbitrary text around a known secret: no panic; the
// secret never comes out; and Redact is idempotent. The secret is placed as
// its own word (between blanks or on its own line), as secrets appear in
// chat, commands and logs; glued to arbitrary bytes a token can legitimately
// read as part of a longer word.
func FuzzRedact(f *testing.F) {
	for i := range knownSecrets {
		f.Add("", uint8(i), uint8(0), "")
		f.Add("deploying now, ", uint8(i), uint8(1), " thanks")
	}
	for _, c := range cleanCases {
		f.Add(c, uint8(0), uint8(2), c)
	}
	for _, c := range secretCases {
		f.Add(expand(c.in), uint8(3), uint8(0), expand(c.want))
	}
	r, err := New()
	if err != nil {
		f.Fatal(err)
	}
	seps := []string{" ", "\n", "\t", " \n "}
	f.Fuzz(func(t *testing.T, prefix string, which, sep uint8, suffix string) {
		k := knownSecrets[int(which)%len(knownSecrets)]
		sp := seps[int(sep)%len(seps)]
		in := prefix + sp + strings.ReplaceAll(k.text, "{s}", k.secret) + sp + suffix
		out, n := r.Redact(in)
		if !strings.Contains(prefix, k.secret) && !strings.Contains(suffix, k.secret) && strings.Contains(out, k.secret) {
			t.Errorf("secret %q survived:\n in: %q\nout: %q", k.secret, in, out)
		}
		if n == 0 && out != in {
			t.Errorf("n = 0 but output changed: %q -> %q", in, out)
		}
		checkIdempotent(t, r, in)
		checkIdempotent(t, r, prefix)
	})
}

func checkIdempotent(t *testing.T, r *Redactor, in string) {
	t.Helper()
	once, _ := r.Redact(in)
	twice, n := r.Redact(once)
	if n != 0 || twice != once {
		t.Errorf("not idempotent:\n  in: %q\nonce: %q\ntwice: %q (n=%d)", in, once, twice, n)
	}
}
