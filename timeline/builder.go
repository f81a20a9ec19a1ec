package timeline

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/debriefhq/debrief"
)

// Builder receives events from parsers. Emit is safe for concurrent use; the
// expensive per-event work (redaction, text rules) runs in the caller's
// goroutine so that parsers on several cores share it; the lock held per
// event covers only appending it and a few counters, and is one of several
// (see shard).
type Builder struct {
	opt    Options
	people *identities
	runs   *runs
	shards [shardCount]shard

	// pending gathers the shards' events for the next run, under its own
	// lock, taken once for every shardFlush events.
	pendingMu    sync.Mutex
	pending      []*debrief.Event
	pendingBytes int

	errMu  sync.Mutex
	err    error
	hasErr atomic.Bool // lets Emit skip the lock while all is well

	// Full buffers go to a spiller goroutine, so parsers keep emitting while
	// a run is sorted and written. At most one buffer waits, so memory
	// holds about twice the budget at worst.
	spillOnce sync.Once
	spillCh   chan []*debrief.Event
	spillDone chan struct{}
	sorter    sorter // the spiller's, then drain's
}

// shardCount is how many locks events are spread over, by the input they
// come from: parsers on different inputs (two Slack workers on two day
// files) then rarely share one. With a single lock, taking and releasing
// it was a twentieth of a large timeline's CPU: the lock's cache line went
// from core to core on every event. The shards hand their events on to
// pending by the hundred, so runs are as large as with one lock (each
// shard spilling its own, smaller runs had cost the merge 5 to 10%).
const (
	shardBits  = 3
	shardCount = 1 << shardBits
)

// shardFlush is how many events a shard gathers before it hands them on
// (fewer where they come to its share of the memory budget).
const shardFlush = 256

