package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"sync"

	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/debriefhq/debrief/intake"

	"github.com/debriefhq/debrief"
)

var funcs = template.FuncMap{
	"clock": func(t time.Time) string { return t.UTC().Format("15:04:05") },
	"day":   func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"join": strings.Join,
	"mmss": minSec,
	"one":  func(r *debrief.Recurrence) []*debrief.Recurrence { return []*debrief.Recurrence{r} },
	// isURL: a tracking reference that is a web address becomes a link.
	"isURL": func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") },
	"rows":  eventRows,
	// dict passes several values to a template: dict "K1" v1 "K2" v2.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				m[k] = kv[i+1]
			}
		}
		return m
	},
}

func itoa(n int) string { return strconv.Itoa(n) }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "login.html", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

// safeNext keeps redirects after sign-in on this site: a path of its own,
// never a URL with a scheme or a host. Browsers drop tabs and newlines
// from URLs and read a backslash as a slash, so "/\t/evil.example" would
// become "//evil.example": control bytes and backslashes are refused too.
func safeNext(next string) string {
	const home = "/incidents"
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return home
	}
	for i := 0; i < len(next); i++ {
		if next[i] < 0x20 || next[i] == 0x7f {
			return home
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") {
		return home
	}
	return next
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	keys := s.logins.keys(r, name)
	if s.logins.blocked(keys) {
		return debrief.Errorf(errTooMany, "too many failed sign-ins; wait a few minutes")
	}
	u, err := s.store.UserByName(r.Context(), name)
	if err != nil || !CheckPassword(u.PasswordHash, password) {
		if err == nil || debrief.ErrorCode(err) == debrief.ENOTFOUND {
			CheckPassword(s.dummyHash(), password) // same time whether or not the user exists
			s.logins.fail(keys)
			w.WriteHeader(http.StatusUnauthorized)
			return s.render(w, r, "login.html", map[string]any{"Next": safeNext(r.PostFormValue("next")), "Failed": true, "Name": name})
		}
		return err
	}
	s.logins.reset(keys)
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// startSession signs the browser in as u: a new session, its token in an
// HttpOnly cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *debrief.User) error {
	token, hash := NewToken()
	csrf, _ := NewToken()
	ss := &debrief.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, ExpiresAt: time.Now().Add(s.opt.SessionTTL)}
	if err := s.store.CreateSession(r.Context(), ss); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.opt.Secure,
		SameSite: http.SameSiteLaxMode, Expires: ss.ExpiresAt})
	return nil
}

