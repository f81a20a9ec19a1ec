package followup

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/internal/pgtest"
	"github.com/debriefhq/debrief/store/postgres"
	"github.com/debriefhq/debrief/store/sqlite"
	"github.com/debriefhq/debrief/tracker/github"
	"github.com/debriefhq/debrief/tracker/github/githubtest"
)

type store interface {
	debrief.Store
	Database
}

func TestFollowupSQLite(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testFollowup(t, s)
}

func TestFollowupPostgres(t *testing.T) {
	s, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testFollowup(t, s)
}

// quickRetry retries a failed job after 100 ms instead of River's backoff.
type quickRetry struct{}

func (quickRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

// slackSink receives webhook posts.
type slackSink struct {
	mu    sync.Mutex
	texts []string
}

func (s *slackSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.texts = append(s.texts, string(b))
	s.mu.Unlock()
	w.Write([]byte("ok"))
}

func (s *slackSink) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.texts, "\n")
}

// eventually waits for cond, the queue working in the background.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
	}
}

func testFollowup(t *testing.T, s store) {
	ctx := context.Background()
	gh := githubtest.New(t, "acme", "search", "gh-token")
	tr, err := github.New(github.Config{Repo: "acme/search", Token: "gh-token", APIURL: gh.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	sink := &slackSink{}
	hook := httptest.NewServer(sink)
	defer hook.Close()
	notifier, err := NewSlackWebhook(hook.URL + "/services/T000/B000/secretpart")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer // shown when the test fails
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("queue's log:\n%s", logs.String())
		}
	})
	q, err := Open(ctx, s, s, Config{Tracker: tr, Notifier: notifier, BaseURL: "https://debrief.example.com",
		SyncEvery: time.Hour, PollInterval: 20 * time.Millisecond, retry: quickRetry{},
		Log: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		q.Stop(sctx)
	}()

	s.CreateIncident(ctx, &debrief.Incident{ID: "search-latency", Title: "Search latency"})
	s.CreateIncident(ctx, &debrief.Incident{ID: "hr", Title: "Confidential matter", Private: true})
	now := time.Now().UTC()
	add := func(inc, text, owner string, due time.Time, tracking string) *debrief.ActionItem {
		a := &debrief.ActionItem{IncidentID: inc, Text: text, Owner: owner, Due: due, Tracking: tracking}
		if err := s.AddAction(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	item := func(a *debrief.ActionItem) *debrief.ActionItem {
		as, err := s.Actions(ctx, debrief.ActionFilter{IncidentID: a.IncidentID})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range as {
			if x.ID == a.ID {
				return x
			}
		}
		t.Fatalf("item %s gone", a.ID)
		return nil
	}

	// An open item gets an issue, once, with a link back.
	alert := add("search-latency", "Alert on pool waits over 100 ms", "kim", now.Add(48*time.Hour), "")
	q.ItemChanged(ctx, item(alert))
	eventually(t, "the item's issue", func() bool { return item(alert).Tracking == gh.IssueURL(1) })
	if is := gh.Issues(); len(is) != 1 || !strings.Contains(is[0].Body, "https://debrief.example.com/incidents/search-latency/retro#"+alert.ID) {
		t.Errorf("issues: %+v", is)
	}
	// Closed in GitHub: done in Debrief.
	gh.CloseIssue(1, "completed")
	q.ItemChanged(ctx, item(alert))
	eventually(t, "the item done after its issue closed", func() bool { return item(alert).State == debrief.ActionDone })

	// Dropped in Debrief: its issue closes with the reason.
	runbook := add("search-latency", "Write the pool runbook", "sam", time.Time{}, "")
	q.ItemChanged(ctx, item(runbook))
	eventually(t, "the second issue", func() bool { return item(runbook).Tracking == gh.IssueURL(2) })
	dropped, note := debrief.ActionDropped, "Covered by the platform team's runbook."
	if _, err := s.UpdateAction(ctx, runbook.IncidentID, runbook.ID, debrief.ActionUpdate{State: &dropped, Note: &note}); err != nil {
		t.Fatal(err)
	}
	q.ItemChanged(ctx, item(runbook))
	eventually(t, "the issue closed from Debrief", func() bool { is := gh.Issues()[1]; return is.State == "closed" && len(is.Comments) == 1 })
	if c := gh.Issues()[1].Comments[0]; !strings.Contains(c, "dropped") || !strings.Contains(c, note) {
		t.Errorf("closing comment %q", c)
	}

	// GitHub failing: the job is retried until it gets through.
	gh.FailNext(3)
	retried := add("search-latency", "Review pool settings in CI", "kim", now.Add(-24*time.Hour), "")
	q.ItemChanged(ctx, item(retried))
	eventually(t, "the issue after GitHub recovered", func() bool { return item(retried).Tracking == gh.IssueURL(3) })

	// Items tracked elsewhere are left alone; the periodic sync finds what
	// nobody announced.
	jira := add("search-latency", "Upgrade the search cluster", "priya", now.Add(24*time.Hour), "SRE-12")
	quiet := add("hr", "Rotate the confidential key", "kim", time.Time{}, "")
	if err := q.SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the periodic sync", func() bool { return item(quiet).Tracking == gh.IssueURL(4) })
	if got := item(jira).Tracking; got != "SRE-12" {
		t.Errorf("an item tracked in Jira now says %q", got)
	}
	if n := len(gh.Issues()); n != 4 {
		t.Errorf("%d issues, want 4 (no duplicates)", n)
	}

	// Reminders, by owner; a private incident's item is not described.
	if err := q.RemindNow(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reminder", func() bool { return sink.all() != "" })
	text := sink.all()
	for _, want := range []string{"need attention", "kim", "Review pool settings in CI (Search latency): overdue since", "priya",
		"Upgrade the search cluster (Search latency): due ", "an item of a private incident: no due date yet", "https://debrief.example.com/actions"} {
		if !strings.Contains(text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "confidential key") || strings.Contains(text, "Alert on pool waits") {
		t.Errorf("reminder shows a private item or a done one:\n%s", text)
	}
}

func TestSlackWebhookErrorHidesAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no_service", http.StatusNotFound) }))
	defer srv.Close()
	n, err := NewSlackWebhook(srv.URL + "/services/T000/B000/XXXXsecretXXXX")
	if err != nil {
		t.Fatal(err)
	}
	err = n.Notify(context.Background(), "hello")
	if err == nil || strings.Contains(err.Error(), "XXXXsecretXXXX") {
		t.Errorf("error %v", err)
	}
	if _, err := NewSlackWebhook("hooks.slack.com/services/x"); err == nil {
		t.Error("an address without a scheme is accepted")
	}
}

// syncWriter lets the queue's goroutines log into one buffer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
