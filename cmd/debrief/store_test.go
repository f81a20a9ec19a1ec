package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/internal/pgtest"
	"github.com/google/go-cmp/cmp"
)

func TestIngestIsIdempotentAndSecretFree(t *testing.T) {
	db := filepath.Join(t.TempDir(), "debrief.db")
	code, out, errOut := run(t, "ingest", "--quiet", "--db", db, "--title", "Search latency", "search-latency", sample)
	if code != 0 || !strings.Contains(out, "78 events added") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	code, out, _ = run(t, "ingest", "--quiet", "--db", db, "search-latency", sample)
	if code != 0 || strings.Count(out, "ingested before, nothing added") != 6 {
		t.Errorf("second ingest: exit %d\n%s", code, out)
	}
	// No planted secret reached the database file (or its WAL).
	for _, f := range []string{db, db + "-wal"} {
		b, _ := os.ReadFile(f)
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("secret %q stored in %s", s, filepath.Base(f))
			}
		}
	}
	_, dump, _ := run(t, "export", "--db", db)
	var d debrief.Dump
	if err := json.Unmarshal([]byte(dump), &d); err != nil || len(d.Incidents) != 1 || len(d.Inputs) != 6 || len(d.Events) != 227 {
		t.Fatalf("export: %v, %d incidents, %d inputs, %d events", err, len(d.Incidents), len(d.Inputs), len(d.Events))
	}
}

func TestIngestBadInputStoresNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "debrief.db")
	bad := filepath.Join(dir, "alerts.jsonl")
	os.WriteFile(bad, []byte(`{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"X"},"startsAt":"2025-06-02T14:03:07Z"}]}`+"\n{not json\n"), 0o644)
	code, _, errOut := run(t, "ingest", "--quiet", "--db", db, "inc", sample, bad)
	if code != 2 || !strings.Contains(errOut, "alerts.jsonl:2") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(db); err == nil {
		_, dump, _ := run(t, "export", "--db", db)
		if strings.Contains(dump, `"events": [`) {
			t.Errorf("a failed ingest stored events:\n%.300s", dump)
		}
	}
}

// TestSQLiteToPostgres moves a database with export and import, losslessly.
func TestSQLiteToPostgres(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "debrief.db")
	if code, out, errOut := run(t, "ingest", "--quiet", "--db", db, "search-latency", sample); code != 0 {
		t.Fatalf("%s %s", out, errOut)
	}
	_, dump1, _ := run(t, "export", "--db", db)
	file := filepath.Join(dir, "dump.json")
	os.WriteFile(file, []byte(dump1), 0o644)
	pg := pgtest.DSN(t)
	if code, out, errOut := run(t, "import", "--db", pg, file); code != 0 || !strings.Contains(out, "227 events") {
		t.Fatalf("import: exit %d %s %s", code, out, errOut)
	}
	_, dump2, _ := run(t, "export", "--db", pg)
	if diff := cmp.Diff(dump1, dump2); diff != "" {
		t.Errorf("SQLite and PostgreSQL exports differ (-sqlite +postgres):\n%s", diff)
	}
	if code, _, errOut := run(t, "import", "--db", pg, file); code != 2 || !strings.Contains(errOut, "exists already") {
		t.Errorf("second import: exit %d %s", code, errOut)
	}
}
