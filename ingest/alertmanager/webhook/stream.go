package webhook

import (
	"context"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// Options say whose notifications a stream reads, so that Alertmanager and
// Grafana share one reader and differ only here.
type Options struct {
	Source      debrief.Source
	Actor       string // handle of the sender, e.g. "alertmanager"
	DisplayName string // e.g. "Alertmanager"
	// Values adds an alert's valueString (Grafana) to its text, since the
	// measured value is often the most telling part of a Grafana alert.
	Values bool
	// Other reads a body object without "alerts" (Grafana's legacy body). Nil
	// reports such a body as a bad record.
	Other func(s *Stream, body *fastjson.Value, raw []byte, line int) error
}

// Stream is the state of one Parse call: the input, where events go, and the
// notifications already seen, so that repeated notifications of one alert
// give one event.
type Stream struct {
	in       *ingest.Input
	emit     ingest.Emit
	opt      *Options
	identity *debrief.Identity
	seen     map[string]struct{}
	parser   fastjson.Parser
	key      []byte    // the Ref being looked up
	text     []byte    // the text being built
	receiver [2]string // the last receiver as sent and as a channel
	lines    int
	// Counts for the notes given at the end of the input.
	truncated int64 // the most alerts one notification left out
	noEnd     int
}

// Parse reads in as webhook bodies: one JSON object, an array of them, a
// stream of documents, or JSON lines, and emits one event per firing and per
// resolution seen.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit, opt Options) error {
	s := &Stream{
		in:   in,
		emit: emit,
		opt:  &opt,
		identity: &debrief.Identity{Source: opt.Source, Handle: opt.Actor,
			DisplayName: opt.DisplayName, Bot: true},
		seen: make(map[string]struct{}),
	}
	if err := s.read(ctx); err != nil {
		return err
	}
	s.notes()
	return nil
}

// Input returns the input being read.
func (s *Stream) Input() *ingest.Input { return s.in }

// Event returns an event of the stream's source and actor with the fields
// every event of it shares filled in.
func (s *Stream) Event(t time.Time, kind debrief.Kind, channel, text, ref string) *debrief.Event {
	return &debrief.Event{
		Time:     t.UTC(),
		Source:   s.opt.Source,
		Kind:     kind,
		Actor:    s.opt.Actor,
		Channel:  channel,
		Text:     text,
		Ref:      ref,
		Bot:      true,
		Input:    s.in.Name,
		Identity: s.identity,
	}
}

// Emit sends ev unless an event with its Ref was already sent by this stream.
func (s *Stream) Emit(ev *debrief.Event) error {
	if _, ok := s.seen[ev.Ref]; ok {
		return nil
	}
	s.seen[ev.Ref] = struct{}{}
	return s.emit(ev)
}

func (s *Stream) notes() {
	if s.truncated > 0 {
		s.in.Notef("%s: notifications left out up to %d alerts each (truncatedAlerts); those are not on the timeline",
			s.in.Name, s.truncated)
	}
	if s.noEnd > 0 {
		s.in.Notef("%s: resolved alerts without endsAt: %d; only their firing is on the timeline",
			s.in.Name, s.noEnd)
	}
}
