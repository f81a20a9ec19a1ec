package web

import (
	"context"
	"sync"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/redact"
)

// What people type is input too: a factor quoting the connection string
// that was wrong, an annotation with the token someone pasted in the
// channel. The server's store redacts every text a person writes, as the
// inputs are redacted on ingest, before it is stored (and so before any
// page, export or log shows it).

var redactor = sync.OnceValues(func() (*redact.Redactor, error) { return redact.New() })

// scrubbing wraps a store so that the text of every write from the web
// app and the API is redacted. Reads pass through.
type scrubbing struct {
	debrief.Store
	red *redact.Redactor
}

func scrubStore(st debrief.Store) (debrief.Store, error) {
	red, err := redactor()
	if err != nil {
		return nil, err
	}
	return scrubbing{Store: st, red: red}, nil
}

func (s scrubbing) text(p *string) {
	if p != nil {
		*p, _ = s.red.Redact(*p)
	}
}

func (s scrubbing) texts(p *[]string) {
	if p != nil {
		for i := range *p {
			s.text(&(*p)[i])
		}
	}
}

func (s scrubbing) CreateIncident(ctx context.Context, inc *debrief.Incident) error {
	s.text(&inc.Title)
	return s.Store.CreateIncident(ctx, inc)
}

func (s scrubbing) UpdateIncident(ctx context.Context, id string, upd debrief.IncidentUpdate) (*debrief.Incident, error) {
	s.text(upd.Title)
	return s.Store.UpdateIncident(ctx, id, upd)
}

func (s scrubbing) Curate(ctx context.Context, incidentID, eventID string, c debrief.Curation) (*debrief.StoredEvent, error) {
	s.text(c.Annotation)
	s.text(c.Text)
	return s.Store.Curate(ctx, incidentID, eventID, c)
}

func (s scrubbing) AddFactor(ctx context.Context, f *debrief.Factor) error {
	s.text(&f.Text)
	return s.Store.AddFactor(ctx, f)
}

func (s scrubbing) UpdateFactor(ctx context.Context, incidentID, id string, upd debrief.FactorUpdate) (*debrief.Factor, error) {
	s.text(upd.Text)
	return s.Store.UpdateFactor(ctx, incidentID, id, upd)
}

func (s scrubbing) AddAction(ctx context.Context, a *debrief.ActionItem) error {
	s.text(&a.Text)
	s.text(&a.Note)
	s.text(&a.Tracking)
	return s.Store.AddAction(ctx, a)
}

func (s scrubbing) UpdateAction(ctx context.Context, incidentID, id string, upd debrief.ActionUpdate) (*debrief.ActionItem, error) {
	s.text(upd.Text)
	s.text(upd.Note)
	s.text(upd.Tracking)
	return s.Store.UpdateAction(ctx, incidentID, id, upd)
}

func (s scrubbing) CreateMeeting(ctx context.Context, m *debrief.Meeting) error {
	s.texts(&m.WentWell)
	for i := range m.Invitees {
		s.text(&m.Invitees[i].Reason)
	}
	return s.Store.CreateMeeting(ctx, m)
}

func (s scrubbing) UpdateMeeting(ctx context.Context, id string, upd debrief.MeetingUpdate) (*debrief.Meeting, error) {
	s.texts(upd.WentWell)
	s.texts(&upd.AddWentWell)
	if upd.Invitees != nil {
		for i := range *upd.Invitees {
			s.text(&(*upd.Invitees)[i].Reason)
		}
	}
	return s.Store.UpdateMeeting(ctx, id, upd)
}

// Followup hears of action items added or changed, to sync them with the
// team's tracker (package followup).
type Followup interface {
	ItemChanged(ctx context.Context, a *debrief.ActionItem) error
}

// afterWrites does what follows a retro's writes: the follow-up queue
// (when there is one) hears of every action item written, to sync it with
// the tracker; and the incident moves along its loop (debrief.KeepStatus)
// when a meeting ends or an item's state or priority changes. A failure
// there is logged (the periodic sync catches up); the write stands.
type afterWrites struct {
	debrief.Store
	f   Followup // nil: no follow-up queue
	log func(msg string, args ...any)
}

func (s afterWrites) AddAction(ctx context.Context, a *debrief.ActionItem) error {
	if err := s.Store.AddAction(ctx, a); err != nil {
		return err
	}
	s.itemChanged(ctx, a)
	s.keepStatus(ctx, a.IncidentID, false)
	return nil
}

func (s afterWrites) UpdateAction(ctx context.Context, incidentID, id string, upd debrief.ActionUpdate) (*debrief.ActionItem, error) {
	a, err := s.Store.UpdateAction(ctx, incidentID, id, upd)
	if err != nil {
		return a, err
	}
	s.itemChanged(ctx, a)
	if upd.State != nil || upd.Priority != nil {
		s.keepStatus(ctx, incidentID, false)
	}
	return a, nil
}

func (s afterWrites) UpdateMeeting(ctx context.Context, id string, upd debrief.MeetingUpdate) (*debrief.Meeting, error) {
	m, err := s.Store.UpdateMeeting(ctx, id, upd)
	if err == nil && upd.Ended != nil && *upd.Ended {
		s.keepStatus(ctx, m.IncidentID, true)
	}
	return m, err
}

func (s afterWrites) itemChanged(ctx context.Context, a *debrief.ActionItem) {
	if s.f == nil {
		return
	}
	if err := s.f.ItemChanged(ctx, a); err != nil {
		s.log("queue the tracker sync of an action item", "incident", a.IncidentID, "item", a.ID, "err", err)
	}
}

func (s afterWrites) keepStatus(ctx context.Context, incidentID string, ended bool) {
	if err := debrief.KeepStatus(ctx, s.Store, incidentID, ended); err != nil {
		s.log("move the incident's status along", "incident", incidentID, "err", err)
	}
}
