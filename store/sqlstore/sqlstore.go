// Package sqlstore implements debrief.Store over database/sql for both
// backends; store/sqlite and store/postgres supply the driver, the
// migrations and the few statements whose SQL differs (placeholders, full-text
// search). The SQL is otherwise one dialect both engines speak.
package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/pressly/goose/v3"
)

// Dialect is what differs between the engines.
type Dialect struct {
	Goose goose.Dialect
	// Numbered placeholders ($1) instead of ?.
	Numbered bool
	// SearchEvents and SearchIncidents are the full-text queries: one
	// argument, the engine's query (from Query), and a limit; columns
	// incident id, event id, title, snippet, time (nullable), rank (higher
	// is better).
	SearchEvents, SearchIncidents string
	Query                         func(words []string) string
	// TitleMatch filters incidents by title words: a SQL condition on
	// alias i with one placeholder for Query's result.
	TitleMatch string
	// Notify, when set, is a statement that tells other instances about a
	// change inside the transaction that makes it (PostgreSQL's pg_notify,
	// delivered at commit); one argument, the incident id.
	Notify string
	// ForUpdate ends a SELECT whose rows the transaction then rewrites
	// (" FOR UPDATE" on PostgreSQL, where two read-modify-writes of one
	// row would otherwise lose one; SQLite's write lock already orders
	// them).
	ForUpdate string
	// BeginImmediate starts write transactions that take the write lock
	// at once (SQLite), so two writers never deadlock upgrading it.
	BeginImmediate bool
}

// DB is a store over one database.
type DB struct {
	db    *sql.DB
	d     Dialect
	now   func() time.Time
	stmts sync.Map // query text -> *sql.Stmt: hot reads are prepared once
	hub   hub      // this process's watchers
}

// hub fans changes out to the watchers of this process.
type hub struct {
	mu   sync.Mutex
	subs map[chan string]struct{}
}

func (h *hub) publish(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- id:
		default: // a slow watcher misses a change, not the next one
		}
	}
}

// Watch tells about the changes this process makes (all of them, with
// SQLite's one writer process); the PostgreSQL store adds the other
// instances' through LISTEN.
func (s *DB) Watch(ctx context.Context) (<-chan string, error) {
	ch := make(chan string, 64)
	s.hub.mu.Lock()
	if s.hub.subs == nil {
		s.hub.subs = map[chan string]struct{}{}
	}
	s.hub.subs[ch] = struct{}{}
	s.hub.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.hub.mu.Lock()
		delete(s.hub.subs, ch)
		s.hub.mu.Unlock()
	}()
	return ch, nil
}

// changed records a change to an incident inside tx: other instances hear
// of it at commit (Dialect.Notify), this one right after (done).
func (s *DB) changed(ctx context.Context, tx *sql.Tx, id string) error {
	if s.d.Notify == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.q(s.d.Notify), id)
	return err
}

// done publishes a committed change to this process's watchers.
func (s *DB) done(id string) { s.hub.publish(id) }

// LocalOnly reports whether Watch hears only this process (no Notify).
func (s *DB) LocalOnly() bool { return s.d.Notify == "" }

// query runs a read through a prepared statement (preparing is a large
// part of a small query's cost).
func (s *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return reads{s}.QueryContext(ctx, s.q(query), args...)
}

func (s *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return reads{s}.QueryRowContext(ctx, s.q(query), args...)
}

func (s *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// Open wraps db (already opened with its driver) and applies the embedded
// migrations.
func Open(ctx context.Context, db *sql.DB, d Dialect, migrations fs.FS) (*DB, error) {
	p, err := goose.NewProvider(d.Goose, db, migrations)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return nil, fmt.Errorf("migrate the database: %w", err)
	}
	return &DB{db: db, d: d, now: time.Now}, nil
}

// SQL is the underlying database (tests and the web app's health check).
func (s *DB) SQL() *sql.DB { return s.db }

// SetClock replaces time.Now (tests).
func (s *DB) SetClock(now func() time.Time) { s.now = now }

func (s *DB) Close() error {
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return s.db.Close()
}

