package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) debrief.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestMigrationEndsExtraOpenMeetings: a database from before the rule of
// one open meeting per incident, with two left open, upgrades: the older
// is ended, the newer stays the incident's room.
func TestMigrationEndsExtraOpenMeetings(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "debrief.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIncident(ctx, &debrief.Incident{ID: "inc", Title: "Search latency"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Back to version 6 (the later migrations undone by hand): no index,
	// two open meetings.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX meetings_one_open`,
		`ALTER TABLE action_items DROP COLUMN state_at`,
		`DELETE FROM goose_db_version WHERE version_id >= 7`,
		`INSERT INTO meetings (id, incident_id, phase, created_at) VALUES ('m-old', 'inc', 'factors', 1000000000000000000)`,
		`INSERT INTO meetings (id, incident_id, phase, created_at) VALUES ('m-new', 'inc', 'frame', 2000000000000000000)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	ms, err := s.Meetings(ctx, "inc")
	if err != nil || len(ms) != 2 {
		t.Fatalf("meetings after the upgrade: %v %v", ms, err)
	}
	if ms[0].ID != "m-old" || ms[0].EndedAt.IsZero() || ms[1].ID != "m-new" || !ms[1].EndedAt.IsZero() {
		t.Errorf("after the upgrade: %s ended %v, %s ended %v; want only the older ended", ms[0].ID, ms[0].EndedAt, ms[1].ID, ms[1].EndedAt)
	}
	// Meetings from before phases were marked count from their creation.
	if got := ms[1].PhaseStartedAt(); !got.Equal(ms[1].CreatedAt) {
		t.Errorf("phase of an unmarked meeting began %v, want its creation %v", got, ms[1].CreatedAt)
	}
	if err := s.CreateMeeting(ctx, &debrief.Meeting{IncidentID: "inc"}); debrief.ErrorCode(err) != debrief.ECONFLICT {
		t.Errorf("a second open meeting after the upgrade: %v", err)
	}
}
