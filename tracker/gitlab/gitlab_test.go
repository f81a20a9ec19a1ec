package gitlab

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/tracker"
	"github.com/debriefhq/debrief/tracker/gitlab/gitlabtest"
)

func TestParseIssueURL(t *testing.T) {
	for _, tc := range []struct {
		ref, host, project string
		iid                int64
	}{
		{"https://gitlab.com/acme/search/-/issues/42", "gitlab.com", "acme/search", 42},
		{"https://gitlab.example.com/platform/sre/postmortems/-/issues/7/", "gitlab.example.com", "platform/sre/postmortems", 7},
		{" https://gitlab.com/acme/search/-/issues/42 ", "gitlab.com", "acme/search", 42},
		{"https://gitlab.com/acme/search/-/merge_requests/3", "", "", 0},
		{"https://gitlab.com/acme/search/issues/42", "", "", 0},
		{"https://gitlab.com/search/-/issues/42", "", "", 0},
		{"https://gitlab.com/acme/search/-/issues/0", "", "", 0},
		{"acme/search#42", "", "", 0},
		{"SRE-12", "", "", 0},
		{"", "", "", 0},
	} {
		host, project, iid, ok := ParseIssueURL(tc.ref)
		if ok != (tc.iid > 0) || host != tc.host || project != tc.project || iid != tc.iid {
			t.Errorf("%q: %q %q %d %v", tc.ref, host, project, iid, ok)
		}
	}
}

func FuzzParseIssueURL(f *testing.F) {
	for _, s := range []string{"https://gitlab.com/acme/search/-/issues/42", "https://x/a/b/c/-/issues/1", "SRE-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		if _, project, iid, ok := ParseIssueURL(ref); ok && (!strings.Contains(project, "/") || iid <= 0) {
			t.Errorf("%q parsed as %q#%d", ref, project, iid)
		}
	})
}

func TestConfig(t *testing.T) {
	for _, cfg := range []Config{{Project: "search", Token: "t"}, {Project: "acme/search"}, {Project: "acme/search", Token: "t", URL: "gitlab.example.com"}} {
		if _, err := New(cfg); debrief.ErrorCode(err) != debrief.EINVALID {
			t.Errorf("%+v: %v, want a configuration error", cfg, err)
		}
	}
}

func TestIssueLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := gitlabtest.New(t, "platform/search", "glpat-secret")
	g, err := New(Config{Project: "platform/search", Token: "glpat-secret", URL: srv.URL})
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
	if ref != srv.IssueURL(1) || !g.Owns(ref) || g.Owns(strings.Replace(ref, "platform/search", "platform/billing", 1)) || g.Owns("SRE-12") {
		t.Errorf("issue %q", ref)
	}
	is := srv.Issues()[0]
	for _, want := range []string{"Search latency", "Owner: kim", "Priority: high", "retro#a-1", "debrief-action:a-1"} {
		if !strings.Contains(is.Description, want) {
			t.Errorf("description lacks %q:\n%s", want, is.Description)
		}
	}
	if is.Title != item.Text || is.DueDate != "2026-12-10" || !slicesContain(is.Labels, Label) {
		t.Errorf("issue %+v", is)
	}
	if again, err := g.Create(ctx, item, inc, "", true); err != nil || again != ref || len(srv.Issues()) != 1 {
		t.Errorf("a retried create: %q %v, %d issues", again, err, len(srv.Issues()))
	}
	srv.SetState(1, "closed")
	if st, err := g.Issue(ctx, ref); err != nil || !st.Closed || !st.Completed || st.ClosedAt.IsZero() {
		t.Errorf("closed: %+v %v", st, err)
	}
	if err := g.Reopen(ctx, ref, "Reopened in Debrief."); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(ctx, ref, "Marked done in Debrief.", true); err != nil {
		t.Fatal(err)
	}
	if is := srv.Issues()[0]; is.State != "closed" || len(is.Notes) != 2 {
		t.Errorf("after reopen and close: %+v", is)
	}
	srv.FailNext(1)
	if _, err := g.Issue(ctx, ref); err == nil || !strings.Contains(err.Error(), "502") || strings.Contains(err.Error(), "glpat-secret") {
		t.Errorf("a failing GitLab: %v", err)
	}
	srv.DeleteIssue(1)
	if _, err := g.Issue(ctx, ref); !errors.Is(err, tracker.ErrGone) {
		t.Errorf("a deleted issue: %v, want ErrGone", err)
	}
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