// q rewrites ? placeholders for the engine.
func (s *DB) q(query string) string {
	if !s.d.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// tx runs fn in a transaction, committed when fn returns nil.
func (s *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// storable makes text storable in both backends alike: PostgreSQL's text
// type holds neither NUL bytes nor invalid UTF-8 (a log line, a zip entry's
// name or a pasted note may carry either), so both become U+FFFD, and no
// input fails on PostgreSQL alone.
func storable(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func nanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

var reID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidID reports whether s can name an incident: lower-case letters,
// digits and dashes, at most 63 characters (it goes into URLs).
func ValidID(s string) bool { return reID.MatchString(s) }

// slug makes an incident id from a title, with a random suffix.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	var r [3]byte
	rand.Read(r[:])
	if s == "" {
		s = "incident"
	}
	return s + "-" + hex.EncodeToString(r[:])
}

func (s *DB) CreateIncident(ctx context.Context, inc *debrief.Incident) error {
	if strings.TrimSpace(inc.Title) == "" {
		return debrief.Errorf(debrief.EINVALID, "an incident needs a title")
	}
	inc.Title, inc.Lead, inc.Facilitator, inc.Severity = storable(inc.Title), storable(inc.Lead), storable(inc.Facilitator), debrief.Severity(storable(string(inc.Severity)))
	if inc.ID == "" {
		inc.ID = slug(inc.Title)
	}
	if !ValidID(inc.ID) {
		return debrief.Errorf(debrief.EINVALID, "incident id %q: use lower-case letters, digits and dashes (at most 63)", inc.ID)
	}
	if inc.Status == "" {
		inc.Status = debrief.StatusOpen
	}
	if !inc.Status.Valid() {
		return debrief.Errorf(debrief.EINVALID, "status %q: open, resolved, reviewed or followedup", inc.Status)
	}
	now := s.now().UTC()
	if inc.CreatedAt.IsZero() {
		inc.CreatedAt = now
	}
	inc.UpdatedAt = now
	for i := range inc.Services {
		inc.Services[i] = storable(inc.Services[i])
	}
	services, _ := json.Marshal(orEmpty(inc.Services))
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO incidents (id, title, severity, status, services, started_at, ended_at, lead, facilitator, private, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			inc.ID, inc.Title, string(inc.Severity), string(inc.Status), string(services), nanos(inc.StartedAt), nanos(inc.EndedAt),
			inc.Lead, inc.Facilitator, inc.Private, inc.CreatedAt.UnixNano(), inc.UpdatedAt.UnixNano())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return debrief.Errorf(debrief.ECONFLICT, "incident %q exists already", inc.ID)
		}
		// Whoever makes a private incident sees it: in the same
		// transaction, so it never exists without them.
		return s.addMembers(ctx, tx, inc.ID, inc.Members)
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const incidentCols = `i.id, i.title, i.severity, i.status, i.services, i.started_at, i.ended_at, i.lead, i.facilitator, i.private, i.created_at, i.updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanIncident(r scanner) (*debrief.Incident, error) {
	var inc debrief.Incident
	var sev, status, services string
	var started, ended sql.NullInt64
	var created, updated int64
	if err := r.Scan(&inc.ID, &inc.Title, &sev, &status, &services, &started, &ended, &inc.Lead, &inc.Facilitator, &inc.Private, &created, &updated); err != nil {
		return nil, err
	}
	inc.Severity, inc.Status = debrief.Severity(sev), debrief.IncidentStatus(status)
	if err := json.Unmarshal([]byte(services), &inc.Services); err != nil {
		return nil, fmt.Errorf("incident %s: services: %w", inc.ID, err)
	}
	if len(inc.Services) == 0 {
		inc.Services = nil
	}
	inc.StartedAt, inc.EndedAt = fromNanos(started), fromNanos(ended)
	inc.CreatedAt, inc.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	return &inc, nil
}

func (s *DB) Incident(ctx context.Context, id string) (*debrief.Incident, error) {
	inc, err := scanIncident(s.queryRow(ctx, `SELECT `+incidentCols+` FROM incidents i WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no incident %q", id)
	}
	return inc, err
}

