// Package storetest is the conformance suite every debrief.Store passes:
// store/sqlite runs it in process, store/postgres against a real server.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/google/go-cmp/cmp"
)

// Open returns a new, empty store; the suite closes it.
type Open func(t *testing.T) debrief.Store

var t0 = time.Date(2025, 6, 2, 14, 3, 7, 123456789, time.UTC)

func ev(id string, at time.Duration, src debrief.Source, text string) debrief.Event {
	e := debrief.Event{ID: id, Time: t0.Add(at), Source: src, Kind: debrief.KindMessage, Actor: "sam", Channel: "inc", Text: text, Ref: "ref-" + id}
	return e
}

func incident(t *testing.T, s debrief.Store, id, title string) *debrief.Incident {
	t.Helper()
	inc := &debrief.Incident{ID: id, Title: title, Severity: "SEV2", Services: []string{"search-api"}}
	if err := s.CreateIncident(context.Background(), inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

// ingest1 ingests one input.
func ingest1(s debrief.Store, id string, in debrief.IngestInput) (debrief.IngestResult, error) {
	rs, err := s.Ingest(context.Background(), id, in)
	if err != nil {
		return debrief.IngestResult{}, err
	}
	return rs[0], nil
}

// Run runs the whole suite.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s debrief.Store)
	}{
		{"Incidents", testIncidents},
		{"IngestIsIdempotent", testIngestIdempotent},
		{"IngestIsAllOrNothing", testIngestAtomic},
		{"IngestSeveralInputsAtOnce", testIngestBatch},
		{"Curation", testCuration},
		{"ClockOffset", testClockOffset},
		{"Search", testSearch},
		{"ConcurrentWriters", testConcurrentWriters},
		{"UsersSessionsTokens", testAuth},
		{"FactorsAndActionItems", testRetro},
		{"TextPostgreSQLCannotHold", testUnstorableText},
		{"Meetings", testMeetings},
		{"RetroChangesAreWatched", testRetroWatch},
		{"Recurrences", testRecurrences},
		{"ActionStateAt", testActionStateAt},
		{"KeepStatus", testKeepStatus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
	}
	t.Run("ExportImportRoundTrip", func(t *testing.T) {
		a, b := open(t), open(t)
		defer a.Close()
		defer b.Close()
		testRoundTrip(t, a, b)
	})
}

func testIncidents(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "search-latency", "Search latency")
	err := s.CreateIncident(ctx, &debrief.Incident{ID: "search-latency", Title: "again"})
	if debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("duplicate id: %v", err)
	}
	if err := s.CreateIncident(ctx, &debrief.Incident{ID: "Bad ID!", Title: "x"}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("bad id: %v", err)
	}
	gen := &debrief.Incident{Title: "Checkout 5xx, EU"}
	if err := s.CreateIncident(ctx, gen); err != nil || len(gen.ID) < 10 {
		t.Errorf("generated id %q: %v", gen.ID, err)
	}
	got, err := s.Incident(ctx, "search-latency")
	if err != nil || got.Title != "Search latency" || got.Status != debrief.StatusOpen || !cmp.Equal(got.Services, []string{"search-api"}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := s.Incident(ctx, "nope"); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("missing: %v", err)
	}
	title, status := "Search latency (EU)", debrief.StatusResolved
	up, err := s.UpdateIncident(ctx, "search-latency", debrief.IncidentUpdate{Title: &title, Status: &status})
	if err != nil || up.Title != title || up.Status != status {
		t.Errorf("update: %+v %v", up, err)
	}
	list, err := s.Incidents(ctx, debrief.IncidentFilter{Status: debrief.StatusResolved})
	if err != nil || len(list) != 1 || list[0].ID != "search-latency" {
		t.Errorf("filter by status: %v %v", list, err)
	}
	list, _ = s.Incidents(ctx, debrief.IncidentFilter{Service: "search-api"})
	if len(list) != 1 {
		t.Errorf("filter by service: %d", len(list))
	}
	list, _ = s.Incidents(ctx, debrief.IncidentFilter{Query: "checkout"})
	if len(list) != 1 || list[0].ID != gen.ID {
		t.Errorf("filter by words: %v", list)
	}
}

func testIngestIdempotent(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "Search latency")
	in := debrief.IngestInput{Name: "slack.zip", Format: "slack", Digest: "d1", Events: []debrief.Event{
		ev("e2", time.Minute, debrief.SourceSlack, "second"), ev("e1", 0, debrief.SourceSlack, "first"),
	}}
	in.Events[1].Flag(debrief.MomentDetection, "first alert firing")
	res, err := ingest1(s, "inc", in)
	if err != nil || res.Added != 2 || res.Repeated {
		t.Fatalf("first ingest: %+v %v", res, err)
	}
	again, err := ingest1(s, "inc", in)
	if err != nil || !again.Repeated || again.Added != 0 || again.InputID != res.InputID {
		t.Errorf("second ingest of the same bytes: %+v %v", again, err)
	}
	// Another input holding one of the same events (same source and ref).
	other := debrief.IngestInput{Name: "more.zip", Format: "slack", Digest: "d2", Events: []debrief.Event{
		ev("e1", 0, debrief.SourceSlack, "first"), ev("e3", 2*time.Minute, debrief.SourceSlack, "third"),
	}}
	res2, err := ingest1(s, "inc", other)
	if err != nil || res2.Added != 1 || res2.Duplicates != 1 {
		t.Errorf("overlapping input: %+v %v", res2, err)
	}
	evs, err := s.Events(ctx, "inc", debrief.EventFilter{})
	if err != nil || len(evs) != 3 || evs[0].ID != "e1" || evs[2].ID != "e3" {
		t.Fatalf("events: %v %v", evs, err)
	}
	if !evs[0].Time.Equal(t0) || evs[0].Time.Nanosecond() != 123456789 {
		t.Errorf("time lost precision: %v", evs[0].Time)
	}
	if !evs[0].Has(debrief.MomentDetection) || evs[0].Why.Of(debrief.MomentDetection) != "first alert firing" {
		t.Errorf("moments: %+v", evs[0])
	}
	if in, err := s.InputByDigest(ctx, "d2"); err != nil || in.IncidentID != "inc" || in.Name != "more.zip" {
		t.Errorf("input by digest: %+v %v", in, err)
	}
	if _, err := s.InputByDigest(ctx, "nope"); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("unknown digest: %v", err)
	}
	if f, err := s.Facets(ctx, "inc"); err != nil || f.Events != 3 || f.Sources[debrief.SourceSlack] != 3 || f.Moments[debrief.MomentDetection] != 1 {
		t.Errorf("facets: %+v %v", f, err)
	}
	inc, _ := s.Incident(ctx, "inc")
	if !inc.StartedAt.Equal(t0) || !inc.EndedAt.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("incident span %v to %v", inc.StartedAt, inc.EndedAt)
	}
	if _, err := ingest1(s, "nope", in); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("ingest into a missing incident: %v", err)
	}
}

