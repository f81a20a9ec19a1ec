// Package web is Debrief's web app: server-rendered pages (html/template,
// htmx for changes in place, no build step), a JSON API under /api/v1, and
// sign-in with local users, sessions and API tokens. Handlers return
// errors; one function turns them into a page or a JSON error.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/debriefhq/debrief"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure a Server.
type Options struct {
	Log *slog.Logger
	// Secure marks cookies Secure (serve behind HTTPS in production).
	Secure bool
	// Argon2 sets password hashing cost (tests lower it).
	Argon2 Argon2
	// SessionTTL is how long a sign-in lasts (default 12 hours).
	SessionTTL time.Duration
	// PagerDutySecret checks the signatures of PagerDuty webhooks; empty
	// turns the hook off.
	PagerDutySecret string
	// OIDC turns on single sign-on; nil leaves only local users.
	OIDC *OIDC
	// Followup, when set, hears of every action item added or changed
	// (the tracker sync).
	Followup Followup
}

// Server serves the web app and the API.
type Server struct {
	store  debrief.Store
	opt    Options
	tmpl   *template.Template
	mux    *http.ServeMux
	logins *limiter
	facets facetCache
	auth   authCache
	live   broker
	oidc   *oidcClient

	dummyOnce sync.Once
	dummy     string

	closing   chan struct{} // closed by Close: open event streams end
	closeOnce sync.Once
}

// maxBody bounds request bodies other than uploads.
const maxBody = 1 << 20

// New builds the server's routes and templates.
func New(store debrief.Store, opt Options) (*Server, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Argon2 == (Argon2{}) {
		opt.Argon2 = DefaultArgon2
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 12 * time.Hour
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	if store, err = scrubStore(store); err != nil {
		return nil, err
	}
	store = afterWrites{Store: store, f: opt.Followup, log: opt.Log.Warn}
	s := &Server{store: store, opt: opt, tmpl: t, mux: http.NewServeMux(), logins: newLimiter(5, 5*time.Minute), closing: make(chan struct{})}
	if opt.OIDC != nil {
		if s.oidc, err = newOIDC(context.Background(), *opt.OIDC); err != nil {
			return nil, err
		}
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(http.FileServerFS(static), 24*time.Hour)))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	s.page("GET /login", s.loginPage)
	s.page("POST /login", s.login)
	s.page("POST /logout", s.logout)
	s.page("GET /login/oidc", s.oidcStart)
	s.page("GET /login/oidc/callback", s.oidcCallback)
	s.page("GET /{$}", redirect("/incidents", http.StatusSeeOther))
	s.page("GET /incidents", s.signedIn(s.incidentsPage))
	s.page("POST /incidents", s.editor(s.createIncident))
	s.page("GET /incidents/{id}", s.signedIn(s.incidentPage))
	s.page("GET /incidents/{id}/stream", s.signedIn(s.stream))
	s.page("GET /incidents/{id}/picture.svg", s.signedIn(s.picture))
	s.page("POST /incidents/{id}/events/{eid}", s.editor(s.curateEvent))
	s.page("POST /incidents/{id}/inputs", s.uploader(s.upload))
	s.page("POST /incidents/{id}/inputs/{input}/clock", s.editor(s.clockOffset))
	s.page("GET /search", s.signedIn(s.searchPage))
	s.page("GET /incidents/{id}/retro", s.signedIn(s.retroPage))
	s.page("POST /incidents/{id}/retro/factors", s.editor(s.addFactorForm))
	s.page("POST /incidents/{id}/retro/actions", s.editor(s.addActionForm))
	s.page("POST /incidents/{id}/retro/actions/{aid}", s.editor(s.updateActionForm))
	s.page("GET /actions", s.signedIn(s.actionsPage))
	s.page("GET /review", redirect("/actions", http.StatusMovedPermanently)) // the name the forum knows it by
	s.page("GET /incidents/{id}/room", s.signedIn(s.roomEntry))
	s.page("GET /incidents/{id}/postmortem.md", s.signedIn(s.postmortem))
	s.page("POST /incidents/{id}/room", s.editor(s.startMeeting))
	s.page("POST /incidents/{id}/room/check", s.editor(s.roomCheck))
	s.page("GET /incidents/{id}/meetings/{mid}", s.signedIn(s.roomPage))
	s.page("POST /incidents/{id}/meetings/{mid}/phase", s.editor(s.movePhase))
	s.page("POST /incidents/{id}/meetings/{mid}/went-well", s.editor(s.addWentWell))

	s.api("GET /api/v1/incidents", s.apiIncidents)
	s.api("POST /api/v1/incidents", s.apiCreateIncident)
	s.api("GET /api/v1/incidents/{id}", s.apiIncident)
	s.api("PATCH /api/v1/incidents/{id}", s.apiUpdateIncident)
	s.api("GET /api/v1/incidents/{id}/factors", incidentList(s, "factors", s.store.Factors))
	s.api("POST /api/v1/incidents/{id}/factors", s.apiAddFactor)
	s.api("PATCH /api/v1/incidents/{id}/factors/{fid}", s.apiUpdateFactor)
	s.api("DELETE /api/v1/incidents/{id}/factors/{fid}", s.apiDeleteFactor)
	s.api("GET /api/v1/incidents/{id}/actions", incidentList(s, "actions", func(ctx context.Context, id string) ([]*debrief.ActionItem, error) {
		return s.store.Actions(ctx, debrief.ActionFilter{IncidentID: id})
	}))
	s.api("POST /api/v1/incidents/{id}/actions", s.apiAddAction)
	s.api("PATCH /api/v1/incidents/{id}/actions/{aid}", s.apiUpdateAction)
	s.api("GET /api/v1/actions", s.apiReview)
	s.api("GET /api/v1/incidents/{id}/recurrences", s.apiRecurrences)
	s.api("GET /api/v1/incidents/{id}/meetings", incidentList(s, "meetings", s.store.Meetings))
	s.api("POST /api/v1/incidents/{id}/meetings", s.apiCreateMeeting)
	s.api("PATCH /api/v1/incidents/{id}/meetings/{mid}", s.apiUpdateMeeting)
	s.api("GET /api/v1/incidents/{id}/events", s.apiEvents)
	s.api("PATCH /api/v1/incidents/{id}/events/{eid}", s.apiCurate)
	s.api("GET /api/v1/search", s.apiSearch)
	s.api("POST /api/v1/incidents/{id}/inputs", s.apiUpload)
	s.api("GET /api/v1/incidents/{id}/inputs", incidentList(s, "inputs", s.store.Inputs))
	s.api("PATCH /api/v1/incidents/{id}/inputs/{input}", s.apiInput)
	s.api("POST /api/v1/hooks/alertmanager", s.alertmanagerHook)
	s.mux.HandleFunc("POST /hooks/pagerduty", func(w http.ResponseWriter, r *http.Request) {
		if err := s.pagerdutyHook(w, r); err != nil {
			status, msg := s.status(r, err)
			writeJSON(w, status, map[string]string{"error": msg, "code": debrief.ErrorCode(err)})
		}
	})
	s.api("GET /api/v1/me", func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, userOf(r.Context()))
	})
}

