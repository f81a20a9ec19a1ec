// Package timeline merges events from every input into one chronological,
// redacted timeline and notices what a facilitator needs: the moments that
// matter, stalls in human activity and the incident's metrics.
//
// Building is streaming: parsers emit events concurrently into a Builder,
// which redacts them, flags text moments, and keeps them in sorted runs that
// spill to disk past a memory budget. Finish merges the runs once to analyse
// the incident; Each merges them again to print. Memory stays flat however
// large the input.
package timeline

import (
	"time"

	"github.com/debriefhq/debrief"
)

// Redactor removes secrets from text. redact.Redactor implements it.
type Redactor interface {
	Redact(s string) (string, int)
}

// Options configure a build.
type Options struct {
	// From and To bound the timeline; zero means automatic: the span of the
	// incident's chat, alerts and pages, padded by Pad on both sides.
	From, To time.Time
	// Pad widens the automatic window (default 30 minutes).
	Pad time.Duration
	// StallAfter is the gap in human activity that counts as a stall
	// (default 10 minutes).
	StallAfter time.Duration
	// People joins handles across sources; may be nil.
	People *PeopleFile
	// Redactor scrubs secrets from every text; nil means no redaction (tests).
	Redactor Redactor
	// MemoryBudget is how many bytes of events are held before a sorted run
	// is written to TempDir (default 32 MiB).
	MemoryBudget int
	// TempDir holds spilled runs (default os.TempDir()).
	TempDir string
}

// Window is the time span the timeline covers.
type Window struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Auto is true when the window was derived from the inputs.
	Auto bool `json:"auto"`
}

// Stall is a gap in human activity while the incident was open.
type Stall struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Seconds int64     `json:"seconds"`
	// After is the id of the last human event before the gap.
	After string `json:"after,omitempty"`
}

// Metrics are the incident's key times and the durations between them. A
// zero time means the timeline holds no evidence of it.
type Metrics struct {
	FirstSignalAt    time.Time `json:"first_signal_at,omitzero"`
	DetectedAt       time.Time `json:"detected_at,omitzero"`
	AcknowledgedAt   time.Time `json:"acknowledged_at,omitzero"`
	MitigatedAt      time.Time `json:"mitigated_at,omitzero"`
	ResolvedAt       time.Time `json:"resolved_at,omitzero"`
	TimeToDetect     int64     `json:"time_to_detect_s"`
	TimeToAcknowlege int64     `json:"time_to_acknowledge_s"`
	TimeToMitigate   int64     `json:"time_to_mitigate_s"`
	TimeToResolve    int64     `json:"time_to_resolve_s"`
	// DetectionGap is how long people saw impact before any alert or page
	// (seconds); it is the missing signal.
	DetectionGap int64 `json:"detection_gap_s"`
}

// SourceCount says how many events one input contributed, and how many it
// left outside the window.
type SourceCount struct {
	Input   string         `json:"input"`
	Format  string         `json:"format"`
	Source  debrief.Source `json:"source"`
	Events  int            `json:"events"`
	Omitted int            `json:"omitted"`
}

// Timeline is a built timeline. Its events are read with Each (possibly
// several times); everything else is in memory.
type Timeline struct {
	Window       Window           `json:"window"`
	Metrics      Metrics          `json:"metrics"`
	Participants []debrief.Person `json:"participants"`
	Stalls       []Stall          `json:"stalls"`
	Redactions   int              `json:"redactions"`
	Events       int              `json:"event_count"`
	Omitted      int              `json:"omitted"`
	Duplicates   int              `json:"duplicates"`
	Skipped      int              `json:"skipped"`
	Sources      []debrief.Source `json:"sources"`
	Notes        []string         `json:"notes,omitempty"`
	// Moments counts flagged moments by kind.
	Moments map[debrief.Moment]int `json:"moments"`

	store      *runs
	an         *analysis
	stallAfter time.Duration
	analyzed   bool
}

// Each calls fn for every event in the window, in order, with IDs, actors
// joined into people and every moment flagged. The event is only valid during
// the call. The first complete walk also fills in the summary, so a
// streaming output (JSON lines) reads the events once.
func (t *Timeline) Each(fn func(ev *debrief.Event) error) error {
	return t.EachHeld(func(ev *debrief.Event, _ Hold) error { return fn(ev) })
}

// EachHeld is Each for a consumer that keeps events past the call (to
// encode them on other goroutines): h.Retain keeps ev, and the rest of its
// batch, valid until h.Release. Between them nothing may change the event.
func (t *Timeline) EachHeld(fn func(ev *debrief.Event, h Hold) error) error {
	p := t.an.newPass()
	var st *stats
	if !t.analyzed {
		st = newStats(t.stallAfter, len(t.an.ids.people))
	}
	err := t.store.merge(func(ev *debrief.Event, h Hold) error {
		if !p.keep(ev) {
			if st != nil && t.an.outside(ev) {
				st.omit(ev)
			}
			return nil
		}
		who := p.annotate(ev)
		if st != nil {
			st.add(t, ev, who)
		}
		return fn(ev, h)
	})
	if err == nil && st != nil {
		t.Duplicates = p.duplicates
		st.finish(t, t.an.ids)
		t.analyzed = true
	}
	return err
}

// Analyze fills in the summary (metrics, stalls, participants, notes) with a
// walk over the events, unless a walk already did.
func (t *Timeline) Analyze() error {
	if t.analyzed {
		return nil
	}
	return t.Each(func(*debrief.Event) error { return nil })
}

// Close removes spilled runs.
func (t *Timeline) Close() error { return t.store.close() }
