package timeline

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/debriefhq/debrief"
)

// Builder receives events from parsers. Emit is safe for concurrent use; the
// expensive per-event work (redaction, text rules) runs in the caller's
// goroutine so that parsers on several cores share it.
type Builder struct {
	opt    Options
	people *identities

	mu         sync.Mutex
	buf        []*debrief.Event
	bufBytes   int
	runs       *runs
	redactions int
	alerts     span // alerts and pages
	chat       span // messages by people
	impact     []int64
	all        span
	perInput   map[string]*SourceCount
	err        error
}

type span struct{ from, to time.Time }

func (s *span) add(t time.Time) {
	if s.from.IsZero() || t.Before(s.from) {
		s.from = t
	}
	if t.After(s.to) {
		s.to = t
	}
}

// NewBuilder returns a Builder with opt's defaults filled in.
func NewBuilder(opt Options) *Builder {
	if opt.Pad == 0 {
		opt.Pad = 30 * time.Minute
	}
	if opt.StallAfter == 0 {
		opt.StallAfter = 10 * time.Minute
	}
	if opt.MemoryBudget == 0 {
		opt.MemoryBudget = 48 << 20
	}
	if opt.TempDir == "" {
		opt.TempDir = os.TempDir()
	}
	return &Builder{
		opt:      opt,
		people:   newIdentities(opt.People),
		runs:     &runs{dir: opt.TempDir},
		perInput: map[string]*SourceCount{},
	}
}

// Emit takes one event. The builder owns ev afterwards.
func (b *Builder) Emit(ev *debrief.Event) error {
	if ev.Time.IsZero() {
		return fmt.Errorf("%s: event without a time (parser bug)", ev.Input)
	}
	ev.Time = ev.Time.UTC()
	n := 0
	if b.opt.Redactor != nil {
		ev.Text, n = redactCount(b.opt.Redactor, ev.Text, n)
		ev.Actor, n = redactCount(b.opt.Redactor, ev.Actor, n)
		ev.Channel, n = redactCount(b.opt.Redactor, ev.Channel, n)
	}
	flagText(ev)
	size := eventSize(ev)
	var id *debrief.Identity
	if ev.Identity != nil {
		id = ev.Identity
		ev.Identity = nil
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return b.err
	}
	b.redactions += n
	b.people.add(ev, id)
	b.all.add(ev.Time)
	switch {
	case isAlert(ev):
		b.alerts.add(ev.Time)
	case ev.Kind == debrief.KindMessage && !ev.Bot:
		b.chat.add(ev.Time)
		if ev.Impact {
			b.impact = append(b.impact, ev.Time.UnixNano())
		}
	}
	b.buf = append(b.buf, ev)
	b.bufBytes += size
	if b.bufBytes >= b.opt.MemoryBudget {
		b.err = b.spill()
		return b.err
	}
	return nil
}

func redactCount(r Redactor, s string, n int) (string, int) {
	if s == "" {
		return s, n
	}
	out, k := r.Redact(s)
	return out, n + k
}

func isAlert(ev *debrief.Event) bool {
	switch ev.Kind {
	case debrief.KindAlertFiring, debrief.KindAlertResolved, debrief.KindPageTriggered,
		debrief.KindPageAcknowledged, debrief.KindPageEscalated, debrief.KindPageResolved:
		return true
	}
	return false
}

func eventSize(ev *debrief.Event) int {
	return 160 + len(ev.Text) + len(ev.Actor) + len(ev.Channel) + len(ev.Ref) + len(ev.Thread) + len(ev.Input)
}

// spill sorts the buffer and writes it as a run. Called with mu held.
func (b *Builder) spill() error {
	sortEvents(b.buf)
	if err := b.runs.write(b.buf); err != nil {
		return err
	}
	clear(b.buf)
	b.buf = b.buf[:0]
	b.bufBytes = 0
	return nil
}

func sortEvents(evs []*debrief.Event) {
	slices.SortFunc(evs, compareEvents)
}

// compareEvents orders by time, then source, channel and ref, so the order
// is the same whatever order parsers emitted in.
func compareEvents(a, c *debrief.Event) int {
	if r := a.Time.Compare(c.Time); r != 0 {
		return r
	}
	if a.Source != c.Source {
		return cmpStr(string(a.Source), string(c.Source))
	}
	if a.Channel != c.Channel {
		return cmpStr(a.Channel, c.Channel)
	}
	if a.Ref != c.Ref {
		return cmpStr(a.Ref, c.Ref)
	}
	return cmpStr(a.Text, c.Text)
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