func (s *DB) Incidents(ctx context.Context, f debrief.IncidentFilter) ([]*debrief.Incident, error) {
	where, args := []string{"1=1"}, []any{}
	if f.Severity != "" {
		where, args = append(where, "i.severity = ?"), append(args, string(f.Severity))
	}
	if f.Status != "" {
		where, args = append(where, "i.status = ?"), append(args, string(f.Status))
	}
	if f.Service != "" {
		b, _ := json.Marshal(f.Service)
		where, args = append(where, "i.services LIKE ?"), append(args, "%"+likeEscape(string(b))+"%")
	}
	if words := Words(f.Query); len(words) > 0 {
		where, args = append(where, s.d.TitleMatch), append(args, s.d.Query(words))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents i WHERE `+strings.Join(where, " AND ")+
		` ORDER BY COALESCE(i.started_at, i.created_at) DESC, i.id LIMIT ? OFFSET ?`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*debrief.Incident
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

func (s *DB) UpdateIncident(ctx context.Context, id string, upd debrief.IncidentUpdate) (*debrief.Incident, error) {
	var out *debrief.Incident
	err := s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := scanIncident(tx.QueryRowContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents i WHERE i.id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.ENOTFOUND, "no incident %q", id)
		}
		if err != nil {
			return err
		}
		if upd.Title != nil {
			if strings.TrimSpace(*upd.Title) == "" {
				return debrief.Errorf(debrief.EINVALID, "an incident needs a title")
			}
			inc.Title = *upd.Title
		}
		if upd.Severity != nil {
			inc.Severity = *upd.Severity
		}
		if upd.Status != nil {
			if !upd.Status.Valid() {
				return debrief.Errorf(debrief.EINVALID, "status %q: open, resolved, reviewed or followedup", *upd.Status)
			}
			inc.Status = *upd.Status
		}
		if upd.Services != nil {
			inc.Services = *upd.Services
		}
		if upd.Lead != nil {
			inc.Lead = *upd.Lead
		}
		if upd.Facilitator != nil {
			inc.Facilitator = *upd.Facilitator
		}
		if upd.Private != nil {
			inc.Private = *upd.Private
		}
		inc.Title, inc.Lead, inc.Facilitator, inc.Severity = storable(inc.Title), storable(inc.Lead), storable(inc.Facilitator), debrief.Severity(storable(string(inc.Severity)))
		for i := range inc.Services {
			inc.Services[i] = storable(inc.Services[i])
		}
		if err := s.addMembers(ctx, tx, id, upd.AddMembers); err != nil {
			return err
		}
		inc.UpdatedAt = s.now().UTC()
		services, _ := json.Marshal(orEmpty(inc.Services))
		_, err = tx.ExecContext(ctx, s.q(`UPDATE incidents SET title = ?, severity = ?, status = ?, services = ?, lead = ?, facilitator = ?, private = ?, updated_at = ? WHERE id = ?`),
			inc.Title, string(inc.Severity), string(inc.Status), string(services), inc.Lead, inc.Facilitator, inc.Private, inc.UpdatedAt.UnixNano(), id)
		out = inc
		if err != nil {
			return err
		}
		return s.changed(ctx, tx, id)
	})
	if err == nil {
		s.done(id)
	}
	return out, err
}

// InputID is the id of an input: stable for the same bytes in the same
// incident.
func InputID(incidentID, digest string) string {
	h := sha256.Sum256([]byte(incidentID + "\x00" + digest))
	return "in-" + hex.EncodeToString(h[:8])
}

func (s *DB) Ingest(ctx context.Context, incidentID string, inputs ...debrief.IngestInput) ([]debrief.IngestResult, error) {
	var out []debrief.IngestResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM incidents WHERE id = ?`), incidentID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return debrief.Errorf(debrief.ENOTFOUND, "no incident %q", incidentID)
		}
		for _, in := range inputs {
			res, err := s.ingest(ctx, tx, incidentID, in)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return s.changed(ctx, tx, incidentID)
	})
	if err != nil {
		return nil, err
	}
	s.done(incidentID)
	return out, nil
}

