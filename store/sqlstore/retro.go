package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
)

// Limits on what people type into a retro; generous, but a form or an API
// client cannot fill the database with one field.
const (
	maxRetroText = 4000
	maxTags      = 20
	maxTagLen    = 64
	maxRefs      = 200 // events of a factor, factors of an item, invitees
	// maxPhaseMarks bounds a meeting's phase changes: six phases, with
	// room to go back and forth.
	maxPhaseMarks = 1000
)

// reads runs reads through prepared statements, kept per query text
// (preparing is a large part of a small query's cost: the live room reads
// its lists on every change, for every participant). Queries reach it
// already rewritten by s.q.
type reads struct{ s *DB }

func (r reads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (r reads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := r.s.prepared(ctx, query)
	if err != nil {
		return r.s.db.QueryRowContext(ctx, query, args...) // reports the error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (r reads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.s.db.ExecContext(ctx, query, args...)
}

// queryer is a *sql.DB, a *sql.Tx or reads.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func retroText(what, s string) (string, error) {
	s = storable(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", debrief.Errorf(debrief.EINVALID, "%s is empty", what)
	case utf8.RuneCountInString(s) > maxRetroText:
		return "", debrief.Errorf(debrief.EINVALID, "%s holds more than %d characters", what, maxRetroText)
	case !utf8.ValidString(s):
		return "", debrief.Errorf(debrief.EINVALID, "%s is not valid UTF-8", what)
	}
	return s, nil
}

// normTags lower-cases tags, joins words with dashes, drops repeats and
// sorts them, so "Config Review" and "config-review" are one tag.
func normTags(tags []string) ([]string, error) {
	var out []string
	for _, t := range tags {
		t = storable(strings.Join(strings.Fields(strings.ToLower(t)), "-"))
		if t == "" {
			continue
		}
		if len(t) > maxTagLen {
			return nil, debrief.Errorf(debrief.EINVALID, "tag %q: at most %d characters", t, maxTagLen)
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxTags {
		return nil, debrief.Errorf(debrief.EINVALID, "at most %d tags", maxTags)
	}
	return out, nil
}

// normOwner checks an action item's owner: one person's handle, never a
// team or a list ("sam", not "sam, priya" or "the search team").
func normOwner(owner string) (string, error) {
	owner = strings.TrimPrefix(strings.TrimSpace(owner), "@")
	if owner == "" {
		return "", nil
	}
	if len(owner) > 64 || strings.ContainsAny(owner, " \t\n,;&/+\x00") {
		return "", debrief.Errorf(debrief.EINVALID, "owner %q: one person's handle (an item has one owner, never a team or a list)", owner)
	}
	return owner, nil
}

func distinct(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// checkRefs makes sure every id is a row of table in the incident.
func (s *DB) checkRefs(ctx context.Context, q queryer, table, what, incidentID string, ids []string) error {
	if len(ids) > maxRefs {
		return debrief.Errorf(debrief.EINVALID, "at most %d %ss", maxRefs, what)
	}
	for _, id := range ids {
		var n int
		if err := q.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+table+` WHERE incident_id = ? AND id = ?`), incidentID, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return debrief.Errorf(debrief.EINVALID, "no %s %q in incident %q", what, id, incidentID)
		}
	}
	return nil
}

func (s *DB) incidentExists(ctx context.Context, q queryer, id string) error {
	var n int
	if err := q.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM incidents WHERE id = ?`), id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return debrief.Errorf(debrief.ENOTFOUND, "no incident %q", id)
	}
	return nil
}

// seq orders an incident's factors and items as they were added.
func (s *DB) seq() int64 { return s.now().UnixNano() }

func jsonList[T any](v []T) string {
	if v == nil {
		v = []T{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// change runs fn in a transaction that tells watchers about incidentID.
func (s *DB) change(ctx context.Context, incidentID string, fn func(tx *sql.Tx) error) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.changed(ctx, tx, incidentID)
	})
	if err == nil {
		s.done(incidentID)
	}
	return err
}

// Factors.

func (s *DB) AddFactor(ctx context.Context, f *debrief.Factor) error {
	var err error
	if f.Text, err = retroText("a factor", f.Text); err != nil {
		return err
	}
	if f.Tags, err = normTags(f.Tags); err != nil {
		return err
	}
	f.Events = distinct(f.Events)
	if f.ID == "" {
		f.ID = newID("f-")
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = s.now().UTC()
	}
	return s.change(ctx, f.IncidentID, func(tx *sql.Tx) error {
		if err := s.incidentExists(ctx, tx, f.IncidentID); err != nil {
			return err
		}
		if err := s.checkRefs(ctx, tx, "events", "event", f.IncidentID, f.Events); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO factors (id, incident_id, seq, text, events, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			f.ID, f.IncidentID, s.seq(), f.Text, jsonList(f.Events), f.CreatedBy, f.CreatedAt.UnixNano()); err != nil {
			if s.isUnique(err) {
				return debrief.Errorf(debrief.ECONFLICT, "factor %q exists already", f.ID)
			}
			return err
		}
		return s.setTags(ctx, tx, f.ID, f.Tags)
	})
}

func (s *DB) setTags(ctx context.Context, tx *sql.Tx, factorID string, tags []string) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM factor_tags WHERE factor_id = ?`), factorID); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO factor_tags (factor_id, tag) VALUES (?, ?)`), factorID, t); err != nil {
			return err
		}
	}
	return nil
}

const factorCols = `f.id, f.incident_id, f.text, f.events, f.created_by, f.created_at`

// factors runs a query for factorCols and fills in their tags.
func (s *DB) factors(ctx context.Context, q queryer, query string, args ...any) ([]*debrief.Factor, error) {
	rows, err := q.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	var out []*debrief.Factor
	byID := map[string]*debrief.Factor{}
	for rows.Next() {
		var f debrief.Factor
		var events string
		var created int64
		if err := rows.Scan(&f.ID, &f.IncidentID, &f.Text, &events, &f.CreatedBy, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(events), &f.Events); err != nil {
			rows.Close()
			return nil, fmt.Errorf("factor %s: events: %w", f.ID, err)
		}
		if len(f.Events) == 0 {
			f.Events = nil
		}
		f.CreatedAt = time.Unix(0, created).UTC()
		out = append(out, &f)
		byID[f.ID] = &f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Tags, a few queries of at most 100 factors each.
	for start := 0; start < len(out); start += 100 {
		chunk := out[start:min(start+100, len(out))]
		args := make([]any, len(chunk))
		for i, f := range chunk {
			args[i] = f.ID
		}
		trows, err := q.QueryContext(ctx, s.q(`SELECT factor_id, tag FROM factor_tags WHERE factor_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY factor_id, tag`), args...)
		if err != nil {
			return nil, err
		}
		for trows.Next() {
			var id, tag string
			if err := trows.Scan(&id, &tag); err != nil {
				trows.Close()
				return nil, err
			}
			if f := byID[id]; f != nil {
				f.Tags = append(f.Tags, tag)
			}
		}
		trows.Close()
		if err := trows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *DB) factor(ctx context.Context, q queryer, incidentID, id string) (*debrief.Factor, error) {
	lock := ""
	if _, inTx := q.(*sql.Tx); inTx {
		lock = s.d.ForUpdate // read to be rewritten
	}
	fs, err := s.factors(ctx, q, `SELECT `+factorCols+` FROM factors f WHERE f.incident_id = ? AND f.id = ?`+lock, incidentID, id)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no factor %q in incident %q", id, incidentID)
	}
	return fs[0], nil
}

func (s *DB) UpdateFactor(ctx context.Context, incidentID, id string, upd debrief.FactorUpdate) (*debrief.Factor, error) {
	var out *debrief.Factor
	err := s.change(ctx, incidentID, func(tx *sql.Tx) error {
		f, err := s.factor(ctx, tx, incidentID, id)
		if err != nil {
			return err
		}
		if upd.Text != nil {
			if f.Text, err = retroText("a factor", *upd.Text); err != nil {
				return err
			}
		}
		if upd.Events != nil {
			f.Events = distinct(*upd.Events)
			if err := s.checkRefs(ctx, tx, "events", "event", incidentID, f.Events); err != nil {
				return err
			}
			if len(f.Events) == 0 {
				f.Events = nil
			}
		}
		if upd.Tags != nil {
			if f.Tags, err = normTags(*upd.Tags); err != nil {
				return err
			}
			if err := s.setTags(ctx, tx, id, f.Tags); err != nil {
				return err
			}
		}
		out = f
		_, err = tx.ExecContext(ctx, s.q(`UPDATE factors SET text = ?, events = ? WHERE id = ?`), f.Text, jsonList(f.Events), id)
		return err
	})
	return out, err
}

func (s *DB) DeleteFactor(ctx context.Context, incidentID, id string) error {
	return s.change(ctx, incidentID, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, s.q(`DELETE FROM factors WHERE incident_id = ? AND id = ?`), incidentID, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return debrief.Errorf(debrief.ENOTFOUND, "no factor %q in incident %q", id, incidentID)
		}
		// Unlink it from the incident's action items.
		items, err := s.actions(ctx, tx, `SELECT `+actionCols+` FROM action_items a WHERE a.incident_id = ? ORDER BY a.id`+s.d.ForUpdate, incidentID)
		if err != nil {
			return err
		}
		for _, a := range items {
			if i := slices.Index(a.Factors, id); i >= 0 {
				a.Factors = slices.Delete(a.Factors, i, i+1)
				if _, err := tx.ExecContext(ctx, s.q(`UPDATE action_items SET factors = ? WHERE id = ?`), jsonList(a.Factors), a.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *DB) Factors(ctx context.Context, incidentID string) ([]*debrief.Factor, error) {
	return s.factors(ctx, reads{s}, `SELECT `+factorCols+` FROM factors f WHERE f.incident_id = ? ORDER BY f.seq, f.id`, incidentID)
}

func (s *DB) FactorsTagged(ctx context.Context, tags []string) ([]*debrief.Factor, error) {
	tags, err := normTags(tags)
	if err != nil || len(tags) == 0 {
		return nil, err
	}
	args := make([]any, len(tags))
	for i, t := range tags {
		args[i] = t
	}
	return s.factors(ctx, reads{s}, `SELECT `+factorCols+` FROM factors f WHERE f.id IN (SELECT factor_id FROM factor_tags WHERE tag IN (?`+
		strings.Repeat(", ?", len(tags)-1)+`)) ORDER BY f.created_at, f.id`, args...)
}

// Action items.

func (s *DB) checkAction(a *debrief.ActionItem) error {
	var err error
	if a.Text, err = retroText("an action item", a.Text); err != nil {
		return err
	}
	if a.Owner, err = normOwner(a.Owner); err != nil {
		return err
	}
	if a.Priority == "" {
		a.Priority = debrief.PriorityNiceToHave
	}
	if !a.Priority.Valid() {
		return debrief.Errorf(debrief.EINVALID, "priority %q: high or nice-to-have", a.Priority)
	}
	if a.State == "" {
		a.State = debrief.ActionOpen
	}
	if !a.State.Valid() {
		return debrief.Errorf(debrief.EINVALID, "state %q: open, done, dropped, blocked or unlinked", a.State)
	}
	a.Tracking, a.Note = storable(strings.TrimSpace(a.Tracking)), storable(strings.TrimSpace(a.Note))
	if len(a.Tracking) > 500 || utf8.RuneCountInString(a.Note) > maxRetroText {
		return debrief.Errorf(debrief.EINVALID, "tracking (500) or note (%d characters) too long", maxRetroText)
	}
	if a.State == debrief.ActionDropped && a.Note == "" {
		return debrief.Errorf(debrief.EINVALID, "a dropped action item needs a note saying why")
	}
	if !a.Due.IsZero() {
		a.Due = a.Due.UTC()
		if a.Due.Year() < 2000 || a.Due.Year() > 2200 {
			return debrief.Errorf(debrief.EINVALID, "due date %s: between 2000 and 2200", a.Due.Format(time.DateOnly))
		}
	}
	a.Factors = distinct(a.Factors)
	if len(a.Factors) == 0 {
		a.Factors = nil
	}
	return nil
}

func (s *DB) AddAction(ctx context.Context, a *debrief.ActionItem) error {
	if err := s.checkAction(a); err != nil {
		return err
	}
	if a.ID == "" {
		a.ID = newID("a-")
	}
	now := s.now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.UpdatedAt = now
	if a.State == debrief.ActionDone && a.DoneAt.IsZero() {
		a.DoneAt = now
	}
	if a.StateAt.IsZero() {
		a.StateAt = now
	}
	return s.change(ctx, a.IncidentID, func(tx *sql.Tx) error {
		if err := s.incidentExists(ctx, tx, a.IncidentID); err != nil {
			return err
		}
		if err := s.checkRefs(ctx, tx, "factors", "factor", a.IncidentID, a.Factors); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO action_items (id, incident_id, seq, text, owner, due, priority, state, tracking, note, factors, done_at, created_at, updated_at, state_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			a.ID, a.IncidentID, s.seq(), a.Text, a.Owner, nanos(a.Due), string(a.Priority), string(a.State), a.Tracking, a.Note,
			jsonList(a.Factors), nanos(a.DoneAt), a.CreatedAt.UnixNano(), a.UpdatedAt.UnixNano(), a.StateAt.UnixNano())
		if err != nil && s.isUnique(err) {
			return debrief.Errorf(debrief.ECONFLICT, "action item %q exists already", a.ID)
		}
		return err
	})
}

const actionCols = `a.id, a.incident_id, a.text, a.owner, a.due, a.priority, a.state, a.tracking, a.note, a.factors, a.done_at, a.created_at, a.updated_at, a.state_at`

func (s *DB) actions(ctx context.Context, q queryer, query string, args ...any) ([]*debrief.ActionItem, error) {
	rows, err := q.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*debrief.ActionItem
	for rows.Next() {
		var a debrief.ActionItem
		var prio, state, factors string
		var due, done, stateAt sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.IncidentID, &a.Text, &a.Owner, &due, &prio, &state, &a.Tracking, &a.Note, &factors, &done, &created, &updated, &stateAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(factors), &a.Factors); err != nil {
			return nil, fmt.Errorf("action item %s: factors: %w", a.ID, err)
		}
		if len(a.Factors) == 0 {
			a.Factors = nil
		}
		a.Priority, a.State = debrief.Priority(prio), debrief.ActionState(state)
		a.Due, a.DoneAt = fromNanos(due), fromNanos(done)
		a.CreatedAt, a.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
		if a.StateAt = fromNanos(stateAt); a.StateAt.IsZero() {
			a.StateAt = a.UpdatedAt
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

func (s *DB) UpdateAction(ctx context.Context, incidentID, id string, upd debrief.ActionUpdate) (*debrief.ActionItem, error) {
	var out *debrief.ActionItem
	err := s.change(ctx, incidentID, func(tx *sql.Tx) error {
		items, err := s.actions(ctx, tx, `SELECT `+actionCols+` FROM action_items a WHERE a.incident_id = ? AND a.id = ?`+s.d.ForUpdate, incidentID, id)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return debrief.Errorf(debrief.ENOTFOUND, "no action item %q in incident %q", id, incidentID)
		}
		a := items[0]
		wasDone, was := a.State == debrief.ActionDone, a.State
		upd.ApplyTo(a)
		if err := s.checkAction(a); err != nil {
			return err
		}
		if upd.Factors != nil {
			if err := s.checkRefs(ctx, tx, "factors", "factor", incidentID, a.Factors); err != nil {
				return err
			}
		}
		now := s.now().UTC()
		switch {
		case a.State == debrief.ActionDone && !wasDone:
			a.DoneAt = now
		case a.State != debrief.ActionDone:
			a.DoneAt = time.Time{}
		}
		a.UpdatedAt = now
		if a.State != was {
			a.StateAt = now
		}
		out = a
		_, err = tx.ExecContext(ctx, s.q(`UPDATE action_items SET text = ?, owner = ?, due = ?, priority = ?, state = ?, tracking = ?, note = ?, factors = ?, done_at = ?, updated_at = ?, state_at = ? WHERE id = ?`),
			a.Text, a.Owner, nanos(a.Due), string(a.Priority), string(a.State), a.Tracking, a.Note, jsonList(a.Factors), nanos(a.DoneAt), a.UpdatedAt.UnixNano(), a.StateAt.UnixNano(), id)
		return err
	})
	return out, err
}

func (s *DB) Actions(ctx context.Context, f debrief.ActionFilter) ([]*debrief.ActionItem, error) {
	where, args := []string{"1=1"}, []any{}
	if f.IncidentID != "" {
		where, args = append(where, "a.incident_id = ?"), append(args, f.IncidentID)
	}
	if f.Owner != "" {
		where, args = append(where, "a.owner = ?"), append(args, strings.TrimPrefix(strings.TrimSpace(f.Owner), "@"))
	}
	if f.Priority != "" {
		where, args = append(where, "a.priority = ?"), append(args, string(f.Priority))
	}
	if len(f.States) > 0 {
		ph, vals := inList(f.States)
		where, args = append(where, "a.state IN ("+ph+")"), append(args, vals...)
	}
	if !f.DueBefore.IsZero() {
		where, args = append(where, "(a.due IS NULL OR a.due < ?)"), append(args, f.DueBefore.UnixNano())
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	args = append(args, limit)
	// Undated items first (they need a date), then by due date.
	return s.actions(ctx, reads{s}, `SELECT `+actionCols+` FROM action_items a WHERE `+strings.Join(where, " AND ")+
		` ORDER BY CASE WHEN a.due IS NULL THEN 0 ELSE 1 END, a.due, a.seq, a.id LIMIT ?`, args...)
}

// Meetings.

func checkMeeting(m *debrief.Meeting) error {
	m.Facilitator = storable(strings.TrimPrefix(strings.TrimSpace(m.Facilitator), "@"))
	if !m.StartsAt.IsZero() && (m.StartsAt.Year() < 2000 || m.StartsAt.Year() > 2200) {
		return debrief.Errorf(debrief.EINVALID, "meeting time %s: between 2000 and 2200", m.StartsAt.Format(time.RFC3339))
	}
	if m.Phase != "" && !m.Phase.Valid() {
		return debrief.Errorf(debrief.EINVALID, "phase %q: frame, timeline, factors, went_well, actions or close", m.Phase)
	}
	if len(m.Invitees) > maxRefs || len(m.WentWell) > maxRefs {
		return debrief.Errorf(debrief.EINVALID, "at most %d invitees and %d went-well notes", maxRefs, maxRefs)
	}
	for i, in := range m.Invitees {
		m.Invitees[i].Reason = storable(in.Reason)
		if m.Invitees[i].Person = storable(strings.TrimSpace(in.Person)); m.Invitees[i].Person == "" {
			return debrief.Errorf(debrief.EINVALID, "invitee %d has no name", i+1)
		}
	}
	if len(m.Phases) > maxPhaseMarks {
		return debrief.Errorf(debrief.EINVALID, "at most %d phase changes in one meeting", maxPhaseMarks)
	}
	for i, pm := range m.Phases {
		if (pm.Phase != "" && !pm.Phase.Valid()) || pm.At.Year() < 2000 || pm.At.Year() > 2200 {
			return debrief.Errorf(debrief.EINVALID, "phase change %d: a phase of the agenda (or none, when the meeting ended) and a time between 2000 and 2200", i+1)
		}
	}
	for i, w := range m.WentWell {
		var err error
		if m.WentWell[i], err = retroText("a went-well note", w); err != nil {
			return err
		}
	}
	return nil
}

func (s *DB) CreateMeeting(ctx context.Context, m *debrief.Meeting) error {
	if err := checkMeeting(m); err != nil {
		return err
	}
	if m.ID == "" {
		m.ID = newID("m-")
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.now().UTC()
	}
	if m.Phase != "" && len(m.Phases) == 0 {
		m.Phases = []debrief.PhaseMark{{Phase: m.Phase, At: m.CreatedAt}}
	}
	return s.change(ctx, m.IncidentID, func(tx *sql.Tx) error {
		if err := s.incidentExists(ctx, tx, m.IncidentID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO meetings (id, incident_id, facilitator, starts_at, phase, invitees, went_well, phases, ended_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			m.ID, m.IncidentID, m.Facilitator, nanos(m.StartsAt), string(m.Phase), jsonList(m.Invitees), jsonList(m.WentWell), jsonList(m.Phases), nanos(m.EndedAt), m.CreatedAt.UnixNano())
		if err != nil && s.isUnique(err) {
			if openMeetingClash(err) {
				return debrief.Errorf(debrief.ECONFLICT, "incident %q has a meeting that has not ended: end it first", m.IncidentID)
			}
			return debrief.Errorf(debrief.ECONFLICT, "meeting %q exists already", m.ID)
		}
		return err
	})
}

// openMeetingClash reports whether a unique violation is the rule of one
// meeting not ended per incident (meetings_one_open).
func openMeetingClash(err error) bool {
	m := err.Error()
	return strings.Contains(m, "meetings_one_open") || strings.Contains(m, "meetings.incident_id")
}

const meetingCols = `m.id, m.incident_id, m.facilitator, m.starts_at, m.phase, m.invitees, m.went_well, m.phases, m.ended_at, m.created_at`

func (s *DB) meetings(ctx context.Context, q queryer, query string, args ...any) ([]*debrief.Meeting, error) {
	rows, err := q.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*debrief.Meeting
	for rows.Next() {
		var m debrief.Meeting
		var phase, invitees, wentWell, phases string
		var starts, ended sql.NullInt64
		var created int64
		if err := rows.Scan(&m.ID, &m.IncidentID, &m.Facilitator, &starts, &phase, &invitees, &wentWell, &phases, &ended, &created); err != nil {
			return nil, err
		}
		if err := errors.Join(json.Unmarshal([]byte(invitees), &m.Invitees), json.Unmarshal([]byte(wentWell), &m.WentWell),
			json.Unmarshal([]byte(phases), &m.Phases)); err != nil {
			return nil, fmt.Errorf("meeting %s: %w", m.ID, err)
		}
		if len(m.Invitees) == 0 {
			m.Invitees = nil
		}
		if len(m.WentWell) == 0 {
			m.WentWell = nil
		}
		if len(m.Phases) == 0 {
			m.Phases = nil
			// A meeting from before phases were marked: its phase counts
			// from its creation.
			if phase != "" {
				m.Phases = []debrief.PhaseMark{{Phase: debrief.MeetingPhase(phase), At: time.Unix(0, created).UTC()}}
			}
		}
		m.Phase = debrief.MeetingPhase(phase)
		m.StartsAt, m.EndedAt, m.CreatedAt = fromNanos(starts), fromNanos(ended), time.Unix(0, created).UTC()
		out = append(out, &m)
	}
	return out, rows.Err()
}

func (s *DB) Meeting(ctx context.Context, id string) (*debrief.Meeting, error) {
	ms, err := s.meetings(ctx, reads{s}, `SELECT `+meetingCols+` FROM meetings m WHERE m.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no meeting %q", id)
	}
	return ms[0], nil
}

