package followup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/tracker"
)

// SyncItemArgs syncs one action item with the tracker.
type SyncItemArgs struct {
	IncidentID string `json:"incident_id"`
	ItemID     string `json:"item_id"`
	// Version is the item's UpdatedAt (Unix nanoseconds) when the sync
	// was asked for.
	Version int64 `json:"version"`
}

func (SyncItemArgs) Kind() string { return "debrief.sync_item" }

type syncItemWorker struct {
	river.WorkerDefaults[SyncItemArgs]
	q *Queue
}

func (w *syncItemWorker) Work(ctx context.Context, job *river.Job[SyncItemArgs]) error {
	q, tr := w.q, w.q.cfg.Tracker
	a, inc, err := q.tracked(ctx, job.Args.IncidentID, job.Args.ItemID)
	if a == nil {
		return err
	}
	open := a.State == debrief.ActionOpen || a.State == debrief.ActionBlocked
	if open && a.Tracking == "" {
		// Opening the issue is a job of its own, one at a time per item
		// across every server: two syncs never open two issues.
		_, err := q.client.Insert(ctx, CreateIssueArgs{IncidentID: a.IncidentID, ItemID: a.ID}, createOpts)
		return err
	}
	if !tr.Owns(a.Tracking) || a.State == debrief.ActionUnlinked {
		return nil // tracked elsewhere (another tracker, a ticket id, a pull request)
	}
	is, err := tr.Issue(ctx, a.Tracking)
	if errors.Is(err, tracker.ErrGone) {
		unlinked, note := debrief.ActionUnlinked, fmt.Sprintf("Its %s issue is gone (deleted, moved, or no longer visible to Debrief); give it a new tracking home. Was: %s", tr.Name(), a.Tracking)
		_, err := q.store.UpdateAction(ctx, a.IncidentID, a.ID, debrief.ActionUpdate{State: &unlinked, Note: &note})
		q.cfg.Log.Warn("action item unlinked: its issue is gone", "incident", a.IncidentID, "item", a.ID, "issue", a.Tracking)
		return err
	} else if err != nil {
		return err
	}
	// Whichever side changed last wins: the item's state change (StateAt)
	// against the issue's closing, or its last update.
	private := inc.Private
	switch {
	case open && is.Closed && a.StateAt.After(is.ClosedAt):
		// Reopened in Debrief after the issue closed.
		if err := tr.Reopen(ctx, a.Tracking, "Reopened in Debrief."); err != nil {
			return err
		}
		q.cfg.Log.Info("issue reopened from its action item", "incident", a.IncidentID, "item", a.ID, "issue", a.Tracking)
	case open && is.Closed:
		state, note := debrief.ActionDone, a.Note
		if !is.Completed {
			state = debrief.ActionDropped
			if note == "" {
				note = "Closed as not planned in " + tr.Name() + "."
			}
		}
		if _, err := q.store.UpdateAction(ctx, a.IncidentID, a.ID, debrief.ActionUpdate{State: &state, Note: &note}); err != nil {
			return err
		}
		q.cfg.Log.Info("action item closed from its issue", "incident", a.IncidentID, "item", a.ID, "state", state)
		q.keepStatus(ctx, a.IncidentID)
	case !open && !is.Closed && is.UpdatedAt.After(a.StateAt):
		// Reopened (or worked on) in the tracker after the item closed.
		state, note := debrief.ActionOpen, "Reopened in "+tr.Name()+"."
		if _, err := q.store.UpdateAction(ctx, a.IncidentID, a.ID, debrief.ActionUpdate{State: &state, Note: &note}); err != nil {
			return err
		}
		q.cfg.Log.Info("action item reopened from its issue", "incident", a.IncidentID, "item", a.ID)
		q.keepStatus(ctx, a.IncidentID)
	case !open && !is.Closed:
		comment := fmt.Sprintf("Marked %s in Debrief.", a.State)
		if a.Note != "" && !private {
			comment += " " + a.Note
		}
		if err := tr.Close(ctx, a.Tracking, comment, a.State == debrief.ActionDone); err != nil {
			return err
		}
		q.cfg.Log.Info("issue closed from its action item", "incident", a.IncidentID, "item", a.ID, "issue", a.Tracking)
	}
	return nil
}

