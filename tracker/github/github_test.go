package github

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/tracker"
	"github.com/debriefhq/debrief/tracker/github/githubtest"
)

func TestParseIssueURL(t *testing.T) {
	for _, tc := range []struct {
		ref, host, owner, repo string
		n                      int
	}{
		{"https://github.com/acme/search/issues/42", "github.com", "acme", "search", 42},
		{"https://github.com/acme/search/issues/42/", "github.com", "acme", "search", 42},
		{"https://github.com/acme/search/pull/7", "github.com", "acme", "search", 7},
		{"https://ghe.example.com/sre/postmortems/issues/3", "ghe.example.com", "sre", "postmortems", 3},
		{"acme/search#42", "github.com", "acme", "search", 42},
		{"  https://github.com/acme/search/issues/42  ", "github.com", "acme", "search", 42},
		{"SRE-123", "", "", "", 0},
		{"https://acme.atlassian.net/browse/SRE-123", "", "", "", 0},
		{"https://github.com/acme/search/issues/0", "", "", "", 0},
		{"https://github.com/acme/search/issues/x", "", "", "", 0},
		{"https://github.com/acme/search", "", "", "", 0},
		{"ftp://github.com/acme/search/issues/1", "", "", "", 0},
		{"acme/search#", "", "", "", 0},
		{"", "", "", "", 0},
	} {
		host, owner, repo, n, ok := ParseIssueURL(tc.ref)
		if ok != (tc.n > 0) || host != tc.host || owner != tc.owner || repo != tc.repo || n != tc.n {
			t.Errorf("%q: %q %q %q %d %v", tc.ref, host, owner, repo, n, ok)
		}
	}
}

func FuzzParseIssueURL(f *testing.F) {
	for _, s := range []string{"https://github.com/acme/search/issues/42", "acme/search#42", "SRE-1", "https://x/a/b/pull/9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		if _, owner, repo, n, ok := ParseIssueURL(ref); ok && (owner == "" || repo == "" || n <= 0) {
			t.Errorf("%q parsed as %q/%q#%d", ref, owner, repo, n)
		}
	})
}

func TestConfig(t *testing.T) {
	for _, cfg := range []Config{{Repo: "acme", Token: "t"}, {Repo: "acme/search/x", Token: "t"}, {Repo: "acme/search"}, {Repo: "acme/search", Token: "t", APIURL: "ghe.example.com"}} {
		if _, err := New(cfg); debrief.ErrorCode(err) != debrief.EINVALID {
			t.Errorf("%+v: %v, want a configuration error", cfg, err)
		}
	}
}

func TestIssueLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := githubtest.New(t, "acme", "search", "s3cret-token")
	g, err := New(Config{Repo: "acme/search", Token: "s3cret-token", APIURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	inc := &debrief.Incident{ID: "search-latency", Title: "Search latency"}
	item := &debrief.ActionItem{ID: "a-1", IncidentID: inc.ID, Text: "Alert on pool waits over 100 ms", Owner: "kim",
		Due: time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC), Priority: debrief.PriorityHigh}
	ref, err := g.Create(ctx, item, inc, "https://debrief.example.com/incidents/search-latency/retro#a-1", false)
	if err != nil {
		t.Fatal(err)
	}
	if ref != srv.IssueURL(1) || !g.Owns(ref) {
		t.Errorf("issue %q; owns it %v", ref, g.Owns(ref))
	}
	// Only this repository's issues are the sync's to close and reopen.
	other := strings.Replace(ref, "/acme/search/", "/acme/billing/", 1)
	for _, r := range []string{"https://github.com/acme/search/issues/1", "SRE-12", other, strings.Replace(ref, "/issues/", "/pull/", 1)} {
		if g.Owns(r) {
			t.Errorf("owns %q", r)
		}
	}
	is := srv.Issues()[0]
	for _, want := range []string{"Search latency", "Owner: kim", "Due: 2026-12-10", "Priority: high", "retro#a-1", "debrief-action:a-1"} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is.Body)
		}
	}
	if is.Title != item.Text || len(is.Labels) != 1 || is.Labels[0] != Label {
		t.Errorf("issue %+v", is)
	}
	// A retry after a lost answer finds the issue instead of opening another.
	if again, err := g.Create(ctx, item, inc, "", true); err != nil || again != ref || len(srv.Issues()) != 1 {
		t.Errorf("second create: %q %v, %d issues", again, err, len(srv.Issues()))
	}
	if st, err := g.Issue(ctx, ref); err != nil || st.Closed {
		t.Errorf("state: %+v %v", st, err)
	}
	srv.CloseIssue(1, "not_planned")
	if st, err := g.Issue(ctx, ref); err != nil || !st.Closed || st.Completed || st.ClosedAt.IsZero() {
		t.Errorf("closed as not planned: %+v %v", st, err)
	}
	// Closing from Debrief's side, with a comment.
	item2 := &debrief.ActionItem{ID: "a-2", IncidentID: inc.ID, Text: "Write the runbook"}
	ref2, _ := g.Create(ctx, item2, inc, "", false)
	if err := g.Close(ctx, ref2, "Dropped in Debrief.", false); err != nil {
		t.Fatal(err)
	}
	if is := srv.Issues()[1]; is.State != "closed" || is.StateReason != "not_planned" || len(is.Comments) != 1 {
		t.Errorf("closed from Debrief: %+v", is)
	}
	if err := g.Reopen(ctx, ref2, "Reopened in Debrief."); err != nil {
		t.Fatal(err)
	}
	if st, err := g.Issue(ctx, ref2); err != nil || st.Closed || st.UpdatedAt.IsZero() {
		t.Errorf("reopened: %+v %v", st, err)
	}
	// A deleted issue is gone, which the sync tells from a failure.
	srv.DeleteIssue(2)
	if _, err := g.Issue(ctx, ref2); !errors.Is(err, tracker.ErrGone) {
		t.Errorf("deleted issue: %v, want ErrGone", err)
	}
	// Errors name what failed and never the token.
	srv.FailNext(1)
	if _, err := g.Issue(ctx, ref); err == nil || !strings.Contains(err.Error(), "502") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a failing GitHub: %v", err)
	}
	bad, _ := New(Config{Repo: "acme/search", Token: "wrong", APIURL: srv.APIURL()})
	if _, err := bad.Issue(ctx, ref); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad credentials: %v", err)
	}
}
