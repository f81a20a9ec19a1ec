package web

import (
	"bytes"
	"net/http"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/render"
	"github.com/debriefhq/debrief/timeline"
)

// picture serves the incident's timeline as the same SVG picture `debrief
// timeline --format svg` draws: a lane per source, moments marked, metrics
// labelled (from the stored, curated events; hidden ones left out).
func (s *Server) picture(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	evs, err := s.store.Events(r.Context(), inc.ID, debrief.EventFilter{})
	if err != nil {
		return err
	}
	p := render.Pictured{Each: func(fn func(*debrief.Event) error) error {
		for _, e := range evs {
			ev := e.Event
			if err := fn(&ev); err != nil {
				return err
			}
		}
		return nil
	}}
	seen := map[debrief.Source]bool{}
	for _, e := range evs {
		if !seen[e.Source] {
			seen[e.Source] = true
			p.Sources = append(p.Sources, e.Source)
		}
	}
	if len(evs) > 0 {
		p.Window = timeline.Window{From: evs[0].Time, To: evs[len(evs)-1].Time}
		p.Metrics = metricsOf(evs)
	}
	var buf bytes.Buffer
	if err := render.Picture(&buf, p, render.Options{Title: inc.Title}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=5")
	_, err = w.Write(buf.Bytes())
	return err
}

// metricsOf reads the key times off the stored events' moments and kinds.
func metricsOf(evs []*debrief.StoredEvent) timeline.Metrics {
	var m timeline.Metrics
	first := func(t *time.Time, at time.Time) {
		if t.IsZero() {
			*t = at
		}
	}
	for _, e := range evs {
		switch {
		case e.Has(debrief.MomentDetection):
			first(&m.DetectedAt, e.Time)
		case e.Kind == debrief.KindPageAcknowledged:
			first(&m.AcknowledgedAt, e.Time)
		}
		if e.Has(debrief.MomentMissingSignal) || e.Has(debrief.MomentDetection) {
			first(&m.FirstSignalAt, e.Time)
		}
		if e.Has(debrief.MomentMitigation) {
			first(&m.MitigatedAt, e.Time)
		}
		if e.Has(debrief.MomentResolution) {
			m.ResolvedAt = e.Time
		}
	}
	secs := func(a, b time.Time) int64 {
		if a.IsZero() || b.IsZero() {
			return 0
		}
		return int64(b.Sub(a).Seconds())
	}
	m.TimeToDetect = secs(m.FirstSignalAt, m.DetectedAt)
	m.TimeToAcknowlege = secs(m.DetectedAt, m.AcknowledgedAt)
	m.TimeToMitigate = secs(m.FirstSignalAt, m.MitigatedAt)
	m.TimeToResolve = secs(m.FirstSignalAt, m.ResolvedAt)
	return m
}
