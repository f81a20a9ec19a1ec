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
	"github.com/debriefhq/debrief/tracker/gitlab"
	"github.com/debriefhq/debrief/tracker/gitlab/gitlabtest"
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

func (s *slackSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.texts)
}

func (s *slackSink) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.texts[len(s.texts)-1]
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
	// Reopened in Debrief after that: the issue reopens (the later change
	// wins), and the item stays open.
	open := debrief.ActionOpen
	if _, err := s.UpdateAction(ctx, alert.IncidentID, alert.ID, debrief.ActionUpdate{State: &open}); err != nil {
		t.Fatal(err)
	}
	q.ItemChanged(ctx, item(alert))
	eventually(t, "the issue reopened from Debrief", func() bool { return gh.Issues()[0].State == "open" })
	q.ItemChanged(ctx, item(alert))
	time.Sleep(300 * time.Millisecond) // a second sync changes nothing
	if st := item(alert).State; st != debrief.ActionOpen {
		t.Errorf("after the issue was reopened from Debrief the item is %s", st)
	}

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
	if is := gh.Issues()[1]; !strings.Contains(is.Comments[0], "dropped") || !strings.Contains(is.Comments[0], note) || is.StateReason != "not_planned" {
		t.Errorf("closed from Debrief: %q, %s", is.Comments[0], is.StateReason)
	}
	// Reopened in GitHub after that: the item reopens.
	gh.ReopenIssue(2)
	q.ItemChanged(ctx, item(runbook))
	eventually(t, "the item reopened from GitHub", func() bool { return item(runbook).State == debrief.ActionOpen })
	// Its issue deleted: the item is unlinked, with a note, and left alone.
	gh.DeleteIssue(2)
	q.ItemChanged(ctx, item(runbook))
	eventually(t, "the item unlinked", func() bool { return item(runbook).State == debrief.ActionUnlinked })
	if n := item(runbook).Note; !strings.Contains(n, "gone") || !strings.Contains(n, gh.IssueURL(2)) {
		t.Errorf("unlinked note %q", n)
	}

	// GitHub failing: the job is retried until it gets through.
	gh.FailNext(3)
	retried := add("search-latency", "Review pool settings in CI", "kim", now.Add(-24*time.Hour), "")
	q.ItemChanged(ctx, item(retried))
	eventually(t, "the issue after GitHub recovered", func() bool { return item(retried).Tracking == gh.IssueURL(3) })

	// Items tracked elsewhere are left alone; the periodic sync finds what
	// nobody announced.
	// A private incident's item gets no issue (the repository may have
	// more readers than the incident).
	jira := add("search-latency", "Upgrade the search cluster", "priya", now.Add(24*time.Hour), "SRE-12")
	secret := add("hr", "Rotate the confidential key", "kim", time.Time{}, "")
	q.ItemChanged(ctx, item(secret))
	quiet := add("search-latency", "Document the pool settings", "sam", now.Add(24*time.Hour), "")
	if err := q.SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the periodic sync", func() bool { return item(quiet).Tracking == gh.IssueURL(4) })
	if got := item(jira).Tracking; got != "SRE-12" {
		t.Errorf("an item tracked in Jira now says %q", got)
	}
	if got := item(secret).Tracking; got != "" {
		t.Errorf("a private incident's item got an issue: %s", got)
	}
	if n := len(gh.Issues()); n != 4 {
		t.Errorf("%d issues, want 4 (no duplicates)", n)
	}
	for _, is := range gh.Issues() {
		if strings.Contains(is.Title+is.Body, "onfidential") {
			t.Errorf("a private incident reached GitHub: %+v", is)
		}
	}

	// Reminders, by owner; a private incident's item is not described.
	// (The day's reminder may have gone out at the start already, when the
	// test runs after its hour: the one asked for now is the last.)
	sent := sink.count()
	if err := q.RemindNow(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reminder", func() bool { return sink.count() > sent })
	text := sink.last()
	for _, want := range []string{"need attention", "kim", "Review pool settings in CI (Search latency): overdue since", "priya",
		"Upgrade the search cluster (Search latency): due ", "an item of a private incident: no due date yet", "https://debrief.example.com/actions"} {
		if !strings.Contains(text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "confidential key") || strings.Contains(text, "Write the pool runbook") {
		t.Errorf("reminder shows a private item or an unlinked one:\n%s", text)
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

func TestDailySchedule(t *testing.T) {
	d := daily{at: 9 * time.Hour}
	at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, time.UTC) }
	if got := d.Next(at(8, 0)); !got.Equal(at(9, 0)) {
		t.Errorf("next after 08:00: %v", got)
	}
	if got := d.Next(at(9, 0)); !got.Equal(at(9, 0).AddDate(0, 0, 1)) {
		t.Errorf("next at 09:00: %v", got)
	}
	if args, _ := d.today(at(8, 59)); args != nil {
		t.Errorf("a start before the hour sends %v", args)
	}
	args, opts := d.today(at(15, 0))
	if a, ok := args.(RemindArgs); !ok || a.Day != "2026-12-01" || opts == nil || !opts.UniqueOpts.ByArgs {
		t.Errorf("a start after the hour: %+v %+v", args, opts)
	}
}

// TestFollowupGitLab: the same sync with a GitLab project.
func TestFollowupGitLab(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lab := gitlabtest.New(t, "platform/search", "glpat-token")
	tr, err := gitlab.New(gitlab.Config{Project: "platform/search", Token: "glpat-token", URL: lab.URL})
	if err != nil {
		t.Fatal(err)
	}
	q, err := Open(ctx, s, s, Config{Tracker: tr, SyncEvery: time.Hour, PollInterval: 20 * time.Millisecond, retry: quickRetry{},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	s.CreateIncident(ctx, &debrief.Incident{ID: "inc", Title: "Search latency"})
	a := &debrief.ActionItem{IncidentID: "inc", Text: "Alert on pool waits", Owner: "kim"}
	if err := s.AddAction(ctx, a); err != nil {
		t.Fatal(err)
	}
	item := func() *debrief.ActionItem {
		as, _ := s.Actions(ctx, debrief.ActionFilter{IncidentID: "inc"})
		return as[0]
	}
	q.ItemChanged(ctx, item())
	eventually(t, "the GitLab issue", func() bool { return item().Tracking == lab.IssueURL(1) })
	lab.SetState(1, "closed")
	q.ItemChanged(ctx, item())
	eventually(t, "the item done after its GitLab issue closed", func() bool { return item().State == debrief.ActionDone })
}
