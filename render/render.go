// Package render prints a timeline for people and programs: text for the
// terminal, markdown for a doc, JSON and JSON lines for scripts, and a
// self-contained HTML page or SVG picture of the incident.
package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/debriefhq/debrief/timeline"
)

// Options shape human-facing output.
type Options struct {
	// Zone for times shown to people (default UTC). JSON is always UTC.
	Zone *time.Location
	// Color adds ANSI colours (text only); meaning never rests on colour alone.
	Color bool
	// Title heads documents and pictures.
	Title string
}

// Func renders a timeline to w.
type Func func(w io.Writer, t *timeline.Timeline, opt Options) error

var formats = map[string]Func{
	"text":     Text,
	"markdown": Markdown,
	"json":     JSON,
	"jsonl":    JSONL,
	"html":     HTML,
	"svg":      SVG,
}

// Lookup returns the renderer for a --format value.
func Lookup(name string) (Func, error) {
	if name == "md" {
		name = "markdown"
	}
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q; expected one of %s", name, strings.Join(Names(), ", "))
	}
	return f, nil
}

// Names lists the formats.
func Names() []string {
	var n []string
	for k := range formats {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

func (o Options) zone() *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// duration prints seconds the way people say them: 9m, 1h05m, 45s.
func duration(secs int64) string {
	d := time.Duration(secs) * time.Second
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", secs)
	case d < time.Hour:
		if s := secs % 60; s != 0 {
			return fmt.Sprintf("%dm%02ds", secs/60, s)
		}
		return fmt.Sprintf("%dm", secs/60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", secs/3600, secs%3600/60)
	}
	return fmt.Sprintf("%dd%02dh", secs/86400, secs%86400/3600)
}

// Duration prints seconds the way people say them (9m, 1h05m, 45s), as
// every output of Debrief does.
func Duration(secs int64) string { return duration(secs) }
