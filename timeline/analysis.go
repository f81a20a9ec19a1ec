package timeline

import (
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
)

// analysis is what one pass over the merged events established, shared by
// every later pass so that all of them flag the same moments.
type analysis struct {
	window Window
	ids    *identities
}

// pass holds the order-dependent state of one walk over the events.
type pass struct {
	an         *analysis
	prevTime   time.Time
	prevSource debrief.Source
	// prevRef is the previous event's, not copied: the merge keeps an
	// event valid through the call for the next (a copy was 2% of a large
	// timeline's CPU, the merge goroutine reading every ref afresh).
	prevRef    string
	alerted    bool // an alert fired or a page triggered
	duplicates int
}

func (an *analysis) newPass() *pass { return &pass{an: an} }

// keep reports whether ev is inside the window and not a duplicate of the
// event before it (the same record ingested twice, or an alert in two files).
func (p *pass) keep(ev *debrief.Event) bool {
	w := p.an.window
	if !w.From.IsZero() && ev.Time.Before(w.From) || !w.To.IsZero() && ev.Time.After(w.To) {
		return false
	}
	dup := ev.Ref != "" && ev.Time.Equal(p.prevTime) && ev.Source == p.prevSource && ev.Ref == p.prevRef
	// A duplicate becomes the one before too: it is the same, and the one
	// it repeats may no longer be valid by the next call.
	p.prevTime, p.prevSource, p.prevRef = ev.Time, ev.Source, ev.Ref
	if dup {
		p.duplicates++
		return false
	}
	return true
}