// dummyHash is checked against when the name is unknown, so a failed
// sign-in takes as long either way. Made at the first failed sign-in, not
// at start: hashing takes 64 MiB and a tenth of a second, which every
// command of the binary paid when it was a package variable.
func (s *Server) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = HashPassword("not a real password", s.opt.Argon2) })
	return s.dummy
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := checkCSRF(r); err != nil {
		return err
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.store.DeleteSession(r.Context(), TokenHash(c.Value))
		s.auth.drop("s:" + TokenHash(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opt.Secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// visible reports whether the user may see the incident: it is not
// private, or they are an admin or one of its members.
func (s *Server) visible(ctx context.Context, inc *debrief.Incident) (bool, error) {
	u := userOf(ctx)
	if u == nil {
		return false, nil
	}
	if !inc.Private || u.Role == debrief.RoleAdmin {
		return true, nil
	}
	return s.store.IsMember(ctx, inc.ID, u.ID)
}

// incident loads an incident the user may see; a private one they may not
// see is "not found", so its existence does not leak.
func (s *Server) incident(ctx context.Context, id string) (*debrief.Incident, error) {
	inc, err := s.store.Incident(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.visible(ctx, inc)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, debrief.Errorf(debrief.ENOTFOUND, "no incident %q", id)
	}
	return inc, nil
}

func (s *Server) incidentList(r *http.Request) ([]*debrief.Incident, debrief.IncidentFilter, error) {
	q := r.URL.Query()
	f := debrief.IncidentFilter{Query: q.Get("q"), Severity: debrief.Severity(q.Get("severity")),
		Status: debrief.IncidentStatus(q.Get("status")), Service: q.Get("service"), Limit: 200}
	all, err := s.store.Incidents(r.Context(), f)
	if err != nil {
		return nil, f, err
	}
	var out []*debrief.Incident
	for _, inc := range all {
		if ok, err := s.visible(r.Context(), inc); err != nil {
			return nil, f, err
		} else if ok {
			out = append(out, inc)
		}
	}
	return out, f, nil
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request) error {
	list, f, err := s.incidentList(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "incidents.html", map[string]any{"Incidents": list, "Filter": f,
		"Statuses": []debrief.IncidentStatus{debrief.StatusOpen, debrief.StatusResolved, debrief.StatusReviewed, debrief.StatusFollowedUp}})
}

func (s *Server) createIncident(w http.ResponseWriter, r *http.Request) error {
	inc := &debrief.Incident{Title: r.PostFormValue("title"), Severity: debrief.Severity(r.PostFormValue("severity")),
		Private: r.PostFormValue("private") == "on"}
	if svc := strings.TrimSpace(r.PostFormValue("services")); svc != "" {
		for _, x := range strings.Split(svc, ",") {
			if x = strings.TrimSpace(x); x != "" {
				inc.Services = append(inc.Services, x)
			}
		}
	}
	if inc.Private {
		inc.Members = []string{userOf(r.Context()).ID}
	}
	if err := s.store.CreateIncident(r.Context(), inc); err != nil {
		return err
	}
	http.Redirect(w, r, "/incidents/"+inc.ID, http.StatusSeeOther)
	return nil
}

// eventFilter reads ?source=a,b&moment=m&hidden=1.
func eventFilter(q url.Values) debrief.EventFilter {
	var f debrief.EventFilter
	for _, src := range strings.Split(q.Get("source"), ",") {
		if src = strings.TrimSpace(src); src != "" {
			f.Sources = append(f.Sources, debrief.Source(src))
		}
	}
	f.Moment = debrief.Moment(q.Get("moment"))
	f.Hidden = q.Get("hidden") == "1"
	return f
}

// pageSize is how many timeline entries one page shows; the rest load as
// the reader scrolls (htmx), or through the next-page link.
const pageSize = 50

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f := eventFilter(r.URL.Query())
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 0)
	f.Limit, f.Offset = pageSize+1, page*pageSize
	evs, err := s.store.Events(r.Context(), inc.ID, f)
	if err != nil {
		return err
	}
	next := ""
	if len(evs) > pageSize {
		evs = evs[:pageSize]
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(page+1))
		next = "/incidents/" + inc.ID + "?" + q.Encode()
	}
	data := map[string]any{"Incident": inc, "Events": evs, "Next": next, "Filter": f, "CanEdit": userOf(r.Context()).Role.CanEdit()}
	// After a change, the first page is fetched again with the same filters.
	rq := r.URL.Query()
	rq.Del("page")
	rq.Set("fragment", "timeline")
	data["Refresh"] = "/incidents/" + inc.ID + "?" + rq.Encode()
	if r.Header.Get("HX-Request") == "true" && (page > 0 || r.URL.Query().Get("fragment") == "timeline") {
		return s.render(w, r, "event-page", data) // the rows of one more page, or the first again after a change
	}
	inputs, err := s.store.Inputs(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	facets, err := s.facets.get(r.Context(), s.store, inc)
	if err != nil {
		return err
	}
	data["Inputs"], data["Facets"] = inputs, facets
	return s.render(w, r, "incident.html", data)
}

// curateEvent applies a form's change to one event and, for htmx, returns
// the event's row.
func (s *Server) curateEvent(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	var c debrief.Curation
	switch r.PostFormValue("action") {
	case "hide", "unhide":
		v := r.PostFormValue("action") == "hide"
		c.Hidden = &v
	case "pin", "unpin":
		v := r.PostFormValue("action") == "pin"
		c.Pinned = &v
	case "annotate":
		v := strings.TrimSpace(r.PostFormValue("annotation"))
		if len(v) > 4000 {
			return debrief.Errorf(debrief.EINVALID, "an annotation holds at most 4,000 characters")
		}
		c.Annotation = &v
	case "edit":
		v := r.PostFormValue("text")
		c.Text = &v
	default:
		return debrief.Errorf(debrief.EINVALID, "unknown action %q", r.PostFormValue("action"))
	}
	e, err := s.store.Curate(r.Context(), inc.ID, r.PathValue("eid"), c)
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		csrf := ""
		if ss := sessionOf(r.Context()); ss != nil {
			csrf = ss.CSRF
		}
		_, err := w.Write([]byte(eventRows([]*debrief.StoredEvent{e}, inc, true, csrf)))
		return err
	}
	http.Redirect(w, r, "/incidents/"+inc.ID+"#"+e.ID, http.StatusSeeOther)
	return nil
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	hits, err := s.search(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "search.html", map[string]any{"Query": r.URL.Query().Get("q"), "Hits": hits})
}