// tracked loads an item the tracker sync is for; nil (and no error) when
// there is no tracker, the item is gone, or its incident is private and
// private items are not tracked.
func (q *Queue) tracked(ctx context.Context, incidentID, itemID string) (*debrief.ActionItem, *debrief.Incident, error) {
	if q.cfg.Tracker == nil {
		return nil, nil, nil
	}
	a, inc, err := q.item(ctx, incidentID, itemID)
	if errors.Is(err, errNoItem) || (err == nil && inc.Private && !q.cfg.TrackPrivate) {
		return nil, nil, nil
	}
	return a, inc, err
}

// CreateIssueArgs opens an item's issue in the tracker.
type CreateIssueArgs struct {
	IncidentID string `json:"incident_id"`
	ItemID     string `json:"item_id"`
}

func (CreateIssueArgs) Kind() string { return "debrief.create_issue" }

// createOpts: at most one waiting or running per item.
var createOpts = &river.InsertOpts{Queue: trackerQueue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingOnly}}

type createIssueWorker struct {
	river.WorkerDefaults[CreateIssueArgs]
	q *Queue
}

func (w *createIssueWorker) Work(ctx context.Context, job *river.Job[CreateIssueArgs]) error {
	q, tr := w.q, w.q.cfg.Tracker
	a, inc, err := q.tracked(ctx, job.Args.IncidentID, job.Args.ItemID)
	if a == nil {
		return err
	}
	if a.Tracking != "" || (a.State != debrief.ActionOpen && a.State != debrief.ActionBlocked) {
		return nil // tracked meanwhile, or closed
	}
	item, shown, link := a, inc, q.link(a)
	if inc.Private {
		// A private incident's item in a repository others may read: a
		// stub that says where to look, nothing of the incident.
		stub := *a
		stub.Text = "Action item " + a.ID + " of a private incident"
		item, shown = &stub, &debrief.Incident{ID: "private", Title: "a private incident"}
	}
	ref, err := tr.Create(ctx, item, shown, link, job.Attempt > 1)
	if errors.Is(err, tracker.ErrGone) {
		// The repository is gone or out of reach: retrying will not help.
		return river.JobCancel(fmt.Errorf("open an issue for %s: %w", a.ID, err))
	} else if err != nil {
		return err
	}
	if _, err := q.store.UpdateAction(ctx, a.IncidentID, a.ID, debrief.ActionUpdate{Tracking: &ref}); err != nil {
		return err
	}
	q.cfg.Log.Info("action item tracked", "incident", a.IncidentID, "item", a.ID, "issue", ref)
	return nil
}

// SyncAllArgs queues a sync of every item that may differ from its issue.
type SyncAllArgs struct{}

func (SyncAllArgs) Kind() string { return "debrief.sync_all" }

type syncAllWorker struct {
	river.WorkerDefaults[SyncAllArgs]
	q *Queue
}

func (w *syncAllWorker) Work(ctx context.Context, job *river.Job[SyncAllArgs]) error {
	q := w.q
	as, err := q.store.Actions(ctx, debrief.ActionFilter{})
	if err != nil {
		return err
	}
	// Open items (an issue to make, or closed in the tracker), and items
	// closed in Debrief lately (their issue to close): not every item ever
	// closed, each run.
	recent := time.Now().Add(-2*q.cfg.SyncEvery - time.Hour)
	var batch []river.InsertManyParams
	for _, a := range as {
		open := a.State == debrief.ActionOpen || a.State == debrief.ActionBlocked
		if !open && !(a.UpdatedAt.After(recent) && q.cfg.Tracker.Owns(a.Tracking)) {
			continue
		}
		batch = append(batch, river.InsertManyParams{Args: syncArgs(a), InsertOpts: syncOpts})
	}
	for len(batch) > 0 {
		n := min(len(batch), 500)
		if _, err := q.client.InsertMany(ctx, batch[:n]); err != nil {
			return err
		}
		batch = batch[n:]
	}
	return nil
}

