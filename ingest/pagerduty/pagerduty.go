// Package pagerduty reads PagerDuty incident activity into timeline events:
// v3 webhook payloads ({"event": {...}}) as delivered or captured, and REST
// API log entries ({"log_entries": [...]} list pages, a single {"log_entry":
// {...}}, or bare entries). A file may hold one object, a JSON array of them,
// objects one after another, or JSON lines.
//
// Each record becomes one event whose Thread is the incident id, so that all
// the pages of one incident hang together, and whose Channel is the incident's
// service. A note (incident.annotated) carries no service; it takes the one
// another record of the same input gives its incident.
package pagerduty

import (
	"bytes"
	"context"
	"io/fs"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Format describes PagerDuty webhooks and log entries for the format registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourcePagerDuty),
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff recognises a v3 webhook by its "event_type" of an incident, and a log
// entry by a type ending in "_log_entry" or a "log_entries" list. The name is
// only a weak hint for JSON that shows neither.
func Sniff(head []byte, name string) int {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte(ingest.BOM)), " \t\r\n")
	if len(head) == 0 || head[0] != '{' && head[0] != '[' {
		return 0
	}
	has := func(s string) bool { return bytes.Contains(head, []byte(s)) }
	switch {
	case has(`"event_type"`) && has(`"incident.`):
		return 90
	case has(`_log_entry"`) && has(`"created_at"`):
		return 90
	case has(`"log_entries"`) || has(`"log_entry"`):
		return 75
	case has(`"event_type"`) && has(`"occurred_at"`) && has(`"resource_type"`):
		return 70
	case strings.Contains(strings.ToLower(name), "pagerduty"):
		return 10
	}
	return 0
}

// Parse reads one input and emits its events in the order of the input.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	data, err := fs.ReadFile(in.FS, in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read PagerDuty input", Err: err}
	}
	p := newParser(ctx, in)
	if err := ingest.Records(in, data, p.record); err != nil {
		return err
	}
	return p.finish(emit)
}

// parser holds what the records of one input share: the actors met so far,
// the service of each incident, and the events to emit once every record has
// been read.
type parser struct {
	ctx      context.Context
	in       *ingest.Input
	actors   actors
	services map[string]string
	events   []*debrief.Event
	pages    int // list pages with "more": true
}

func newParser(ctx context.Context, in *ingest.Input) *parser {
	return &parser{ctx: ctx, in: in, actors: actors{}, services: map[string]string{}}
}

// record dispatches one top-level record on its shape.
func (p *parser) record(raw []byte, line int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if raw[0] != '{' {
		return p.bad(line, "expected a JSON object (a v3 webhook or a log entry), found %s", jsonKind(raw[0]))
	}
	m, err := ingest.Members(raw, line, "event", "log_entries", "log_entry", "event_type", "type", "more", "messages")
	if err != nil {
		return p.bad(line, "expected a JSON object (a v3 webhook or a log entry)")
	}
	switch {
	case has(m, "event"):
		return p.webhook(m["event"].Val, m["event"].Line)
	case has(m, "event_type"):
		return p.webhook(raw, line)
	case has(m, "log_entries"):
		return p.list(m)
	case has(m, "log_entry"):
		return p.logEntry(m["log_entry"].Val, m["log_entry"].Line)
	case has(m, "type"):
		return p.logEntry(raw, line)
	case has(m, "messages"):
		return p.bad(line, `expected a v3 webhook {"event": {...}}, found a v1/v2 webhook {"messages": [...]}, which PagerDuty retired in 2022`)
	}
	return p.bad(line, `expected a v3 webhook {"event": {...}} or REST log entries {"log_entries": [...]}`)
}

// list reads a page of GET /log_entries or /incidents/{id}/log_entries.
func (p *parser) list(m map[string]ingest.Member) error {
	entries := m["log_entries"]
	if len(entries.Val) == 0 || entries.Val[0] != '[' {
		return p.bad(entries.Line, `expected "log_entries" as a JSON array`)
	}
	if more, ok := m["more"]; ok && string(more.Val) == "true" {
		p.pages++
	}
	return ingest.Elements(p.in, entries.Val, entries.Line, p.logEntry)
}

// finish fills in the service of events that carry none from another record
// of their incident, and emits every event.
func (p *parser) finish(emit ingest.Emit) error {
	if p.pages > 0 {
		p.in.Notef("%s: %d log entry page(s) say more entries follow (\"more\": true); only the entries in this input are read", p.in.Name, p.pages)
	}
	for _, ev := range p.events {
		if ev.Channel == "" && ev.Thread != "" {
			ev.Channel = p.services[ev.Thread]
		}
		if err := emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// add keeps ev for emitting and learns its incident's service.
func (p *parser) add(ev *debrief.Event) {
	if ev.Channel != "" && ev.Thread != "" {
		p.services[ev.Thread] = ev.Channel
	}
	p.events = append(p.events, ev)
}

// bad reports a record that cannot be read; a nil error from the Bad hook
// skips it.
func (p *parser) bad(line int, format string, args ...any) error {
	return p.in.BadRecord(p.in.Errorf(line, format, args...))
}

func has(m map[string]ingest.Member, key string) bool {
	v, ok := m[key]
	return ok && string(v.Val) != "null"
}

// jsonKind names the JSON type a value starting with b has.
func jsonKind(b byte) string {
	switch {
	case b == '[':
		return "an array"
	case b == '"':
		return "a string"
	case b == 't' || b == 'f':
		return "a boolean"
	case b == 'n':
		return "null"
	}
	return "a number"
}
