package mattermost

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// result is what one parse produced.
type result struct {
	events []*debrief.Event
	notes  []string
	bad    []error
	err    error
}

// parseWith parses path of fsys; skip makes the Bad hook skip bad records
// (recording them) instead of stopping.
func parseWith(t testing.TB, fsys fs.FS, path string, skip bool, channels ...string) result {
	t.Helper()
	var (
		mu  sync.Mutex
		res result
	)
	in := &ingest.Input{FS: fsys, Path: path, Name: path, Zone: time.UTC, Channels: channels,
		Note: func(msg string) { res.notes = append(res.notes, msg) }}
	if skip {
		in.Bad = func(err error) error { res.bad = append(res.bad, err); return nil }
	}
	res.err = Parse(context.Background(), in, func(ev *debrief.Event) error {
		mu.Lock()
		defer mu.Unlock()
		res.events = append(res.events, ev)
		return nil
	})
	slices.SortStableFunc(res.events, func(a, b *debrief.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	return res
}

// parseString parses one in-memory file named "export.jsonl".
func parseString(t testing.TB, data string, skip bool) result {
	t.Helper()
	return parseWith(t, fstest.MapFS{"export.jsonl": {Data: []byte(data)}}, "export.jsonl", skip)
}

// ms is a UTC time from an RFC 3339 string, for expectations.
func ms(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

// isValid reports whether s is valid UTF-8.
func isValid(s string) bool { return strings.ToValidUTF8(s, "") == s }