// ingest stores one input inside the transaction of Ingest.
func (s *DB) ingest(ctx context.Context, tx *sql.Tx, incidentID string, in debrief.IngestInput) (debrief.IngestResult, error) {
	var res debrief.IngestResult
	if in.Digest == "" {
		return res, debrief.Errorf(debrief.EINVALID, "ingest %s: no digest", in.Name)
	}
	res.InputID = InputID(incidentID, in.Digest)
	err := func() error {
		now := s.now().UTC().UnixNano()
		r, err := tx.ExecContext(ctx, s.q(`INSERT INTO inputs (id, incident_id, name, format, digest, events, clock_offset, created_at)
			VALUES (?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT (incident_id, digest) DO NOTHING`),
			res.InputID, incidentID, storable(in.Name), in.Format, in.Digest, now)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			res.Repeated = true // these bytes were ingested before: nothing to do
			return nil
		}
		stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO events (incident_id, id, input_id, time, at, edited, source, kind, actor, channel, text, ref, thread, bot, impact, moments, why)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, id) DO NOTHING`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		var first, last time.Time
		for i := range in.Events {
			ev := &in.Events[i]
			if ev.ID == "" || ev.Time.IsZero() {
				return debrief.Errorf(debrief.EINVALID, "ingest %s: event %d has no id or time", in.Name, i+1)
			}
			moments, _ := json.Marshal(momentsOf(ev))
			why, _ := json.Marshal(whyOf(ev))
			r, err := stmt.ExecContext(ctx, incidentID, ev.ID, res.InputID, ev.Time.UnixNano(), ev.Time.UnixNano(), nanos(ev.Edited),
				string(ev.Source), string(ev.Kind), storable(ev.Actor), storable(ev.Channel), storable(ev.Text), storable(ev.Ref), storable(ev.Thread), ev.Bot, ev.Impact, string(moments), string(why))
			if err != nil {
				return fmt.Errorf("ingest %s: event %d: %w", in.Name, i+1, err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				res.Duplicates++
				continue
			}
			res.Added++
			if first.IsZero() || ev.Time.Before(first) {
				first = ev.Time
			}
			if ev.Time.After(last) {
				last = ev.Time
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE inputs SET events = ? WHERE id = ?`), res.Added, res.InputID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE incidents SET updated_at = ?,
			started_at = CASE WHEN started_at IS NULL OR started_at > ? THEN ? ELSE started_at END,
			ended_at = CASE WHEN ended_at IS NULL OR ended_at < ? THEN ? ELSE ended_at END WHERE id = ?`),
			now, nanos(first), nanos(first), nanos(last), nanos(last), incidentID)
		return err
	}()
	return res, err
}

func momentsOf(ev *debrief.Event) []debrief.Moment {
	if ev.Moments == nil {
		return []debrief.Moment{}
	}
	return ev.Moments
}

func whyOf(ev *debrief.Event) debrief.Reasons {
	if ev.Why == nil {
		return debrief.Reasons{}
	}
	return ev.Why
}

const eventCols = `e.incident_id, e.id, e.input_id, e.at, e.edited, e.source, e.kind, e.actor, e.channel, e.text, e.original_text, e.ref, e.thread, e.bot, e.impact, e.moments, e.why, e.hidden, e.pinned, e.annotation, e.updated_at`

func scanEvent(r scanner) (*debrief.StoredEvent, error) {
	var e debrief.StoredEvent
	var t int64
	var edited, updated sql.NullInt64
	var source, kind, moments, why string
	var original sql.NullString
	if err := r.Scan(&e.IncidentID, &e.ID, &e.InputID, &t, &edited, &source, &kind, &e.Actor, &e.Channel, &e.Text, &original,
		&e.Ref, &e.Thread, &e.Bot, &e.Impact, &moments, &why, &e.Hidden, &e.Pinned, &e.Annotation, &updated); err != nil {
		return nil, err
	}
	e.Time, e.Edited, e.UpdatedAt = time.Unix(0, t).UTC(), fromNanos(edited), fromNanos(updated)
	e.Source, e.Kind, e.OriginalText = debrief.Source(source), debrief.Kind(kind), original.String
	if moments != "[]" { // most events have none: skip the decoder
		if err := json.Unmarshal([]byte(moments), &e.Moments); err != nil {
			return nil, fmt.Errorf("event %s: moments: %w", e.ID, err)
		}
	}
	if why != "{}" {
		if err := json.Unmarshal([]byte(why), &e.Why); err != nil {
			return nil, fmt.Errorf("event %s: why: %w", e.ID, err)
		}
	}
	if len(e.Why) == 0 {
		e.Why = nil
	}
	return &e, nil
}

func (s *DB) Events(ctx context.Context, incidentID string, f debrief.EventFilter) ([]*debrief.StoredEvent, error) {
	where, args := []string{"e.incident_id = ?"}, []any{incidentID}
	if !f.Hidden {
		where = append(where, "e.hidden = ?")
		args = append(args, false)
	}
	if len(f.Sources) > 0 {
		ph, vals := inList(f.Sources)
		where, args = append(where, "e.source IN ("+ph+")"), append(args, vals...)
	}
	if f.Moment != "" {
		b, _ := json.Marshal(string(f.Moment))
		where, args = append(where, "e.moments LIKE ?"), append(args, "%"+likeEscape(string(b))+"%")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.query(ctx, `SELECT `+eventCols+` FROM events e
		WHERE `+strings.Join(where, " AND ")+` ORDER BY e.at, e.source, e.channel, e.ref, e.id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*debrief.StoredEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *DB) Facets(ctx context.Context, incidentID string) (*debrief.Facets, error) {
	f := &debrief.Facets{Sources: map[debrief.Source]int{}, Moments: map[debrief.Moment]int{}}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT source, moments, COUNT(*) FROM events WHERE incident_id = ? GROUP BY source, moments`), incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var src, moments string
		var n int
		if err := rows.Scan(&src, &moments, &n); err != nil {
			return nil, err
		}
		f.Events += n
		f.Sources[debrief.Source(src)] += n
		var ms []debrief.Moment
		if err := json.Unmarshal([]byte(moments), &ms); err != nil {
			return nil, fmt.Errorf("facets: %w", err)
		}
		for _, m := range ms {
			f.Moments[m] += n
		}
	}
	return f, rows.Err()
}

func (s *DB) InputByDigest(ctx context.Context, digest string) (*debrief.Input, error) {
	var in debrief.Input
	var offset, created int64
	err := s.queryRow(ctx, `SELECT id, incident_id, name, format, digest, events, clock_offset, created_at FROM inputs WHERE digest = ? ORDER BY created_at LIMIT 1`, digest).
		Scan(&in.ID, &in.IncidentID, &in.Name, &in.Format, &in.Digest, &in.Events, &offset, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no input with that digest")
	}
	in.ClockOffset, in.CreatedAt = time.Duration(offset), time.Unix(0, created).UTC()
	return &in, err
}

func (s *DB) Inputs(ctx context.Context, incidentID string) ([]*debrief.Input, error) {
	rows, err := s.query(ctx, `SELECT id, incident_id, name, format, digest, events, clock_offset, created_at FROM inputs WHERE incident_id = ? ORDER BY created_at, id`, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*debrief.Input
	for rows.Next() {
		var in debrief.Input
		var offset, created int64
		if err := rows.Scan(&in.ID, &in.IncidentID, &in.Name, &in.Format, &in.Digest, &in.Events, &offset, &created); err != nil {
			return nil, err
		}
		in.ClockOffset, in.CreatedAt = time.Duration(offset), time.Unix(0, created).UTC()
		out = append(out, &in)
	}
	return out, rows.Err()
}

func (s *DB) Curate(ctx context.Context, incidentID, eventID string, c debrief.Curation) (*debrief.StoredEvent, error) {
	var out *debrief.StoredEvent
	err := s.tx(ctx, func(tx *sql.Tx) error {
		e, err := scanEvent(tx.QueryRowContext(ctx, s.q(`SELECT `+eventCols+` FROM events e WHERE e.incident_id = ? AND e.id = ?`), incidentID, eventID))
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.ENOTFOUND, "no event %q in incident %q", eventID, incidentID)
		}
		if err != nil {
			return err
		}
		if c.Hidden != nil {
			e.Hidden = *c.Hidden
		}
		if c.Pinned != nil {
			e.Pinned = *c.Pinned
		}
		if c.Annotation != nil {
			e.Annotation = storable(*c.Annotation)
		}
		if c.Text != nil {
			switch {
			case *c.Text == "" && e.OriginalText != "":
				e.Text, e.OriginalText = e.OriginalText, "" // back to what was ingested
			case *c.Text == "":
			default:
				if e.OriginalText == "" {
					e.OriginalText = e.Text
				}
				e.Text = storable(*c.Text)
				if e.Text == e.OriginalText {
					e.OriginalText = ""
				}
			}
		}
		e.UpdatedAt = s.now().UTC()
		var original sql.NullString
		if e.OriginalText != "" {
			original = sql.NullString{String: e.OriginalText, Valid: true}
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE events SET hidden = ?, pinned = ?, annotation = ?, text = ?, original_text = ?, updated_at = ? WHERE incident_id = ? AND id = ?`),
			e.Hidden, e.Pinned, e.Annotation, e.Text, original, e.UpdatedAt.UnixNano(), incidentID, eventID)
		out = e
		if err != nil {
			return err
		}
		return s.changed(ctx, tx, incidentID)
	})
	if err == nil {
		s.done(incidentID)
	}
	return out, err
}