func testIngestAtomic(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "x")
	evs := make([]debrief.Event, 500)
	for i := range evs {
		evs[i] = ev(fmt.Sprintf("e%03d", i), time.Duration(i)*time.Second, debrief.SourceZsh, "cmd")
	}
	evs[499].Time = time.Time{} // bad at the very end
	if _, err := ingest1(s, "inc", debrief.IngestInput{Name: "h", Format: "zsh", Digest: "d", Events: evs}); err == nil {
		t.Fatal("a bad event was accepted")
	}
	got, _ := s.Events(ctx, "inc", debrief.EventFilter{Hidden: true})
	ins, _ := s.Inputs(ctx, "inc")
	if len(got) != 0 || len(ins) != 0 {
		t.Errorf("a failed ingest left %d events and %d inputs", len(got), len(ins))
	}
	// The same input, fixed, goes in whole.
	evs[499].Time = t0
	if res, err := ingest1(s, "inc", debrief.IngestInput{Name: "h", Format: "zsh", Digest: "d", Events: evs}); err != nil || res.Added != 500 {
		t.Errorf("retry: %+v %v", res, err)
	}
}

func testCuration(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "x")
	ingest1(s, "inc", debrief.IngestInput{Name: "a", Format: "slack", Digest: "d", Events: []debrief.Event{
		ev("e1", 0, debrief.SourceSlack, "the db is slow"), ev("e2", time.Minute, debrief.SourceSlack, "rolled back"),
	}})
	yes, note, fixed := true, "this is where we decided", "rolled back search-api"
	if _, err := s.Curate(ctx, "inc", "e1", debrief.Curation{Hidden: &yes}); err != nil {
		t.Fatal(err)
	}
	e, err := s.Curate(ctx, "inc", "e2", debrief.Curation{Pinned: &yes, Annotation: &note, Text: &fixed})
	if err != nil || !e.Pinned || e.Annotation != note || e.Text != fixed || e.OriginalText != "rolled back" {
		t.Fatalf("curate: %+v %v", e, err)
	}
	visible, _ := s.Events(ctx, "inc", debrief.EventFilter{})
	all, _ := s.Events(ctx, "inc", debrief.EventFilter{Hidden: true})
	if len(visible) != 1 || visible[0].ID != "e2" || len(all) != 2 || !all[0].Hidden {
		t.Errorf("hidden: visible %d, all %d", len(visible), len(all))
	}
	again := "rolled back search-api to rev 41"
	e, _ = s.Curate(ctx, "inc", "e2", debrief.Curation{Text: &again})
	if e.OriginalText != "rolled back" {
		t.Errorf("a second edit lost the original: %q", e.OriginalText)
	}
	restore := ""
	e, _ = s.Curate(ctx, "inc", "e2", debrief.Curation{Text: &restore})
	if e.Text != "rolled back" || e.OriginalText != "" {
		t.Errorf("restore: %+v", e)
	}
	if _, err := s.Curate(ctx, "inc", "nope", debrief.Curation{Hidden: &yes}); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("missing event: %v", err)
	}
}

func testClockOffset(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "x")
	a, _ := ingest1(s, "inc", debrief.IngestInput{Name: "laptop.zsh_history", Format: "zsh", Digest: "a", Events: []debrief.Event{
		ev("z1", 0, debrief.SourceZsh, "kubectl get pods"), ev("z2", 2*time.Minute, debrief.SourceZsh, "kubectl rollout undo"),
	}})
	ingest1(s, "inc", debrief.IngestInput{Name: "slack", Format: "slack", Digest: "b", Events: []debrief.Event{
		ev("s1", time.Minute, debrief.SourceSlack, "rolling back"),
	}})
	// The laptop's clock ran 90 s fast.
	if err := s.SetClockOffset(ctx, "inc", a.InputID, -90*time.Second); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.Events(ctx, "inc", debrief.EventFilter{})
	var order []string
	for _, e := range evs {
		order = append(order, e.ID)
	}
	if !cmp.Equal(order, []string{"z1", "z2", "s1"}) || !evs[1].Time.Equal(t0.Add(30*time.Second)) {
		t.Errorf("after the offset: %v, z2 at %v", order, evs[1].Time)
	}
	ins, _ := s.Inputs(ctx, "inc")
	if ins[0].ClockOffset != -90*time.Second {
		t.Errorf("inputs: %+v", ins[0])
	}
	if err := s.SetClockOffset(ctx, "inc", a.InputID, 8*24*time.Hour); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("an offset of eight days: %v", err)
	}
	if err := s.SetClockOffset(ctx, "inc", "nope", time.Second); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("missing input: %v", err)
	}
}