// shard is one lock's worth of the builder's state.
type shard struct {
	mu         sync.Mutex
	buf        []*debrief.Event
	bufBytes   int
	redactions int
	alerts     span // alerts and pages
	chat       span // messages by people
	impact     []int64
	all        span
	people     *identities
	_          [64]byte // keep shards on their own cache lines
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

func (s *span) merge(o span) {
	if !o.from.IsZero() {
		s.add(o.from)
		s.add(o.to)
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
		opt.MemoryBudget = 32 << 20
	}
	if opt.TempDir == "" {
		opt.TempDir = os.TempDir()
	}
	b := &Builder{
		opt:    opt,
		people: newIdentities(opt.People),
		runs:   &runs{dir: opt.TempDir},
	}
	for i := range b.shards {
		b.shards[i].people = newIdentities(nil)
	}
	return b
}

// Emit takes one event. The builder owns ev afterwards.
func (b *Builder) Emit(ev *debrief.Event) error {
	if ev.Time.IsZero() {
		return fmt.Errorf("%s: event without a time (parser bug)", ev.Input)
	}
	if err := b.failed(); err != nil {
		return err
	}
	ev.Time = ev.Time.UTC()
	ev.Text = CleanText(ev.Text)
	n := 0
	if b.opt.Redactor != nil {
		ev.Text, n = redactCount(b.opt.Redactor, ev.Text, n)
		// Names are short and repeat on every event; one long enough to
		// carry a credential ("key=..." as a channel name) is checked too.
		if len(ev.Actor) >= minSecretName {
			ev.Actor, n = redactCount(b.opt.Redactor, ev.Actor, n)
		}
		if len(ev.Channel) >= minSecretName {
			ev.Channel, n = redactCount(b.opt.Redactor, ev.Channel, n)
		}
	}
	flagText(ev)
	if ev.ID == "" {
		ev.ID = eventID(ev) // here, on the parser's core, not in the serial merge
	}
	size := eventSize(ev)
	id := ev.Identity
	ev.Identity = nil

	sh := &b.shards[shardOf(ev.Input)]
	sh.mu.Lock()
	sh.redactions += n
	sh.people.add(ev, id)
	sh.all.add(ev.Time)
	switch {
	case isAlert(ev):
		sh.alerts.add(ev.Time)
	case ev.Kind == debrief.KindMessage && !ev.Bot:
		sh.chat.add(ev.Time)
		if ev.Impact {
			sh.impact = append(sh.impact, ev.Time.UnixNano())
		}
	}
	sh.buf = append(sh.buf, ev)
	sh.bufBytes += size
	if len(sh.buf) < shardFlush && sh.bufBytes < b.opt.MemoryBudget/shardCount {
		sh.mu.Unlock()
		return nil
	}
	b.pendingMu.Lock()
	b.pending = append(b.pending, sh.buf...)
	b.pendingBytes += sh.bufBytes
	clear(sh.buf)
	sh.buf, sh.bufBytes = sh.buf[:0], 0
	sh.mu.Unlock()
	if b.pendingBytes < b.opt.MemoryBudget {
		b.pendingMu.Unlock()
		return nil
	}
	full := b.pending
	b.pending = make([]*debrief.Event, 0, len(full))
	b.pendingBytes = 0
	b.pendingMu.Unlock()
	b.spillOnce.Do(func() {
		b.spillCh = make(chan []*debrief.Event, 1)
		b.spillDone = make(chan struct{})
		go b.spiller()
	})
	b.spillCh <- full
	return nil
}

// shardOf picks the shard for events of the named input: by where the
// name's bytes are, the same string for all the events of one input.
func shardOf(input string) int {
	p := uintptr(unsafe.Pointer(unsafe.StringData(input)))
	return int(uint64(p>>4) * 0x9e3779b97f4a7c15 >> (64 - shardBits)) // Fibonacci hashing
}

func (b *Builder) failed() error {
	if !b.hasErr.Load() {
		return nil
	}
	b.errMu.Lock()
	defer b.errMu.Unlock()
	return b.err
}

func (b *Builder) fail(err error) {
	b.errMu.Lock()
	if b.err == nil {
		b.err = err
		b.hasErr.Store(true)
	}
	b.errMu.Unlock()
}

// spiller sorts and writes full buffers as runs until the channel closes.
func (b *Builder) spiller() {
	defer close(b.spillDone)
	for evs := range b.spillCh {
		b.sorter.sort(evs)
		if err := b.runs.write(evs); err != nil {
			b.fail(err)
		}
		clear(evs)
	}
}

// drain stops the spiller and gathers the shards: the events still in
// memory, sorted, and the totals. Called once, by Finish.
func (b *Builder) drain() (tail []*debrief.Event, redactions int, alerts, chat, all span, impact []int64) {
	if b.spillCh != nil {
		close(b.spillCh)
		<-b.spillDone
	}
	tail = b.pending
	for i := range b.shards {
		sh := &b.shards[i]
		tail = append(tail, sh.buf...)
		redactions += sh.redactions
		alerts.merge(sh.alerts)
		chat.merge(sh.chat)
		all.merge(sh.all)
		impact = append(impact, sh.impact...)
		b.people.absorb(sh.people)
	}
	b.sorter.sort(tail) // the spiller has stopped
	slices.Sort(impact)
	return tail, redactions, alerts, chat, all, impact
}

// CleanText makes line ends "\n" (a CRLF file, a Slack message typed on
// Windows) and drops terminal escape sequences (the colours of a log line
// or of a command's output pasted in chat), which are not text and would
// otherwise show as stray bytes in every output.
func CleanText(s string) string {
	if strings.IndexByte(s, '\r') < 0 && strings.IndexByte(s, 0x1b) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case 0x1b:
			i = escapeEnd(s, i) - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// escapeEnd returns the end of the escape sequence at s[i] (an ESC): CSI
// ("\x1b[31m"), OSC ("\x1b]8;;url\x07", ended by BEL or ESC \\), or ESC and
// one byte.
func escapeEnd(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return j
	}
	switch s[j] {
	case '[':
		for j++; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return j
	case ']':
		for j++; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return j
	}
	return j + 1
}

// minSecretName is the shortest actor or channel name redaction looks at:
// the shortest secret any rule finds, with its key, is longer.
const minSecretName = 12

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

// eventSize estimates the heap an event holds: the struct, its pointer in
// the buffer, allocation rounding, and its strings.
func eventSize(ev *debrief.Event) int {
	return 320 + len(ev.Text) + len(ev.Actor) + len(ev.Channel) + len(ev.Ref) + len(ev.Thread) + len(ev.Input)
}

// sorter sorts events by compareEvents. Most events are told apart by the
// time alone, so the times are laid out beside the pointers and sorted by
// radix (a comparison sort of a run's events was a quarter of the
// spiller's time); only events of one time are then compared in full. It
// keeps its scratch from one run to the next: two slices of a run's
// length, a few megabytes the collector need not see again.
type sorter struct{ keys, tmp []keyedEvent }

func (so *sorter) sort(evs []*debrief.Event) {
	if cap(so.keys) < len(evs) {
		so.keys, so.tmp = make([]keyedEvent, len(evs)), make([]keyedEvent, len(evs))
	}
	keys := so.keys[:len(evs)]
	for i, ev := range evs {
		keys[i] = keyedEvent{ev.Time.UnixNano(), ev}
	}
	if len(keys) >= radixMin {
		keys = radixSort(keys, so.tmp[:len(evs)])
	} else {
		slices.SortFunc(keys, func(a, b keyedEvent) int { return cmp.Compare(a.t, b.t) })
	}
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].t == keys[i].t {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(keys[i:j], func(a, b keyedEvent) int { return compareEvents(a.ev, b.ev) })
		}
		i = j
	}
	for i := range keys {
		evs[i] = keys[i].ev
	}
	clear(so.keys[:len(evs)]) // no event stays reachable from here
	clear(so.tmp[:len(evs)])
}

// radixMin is the fewest events sorted by radix: below it the passes over
// the counts cost more than comparing.
const radixMin = 256

// radixSort sorts keys by t, a byte at a time from the lowest (a stable
// counting sort each), using tmp (as long as keys) for the passes; it
// returns the sorted slice, which is keys or tmp. A byte that all the times
// share (the high ones, for times of one incident) costs no pass.
func radixSort(keys, tmp []keyedEvent) []keyedEvent {
	var counts [8][256]int
	for _, k := range keys {
		u := uint64(k.t) ^ 1<<63 // negative times first
		for d := range counts {
			counts[d][byte(u>>(8*d))]++
		}
	}
	first := uint64(keys[0].t) ^ 1<<63
	for d := range counts {
		c := &counts[d]
		if c[byte(first>>(8*d))] == len(keys) {
			continue
		}
		sum := 0
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		for _, k := range keys {
			b := byte((uint64(k.t) ^ 1<<63) >> (8 * d))
			tmp[c[b]] = k
			c[b]++
		}
		keys, tmp = tmp, keys
	}
	return keys
}

type keyedEvent struct {
	t  int64
	ev *debrief.Event
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
