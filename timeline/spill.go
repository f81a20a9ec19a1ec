package timeline

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/debriefhq/debrief"
)

// runs holds sorted runs of events: on disk once the memory budget is
// exceeded, plus the sorted in-memory tail.
type runs struct {
	dir string
	// files are the runs on disk. Each is unlinked as soon as it is
	// written and read through its open handle, so nothing is left behind
	// however the process ends (kill -9 included).
	files []*runFile
	tail  []*debrief.Event
	// names is a table of the strings that repeat from event to event
	// (source, kind, actor, channel, input, moment): a run stores their
	// index. Written only by the spiller, read only by merges after it.
	names   []string
	nameIdx map[string]uint32
	hits    [64]nameHit
	// buf is write's, kept from run to run.
	buf []byte
	// poison makes released batches unreadable (see batch), for tests.
	poison bool
}

// maxNames bounds the table; past it, strings are stored inline, so an
// input with a new actor on every line cannot grow memory without limit.
const maxNames = 1 << 16

// nameHit remembers where a name's bytes were seen: names come from the
// same few strings event after event (a channel's name, an input's), so a
// look at the pointer settles most lookups without hashing.
type nameHit struct {
	p   *byte
	n   int
	idx uint32
}

// name appends s as a table reference (index+1), or inline after a 0.
func (r *runs) name(b []byte, s string) []byte {
	if len(s) == 0 {
		return r.nameSlow(b, s)
	}
	p := unsafe.StringData(s)
	h := &r.hits[(uintptr(unsafe.Pointer(p))>>4^uintptr(len(s)))%uintptr(len(r.hits))]
	// The content is compared too: memory freed and reused for another
	// string of the same length must not match.
	if h.p == p && h.n == len(s) && r.names[h.idx] == s {
		return binary.AppendUvarint(b, uint64(h.idx)+1)
	}
	i, ok := r.nameIdx[s]
	if ok {
		*h = nameHit{p, len(s), i}
		return binary.AppendUvarint(b, uint64(i)+1)
	}
	return r.nameSlow(b, s)
}

func (r *runs) nameSlow(b []byte, s string) []byte {
	i, ok := r.nameIdx[s]
	if !ok && len(r.names) < maxNames {
		if r.nameIdx == nil {
			r.nameIdx = map[string]uint32{}
		}
		i, ok = uint32(len(r.names)), true
		c := strings.Clone(s)
		r.names = append(r.names, c)
		r.nameIdx[c] = i
	}
	if ok {
		return binary.AppendUvarint(b, uint64(i)+1)
	}
	return appendString(binary.AppendUvarint(b, 0), s)
}

type runFile struct {
	f    *os.File
	name string // still to remove where unlinking an open file failed
	size int64
}

