package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/draft"
)

// debrief postmortem INCIDENT: the document written from the retro the
// store holds (the room's factors, what went well, the action items), to
// finalise and share; the same as the web app's /incidents/{id}/postmortem.md.
func runPostmortem(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief postmortem", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	db := dbFlag(fs)
	out := fs.String("o", "", "write to this file instead of stdout (written whole or not at all)")
	tz := fs.String("display-tz", "UTC", "zone the times are shown in (an IANA name, as Europe/Berlin)")
	private := fs.Bool("include-private", false, "name private incidents where a factor was seen before (left out by default: the document is shared)")
	fs.Usage = func() {
		fmt.Fprintf(app.Stderr, "Usage: debrief postmortem [flags] INCIDENT\n\nWrites the incident's postmortem as markdown from its retro: timeline moments, contributing factors (and where they were seen before), what went well, action items.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) != 1 {
		fs.Usage()
		return usageError("postmortem: want one INCIDENT")
	}
	zone, err := time.LoadLocation(*tz)
	if err != nil {
		return usageError("postmortem: --display-tz %q: %v", *tz, err)
	}
	s, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	inc, err := s.Incident(ctx, rest[0])
	if debrief.ErrorCode(err) == debrief.ENOTFOUND {
		return usageError("postmortem: no incident %q in the database", rest[0])
	} else if err != nil {
		return err
	}
	rec, err := draft.Gather(ctx, s, inc, shareable(s, *private))
	if err != nil {
		return err
	}
	rec.Zone = zone
	var buf bytes.Buffer
	if err := draft.Final(&buf, rec); err != nil {
		return err
	}
	return writeOutput(app, *out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
}
