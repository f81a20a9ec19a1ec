package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/debriefhq/debrief"
	"golang.org/x/crypto/argon2"
)

// Argon2 are the argon2id parameters; tests use cheaper ones.
type Argon2 struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 follows the OWASP recommendation for argon2id.
var DefaultArgon2 = Argon2{Memory: 64 * 1024, Time: 1, Threads: 2}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string, p Argon2) (string, error) {
	if len(password) < 8 {
		return "", debrief.Errorf(debrief.EINVALID, "a password needs at least 8 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash from HashPassword,
// in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Argon2
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || p.Memory > 1<<21 || p.Time > 16 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a random token and its SHA-256 (what the store keeps).
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token)
}

// TokenHash is the hash under which a session or API token is stored.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

const sessionCookie = "debrief_session"

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

func userOf(ctx context.Context) *debrief.User {
	u, _ := ctx.Value(userKey).(*debrief.User)
	return u
}

func sessionOf(ctx context.Context) *debrief.Session {
	s, _ := ctx.Value(sessionKey).(*debrief.Session)
	return s
}

// authenticate finds the user of a request: an API token (Authorization:
// Bearer) or a session cookie.
func (s *Server) authenticate(r *http.Request) *http.Request {
	ctx := r.Context()
	with := func(u *debrief.User, ss *debrief.Session) *http.Request {
		ctx = context.WithValue(ctx, userKey, u)
		if ss != nil {
			ctx = context.WithValue(ctx, sessionKey, ss)
		}
		return r.WithContext(ctx)
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		key := "t:" + TokenHash(strings.TrimPrefix(h, "Bearer "))
		if e, ok := s.auth.get(key); ok {
			return with(e.user, nil)
		}
		if u, err := s.store.TokenUser(ctx, key[2:]); err == nil {
			s.auth.put(key, authEntry{user: u})
			return with(u, nil)
		}
		return r
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return r
	}
	key := "s:" + TokenHash(c.Value)
	if e, ok := s.auth.get(key); ok {
		return with(e.user, e.session)
	}
	ss, err := s.store.Session(ctx, key[2:])
	if err != nil {
		return r
	}
	u, err := s.store.User(ctx, ss.UserID)
	if err != nil {
		return r
	}
	s.auth.put(key, authEntry{user: u, session: ss})
	return with(u, ss)
}

// checkCSRF requires the session's form token on every state-changing
// request made with a session cookie (API tokens are not sent by browsers
// on their own, so they need none).
func checkCSRF(r *http.Request) error {
	ss := sessionOf(r.Context())
	if ss == nil {
		return nil
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(ss.CSRF)) != 1 {
		return debrief.Errorf(errForbidden, "the form expired or came from another site; reload the page and try again")
	}
	return nil
}

// limiter counts failed sign-ins per client address and per user name:
// past max failures within the window, sign-in is refused until it passes.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
	now    func() time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}, now: time.Now}
}

func (l *limiter) keys(r *http.Request, name string) []string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return []string{"ip:" + host, "user:" + strings.ToLower(name)}
}

// blocked reports whether any key has reached the limit.
func (l *limiter) blocked(keys []string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if len(l.recent(k)) >= l.max {
			return true
		}
	}
	return false
}

func (l *limiter) recent(k string) []time.Time {
	cut := l.now().Add(-l.window)
	ts := l.fails[k]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
	} else {
		l.fails[k] = ts
	}
	return ts
}

func (l *limiter) fail(keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.fails[k] = append(l.recent(k), l.now())
	}
}

func (l *limiter) reset(keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.fails, k)
	}
}

// errForbidden and errUnauthorized are error codes the web layer adds to
// the domain's.
const (
	errForbidden    = "forbidden"
	errUnauthorized = "unauthorized"
	errTooMany      = "toomany"
)

var errNoUser = errors.New("not signed in")