func testSearch(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "search", "Search latency in EU")
	incident(t, s, "checkout", "Checkout errors")
	ingest1(s, "search", debrief.IngestInput{Name: "a", Format: "slack", Digest: "d", Events: []debrief.Event{
		ev("e1", 0, debrief.SourceSlack, "opensearch connection pool timeout after 2s"),
		ev("e2", time.Minute, debrief.SourceSlack, "postgres looks fine"),
	}})
	ingest1(s, "checkout", debrief.IngestInput{Name: "b", Format: "slack", Digest: "d", Events: []debrief.Event{
		ev("c1", 0, debrief.SourceSlack, "pool exhausted on payments"),
	}})
	hits, err := s.Search(ctx, "pool", 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, h := range hits {
		got[h.IncidentID+"/"+h.EventID] = true
	}
	if !got["search/e1"] || !got["checkout/c1"] || got["search/e2"] {
		t.Errorf("search pool: %+v", hits)
	}
	if hits, _ := s.Search(ctx, "latency", 10); len(hits) != 1 || hits[0].EventID != "" || hits[0].IncidentID != "search" {
		t.Errorf("search by title: %+v", hits)
	}
	if hits, _ := s.Search(ctx, "timeo", 10); len(hits) != 1 {
		t.Errorf("prefix search: %+v", hits)
	}
	yes := true
	s.Curate(ctx, "search", "e1", debrief.Curation{Hidden: &yes})
	if hits, _ := s.Search(ctx, "opensearch", 10); len(hits) != 0 {
		t.Errorf("hidden event found: %+v", hits)
	}
	for _, q := range []string{`"`, `pool" OR "x`, `NOT AND *`, `pool:* | !x`, `'; DROP TABLE events; --`, ``} {
		if _, err := s.Search(ctx, q, 10); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
}

func testConcurrentWriters(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "x")
	var evs []debrief.Event
	for i := range 40 {
		evs = append(evs, ev(fmt.Sprintf("e%02d", i), time.Duration(i)*time.Second, debrief.SourceSlack, "m"))
	}
	if _, err := ingest1(s, "inc", debrief.IngestInput{Name: "a", Format: "slack", Digest: "d", Events: evs}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			note := fmt.Sprintf("note %d", i)
			if _, err := s.Curate(ctx, "inc", fmt.Sprintf("e%02d", i), debrief.Curation{Annotation: &note}); err != nil {
				errs <- err
			}
			in := debrief.IngestInput{Name: "w", Format: "zsh", Digest: fmt.Sprintf("w%d", i), Events: []debrief.Event{ev(fmt.Sprintf("w%02d", i), time.Hour, debrief.SourceZsh, "x")}}
			if _, err := ingest1(s, "inc", in); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, _ := s.Events(ctx, "inc", debrief.EventFilter{})
	notes := 0
	for _, e := range all {
		if e.Annotation != "" {
			notes++
		}
	}
	if len(all) != 60 || notes != 20 {
		t.Errorf("after 20 concurrent writers: %d events, %d notes (want 60, 20)", len(all), notes)
	}
}

func testRoundTrip(t *testing.T, a, b debrief.Store) {
	ctx := context.Background()
	incident(t, a, "inc", "Search latency")
	u := &debrief.User{Name: "kim", Role: debrief.RoleAdmin, PasswordHash: "$argon2id$hash"}
	a.CreateUser(ctx, u)
	a.CreateToken(ctx, &debrief.APIToken{UserID: u.ID, Name: "ci", TokenHash: "th"})
	a.AddMember(ctx, "inc", u.ID)
	a.CreateUser(ctx, &debrief.User{Name: "ana", Email: "ana@example.com", Role: debrief.RoleViewer, OIDCSubject: "https://idp.example.com 42"})
	r, _ := ingest1(a, "inc", debrief.IngestInput{Name: "a", Format: "slack", Digest: "d", Events: []debrief.Event{
		ev("e1", 0, debrief.SourceSlack, "x"), ev("e2", time.Minute, debrief.SourceSlack, "y"),
	}})
	yes, fixed := true, "y!"
	a.Curate(ctx, "inc", "e2", debrief.Curation{Pinned: &yes, Text: &fixed})
	a.SetClockOffset(ctx, "inc", r.InputID, time.Second)
	f := &debrief.Factor{IncidentID: "inc", Text: "The pool size change needed no review", Tags: []string{"config-review"}, Events: []string{"e1"}, CreatedBy: "kim"}
	if err := a.AddFactor(ctx, f); err != nil {
		t.Fatal(err)
	}
	a.AddFactor(ctx, &debrief.Factor{IncidentID: "inc", Text: "No alert on pool saturation"})
	if err := a.AddAction(ctx, &debrief.ActionItem{IncidentID: "inc", Text: "Require review of pool settings", Owner: "kim",
		Due: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Priority: debrief.PriorityHigh, Tracking: "SRE-12", Factors: []string{f.ID}}); err != nil {
		t.Fatal(err)
	}
	a.AddAction(ctx, &debrief.ActionItem{IncidentID: "inc", Text: "Write the runbook", State: debrief.ActionDone})
	a.CreateMeeting(ctx, &debrief.Meeting{IncidentID: "inc", Facilitator: "priya", Phase: debrief.PhaseFactors,
		Invitees: []debrief.Invitee{{Person: "sam", Reason: "responder"}}, WentWell: []string{"the rollback took two minutes"}})
	d1, err := a.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Import(ctx, d1); err != nil {
		t.Fatal(err)
	}
	d2, err := b.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d1, d2); diff != "" {
		t.Errorf("round trip (-export +after import):\n%s", diff)
	}
	if err := b.Import(ctx, d1); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("importing twice: %v", err)
	}
	if len(d2.Factors) != 2 || len(d2.Actions) != 2 || len(d2.Meetings) != 1 || d2.Factors[0].Text != f.Text {
		t.Errorf("retro after the move: %d factors, %d items, %d meetings", len(d2.Factors), len(d2.Actions), len(d2.Meetings))
	}
	if tagged, err := b.FactorsTagged(ctx, []string{"config-review"}); err != nil || len(tagged) != 1 {
		t.Errorf("tags after the move: %v %v", tagged, err)
	}
	// Sign-ins and tokens work after the move.
	if got, err := b.UserBySubject(ctx, "https://idp.example.com 42"); err != nil || got.Name != "ana" {
		t.Errorf("single sign-on user after import: %+v %v", got, err)
	}
	if got, err := b.UserByName(ctx, "kim"); err != nil || got.PasswordHash != "$argon2id$hash" {
		t.Errorf("user after import: %+v %v", got, err)
	}
	if tu, err := b.TokenUser(ctx, "th"); err != nil || tu.ID != u.ID {
		t.Errorf("token after import: %v", err)
	}
	if ok, _ := b.IsMember(ctx, "inc", u.ID); !ok {
		t.Error("membership lost in the move")
	}
}

