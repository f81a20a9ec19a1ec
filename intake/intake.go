// Package intake runs the whole way from input paths to a timeline, or to
// the batch an incident stores: detection, the people file found inside an
// incident folder, redaction, parsing on every core. The CLI (timeline,
// draft, ingest) and the web app's upload share it.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/detect"
	"github.com/debriefhq/debrief/redact"
	"github.com/debriefhq/debrief/timeline"
)

// Options are the timeline's and the parsers'.
type Options struct {
	Timeline timeline.Options
	Run      detect.RunOptions
}

// Timeline detects and parses every input into a timeline. The caller
// closes it.
func Timeline(ctx context.Context, inputs []string, opt Options) (*timeline.Timeline, error) {
	found, err := detect.New(detect.All()).Resolve(inputs)
	if err != nil {
		return nil, err
	}
	defer found.Close()
	return build(ctx, found, opt)
}

func build(ctx context.Context, found *detect.Found, opt Options) (*timeline.Timeline, error) {
	topt, run := opt.Timeline, opt.Run
	if run.Note == nil {
		run.Note = func(string, string) {}
	}
	if topt.People == nil && len(found.People) > 0 {
		f := found.People[0]
		r, err := f.Open()
		if err != nil {
			return nil, debrief.Errorf(debrief.EINVALID, "%s: cannot open people file: %v", f.Name, err)
		}
		topt.People, err = timeline.ParsePeople(f.Name, r)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	for _, s := range found.Skipped {
		run.Note(s, "not a known input format; left out")
	}
	red, err := redact.New()
	if err != nil {
		return nil, fmt.Errorf("secret rules: %w", err)
	}
	topt.Redactor = red
	b := timeline.NewBuilder(topt)
	res, err := detect.Run(ctx, found.Jobs, run, b.Emit)
	if err != nil {
		return nil, err
	}
	t, err := b.Finish()
	if err != nil {
		return nil, err
	}
	t.Skipped = int(res.Skipped)
	if res.Skipped > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("skipped %d bad records (--skip-bad)", res.Skipped))
	}
	return t, nil
}

// Batch builds the timeline of all inputs together (so the window and the
// moments are what `debrief timeline` shows) and splits its events by input,
// each with the digest of its bytes: what debrief.TimelineService.Ingest
// stores.
func Batch(ctx context.Context, inputs []string, opt Options) ([]debrief.IngestInput, error) {
	found, err := detect.New(detect.All()).Resolve(inputs)
	if err != nil {
		return nil, err
	}
	defer found.Close()
	batch := make([]debrief.IngestInput, len(found.Jobs))
	for i, j := range found.Jobs {
		d, err := Digest(j.Input.FS, j.Input.Path)
		if err != nil {
			return nil, debrief.Errorf(debrief.EINVALID, "%s: %v", j.Input.Name, err)
		}
		batch[i] = debrief.IngestInput{Name: j.Input.Name, Format: j.Format.Name, Digest: d}
	}
	t, err := build(ctx, found, opt)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	err = t.Each(func(ev *debrief.Event) error {
		i := inputOf(batch, ev.Input)
		if i < 0 {
			return fmt.Errorf("event from %q matches no input (a bug)", ev.Input)
		}
		batch[i].Events = append(batch[i].Events, clone(ev))
		return nil
	})
	return batch, err
}

// inputOf finds the input an event came from: its name, or a file inside
// it (a day file of a Slack export, "export:channel/day.json").
func inputOf(batch []debrief.IngestInput, name string) int {
	best := -1
	for i, in := range batch {
		base := strings.TrimSuffix(in.Name, "/")
		if name == in.Name || strings.HasPrefix(name, base+"/") || strings.HasPrefix(name, base+":") {
			if best < 0 || len(in.Name) > len(batch[best].Name) {
				best = i
			}
		}
	}
	return best
}

func clone(ev *debrief.Event) debrief.Event {
	e := *ev
	e.Identity = nil
	e.Moments = append([]debrief.Moment(nil), ev.Moments...)
	e.Why = nil
	for _, r := range ev.Why {
		e.Why = append(e.Why, debrief.Reason{Moment: debrief.Moment(strings.Clone(string(r.Moment))), Text: strings.Clone(r.Text)})
	}
	for _, s := range []*string{&e.ID, &e.Actor, &e.Channel, &e.Text, &e.Ref, &e.Thread, &e.Input} {
		*s = strings.Clone(*s)
	}
	return e
}

// Digest identifies an input's bytes: a file's SHA-256, or for a directory
// (an export) the SHA-256 of every file's path and bytes in order.
func Digest(fsys fs.FS, p string) (string, error) {
	h := sha256.New()
	st, err := fs.Stat(fsys, p)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		f, err := fsys.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close()
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	var files []string
	err = fs.WalkDir(fsys, p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, q)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, q := range files {
		fmt.Fprintf(h, "%s\x00", path.Clean(strings.TrimPrefix(q, p)))
		f, err := fsys.Open(q)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Body parses one document received live (a webhook's body) with format,
// through the same redaction, moments and ids as every input, and returns
// its events; none are left outside a window.
func Body(ctx context.Context, format ingest.Format, name string, body []byte) ([]debrief.Event, error) {
	in := ingest.Input{FS: fstest.MapFS{"body": &fstest.MapFile{Data: body}}, Path: "body", Name: name}
	red, err := redact.New()
	if err != nil {
		return nil, err
	}
	b := timeline.NewBuilder(timeline.Options{Redactor: red, From: time.Unix(0, 0), To: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err := format.Parser.Parse(ctx, &in, b.Emit); err != nil {
		return nil, err
	}
	t, err := b.Finish()
	if err != nil {
		return nil, err
	}
	defer t.Close()
	var out []debrief.Event
	err = t.Each(func(ev *debrief.Event) error {
		out = append(out, clone(ev))
		return nil
	})
	return out, err
}
