package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

// post sends a room form and returns the page it lands on.
func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, string(b)
}

func TestRoomMeeting(t *testing.T) {
	f := newFixture(t)
	base := f.srv.URL + "/incidents/search-latency"
	kim, ada, vic := f.browser(t, "kim"), f.browser(t, "ada"), f.browser(t, "vic")

	// No meeting yet: a page to start one; a viewer cannot.
	tok, page := csrfOf(t, kim, base+"/room")
	if !strings.Contains(page, "Start the retro") {
		t.Fatalf("no start form for a member:\n%s", page)
	}
	if _, page := csrfOf(t, vic, base+"/room"); strings.Contains(page, "Start the retro") {
		t.Error("a viewer sees the start form")
	}
	code, path, page := post(t, kim, base+"/room", url.Values{"csrf": {tok}, "facilitator": {"priya"}})
	if code != 200 || !strings.HasPrefix(path, "/incidents/search-latency/meetings/m-") {
		t.Fatalf("start: %d at %s", code, path)
	}
	room := f.srv.URL + path
	if !regexp.MustCompile(`class="elapsed">0:0\d<`).MatchString(page) {
		t.Error("the room's clock does not start at zero")
	}
	for _, want := range []string{"Blameless frame", "not to find a person who caused it", "Facilitated by priya"} {
		if !strings.Contains(page, want) {
			t.Errorf("the room in its first phase lacks %q", want)
		}
	}
	// The API keeps the same rule: a member who does not facilitate adds
	// what went well, and runs nothing.
	mid := strings.TrimPrefix(path, "/incidents/search-latency/meetings/")
	for _, body := range []string{`{"phase": "close"}`, `{"ended": true}`, `{"facilitator": "kim"}`, `{"went_well": []}`} {
		if code, _ := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/meetings/"+mid, body); code != 403 {
			t.Errorf("a member sends %s to priya's meeting: %d, want 403", body, code)
		}
	}
	if code, m := f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/meetings/"+mid, `{"add_went_well": ["paging worked"]}`); code != 200 || len(m["went_well"].([]any)) != 1 {
		t.Errorf("a member adds a note through the API: %d %v", code, m)
	}
	// The room is the incident's: /room now leads into it, and starting
	// again joins it instead of opening a second.
	if res, _ := kim.Get(base + "/room"); res.Request.URL.Path != path {
		t.Errorf("/room leads to %s, want the running meeting %s", res.Request.URL.Path, path)
	}
	if _, p, _ := post(t, kim, base+"/room", url.Values{"csrf": {tok}}); p != path {
		t.Errorf("a second start landed at %s, want the running meeting", p)
	}

	// priya facilitates: kim, a member, cannot move the agenda; an admin can.
	if code, _, _ := post(t, kim, room+"/phase", url.Values{"csrf": {tok}, "phase": {"timeline"}}); code != 403 {
		t.Errorf("a member moves another facilitator's meeting: %d", code)
	}
	adaTok, _ := csrfOf(t, ada, room)
	code, _, page = post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"timeline"}})
	if code != 200 || !strings.Contains(page, "Walk the timeline") || !strings.Contains(page, "SearchLatencyHigh firing") {
		t.Errorf("the timeline walk shows no moments: %d", code)
	}
	if code, _, _ := post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"brainstorm"}}); code != 400 {
		t.Errorf("an unknown phase: %d", code)
	}
	post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"factors"}})

	// A factor added in the room comes back to the room, with the
	// reframing question beside the blaming words.
	code, p, page := post(t, kim, base+"/retro/factors", url.Values{"csrf": {tok}, "room": {strings.TrimPrefix(path, "/incidents/search-latency/meetings/")},
		"text": {"Sam forgot to check the <b>pool</b> size"}})
	if code != 200 || p != path {
		t.Fatalf("factor from the room: %d, back at %s", code, p)
	}
	for _, want := range []string{"Sam forgot to check the &lt;b&gt;pool&lt;/b&gt; size", "Reframe “Sam forgot”"} {
		if !strings.Contains(page, want) {
			t.Errorf("the room lacks %q", want)
		}
	}
	// The as-you-type check says the same before anything is stored.
	if _, _, b := post(t, kim, base+"/room/check", url.Values{"csrf": {tok}, "text": {"Obviously the root cause was the config"}}); !strings.Contains(b, "Obviously") || !strings.Contains(b, "root cause") {
		t.Errorf("check: %s", b)
	}
	if _, _, b := post(t, kim, base+"/room/check", url.Values{"csrf": {tok}, "text": {"The pool size change needed no review"}}); strings.Contains(b, "nudge\"") {
		t.Errorf("a system-level factor is nudged: %s", b)
	}
	if code, _, _ := post(t, kim, base+"/room/check", url.Values{"text": {"no token"}}); code != 403 {
		t.Errorf("the check without the CSRF token: %d", code)
	}

	// Live: a change refreshes the lists; a phase change reloads the page.
	live := func(phase string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", room+"?fragment=live&ended=0&phase="+phase, nil)
		req.Header.Set("HX-Request", "true")
		res, err := kim.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if res, body := live("factors"); res.StatusCode != 200 || !strings.Contains(body, "Sam forgot") || strings.Contains(body, "<html") {
		t.Errorf("live fragment: %d\n%s", res.StatusCode, body)
	}
	if res, _ := live("timeline"); res.Header.Get("HX-Refresh") != "true" {
		t.Error("a page drawn in an earlier phase is not asked to reload")
	}

	// What went well, then the action items and the close's checklist.
	post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"went_well"}})
	if _, _, page = post(t, kim, room+"/went-well", url.Values{"csrf": {tok}, "text": {"The latency alert fired within two minutes"}}); !strings.Contains(page, "fired within two minutes") {
		t.Error("the went-well note is not in the room")
	}
	post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"actions"}})
	post(t, kim, base+"/retro/actions", url.Values{"csrf": {tok}, "room": {strings.TrimPrefix(path, "/incidents/search-latency/meetings/")},
		"text": {"Alert on search-api pool waits over 100 ms for 5 minutes"}, "owner": {"sam"}, "due": {"2026-12-10"}, "priority": {"high"}})
	_, _, page = post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"close"}})
	for _, want := range []string{"Facilitator's checklist", "✗ to do</span> Contributing factors explored", "✗ to do</span> Every factor and action item reads without blame",
		"✓ done</span> What went well captured", "✓ done</span> Every action item has one named owner", "✗ to do</span> Every action item has a tracking home", "End the meeting"} {
		if !strings.Contains(page, want) {
			t.Errorf("the close lacks %q", want)
		}
	}
	// Ending it: the room stays readable, /room offers a new one.
	if code, _, page = post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"end"}}); code != 200 || !strings.Contains(page, "Reopen the meeting") {
		t.Errorf("end: %d", code)
	}
	m, err := f.store.Meeting(context.Background(), strings.TrimPrefix(path, "/incidents/search-latency/meetings/"))
	if err != nil || m.EndedAt.IsZero() || m.Phase != debrief.PhaseClose || len(m.Phases) != 7 || m.Phases[6].Phase != "" {
		t.Errorf("the stored meeting: %+v %v", m, err)
	}
	if inc, _ := f.store.Incident(context.Background(), "search-latency"); inc.Status != debrief.StatusReviewed {
		t.Errorf("after the retro the incident is %s, want reviewed", inc.Status)
	}
	if _, page := csrfOf(t, kim, base+"/room"); !strings.Contains(page, "Past meetings") || !strings.Contains(page, path) {
		t.Error("the start page does not list the ended meeting")
	}
	if code, _, _ := post(t, ada, room+"/phase", url.Values{"csrf": {adaTok}, "phase": {"factors"}}); code != 409 {
		t.Errorf("moving an ended meeting: %d", code)
	}

	// A private incident's room does not exist for non-members.
	res, _ := vic.Get(f.srv.URL + "/incidents/secret-one/room")
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("non-member opens a private room: %d", res.StatusCode)
	}
	res, _ = vic.Get(f.srv.URL + "/incidents/secret-one/meetings/" + m.ID)
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("a meeting through another incident: %d", res.StatusCode)
	}
}

