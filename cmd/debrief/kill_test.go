package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/store/sqlite"
)

// TestMain lets a test run the real program in a child process (so it can
// be killed): DEBRIEF_TEST_MAIN holds the arguments as JSON.
func TestMain(m *testing.M) {
	if args := os.Getenv("DEBRIEF_TEST_MAIN"); args != "" {
		var a []string
		json.Unmarshal([]byte(args), &a)
		os.Exit(Run(context.Background(), a, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestKillDuringIngest kills the program with SIGKILL while it writes a
// large ingest; the database must open afterwards and hold all of that
// ingest or none of it.
func TestKillDuringIngest(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "debrief.db")
	// 150,000 events in one JSON-lines input: long enough to kill mid-write.
	var b strings.Builder
	start := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
	for i := range 150000 {
		fmt.Fprintf(&b, `{"time":"%s","actor":"sam","text":"step %d of the backfill"}`+"\n", start.Add(time.Duration(i)*time.Millisecond).Format(time.RFC3339Nano), i)
	}
	input := filepath.Join(dir, "log.jsonl")
	os.WriteFile(input, []byte(b.String()), 0o644)
	args, _ := json.Marshal([]string{"ingest", "--quiet", "--db", db, "--from", "2025-06-01T00:00:00Z", "--to", "2025-06-03T00:00:00Z", "inc", input})
	for attempt := 0; attempt < 3; attempt++ {
		os.Remove(db)
		os.Remove(db + "-wal")
		os.Remove(db + "-shm")
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "DEBRIEF_TEST_MAIN="+string(args))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the write has begun: the WAL grows past a few pages.
		killed := false
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
			if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 256<<10 {
				cmd.Process.Kill()
				killed = true
				break
			}
			if cmd.ProcessState != nil {
				break
			}
		}
		cmd.Wait()
		if !killed {
			continue // finished before the kill: try again
		}
		s, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatalf("the database does not open after kill -9: %v", err)
		}
		evs, err := s.Events(context.Background(), "inc", debrief.EventFilter{})
		s.Close()
		if err != nil && debrief.ErrorCode(err) != debrief.ENOTFOUND {
			t.Fatal(err)
		}
		if n := len(evs); n != 0 && n != 150000 {
			t.Fatalf("after kill -9 the incident holds %d of 150000 events", n)
		}
		t.Logf("killed mid-write (attempt %d): %d events, all or none", attempt+1, len(evs))
		return
	}
	t.Fatal("the ingest finished before it could be killed, three times: the test proves nothing; make its input larger")
}