// search runs a search and drops hits in incidents the user may not see.
func (s *Server) search(r *http.Request) ([]debrief.SearchHit, error) {
	hits, err := s.store.Search(r.Context(), r.URL.Query().Get("q"), 100)
	if err != nil {
		return nil, err
	}
	out := hits[:0]
	seen := map[string]bool{}
	for _, h := range hits {
		ok, cached := seen[h.IncidentID]
		if !cached {
			if _, err := s.incident(r.Context(), h.IncidentID); err == nil {
				ok = true
			}
			seen[h.IncidentID] = ok
		}
		if ok {
			out = append(out, h)
		}
	}
	return out, nil
}

// JSON API.

func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request) error {
	list, _, err := s.incidentList(r)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*debrief.Incident{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"incidents": list})
}

func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request) error {
	if !userOf(r.Context()).Role.CanEdit() {
		return debrief.Errorf(errForbidden, "viewers can read incidents but not change them")
	}
	var inc debrief.Incident
	if err := decodeJSON(r, &inc, "an incident as JSON"); err != nil {
		return err
	}
	inc.CreatedAt, inc.UpdatedAt = time.Time{}, time.Time{}
	if inc.Private {
		inc.Members = []string{userOf(r.Context()).ID}
	}
	if err := s.store.CreateIncident(r.Context(), &inc); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &inc)
}

func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, inc)
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	evs, err := s.store.Events(r.Context(), inc.ID, eventFilter(r.URL.Query()))
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []*debrief.StoredEvent{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

// apiCurate takes {"hidden": true, "pinned": false, "annotation": "...",
// "text": "..."}; fields left out are unchanged.
func (s *Server) apiCurate(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var body struct {
		Hidden     *bool   `json:"hidden"`
		Pinned     *bool   `json:"pinned"`
		Annotation *string `json:"annotation"`
		Text       *string `json:"text"`
	}
	if err := decodeJSON(r, &body, `{"hidden", "pinned", "annotation", "text"}`); err != nil {
		return err
	}
	e, err := s.store.Curate(r.Context(), inc.ID, r.PathValue("eid"), debrief.Curation{Hidden: body.Hidden, Pinned: body.Pinned, Annotation: body.Annotation, Text: body.Text})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

// clockOffset corrects the clock of one input from the incident page: the
// form sends a signed duration ("-90s", "2m30s"), 0 undoes it.
func (s *Server) clockOffset(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := parseOffset(r.PostFormValue("offset"))
	if err != nil {
		return err
	}
	if err := s.store.SetClockOffset(r.Context(), inc.ID, r.PathValue("input"), d); err != nil {
		return err
	}
	http.Redirect(w, r, "/incidents/"+inc.ID+"#inputs", http.StatusSeeOther)
	return nil
}

func parseOffset(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(strings.TrimPrefix(v, "+"))
	if err != nil {
		return 0, debrief.Errorf(debrief.EINVALID, "clock offset %q: expected a duration such as -90s or 2m30s", v)
	}
	return d, nil
}

// apiInput corrects an input's clock: {"clock_offset": "-90s"}; every
// event of the input moves by it.
func (s *Server) apiInput(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var body struct {
		ClockOffset *string `json:"clock_offset"`
	}
	if err := decodeJSON(r, &body, `{"clock_offset"}`); err != nil {
		return err
	}
	if body.ClockOffset != nil {
		d, err := parseOffset(*body.ClockOffset)
		if err != nil {
			return err
		}
		if err := s.store.SetClockOffset(r.Context(), inc.ID, r.PathValue("input"), d); err != nil {
			return err
		}
	}
	inputs, err := s.store.Inputs(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if in.ID == r.PathValue("input") {
			return writeJSON(w, http.StatusOK, in)
		}
	}
	return debrief.Errorf(debrief.ENOTFOUND, "no input %q in incident %q", r.PathValue("input"), inc.ID)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	hits, err := s.search(r)
	if err != nil {
		return err
	}
	if hits == nil {
		hits = []debrief.SearchHit{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"hits": hits})
}

// decodeJSON reads one JSON value with no unknown fields; a body past the
// size limit keeps its own error (413).
func decodeJSON(r *http.Request, v any, what string) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return debrief.Errorf(debrief.EINVALID, "expected %s: %v", what, err)
	}
	return nil
}