func testIngestBatch(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "x")
	good := debrief.IngestInput{Name: "a", Format: "slack", Digest: "a", Events: []debrief.Event{ev("e1", 0, debrief.SourceSlack, "x")}}
	bad := debrief.IngestInput{Name: "b", Format: "zsh", Digest: "b", Events: []debrief.Event{{ID: "z"}}}
	if _, err := s.Ingest(ctx, "inc", good, bad); err == nil {
		t.Fatal("a bad input was accepted")
	}
	if evs, _ := s.Events(ctx, "inc", debrief.EventFilter{}); len(evs) != 0 {
		t.Errorf("the good input of a failed ingest was kept: %d events", len(evs))
	}
	res, err := s.Ingest(ctx, "inc", good, debrief.IngestInput{Name: "c", Format: "zsh", Digest: "c", Events: []debrief.Event{ev("z1", 0, debrief.SourceZsh, "y")}})
	if err != nil || len(res) != 2 || res[0].Added != 1 || res[1].Added != 1 {
		t.Errorf("two inputs: %+v %v", res, err)
	}
}

func testAuth(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	u := &debrief.User{Name: "Kim", DisplayName: "Kim Nakamura", Role: debrief.RoleMember, PasswordHash: "$argon2id$x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, &debrief.User{Name: "kim", Role: debrief.RoleViewer, PasswordHash: "h"}); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("duplicate name: %v", err)
	}
	if err := s.CreateUser(ctx, &debrief.User{Name: "x", Role: "root", PasswordHash: "h"}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("bad role: %v", err)
	}
	got, err := s.UserByName(ctx, " KIM ")
	if err != nil || got.ID != u.ID || got.PasswordHash != "$argon2id$x" || got.Role != debrief.RoleMember {
		t.Fatalf("by name: %+v %v", got, err)
	}
	// Single sign-on: a user without a password, found by subject; an
	// existing user found by email and linked.
	sso := &debrief.User{Name: "ana", Email: "Ana@Example.com", Role: debrief.RoleViewer, OIDCSubject: "https://idp.example.com 42"}
	if err := s.CreateUser(ctx, sso); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserBySubject(ctx, "https://idp.example.com 42"); err != nil || got.ID != sso.ID || got.PasswordHash != "" {
		t.Errorf("by subject: %+v %v", got, err)
	}
	if err := s.CreateUser(ctx, &debrief.User{Name: "ana2", Role: debrief.RoleViewer, OIDCSubject: "https://idp.example.com 42"}); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("second user with one identity: %v", err)
	}
	if err := s.CreateUser(ctx, &debrief.User{Name: "nobody", Role: debrief.RoleViewer}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("user with no way to sign in: %v", err)
	}
	if got, err := s.UserByEmail(ctx, " ana@EXAMPLE.com"); err != nil || got.ID != sso.ID {
		t.Errorf("by email: %+v %v", got, err)
	}
	if _, err := s.UserByEmail(ctx, ""); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("empty email: %v", err)
	}
	if err := s.SetSubject(ctx, u.ID, "https://idp.example.com 7"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserBySubject(ctx, "https://idp.example.com 7"); err != nil || got.ID != u.ID {
		t.Errorf("linked: %+v %v", got, err)
	}
	if err := s.SetSubject(ctx, u.ID, "https://idp.example.com 42"); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("taking another user's identity: %v", err)
	}
	if err := s.SetSubject(ctx, u.ID, "https://idp.example.com 9"); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("relinking a linked user: %v", err)
	}
	if err := s.SetSubject(ctx, u.ID, "https://idp.example.com 7"); err != nil {
		t.Errorf("linking again to the same identity: %v", err)
	}
	if _, err := s.UserBySubject(ctx, "https://idp.example.com 8"); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("unknown subject: %v", err)
	}
	exp := time.Now().Add(time.Hour)
	if err := s.CreateSession(ctx, &debrief.Session{TokenHash: "h1", UserID: u.ID, CSRF: "c", ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	s.CreateSession(ctx, &debrief.Session{TokenHash: "old", UserID: u.ID, CSRF: "c", ExpiresAt: time.Now().Add(-time.Minute)})
	if ss, err := s.Session(ctx, "h1"); err != nil || ss.UserID != u.ID || ss.CSRF != "c" {
		t.Errorf("session: %+v %v", ss, err)
	}
	if _, err := s.Session(ctx, "old"); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("expired session: %v", err)
	}
	s.DeleteSession(ctx, "h1")
	if _, err := s.Session(ctx, "h1"); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("deleted session: %v", err)
	}
	if err := s.CreateToken(ctx, &debrief.APIToken{UserID: u.ID, Name: "ci", TokenHash: "th"}); err != nil {
		t.Fatal(err)
	}
	if tu, err := s.TokenUser(ctx, "th"); err != nil || tu.ID != u.ID {
		t.Errorf("token user: %+v %v", tu, err)
	}
	if _, err := s.TokenUser(ctx, "nope"); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("unknown token: %v", err)
	}
	incident(t, s, "private", "Private one")
	if ok, _ := s.IsMember(ctx, "private", u.ID); ok {
		t.Error("member before being added")
	}
	s.AddMember(ctx, "private", u.ID)
	s.AddMember(ctx, "private", u.ID)
	if ok, err := s.IsMember(ctx, "private", u.ID); !ok || err != nil {
		t.Errorf("member: %v %v", ok, err)
	}
}

