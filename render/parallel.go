package render

import (
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// lineRenderer encodes events as lines on every core while the timeline's
// merge hands them over in order: the merge is one goroutine, and encoding
// on that goroutine made it the slowest stage of printing a large
// timeline. Events are gathered in batches, batches are encoded by workers
// and written in their order by one writer.
//
// The walk's events are kept, not copied: each comes with a Hold on its
// decoded batch (see timeline.EachHeld), retained until the batch of lines
// is encoded. Copying every event and its strings had been half of the
// merge goroutine's time, the stage printing waits on.
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
	out   []byte
	ready chan struct{}
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
	b.evs, b.out = b.evs[:0], b.out[:0]
	b.ready = make(chan struct{})
	return b
}

// add takes ev, which stays valid while h is retained, into the current
// batch; it fails once a write failed, to stop the walk.
func (r *lineRenderer) add(ev *debrief.Event, h timeline.Hold) error {
	if r.failed.Load() {
		return r.err // set before failed, so this read sees it
	}
	b := r.cur
	// Consecutive events come from a few dozen runs' batches, taken in
	// turn: retain each once per line batch. The zero Hold (events never
	// spilled) needs none.
	if h != (timeline.Hold{}) && !slices.Contains(b.held, h) {
		h.Retain()
		b.held = append(b.held, h)
	}
	b.evs = append(b.evs, ev)
	if len(b.evs) == lineBatchEvents {
		r.flush()
	}
	return nil
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
