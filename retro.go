package debrief

import (
	"context"
	"time"
)

// RetroService keeps what a retro produces and what follows it: the
// contributing factors, the action items (tracked across incidents until
// they land) and the meetings.
type RetroService interface {
	// AddFactor stores a new factor of an incident; its Events must be
	// events of that incident.
	AddFactor(ctx context.Context, f *Factor) error
	UpdateFactor(ctx context.Context, incidentID, id string, upd FactorUpdate) (*Factor, error)
	// DeleteFactor removes a factor and unlinks it from action items.
	DeleteFactor(ctx context.Context, incidentID, id string) error
	// Factors lists an incident's factors in the order they were added.
	Factors(ctx context.Context, incidentID string) ([]*Factor, error)
	// FactorsTagged lists the factors of every incident carrying any of
	// the tags, oldest first: what a recurrence warning looks for.
	FactorsTagged(ctx context.Context, tags []string) ([]*Factor, error)

	// AddAction stores a new action item; its Factors must be factors of
	// the same incident.
	AddAction(ctx context.Context, a *ActionItem) error
	UpdateAction(ctx context.Context, incidentID, id string, upd ActionUpdate) (*ActionItem, error)
	// Actions lists action items across incidents: the recurring review
	// of what is still open.
	Actions(ctx context.Context, f ActionFilter) ([]*ActionItem, error)

	CreateMeeting(ctx context.Context, m *Meeting) error
	Meeting(ctx context.Context, id string) (*Meeting, error)
	UpdateMeeting(ctx context.Context, id string, upd MeetingUpdate) (*Meeting, error)
	// Meetings lists an incident's meetings, earliest first.
	Meetings(ctx context.Context, incidentID string) ([]*Meeting, error)
}

// FactorUpdate changes the fields that are set.
type FactorUpdate struct {
	Text   *string
	Tags   *[]string
	Events *[]string
}

// ActionUpdate changes the fields that are set. Setting State to done
// records DoneAt; leaving done clears it.
type ActionUpdate struct {
	Text     *string
	Owner    *string
	Due      *time.Time // the zero time clears it
	Priority *Priority
	State    *ActionState
	Tracking *string
	Note     *string
	Factors  *[]string
}

// ApplyTo sets the fields of a that the update sets (no checks: the store
// checks the result).
func (u ActionUpdate) ApplyTo(a *ActionItem) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&a.Text, u.Text)
	set(&a.Owner, u.Owner)
	set(&a.Tracking, u.Tracking)
	set(&a.Note, u.Note)
	if u.Due != nil {
		a.Due = *u.Due
	}
	if u.Priority != nil {
		a.Priority = *u.Priority
	}
	if u.State != nil {
		a.State = *u.State
	}
	if u.Factors != nil {
		a.Factors = *u.Factors
	}
}

// ActionFilter narrows the action items of Actions; zero fields match all.
type ActionFilter struct {
	IncidentID string
	Owner      string
	// States match any of these; empty matches every state.
	States []ActionState
	// DueBefore keeps items due before it (overdue ones, with now); items
	// without a due date are kept too, since they are what a review must
	// fix first.
	DueBefore time.Time
	Priority  Priority
	Limit     int
}

// MeetingUpdate changes the fields that are set.
type MeetingUpdate struct {
	Facilitator *string
	StartsAt    *time.Time
	Phase       *MeetingPhase
	Invitees    *[]Invitee
	WentWell    *[]string
	// AddWentWell appends notes to WentWell as the store holds it at the
	// time of the update: several people adding at once lose none.
	AddWentWell []string
	// Ended ends the meeting now (true) or reopens it (false).
	Ended *bool
}

// ApplyTo sets the fields of m that the update sets, all but Ended (the
// store ends a meeting at its own clock's time).
func (u MeetingUpdate) ApplyTo(m *Meeting) {
	if u.Facilitator != nil {
		m.Facilitator = *u.Facilitator
	}
	if u.StartsAt != nil {
		m.StartsAt = u.StartsAt.UTC()
	}
	if u.Phase != nil {
		m.Phase = *u.Phase
	}
	if u.Invitees != nil {
		m.Invitees = *u.Invitees
	}
	if u.WentWell != nil {
		m.WentWell = *u.WentWell
	}
	m.WentWell = append(m.WentWell, u.AddWentWell...)
}

// Valid reports whether p is a priority.
func (p Priority) Valid() bool { return p == PriorityHigh || p == PriorityNiceToHave }

// Valid reports whether s is an action item state.
func (s ActionState) Valid() bool {
	switch s {
	case ActionOpen, ActionDone, ActionDropped, ActionBlocked, ActionUnlinked:
		return true
	}
	return false
}

// Valid reports whether p is a phase of the agenda.
func (p MeetingPhase) Valid() bool {
	for _, a := range Agenda {
		if a.Phase == p {
			return true
		}
	}
	return false
}

// KeepStatus moves an incident along its loop after its retro changed:
// a meeting that ended makes an open or resolved incident reviewed (the
// retro was held); a reviewed incident whose high-priority action items
// are all closed (done or dropped) is followed up, and goes back to
// reviewed when one of them reopens. Open and resolved stay as set until a
// meeting ends; reviewed and followed up follow the items (one without
// high-priority items stays reviewed).
func KeepStatus(ctx context.Context, s Store, incidentID string, meetingEnded bool) error {
	inc, err := s.Incident(ctx, incidentID)
	if err != nil {
		return err
	}
	status := inc.Status
	if meetingEnded && (status == StatusOpen || status == StatusResolved) {
		status = StatusReviewed
	}
	if status == StatusReviewed || status == StatusFollowedUp {
		as, err := s.Actions(ctx, ActionFilter{IncidentID: incidentID, Priority: PriorityHigh})
		if err != nil {
			return err
		}
		closed := len(as) > 0
		for _, a := range as {
			if a.State != ActionDone && a.State != ActionDropped {
				closed = false
			}
		}
		status = StatusReviewed
		if closed {
			status = StatusFollowedUp
		}
	}
	if status == inc.Status {
		return nil
	}
	_, err = s.UpdateIncident(ctx, incidentID, IncidentUpdate{Status: &status})
	return err
}

// ParseDate reads a date as people write one for a due date or a review
// day: 2026-12-01 (that day, midnight UTC: the date is the deadline, its
// end is not implied) or an RFC 3339 time (in UTC).
func ParseDate(v string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	return t.UTC(), err
}