func testRetro(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "Search latency")
	incident(t, s, "later", "Search latency again")
	ingest1(s, "inc", debrief.IngestInput{Name: "a", Format: "slack", Digest: "d", Events: []debrief.Event{
		ev("e1", 0, debrief.SourceSlack, "pool size changed"), ev("e2", time.Minute, debrief.SourceSlack, "timeouts"),
	}})
	// Factors: text required, tags normalised, events of the incident only.
	if err := s.AddFactor(ctx, &debrief.Factor{IncidentID: "inc", Text: "  "}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("empty factor: %v", err)
	}
	if err := s.AddFactor(ctx, &debrief.Factor{IncidentID: "nope", Text: "x"}); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("factor of no incident: %v", err)
	}
	if err := s.AddFactor(ctx, &debrief.Factor{IncidentID: "inc", Text: "x", Events: []string{"e9"}}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("factor on an unknown event: %v", err)
	}
	f1 := &debrief.Factor{IncidentID: "inc", Text: "The pool size change needed no review", Tags: []string{"Config Review", "config-review", "search-pool"}, Events: []string{"e1", "e1"}}
	if err := s.AddFactor(ctx, f1); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f1.Tags, []string{"config-review", "search-pool"}) || !slices.Equal(f1.Events, []string{"e1"}) {
		t.Errorf("normalised: tags %v events %v", f1.Tags, f1.Events)
	}
	f2 := &debrief.Factor{IncidentID: "inc", Text: "No alert on pool saturation", Tags: []string{"alerting"}}
	s.AddFactor(ctx, f2)
	got, err := s.Factors(ctx, "inc")
	if err != nil || len(got) != 2 || got[0].ID != f1.ID || !slices.Equal(got[0].Tags, f1.Tags) || got[1].ID != f2.ID {
		t.Fatalf("factors: %+v %v", got, err)
	}
	text, tags := "The pool size change went out without review", []string{"config-review"}
	if up, err := s.UpdateFactor(ctx, "inc", f1.ID, debrief.FactorUpdate{Text: &text, Tags: &tags}); err != nil || up.Text != text || !slices.Equal(up.Tags, tags) {
		t.Errorf("update factor: %+v %v", up, err)
	}
	if _, err := s.UpdateFactor(ctx, "later", f1.ID, debrief.FactorUpdate{Text: &text}); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("update through another incident: %v", err)
	}
	// A later incident's factor with the same tag finds the earlier one.
	s.AddFactor(ctx, &debrief.Factor{IncidentID: "later", Text: "Pool settings changed unreviewed", Tags: []string{"config-review"}})
	if tagged, err := s.FactorsTagged(ctx, []string{"CONFIG REVIEW"}); err != nil || len(tagged) != 2 || tagged[0].IncidentID != "inc" {
		t.Errorf("tagged: %+v %v", tagged, err)
	}

	// Action items: one owner, a valid priority and state, factors of the
	// same incident; done records when.
	due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, bad := range []debrief.ActionItem{
		{IncidentID: "inc", Text: ""},
		{IncidentID: "inc", Text: "x", Owner: "sam, priya"},
		{IncidentID: "inc", Text: "x", Owner: "the search team"},
		{IncidentID: "inc", Text: "x", Priority: "urgent"},
		{IncidentID: "inc", Text: "x", State: "wip"},
		{IncidentID: "inc", Text: "x", State: debrief.ActionDropped},
		{IncidentID: "inc", Text: "x", Factors: []string{"f-unknown"}},
		{IncidentID: "later", Text: "x", Factors: []string{f1.ID}},
	} {
		if err := s.AddAction(ctx, &bad); debrief.ErrorCode(err) != debrief.EINVALID {
			t.Errorf("AddAction(%+v): %v, want invalid", bad, err)
		}
	}
	a1 := &debrief.ActionItem{IncidentID: "inc", Text: "Require review of pool settings", Owner: "@kim", Due: due, Priority: debrief.PriorityHigh, Tracking: "SRE-12", Factors: []string{f1.ID}}
	if err := s.AddAction(ctx, a1); err != nil {
		t.Fatal(err)
	}
	if a1.Owner != "kim" || a1.State != debrief.ActionOpen {
		t.Errorf("defaults: %+v", a1)
	}
	a2 := &debrief.ActionItem{IncidentID: "inc", Text: "Alert on pool saturation", Factors: []string{f2.ID}}
	s.AddAction(ctx, a2)
	a3 := &debrief.ActionItem{IncidentID: "later", Text: "Old runbook", Owner: "sam", Due: due.AddDate(0, 1, 0)}
	s.AddAction(ctx, a3)
	done := debrief.ActionDone
	up, err := s.UpdateAction(ctx, "inc", a1.ID, debrief.ActionUpdate{State: &done})
	if err != nil || up.DoneAt.IsZero() || up.State != done {
		t.Fatalf("done: %+v %v", up, err)
	}
	open := debrief.ActionOpen
	if up, _ := s.UpdateAction(ctx, "inc", a1.ID, debrief.ActionUpdate{State: &open}); !up.DoneAt.IsZero() {
		t.Errorf("reopened item keeps done_at: %+v", up)
	}
	dropped := debrief.ActionDropped
	if _, err := s.UpdateAction(ctx, "inc", a2.ID, debrief.ActionUpdate{State: &dropped}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("dropped without a note: %v", err)
	}
	// The weekly review: open items across incidents, undated first, then
	// by due date; by owner; overdue.
	review, err := s.Actions(ctx, debrief.ActionFilter{States: []debrief.ActionState{debrief.ActionOpen, debrief.ActionBlocked}})
	if err != nil || len(review) != 3 || review[0].ID != a2.ID || review[1].ID != a1.ID || review[2].ID != a3.ID {
		t.Errorf("review: %v %v", ids(review), err)
	}
	if mine, _ := s.Actions(ctx, debrief.ActionFilter{Owner: "sam"}); len(mine) != 1 || mine[0].ID != a3.ID {
		t.Errorf("sam's: %v", ids(mine))
	}
	if overdue, _ := s.Actions(ctx, debrief.ActionFilter{DueBefore: due.AddDate(0, 0, 1)}); len(overdue) != 2 {
		t.Errorf("due before: %v", ids(overdue))
	}
	if one, _ := s.Actions(ctx, debrief.ActionFilter{IncidentID: "later"}); len(one) != 1 {
		t.Errorf("by incident: %v", ids(one))
	}
	// Deleting a factor unlinks it from its items.
	if err := s.DeleteFactor(ctx, "inc", f1.ID); err != nil {
		t.Fatal(err)
	}
	if items, _ := s.Actions(ctx, debrief.ActionFilter{IncidentID: "inc"}); len(items) != 2 || slices.Contains(items[0].Factors, f1.ID) || slices.Contains(items[1].Factors, f1.ID) {
		t.Errorf("after deleting the factor: %+v", items)
	}
	if err := s.DeleteFactor(ctx, "inc", f1.ID); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("deleting twice: %v", err)
	}
}

