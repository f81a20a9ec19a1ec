package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
)

func newID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (s *DB) CreateUser(ctx context.Context, u *debrief.User) error {
	u.Name = strings.ToLower(strings.TrimSpace(u.Name))
	if u.Name == "" || strings.ContainsAny(u.Name, " \t\n/") || len(u.Name) > 64 {
		return debrief.Errorf(debrief.EINVALID, "user name %q: one word, at most 64 characters", u.Name)
	}
	if !u.Role.Valid() {
		return debrief.Errorf(debrief.EINVALID, "role %q: admin, member or viewer", u.Role)
	}
	if u.PasswordHash == "" && u.OIDCSubject == "" {
		return debrief.Errorf(debrief.EINVALID, "user %s has neither a password nor a single sign-on identity", u.Name)
	}
	u.DisplayName, u.Email = storable(u.DisplayName), storable(u.Email)
	if u.ID == "" {
		u.ID = newID("u-")
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now().UTC()
	}
	r, err := s.db.ExecContext(ctx, s.q(`INSERT INTO users (id, name, display_name, email, role, password_hash, oidc_subject, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`),
		u.ID, u.Name, u.DisplayName, u.Email, string(u.Role), u.PasswordHash, nullString(u.OIDCSubject), u.CreatedAt.UnixNano())
	if err != nil {
		if s.isUnique(err) {
			return debrief.Errorf(debrief.ECONFLICT, "user with that sign-on identity exists already")
		}
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return debrief.Errorf(debrief.ECONFLICT, "user %q exists already", u.Name)
	}
	return nil
}

const userCols = `id, name, display_name, email, role, password_hash, oidc_subject, created_at`

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func scanUser(r scanner) (*debrief.User, error) {
	var u debrief.User
	var role string
	var created int64
	var subject sql.NullString
	if err := r.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Email, &role, &u.PasswordHash, &subject, &created); err != nil {
		return nil, err
	}
	u.Role, u.OIDCSubject, u.CreatedAt = debrief.Role(role), subject.String, time.Unix(0, created).UTC()
	return &u, nil
}

func (s *DB) userBy(ctx context.Context, col, v string) (*debrief.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE `+col+` = ?`, v))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no user %q", v)
	}
	return u, err
}

func (s *DB) User(ctx context.Context, id string) (*debrief.User, error) {
	return s.userBy(ctx, "id", id)
}

func (s *DB) UserByName(ctx context.Context, name string) (*debrief.User, error) {
	return s.userBy(ctx, "name", strings.ToLower(strings.TrimSpace(name)))
}

func (s *DB) UserBySubject(ctx context.Context, subject string) (*debrief.User, error) {
	return s.userBy(ctx, "oidc_subject", subject)
}

func (s *DB) UserByEmail(ctx context.Context, email string) (*debrief.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no user with an empty email")
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE lower(email) = ? ORDER BY created_at LIMIT 2`), email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []*debrief.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		found = append(found, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no user with email %q", email)
	case 1:
		return found[0], nil
	}
	return nil, debrief.Errorf(debrief.ECONFLICT, "several users have the email %q", email)
}

// SetSubject links a user that has no single sign-on identity yet; a user
// linked to another identity keeps it (two identities signing in with one
// email at once cannot take the account from each other).
func (s *DB) SetSubject(ctx context.Context, userID, subject string) error {
	r, err := s.db.ExecContext(ctx, s.q(`UPDATE users SET oidc_subject = ? WHERE id = ? AND (oidc_subject IS NULL OR oidc_subject = ?)`),
		nullString(subject), userID, subject)
	if err != nil {
		if s.isUnique(err) {
			return debrief.Errorf(debrief.ECONFLICT, "another user has that sign-on identity")
		}
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		if _, err := s.User(ctx, userID); err != nil {
			return err
		}
		return debrief.Errorf(debrief.ECONFLICT, "user %q signs in with another identity", userID)
	}
	return nil
}

func (s *DB) Users(ctx context.Context) ([]*debrief.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*debrief.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *DB) CreateSession(ctx context.Context, ss *debrief.Session) error {
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = s.now().UTC()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, csrf, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`),
		ss.TokenHash, ss.UserID, ss.CSRF, ss.ExpiresAt.UnixNano(), ss.CreatedAt.UnixNano())
	return err
}

func (s *DB) Session(ctx context.Context, tokenHash string) (*debrief.Session, error) {
	var ss debrief.Session
	var exp, created int64
	err := s.queryRow(ctx, `SELECT token_hash, user_id, csrf, expires_at, created_at FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		tokenHash, s.now().UnixNano()).Scan(&ss.TokenHash, &ss.UserID, &ss.CSRF, &exp, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no session")
	}
	ss.ExpiresAt, ss.CreatedAt = time.Unix(0, exp).UTC(), time.Unix(0, created).UTC()
	return &ss, err
}

