package opsgenie

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// result is what one parse gave: its events, the bad records skipped and the
// notes made, and the error that stopped it.
type result struct {
	events []*debrief.Event
	bad    []error
	notes  []string
	err    error
}

// parse runs Parse over fsys/path. With skip, bad records are skipped and
// collected; without, the first stops the parse.
func parse(t testing.TB, fsys fs.FS, path string, skip bool) result {
	t.Helper()
	var (
		mu  sync.Mutex
		res result
	)
	in := &ingest.Input{FS: fsys, Path: path, Name: path, Zone: time.UTC,
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
	return res
}

// parseBytes parses data as a file called name.
func parseBytes(t testing.TB, name, data string, skip bool) result {
	t.Helper()
	return parse(t, fstest.MapFS{name: {Data: []byte(data)}}, name, skip)
}

// parseTestdata parses a file of testdata/, failing the test on any error.
func parseTestdata(t *testing.T, name string) []*debrief.Event {
	t.Helper()
	res := parse(t, os.DirFS("testdata"), name, false)
	if res.err != nil {
		t.Fatalf("parse %s: %v", name, res.err)
	}
	return res.events
}

// inputError returns err as an input error, failing the test if it is not one.
func inputError(t *testing.T, err error) *debrief.InputError {
	t.Helper()
	var ie *debrief.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not a *debrief.InputError", err, err)
	}
	return ie
}
