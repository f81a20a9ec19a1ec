// Package opsgenie reads Opsgenie alert webhooks, and pages of alerts from
// its API (see list.go), into timeline events. A file may hold one webhook
// body, a JSON array of them, bodies one after another, or JSON lines.
//
// Opsgenie's times are numbers in two units: alert.createdAt is milliseconds,
// alert.updatedAt nanoseconds, and updatedAt is when the action of the
// webhook happened. Each event's Thread is the alert id, so that everything
// done to one alert hangs together.
//
// Escalation callbacks ({"escalationNotify": {...}, "alert": {"alertId"}}, an
// older shape still sent by escalation rules) carry no time at all; they are
// left out with a note rather than placed at a made-up time.
package opsgenie

import (
	"bytes"
	"context"
	"io/fs"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Format describes Opsgenie webhooks for the format registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourceOpsgenie),
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff recognises a webhook body by its "action" beside an "alertId", or the
// integration or escalation fields every Opsgenie webhook has. The name is
// only a weak hint for JSON that shows neither.
func Sniff(head []byte, name string) int {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte(ingest.BOM)), " \t\r\n")
	if len(head) == 0 || head[0] != '{' && head[0] != '[' {
		return 0
	}
	has := func(s string) bool { return bytes.Contains(head, []byte(s)) }
	switch {
	case has(`"action"`) && has(`"alertId"`):
		return 90
	case has(`"action"`) && (has(`"integrationName"`) || has(`"escalationNotify"`)):
		return 70
	case sniffList(has) > 0:
		return sniffList(has)
	case strings.Contains(strings.ToLower(name), "opsgenie"):
		return 10
	}
	return 0
}

// Parse reads one input and emits an event for each webhook body in it.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	data, err := fs.ReadFile(in.FS, in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read Opsgenie input", Err: err}
	}
	p := &parser{ctx: ctx, in: in, emit: emit, actors: actors{}}
	if err := ingest.Records(in, data, p.record); err != nil {
		return err
	}
	if p.untimed > 0 {
		in.Notef("%s: %d escalation notification(s) left out: Opsgenie's escalation callback carries no time", in.Name, p.untimed)
	}
	return nil
}

// parser holds what the records of one input share.
type parser struct {
	ctx     context.Context
	in      *ingest.Input
	emit    ingest.Emit
	actors  actors
	untimed int // escalation callbacks without a time, left out
}

// bad reports a record that cannot be read; a nil error from the Bad hook
// skips it.
func (p *parser) bad(line int, format string, args ...any) error {
	return p.in.BadRecord(p.in.Errorf(line, format, args...))
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
