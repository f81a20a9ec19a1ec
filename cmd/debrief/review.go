package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
)

// debrief review: the recurring forum's agenda from the terminal (a cron
// job's mail, a post in the team channel). Open action items across
// incidents, by owner, overdue and undated ones called out, and the
// contributing factors that came back while their fix is still open.

type reviewItem struct {
	*debrief.ActionItem
	Incident    string `json:"incident_title"`
	Overdue     bool   `json:"overdue"`
	DaysOverdue int    `json:"days_overdue,omitempty"`
}

type reviewReport struct {
	GeneratedAt time.Time          `json:"generated_at"`
	Summary     reviewSummary      `json:"summary"`
	Actions     []reviewItem       `json:"actions"`
	Recurrences []reviewRecurrence `json:"recurrences"`
}

// reviewRecurrence is a factor back in a later incident (BackIn) while
// the earlier incident's fix is open.
type reviewRecurrence struct {
	*debrief.Recurrence
	BackIn *debrief.Incident `json:"back_in"`
}

type reviewSummary struct {
	Items     int `json:"items"`
	Incidents int `json:"incidents"`
	Overdue   int `json:"overdue"`
	Undated   int `json:"undated"`
	Unowned   int `json:"unowned"`
	// Recurrences counts factors back while their earlier fix is open.
	Recurrences int `json:"recurrences"`
}

func runReview(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief review", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	db := dbFlag(fs)
	owner := fs.String("owner", "", "only this owner's items")
	states := fs.String("state", "open,blocked", "states to list, comma-separated, or all")
	overdue := fs.Bool("overdue", false, "only items past their due date, and undated ones")
	format := fs.String("format", "text", "output: text, markdown or json")
	nowFlag := fs.String("now", "", "the review's date (YYYY-MM-DD or RFC 3339; default now): what is overdue")
	failOverdue := fs.Bool("fail-overdue", false, "exit 1 when any listed item is overdue (for a scheduled job)")
	private := fs.Bool("include-private", false, "include private incidents (left out by default: the review is posted where all can read)")
	out := fs.String("o", "", "write to this file instead of stdout (written whole or not at all)")
	fs.Usage = func() {
		fmt.Fprintf(app.Stderr, "Usage: debrief review [flags]\n\nThe recurring review of action items across incidents: open items by owner, overdue and undated ones first, and contributing factors that came back while their fix is still open.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) > 0 {
		return usageError("review: unexpected argument %q", rest[0])
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		return usageError("review: --format %q: text, markdown or json", *format)
	}
	now := time.Now().UTC()
	if *nowFlag != "" {
		if now, err = debrief.ParseDate(*nowFlag); err != nil {
			return usageError("review: --now %q: expected 2026-12-01 or an RFC 3339 time", *nowFlag)
		}
	}
	f := debrief.ActionFilter{Owner: strings.TrimPrefix(strings.TrimSpace(*owner), "@")}
	if *states != "all" {
		for _, st := range strings.Split(*states, ",") {
			st := debrief.ActionState(strings.TrimSpace(st))
			if !st.Valid() {
				return usageError("review: --state %q: open, done, dropped, blocked, unlinked or all", st)
			}
			f.States = append(f.States, st)
		}
	}
	if *overdue {
		f.DueBefore = now
	}
	s, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := review(ctx, s, f, now, *private)
	if err != nil {
		return err
	}
	if err := writeOutput(app, *out, func(w io.Writer) error {
		switch *format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", " ")
			return enc.Encode(rep)
		case "markdown":
			return writeReview(w, rep, true)
		}
		return writeReview(w, rep, false)
	}); err != nil {
		return err
	}
	if *failOverdue && rep.Summary.Overdue > 0 {
		return errFindings
	}
	return nil
}

// shareable looks incidents up for output that is shared (a review
// posted to a channel, a postmortem): a private incident is nil unless
// private says to include it. Lookups are kept for the run.
func shareable(s debrief.Store, private bool) func(context.Context, string) (*debrief.Incident, error) {
	seen := map[string]*debrief.Incident{}
	return func(ctx context.Context, id string) (*debrief.Incident, error) {
		if inc, ok := seen[id]; ok {
			return inc, nil
		}
		inc, err := s.Incident(ctx, id)
		if err != nil {
			return nil, err
		}
		if inc.Private && !private {
			inc = nil
		}
		seen[id] = inc
		return inc, nil
	}
}