func ids(as []*debrief.ActionItem) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Text)
	}
	return out
}

func testMeetings(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "Search latency")
	if err := s.CreateMeeting(ctx, &debrief.Meeting{IncidentID: "inc", Phase: "brainstorm"}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("bad phase: %v", err)
	}
	starts := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	m := &debrief.Meeting{IncidentID: "inc", Facilitator: "priya", StartsAt: starts, Invitees: []debrief.Invitee{{Person: "sam", Reason: "responder"}}}
	if err := s.CreateMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	phase, notes, ended := debrief.PhaseWentWell, []string{"the rollback took two minutes"}, true
	up, err := s.UpdateMeeting(ctx, m.ID, debrief.MeetingUpdate{Phase: &phase, WentWell: &notes, Ended: &ended})
	if err != nil || up.Phase != phase || up.EndedAt.IsZero() || len(up.WentWell) != 1 {
		t.Fatalf("update: %+v %v", up, err)
	}
	got, err := s.Meetings(ctx, "inc")
	if err != nil || len(got) != 1 || !got[0].StartsAt.Equal(starts) || got[0].Invitees[0].Person != "sam" || got[0].Phase != phase {
		t.Errorf("meetings: %+v %v", got, err)
	}
	if _, err := s.UpdateMeeting(ctx, "m-none", debrief.MeetingUpdate{Phase: &phase}); debrief.ErrorCode(err) != debrief.ENOTFOUND {
		t.Errorf("unknown meeting: %v", err)
	}
	// The room's timer: each phase change is marked, in order.
	if len(up.Phases) != 2 || up.Phases[0].Phase != phase || up.Phases[1].Phase != "" || !up.Phases[1].At.Equal(up.EndedAt) {
		t.Errorf("phases after a change and the end in one update: %+v, want the phase, then the end", up.Phases)
	}
	// Ending again changes nothing; reopening marks the phase again, and
	// the time it stood ended counts for no phase.
	again, err := s.UpdateMeeting(ctx, m.ID, debrief.MeetingUpdate{Ended: &ended})
	if err != nil || !again.EndedAt.Equal(up.EndedAt) || len(again.Phases) != 2 {
		t.Errorf("ending an ended meeting: %+v %v", again, err)
	}
	reopen := false
	if again, err = s.UpdateMeeting(ctx, m.ID, debrief.MeetingUpdate{Ended: &reopen}); err != nil || !again.EndedAt.IsZero() || len(again.Phases) != 3 || again.PhaseStartedAt().IsZero() {
		t.Errorf("reopened: %+v %v", again, err)
	}
	// One meeting not ended per incident: a second is refused until the
	// first ends.
	if err := s.CreateMeeting(ctx, &debrief.Meeting{IncidentID: "inc"}); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("a second open meeting: %v, want a conflict", err)
	}
	if _, err := s.UpdateMeeting(ctx, m.ID, debrief.MeetingUpdate{Ended: &ended}); err != nil {
		t.Fatal(err)
	}
	live := &debrief.Meeting{IncidentID: "inc", Phase: debrief.PhaseFrame}
	if err := s.CreateMeeting(ctx, live); err != nil {
		t.Fatal(err)
	}
	if len(live.Phases) != 1 || live.Phases[0].Phase != debrief.PhaseFrame || !live.Phases[0].At.Equal(live.CreatedAt) {
		t.Errorf("a meeting created in a phase starts it: %+v", live.Phases)
	}
	for _, p := range []debrief.MeetingPhase{debrief.PhaseTimeline, debrief.PhaseTimeline, debrief.PhaseFactors, debrief.PhaseTimeline} {
		if live, err = s.UpdateMeeting(ctx, live.ID, debrief.MeetingUpdate{Phase: &p}); err != nil {
			t.Fatal(err)
		}
	}
	notes = []string{"paging worked"}
	if live, err = s.UpdateMeeting(ctx, live.ID, debrief.MeetingUpdate{WentWell: &notes}); err != nil {
		t.Fatal(err)
	}
	live, err = s.Meeting(ctx, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	var seq []debrief.MeetingPhase
	for i, pm := range live.Phases {
		seq = append(seq, pm.Phase)
		if i > 0 && pm.At.Before(live.Phases[i-1].At) {
			t.Errorf("phase marks out of order: %+v", live.Phases)
		}
	}
	if want := []debrief.MeetingPhase{"frame", "timeline", "factors", "timeline"}; !slices.Equal(seq, want) {
		t.Errorf("phase marks %v, want %v (a repeated phase or another field changes none)", seq, want)
	}
	if !live.PhaseStartedAt().Equal(live.Phases[3].At) {
		t.Errorf("current phase began %v, want %v", live.PhaseStartedAt(), live.Phases[3].At)
	}
	// The room: several people add what went well at once; none is lost.
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		wg.Go(func() {
			_, err := s.UpdateMeeting(ctx, live.ID, debrief.MeetingUpdate{AddWentWell: []string{fmt.Sprintf("note %d", i)}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("adding a note concurrently: %v", err)
		}
	}
	if live, err = s.Meeting(ctx, live.ID); err != nil || len(live.WentWell) != 13 {
		t.Errorf("went-well notes after 12 concurrent additions to 1: %d %v, want 13", len(live.WentWell), err)
	}
}

// The live retro room refreshes on these changes, in every instance.
func testRetroWatch(t *testing.T, s debrief.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	incident(t, s, "inc", "Search latency")
	ch, err := s.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.AddFactor(ctx, &debrief.Factor{IncidentID: "inc", Text: "x"})
	select {
	case id := <-ch:
		if id != "inc" {
			t.Errorf("watched %q", id)
		}
	case <-time.After(5 * time.Second):
		t.Error("no change heard after adding a factor")
	}
}

// NUL bytes and invalid UTF-8 (in a log line, a zip entry's name, a pasted
// note) are stored as U+FFFD by both backends: PostgreSQL's text type holds
// neither, and an input must not fail there alone.
func testUnstorableText(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	bad := "pool\x00size \xff\xfe=10"
	const want = "pool\uFFFDsize \uFFFD=10"
	inc := &debrief.Incident{ID: "inc", Title: bad}
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	e := ev("e1", 0, debrief.SourceZsh, bad)
	e.Actor = bad
	if _, err := ingest1(s, "inc", debrief.IngestInput{Name: bad, Format: "zsh", Digest: "d", Events: []debrief.Event{e}}); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	if _, err := s.Curate(ctx, "inc", "e1", debrief.Curation{Annotation: &bad}); err != nil {
		t.Fatalf("annotate: %v", err)
	}
	f := &debrief.Factor{IncidentID: "inc", Text: bad, Tags: []string{bad}}
	if err := s.AddFactor(ctx, f); err != nil {
		t.Fatalf("factor: %v", err)
	}
	if err := s.AddAction(ctx, &debrief.ActionItem{IncidentID: "inc", Text: bad, Note: bad}); err != nil {
		t.Fatalf("action: %v", err)
	}
	if err := s.AddAction(ctx, &debrief.ActionItem{IncidentID: "inc", Text: "x", Owner: "sam\x00"}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("owner with a NUL: %v", err)
	}
	got, _ := s.Incident(ctx, "inc")
	evs, _ := s.Events(ctx, "inc", debrief.EventFilter{})
	fs, _ := s.Factors(ctx, "inc")
	if got.Title != want || len(evs) != 1 || evs[0].Text != want || evs[0].Actor != want || evs[0].Annotation != want || len(fs) != 1 || fs[0].Text != want {
		t.Errorf("stored: title %q, events %+v, factors %+v", got.Title, evs, fs)
	}
	if err := s.CreateMeeting(ctx, &debrief.Meeting{IncidentID: "inc", StartsAt: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}); debrief.ErrorCode(err) != debrief.EINVALID {
		t.Errorf("a meeting in the year 9999: %v", err)
	}
}

// A factor of a new incident that an earlier one had too (a shared tag) is
// a recurrence; the earlier fix still open makes it the warning to hear
// first.
func testRecurrences(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id string, at time.Time, private bool) *debrief.Incident {
		inc := &debrief.Incident{ID: id, Title: id, CreatedAt: at, Private: private}
		if err := s.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		return inc
	}
	factor := func(inc, text string, tags ...string) *debrief.Factor {
		f := &debrief.Factor{IncidentID: inc, Text: text, Tags: tags}
		if err := s.AddFactor(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	action := func(inc, text string, st debrief.ActionState, fs ...string) {
		if err := s.AddAction(ctx, &debrief.ActionItem{IncidentID: inc, Text: text, Owner: "kim", State: st, Factors: fs}); err != nil {
			t.Fatal(err)
		}
	}
	mk("old", t0, false)
	review := factor("old", "Pool settings changed without review", "config-review")
	capacity := factor("old", "The cluster ran at 90% of its capacity", "capacity")
	factor("old", "Nobody knew the runbook", "docs")
	action("old", "Require review of pool settings", debrief.ActionOpen, review.ID)
	action("old", "Add two nodes", debrief.ActionDone, capacity.ID)
	mk("secret", t0.Add(time.Hour), true)
	factor("secret", "Config pushed by hand", "config-review")
	newer := mk("new", t0.Add(48*time.Hour), false)
	factor("new", "The pool size change needed no review", "Config Review")
	factor("new", "Search ran at its capacity", "capacity", "search")
	factor("new", "A fresh factor", "novel")
	// Between them the incident's factors carry more tags than one query
	// takes (20).
	var t1, t2 []string
	for i := range 15 {
		t1, t2 = append(t1, fmt.Sprintf("area-%d", i)), append(t2, fmt.Sprintf("team-%d", i))
	}
	factor("new", "Many areas", t1...)
	factor("new", "Many teams", t2...)
	mk("later", t0.Add(96*time.Hour), false)
	factor("later", "Config again", "config-review")
	// Entered after "new" but begun before it: earlier all the same.
	backfilled := &debrief.Incident{ID: "backfilled", Title: "backfilled", CreatedAt: t0.Add(100 * time.Hour), StartedAt: t0.Add(24 * time.Hour)}
	if err := s.CreateIncident(ctx, backfilled); err != nil {
		t.Fatal(err)
	}
	factor("backfilled", "Docs again", "docs", "search")

	// The private incident is left out, as for a user who may not see it.
	visible := func(ctx context.Context, id string) (*debrief.Incident, error) {
		inc, err := s.Incident(ctx, id)
		if err != nil || inc.Private {
			return nil, err
		}
		return inc, nil
	}
	rs, err := debrief.FindRecurrences(ctx, s, newer, visible)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 {
		t.Fatalf("%d recurrences, want 3 (config-review and capacity from old, search from backfilled): %+v", len(rs), rs)
	}
	if r := rs[2]; r.Incident.ID != "backfilled" || len(r.Open)+len(r.Done) != 0 {
		t.Errorf("third: %+v, want the search factor of the incident begun earlier, no item addressing it", r)
	}
	if r := rs[0]; !r.Unfixed() || r.Earlier.ID != review.ID || r.Incident.ID != "old" || len(r.Open) != 1 || r.Open[0].Text != "Require review of pool settings" ||
		!slices.Equal(r.Tags, []string{"config-review"}) {
		t.Errorf("first: %+v, want the config-review factor with its open fix", r)
	}
	if r := rs[1]; r.Unfixed() || r.Earlier.ID != capacity.ID || len(r.Done) != 1 {
		t.Errorf("second: %+v, want the capacity factor whose fix landed", r)
	}
	// The earliest incident has nothing before it.
	old, _ := s.Incident(ctx, "old")
	if rs, err := debrief.FindRecurrences(ctx, s, old, visible); err != nil || len(rs) != 0 {
		t.Errorf("recurrences of the first incident: %+v %v", rs, err)
	}
}

// StateAt moves with the state only: the tracker sync tells by it which
// side changed last.
func testActionStateAt(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	incident(t, s, "inc", "Search latency")
	var clock atomic.Int64
	clock.Store(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	if c, ok := s.(interface{ SetClock(func() time.Time) }); ok {
		c.SetClock(func() time.Time { return time.Unix(0, clock.Add(int64(time.Minute))).UTC() })
	}
	a := &debrief.ActionItem{IncidentID: "inc", Text: "Alert on pool waits", Owner: "kim"}
	if err := s.AddAction(ctx, a); err != nil {
		t.Fatal(err)
	}
	created := a.StateAt
	if created.IsZero() {
		t.Fatal("no StateAt on a new item")
	}
	note := "waiting on the platform team"
	up, err := s.UpdateAction(ctx, "inc", a.ID, debrief.ActionUpdate{Note: &note})
	if err != nil || !up.StateAt.Equal(created) {
		t.Errorf("a note moved StateAt: %v -> %v (%v)", created, up.StateAt, err)
	}
	done := debrief.ActionDone
	up, err = s.UpdateAction(ctx, "inc", a.ID, debrief.ActionUpdate{State: &done})
	if err != nil || !up.StateAt.After(created) || !up.StateAt.Equal(up.DoneAt) {
		t.Errorf("done: StateAt %v, DoneAt %v (%v)", up.StateAt, up.DoneAt, err)
	}
	as, _ := s.Actions(ctx, debrief.ActionFilter{IncidentID: "inc"})
	if len(as) != 1 || !as[0].StateAt.Equal(up.StateAt) {
		t.Errorf("StateAt read back: %+v", as)
	}
}

// The incident's loop: the retro held makes it reviewed, its high-priority
// items all closed make it followed up, one reopened takes it back.
func testKeepStatus(t *testing.T, s debrief.Store) {
	ctx := context.Background()
	if err := s.CreateIncident(ctx, &debrief.Incident{ID: "inc", Title: "Search latency", Status: debrief.StatusResolved}); err != nil {
		t.Fatal(err)
	}
	status := func() debrief.IncidentStatus {
		inc, err := s.Incident(ctx, "inc")
		if err != nil {
			t.Fatal(err)
		}
		return inc.Status
	}
	high := &debrief.ActionItem{IncidentID: "inc", Text: "Alert on pool waits", Owner: "kim", Priority: debrief.PriorityHigh}
	nice := &debrief.ActionItem{IncidentID: "inc", Text: "Tidy the runbook", Owner: "sam", Priority: debrief.PriorityNiceToHave}
	for _, a := range []*debrief.ActionItem{high, nice} {
		if err := s.AddAction(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := debrief.KeepStatus(ctx, s, "inc", false); err != nil || status() != debrief.StatusResolved {
		t.Errorf("before the retro: %s %v", status(), err)
	}
	if err := debrief.KeepStatus(ctx, s, "inc", true); err != nil || status() != debrief.StatusReviewed {
		t.Errorf("after the meeting: %s %v, want reviewed", status(), err)
	}
	done, open := debrief.ActionDone, debrief.ActionOpen
	s.UpdateAction(ctx, "inc", high.ID, debrief.ActionUpdate{State: &done})
	if err := debrief.KeepStatus(ctx, s, "inc", false); err != nil || status() != debrief.StatusFollowedUp {
		t.Errorf("every high-priority item done: %s %v, want followedup (nice-to-have ones do not hold it)", status(), err)
	}
	s.UpdateAction(ctx, "inc", high.ID, debrief.ActionUpdate{State: &open})
	if err := debrief.KeepStatus(ctx, s, "inc", false); err != nil || status() != debrief.StatusReviewed {
		t.Errorf("a high-priority item reopened: %s %v, want reviewed", status(), err)
	}
}
