package web

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
)

func firstLine(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan()
	return sc.Text()
}

func TestAlertmanagerHook(t *testing.T) {
	f := newFixture(t)
	body := firstLine(t, "../examples/search-latency/alerts.jsonl")
	if code, _ := f.api(t, "", "POST", "/api/v1/hooks/alertmanager", body); code != 401 {
		t.Errorf("no token: %d", code)
	}
	if code, _ := f.api(t, "vic", "POST", "/api/v1/hooks/alertmanager", body); code != 403 {
		t.Errorf("viewer token: %d", code)
	}
	// No open incident names search-api (the fixture's is resolved): a new
	// one is opened.
	f.store.UpdateIncident(context.Background(), "search-latency", debrief.IncidentUpdate{Status: ptr(debrief.StatusResolved)})
	code, res := f.api(t, "kim", "POST", "/api/v1/hooks/alertmanager", body)
	if code != 200 || res["added"].(float64) < 1 {
		t.Fatalf("first delivery: %d %v", code, res)
	}
	id := res["incident_id"].(string)
	inc, _ := f.store.Incident(context.Background(), id)
	if inc.Status != debrief.StatusOpen || !strings.Contains(inc.Title, "SearchLatencyHigh") {
		t.Errorf("opened %+v", inc)
	}
	// Alertmanager retries: the same body is stored once.
	if code, res := f.api(t, "kim", "POST", "/api/v1/hooks/alertmanager", body); code != 200 || res["repeated"] != true {
		t.Errorf("retry: %d %v", code, res)
	}
	// An open incident naming the service takes the next delivery.
	f.store.CreateIncident(context.Background(), &debrief.Incident{ID: "search-now", Title: "Search now", Services: []string{"search-api"}})
	f.store.UpdateIncident(context.Background(), id, debrief.IncidentUpdate{Status: ptr(debrief.StatusResolved)})
	other := strings.Replace(body, "2025-06-02T14:03", "2025-06-02T14:09", -1)
	if code, res := f.api(t, "kim", "POST", "/api/v1/hooks/alertmanager", other); code != 200 || res["incident_id"] != "search-now" {
		t.Errorf("matching by service: %d %v", code, res)
	}
	if code, _ := f.api(t, "kim", "POST", "/api/v1/hooks/alertmanager", `{"not": "alertmanager"`); code != 400 {
		t.Errorf("bad body: %d", code)
	}
}

func ptr[T any](v T) *T { return &v }

func TestPagerDutyHook(t *testing.T) {
	f := newFixture(t)
	body := firstLine(t, "../examples/search-latency/pagerduty.jsonl")
	post := func(srv *httptest.Server, sig string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", srv.URL+"/hooks/pagerduty?incident=search-latency", strings.NewReader(body))
		if sig != "" {
			req.Header.Set("X-PagerDuty-Signature", sig)
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
	if code, _ := post(f.srv, "v1=00"); code != 404 {
		t.Errorf("hook without a secret configured: %d", code)
	}
	s, _ := New(f.store, Options{Argon2: cheap, PagerDutySecret: "s3cret"})
	srv := httptest.NewServer(s)
	defer srv.Close()
	if code, _ := post(srv, "v1=deadbeef"); code != 401 {
		t.Errorf("wrong signature: %d", code)
	}
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte(body))
	good := "v1=" + hex.EncodeToString(mac.Sum(nil))
	if code, res := post(srv, "v1=00, "+good); code != 200 || res["added"].(float64) < 1 || res["incident_id"] != "search-latency" {
		t.Errorf("signed: %d %v", code, res)
	}
}