func (s *DB) UpdateMeeting(ctx context.Context, id string, upd debrief.MeetingUpdate) (*debrief.Meeting, error) {
	m, err := s.Meeting(ctx, id)
	if err != nil {
		return nil, err
	}
	err = s.change(ctx, m.IncidentID, func(tx *sql.Tx) error {
		ms, err := s.meetings(ctx, tx, `SELECT `+meetingCols+` FROM meetings m WHERE m.id = ?`+s.d.ForUpdate, id)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return debrief.Errorf(debrief.ENOTFOUND, "no meeting %q", id)
		}
		m = ms[0]
		was, wasEnded, now := m.Phase, !m.EndedAt.IsZero(), s.now().UTC()
		upd.ApplyTo(m)
		ended := wasEnded
		if upd.Ended != nil {
			ended = *upd.Ended
		}
		switch {
		case ended && !wasEnded: // ending: the clock stops (a mark of no phase)
			if m.Phase != was && m.Phase != "" {
				m.Phases = append(m.Phases, debrief.PhaseMark{Phase: m.Phase, At: now})
			}
			m.Phases = append(m.Phases, debrief.PhaseMark{At: now})
			m.EndedAt = now
		case !ended && wasEnded: // reopening: the clock runs again
			m.EndedAt = time.Time{}
			if m.Phase != "" {
				m.Phases = append(m.Phases, debrief.PhaseMark{Phase: m.Phase, At: now})
			}
		case m.Phase != was && m.Phase != "":
			m.Phases = append(m.Phases, debrief.PhaseMark{Phase: m.Phase, At: now})
		}
		// A meeting moved back and forth past the bound keeps its latest
		// marks: the clock and the recent phases matter most.
		if n := len(m.Phases); n > maxPhaseMarks {
			m.Phases = slices.Delete(m.Phases, 0, n-maxPhaseMarks)
		}
		if err := checkMeeting(m); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE meetings SET facilitator = ?, starts_at = ?, phase = ?, invitees = ?, went_well = ?, phases = ?, ended_at = ? WHERE id = ?`),
			m.Facilitator, nanos(m.StartsAt), string(m.Phase), jsonList(m.Invitees), jsonList(m.WentWell), jsonList(m.Phases), nanos(m.EndedAt), id)
		if err != nil && s.isUnique(err) && openMeetingClash(err) {
			return debrief.Errorf(debrief.ECONFLICT, "incident %q has another meeting that has not ended: end it before reopening this one", m.IncidentID)
		}
		return err
	})
	return m, err
}

func (s *DB) Meetings(ctx context.Context, incidentID string) ([]*debrief.Meeting, error) {
	return s.meetings(ctx, reads{s}, `SELECT `+meetingCols+` FROM meetings m WHERE m.incident_id = ? ORDER BY m.created_at, m.id`, incidentID)
}

// exportRetro adds the retros of the exported incidents.
func (s *DB) exportRetro(ctx context.Context, d *debrief.Dump) error {
	for _, inc := range d.Incidents {
		fs, err := s.Factors(ctx, inc.ID)
		if err != nil {
			return err
		}
		d.Factors = append(d.Factors, fs...)
		as, err := s.actions(ctx, s.db, `SELECT `+actionCols+` FROM action_items a WHERE a.incident_id = ? ORDER BY a.seq, a.id`, inc.ID)
		if err != nil {
			return err
		}
		d.Actions = append(d.Actions, as...)
		ms, err := s.Meetings(ctx, inc.ID)
		if err != nil {
			return err
		}
		d.Meetings = append(d.Meetings, ms...)
	}
	return nil
}

// importRetro stores a dump's retros inside Import's transaction, keeping
// their order.
func (s *DB) importRetro(ctx context.Context, tx *sql.Tx, d *debrief.Dump) error {
	for i, f := range d.Factors {
		tags, err := normTags(f.Tags)
		if err != nil {
			return fmt.Errorf("import: factor %s: %w", f.ID, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO factors (id, incident_id, seq, text, events, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			f.ID, f.IncidentID, int64(i), f.Text, jsonList(f.Events), f.CreatedBy, f.CreatedAt.UnixNano()); err != nil {
			return fmt.Errorf("import: factor %s: %w", f.ID, err)
		}
		if err := s.setTags(ctx, tx, f.ID, tags); err != nil {
			return err
		}
	}
	for i, a := range d.Actions {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO action_items (id, incident_id, seq, text, owner, due, priority, state, tracking, note, factors, done_at, created_at, updated_at, state_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			a.ID, a.IncidentID, int64(i), a.Text, a.Owner, nanos(a.Due), string(a.Priority), string(a.State), a.Tracking, a.Note,
			jsonList(a.Factors), nanos(a.DoneAt), a.CreatedAt.UnixNano(), a.UpdatedAt.UnixNano(), nanos(a.StateAt)); err != nil {
			return fmt.Errorf("import: action item %s: %w", a.ID, err)
		}
	}
	for _, m := range d.Meetings {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO meetings (id, incident_id, facilitator, starts_at, phase, invitees, went_well, phases, ended_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			m.ID, m.IncidentID, m.Facilitator, nanos(m.StartsAt), string(m.Phase), jsonList(m.Invitees), jsonList(m.WentWell), jsonList(m.Phases), nanos(m.EndedAt), m.CreatedAt.UnixNano()); err != nil {
			return fmt.Errorf("import: meeting %s: %w", m.ID, err)
		}
	}
	return nil
}
