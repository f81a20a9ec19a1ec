package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/debriefhq/debrief/draft"
	"github.com/debriefhq/debrief/lint"
)

func runDraft(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief draft", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	var tf timelineFlags
	tf.register(fs)
	var services listFlag
	title := fs.String("title", "", "the incident's title")
	facilitator := fs.String("facilitator", "", "who runs the retro (not the incident lead)")
	lead := fs.String("lead", "", "who led the response")
	severity := fs.String("severity", "", "the incident's severity, as the team rates it (SEV2, P1)")
	meeting := fs.String("meeting", "", "when the retro starts: RFC 3339, or \"2006-01-02 15:04\" in --display-tz")
	format := fs.String("format", "markdown", "the draft's format: markdown, html")
	tmpl := fs.String("template", "default", "markdown template: default, google-sre, or a file (Go text/template; fields in the README)")
	catalog := fs.String("catalog", "", "service catalog: a Backstage catalog-info.yaml or a services: map (owners and adjacent teams to invite)")
	fs.Var(&services, "service", "service the incident is about (repeatable); the catalog names its owner")
	pack := fs.String("pack", "", "write the whole facilitator pack into this directory: retro.md, retro.html, invite.ics (with --meeting), pre-read.txt, invitees.txt")
	draftURL := fs.String("draft-url", "", "where the draft will live (linked from the calendar invite and the pre-read)")
	out := fs.String("o", "", "write the draft to this file instead of stdout (written whole or not at all)")
	fs.Usage = func() {
		fmt.Fprintf(app.Stderr, "Usage: debrief draft [flags] INPUT...\n\nWrites the retro document to send ahead of the meeting, from the same inputs as debrief timeline.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(inputs) == 0 {
		fs.Usage()
		return usageError("draft: no INPUT given")
	}
	if *format != "markdown" && *format != "html" && *format != "md" {
		return usageError("draft: unknown --format %q (markdown, html)", *format)
	}
	zone, err := loadZone(tf.displayTZ, "--display-tz")
	if err != nil {
		return err
	}
	opt := draft.Options{Title: *title, Facilitator: *facilitator, Lead: *lead, Severity: *severity, Zone: zone, Services: services}
	if *meeting != "" {
		if opt.Meeting, err = parseMeeting(*meeting, zone); err != nil {
			return err
		}
	}
	if *catalog != "" {
		src, err := os.ReadFile(*catalog)
		if err != nil {
			return usageError("draft: %v", err)
		}
		if opt.Catalog, err = draft.ParseCatalog(*catalog, src); err != nil {
			return usageError("%v", err)
		}
	}
	t, err := loadTemplate(*tmpl)
	if err != nil {
		return err
	}
	tl, err := buildTimeline(ctx, app, &tf, inputs)
	if err != nil {
		return err
	}
	defer tl.Close()
	doc, err := draft.Build(tl, opt)
	if err != nil {
		return err
	}
	for _, w := range doc.Warnings {
		if !tf.quiet {
			fmt.Fprintf(app.Stderr, "debrief: warning: %s\n", w)
		}
	}
	var md bytes.Buffer
	if err := t.Markdown(&md, doc); err != nil {
		return usageError("%v", err)
	}
	if *pack != "" {
		return writePack(app, *pack, doc, md.Bytes(), opt.Meeting, *draftURL)
	}
	return writeOutput(app, *out, func(w io.Writer) error {
		if *format == "html" {
			return draft.HTML(w, doc)
		}
		_, err := w.Write(md.Bytes())
		return err
	})
}

// loadTemplate is a built-in by name, else a file.
func loadTemplate(name string) (*draft.Template, error) {
	for _, b := range draft.Builtins {
		if name == b {
			return draft.Builtin(name)
		}
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, usageError("draft: --template %q is neither a built-in (%s) nor a readable file: %v", name, strings.Join(draft.Builtins, ", "), err)
	}
	t, err := draft.ParseTemplate(name, src)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return t, nil
}

// parseMeeting reads RFC 3339, or a local date and time in zone.
func parseMeeting(s string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError("draft: --meeting %q: want RFC 3339 (2026-03-12T15:00:00+01:00) or \"2026-03-12 15:00\" in --display-tz", s)
}

// writePack writes every file of the pack into dir. Each file is written
// whole or not at all; the draft is checked with lint first, so a pack never
// carries a draft with blaming language in its own words.
func writePack(app *App, dir string, doc *draft.Doc, md []byte, meeting time.Time, url string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageError("draft: %v", err)
	}
	if err := checkDraft(md); err != nil {
		return err
	}
	files := map[string]func(io.Writer) error{
		"retro.md":   func(w io.Writer) error { _, err := w.Write(md); return err },
		"retro.html": func(w io.Writer) error { return draft.HTML(w, doc) },
		"pre-read.txt": func(w io.Writer) error {
			_, err := io.WriteString(w, draft.PreRead(doc, orDefault(url, "retro.md")))
			return err
		},
		"invitees.txt": func(w io.Writer) error {
			for _, i := range doc.Invitees {
				if _, err := fmt.Fprintf(w, "%s\t%s\t%s\n", i.Name, i.Reason, i.Email); err != nil {
					return err
				}
			}
			return nil
		},
	}
	if !meeting.IsZero() {
		files["invite.ics"] = func(w io.Writer) error {
			return draft.WriteICS(w, doc, draft.Invite{Start: meeting, DraftURL: url, Draft: md})
		}
	}
	for _, name := range []string{"retro.md", "retro.html", "pre-read.txt", "invitees.txt", "invite.ics"} {
		fn, ok := files[name]
		if !ok {
			continue
		}
		if err := writeOutput(app, filepath.Join(dir, name), fn); err != nil {
			return err
		}
	}
	fmt.Fprintf(app.Stdout, "wrote the facilitator pack to %s\n", dir)
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkDraft lints the draft's own language: a template that makes it blame
// someone is a bug to fix, not a pack to send.
func checkDraft(md []byte) error {
	l, err := lint.New(lint.Options{})
	if err != nil {
		return err
	}
	var lang []string
	for _, f := range l.Lint("retro.md", md, lint.DefaultConfig()) {
		switch strings.SplitN(f.Rule, ".", 2)[0] {
		case "blame", "counterfactual", "hindsight", "rootcause":
			lang = append(lang, fmt.Sprintf("retro.md:%d:%d: %s: %s", f.Line, f.Column, f.Rule, f.Message))
		}
	}
	if len(lang) > 0 {
		return errors.New("the draft's own words fail debrief lint:\n" + strings.Join(lang, "\n"))
	}
	return nil
}
