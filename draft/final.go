package draft

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/debriefhq/debrief"
)

// Record is what a retro produced, as the store keeps it: the material of
// the postmortem written after the meeting ("doc finalised and shared
// within a few days, while it is fresh").
type Record struct {
	Incident *debrief.Incident
	// Meeting is the retro meeting (the latest), nil if none was held.
	Meeting *debrief.Meeting
	// Moments are the timeline's flagged events, curated (hidden ones
	// left out), in time order.
	Moments     []*debrief.StoredEvent
	Factors     []*debrief.Factor
	Actions     []*debrief.ActionItem
	Recurrences []*debrief.Recurrence
	// Zone is the zone times are shown in (UTC when nil); Now dates the
	// document.
	Zone *time.Location
	Now  time.Time
}

var finalTemplate = template.Must(template.New("postmortem.tmpl").Funcs(markdownFuncs).Funcs(template.FuncMap{
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"title": func(p debrief.MeetingPhase) string { return p.Title() },
	"mins":  func(d time.Duration) string { return d.Round(time.Minute).String() },
	// mdjoin escapes each of a list's items (tags, moment names) and joins
	// them.
	"mdjoin": func(vs []string, sep string) string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = mdEscape(v)
		}
		return strings.Join(out, sep)
	},
}).ParseFS(builtin, "templates/postmortem.tmpl"))

// finalDoc is what the final template sees.
type finalDoc struct {
	Record
	Started, Ended, Retro, Facilitator, Zone string
	Entries                                  []finalEntry
	Phases                                   []finalPhase
	Open, High                               int
}

type finalEntry struct {
	Time, Source, Actor, Text, Annotation string
	Moments                               []string
}

type finalPhase struct {
	Title         string
	Budget, Spent time.Duration
	Over          bool
}

// Final writes the postmortem of a retro as markdown: the incident, the
// timeline's moments, the contributing factors (with the earlier
// incidents that had them), what went well and the action items with
// their owners, dates and tracking, and how the meeting's hour was spent.
// Everything from people and inputs is escaped, so the document reads the
// same in any markdown renderer, and it passes `debrief lint` when its
// factors and items do.
func Final(w io.Writer, r Record) error {
	zone := r.Zone
	if zone == nil {
		zone = time.UTC
	}
	d := finalDoc{Record: r, Zone: zone.String()}
	inc := r.Incident
	if !inc.StartedAt.IsZero() {
		d.Started = inc.StartedAt.In(zone).Format("2006-01-02 15:04 MST")
	}
	if !inc.EndedAt.IsZero() {
		d.Ended = inc.EndedAt.In(zone).Format("2006-01-02 15:04 MST")
	}
	d.Facilitator = inc.Facilitator
	if m := r.Meeting; m != nil {
		if m.Facilitator != "" {
			d.Facilitator = m.Facilitator
		}
		if start := m.StartedAt(); !start.IsZero() {
			d.Retro = start.In(zone).Format("2006-01-02 15:04 MST")
		}
		spent := m.Spent(r.Now)
		for _, a := range debrief.Agenda {
			budget := time.Duration(a.Minutes) * time.Minute
			d.Phases = append(d.Phases, finalPhase{Title: a.Phase.Title(), Budget: budget, Spent: spent[a.Phase], Over: spent[a.Phase] > budget})
		}
	}
	moments := slices.Clone(r.Moments)
	slices.SortStableFunc(moments, func(a, b *debrief.StoredEvent) int { return a.Time.Compare(b.Time) })
	for _, ev := range moments {
		e := finalEntry{Time: ev.Time.In(zone).Format("15:04:05"), Source: string(ev.Source), Actor: ev.Actor,
			Text: short(ev.Text, 300), Annotation: ev.Annotation}
		for _, m := range ev.Moments {
			e.Moments = append(e.Moments, strings.ReplaceAll(string(m), "_", " "))
		}
		d.Entries = append(d.Entries, e)
	}
	for _, a := range r.Actions {
		if a.State == debrief.ActionOpen || a.State == debrief.ActionBlocked {
			d.Open++
		}
		if a.Priority == debrief.PriorityHigh {
			d.High++
		}
	}
	var buf bytes.Buffer
	if err := finalTemplate.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(tidy(buf.Bytes()))
	return err
}

// Gather reads an incident's retro from the store: its latest meeting, the
// flagged moments of its timeline (hidden events left out), its factors
// with their recurrences among the incidents visible returns, and its
// action items (dropped ones too: the document says why).
func Gather(ctx context.Context, st debrief.Store, inc *debrief.Incident, visible func(context.Context, string) (*debrief.Incident, error)) (Record, error) {
	r := Record{Incident: inc, Now: time.Now().UTC()}
	ms, err := st.Meetings(ctx, inc.ID)
	if err != nil {
		return r, err
	}
	if len(ms) > 0 {
		r.Meeting = ms[len(ms)-1]
	}
	if r.Moments, err = Moments(ctx, st, inc.ID); err != nil {
		return r, err
	}
	if r.Factors, err = st.Factors(ctx, inc.ID); err != nil {
		return r, err
	}
	if r.Recurrences, err = debrief.RecurrencesOf(ctx, st, inc, r.Factors, visible); err != nil {
		return r, err
	}
	r.Actions, err = st.Actions(ctx, debrief.ActionFilter{IncidentID: inc.ID})
	return r, err
}

// Moments are the incident's stored events flagged with a moment (at most
// 100 of each kind), hidden ones left out, in time order: the stops of the
// timeline walk.
func Moments(ctx context.Context, st debrief.Store, incidentID string) ([]*debrief.StoredEvent, error) {
	var out []*debrief.StoredEvent
	seen := map[string]bool{}
	for _, mo := range debrief.Moments {
		evs, err := st.Events(ctx, incidentID, debrief.EventFilter{Moment: mo, Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			if !seen[ev.ID] {
				seen[ev.ID] = true
				out = append(out, ev)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *debrief.StoredEvent) int { return a.Time.Compare(b.Time) })
	return out, nil
}
