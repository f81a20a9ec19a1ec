package redact

import (
	"strings"
	"testing"
)

// Ticket links name Jira in every incident channel; only an assignment of a
// token to a Jira/Atlassian key is a secret, and the gate must keep both true.
func TestAtlassianGate(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	token := "k3q9z8x7w6v5u4t3s2r1" + "a0b9"
	for _, s := range []string{
		"export JIRA_API_TOKEN=" + token,
		`atlassian_token: "` + token + `"`,
		"confluence.password = " + token,
	} {
		out, n := r.Redact(s)
		if n == 0 || strings.Contains(out, token) {
			t.Errorf("Redact(%q) = %q, want the token gone", s, out)
		}
	}
	for _, s := range []string{
		"paging db on-call, opened INC-2988 (https://acme.atlassian.net/browse/INC-2988) to track",
		"the jira board for search is https://jira.shop.example/projects/SRCH",
	} {
		if out, n := r.Redact(s); n != 0 {
			t.Errorf("Redact(%q) = %q, want it unchanged", s, out)
		}
	}
}
