package csvjsonl

import (
	"fmt"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// row is one record's values by role, as strings.
type row struct {
	line                  int
	time, date            string
	actor, text           string
	source, kind, channel string
	// hash identifies the record's content for its Ref.
	hash uint32
}

// builder turns rows of one input into events.
type builder struct {
	in     *ingest.Input
	source debrief.Source
	zone   *time.Location
	actors map[string]*debrief.Identity
	// noText counts rows left out because their text was empty.
	noText int
}

func newBuilder(in *ingest.Input, source debrief.Source) *builder {
	zone := in.Zone
	if zone == nil {
		zone = time.UTC
	}
	return &builder{in: in, source: source, zone: zone, actors: make(map[string]*debrief.Identity)}
}

// event builds the event of r; a nil event with a nil error means the row is
// left out (no text), and an error describes a bad record. where and name
// say where the time was for messages: `column "Time"`, `key "ts"`.
func (b *builder) event(r *row, where, name string) (*debrief.Event, error) {
	text := strings.TrimSpace(r.text)
	if text == "" {
		b.noText++
		return nil, nil
	}
	t, err := b.time(r)
	if err != nil {
		return nil, b.in.Errorf(r.line, "%s %q: %v, found %q", where, valid(name), err, clip(strings.TrimSpace(r.date+" "+r.time)))
	}
	ev := &debrief.Event{
		Time:    t,
		Source:  b.source,
		Kind:    kindOf(r.kind),
		Channel: valid(firstOf(r.channel, r.source)),
		Text:    valid(text),
		Ref:     fmt.Sprintf("line %d #%08x", r.line, r.hash),
		Input:   b.in.Name,
	}
	if r.channel != "" && r.source != "" {
		ev.Text = valid("[" + strings.TrimSpace(r.source) + "] " + text)
	}
	ev.Actor, ev.Identity = b.actor(strings.TrimSpace(r.actor))
	return ev, nil
}

// time reads the row's time, joining a separate date column with a
// time-of-day ("2025-06-02" and "14:03") when the time alone is not one.
func (b *builder) time(r *row) (time.Time, error) {
	t, err := parseTime(r.time, b.zone)
	if err != nil && r.date != "" {
		if joined, jerr := parseTime(strings.TrimSpace(r.date)+" "+strings.TrimSpace(r.time), b.zone); jerr == nil {
			return joined, nil
		}
	}
	return t, err
}

// actor returns the row's actor, or the input's owner, with one Identity per
// actor.
func (b *builder) actor(name string) (string, *debrief.Identity) {
	if name == "" {
		name = b.in.Actor
	}
	if name == "" {
		return "", nil
	}
	name = valid(name)
	id, ok := b.actors[name]
	if !ok {
		id = &debrief.Identity{Source: b.source, Handle: name}
		b.actors[name] = id
	}
	return name, id
}

// kindOf honours a kind column holding one of Debrief's kinds; anything else
// written by hand is a note.
func kindOf(s string) debrief.Kind {
	switch k := debrief.Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case debrief.KindMessage, debrief.KindCommand, debrief.KindAlertFiring, debrief.KindAlertResolved,
		debrief.KindPageTriggered, debrief.KindPageAcknowledged, debrief.KindPageEscalated,
		debrief.KindPageResolved, debrief.KindDeploy, debrief.KindInfra, debrief.KindLog,
		debrief.KindNote, debrief.KindJoin:
		return k
	}
	return debrief.KindNote
}

// notes reports rows left out.
func (b *builder) notes() {
	if b.noText > 0 {
		b.in.Notef("%s: %d rows without text were left out", b.in.Name, b.noText)
	}
}

// FNV-1a, written out so that hashing a row's strings does not allocate.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// hashFields is the FNV-1a hash of a record's fields, each followed by 0x1f,
// so that a Ref changes when the record's content does.
func hashFields(fields []string) uint32 {
	h := uint32(fnvOffset)
	for _, f := range fields {
		for i := 0; i < len(f); i++ {
			h = (h ^ uint32(f[i])) * fnvPrime
		}
		h = (h ^ 0x1f) * fnvPrime
	}
	return h
}

// hashLine is the FNV-1a hash of a JSON line.
func hashLine(line []byte) uint32 {
	h := uint32(fnvOffset)
	for _, c := range line {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func valid(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// clip shortens a value for an error message.
func clip(s string) string {
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return valid(s)
}