// maxUpload bounds one upload (a Slack export of a busy workspace is large).
const maxUpload = 1 << 30

// upload stores the files of a multipart form (field "files") in the
// incident: saved under their own names in a temporary folder, parsed as
// `debrief ingest` would, then ingested in one transaction. A bad file is
// a 400 naming it and its line; nothing is stored then.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	inc, batch, res, err := s.receive(w, r)
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		return s.render(w, r, "upload-result", map[string]any{"Batch": batch, "Results": res, "Incident": inc})
	}
	http.Redirect(w, r, "/incidents/"+inc.ID, http.StatusSeeOther)
	return nil
}

// apiUpload is upload for programs: the same multipart form (field
// "files"), answered with what each file added.
func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) error {
	if !userOf(r.Context()).Role.CanEdit() {
		return debrief.Errorf(errForbidden, "viewers can read incidents but not change them")
	}
	_, batch, res, err := s.receive(w, r)
	if err != nil {
		return err
	}
	type input struct {
		Name string `json:"name"`
		debrief.IngestResult
	}
	out := []input{}
	for i, b := range batch {
		out = append(out, input{b.Name, res[i]})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"inputs": out})
}

// receive reads an upload and stores it.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) (*debrief.Incident, []debrief.IngestInput, []debrief.IngestResult, error) {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, nil, err
	}
	batch, res, err := s.receiveInto(w, r, inc)
	return inc, batch, res, err
}

func (s *Server) receiveInto(w http.ResponseWriter, r *http.Request, inc *debrief.Incident) ([]debrief.IngestInput, []debrief.IngestResult, error) {
	fail := func(err error) ([]debrief.IngestInput, []debrief.IngestResult, error) { return nil, nil, err }
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(err)
		}
		return fail(debrief.Errorf(debrief.EINVALID, "expected files in a multipart form: %v", err))
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkCSRF(r); err != nil {
		return fail(err)
	}
	files := r.MultipartForm.File["files"]
	if len(files) == 0 {
		return fail(debrief.Errorf(debrief.EINVALID, "choose at least one file to upload"))
	}
	dir, err := os.MkdirTemp("", "debrief-upload-*")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	var paths []string
	for _, fh := range files {
		name := safeName(fh.Filename)
		p := filepath.Join(dir, name)
		if err := saveUpload(fh, p); err != nil {
			return fail(err)
		}
		paths = append(paths, p)
	}
	batch, err := intake.Batch(r.Context(), paths, intake.Options{})
	if err != nil {
		return fail(debrief.Errorf(debrief.EINVALID, "%s", strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")))
	}
	for i := range batch {
		batch[i].Name = strings.TrimPrefix(batch[i].Name, dir+string(filepath.Separator))
	}
	res, err := s.store.Ingest(r.Context(), inc.ID, batch...)
	if err != nil {
		return fail(err)
	}
	return batch, res, nil
}

// safeName keeps an uploaded file's base name (a shell history's name says
// whose it is) and nothing that could leave the folder.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == '/' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "upload"
	}
	return name
}

func saveUpload(fh *multipart.FileHeader, p string) error {
	src, err := fh.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := os.Stat(p); err == nil {
		p += "-" + strconv.Itoa(int(time.Now().UnixNano()%1e6)) // two files of one name
	}
	dst, err := os.Create(p)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// facetCache keeps each incident's facets until the incident changes
// (ingest moves its updated_at, which every instance sees): counting 10,000
// events on every page view was most of a page's cost.
type facetCache struct {
	mu sync.Mutex
	m  map[string]cachedFacets
}

type cachedFacets struct {
	at time.Time
	f  *debrief.Facets
}

func (c *facetCache) get(ctx context.Context, st debrief.Store, inc *debrief.Incident) (*debrief.Facets, error) {
	c.mu.Lock()
	e, ok := c.m[inc.ID]
	c.mu.Unlock()
	if ok && e.at.Equal(inc.UpdatedAt) {
		return e.f, nil
	}
	f, err := st.Facets(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) > 1000 {
		c.m = map[string]cachedFacets{}
	}
	c.m[inc.ID] = cachedFacets{inc.UpdatedAt, f}
	c.mu.Unlock()
	return f, nil
}
