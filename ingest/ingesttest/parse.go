// Package ingesttest holds what the tests of the parsers under ingest/ share:
// running a parser over an input and collecting what it gives, finding the
// shared corpus of real third-party samples, and the checks that every
// parser's events, errors and sniffing must pass. Only _test.go files import
// it.
package ingesttest

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Input returns an input over path of fsys as the registry makes one for a
// file named on the command line: called by its path, in UTC.
func Input(fsys fs.FS, path string) *ingest.Input {
	return &ingest.Input{FS: fsys, Path: path, Name: path, Zone: time.UTC}
}

// DataInput returns an input over one in-memory file called name holding
// data, so that a test states its input next to what it expects of it.
func DataInput(name string, data []byte) *ingest.Input {
	return Input(fstest.MapFS{name: {Data: data}}, name)
}

// Skip is a Bad hook that skips every bad record, as --skip-bad does. Pass it
// where a helper takes a bad hook; nil instead makes the first bad record stop
// the parse.
func Skip(error) error { return nil }

// Result is what one parse gave.
type Result struct {
	Events []*debrief.Event // in the order they were emitted
	Notes  []string         // what the parser remarked through Input.Note
	Bad    []error          // the bad records given to Input.Bad, in order
	Err    error            // what Parse returned
}

// Parse runs parse over a copy of in and collects what it emits and
// remarks. Parsers may emit from several goroutines, so the collecting is
// locked. Hooks set on in still run: Parse records each note and bad record,
// then hands it on; a nil Bad stays nil, so that the first bad record stops
// the parse and comes back as Result.Err.
func Parse(t testing.TB, parse ingest.ParserFunc, in *ingest.Input) Result {
	t.Helper()
	var (
		mu  sync.Mutex
		res Result
	)
	cp := *in
	note := in.Note
	cp.Note = func(msg string) {
		mu.Lock()
		res.Notes = append(res.Notes, msg)
		mu.Unlock()
		if note != nil {
			note(msg)
		}
	}
	if bad := in.Bad; bad != nil {
		cp.Bad = func(err error) error {
			mu.Lock()
			res.Bad = append(res.Bad, err)
			mu.Unlock()
			return bad(err)
		}
	}
	err := parse(t.Context(), &cp, func(ev *debrief.Event) error {
		mu.Lock()
		defer mu.Unlock()
		res.Events = append(res.Events, ev)
		return nil
	})
	res.Err = err
	return res
}

// ParseFile parses path of fsys (see Input) with bad as the Bad hook: Skip to
// skip bad records, nil to stop at the first.
func ParseFile(t testing.TB, parse ingest.ParserFunc, fsys fs.FS, path string, bad func(error) error) Result {
	t.Helper()
	in := Input(fsys, path)
	in.Bad = bad
	return Parse(t, parse, in)
}

// ParseData parses data as the one file name (see DataInput) with bad as the
// Bad hook: Skip to skip bad records, nil to stop at the first.
func ParseData(t testing.TB, parse ingest.ParserFunc, name string, data []byte, bad func(error) error) Result {
	t.Helper()
	in := DataInput(name, data)
	in.Bad = bad
	return Parse(t, parse, in)
}

// ParseTestdata parses testdata/name of the package under test, with no Bad
// hook, and fails the test now if the parse fails: the fixtures are good
// input.
func ParseTestdata(t testing.TB, parse ingest.ParserFunc, name string) Result {
	t.Helper()
	res := ParseFile(t, parse, os.DirFS("testdata"), name, nil)
	if res.Err != nil {
		t.Fatalf("parse %s: %v", name, res.Err)
	}
	return res
}

// ByTime sorts r's events by time, then Ref, keeping emitted order among
// equals, and returns r: the order of a timeline, for comparing the output
// of parsers that emit from several goroutines.
func (r Result) ByTime() Result {
	slices.SortStableFunc(r.Events, func(a, b *debrief.Event) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.Ref, b.Ref))
	})
	return r
}

// CheckCancelled checks that parse gives up with context.Canceled when its
// context is cancelled before it starts, so that a user's Ctrl-C stops a long
// import.
func CheckCancelled(t testing.TB, parse ingest.ParserFunc, in *ingest.Input) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := parse(ctx, in, func(*debrief.Event) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
