package render

import (
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// lineRenderer encodes events as lines on every core while the timeline's
// merge hands them over in order: the merge is one goroutine, and encoding
// on that goroutine made it the slowest stage of printing a large
// timeline. Events are gathered in batches, batches are encoded by workers
// and written in their order by one writer.
//
// An event handed out with a Hold (see timeline.EachHeld) is kept by
// retaining it until its batch is encoded; one handed out without (add) is
// copied, its strings into the batch's arena. The copy was half of the
// merge goroutine's time, which is the stage printing waits on.
type lineRenderer struct {
	w      io.Writer
	encode func(b []byte, ev *debrief.Event) []byte
	cur    *lineBatch
	work   chan *lineBatch
	order  chan *lineBatch
	free   chan *lineBatch
	wg     sync.WaitGroup
	done   chan struct{}
	failed atomic.Bool
	err    error // the first write error, set by the writer before done
}

type lineBatch struct {
	evs   []*debrief.Event
	held  []timeline.Hold // retained for evs, released once encoded
	own   []debrief.Event // copies of events that add could not hold
	arena []byte
	out   []byte
	ready chan struct{}
	// Moments and reasons of the events, kept for the next use.
	moments []debrief.Moment
	reasons debrief.Reasons
}

// lineBatchEvents is how many events a batch holds: large enough that the
// hand-overs cost nothing next to encoding, small enough that the workers
// start early and memory stays small.
const lineBatchEvents = 512

func newLineRenderer(w io.Writer, encode func(b []byte, ev *debrief.Event) []byte) *lineRenderer {
	workers := max(runtime.GOMAXPROCS(0), 1)
	n := 2*workers + 2 // batches in flight: being filled, encoded, waiting to be written
	r := &lineRenderer{w: w, encode: encode, work: make(chan *lineBatch, n), order: make(chan *lineBatch, n),
		free: make(chan *lineBatch, n), done: make(chan struct{})}
	for range n {
		r.free <- &lineBatch{}
	}
	r.cur = r.take()
	r.wg.Add(workers)
	for range workers {
		go r.worker()
	}
	go r.writer()
	return r
}

func (r *lineRenderer) take() *lineBatch {
	b := <-r.free
	clear(b.evs) // drop references to the last events
	clear(b.own)
	b.evs, b.own, b.arena, b.out, b.moments, b.reasons = b.evs[:0], b.own[:0], b.arena[:0], b.out[:0], b.moments[:0], b.reasons[:0]
	b.ready = make(chan struct{})
	return b
}

// addHeld takes ev, which stays valid while h is retained, into the
// current batch; it fails once a write failed, to stop the walk.
func (r *lineRenderer) addHeld(ev *debrief.Event, h timeline.Hold) error {
	if h == (timeline.Hold{}) {
		return r.add(ev) // valid anyway; copied all the same, as cheap to keep simple
	}
	if r.failed.Load() {
		return r.err // set before failed, so this read sees it
	}
	b := r.cur
	// Consecutive events come from a few dozen runs' batches, taken in
	// turn: retain each once per line batch.
	if !slices.Contains(b.held, h) {
		h.Retain()
		b.held = append(b.held, h)
	}
	b.evs = append(b.evs, ev)
	if len(b.evs) == lineBatchEvents {
		r.flush()
	}
	return nil
}

// add copies ev into the current batch; it fails once a write failed, to
// stop the walk.
func (r *lineRenderer) add(ev *debrief.Event) error {
	if r.failed.Load() {
		return r.err // set before failed, so this read sees it
	}
	b := r.cur
	if len(b.own) == cap(b.own) {
		// Events already added point into own: a new array, not a grown one.
		b.own = make([]debrief.Event, 0, lineBatchEvents)
	}
	b.own = append(b.own, *ev)
	c := &b.own[len(b.own)-1]
	c.ID, c.Actor, c.Channel, c.Text = b.keep(c.ID), b.keep(c.Actor), b.keep(c.Channel), b.keep(c.Text)
	c.Ref, c.Thread, c.Input = b.keep(c.Ref), b.keep(c.Thread), b.keep(c.Input)
	c.Source, c.Kind = debrief.Source(b.keep(string(c.Source))), debrief.Kind(b.keep(string(c.Kind)))
	c.Moments, c.Why = nil, nil
	if len(ev.Moments) > 0 {
		start := len(b.moments)
		b.moments = append(b.moments, ev.Moments...)
		c.Moments = b.moments[start:len(b.moments):len(b.moments)]
		start = len(b.reasons)
		for _, r := range ev.Why {
			b.reasons = append(b.reasons, debrief.Reason{Moment: debrief.Moment(b.keep(string(r.Moment))), Text: b.keep(r.Text)})
		}
		c.Why = b.reasons[start:len(b.reasons):len(b.reasons)]
	}
	b.evs = append(b.evs, c)
	if len(b.evs) == lineBatchEvents {
		r.flush()
	}
	return nil
}

// keep copies s into the arena. Growing the arena leaves strings already
// made pointing into the old array, which stays alive with them.
func (b *lineBatch) keep(s string) string {
	if s == "" {
		return ""
	}
	start := len(b.arena)
	b.arena = append(b.arena, s...)
	return unsafe.String(&b.arena[start], len(s))
}

func (r *lineRenderer) flush() {
	b := r.cur
	r.order <- b
	r.work <- b
	r.cur = r.take()
}

func (r *lineRenderer) worker() {
	defer r.wg.Done()
	for b := range r.work {
		for _, ev := range b.evs {
			b.out = r.encode(b.out, ev)
			b.out = append(b.out, '\n')
		}
		for _, h := range b.held {
			h.Release()
		}
		clear(b.held)
		b.held = b.held[:0]
		close(b.ready)
	}
}

func (r *lineRenderer) writer() {
	defer close(r.done)
	for b := range r.order {
		<-b.ready
		if r.err == nil {
			if _, err := r.w.Write(b.out); err != nil {
				r.err = err
				r.failed.Store(true)
			}
		}
		r.free <- b
	}
}

// close writes what is left and reports the first write error.
func (r *lineRenderer) close() error {
	if len(r.cur.evs) > 0 {
		r.flush()
	}
	close(r.work)
	close(r.order)
	r.wg.Wait()
	<-r.done
	return r.err
}
