package web

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/debriefhq/debrief"
	"golang.org/x/oauth2"
)

// OIDC configures single sign-on with an OpenID Connect provider (Okta,
// Google, Keycloak, Dex, Entra ID, GitLab...). The sign-in page shows a
// button for it beside the local sign-in.
//
// Who a signed-in identity is: first the user already linked to its
// issuer and subject; else the one user whose email is that identity's
// email, when the provider says the email is verified (it is then linked,
// so a later change of email does not matter); else a new user with
// NewUserRole, named after the identity's preferred_username or email. An
// empty NewUserRole lets in only users an admin made first (`debrief user
// add NAME --email ...`).
type OIDC struct {
	Issuer       string // the provider's issuer URL, as in its discovery document
	ClientID     string
	ClientSecret string
	// RedirectURL is this server's callback as registered with the
	// provider: https://debrief.example.com/login/oidc/callback.
	RedirectURL string
	// Label names the provider on the sign-in button ("Okta").
	Label string
	// NewUserRole is the role of users created at their first sign-in;
	// empty creates none.
	NewUserRole debrief.Role
	// Domains, when set, limit those new users to identities whose
	// verified email is in one of them ("example.com"): with a public
	// provider (Google, GitLab.com) anyone has an account.
	Domains []string
}

// oidcClient is a configured provider.
type oidcClient struct {
	cfg      OIDC
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// newOIDC fetches the provider's discovery document.
func newOIDC(ctx context.Context, cfg OIDC) (*oidcClient, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, debrief.Errorf(debrief.EINVALID, "OIDC needs an issuer, a client id and a redirect URL")
	}
	if cfg.NewUserRole != "" && !cfg.NewUserRole.Valid() {
		return nil, debrief.Errorf(debrief.EINVALID, "OIDC role for new users %q: admin, member or viewer", cfg.NewUserRole)
	}
	if cfg.Label == "" {
		cfg.Label = "single sign-on"
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OIDC provider %s: %w", cfg.Issuer, err)
	}
	return &oidcClient{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}},
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
	}, nil
}

// oidcCookie carries one sign-in's state, nonce and PKCE verifier from the
// redirect to the provider to the callback. It is HttpOnly, lives ten
// minutes and is only sent to the callback, so the flow works on any
// instance behind a load balancer without server-side state.
const oidcCookie = "debrief_oidc"

