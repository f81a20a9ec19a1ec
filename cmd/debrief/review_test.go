package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/store/sqlite"
)

// reviewDB holds two incidents: an earlier one whose fix for a tagged
// factor is still open, and a later one where that factor came back.
func reviewDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "debrief.db")
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateIncident(ctx, &debrief.Incident{ID: "checkout-errors", Title: "Checkout errors", CreatedAt: day(9, 1)}))
	must(s.CreateIncident(ctx, &debrief.Incident{ID: "search-latency", Title: "Search latency", CreatedAt: day(11, 2)}))
	old := &debrief.Factor{IncidentID: "checkout-errors", Text: "Pool settings changed without review", Tags: []string{"config-review"}}
	must(s.AddFactor(ctx, old))
	must(s.AddFactor(ctx, &debrief.Factor{IncidentID: "search-latency", Text: "The pool size change needed no review", Tags: []string{"config-review"}}))
	for _, a := range []*debrief.ActionItem{
		{IncidentID: "checkout-errors", Text: "Require review of pool settings", Owner: "sam", Due: day(10, 1), Priority: debrief.PriorityHigh, Tracking: "SRE-12", Factors: []string{old.ID}},
		{IncidentID: "search-latency", Text: "Alert on pool waits over 100 ms", Owner: "kim", Due: day(12, 20), Priority: debrief.PriorityHigh},
		{IncidentID: "search-latency", Text: "Write the pool runbook"},
		{IncidentID: "search-latency", Text: "Rotate the search credentials", Owner: "kim", State: debrief.ActionDone},
	} {
		must(s.AddAction(ctx, a))
	}
	// A private incident's item stays out of the review unless asked for.
	must(s.CreateIncident(ctx, &debrief.Incident{ID: "hr-matter", Title: "Confidential matter", Private: true, CreatedAt: day(10, 1)}))
	must(s.AddFactor(ctx, &debrief.Factor{IncidentID: "hr-matter", Text: "Confidential config change", Tags: []string{"config-review"}}))
	must(s.AddAction(ctx, &debrief.ActionItem{IncidentID: "hr-matter", Text: "Confidential follow-up", Owner: "kim"}))
	return db
}

