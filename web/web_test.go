package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/store/sqlite"
)

var cheap = Argon2{Memory: 1024, Time: 1, Threads: 1}

// fixture is a server on a fresh SQLite file with users kim (member),
// vic (viewer), ada (admin), an incident with events (one holding markup)
// and a private incident only ada and kim belong to.
type fixture struct {
	srv    *httptest.Server
	store  debrief.Store
	tokens map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{store: st, tokens: map[string]string{}}
	users := map[string]debrief.Role{"kim": debrief.RoleMember, "vic": debrief.RoleViewer, "ada": debrief.RoleAdmin}
	ids := map[string]string{}
	for name, role := range users {
		h, _ := HashPassword("password-"+name, cheap)
		u := &debrief.User{Name: name, Role: role, PasswordHash: h}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids[name] = u.ID
		tok, hash := NewToken()
		st.CreateToken(ctx, &debrief.APIToken{UserID: u.ID, Name: "test", TokenHash: hash})
		f.tokens[name] = tok
	}
	st.CreateIncident(ctx, &debrief.Incident{ID: "search-latency", Title: "Search latency", Severity: "SEV2", Services: []string{"search-api"}})
	t0 := time.Date(2025, 6, 2, 14, 3, 7, 0, time.UTC)
	evs := []debrief.Event{
		{ID: "e1", Time: t0, Source: debrief.SourceAlertmanager, Kind: debrief.KindAlertFiring, Actor: "alertmanager", Text: "SearchLatencyHigh firing: p99 above 1.5s"},
		{ID: "e2", Time: t0.Add(time.Minute), Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: "sam", Channel: "inc", Text: "opensearch connection pool timeout after 2s"},
		{ID: "e3", Time: t0.Add(2 * time.Minute), Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: "mallory", Channel: "inc", Text: `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`},
	}
	evs[0].Flag(debrief.MomentDetection, "first alert firing")
	if _, err := st.Ingest(ctx, "search-latency", debrief.IngestInput{Name: "sample", Format: "slack", Digest: "d", Events: evs}); err != nil {
		t.Fatal(err)
	}
	st.CreateIncident(ctx, &debrief.Incident{ID: "secret-one", Title: "Private matter", Private: true})
	st.Ingest(ctx, "secret-one", debrief.IngestInput{Name: "x", Format: "slack", Digest: "d", Events: []debrief.Event{
		{ID: "p1", Time: t0, Source: debrief.SourceSlack, Kind: debrief.KindMessage, Text: "confidential pool details"}}})
	st.AddMember(ctx, "secret-one", ids["kim"])
	s, err := New(st, Options{Argon2: cheap})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s)
	t.Cleanup(f.srv.Close)
	t.Cleanup(s.Close)
	return f
}

