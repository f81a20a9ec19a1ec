package web

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/internal/pgtest"
	"github.com/debriefhq/debrief/store/postgres"
)

// TestTwoInstancesLive: two servers on one PostgreSQL database; a change
// made through one reaches a page's event stream on the other
// (LISTEN/NOTIFY), and both serve the same data.
func TestTwoInstancesLive(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	var servers []*httptest.Server
	var token string
	for i := range 2 {
		st, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if i == 0 {
			h, _ := HashPassword("password-kim", cheap)
			u := &debrief.User{Name: "kim", Role: debrief.RoleMember, PasswordHash: h}
			st.CreateUser(ctx, u)
			tok, hash := NewToken()
			st.CreateToken(ctx, &debrief.APIToken{UserID: u.ID, Name: "t", TokenHash: hash})
			token = tok
			st.CreateIncident(ctx, &debrief.Incident{ID: "live", Title: "Live"})
			st.Ingest(ctx, "live", debrief.IngestInput{Name: "a", Format: "slack", Digest: "d", Events: []debrief.Event{
				{ID: "e1", Time: time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC), Source: debrief.SourceSlack, Kind: debrief.KindMessage, Text: "hello"}}})
		}
		s, err := New(st, Options{Argon2: cheap})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		t.Cleanup(s.Close)
		servers = append(servers, srv)
	}
	a, b := servers[0], servers[1]

	// A page on B listens.
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(sctx, "GET", b.URL+"/incidents/live/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	lines.Scan() // ": listening": B's watch may still be starting
	time.Sleep(500 * time.Millisecond)

	// A change through A.
	patch, _ := http.NewRequest("PATCH", a.URL+"/api/v1/incidents/live/events/e1", strings.NewReader(`{"annotation": "seen on A"}`))
	patch.Header.Set("Authorization", "Bearer "+token)
	pres, err := http.DefaultClient.Do(patch)
	if err != nil || pres.StatusCode != 200 {
		t.Fatalf("patch through A: %v %v", err, pres)
	}
	pres.Body.Close()
	got := false
	for lines.Scan() {
		if lines.Text() == "event: change" {
			got = true
			break
		}
	}
	if !got {
		t.Fatal("B's stream never told of the change made through A")
	}
	// And B serves it.
	breq, _ := http.NewRequest("GET", b.URL+"/api/v1/incidents/live/events", nil)
	breq.Header.Set("Authorization", "Bearer "+token)
	bres, err := http.DefaultClient.Do(breq)
	if err != nil {
		t.Fatal(err)
	}
	defer bres.Body.Close()
	body, _ := bufio.NewReader(bres.Body).ReadString(0)
	if !strings.Contains(body, "seen on A") {
		t.Errorf("B does not serve A's change: %.300s", body)
	}
}