func (s *DB) SetClockOffset(ctx context.Context, incidentID, inputID string, offset time.Duration) error {
	if offset > maxClockOffset || offset < -maxClockOffset {
		return debrief.Errorf(debrief.EINVALID, "a clock offset of %v: at most a week either way", offset)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, s.q(`UPDATE inputs SET clock_offset = ? WHERE incident_id = ? AND id = ?`), int64(offset), incidentID, inputID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return debrief.Errorf(debrief.ENOTFOUND, "no input %q in incident %q", inputID, incidentID)
		}
		if _, err = tx.ExecContext(ctx, s.q(`UPDATE events SET at = time + ? WHERE incident_id = ? AND input_id = ?`), int64(offset), incidentID, inputID); err != nil {
			return err
		}
		return s.changed(ctx, tx, incidentID)
	})
	if err == nil {
		s.done(incidentID)
	}
	return err
}

// maxClockOffset bounds a correction: clocks that are off by more than a
// week are not what the correction is for, and times stay in range.
const maxClockOffset = 7 * 24 * time.Hour

// Words splits a search into words: letters and digits only, so nothing of
// the query reaches the engine's query syntax.
func Words(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && r != 0xfffd)
	}) {
		if len(out) == 16 {
			break
		}
		out = append(out, w)
	}
	return out
}

