package redact

import (
	"strings"
	"testing"
	"time"
)

// TestLongInputsStayLinear guards against rules whose work grows with the
// number of hits times the text length: a quarter megabyte of repeated keywords must
// not take minutes.
func TestLongInputsStayLinear(t *testing.T) {
	r := redactor(t)
	units := []string{
		"aws password token key secret ",
		`"password":"` + strings.Repeat("x", 50),
		"curl -u a:b mysql -pX ",
		"-----BEGIN RSA PRIVATE KEY----- ",
		"postgres://u:p@h/ Authorization: Bearer abc Cookie: a=b ",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0. ghp_ xoxb- AKIA ",
		"api_key=" + strings.Repeat("a1B2", 8) + "\n",
		"AKIA", "xoxb-", "eyJ", "key", "key=", "://", "Cookie: ", "ghp_", "password",
		"a://b:c@d", "x@tcp(", "Bearer ",
	}
	for _, u := range units {
		in := strings.Repeat(u, (256<<10)/len(u))
		start := time.Now()
		out, n := r.Redact(in)
		d := time.Since(start)
		t.Logf("%.30q ×%d: %v, %d replaced, %d bytes out", u, len(in)/len(u), d, n, len(out))
		if d > 20*time.Second {
			t.Errorf("%.30q: %v for 256 KB", u, d)
		}
	}
}
