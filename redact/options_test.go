package redact

import (
	"fmt"
	"regexp"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWithoutGitleaks(t *testing.T) {
	r, err := New(WithoutGitleaks())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.Redact(expand("upload_auth = {generic}"))
	if want := expand("upload_auth = {generic}"); got != want {
		t.Errorf("own rules alone redacted gitleaks' generic finding: %q", got)
	}
	got, _ = r.Redact("export PGPASSWORD=hunter2")
	if diff := cmp.Diff("export PGPASSWORD=[REDACTED:password]", got); diff != "" {
		t.Errorf("own rules alone (-want +got):\n%s", diff)
	}
}

func TestDisableRules(t *testing.T) {
	r, err := New(DisableRules("jwt", "generic-api-key"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{expand("session={jwt}"), expand("upload_auth = {generic}")} {
		if got, n := r.Redact(in); n != 0 {
			t.Errorf("Redact(%q) = %q with the rule disabled", in, got)
		}
	}
}

func TestRedactIsIdempotentOnCases(t *testing.T) {
	r := redactor(t)
	for _, tc := range secretCases {
		once, _ := r.Redact(expand(tc.in))
		if twice, n := r.Redact(once); n != 0 || twice != once {
			t.Errorf("%s: second pass changed %q into %q", tc.name, once, twice)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	r := redactor(t)
	lines := append(dirtyMix(), cleanMix(t)...)
	want := make([]string, len(lines))
	for i, l := range lines {
		want[i], _ = r.Redact(l)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, l := range lines {
				if got, _ := r.Redact(l); got != want[i] {
					t.Errorf("concurrent Redact(%q) = %q, want %q", l, got, want[i])
				}
			}
		}()
	}
	wg.Wait()
}

func ExampleRedactor_Redact() {
	r, err := New()
	if err != nil {
		panic(err)
	}
	for _, line := range []string{
		"PGPASSWORD=hunter2 psql -h db-primary.internal -U app orders",
		"psql postgres://app:hunter2@db-primary.internal:5432/orders",
		"password reset emails are failing",
	} {
		out, n := r.Redact(line)
		fmt.Println(n, out)
	}
	// Output:
	// 1 PGPASSWORD=[REDACTED:password] psql -h db-primary.internal -U app orders
	// 1 psql postgres://app:[REDACTED:connection-string]@db-primary.internal:5432/orders
	// 0 password reset emails are failing
}

func TestKeywordlessRuleRunsOnLongTokens(t *testing.T) {
	r, err := build([]rule{&regexRule{id: "zz-token", re: regexp.MustCompile(`\bZZ[0-9]{20}\b`)}})
	if err != nil {
		t.Fatal(err)
	}
	got, n := r.Redact("code ZZ01234567890123456789 here")
	if want := "code [REDACTED:zz-token] here"; got != want || n != 1 {
		t.Errorf("got %q, %d; want %q", got, n, want)
	}
	if got, n := r.Redact("short ZZ12 here"); n != 0 {
		t.Errorf("short token redacted: %q", got)
	}
}