func (f *fixture) api(t *testing.T, who, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestAPIAuthAndRoles(t *testing.T) {
	f := newFixture(t)
	if code, _ := f.api(t, "", "GET", "/api/v1/incidents", ""); code != 401 {
		t.Errorf("no token: %d", code)
	}
	if code, _ := f.api(t, "kim", "GET", "/api/v1/incidents", ""); code != 200 {
		t.Errorf("token: %d", code)
	}
	// A viewer reads but cannot curate.
	if code, _ := f.api(t, "vic", "GET", "/api/v1/incidents/search-latency/events", ""); code != 200 {
		t.Errorf("viewer read: %d", code)
	}
	if code, _ := f.api(t, "vic", "PATCH", "/api/v1/incidents/search-latency/events/e2", `{"hidden": true}`); code != 403 {
		t.Errorf("viewer curate: %d", code)
	}
	code, body := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/events/e2", `{"annotation": "pool exhausted here"}`)
	if code != 200 || body["annotation"] != "pool exhausted here" {
		t.Errorf("member curate: %d %v", code, body)
	}
	// A private incident is invisible to non-members: not listed, 404 by id, absent from search.
	code, body = f.api(t, "vic", "GET", "/api/v1/incidents", "")
	if s, _ := json.Marshal(body); code != 200 || strings.Contains(string(s), "secret-one") {
		t.Errorf("viewer's list shows the private incident: %s", s)
	}
	for _, p := range []string{"/api/v1/incidents/secret-one", "/api/v1/incidents/secret-one/events"} {
		if code, _ := f.api(t, "vic", "GET", p, ""); code != 404 {
			t.Errorf("non-member %s: %d", p, code)
		}
	}
	if _, body := f.api(t, "vic", "GET", "/api/v1/search?q=confidential", ""); len(body["hits"].([]any)) != 0 {
		t.Errorf("search leaks a private incident: %v", body)
	}
	if code, _ := f.api(t, "kim", "GET", "/api/v1/incidents/secret-one", ""); code != 200 {
		t.Errorf("member: %d", code)
	}
	if code, _ := f.api(t, "ada", "GET", "/api/v1/incidents/secret-one", ""); code != 200 {
		t.Errorf("admin: %d", code)
	}
	if code, _ := f.api(t, "kim", "POST", "/api/v1/incidents", `{"title": "New one", "bogus": 1}`); code != 400 {
		t.Errorf("unknown field: %d", code)
	}
	if code, body := f.api(t, "kim", "POST", "/api/v1/incidents", `{"title": "Checkout 5xx"}`); code != 201 || body["id"] == "" {
		t.Errorf("create: %d %v", code, body)
	}
	if code, _ := f.api(t, "kim", "POST", "/api/v1/incidents", `{"title": "`+strings.Repeat("x", 2<<20)+`"}`); code != 413 {
		t.Errorf("2 MiB body: %d", code)
	}
}

// browser is an HTTP client with a cookie jar that signs in.
func (f *fixture) browser(t *testing.T, who string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(f.srv.URL+"/login", url.Values{"name": {who}, "password": {"password-" + who}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/incidents" {
		t.Fatalf("sign in as %s ended at %s (%d)", who, res.Request.URL.Path, res.StatusCode)
	}
	return c
}

func TestFormsNeedCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.browser(t, "kim")
	res, _ := c.PostForm(f.srv.URL+"/incidents/search-latency/events/e2", url.Values{"action": {"hide"}})
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Errorf("a form without the CSRF token: %d", res.StatusCode)
	}
	// With the page's token it works.
	page, _ := c.Get(f.srv.URL + "/incidents/search-latency")
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	i := strings.Index(string(b), `name="csrf" value="`)
	tok := string(b)[i+len(`name="csrf" value="`):]
	tok = tok[:strings.IndexByte(tok, '"')]
	res, _ = c.PostForm(f.srv.URL+"/incidents/search-latency/events/e2", url.Values{"action": {"hide"}, "csrf": {tok}})
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("with the token: %d", res.StatusCode)
	}
	evs, _ := f.store.Events(context.Background(), "search-latency", debrief.EventFilter{})
	if len(evs) != 2 {
		t.Errorf("the event was not hidden: %d visible", len(evs))
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	codes := []int{}
	for range 7 {
		res, _ := http.PostForm(f.srv.URL+"/login", url.Values{"name": {"kim"}, "password": {"wrong-password"}})
		res.Body.Close()
		codes = append(codes, res.StatusCode)
	}
	if codes[0] != 401 || codes[6] != 429 {
		t.Errorf("failed sign-ins answered %v", codes)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse", cheap)
	if err != nil || !CheckPassword(h, "correct horse") || CheckPassword(h, "correct horsf") || CheckPassword("garbage", "x") {
		t.Errorf("hash %q: %v", h, err)
	}
	if _, err := HashPassword("short", cheap); err == nil {
		t.Error("short password accepted")
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	res, err := http.Get(f.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", res.Header)
	}
}

func TestPicture(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("GET", f.srv.URL+"/incidents/search-latency/picture.svg", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["vic"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	svg := string(b)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg, "<svg") ||
		!strings.Contains(svg, "alertmanager") || strings.Contains(svg, "<script") {
		t.Errorf("picture: %d %s %.300s", res.StatusCode, res.Header.Get("Content-Type"), svg)
	}
	req, _ = http.NewRequest("GET", f.srv.URL+"/incidents/secret-one/picture.svg", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["vic"])
	res, _ = http.DefaultClient.Do(req)
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("a non-member got the private incident's picture: %d", res.StatusCode)
	}
}

func TestAPIUpload(t *testing.T) {
	f := newFixture(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("files", "sam.zsh_history")
	hist, _ := os.ReadFile("../examples/search-latency/sam.zsh_history")
	fw.Write(hist)
	mw.Close()
	post := func(who string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/incidents/search-latency/inputs", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	if code, _ := post("vic"); code != 403 {
		t.Errorf("viewer upload: %d", code)
	}
	code, out := post("kim")
	in, _ := out["inputs"].([]any)
	if code != 200 || len(in) != 1 || in[0].(map[string]any)["name"] != "sam.zsh_history" || in[0].(map[string]any)["added"].(float64) < 10 {
		t.Errorf("upload: %d %v", code, out)
	}
	if _, out := post("kim"); out["inputs"].([]any)[0].(map[string]any)["repeated"] != true {
		t.Errorf("second upload: %v", out)
	}
}

// A source's clock is corrected through the API and through the page's
// form; every event of the input moves, viewers cannot do it.
func TestClockOffset(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	code, body := f.api(t, "vic", "GET", "/api/v1/incidents/search-latency/inputs", "")
	inputs, _ := body["inputs"].([]any)
	if code != 200 || len(inputs) != 1 {
		t.Fatalf("inputs: %d %v", code, body)
	}
	id := inputs[0].(map[string]any)["id"].(string)
	if code, _ := f.api(t, "vic", "PATCH", "/api/v1/incidents/search-latency/inputs/"+id, `{"clock_offset": "-90s"}`); code != 403 {
		t.Errorf("viewer shifts a clock: %d", code)
	}
	if code, body := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/inputs/"+id, `{"clock_offset": "soon"}`); code != 400 || !strings.Contains(body["error"].(string), "-90s") {
		t.Errorf("bad offset: %d %v", code, body)
	}
	code, body = f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/inputs/"+id, `{"clock_offset": "-90s"}`)
	if code != 200 || body["clock_offset_ns"] != float64(-90*time.Second) {
		t.Fatalf("shift: %d %v", code, body)
	}
	evs, _ := f.store.Events(ctx, "search-latency", debrief.EventFilter{})
	if want := time.Date(2025, 6, 2, 14, 1, 37, 0, time.UTC); !evs[0].Time.Equal(want) {
		t.Errorf("first event at %v after the shift, want %v", evs[0].Time, want)
	}
	// The page's form, with the session's CSRF token, undoes it.
	c := f.browser(t, "kim")
	page, _ := c.Get(f.srv.URL + "/incidents/search-latency")
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(b), `action="/incidents/search-latency/inputs/`+id+`/clock"`) || !strings.Contains(string(b), `value="-1m30s"`) {
		t.Fatalf("page has no clock form with the offset")
	}
	i := strings.Index(string(b), `name="csrf" value="`)
	tok := string(b)[i+len(`name="csrf" value="`):]
	tok = tok[:strings.IndexByte(tok, '"')]
	res, err := c.PostForm(f.srv.URL+"/incidents/search-latency/inputs/"+id+"/clock", url.Values{"offset": {"0s"}, "csrf": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	evs, _ = f.store.Events(ctx, "search-latency", debrief.EventFilter{})
	if res.StatusCode != 200 || !evs[0].Time.Equal(time.Date(2025, 6, 2, 14, 3, 7, 0, time.UTC)) {
		t.Errorf("undo through the page: %d, first event at %v", res.StatusCode, evs[0].Time)
	}
}