// ServeHTTP adds the security headers every response carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Body != nil {
		limit := int64(maxBody)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			limit = maxUpload // uploads of exports
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	s.mux.ServeHTTP(w, s.authenticate(r))
}

func cacheFor(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+itoa(int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

type handler func(w http.ResponseWriter, r *http.Request) error

// redirect is a handler that sends every request to one place.
func redirect(to string, code int) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, to, code)
		return nil
	}
}

// page registers a handler whose errors become an HTML error page.
func (s *Server) page(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// api registers a handler of the JSON API: a token or a session is
// required, state changes need the session's CSRF token, errors are JSON.
func (s *Server) api(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		err := func() error {
			if userOf(r.Context()) == nil {
				return debrief.Errorf(errUnauthorized, "sign in or send Authorization: Bearer <token>")
			}
			if r.Method != http.MethodGet {
				if err := checkCSRF(r); err != nil {
					return err
				}
			}
			return h(w, r)
		}()
		if err != nil {
			status, msg := s.status(r, err)
			writeJSON(w, status, map[string]string{"error": msg, "code": debrief.ErrorCode(err)})
		}
	})
}

// signedIn sends visitors without a session to the sign-in page.
func (s *Server) signedIn(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if userOf(r.Context()) == nil {
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		return h(w, r)
	}
}

// editor requires a signed-in member or admin, and the CSRF token.
func (s *Server) editor(h handler) handler {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request) error {
		if !userOf(r.Context()).Role.CanEdit() {
			return debrief.Errorf(errForbidden, "viewers can read incidents but not change them")
		}
		if err := checkCSRF(r); err != nil {
			return err
		}
		return h(w, r)
	})
}

// uploader is editor for multipart forms, whose CSRF token is read after
// the form is parsed (by the handler, within the upload limit).
func (s *Server) uploader(h handler) handler {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request) error {
		if !userOf(r.Context()).Role.CanEdit() {
			return debrief.Errorf(errForbidden, "viewers can read incidents but not change them")
		}
		return h(w, r)
	})
}

// status maps an error to an HTTP status and a message a user may see;
// internal errors are logged, not shown.
func (s *Server) status(r *http.Request, err error) (int, string) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, "the request is too large"
	}
	code := debrief.ErrorCode(err)
	switch code {
	case debrief.EINVALID:
		return http.StatusBadRequest, err.Error()
	case debrief.ENOTFOUND:
		return http.StatusNotFound, err.Error()
	case debrief.ECONFLICT:
		return http.StatusConflict, err.Error()
	case errForbidden:
		return http.StatusForbidden, err.Error()
	case errUnauthorized:
		return http.StatusUnauthorized, err.Error()
	case errTooMany:
		return http.StatusTooManyRequests, err.Error()
	}
	s.opt.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, "something went wrong on our side"
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.status(r, err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	s.tmpl.ExecuteTemplate(w, "error.html", map[string]any{"Status": status, "Message": msg, "User": userOf(r.Context())})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}

// render writes a page with the common data.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data map[string]any) error {
	data["User"] = userOf(r.Context())
	data["CSRF"] = ""
	if s.oidc != nil {
		data["SSO"] = s.oidc.cfg.Label
	}
	if ss := sessionOf(r.Context()); ss != nil {
		data["CSRF"] = ss.CSRF
	}
	// Rendered whole, then written at once with its length: one write
	// instead of a chunk per 4 KB, and no half page after an error.
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := s.tmpl.ExecuteTemplate(buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