// review gathers the report: the filtered items, and every incident's
// recurrences whose earlier fix is still open.
func review(ctx context.Context, s debrief.Store, f debrief.ActionFilter, now time.Time, private bool) (*reviewReport, error) {
	as, err := s.Actions(ctx, f)
	if err != nil {
		return nil, err
	}
	rep := &reviewReport{GeneratedAt: now, Actions: []reviewItem{}, Recurrences: []reviewRecurrence{}}
	shown := shareable(s, private)
	titles := map[string]bool{}
	for _, a := range as {
		inc, err := shown(ctx, a.IncidentID)
		if err != nil {
			return nil, err
		}
		if inc == nil {
			continue
		}
		titles[inc.ID] = true
		it := reviewItem{ActionItem: a, Incident: inc.Title}
		open := a.State == debrief.ActionOpen || a.State == debrief.ActionBlocked
		if open && !a.Due.IsZero() && a.Due.Before(now) {
			it.Overdue, it.DaysOverdue = true, int(now.Sub(a.Due).Hours()/24)
			rep.Summary.Overdue++
		}
		if a.Due.IsZero() {
			rep.Summary.Undated++
		}
		if a.Owner == "" {
			rep.Summary.Unowned++
		}
		rep.Actions = append(rep.Actions, it)
	}
	rep.Summary.Items, rep.Summary.Incidents = len(rep.Actions), len(titles)
	// By owner (no owner first: those need one), then overdue first, then
	// by due date (undated first), as the store ordered them.
	slices.SortStableFunc(rep.Actions, func(a, b reviewItem) int {
		if c := strings.Compare(a.Owner, b.Owner); c != 0 {
			return c
		}
		switch {
		case a.Overdue && !b.Overdue:
			return -1
		case b.Overdue && !a.Overdue:
			return 1
		}
		return 0
	})
	for offset := 0; ; {
		incs, err := s.Incidents(ctx, debrief.IncidentFilter{Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, inc := range incs {
			if inc.Private && !private {
				continue
			}
			rs, err := debrief.FindRecurrences(ctx, s, inc, shown)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				if r.Unfixed() && (f.Owner == "" || slices.ContainsFunc(r.Open, func(a *debrief.ActionItem) bool { return a.Owner == f.Owner })) {
					rep.Recurrences = append(rep.Recurrences, reviewRecurrence{Recurrence: r, BackIn: inc})
				}
			}
		}
		if len(incs) < 1000 {
			break
		}
		offset += len(incs)
	}
	rep.Summary.Recurrences = len(rep.Recurrences)
	return rep, nil
}

// writeReview prints the report as text or markdown.
func writeReview(w io.Writer, rep *reviewReport, md bool) error {
	var b bytes.Buffer
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	heading := func(s string) {
		if md {
			fmt.Fprintf(&b, "\n## %s\n\n", s)
		} else {
			fmt.Fprintf(&b, "\n%s\n%s\n", s, strings.Repeat("-", len(s)))
		}
	}
	if md {
		fmt.Fprintf(&b, "# Action item review, %s\n\n", day(rep.GeneratedAt))
	} else {
		fmt.Fprintf(&b, "Action item review, %s\n", day(rep.GeneratedAt))
	}
	sum := rep.Summary
	fmt.Fprintf(&b, "%d items from %d incidents: %d overdue, %d without a due date, %d without an owner; %d contributing factors back while their fix is open.\n",
		sum.Items, sum.Incidents, sum.Overdue, sum.Undated, sum.Unowned, sum.Recurrences)
	if len(rep.Recurrences) > 0 {
		heading("Came back while the fix is open")
		for _, r := range rep.Recurrences {
			fmt.Fprintf(&b, "- %s (%s): %q; earlier in %s (%s, %s): %q.\n", r.BackIn.Title, r.BackIn.ID, r.Factor.Text,
				r.Incident.Title, r.Incident.ID, day(r.Incident.Began()), r.Earlier.Text)
			for _, a := range r.Open {
				fmt.Fprintf(&b, "  - still %s: %q%s%s\n", a.State, a.Text, ownerText(a), dueText(a))
			}
		}
	}
	owner := "\x00"
	for _, it := range rep.Actions {
		if it.Owner != owner {
			owner = it.Owner
			if owner == "" {
				heading("No owner (each needs one person)")
			} else {
				heading(owner)
			}
		}
		mark := ""
		switch {
		case it.Overdue:
			mark = fmt.Sprintf("OVERDUE %dd: ", it.DaysOverdue)
		case it.Due.IsZero() && (it.State == debrief.ActionOpen || it.State == debrief.ActionBlocked):
			mark = "NO DATE: "
		}
		if md && mark != "" {
			mark = "**" + strings.TrimSuffix(mark, ": ") + "**: "
		}
		fmt.Fprintf(&b, "- %s%s (%s, %s)%s, %s", mark, it.Text, it.Incident, it.IncidentID, dueText(it.ActionItem), it.State)
		if it.Priority != "" {
			fmt.Fprintf(&b, ", %s", it.Priority)
		}
		if it.Tracking != "" {
			fmt.Fprintf(&b, ", %s", it.Tracking)
		}
		if it.Note != "" {
			fmt.Fprintf(&b, " (%s)", it.Note)
		}
		b.WriteByte('\n')
	}
	if len(rep.Actions) == 0 {
		b.WriteString("\nNothing to review.\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func ownerText(a *debrief.ActionItem) string {
	if a.Owner == "" {
		return ", no owner"
	}
	return ", owned by " + a.Owner
}

func dueText(a *debrief.ActionItem) string {
	if a.Due.IsZero() {
		return ""
	}
	return ", due " + a.Due.Format("2006-01-02")
}