func (r *runs) write(evs []*debrief.Event) error {
	f, err := os.CreateTemp(r.dir, "debrief-run-*")
	if err != nil {
		return fmt.Errorf("spill events to disk: %w", err)
	}
	rf := &runFile{f: f}
	if os.Remove(f.Name()) != nil {
		rf.name = f.Name() // a system that cannot unlink open files: at close
	}
	r.files = append(r.files, rf)
	// Records are encoded straight into one buffer, each after room for
	// the usual two bytes of its length (a copy of every record into a
	// bufio.Writer was a seventh of writing a run).
	buf := r.buf[:0]
	defer func() { r.buf = buf[:0] }()
	for _, ev := range evs {
		start := len(buf)
		buf = r.encodeEvent(append(buf, 0, 0), ev)
		buf = putLength(buf, start)
		if len(buf) >= spillBuffer {
			if err := rf.writeOut(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return rf.writeOut(buf)
}

// spillBuffer is how much of a run is written at once.
const spillBuffer = 1 << 20

// putLength writes the uvarint length of the record at buf[start+2:] into
// the two bytes reserved before it, moving the record when its length
// takes one byte or more than two.
func putLength(buf []byte, start int) []byte {
	n := uint64(len(buf) - start - 2)
	if n >= 1<<7 && n < 1<<14 {
		buf[start] = byte(n) | 0x80
		buf[start+1] = byte(n >> 7)
		return buf
	}
	var hdr [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(hdr[:], n)
	rec := start + 2
	if h > 2 {
		buf = slices.Grow(buf, h-2)[:len(buf)+h-2]
	}
	copy(buf[start+h:], buf[rec:rec+int(n)])
	copy(buf[start:], hdr[:h])
	return buf[:start+h+int(n)]
}

func (rf *runFile) writeOut(b []byte) error {
	if _, err := rf.f.Write(b); err != nil {
		return fmt.Errorf("spill events to disk: %w", err)
	}
	rf.size += int64(len(b))
	return nil
}

func (r *runs) close() error {
	var errs []error
	for _, rf := range r.files {
		errs = append(errs, rf.f.Close())
		if rf.name != "" {
			if err := os.Remove(rf.name); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	r.files = nil
	return errors.Join(errs...)
}

// merge calls fn for every event of every run in order. Each disk run is
// read and decoded ahead by a goroutine of its own, in batches, so the
// merge itself (on the caller's goroutine, with fn) only compares and
// hands events on: on two cores, decoding overlaps printing.
//
// An event stays valid through the call for the event after it too, so fn
// may compare an event with the one before without copying it: a batch
// the merge has moved past is let go only after the next call.
func (r *runs) merge(fn func(ev *debrief.Event, h Hold) error) error {
	if len(r.files) == 0 {
		for _, ev := range r.tail {
			if err := fn(ev, Hold{}); err != nil {
				return err
			}
		}
		return nil
	}
	done := make(chan struct{})
	defer close(done) // stops the decoders when the merge ends early
	h := make(mergeHeap, 0, len(r.files)+1)
	for _, rf := range r.files {
		c := &cursor{batches: make(chan *batch, 1), free: make(chan *batch, freeBatches)}
		c.free <- &batch{free: c.free, poison: r.poison}
		c.free <- &batch{free: c.free, poison: r.poison}
		go r.decodeRun(rf, c.batches, c.free, done)
		if ok, err := c.next(); err != nil {
			return err
		} else if ok {
			h = append(h, c)
		}
	}
	if len(r.tail) > 0 {
		c := &cursor{mem: r.tail}
		c.next()
		h = append(h, c)
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	var past *batch // the batch of the last event handed out, when done with
	for len(h) > 0 {
		c := h[0]
		if err := fn(c.ev, Hold{c.cur}); err != nil {
			return err
		}
		if past != nil {
			past.release()
			past = nil
		}
		ok, err := c.next()
		if err != nil {
			return err
		}
		if c.past != nil {
			past, c.past = c.past, nil
		}
		if !ok {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		h.down(0)
	}
	if past != nil {
		past.release()
	}
	return nil
}

// batch is a run of decoded events. Their strings point into data, so a
// batch is reused only once the merge has moved past all of its events and
// nothing holds it (see Hold).
type batch struct {
	evs  []debrief.Event
	data []byte
	err  error
	// refs counts the batch's holders: the merge's cursor while its events
	// are being handed out, and consumers that keep events past the call.
	// The last to let go returns it to free, its decoder's.
	refs atomic.Int32
	free chan *batch
	// poison (tests) overwrites the strings' bytes when the last holder
	// lets go, so that a use after release shows at once.
	poison bool
	// The moments of the batch's events and their reasons, kept for the
	// batch's next use: two allocations fewer per flagged event.
	moments []debrief.Moment
	reasons debrief.Reasons
}

// reuse readies b for its next events.
func (b *batch) reuse() {
	b.evs, b.data, b.moments, b.reasons, b.err = b.evs[:0], b.data[:0], b.moments[:0], b.reasons[:0], nil
}

// freeBatches is how many released batches a decoder keeps for reuse.
const freeBatches = 8

// release drops one hold on b; the last returns it to its decoder.
func (b *batch) release() {
	if b.refs.Add(-1) == 0 {
		if b.poison {
			for i := range b.data {
				b.data[i] = 0xa5 // what a recycled batch could hold by now
			}
		}
		select {
		case b.free <- b:
		default: // the decoder has enough: left to the collector
		}
	}
}

// Hold keeps an event that EachHeld hands out valid after the call, so that
// a consumer can pass it to another goroutine instead of copying it: the
// events of one decoded batch share a Hold. The zero Hold is of events that
// stay valid anyway (those never spilled).
type Hold struct{ b *batch }

// Retain keeps the events of h valid until a matching Release. It is called
// during the call that handed the event out.
func (h Hold) Retain() {
	if h.b != nil {
		h.b.refs.Add(1)
	}
}

// Release ends one Retain; it may be called from any goroutine.
func (h Hold) Release() {
	if h.b != nil {
		h.b.release()
	}
}

// batchEvents is how many events a decoder hands over at once.
const batchEvents = 256

// decodeRun reads one run file and sends its events in batches; it closes
// out at the end (an error travels in the last batch).
func (r *runs) decodeRun(rf *runFile, out chan<- *batch, free chan *batch, done <-chan struct{}) {
	defer close(out)
	br := bufio.NewReaderSize(io.NewSectionReader(rf.f, 0, rf.size), 256<<10)
	for {
		var b *batch
		select {
		case b = <-free:
		case <-done:
			return
		default:
			// Every batch is held: a new one. The merge takes one batch
			// at a time from out, which bounds how far the decoder runs
			// ahead; consumers hold only the few hundred events they have
			// in flight.
			b = &batch{free: free, poison: r.poison}
		}
		b.reuse()
		b.refs.Store(1) // the cursor's
		for len(b.evs) < batchEvents {
			n, err := binary.ReadUvarint(br)
			if err == io.EOF {
				break
			}
			if err == nil && n > maxRecord {
				err = errCorruptRun
			}
			// The record is read straight into data, where it stays, so
			// the event's strings can point into it.
			start := len(b.data)
			if err == nil && uint64(cap(b.data)-start) < n {
				// A new buffer: events already decoded keep the old one.
				b.data = make([]byte, 0, max(2*cap(b.data), int(n), 64<<10))
				start = 0
			}
			if err == nil {
				b.data = b.data[:start+int(n)]
				_, err = io.ReadFull(br, b.data[start:])
			}
			if err != nil {
				b.err = fmt.Errorf("read spilled events: %w", err)
				break
			}
			b.evs = append(b.evs, debrief.Event{})
			ev := &b.evs[len(b.evs)-1]
			if err := r.decodeEvent(b.data[start:], ev, b); err != nil {
				b.err = err
				break
			}
		}
		if len(b.evs) == 0 && b.err == nil {
			return // end of the run
		}
		select {
		case out <- b:
		case <-done:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// maxRecord bounds one spilled record: a larger length means corruption.
const maxRecord = 1 << 30

// cursor reads one run: a disk run through its decoder's batches, or the
// in-memory tail.
type cursor struct {
	batches chan *batch
	free    chan *batch
	cur     *batch
	i       int
	ev      *debrief.Event
	t       int64 // ev.Time.UnixNano(), compared first
	mem     []*debrief.Event
	past    *batch // cur when next moved past it, for the merge to release
}

func (c *cursor) next() (bool, error) {
	if c.batches == nil {
		if len(c.mem) == 0 {
			return false, nil
		}
		c.ev, c.mem = c.mem[0], c.mem[1:]
		c.t = c.ev.Time.UnixNano()
		return true, nil
	}
	if c.cur != nil && c.i < len(c.cur.evs) {
		c.ev = &c.cur.evs[c.i]
		c.t = c.ev.Time.UnixNano()
		c.i++
		return true, nil
	}
	if c.cur != nil {
		c.past, c.cur = c.cur, nil // the merge is past all of its events
	}
	b, ok := <-c.batches
	if !ok {
		return false, nil
	}
	if b.err != nil {
		return false, b.err // a run that went bad, even part way, is refused
	}
	c.cur, c.i = b, 1
	c.ev = &b.evs[0]
	c.t = c.ev.Time.UnixNano()
	return true, nil
}

// mergeHeap orders the cursors by their current events, the first at 0.
// It is container/heap's algorithm written out for cursors: the merge
// moves the top once for every event, and the interface calls of
// container/heap were most of that.
type mergeHeap []*cursor

// before reports whether a's event comes before b's.
func before(a, b *cursor) bool {
	if a.t != b.t {
		return a.t < b.t
	}
	return compareEvents(a.ev, b.ev) < 0
}

// down moves h[i] down to its place.
func (h mergeHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && before(h[r], h[l]) {
			m = r
		}
		if !before(h[m], h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

const (
	flagBot = 1 << iota
	flagImpact
)

func (r *runs) encodeEvent(b []byte, ev *debrief.Event) []byte {
	b = binary.AppendVarint(b, ev.Time.UnixNano())
	var edited int64
	if !ev.Edited.IsZero() {
		edited = ev.Edited.UnixNano()
	}
	b = binary.AppendVarint(b, edited)
	var flags byte
	if ev.Bot {
		flags |= flagBot
	}
	if ev.Impact {
		flags |= flagImpact
	}
	b = append(b, flags)
	for _, s := range [...]string{string(ev.Source), string(ev.Kind), ev.Actor, ev.Channel, ev.Input} {
		b = r.name(b, s)
	}
	for _, s := range [...]string{ev.ID, ev.Text, ev.Ref, ev.Thread} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(ev.Moments)))
	for _, m := range ev.Moments {
		b = r.name(b, string(m))
		// Reasons repeat ("alert resolved", a rule and its words): names.
		b = r.name(b, ev.Why.Of(m))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errCorruptRun = errors.New("read spilled events: corrupt run file")

// decodeEvent decodes one record into ev, its moments and why map from
// bt's pools when bt is not nil.
func (r *runs) decodeEvent(b []byte, ev *debrief.Event, bt *batch) error {
	d := decoder{b: b, names: r.names}
	ev.Time = time.Unix(0, d.varint()).UTC()
	if e := d.varint(); e != 0 {
		ev.Edited = time.Unix(0, e).UTC()
	}
	flags := d.byte()
	ev.Bot = flags&flagBot != 0
	ev.Impact = flags&flagImpact != 0
	ev.Source = debrief.Source(d.name())
	ev.Kind = debrief.Kind(d.name())
	ev.Actor = d.name()
	ev.Channel = d.name()
	ev.Input = d.name()
	ev.ID = d.str()
	ev.Text = d.str()
	ev.Ref = d.str()
	ev.Thread = d.str()
	n := d.uvarint()
	if n > 0 && d.err == nil && bt != nil && n <= uint64(len(d.b)) {
		start := len(bt.moments)
		for i := uint64(0); i < n && d.err == nil; i++ {
			m := debrief.Moment(d.name())
			why := d.name()
			if !slices.Contains(bt.moments[start:], m) {
				bt.moments = append(bt.moments, m)
				bt.reasons = append(bt.reasons, debrief.Reason{Moment: m, Text: why})
			}
		}
		// Capped: an append by the reader copies instead of writing into
		// the next event's moments.
		end := len(bt.moments)
		ev.Moments = bt.moments[start:end:end]
		ev.Why = bt.reasons[start:end:end]
		return d.err
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		m := debrief.Moment(d.name())
		ev.Flag(m, d.name())
	}
	return d.err
}

type decoder struct {
	b     []byte
	names []string
	err   error
}

// name reads a table reference or an inline string (cloned: names are
// kept, as map keys and in summaries).
func (d *decoder) name() string {
	i := d.uvarint()
	if i == 0 {
		return strings.Clone(d.str())
	}
	if i > uint64(len(d.names)) {
		d.err = errCorruptRun
		return ""
	}
	return d.names[i-1]
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorruptRun
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if len(d.b) > 0 && d.b[0] < 0x80 {
		// One byte: name indexes, most lengths. A third of decoding was
		// the general loop for these.
		v := uint64(d.b[0])
		d.b = d.b[1:]
		return v
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorruptRun
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = errCorruptRun
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// str returns a string sharing memory with the record buffer: valid until
// the cursor reads its next record. Anything kept longer is cloned.
func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errCorruptRun
		return ""
	}
	s := d.b[:n]
	d.b = d.b[n:]
	if n == 0 {
		return ""
	}
	return unsafe.String(&s[0], len(s))
}
