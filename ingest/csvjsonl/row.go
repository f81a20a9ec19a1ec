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
	// order is how the file writes dates like 03/01/2024 (see dateOrder):
	// set by the user, or by the first row whose date reads only one way
	// (25/03/2024), as orderWhy says. Until then, rows whose date reads
	// both ways wait in pending.
	order    dateOrder
	orderWhy string // where order came from, for errors
	pending  []pendingRow
	held     int // bytes of the rows in pending
	// guessed says why dates were read month first without a row to tell
	// (empty when they were not), and gives one of them.
	guessed, guessedEg string
}

// pendingRow is a row waiting for its file's order of day and month.
type pendingRow struct {
	r           row
	where, name string
}

// maxPending and maxHeld bound the rows held while the order of day and
// month is unknown; past them, dates are read month first (and the user
// told). An incident within the first twelve days of a month writes only
// such dates.
const (
	maxPending = 1 << 16
	maxHeld    = 32 << 20
)

func newBuilder(in *ingest.Input, source debrief.Source) *builder {
	zone := in.Zone
	if zone == nil {
		zone = time.UTC
	}
	b := &builder{in: in, source: source, zone: zone, actors: make(map[string]*debrief.Identity)}
	switch in.DateOrder {
	case ingest.DayFirst:
		b.order, b.orderWhy = orderDayFirst, "--date-order dmy reads dates day/month"
	case ingest.MonthFirst:
		b.order, b.orderWhy = orderMonthFirst, "--date-order mdy reads dates month/day"
	}
	return b
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
	t, err := parseTime(r.time, b.zone, b.order)
	if err != nil && r.date != "" {
		var jerr error
		if t, jerr = parseTime(r.joined(), b.zone, b.order); jerr == nil {
			return t, nil
		}
		if _, ok := jerr.(*orderError); ok {
			err = jerr
		}
	}
	if oe, ok := err.(*orderError); ok {
		return t, fmt.Errorf("no month %d: %s", oe.month, b.orderWhy)
	}
	return t, err
}

// joined is the row's date and time of day as one string.
func (r *row) joined() string { return strings.TrimSpace(r.date) + " " + strings.TrimSpace(r.time) }

// joinedTime is the row's time as written, with its date column if any.
func (r *row) joinedTime() string {
	if r.date != "" {
		return r.joined()
	}
	return strings.TrimSpace(r.time)
}

// numericDate is the row's time as a date written with numbers
// (3/1/2024), if it is one.
func (r *row) numericDate() (numericDate, bool) {
	clean := func(s string) string {
		s = strings.TrimSpace(s)
		for _, utc := range [...]string{" UTC", " GMT"} {
			s, _ = strings.CutSuffix(s, utc)
		}
		return s
	}
	if d, ok := readNumericDate(clean(r.time)); ok {
		return d, true
	}
	if r.date != "" {
		return readNumericDate(clean(r.joined()))
	}
	return numericDate{}, false
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

// flush emits the rows that waited for the order of day and month.
func (b *builder) flush(emit ingest.Emit) error {
	for i := range b.pending {
		p := &b.pending[i]
		if err := b.emit(&p.r, p.where, p.name, emit); err != nil {
			return err
		}
	}
	b.pending, b.held = nil, 0
	return nil
}

// hold keeps r until the order of day and month is known, or reports
// false when the rows held are too many.
func (b *builder) hold(r *row, where, name string) bool {
	size := len(r.time) + len(r.date) + len(r.actor) + len(r.text) + len(r.source) + len(r.kind) + len(r.channel) + 64
	if len(b.pending) >= maxPending || b.held+size > maxHeld {
		return false
	}
	b.pending = append(b.pending, pendingRow{*r, where, name})
	b.held += size
	return true
}

// guess settles the order of day and month without a row to tell: month
// first, as in the United States (and Go, and most tools' defaults), and
// says so at the end.
func (b *builder) guess(why string) {
	b.order, b.guessed = orderMonthFirst, why
	b.orderWhy = "dates are read month/day (" + why + "); give --date-order dmy if they are day first"
	if len(b.pending) > 0 {
		b.guessedEg = b.pending[0].r.joinedTime()
	}
}

// finish emits what still waits and reports rows left out and dates read
// without a row to tell their order.
func (b *builder) finish(emit ingest.Emit) error {
	if b.order == orderUnknown && len(b.pending) > 0 {
		b.guess("no date in the file reads only one way")
	}
	if err := b.flush(emit); err != nil {
		return err
	}
	if b.noText > 0 {
		b.in.Notef("%s: %d rows without text were left out", b.in.Name, b.noText)
	}
	if b.guessed != "" {
		b.in.Notef("%s: dates such as %q read month first (%s); if they are day first, give --date-order dmy",
			b.in.Name, clip(b.guessedEg), b.guessed)
	}
	return nil
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
