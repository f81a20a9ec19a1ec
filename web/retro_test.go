package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRetroAPI(t *testing.T) {
	f := newFixture(t)
	// A member adds a factor on an event, and an action item addressing it.
	code, fac := f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/factors",
		`{"text": "The pool size change needed no review", "tags": ["Config Review"], "events": ["e2"]}`)
	if code != 201 || fac["id"] == nil || fac["created_by"] != "kim" {
		t.Fatalf("add factor: %d %v", code, fac)
	}
	fid := fac["id"].(string)
	if code, body := f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/factors", `{"text": "x", "events": ["nope"]}`); code != 400 {
		t.Errorf("factor on an unknown event: %d %v", code, body)
	}
	code, item := f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/actions",
		`{"text": "Require review of pool settings", "owner": "kim", "due": "2026-12-01", "priority": "high", "factors": ["`+fid+`"]}`)
	if code != 201 || item["due"] != "2026-12-01T00:00:00Z" || item["state"] != "open" {
		t.Fatalf("add action: %d %v", code, item)
	}
	aid := item["id"].(string)
	for body, want := range map[string]string{
		`{"text": "x", "owner": "sam and priya"}`: "one person",
		`{"text": "x", "due": "next week"}`:       "2026-12-01",
		`{"text": "x", "assignee": "sam"}`:        "unknown field",
	} {
		if code, res := f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/actions", body); code != 400 || !strings.Contains(res["error"].(string), want) {
			t.Errorf("%s: %d %v", body, code, res)
		}
	}
	// Viewers read the retro but cannot change it.
	if code, body := f.api(t, "vic", "GET", "/api/v1/incidents/search-latency/factors", ""); code != 200 || len(body["factors"].([]any)) != 1 {
		t.Errorf("viewer reads factors: %d %v", code, body)
	}
	if code, _ := f.api(t, "vic", "PATCH", "/api/v1/incidents/search-latency/actions/"+aid, `{"state": "done"}`); code != 403 {
		t.Errorf("viewer closes an item: %d", code)
	}
	if code, up := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/actions/"+aid, `{"state": "done", "tracking": "SRE-12"}`); code != 200 || up["done_at"] == nil || up["tracking"] != "SRE-12" {
		t.Errorf("done: %d %v", code, up)
	}
	// A private incident's retro is invisible to non-members, also in the
	// review across incidents.
	f.api(t, "kim", "POST", "/api/v1/incidents/secret-one/actions", `{"text": "Rotate the confidential key", "owner": "kim"}`)
	if code, _ := f.api(t, "vic", "GET", "/api/v1/incidents/secret-one/actions", ""); code != 404 {
		t.Errorf("non-member reads a private incident's items: %d", code)
	}
	_, review := f.api(t, "vic", "GET", "/api/v1/actions?state=all", "")
	if b, _ := json.Marshal(review); strings.Contains(string(b), "confidential") || len(review["actions"].([]any)) != 1 {
		t.Errorf("the review shows a private incident's item to a non-member: %s", b)
	}
	_, review = f.api(t, "kim", "GET", "/api/v1/actions?owner=kim", "")
	if n := len(review["actions"].([]any)); n != 1 {
		t.Errorf("kim's open items: %d, want the private one", n)
	}
	if code, _ := f.api(t, "kim", "GET", "/api/v1/actions?state=wip", ""); code != 400 {
		t.Errorf("bad state filter: %d", code)
	}
	// Deleting the factor unlinks it.
	if code, _ := f.api(t, "kim", "DELETE", "/api/v1/incidents/search-latency/factors/"+fid, ""); code != 204 {
		t.Errorf("delete factor: %d", code)
	}
	_, items := f.api(t, "kim", "GET", "/api/v1/incidents/search-latency/actions", "")
	if a := items["actions"].([]any)[0].(map[string]any); a["factors"] != nil {
		t.Errorf("item still names the deleted factor: %v", a)
	}
	// A meeting moves through the agenda.
	code, m := f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/meetings", `{"facilitator": "priya", "starts_at": "2026-12-02T15:00:00Z"}`)
	if code != 201 {
		t.Fatalf("meeting: %d %v", code, m)
	}
	if code, _ := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/meetings/"+m["id"].(string), `{"phase": "factors"}`); code != 403 {
		t.Errorf("a member moves priya's meeting: %d, want 403", code)
	}
	if code, up := f.api(t, "ada", "PATCH", "/api/v1/incidents/search-latency/meetings/"+m["id"].(string), `{"phase": "factors"}`); code != 200 || up["phase"] != "factors" {
		t.Errorf("phase: %d %v", code, up)
	}
	if code, _ := f.api(t, "kim", "PATCH", "/api/v1/incidents/secret-one/meetings/"+m["id"].(string), `{"phase": "close"}`); code != 404 {
		t.Errorf("meeting through another incident: %d", code)
	}
	// The incident's status follows the loop.
	if code, inc := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency", `{"status": "reviewed"}`); code != 200 || inc["status"] != "reviewed" {
		t.Errorf("status: %d %v", code, inc)
	}
	if code, _ := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency", `{"status": "closed"}`); code != 400 {
		t.Errorf("bad status: %d", code)
	}
}

func csrfOf(t *testing.T, c *http.Client, u string) (string, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	i := strings.Index(page, `name="csrf" value="`)
	if i < 0 {
		return "", page
	}
	tok := page[i+len(`name="csrf" value="`):]
	return tok[:strings.IndexByte(tok, '"')], page
}

func TestRetroPages(t *testing.T) {
	f := newFixture(t)
	kim := f.browser(t, "kim")
	tok, page := csrfOf(t, kim, f.srv.URL+"/incidents/search-latency/retro")
	if !strings.Contains(page, "Add factor") {
		t.Fatalf("member sees no factor form:\n%s", page)
	}
	res, err := kim.PostForm(f.srv.URL+"/incidents/search-latency/retro/factors", url.Values{"csrf": {tok}, "text": {"No alert on <b>pool</b> saturation"}, "tags": {"alerting, search pool"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, _ = kim.PostForm(f.srv.URL+"/incidents/search-latency/retro/actions", url.Values{"csrf": {tok}, "text": {"Alert at 80% pool use"}, "owner": {"kim"}, "due": {"2026-12-01"}, "priority": {"high"}})
	res.Body.Close()
	_, page = csrfOf(t, kim, f.srv.URL+"/incidents/search-latency/retro")
	for _, want := range []string{"No alert on &lt;b&gt;pool&lt;/b&gt; saturation", `<span class="tag">search-pool</span>`, "Alert at 80% pool use", "2026-12-01"} {
		if !strings.Contains(page, want) {
			t.Errorf("retro page lacks %q", want)
		}
	}
	// The review across incidents lists it; a viewer sees it without forms.
	vic := f.browser(t, "vic")
	_, page = csrfOf(t, vic, f.srv.URL+"/actions")
	if !strings.Contains(page, "Alert at 80% pool use") {
		t.Errorf("review page lacks the item:\n%s", page)
	}
	_, page = csrfOf(t, vic, f.srv.URL+"/incidents/search-latency/retro")
	if strings.Contains(page, "Add factor") || strings.Contains(page, "Add action item") {
		t.Error("viewer sees the forms")
	}
	res, _ = vic.Get(f.srv.URL + "/incidents/secret-one/retro")
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("non-member opens a private retro: %d", res.StatusCode)
	}
}