func TestReview(t *testing.T) {
	db := reviewDB(t)
	code, out, errOut := run(t, "review", "--db", db, "--now", "2026-12-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"3 items from 2 incidents: 1 overdue, 1 without a due date, 1 without an owner; 1 contributing factors back while their fix is open.",
		"Came back while the fix is open",
		`Search latency (search-latency): "The pool size change needed no review"; earlier in Checkout errors (checkout-errors, 2026-09-01)`,
		`still open: "Require review of pool settings", owned by sam, due 2026-10-01`,
		"No owner (each needs one person)",
		"NO DATE: Write the pool runbook",
		"OVERDUE 61d: Require review of pool settings (Checkout errors, checkout-errors), due 2026-10-01, open, high, SRE-12",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("review lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Rotate the search credentials") {
		t.Error("a done item is listed by default")
	}
	if strings.Contains(out, "onfidential") {
		t.Errorf("a private incident shows in the review:\n%s", out)
	}
	if _, out, _ := run(t, "review", "--db", db, "--now", "2026-12-01", "--include-private"); !strings.Contains(out, "Confidential follow-up") || !strings.Contains(out, "Confidential config change") {
		t.Errorf("--include-private:\n%s", out)
	}
	// The order: unowned first, then by owner.
	if i, j, k := strings.Index(out, "Write the pool runbook"), strings.Index(out, "Alert on pool waits"), strings.Index(out, "OVERDUE 61d: Require review of pool"); !(i < j && j < k) {
		t.Errorf("items not grouped unowned, kim, sam:\n%s", out)
	}

	// One owner's items; overdue ones only; a scheduled job fails on them.
	_, out, _ = run(t, "review", "--db", db, "--now", "2026-12-01", "--owner", "@kim")
	if strings.Contains(out, "Require review") || !strings.Contains(out, "Alert on pool waits") {
		t.Errorf("--owner kim:\n%s", out)
	}
	code, out, _ = run(t, "review", "--db", db, "--now", "2026-12-01", "--overdue", "--fail-overdue")
	if code != 1 || strings.Contains(out, "Alert on pool waits") || !strings.Contains(out, "Require review") {
		t.Errorf("--overdue --fail-overdue: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "review", "--db", db, "--now", "2026-09-15", "--fail-overdue"); code != 0 {
		t.Errorf("nothing overdue yet, exit %d", code)
	}

	// Markdown for a post, JSON for scripts.
	_, out, _ = run(t, "review", "--db", db, "--now", "2026-12-01", "--format", "markdown")
	if !strings.HasPrefix(out, "# Action item review, 2026-12-01") || !strings.Contains(out, "- **OVERDUE 61d**: Require review") || !strings.Contains(out, "## sam") {
		t.Errorf("markdown:\n%s", out)
	}
	_, out, _ = run(t, "review", "--db", db, "--now", "2026-12-01", "--format", "json", "--state", "all")
	var rep struct {
		Summary struct{ Items, Overdue, Recurrences int }
		Actions []struct {
			Text        string
			Incident    string `json:"incident_title"`
			Overdue     bool
			DaysOverdue int `json:"days_overdue"`
		}
		Recurrences []struct {
			BackIn struct{ ID string } `json:"back_in"`
			Open   []struct{ Text string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if rep.Summary.Items != 4 || rep.Summary.Overdue != 1 || len(rep.Recurrences) != 1 || rep.Recurrences[0].BackIn.ID != "search-latency" || len(rep.Recurrences[0].Open) != 1 {
		t.Errorf("json: %+v", rep)
	}

	// Usage errors exit 2.
	for _, args := range [][]string{{"--format", "pdf"}, {"--state", "wip"}, {"--now", "next week"}, {"extra"}} {
		if code, _, errOut := run(t, append([]string{"review", "--db", db}, args...)...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// TestDemoHasARetro: serve --demo's database holds the sample incident's
// retro in progress and an earlier incident whose factor came back while
// its fix is overdue, which the review reports.
func TestDemoHasARetro(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "debrief.db")
	var out, errb strings.Builder
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if _, err := seedDemo(context.Background(), app, dir, db); err != nil {
		t.Fatal(err)
	}
	code, rev, errOut := run(t, "review", "--db", db)
	if code != 0 {
		t.Fatalf("review: %d %s", code, errOut)
	}
	if !regexp.MustCompile(`OVERDUE 2\dd: Require a second reviewer`).MatchString(rev) { // 20 days, 21 across midnight UTC
		t.Errorf("the demo's overdue item:\n%s", rev)
	}
	for _, want := range []string{"4 items from 2 incidents: 1 overdue, 1 without a due date", "Came back while the fix is open",
		`Search latency (search-latency): "The connection pool size change needed no review"`, "Require a second reviewer"} {
		if !strings.Contains(rev, want) {
			t.Errorf("the demo's review lacks %q:\n%s", want, rev)
		}
	}
}

// TestPostmortemFromTheDemo: the document written from the demo's retro
// has every section, the recurrence, and passes debrief lint.
func TestPostmortemFromTheDemo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "debrief.db")
	var out, errb strings.Builder
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if _, err := seedDemo(context.Background(), app, dir, db); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "postmortem.md")
	if code, _, errOut := run(t, "postmortem", "--db", db, "-o", doc, "search-latency"); code != 0 {
		t.Fatalf("postmortem: %d %s", code, errOut)
	}
	b, _ := os.ReadFile(doc)
	md := string(b)
	for _, want := range []string{"# Search latency", "## Timeline", "## Contributing factors", "The connection pool size change needed no review *(config-review, search-pool)*",
		"### Seen before", "Checkout errors after a config push", "## What went well", "## Action items",
		"| Alert when search-api pool waits exceed 100 ms for 5 minutes | priya |"} {
		if !strings.Contains(md, want) {
			t.Errorf("postmortem lacks %q:\n%s", want, md)
		}
	}
	if code, lintOut, _ := run(t, "lint", doc); code != 0 {
		t.Errorf("debrief lint on the postmortem: exit %d\n%s", code, lintOut)
	}
	if code, _, errOut := run(t, "postmortem", "--db", db, "no-such-incident"); code != 2 || !strings.Contains(errOut, "no-such-incident") {
		t.Errorf("unknown incident: exit %d %s", code, errOut)
	}
}
