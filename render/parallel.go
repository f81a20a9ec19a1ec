package render

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/debriefhq/debrief"
)

// lineRenderer encodes events as lines on every core while the timeline's
// merge hands them over in order: the merge is one goroutine, and encoding
// on that goroutine made it the slowest stage of printing a large
// timeline. Events are copied into batches (their strings into the batch's
// arena, since an event is only valid during the walk's call), batches are
// encoded by workers and written in their order by one writer.
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
	evs   []debrief.Event
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
	clear(b.evs) // drop references to the last events' strings
	b.evs, b.arena, b.out, b.moments, b.reasons = b.evs[:0], b.arena[:0], b.out[:0], b.moments[:0], b.reasons[:0]
	b.ready = make(chan struct{})
	return b
}

// add copies ev into the current batch; it fails once a write failed, to
// stop the walk.
func (r *lineRenderer) add(ev *debrief.Event) error {
	if r.failed.Load() {
		return r.err // set before failed, so this read sees it
	}
	b := r.cur
	b.evs = append(b.evs, *ev)
	c := &b.evs[len(b.evs)-1]
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
		for i := range b.evs {
			b.out = r.encode(b.out, &b.evs[i])
			b.out = append(b.out, '\n')
		}
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