// RemindArgs sends the reminders of a day (Day, YYYY-MM-DD, makes the
// job unique: one reminder a day however often servers restart).
type RemindArgs struct {
	Day string `json:"day,omitempty"`
}

func (RemindArgs) Kind() string { return "debrief.remind" }

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	q *Queue
}

func (w *remindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	q := w.q
	if q.cfg.Notifier == nil {
		return nil
	}
	text, err := q.reminder(ctx, time.Now().UTC())
	if err != nil || text == "" {
		return err
	}
	return q.cfg.Notifier.Notify(ctx, text)
}

// daily is a schedule at one time of day, UTC.
type daily struct{ at time.Duration }

func (d daily) Next(now time.Time) time.Time {
	now = now.UTC()
	t := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).Add(d.at)
	if !t.After(now) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// today is the day's reminder once its time has come (nil before): run at
// a server's start, it sends a reminder the day missed (a restart at the
// hour), and none twice.
func (d daily) today(now time.Time) (river.JobArgs, *river.InsertOpts) {
	now = now.UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if now.Before(midnight.Add(d.at)) {
		return nil, nil
	}
	return RemindArgs{Day: midnight.Format(time.DateOnly)}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// reminder writes the reminder of the open items due before now plus
// RemindBefore, overdue or undated, by owner; "" when there is none.
// Private incidents' items are named by their owner and date only.
func (q *Queue) reminder(ctx context.Context, now time.Time) (string, error) {
	as, err := q.store.Actions(ctx, debrief.ActionFilter{States: []debrief.ActionState{debrief.ActionOpen, debrief.ActionBlocked},
		DueBefore: now.Add(q.cfg.RemindBefore)})
	if err != nil || len(as) == 0 {
		return "", err
	}
	incidents := map[string]*debrief.Incident{}
	byOwner := map[string][]string{}
	for _, a := range as {
		inc, ok := incidents[a.IncidentID]
		if !ok {
			if inc, err = q.store.Incident(ctx, a.IncidentID); err != nil {
				return "", err
			}
			incidents[a.IncidentID] = inc
		}
		var when string
		switch {
		case a.Due.IsZero():
			when = "no due date yet"
		case a.Due.Before(now):
			when = fmt.Sprintf("overdue since %s", a.Due.Format("2006-01-02"))
		default:
			when = "due " + a.Due.Format("2006-01-02")
		}
		line := fmt.Sprintf("• %s (%s): %s", a.Text, inc.Title, when)
		if inc.Private {
			line = fmt.Sprintf("• an item of a private incident: %s", when)
		}
		if a.State == debrief.ActionBlocked {
			line += ", blocked"
		}
		if l := q.link(a); l != "" && !inc.Private {
			line += " " + l
		}
		byOwner[a.Owner] = append(byOwner[a.Owner], line)
	}
	owners := make([]string, 0, len(byOwner))
	for o := range byOwner {
		owners = append(owners, o)
	}
	slices.Sort(owners)
	var b strings.Builder
	fmt.Fprintf(&b, "Action items from incident retros: %d need attention.\n", len(as))
	for _, o := range owners {
		who := o
		if who == "" {
			who = "No owner yet (each needs one person)"
		}
		fmt.Fprintf(&b, "\n%s\n%s\n", who, strings.Join(byOwner[o], "\n"))
	}
	if q.cfg.BaseURL != "" {
		fmt.Fprintf(&b, "\nThe review: %s/actions\n", q.cfg.BaseURL)
	}
	return b.String(), nil
}

// keepStatus moves the incident along its loop after the sync closed or
// reopened one of its items (debrief.KeepStatus).
func (q *Queue) keepStatus(ctx context.Context, incidentID string) {
	if err := debrief.KeepStatus(ctx, q.store, incidentID, false); err != nil {
		q.cfg.Log.Warn("move the incident's status along", "incident", incidentID, "err", err)
	}
}