func TestNudges(t *testing.T) {
	people := []string{"priya", "sam"}
	for _, tc := range []struct {
		text, rule string // rule: the family nudged, "" for none
	}{
		{"The pool size change needed no review", ""},
		{"No alert fired on connection pool saturation", ""},
		{"Alert when search-api pool waits exceed 100 ms for 5 minutes", ""},
		{"Sam forgot to check the pool size", "blame."},
		{"Priya's mistake took the cluster down", "blame."},
		{"The on-call engineer should have noticed the alert", "counterfactual."},
		{"Obviously the config was wrong", "hindsight."},
		{"The root cause was the pool size", "rootcause."},
		{"", ""},
	} {
		ns := nudges(tc.text, people)
		if tc.rule == "" {
			if len(ns) != 0 {
				t.Errorf("%q nudged: %+v", tc.text, ns)
			}
			continue
		}
		if len(ns) == 0 || !strings.HasPrefix(ns[0].Rule, tc.rule) || ns[0].Question == "" || ns[0].Match == "" {
			t.Errorf("%q: %+v, want a %s nudge with a question", tc.text, ns, tc.rule)
		}
	}
}

// TestTypedSecretsRedacted: what people type (a factor quoting a
// connection string, an annotation with a pasted token, a note) is
// redacted before it is stored, as ingested inputs are.
func TestTypedSecretsRedacted(t *testing.T) {
	f := newFixture(t)
	const dsn = "postgres://search:hunter2-Very-Secret@db.internal:5432/search"
	const tok = "ghp_0123456789abcdefABCDEF0123456789abcd"
	kim := f.browser(t, "kim")
	csrf, _ := csrfOf(t, kim, f.srv.URL+"/incidents/search-latency/retro")
	post(t, kim, f.srv.URL+"/incidents/search-latency/retro/factors", url.Values{"csrf": {csrf}, "text": {"The pool read its DSN " + dsn + " from an env file nobody reviewed"}})
	post(t, kim, f.srv.URL+"/incidents/search-latency/retro/actions", url.Values{"csrf": {csrf}, "text": {"Rotate " + tok}, "owner": {"kim"}})
	f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency/events/e2", `{"annotation": "sam pasted `+tok+` here"}`)
	_, m := f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/meetings", `{"went_well": ["the DSN `+dsn+` was found fast"]}`)
	f.api(t, "kim", "PATCH", "/api/v1/incidents/search-latency", `{"title": "Search latency (`+tok+`)"}`)

	d, err := f.store.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	for _, secret := range []string{"hunter2-Very-Secret", tok} {
		if strings.Contains(string(b), secret) {
			t.Errorf("%q reached the store", secret)
		}
	}
	if n := strings.Count(string(b), "[REDACTED:"); n < 5 {
		t.Errorf("%d redaction markers stored, want one per typed secret (5)", n)
	}
	if m["id"] == nil {
		t.Errorf("meeting: %v", m)
	}
}

