package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/detect"
	"github.com/debriefhq/debrief/intake"
	"github.com/debriefhq/debrief/render"
	"github.com/debriefhq/debrief/timeline"
)

// timelineFlags are shared by every command that builds a timeline.
type timelineFlags struct {
	tz, displayTZ, from, to string
	dateOrder               string
	pad, stall              time.Duration
	people                  string
	channels                listFlag
	actors, zones           mapFlag
	skipBad, quiet          bool
}

func (f *timelineFlags) register(fs *flag.FlagSet) {
	f.actors, f.zones = mapFlag{}, mapFlag{}
	fs.StringVar(&f.tz, "tz", "UTC", "time zone of inputs whose times carry none (IANA name, e.g. Europe/Berlin)")
	fs.StringVar(&f.displayTZ, "display-tz", "UTC", "time zone for times shown to people (JSON is always UTC)")
	fs.StringVar(&f.from, "from", "", "start of the window (RFC 3339); default: the incident's chat and alerts, padded")
	fs.StringVar(&f.to, "to", "", "end of the window (RFC 3339)")
	fs.DurationVar(&f.pad, "pad", 30*time.Minute, "padding around the automatic window")
	fs.DurationVar(&f.stall, "stall", 10*time.Minute, "gap in human activity that counts as a stall")
	fs.StringVar(&f.people, "people", "", "people file (YAML) joining handles across sources")
	fs.Var(&f.channels, "channel", "only these chat channels (repeatable or comma-separated)")
	fs.Var(f.actors, "actor", "owner of an input, INPUT=NAME (repeatable; e.g. laptop.zsh_history=sam)")
	fs.Var(f.zones, "input-tz", "zone of one input, INPUT=ZONE (repeatable)")
	fs.StringVar(&f.dateOrder, "date-order", "auto", "dates written with numbers alone (03/01/2024) in CSV and JSON lines: dmy (day first), mdy (month first), or auto (learned from each file; month first when nothing tells)")
	fs.BoolVar(&f.skipBad, "skip-bad", false, "skip bad records instead of stopping, and report how many")
	fs.BoolVar(&f.quiet, "quiet", false, "no notes on stderr")
}

func runTimeline(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief timeline", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	var tf timelineFlags
	tf.register(fs)
	format := fs.String("format", "text", "output: "+strings.Join(render.Names(), ", "))
	out := fs.String("o", "", "write to this file instead of stdout (written whole or not at all)")
	title := fs.String("title", "", "title of the timeline")
	color := fs.String("color", "auto", "colour text output: auto, always, never")
	fs.Usage = func() {
		fmt.Fprintf(app.Stderr, "Usage: debrief timeline [flags] INPUT...\n\nINPUT is a file, a directory or a .zip; FORMAT:path forces a format (see 'debrief formats').\n\nFlags:\n")
		fs.PrintDefaults()
	}
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(inputs) == 0 {
		fs.Usage()
		return usageError("timeline: no INPUT given")
	}
	renderFn, err := render.Lookup(*format)
	if err != nil {
		return usageError("timeline: %v", err)
	}
	ropt := render.Options{Title: *title, Color: useColor(app, *color, *out)}
	if ropt.Zone, err = loadZone(tf.displayTZ, "--display-tz"); err != nil {
		return err
	}
	clock := newPhaseClock(app)
	t, err := buildTimeline(ctx, app, &tf, inputs)
	if err != nil {
		return err
	}
	defer t.Close()
	clock.done("read")
	if err := writeOutput(app, *out, func(w io.Writer) error { return renderFn(w, t, ropt) }); err != nil {
		return err
	}
	clock.done("write")
	if !(*format == "text" && *out == "" && isTerminal(app.Stdout)) {
		printNotes(app, &tf, t) // the text view shows them in its header
	}
	return nil
}

