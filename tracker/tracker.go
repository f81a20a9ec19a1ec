// Package tracker is how Debrief keeps an action item and its issue in the
// team's tracker in step: the item gets an issue where the team plans its
// work ("a tracking home: it goes into the same backlog as feature work"),
// and closing either side closes the other. One package per tracker
// (tracker/github, ...); the follow-up jobs (package followup) drive them.
package tracker

import (
	"context"
	"errors"
	"time"

	"github.com/debriefhq/debrief"
)

// Tracker is one issue tracker.
type Tracker interface {
	// Name is the tracker's name in messages ("GitHub").
	Name() string
	// Owns reports whether ref (an action item's Tracking) names an issue
	// of this tracker.
	Owns(ref string) bool
	// Create opens an issue for the item and returns its reference (a
	// URL). With retry (an earlier try may have opened it, its answer
	// lost) an issue already made for the item is found and returned
	// instead of a second.
	Create(ctx context.Context, item *debrief.ActionItem, inc *debrief.Incident, link string, retry bool) (string, error)
	// Issue reads the state of the issue ref names.
	Issue(ctx context.Context, ref string) (Issue, error)
	// Close closes the issue with a comment saying why; completed false
	// closes it as not planned.
	Close(ctx context.Context, ref, comment string, completed bool) error
	// Reopen reopens the issue with a comment saying why.
	Reopen(ctx context.Context, ref, comment string) error
}

// ErrGone is the error (wrapped) of an issue that no longer exists or can
// no longer be seen (deleted, moved, access lost).
var ErrGone = errors.New("the issue is gone")

// Issue is what Debrief reads of an issue.
type Issue struct {
	Ref      string
	Closed   bool
	ClosedAt time.Time
	// UpdatedAt is the issue's last change of any kind (a reopening, a
	// comment).
	UpdatedAt time.Time
	// Completed is false when the tracker says it was closed as not
	// planned (a won't-do), which makes the item dropped, not done.
	Completed bool
}

// At sets the issue's times from a client's optional ones.
func (is *Issue) At(closedAt, updatedAt *time.Time) {
	if closedAt != nil {
		is.ClosedAt = closedAt.UTC()
	}
	if updatedAt != nil {
		is.UpdatedAt = updatedAt.UTC()
	}
}
