package debrief

import (
	"context"
	"time"
)

// Role is what a user may do. Admins manage users; members edit the
// incidents they can see; viewers only read.
type Role string

// Roles.
const (
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
	RoleViewer Role = "viewer"
)

// CanEdit reports whether the role may change incidents.
func (r Role) CanEdit() bool { return r == RoleAdmin || r == RoleMember }

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleMember || r == RoleViewer }

// User is a person who signs in. PasswordHash is an argon2id hash in the
// PHC string format; it never leaves the server. A user who only signs in
// with OIDC has no password hash.
type User struct {
	ID           string `json:"id"`
	Name         string `json:"name"` // login name, lower case
	DisplayName  string `json:"display_name"`
	Email        string `json:"email,omitempty"`
	Role         Role   `json:"role"`
	PasswordHash string `json:"-"`
	// OIDCSubject is "ISSUER SUBJECT" of the user's single sign-on
	// identity; empty until they first sign in that way.
	OIDCSubject string    `json:"oidc_subject,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Session is a signed-in browser. Its token is only ever known to the
// browser; the store keeps the token's SHA-256.
type Session struct {
	TokenHash string
	UserID    string
	CSRF      string // the form token for this session
	ExpiresAt time.Time
	CreatedAt time.Time
}

// APIToken lets a program use the JSON API as a user; like a session, the
// store keeps only its hash.
type APIToken struct {
	ID         string    `json:"id"`
	UserID     string    `json:"user_id"`
	Name       string    `json:"name"`
	TokenHash  string    `json:"token_hash,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

// AuthService keeps users, their sessions and tokens, and who belongs to
// which private incident.
type AuthService interface {
	CreateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id string) (*User, error)
	UserByName(ctx context.Context, name string) (*User, error)
	// UserBySubject finds the user of a single sign-on identity.
	UserBySubject(ctx context.Context, subject string) (*User, error)
	// UserByEmail finds the user with that email (any case).
	UserByEmail(ctx context.Context, email string) (*User, error)
	// SetSubject links a user without one to a single sign-on identity
	// (ECONFLICT when the user has another).
	SetSubject(ctx context.Context, userID, subject string) error
	Users(ctx context.Context) ([]*User, error)
	CreateSession(ctx context.Context, s *Session) error
	// Session returns the session with that token hash, unless it expired.
	Session(ctx context.Context, tokenHash string) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	CreateToken(ctx context.Context, t *APIToken) error
	// TokenUser returns the user of the API token with that hash.
	TokenUser(ctx context.Context, tokenHash string) (*User, error)
	// AddMember lets a user see a private incident.
	AddMember(ctx context.Context, incidentID, userID string) error
	IsMember(ctx context.Context, incidentID, userID string) (bool, error)
}
