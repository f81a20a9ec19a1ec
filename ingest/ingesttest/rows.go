package ingesttest

import (
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

// Row is what a table test asserts of an event, so that a table lists each
// event on a line or two; Time is RFC 3339 with every digit the source gave.
// It names a struct type rather than defining one so that tables may leave
// out the field names, which vet asks for in literals of other packages'
// struct types.
type Row = struct {
	Time    string
	Kind    debrief.Kind
	Actor   string
	Bot     bool
	Channel string
	Text    string
	Ref     string
	Thread  string
}

// Rows projects events read from input onto Rows, checking on the way what
// every event must have and a Row leaves out: source, input and zone, an
// identity that agrees with the actor, and none of the fields the timeline
// sets.
func Rows(t testing.TB, source debrief.Source, input string, events []*debrief.Event) []Row {
	t.Helper()
	out := make([]Row, 0, len(events))
	for _, ev := range events {
		if ev.Source != source || ev.Input != input || ev.Time.Location() != time.UTC {
			t.Errorf("event %s: source %q, input %q, zone %v; want %s, %q, UTC", ev.Ref, ev.Source, ev.Input, ev.Time.Location(), source, input)
		}
		if ev.Identity == nil || ev.Identity.Handle != ev.Actor || ev.Identity.Bot != ev.Bot {
			t.Errorf("event %s: identity %+v does not match actor %q bot %v", ev.Ref, ev.Identity, ev.Actor, ev.Bot)
		}
		if ev.ID != "" || ev.Moments != nil || ev.Why != nil {
			t.Errorf("event %s: ID, Moments and Why are the timeline's to set", ev.Ref)
		}
		out = append(out, Row{ev.Time.Format(time.RFC3339Nano), ev.Kind, ev.Actor, ev.Bot, ev.Channel, ev.Text, ev.Ref, ev.Thread})
	}
	return out
}