type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"next"`
}

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return debrief.Errorf(debrief.ENOTFOUND, "single sign-on is not set up on this server")
	}
	state, _ := NewToken()
	nonce, _ := NewToken()
	f := oidcFlow{State: state, Nonce: nonce, Verifier: oauth2.GenerateVerifier(), Next: safeNext(r.URL.Query().Get("next"))}
	b, _ := json.Marshal(f)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/login/oidc/",
		MaxAge: 600, HttpOnly: true, Secure: s.opt.Secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.oidc.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusFound)
	return nil
}

// errSignOn is a refused single sign-on, shown on the sign-in page.
type errSignOn struct{ msg string }

func (e errSignOn) Error() string { return e.msg }

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return debrief.Errorf(debrief.ENOTFOUND, "single sign-on is not set up on this server")
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/login/oidc/", MaxAge: -1, HttpOnly: true, Secure: s.opt.Secure, SameSite: http.SameSiteLaxMode})
	u, next, err := s.oidcUser(r)
	var refused errSignOn
	if errors.As(err, &refused) {
		s.opt.Log.Warn("single sign-on refused", "reason", refused.msg)
		w.WriteHeader(http.StatusForbidden)
		return s.render(w, r, "login.html", map[string]any{"Next": next, "SSOError": refused.msg, "SSO": s.oidc.cfg.Label})
	}
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// oidcUser checks the callback against the flow's cookie, redeems the code
// and finds (or makes) the user of the ID token.
func (s *Server) oidcUser(r *http.Request) (*debrief.User, string, error) {
	ctx := r.Context()
	next := "/incidents"
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return nil, next, errSignOn{"the sign-in took too long or started elsewhere; try again"}
	}
	var f oidcFlow
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(b, &f) != nil || f.State == "" {
		return nil, next, errSignOn{"the sign-in took too long or started elsewhere; try again"}
	}
	next = safeNext(f.Next)
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return nil, next, errSignOn{"the sign-in does not match the one this browser started; try again"}
	}
	if e := q.Get("error"); e != "" {
		return nil, next, errSignOn{"the identity provider refused the sign-in: " + clip(e+" "+q.Get("error_description"), 200)}
	}
	tok, err := s.oidc.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.opt.Log.Warn("OIDC code exchange failed", "err", err)
		return nil, next, errSignOn{"the identity provider did not accept the sign-in code; try again"}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, next, errSignOn{"the identity provider sent no ID token"}
	}
	id, err := s.oidc.verifier.Verify(ctx, raw)
	if err != nil {
		s.opt.Log.Warn("OIDC ID token refused", "err", err)
		return nil, next, errSignOn{"the identity provider's ID token did not verify"}
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(f.Nonce)) != 1 {
		return nil, next, errSignOn{"the ID token was not issued for this sign-in"}
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"` // a bool, or "true" at some providers
		Name          string `json:"name"`
		Username      string `json:"preferred_username"`
	}
	if err := id.Claims(&claims); err != nil {
		return nil, next, errSignOn{"the ID token's claims could not be read"}
	}
	verified := claims.EmailVerified == true || claims.EmailVerified == "true"
	subject := id.Issuer + " " + id.Subject
	u, err := s.store.UserBySubject(ctx, subject)
	if err == nil {
		return u, next, nil
	}
	if debrief.ErrorCode(err) != debrief.ENOTFOUND {
		return nil, next, err
	}
	if claims.Email != "" && verified {
		u, err := s.store.UserByEmail(ctx, claims.Email)
		switch {
		case err == nil && u.OIDCSubject == "":
			if err := s.store.SetSubject(ctx, u.ID, subject); debrief.ErrorCode(err) == debrief.ECONFLICT {
				return nil, next, errSignOn{"the Debrief user with the email " + claims.Email + " signs in with another identity"}
			} else if err != nil {
				return nil, next, err
			}
			u.OIDCSubject = subject
			return u, next, nil
		case err == nil:
			return nil, next, errSignOn{"the Debrief user with the email " + claims.Email + " signs in with another identity"}
		case debrief.ErrorCode(err) == debrief.ECONFLICT:
			return nil, next, errSignOn{"several Debrief users have the email " + claims.Email + "; an admin must tell them apart"}
		case debrief.ErrorCode(err) != debrief.ENOTFOUND:
			return nil, next, err
		}
	}
	if s.oidc.cfg.NewUserRole == "" {
		who := claims.Email
		if who == "" {
			who = id.Subject
		}
		return nil, next, errSignOn{"there is no Debrief user for " + who + "; ask an admin to add one with that email"}
	}
	if len(s.oidc.cfg.Domains) > 0 && !(verified && inDomains(claims.Email, s.oidc.cfg.Domains)) {
		return nil, next, errSignOn{"new Debrief users must sign in with a verified email in " + strings.Join(s.oidc.cfg.Domains, ", ") + "; ask an admin to add you"}
	}
	u = &debrief.User{DisplayName: claims.Name, Role: s.oidc.cfg.NewUserRole, OIDCSubject: subject}
	if verified {
		u.Email = claims.Email
	}
	base := userName(claims.Username, claims.Email, id.Subject)
	for i := 1; ; i++ {
		u.Name = base
		if i > 1 {
			u.Name = base + strconv.Itoa(i)
		}
		err := s.store.CreateUser(ctx, u)
		if err == nil {
			s.opt.Log.Info("user created at first single sign-on", "user", u.Name, "role", u.Role)
			return u, next, nil
		}
		if debrief.ErrorCode(err) != debrief.ECONFLICT || i == 50 {
			return nil, next, err
		}
		if u, err := s.store.UserBySubject(ctx, subject); err == nil {
			return u, next, nil // another instance made this user in the meantime
		}
	}
}

// inDomains reports whether email's domain is one of domains (any case).
func inDomains(email string, domains []string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	d := strings.ToLower(email[at+1:])
	for _, want := range domains {
		if d == strings.ToLower(strings.TrimPrefix(strings.TrimSpace(want), "@")) {
			return true
		}
	}
	return false
}

var nameUnsafe = regexp.MustCompile(`[^a-z0-9._-]+`)

// userName makes a login name from an identity: its preferred username,
// else its email's local part, else its subject.
func userName(username, email, subject string) string {
	for _, c := range []string{username, strings.SplitN(email, "@", 2)[0], subject} {
		n := strings.Trim(nameUnsafe.ReplaceAllString(strings.ToLower(c), "-"), "-.")
		if len(n) > 40 {
			n = n[:40]
		}
		if n != "" {
			return n
		}
	}
	return "user"
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
