package web

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// broker holds one watch on the store for the whole server and fans its
// changes out to the pages that listen (Server-Sent Events), so a thousand
// open pages cost one LISTEN connection.
type broker struct {
	mu      sync.Mutex
	subs    map[chan string]struct{}
	running bool
	stop    context.CancelFunc
	ctx     context.Context
}

// Close stops watching the store and ends the open event streams (an
// http.Server's Shutdown waits for them otherwise); call it before closing
// the store.
func (s *Server) Close() {
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	if s.live.stop != nil {
		s.live.stop()
	}
	s.live.running = true // never start again
	s.closeOnce.Do(func() { close(s.closing) })
}

func (s *Server) subscribe() (chan string, func()) {
	b := &s.live
	ch := make(chan string, 16)
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[chan string]struct{}{}
	}
	b.subs[ch] = struct{}{}
	if !b.running {
		b.running = true
		b.ctx, b.stop = context.WithCancel(context.Background())
		go s.watch(b.ctx)
	}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}
}

// watch reads the store's changes and hands them to every subscriber;
// when the watch ends (a lost connection) it starts again.
func (s *Server) watch(parent context.Context) {
	for parent.Err() == nil {
		ctx, cancel := context.WithCancel(parent)
		ch, err := s.store.Watch(ctx)
		if err == nil {
			for id := range ch {
				s.live.mu.Lock()
				for sub := range s.live.subs {
					select {
					case sub <- id:
					default:
					}
				}
				s.live.mu.Unlock()
			}
		} else if parent.Err() == nil {
			s.opt.Log.Warn("watching for changes failed; retrying", "err", err)
		}
		cancel()
		select {
		case <-parent.Done():
		case <-time.After(time.Second):
		}
	}
}

// stream is the event stream of one incident's page: "change" whenever
// any instance changes the incident, and a comment every 20 s to keep
// proxies from closing it.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("streaming is not supported by this connection")
	}
	ch, stop := s.subscribe()
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": listening\n\n")
	fl.Flush()
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case id := <-ch:
			if id == inc.ID {
				fmt.Fprintf(w, "event: change\ndata: %s\n\n", id)
				fl.Flush()
			}
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		case <-r.Context().Done():
			return nil
		case <-s.closing:
			return nil // the server is shutting down: pages reconnect elsewhere
		}
	}
}