func (s *DB) Search(ctx context.Context, q string, limit int) ([]debrief.SearchHit, error) {
	words := Words(q)
	if len(words) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	query := s.d.Query(words)
	var hits []debrief.SearchHit
	for _, sqlText := range []string{s.d.SearchIncidents, s.d.SearchEvents} {
		rows, err := s.db.QueryContext(ctx, s.q(sqlText), query, limit)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for rows.Next() {
			var h debrief.SearchHit
			var t sql.NullInt64
			if err := rows.Scan(&h.IncidentID, &h.EventID, &h.Title, &h.Snippet, &t, &h.Rank); err != nil {
				rows.Close()
				return nil, err
			}
			h.Time = fromNanos(t)
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// Export reads everything, in a stable order.
func (s *DB) Export(ctx context.Context) (*debrief.Dump, error) {
	d := &debrief.Dump{Version: debrief.DumpVersion}
	for {
		page, err := s.Incidents(ctx, debrief.IncidentFilter{Limit: 1000, Offset: len(d.Incidents)})
		if err != nil {
			return nil, err
		}
		d.Incidents = append(d.Incidents, page...)
		if len(page) < 1000 {
			break
		}
	}
	if err := s.exportUsers(ctx, d); err != nil {
		return nil, err
	}
	for _, inc := range d.Incidents {
		ins, err := s.Inputs(ctx, inc.ID)
		if err != nil {
			return nil, err
		}
		d.Inputs = append(d.Inputs, ins...)
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT e.incident_id, e.id, e.input_id, e.time, e.edited, e.source, e.kind, e.actor, e.channel, e.text, e.original_text, e.ref, e.thread, e.bot, e.impact, e.moments, e.why, e.hidden, e.pinned, e.annotation, e.updated_at
			FROM events e WHERE e.incident_id = ? ORDER BY e.time, e.id`), inc.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			d.Events = append(d.Events, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if err := s.exportRetro(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Import loads a dump into a store that holds none of its incidents, in one
// transaction.
func (s *DB) Import(ctx context.Context, d *debrief.Dump) error {
	if d.Version != debrief.DumpVersion {
		return debrief.Errorf(debrief.EINVALID, "import: dump version %d, this Debrief reads %d", d.Version, debrief.DumpVersion)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, inc := range d.Incidents {
			if !ValidID(inc.ID) {
				return debrief.Errorf(debrief.EINVALID, "import: incident id %q", inc.ID)
			}
			services, _ := json.Marshal(orEmpty(inc.Services))
			r, err := tx.ExecContext(ctx, s.q(`INSERT INTO incidents (id, title, severity, status, services, started_at, ended_at, lead, facilitator, private, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
				inc.ID, inc.Title, string(inc.Severity), string(inc.Status), string(services), nanos(inc.StartedAt), nanos(inc.EndedAt),
				inc.Lead, inc.Facilitator, inc.Private, inc.CreatedAt.UnixNano(), inc.UpdatedAt.UnixNano())
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return debrief.Errorf(debrief.ECONFLICT, "import: incident %q exists already", inc.ID)
			}
		}
		offsets := map[string]int64{}
		if err := s.importUsers(ctx, tx, d); err != nil {
			return err
		}
		for _, in := range d.Inputs {
			offsets[in.ID] = int64(in.ClockOffset)
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO inputs (id, incident_id, name, format, digest, events, clock_offset, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
				in.ID, in.IncidentID, in.Name, in.Format, in.Digest, in.Events, int64(in.ClockOffset), in.CreatedAt.UnixNano()); err != nil {
				return fmt.Errorf("import: input %s: %w", in.ID, err)
			}
		}
		stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO events (incident_id, id, input_id, time, at, edited, source, kind, actor, channel, text, original_text, ref, thread, bot, impact, moments, why, hidden, pinned, annotation, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		if err := s.importMembers(ctx, tx, d); err != nil {
			return err
		}
		for _, e := range d.Events {
			moments, _ := json.Marshal(momentsOf(&e.Event))
			why, _ := json.Marshal(whyOf(&e.Event))
			var original sql.NullString
			if e.OriginalText != "" {
				original = sql.NullString{String: e.OriginalText, Valid: true}
			}
			if _, err := stmt.ExecContext(ctx, e.IncidentID, e.ID, e.InputID, e.Time.UnixNano(), e.Time.UnixNano()+offsets[e.InputID], nanos(e.Edited), string(e.Source), string(e.Kind),
				e.Actor, e.Channel, e.Text, original, e.Ref, e.Thread, e.Bot, e.Impact, string(moments), string(why), e.Hidden, e.Pinned, e.Annotation, nanos(e.UpdatedAt)); err != nil {
				return fmt.Errorf("import: event %s: %w", e.ID, err)
			}
		}
		return s.importRetro(ctx, tx, d)
	})
}

// Engine names the database engine: "sqlite" or "postgres".
func (s *DB) Engine() string {
	if s.d.Goose == goose.DialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// inList makes the placeholders and arguments of an IN (...) list: values
// deduplicated and sorted, and their number padded to a power of two with
// the last one repeated. Prepared statements are kept per query text, so
// a list a request controls (?source=a,a,a...) must not make a new query
// text for every length: this bounds them to one per power of two.
func inList[T ~string](vals []T) (string, []any) {
	vs := slices.Clone(vals)
	slices.Sort(vs)
	vs = slices.Compact(vs)
	n := 1
	for n < len(vs) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = string(vs[min(i, len(vs)-1)])
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", "), args
}
