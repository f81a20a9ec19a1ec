package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/store/sqlite"
	"github.com/oauth2-proxy/mockoidc"
)

// No identity provider runs on this machine, so these tests sign in
// against mockoidc: a real OpenID Connect server (discovery, JWKS, RS256
// ID tokens, PKCE) in the test process, which hands out the identities the
// test queues.
func oidcServer(t *testing.T, role debrief.Role) (*mockoidc.MockOIDC, *httptest.Server, debrief.Store) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h, _ := HashPassword("password-kim", cheap)
	if err := st.CreateUser(ctx, &debrief.User{Name: "kim", Email: "kim@example.com", Role: debrief.RoleMember, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	t.Cleanup(ts.Close)
	cfg := m.Config()
	s, err := New(st, Options{Argon2: cheap, OIDC: &OIDC{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: ts.URL + "/login/oidc/callback", Label: "Example SSO", NewUserRole: role}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ts.Config.Handler = s
	return m, ts, st
}

// signOn follows the whole flow in a browser-like client: the button on
// the sign-in page, the provider, the callback; it returns the last
// response's status and body.
func signOn(t *testing.T, ts *httptest.Server, jar http.CookieJar) (int, string) {
	t.Helper()
	c := &http.Client{Jar: jar}
	res, err := c.Get(ts.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), `href="/login/oidc?next=%2Fincidents"`) || !strings.Contains(string(page), "Sign in with Example SSO") {
		t.Fatalf("sign-in page has no single sign-on button:\n%s", page)
	}
	res, err = c.Get(ts.URL + "/login/oidc?next=/incidents")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func me(t *testing.T, ts *httptest.Server, jar http.CookieJar) *debrief.User {
	t.Helper()
	c := &http.Client{Jar: jar}
	res, err := c.Get(ts.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil
	}
	var u debrief.User
	if err := json.NewDecoder(res.Body).Decode(&u); err != nil {
		t.Fatal(err)
	}
	return &u
}

func TestOIDCSignIn(t *testing.T) {
	m, ts, st := oidcServer(t, debrief.RoleViewer)
	ctx := context.Background()

	// A new identity becomes a viewer named after its preferred username.
	m.QueueUser(&mockoidc.MockUser{Subject: "s-1", Email: "jane@example.com", EmailVerified: true, PreferredUsername: "Jane.Doe"})
	jar, _ := cookiejar.New(nil)
	if code, body := signOn(t, ts, jar); code != 200 || !strings.Contains(body, "Incidents") {
		t.Fatalf("sign-on: %d\n%s", code, body)
	}
	u := me(t, ts, jar)
	if u == nil || u.Name != "jane.doe" || u.Role != debrief.RoleViewer || u.Email != "jane@example.com" {
		t.Fatalf("new user: %+v", u)
	}
	// The same identity again is the same user, even with another email.
	m.QueueUser(&mockoidc.MockUser{Subject: "s-1", Email: "jane.doe@example.org", EmailVerified: true, PreferredUsername: "jane.doe"})
	jar2, _ := cookiejar.New(nil)
	signOn(t, ts, jar2)
	if u2 := me(t, ts, jar2); u2 == nil || u2.ID != u.ID {
		t.Errorf("second sign-on: %+v, want %s", u2, u.ID)
	}
	// An identity with a verified email finds the local user with it,
	// keeps that user's role, and is linked to it.
	m.QueueUser(&mockoidc.MockUser{Subject: "s-kim", Email: "KIM@example.com", EmailVerified: true, PreferredUsername: "kimn"})
	jar3, _ := cookiejar.New(nil)
	signOn(t, ts, jar3)
	if k := me(t, ts, jar3); k == nil || k.Name != "kim" || k.Role != debrief.RoleMember {
		t.Errorf("linked by email: %+v", k)
	}
	if k, err := st.UserBySubject(ctx, m.Issuer()+" s-kim"); err != nil || k.Name != "kim" {
		t.Errorf("link stored: %+v %v", k, err)
	}
	// An unverified email links nothing: a new user, with a free name.
	m.QueueUser(&mockoidc.MockUser{Subject: "s-evil", Email: "kim@example.com", EmailVerified: false, PreferredUsername: "kim"})
	jar4, _ := cookiejar.New(nil)
	signOn(t, ts, jar4)
	if e := me(t, ts, jar4); e == nil || e.Name != "kim2" || e.Role != debrief.RoleViewer || e.Email != "" {
		t.Errorf("unverified email: %+v", e)
	}
}

func TestOIDCDomains(t *testing.T) {
	m, ts, st := oidcServer(t, debrief.RoleViewer)
	srv := ts.Config.Handler.(*Server)
	srv.oidc.cfg.Domains = []string{"Example.com"}
	m.QueueUser(&mockoidc.MockUser{Subject: "s-out", Email: "eve@elsewhere.org", EmailVerified: true})
	jar, _ := cookiejar.New(nil)
	if code, body := signOn(t, ts, jar); code != 403 || !strings.Contains(body, "verified email in Example.com") {
		t.Errorf("identity outside the domains: %d\n%s", code, body)
	}
	m.QueueUser(&mockoidc.MockUser{Subject: "s-unv", Email: "mal@example.com", EmailVerified: false})
	jar2, _ := cookiejar.New(nil)
	if code, _ := signOn(t, ts, jar2); code != 403 {
		t.Errorf("unverified email in the domain: %d", code)
	}
	m.QueueUser(&mockoidc.MockUser{Subject: "s-in", Email: "dev@EXAMPLE.com", EmailVerified: true, PreferredUsername: "dev"})
	jar3, _ := cookiejar.New(nil)
	signOn(t, ts, jar3)
	if u := me(t, ts, jar3); u == nil || u.Name != "dev" {
		t.Errorf("identity in the domain: %+v", u)
	}
	if users, _ := st.Users(context.Background()); len(users) != 2 {
		t.Errorf("%d users, want kim and dev", len(users))
	}
}

func TestOIDCOnlyKnownUsers(t *testing.T) {
	m, ts, _ := oidcServer(t, "")
	m.QueueUser(&mockoidc.MockUser{Subject: "s-2", Email: "stranger@example.com", EmailVerified: true, PreferredUsername: "stranger"})
	jar, _ := cookiejar.New(nil)
	code, body := signOn(t, ts, jar)
	if code != 403 || !strings.Contains(body, "no Debrief user for stranger@example.com") {
		t.Errorf("unknown identity: %d\n%s", code, body)
	}
	if me(t, ts, jar) != nil {
		t.Error("an unknown identity got a session")
	}
	m.QueueUser(&mockoidc.MockUser{Subject: "s-kim", Email: "kim@example.com", EmailVerified: true})
	jar2, _ := cookiejar.New(nil)
	if code, _ := signOn(t, ts, jar2); code != 200 || me(t, ts, jar2) == nil {
		t.Errorf("known user by email: %d", code)
	}
}

// A callback that does not match the flow this browser started (forged
// state, no flow cookie, a provider error) signs nobody in.
func TestOIDCCallbackRefused(t *testing.T) {
	_, ts, _ := oidcServer(t, debrief.RoleViewer)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c2 := range []struct{ name, path string }{
		{"no flow", "/login/oidc/callback?code=x&state=y"},
		{"bad state", "/login/oidc/callback?code=x&state=forged"},
	} {
		name, path := c2.name, c2.path
		if name == "bad state" {
			res, err := c.Get(ts.URL + "/login/oidc")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
		}
		res, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 403 || !strings.Contains(string(body), "try again") {
			t.Errorf("%s: %d\n%s", name, res.StatusCode, body)
		}
		if me(t, ts, jar) != nil {
			t.Errorf("%s: signed in", name)
		}
	}
	// The provider refuses: its error is shown, escaped.
	res, err := c.Get(ts.URL + "/login/oidc")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := res.Location()
	state := loc.Query().Get("state")
	res, err = c.Get(ts.URL + "/login/oidc/callback?state=" + state + "&error=access_denied&error_description=%3Cb%3Eno%3C/b%3E")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 403 || !strings.Contains(string(body), "access_denied &lt;b&gt;no&lt;/b&gt;") {
		t.Errorf("provider error: %d\n%s", res.StatusCode, body)
	}
}

func TestUserName(t *testing.T) {
	for _, c := range []struct{ username, email, subject, want string }{
		{"Jane.Doe", "", "", "jane.doe"},
		{"", "Ana María@example.com", "", "ana-mar-a"},
		{"", "", "0f3a", "0f3a"},
		{"???", "", "", "user"},
		{"", "", "", "user"},
		{strings.Repeat("x", 80), "", "", strings.Repeat("x", 40)},
	} {
		if got := userName(c.username, c.email, c.subject); got != c.want {
			t.Errorf("userName(%q, %q, %q) = %q, want %q", c.username, c.email, c.subject, got, c.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/incidents/search-latency?page=2": "/incidents/search-latency?page=2",
		"/search?q=pool":                   "/search?q=pool",
		"":                                 "/incidents",
		"https://evil.example/":            "/incidents",
		"//evil.example":                   "/incidents",
		"/\\evil.example":                  "/incidents",
		"/\t/evil.example":                 "/incidents",
		"/\n/evil.example":                 "/incidents",
		"/%09/evil.example":                "/%09/evil.example", // stays a path here: the browser does not decode it
		"javascript:alert(1)":              "/incidents",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