func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ? OR expires_at < ?`), tokenHash, s.now().UnixNano())
	return err
}

func (s *DB) CreateToken(ctx context.Context, t *debrief.APIToken) error {
	if t.ID == "" {
		t.ID = newID("t-")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now().UTC()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`),
		t.ID, t.UserID, t.Name, t.TokenHash, t.CreatedAt.UnixNano())
	return err
}

// tokenTouch is how stale a token's last use may get before it is
// written again: reads stay reads under load.
const tokenTouch = time.Minute

func (s *DB) TokenUser(ctx context.Context, tokenHash string) (*debrief.User, error) {
	var touched sql.NullInt64
	row := s.queryRow(ctx, `SELECT u.id, u.name, u.display_name, u.email, u.role, u.password_hash, u.created_at, t.touched
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, tokenHash)
	var u debrief.User
	var role string
	var created int64
	err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Email, &role, &u.PasswordHash, &created, &touched)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no such token")
	}
	if err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt = debrief.Role(role), time.Unix(0, created).UTC()
	if now := s.now(); !touched.Valid || now.Sub(time.Unix(0, touched.Int64)) > tokenTouch {
		s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_at = ?, touched = ? WHERE token_hash = ?`), now.UnixNano(), now.UnixNano(), tokenHash)
	}
	return &u, nil
}

func (s *DB) AddMember(ctx context.Context, incidentID, userID string) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO incident_members (incident_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), incidentID, userID)
	return err
}

// addMembers adds users to an incident inside a transaction.
func (s *DB) addMembers(ctx context.Context, tx *sql.Tx, incidentID string, userIDs []string) error {
	for _, u := range userIDs {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users WHERE id = ?`), u).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return debrief.Errorf(debrief.EINVALID, "no user %q to make a member", u)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO incident_members (incident_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), incidentID, u); err != nil {
			return err
		}
	}
	return nil
}

func (s *DB) IsMember(ctx context.Context, incidentID, userID string) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM incident_members WHERE incident_id = ? AND user_id = ?`, incidentID, userID).Scan(&n)
	return n > 0, err
}

// exportUsers adds users (with their hashes), their tokens and the
// memberships to a dump.
func (s *DB) exportUsers(ctx context.Context, d *debrief.Dump) error {
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	byID := map[string]*debrief.DumpUser{}
	for _, u := range users {
		du := &debrief.DumpUser{User: *u, PasswordHash: u.PasswordHash}
		d.Users = append(d.Users, du)
		byID[u.ID] = du
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, token_hash, created_at, last_used_at FROM api_tokens ORDER BY created_at, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var t debrief.APIToken
		var created int64
		var used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &created, &used); err != nil {
			rows.Close()
			return err
		}
		t.CreatedAt = time.Unix(0, created).UTC()
		if used.Valid {
			t.LastUsedAt = time.Unix(0, used.Int64).UTC()
		}
		if du := byID[t.UserID]; du != nil {
			du.Tokens = append(du.Tokens, &t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	mrows, err := s.db.QueryContext(ctx, `SELECT incident_id, user_id FROM incident_members ORDER BY incident_id, user_id`)
	if err != nil {
		return err
	}
	defer mrows.Close()
	for mrows.Next() {
		var m debrief.Member
		if err := mrows.Scan(&m.IncidentID, &m.UserID); err != nil {
			return err
		}
		d.Members = append(d.Members, m)
	}
	return mrows.Err()
}

func (s *DB) importUsers(ctx context.Context, tx *sql.Tx, d *debrief.Dump) error {
	for _, u := range d.Users {
		r, err := tx.ExecContext(ctx, s.q(`INSERT INTO users (id, name, display_name, email, role, password_hash, oidc_subject, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			u.ID, u.Name, u.DisplayName, u.Email, string(u.Role), u.PasswordHash, nullString(u.OIDCSubject), u.CreatedAt.UnixNano())
		if err != nil {
			return fmt.Errorf("import: user %s: %w", u.Name, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return debrief.Errorf(debrief.ECONFLICT, "import: user %q exists already", u.Name)
		}
		for _, t := range u.Tokens {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)`),
				t.ID, u.ID, t.Name, t.TokenHash, t.CreatedAt.UnixNano(), nanos(t.LastUsedAt)); err != nil {
				return fmt.Errorf("import: token %s: %w", t.ID, err)
			}
		}
	}
	return nil
}

// importMembers runs after the incidents exist.
func (s *DB) importMembers(ctx context.Context, tx *sql.Tx, d *debrief.Dump) error {
	for _, m := range d.Members {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO incident_members (incident_id, user_id) VALUES (?, ?)`), m.IncidentID, m.UserID); err != nil {
			return fmt.Errorf("import: member %s of %s: %w", m.UserID, m.IncidentID, err)
		}
	}
	return nil
}

// isUnique reports whether err is a unique-constraint violation, in
// SQLite's words or PostgreSQL's code.
func (s *DB) isUnique(err error) bool {
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505")
}