// printNotes tells the user, on stderr and after the output (a streaming
// format learns them while writing), what was left out or skipped.
func printNotes(app *App, tf *timelineFlags, t *timeline.Timeline) {
	if tf.quiet {
		return
	}
	for _, n := range t.Notes {
		fmt.Fprintf(app.Stderr, "debrief: note: %s\n", n)
	}
}

func usageErr(err error) error {
	if err == flag.ErrHelp {
		return err
	}
	return usageError("%v", err)
}

// buildTimeline detects and parses every input into a timeline.
func buildTimeline(ctx context.Context, app *App, tf *timelineFlags, inputs []string) (*timeline.Timeline, error) {
	opt, runOpt, err := tf.options(app)
	if err != nil {
		return nil, err
	}
	return intake.Timeline(ctx, inputs, intake.Options{Timeline: opt, Run: runOpt})
}

func (tf *timelineFlags) options(app *App) (timeline.Options, detect.RunOptions, error) {
	var opt timeline.Options
	var run detect.RunOptions
	var err error
	if run.Zone, err = loadZone(tf.tz, "--tz"); err != nil {
		return opt, run, err
	}
	run.Zones = map[string]*time.Location{}
	for in, z := range tf.zones {
		if run.Zones[in], err = loadZone(z, "--input-tz "+in); err != nil {
			return opt, run, err
		}
	}
	run.Actors = tf.actors
	switch tf.dateOrder {
	case "auto", "":
	case "dmy", "day-first":
		run.DateOrder = ingest.DayFirst
	case "mdy", "month-first":
		run.DateOrder = ingest.MonthFirst
	default:
		return opt, run, usageError("--date-order %q: expected dmy, mdy or auto", tf.dateOrder)
	}
	run.Channels = tf.channels
	run.SkipBad = tf.skipBad
	run.Note = func(input, msg string) {
		if tf.quiet {
			return
		}
		if !strings.HasPrefix(msg, input) {
			msg = input + ": " + msg
		}
		fmt.Fprintf(app.Stderr, "debrief: note: %s\n", msg)
	}
	if opt.From, err = parseTime(tf.from, "--from"); err != nil {
		return opt, run, err
	}
	if opt.To, err = parseTime(tf.to, "--to"); err != nil {
		return opt, run, err
	}
	if !opt.From.IsZero() && !opt.To.IsZero() && !opt.To.After(opt.From) {
		return opt, run, usageError("--to %s is not after --from %s", tf.to, tf.from)
	}
	opt.Pad, opt.StallAfter = tf.pad, tf.stall
	if tf.people != "" {
		if opt.People, err = timeline.LoadPeople(tf.people); err != nil {
			return opt, run, err
		}
	}
	return opt, run, nil
}

func loadZone(name, flagName string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "utc") || name == "Z" {
		return time.UTC, nil
	}
	if strings.EqualFold(name, "local") {
		return time.Local, nil
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, usageError("%s %q: unknown time zone; expected an IANA name like Europe/Berlin", flagName, name)
	}
	return z, nil
}

func parseTime(s, flagName string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usageError("%s %q: expected an RFC 3339 time like 2025-06-02T14:00:00Z", flagName, s)
}

func useColor(app *App, mode, out string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if out != "" || app.Getenv("NO_COLOR") != "" || app.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(app.Stdout)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeOutput writes to stdout, or to a file atomically: a temporary file
// renamed into place only when everything was written.
func writeOutput(app *App, path string, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		return fn(app.Stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return usageError("cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func runFormats(_ context.Context, app *App, _ []string) error {
	var b bytes.Buffer
	for _, f := range allFormats() {
		kind := "file"
		if f.Tree != nil {
			kind = "directory or .zip"
			if f.Sniff != nil {
				kind = "file, directory or .zip"
			}
		}
		fmt.Fprintf(&b, "%-13s %s\n", f.Name, kind)
	}
	_, err := app.Stdout.Write(b.Bytes())
	return err
}