// TestRecurrenceWarning: a factor of this incident that an earlier one had
// (a shared tag), whose fix is still open, is called out in the room, on
// the retro page and in the API; a private incident's factor stays
// invisible to a non-member.
func TestRecurrenceWarning(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := &debrief.Incident{ID: "checkout-errors", Title: "Checkout errors", CreatedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	if err := f.store.CreateIncident(ctx, old); err != nil {
		t.Fatal(err)
	}
	// The fixture's incidents were created now: these are earlier.
	fac := &debrief.Factor{IncidentID: old.ID, Text: "Pool settings changed without review", Tags: []string{"config-review"}}
	f.store.AddFactor(ctx, fac)
	f.store.AddAction(ctx, &debrief.ActionItem{IncidentID: old.ID, Text: "Require review of pool settings", Owner: "sam",
		Due: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Factors: []string{fac.ID}})
	hidden := &debrief.Incident{ID: "old-secret", Title: "Old private matter", Private: true, CreatedAt: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
	f.store.CreateIncident(ctx, hidden)
	kimUser, _ := f.store.UserByName(ctx, "kim")
	f.store.AddMember(ctx, hidden.ID, kimUser.ID)
	f.store.AddFactor(ctx, &debrief.Factor{IncidentID: hidden.ID, Text: "confidential config factor", Tags: []string{"config-review"}})
	f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/factors", `{"text": "The pool size change needed no review", "tags": ["config review"]}`)

	code, body := f.api(t, "vic", "GET", "/api/v1/incidents/search-latency/recurrences", "")
	rs, _ := body["recurrences"].([]any)
	if code != 200 || len(rs) != 1 {
		t.Fatalf("recurrences for a viewer: %d %v", code, body)
	}
	r := rs[0].(map[string]any)
	if r["incident"].(map[string]any)["id"] != old.ID || len(r["open"].([]any)) != 1 {
		t.Errorf("recurrence: %v", r)
	}
	if b, _ := json.Marshal(body); strings.Contains(string(b), "confidential") {
		t.Error("a private incident's factor reached a non-member")
	}
	if _, body := f.api(t, "kim", "GET", "/api/v1/incidents/search-latency/recurrences", ""); len(body["recurrences"].([]any)) != 2 {
		t.Errorf("a member of the private incident sees %d recurrences, want 2", len(body["recurrences"].([]any)))
	}
	// The review page leads with it; the fix's tracking is a link.
	issue7 := "https://github.com/acme/search/issues/7"
	f.store.UpdateAction(ctx, old.ID, mustFirstAction(t, f, old.ID), debrief.ActionUpdate{Tracking: &issue7})
	_, page := csrfOf(t, f.browser(t, "vic"), f.srv.URL+"/actions")
	for _, want := range []string{"Came back while the fix is open", "The pool size change needed no review", `<a href="https://github.com/acme/search/issues/7" rel="noopener noreferrer">`} {
		if !strings.Contains(page, want) {
			t.Errorf("/actions lacks %q", want)
		}
	}
	if strings.Contains(page, "confidential") {
		t.Error("/actions shows a private incident's factor to a non-member")
	}
	// The room and the retro page say it beside the factor.
	m := &debrief.Meeting{IncidentID: "search-latency", Phase: debrief.PhaseFactors}
	f.store.CreateMeeting(ctx, m)
	vic := f.browser(t, "vic")
	for _, u := range []string{"/incidents/search-latency/meetings/" + m.ID, "/incidents/search-latency/retro"} {
		_, page := csrfOf(t, vic, f.srv.URL+u)
		for _, want := range []string{"Seen before, fix still open", "Checkout errors", "Require review of pool settings", "owned by sam", "due 2025-04-01"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", u, want)
			}
		}
	}
}

func mustFirstAction(t *testing.T, f *fixture, incidentID string) string {
	t.Helper()
	as, err := f.store.Actions(context.Background(), debrief.ActionFilter{IncidentID: incidentID})
	if err != nil || len(as) == 0 {
		t.Fatalf("items of %s: %v %v", incidentID, as, err)
	}
	return as[0].ID
}

// TestPostmortemDownload: the retro's postmortem as markdown, for anyone
// who may read the incident; text from people is inert in it.
func TestPostmortemDownload(t *testing.T) {
	f := newFixture(t)
	f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/factors", `{"text": "No alert on <script>pool</script> | saturation", "tags": ["alerting"]}`)
	f.api(t, "kim", "POST", "/api/v1/incidents/search-latency/actions", `{"text": "Alert at 80% pool use", "owner": "kim", "due": "2026-12-01", "priority": "high"}`)
	vic := f.browser(t, "vic")
	res, err := vic.Get(f.srv.URL + "/incidents/search-latency/postmortem.md")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	md := string(b)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(res.Header.Get("Content-Disposition"), "search-latency-postmortem.md") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	for _, want := range []string{"# Search latency", `No alert on \<script\>pool\</script\> \| saturation`, "| Alert at 80% pool use | kim | 2026-12-01 | high | open |", "SearchLatencyHigh firing"} {
		if !strings.Contains(md, want) {
			t.Errorf("postmortem lacks %q:\n%s", want, md)
		}
	}
	res, _ = vic.Get(f.srv.URL + "/incidents/secret-one/postmortem.md")
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("a non-member downloads a private incident's postmortem: %d", res.StatusCode)
	}
}

// TestNudgeCacheKey: text with a NUL cannot pass for another text with
// other people known (the cache key joins them with NUL).
func TestNudgeCacheKey(t *testing.T) {
	nudges("Priya forgot to check\x00sam", []string{"kim"})
	if ns := nudges("Priya forgot to check", []string{"kim", "sam"}); len(ns) == 0 {
		t.Error("a blaming factor is not nudged after a text with a NUL filled the cache")
	}
}