// annotate gives ev its id and person and flags the moments that depend on
// what came before it.
//
// It returns the index of the actor's person, or -1.
func (p *pass) annotate(ev *debrief.Event) int {
	if ev.ID == "" {
		ev.ID = eventID(ev)
	}
	who := -1
	if i, ok := p.an.ids.byKey[actorKey{ev.Source, ev.Actor}]; ok {
		who = i
		if name := p.an.ids.people[i].Name; name != "" {
			ev.Actor = name
		}
	}
	switch ev.Kind {
	case debrief.KindAlertFiring, debrief.KindPageTriggered:
		if !p.alerted {
			what := "first alert firing"
			if ev.Kind == debrief.KindPageTriggered {
				what = "first page triggered"
			}
			ev.Flag(debrief.MomentDetection, what)
		}
		if ev.Kind == debrief.KindPageTriggered {
			ev.Flag(debrief.MomentEscalation, "on-call paged")
		}
		p.alerted = true
	}
	if ev.Impact && !ev.Bot && !p.alerted && (ev.Kind == debrief.KindMessage || ev.Kind == debrief.KindNote) {
		ev.Flag(debrief.MomentMissingSignal, "impact reported before any alert fired or page triggered")
	}
	return who
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// eventID is stable across runs and machines: a hash of where the event came
// from, so links to an event survive re-ingest. (FNV-1a 64 over the source,
// a NUL and the ref, or the time, actor and text when there is no ref; its
// eight bytes little-endian in base 32, the first ten characters.)
func eventID(ev *debrief.Event) string {
	h := fnvString(fnvOffset, string(ev.Source))
	h = fnvByte(h, 0)
	if ev.Ref != "" {
		h = fnvString(h, ev.Ref)
	} else {
		var num [20]byte
		h = fnvString(h, string(strconv.AppendInt(num[:0], ev.Time.UnixNano(), 10)))
		h = fnvString(fnvByte(h, 0), ev.Actor)
		h = fnvString(fnvByte(h, 0), ev.Text)
	}
	var sum [8]byte
	binary.LittleEndian.PutUint64(sum[:], h)
	var out [1 + 16]byte // "e" and base 32 of 8 bytes (13 characters)
	out[0] = 'e'
	idEncoding.Encode(out[1:], sum[:])
	return string(out[:11])
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// Finish sorts what is left in memory and returns the timeline; its summary
// (metrics, stalls, people) is filled in by Analyze or by the first full
// Each. The builder must not be used afterwards.
func (b *Builder) Finish() (*Timeline, error) {
	tail, redactions, alerts, chat, all, impact := b.drain()
	if err := b.failed(); err != nil {
		b.runs.close()
		return nil, err
	}
	b.runs.tail = tail // merged from memory beside the runs on disk
	b.people.resolve()
	an := &analysis{window: b.window(alerts, chat, all, impact), ids: b.people}
	return &Timeline{Window: an.window, Redactions: redactions, store: b.runs, an: an,
		stallAfter: b.opt.StallAfter, Moments: map[debrief.Moment]int{}}, nil
}

func (an *analysis) outside(ev *debrief.Event) bool {
	w := an.window
	return !w.From.IsZero() && ev.Time.Before(w.From) || !w.To.IsZero() && ev.Time.After(w.To)
}

// impactLookback is how long before the first alert a person's report of
// impact still counts as the start of the same incident.
const impactLookback = 3 * time.Hour

// window is the user's, or else the incident's span padded. The span is
// anchored on alerts and pages when there are any (chat channels such as
// #support hold a whole day of unrelated talk), reaching back to the first
// report of impact up to three hours before them; with no alerts it is the
// span of the chat. Shell histories, Kubernetes events and logs hold months
// of unrelated activity, so they never widen it.
func (b *Builder) window(alerts, chat, all span, impact []int64) Window {
	if !b.opt.From.IsZero() || !b.opt.To.IsZero() {
		return Window{From: b.opt.From.UTC(), To: b.opt.To.UTC()}
	}
	s := alerts
	if !s.from.IsZero() {
		limit := s.from.Add(-impactLookback).UnixNano()
		for _, t := range impact {
			if t >= limit && t < s.from.UnixNano() {
				s.from = time.Unix(0, t).UTC()
				break
			}
		}
	} else {
		s = chat
	}
	if s.from.IsZero() {
		return Window{From: all.from, To: all.to, Auto: true}
	}
	return Window{From: s.from.Add(-b.opt.Pad), To: s.to.Add(b.opt.Pad), Auto: true}
}

// stats accumulates what Finish reports while events stream by.
type stats struct {
	stallAfter  time.Duration
	m           Metrics
	firstImpact time.Time
	lastHuman   time.Time
	lastHumanID idBuf // copied: an event's strings only live during its call
	firstHuman  time.Time
	lastEvent   time.Time
	gaps        []Stall
	pageResolve time.Time
	alertResolv time.Time
	chatResolve time.Time
	perPerson   []int
	sources     map[debrief.Source]bool
	lastSource  debrief.Source // the last added to sources
	omitted     map[string]int
}

// idBuf holds a copy of an event id without allocating for every event.
type idBuf struct {
	b [24]byte
	n int
}

func (b *idBuf) set(id string) { b.n = copy(b.b[:], id) }

func (b *idBuf) String() string { return string(b.b[:b.n]) }

func newStats(stallAfter time.Duration, people int) *stats {
	return &stats{stallAfter: stallAfter, perPerson: make([]int, people),
		sources: map[debrief.Source]bool{}, omitted: map[string]int{}}
}

func (s *stats) omit(ev *debrief.Event) {
	in, _, _ := strings.Cut(ev.Input, ":")
	s.omitted[string(ev.Source)+"\x00"+in]++
}

func (s *stats) add(t *Timeline, ev *debrief.Event, who int) {
	t.Events++
	if ev.Source != s.lastSource { // a map write an event cost as much as the rest
		s.sources[ev.Source] = true
		s.lastSource = ev.Source
	}
	s.lastEvent = ev.Time
	for _, m := range ev.Moments {
		t.Moments[m]++
	}
	if who >= 0 {
		s.perPerson[who]++
	}
	m := &s.m
	switch {
	case ev.Has(debrief.MomentDetection):
		m.DetectedAt = ev.Time
		if m.FirstSignalAt.IsZero() {
			m.FirstSignalAt = ev.Time
		}
	case ev.Impact && !ev.Bot && s.firstImpact.IsZero():
		s.firstImpact = ev.Time
		if m.FirstSignalAt.IsZero() {
			m.FirstSignalAt = ev.Time
		}
	}
	if ev.Kind == debrief.KindPageAcknowledged && m.AcknowledgedAt.IsZero() {
		m.AcknowledgedAt = ev.Time
	}
	open := !m.FirstSignalAt.IsZero()
	if open && m.MitigatedAt.IsZero() && ev.Has(debrief.MomentMitigation) {
		m.MitigatedAt = ev.Time
	}
	switch {
	case ev.Kind == debrief.KindPageResolved:
		s.pageResolve = ev.Time
	case ev.Kind == debrief.KindAlertResolved:
		s.alertResolv = ev.Time
	case open && s.chatResolve.IsZero() && ev.Has(debrief.MomentResolution):
		s.chatResolve = ev.Time
	}
	if ev.Human() {
		if s.firstHuman.IsZero() {
			s.firstHuman = ev.Time
		}
		if !s.lastHuman.IsZero() && ev.Time.Sub(s.lastHuman) >= s.stallAfter {
			s.gaps = append(s.gaps, Stall{From: s.lastHuman, To: ev.Time, After: s.lastHumanID.String()})
		}
		s.lastHuman = ev.Time
		s.lastHumanID.set(ev.ID)
	}
}

func (s *stats) finish(t *Timeline, ids *identities) {
	m := s.m
	switch {
	case !s.pageResolve.IsZero() || !s.alertResolv.IsZero():
		m.ResolvedAt = s.pageResolve
		if s.alertResolv.After(m.ResolvedAt) {
			m.ResolvedAt = s.alertResolv
		}
	default:
		m.ResolvedAt = s.chatResolve
	}
	if !m.ResolvedAt.IsZero() && m.ResolvedAt.Before(m.FirstSignalAt) {
		m.ResolvedAt = time.Time{}
	}
	secs := func(a, b time.Time) int64 {
		if a.IsZero() || b.IsZero() || b.Before(a) {
			return 0
		}
		return int64(b.Sub(a) / time.Second)
	}
	m.TimeToDetect = secs(m.FirstSignalAt, m.DetectedAt)
	m.TimeToAcknowlege = secs(m.DetectedAt, m.AcknowledgedAt)
	m.TimeToMitigate = secs(m.FirstSignalAt, m.MitigatedAt)
	m.TimeToResolve = secs(m.FirstSignalAt, m.ResolvedAt)
	if !s.firstImpact.IsZero() && (m.DetectedAt.IsZero() || s.firstImpact.Before(m.DetectedAt)) {
		m.DetectionGap = secs(s.firstImpact, m.DetectedAt)
	}
	t.Metrics = m
	t.Stalls = s.stalls(m)
	t.Participants = s.participants(ids)
	for src := range s.sources {
		t.Sources = append(t.Sources, src)
	}
	slices.Sort(t.Sources)
	t.Notes = append(t.Notes, s.omittedNotes(t)...)
}

// stalls clips the gaps in human activity to the time the incident was open:
// from the first signal to the resolution (or the last event).
func (s *stats) stalls(m Metrics) []Stall {
	if m.FirstSignalAt.IsZero() {
		return []Stall{}
	}
	end := m.ResolvedAt
	if end.IsZero() {
		end = s.lastEvent
	}
	gaps := s.gaps
	if s.firstHuman.IsZero() || s.firstHuman.After(m.FirstSignalAt) {
		to := s.firstHuman
		if to.IsZero() {
			to = end
		}
		gaps = append([]Stall{{From: m.FirstSignalAt, To: to}}, gaps...)
	}
	if !s.lastHuman.IsZero() && end.After(s.lastHuman) {
		gaps = append(gaps, Stall{From: s.lastHuman, To: end, After: s.lastHumanID.String()})
	}
	out := []Stall{}
	for _, g := range gaps {
		from, to := later(g.From, m.FirstSignalAt), earlier(g.To, end)
		if to.Sub(from) >= s.stallAfter {
			out = append(out, Stall{From: from, To: to, Seconds: int64(to.Sub(from) / time.Second), After: g.After})
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (s *stats) participants(ids *identities) []debrief.Person {
	out := []debrief.Person{}
	for i, p := range ids.people {
		if p.Bot || s.perPerson[i] == 0 {
			continue
		}
		p.Events = s.perPerson[i]
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b debrief.Person) int {
		if a.Events != b.Events {
			return b.Events - a.Events
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func (s *stats) omittedNotes(t *Timeline) []string {
	keys := make([]string, 0, len(s.omitted))
	for k := range s.omitted {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var notes []string
	for _, k := range keys {
		src, in, _ := strings.Cut(k, "\x00")
		n := s.omitted[k]
		t.Omitted += n
		notes = append(notes, fmt.Sprintf("%s: left out %d %s events outside the window %s to %s (widen it with --from/--to)",
			in, n, src, t.Window.From.Format(time.RFC3339), t.Window.To.Format(time.RFC3339)))
	}
	return notes
}
