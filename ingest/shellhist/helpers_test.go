package shellhist

import (
	"context"
	"errors"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"io/fs"
	"os"
	"path"
	"strconv"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// result is what one parse gave.
type result struct {
	events []*debrief.Event
	notes  []string
	bad    []error
	err    error
}

// parseWith parses file p of fsys with format f. skip installs a Bad hook
// that records bad records and skips them.
func parseWith(t testing.TB, f ingest.Format, fsys fs.FS, p string, skip bool) result {
	t.Helper()
	var (
		mu  sync.Mutex
		res result
	)
	in := &ingest.Input{FS: fsys, Path: p, Name: p, Zone: time.UTC,
		Note: func(msg string) { res.notes = append(res.notes, msg) }}
	if skip {
		in.Bad = func(err error) error { res.bad = append(res.bad, err); return nil }
	}
	res.err = f.Parser.Parse(context.Background(), in, func(ev *debrief.Event) error {
		mu.Lock()
		defer mu.Unlock()
		res.events = append(res.events, ev)
		return nil
	})
	return res
}

// parseText parses text as a file called name.
func parseText(t testing.TB, f ingest.Format, name, text string, skip bool) result {
	t.Helper()
	fsys := fstest.MapFS{name: &fstest.MapFile{Data: []byte(text)}}
	return parseWith(t, f, fsys, name, skip)
}

// format returns one of the package's formats by name.
func format(t testing.TB, name string) ingest.Format {
	t.Helper()
	for _, f := range Formats() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no format %q", name)
	return ingest.Format{}
}

// inputError returns err as an *debrief.InputError or fails the test.
func inputError(t testing.TB, err error) *debrief.InputError {
	t.Helper()
	var ie *debrief.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error = %v (%T), want *debrief.InputError", err, err)
	}
	return ie
}

// ev builds an expected command event of file in testdata.
func ev(src debrief.Source, file, actor string, line int, epoch int64, text string) *debrief.Event {
	var ident *debrief.Identity
	if actor != "" {
		ident = &debrief.Identity{Source: src, Handle: actor}
	}
	return &debrief.Event{
		Time:     time.Unix(epoch, 0).UTC(),
		Source:   src,
		Kind:     debrief.KindCommand,
		Actor:    actor,
		Channel:  path.Base(file),
		Text:     text,
		Ref:      path.Base(file) + ":" + strconv.Itoa(line) + ":" + strconv.FormatInt(epoch, 10),
		Input:    file,
		Identity: ident,
	}
}

// corpusDir is the shared corpus of real histories, when present.
var corpusDir = ingesttest.CorpusPath()

// corpus returns the files of a corpus category, or skips loudly.
func corpus(t testing.TB, category string) []string {
	t.Helper()
	dir := path.Join(corpusDir, category)
	if _, err := os.Stat(dir); err != nil {
		ingesttest.Absent(t, "corpus %s (%v)", dir, err)
	}
	var files []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path.Join(dir, p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
