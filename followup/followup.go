// Package followup is the work that keeps action items alive after the
// retro, run in the background by a job queue in the same database as the
// store (River, on SQLite or PostgreSQL), so it survives restarts and runs
// once however many servers share the database:
//
//   - tracker sync: an open item without a tracking home gets an issue in
//     the team's tracker; an issue closed there closes the item (done, or
//     dropped when closed as not planned); an item closed in Debrief closes
//     its issue. Each item is synced when it changes and every SyncEvery.
//   - reminders: every day, the items due within RemindBefore, overdue or
//     undated, by owner, to the team's channel.
//
// Jobs are retried with backoff when the tracker or the channel fails.
package followup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/tracker"
)

// Config says what to follow up and how.
type Config struct {
	// Tracker, when set, gets an issue for each open item without one.
	Tracker tracker.Tracker
	// Notifier, when set, gets the daily reminders.
	Notifier Notifier
	// BaseURL is where people reach the web app (links in issues and
	// reminders), as https://debrief.example.com.
	BaseURL string
	// SyncEvery is how often every item is synced with the tracker
	// (default 15 minutes): changes made in the tracker arrive this late.
	SyncEvery time.Duration
	// RemindAt is the time of day (UTC, since midnight) the reminders go
	// out (default 09:00), and RemindBefore how close a due date must be
	// (default 3 days).
	RemindAt, RemindBefore time.Duration
	// TrackPrivate opens issues for private incidents' items too, as
	// stubs naming the item only (the repository may be read by more
	// people than the incident); off, they are left untracked.
	TrackPrivate bool
	Log          *slog.Logger
	// PollInterval is how often workers look for new jobs (default 1 s;
	// tests shorten it).
	PollInterval time.Duration

	// retry replaces River's backoff (attempt⁴ seconds) in tests.
	retry river.ClientRetryPolicy
}

// Notifier delivers a reminder to the team.
type Notifier interface {
	Notify(ctx context.Context, text string) error
}

// Queue runs the follow-up jobs.
type Queue struct {
	client *river.Client[*sql.Tx]
	store  debrief.Store
	cfg    Config
}

// Database is the store's database, which the queue shares.
type Database interface {
	SQL() *sql.DB
	Engine() string
}

// Open brings the queue's tables up to date in db (River's own migrations,
// beside the store's) and makes the queue; Start runs it.
func Open(ctx context.Context, st debrief.Store, db Database, cfg Config) (*Queue, error) {
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = 15 * time.Minute
	}
	if cfg.RemindAt <= 0 || cfg.RemindAt >= 24*time.Hour {
		cfg.RemindAt = 9 * time.Hour
	}
	if cfg.RemindBefore <= 0 {
		cfg.RemindBefore = 72 * time.Hour
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	var drv riverdriver.Driver[*sql.Tx]
	switch db.Engine() {
	case "sqlite":
		drv = riversqlite.New(db.SQL())
	case "postgres":
		// database/sql over pgx, as the store: workers poll for jobs
		// (PollInterval) instead of holding a LISTEN connection.
		drv = riverdatabasesql.New(db.SQL())
	default:
		return nil, fmt.Errorf("followup: unknown database engine %q", db.Engine())
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: cfg.Log})
	if err != nil {
		return nil, fmt.Errorf("followup: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("followup: job queue tables: %w", err)
	}
	q := &Queue{store: st, cfg: cfg}
	workers := river.NewWorkers()
	river.AddWorker(workers, &syncItemWorker{q: q})
	river.AddWorker(workers, &syncAllWorker{q: q})
	river.AddWorker(workers, &createIssueWorker{q: q})
	river.AddWorker(workers, &remindWorker{q: q})
	var periodic []*river.PeriodicJob
	if cfg.Tracker != nil {
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(cfg.SyncEvery),
			func() (river.JobArgs, *river.InsertOpts) { return SyncAllArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if cfg.Notifier != nil {
		d := daily{at: cfg.RemindAt}
		periodic = append(periodic, river.NewPeriodicJob(d,
			func() (river.JobArgs, *river.InsertOpts) { return d.today(time.Now()) }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	q.client, err = river.NewClient(drv, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}, trackerQueue: {MaxWorkers: 1}},
		Workers:           workers,
		PeriodicJobs:      periodic,
		Logger:            cfg.Log,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, river.FetchCooldownDefault),
		JobTimeout:        2 * time.Minute,
		RetryPolicy:       cfg.retry,
	})
	if err != nil {
		return nil, fmt.Errorf("followup: %w", err)
	}
	return q, nil
}

// Start runs the workers until Stop. Ending ctx does not stop them (Stop
// does, letting running jobs finish).
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(context.WithoutCancel(ctx)) }

// Stop lets running jobs finish (up to ctx's deadline) and stops.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// Client is the River client (tests subscribe to its events).
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// pendingOnly: a sync waiting to run covers a second change; one that ran
// does not (the item may have changed since).
var pendingOnly = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// ItemChanged asks for an item, as it now is, to be synced with the
// tracker soon. It does nothing without a tracker.
func (q *Queue) ItemChanged(ctx context.Context, a *debrief.ActionItem) error {
	if q == nil || q.cfg.Tracker == nil {
		return nil
	}
	// Not unique: the tracker may have changed while a sync of the same
	// version ran, and a sync is cheap and idempotent.
	_, err := q.client.Insert(ctx, syncArgs(a), &river.InsertOpts{Queue: trackerQueue})
	return err
}

// syncArgs names the item and the version it was synced for: a change
// made while a sync of the previous version runs gets a job of its own
// (River keeps one job per args while it waits or runs).
func syncArgs(a *debrief.ActionItem) SyncItemArgs {
	return SyncItemArgs{IncidentID: a.IncidentID, ItemID: a.ID, Version: a.UpdatedAt.UnixNano()}
}

// syncOpts: the periodic sync adds no job for an item whose sync of the
// same version is waiting. Tracker jobs run one at a time per server
// (their own queue).
var syncOpts = &river.InsertOpts{Queue: trackerQueue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingOnly}}

const trackerQueue = "tracker"

// SyncAll asks for every item to be synced now.
func (q *Queue) SyncAll(ctx context.Context) error {
	_, err := q.client.Insert(ctx, SyncAllArgs{}, nil)
	return err
}

// RemindNow asks for the reminders to go out now.
func (q *Queue) RemindNow(ctx context.Context) error {
	_, err := q.client.Insert(ctx, RemindArgs{}, nil)
	return err
}

// errNoItem: the item is gone (its incident deleted); nothing to retry.
var errNoItem = errors.New("no such action item")

// item loads one action item and its incident.
func (q *Queue) item(ctx context.Context, incidentID, itemID string) (*debrief.ActionItem, *debrief.Incident, error) {
	inc, err := q.store.Incident(ctx, incidentID)
	if debrief.ErrorCode(err) == debrief.ENOTFOUND {
		return nil, nil, errNoItem
	} else if err != nil {
		return nil, nil, err
	}
	as, err := q.store.Actions(ctx, debrief.ActionFilter{IncidentID: incidentID})
	if err != nil {
		return nil, nil, err
	}
	for _, a := range as {
		if a.ID == itemID {
			return a, inc, nil
		}
	}
	return nil, nil, errNoItem
}

func (q *Queue) link(a *debrief.ActionItem) string {
	if q.cfg.BaseURL == "" {
		return ""
	}
	return q.cfg.BaseURL + "/incidents/" + a.IncidentID + "/retro#" + a.ID
}
