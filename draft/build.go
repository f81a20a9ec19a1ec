package draft

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/render"
	"github.com/debriefhq/debrief/timeline"
)

// Options describe the retro the draft prepares.
type Options struct {
	Title       string
	Facilitator string // who runs the meeting; should not be the lead
	Lead        string // who led the response
	Severity    string
	// Meeting is when the retro starts; zero leaves the agenda untimed.
	Meeting time.Time
	// Zone shows times; nil is UTC.
	Zone *time.Location
	// Catalog and Services find the service owners and adjacent teams to
	// invite.
	Catalog  *Catalog
	Services []string
	// People adds what a people file knows (emails for the calendar invite).
	People []debrief.Person
}

// MaxEntries bounds the appendix: past it, only flagged entries are listed
// (a draft is for people to read).
const MaxEntries = 5000

// maxInvitees is where an invite list stops being useful.
const maxInvitees = 8

// event is one timeline event as the draft keeps it.
type event struct {
	Entry
	t       time.Time
	kind    debrief.Kind
	source  debrief.Source
	moments []debrief.Moment
	bot     bool
	impact  bool
	human   bool
}

func (e *event) has(m debrief.Moment) bool { return slices.Contains(e.moments, m) }

func (e *event) cite() Cite {
	return Cite{ID: e.ID, Anchor: e.Anchor, Time: e.Time[:5], Source: e.Source}
}

// builder holds what Build has read.
type builder struct {
	opt    Options
	tl     *timeline.Timeline
	zone   *time.Location
	events []*event
	byID   map[string]*event
	doc    *Doc
	total  int
}

// Build reads the timeline's events once and makes the document.
func Build(tl *timeline.Timeline, opt Options) (*Doc, error) {
	b := &builder{opt: opt, tl: tl, zone: opt.Zone, byID: map[string]*event{}}
	if b.zone == nil {
		b.zone = time.UTC
	}
	if err := b.read(); err != nil {
		return nil, err
	}
	b.doc = &Doc{
		Title: opt.Title, Severity: opt.Severity, Facilitator: opt.Facilitator, Lead: opt.Lead,
		Status:     "DRAFT",
		StatusNote: "This draft was assembled from the incident's chat, alerts and command history. It is a starting point for discussion, not a conclusion: the learning happens in the room, with the people who were there.",
		Zone:       b.zone.String(),
		Frame:      `We're here to understand the system that let this happen, not to find a person who caused it. Everyone acted reasonably given what they knew at the time; our job is to reconstruct what that was.`,
		FactorPrompt: "What all had to be true for this incident to happen? List every condition, technical and " +
			"organisational; incidents rarely have one cause.",
		ActionColumns: []string{"Action", "Owner", "Due", "Priority", "Tracking"},
		ActionRules: []string{
			"Specific and verifiable: \"Add an alert on payment-queue depth > 1000 with a 5-minute window\", not \"Improve monitoring\".",
			"One named owner: a person, not a team.",
			"A due date, close to the incident.",
			"A priority: pick the two or three that most reduce the chance or impact of a recurrence; the rest are nice to have.",
			"A tracking home: a ticket in the backlog the team plans from.",
		},
		Events: len(b.events), Redactions: tl.Redactions,
	}
	if b.doc.Title == "" {
		b.doc.Title = "Incident retrospective"
	}
	for _, s := range tl.Sources {
		b.doc.Sources = append(b.doc.Sources, string(s))
	}
	b.header()
	b.metrics()
	b.summary()
	b.timelines()
	b.questions()
	b.wentWell()
	b.agenda()
	b.people()
	b.checklist()
	return b.doc, nil
}

// read collects the events, converting times to the display zone.
func (b *builder) read() error {
	if err := b.tl.Analyze(); err != nil {
		return err
	}
	return b.tl.Each(func(ev *debrief.Event) error {
		b.total++
		if b.total > MaxEntries && len(ev.Moments) == 0 {
			return nil
		}
		t := ev.Time.In(b.zone)
		e := &event{t: ev.Time, kind: ev.Kind, source: ev.Source, bot: ev.Bot, impact: ev.Impact,
			moments: slices.Clone(ev.Moments)}
		e.human = !ev.Bot && (ev.Kind == debrief.KindMessage || ev.Kind == debrief.KindCommand)
		e.Entry = Entry{
			ID: ev.ID, Anchor: "e-" + ev.ID, Date: t.Format("2006-01-02"), Time: t.Format("15:04:05"),
			Source: string(ev.Source), Kind: string(ev.Kind), Actor: ev.Actor, Channel: ev.Channel,
			Text: ev.Text, Short: short(ev.Text, 200),
		}
		var why []string
		for _, m := range ev.Moments {
			e.Moments = append(e.Moments, string(m))
			why = append(why, ev.Why.Of(m))
		}
		e.Why = strings.Join(why, "; ")
		b.events = append(b.events, e)
		b.byID[e.ID] = e
		return nil
	})
}

// short is text on one line, cut at n characters.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

func (b *builder) header() {
	m := b.tl.Metrics
	start := m.FirstSignalAt
	if start.IsZero() {
		start = b.tl.Window.From
	}
	if !start.IsZero() {
		b.doc.Date = start.In(b.zone).Format("2006-01-02")
	}
	if !m.FirstSignalAt.IsZero() && !m.ResolvedAt.IsZero() {
		b.doc.Duration = render.Duration(int64(m.ResolvedAt.Sub(m.FirstSignalAt).Seconds()))
	}
}

func (b *builder) clock(t time.Time) string { return t.In(b.zone).Format("2006-01-02 15:04:05") }
func (b *builder) hm(t time.Time) string    { return t.In(b.zone).Format("15:04") }

// first returns the first event matching ok, or nil.
func (b *builder) first(ok func(e *event) bool) *event {
	for _, e := range b.events {
		if ok(e) {
			return e
		}
	}
	return nil
}

// at returns the first event at time t matching ok, or nil.
func (b *builder) at(t time.Time, ok func(e *event) bool) *event {
	if t.IsZero() {
		return nil
	}
	return b.first(func(e *event) bool { return e.t.Equal(t) && ok(e) })
}

// key events of the metrics.
func (b *builder) firstSignal() *event {
	m := b.tl.Metrics
	return b.at(m.FirstSignalAt, func(e *event) bool {
		return (e.impact && !e.bot) || e.has(debrief.MomentDetection) || e.has(debrief.MomentMissingSignal)
	})
}

func (b *builder) detection() *event {
	return b.first(func(e *event) bool { return e.has(debrief.MomentDetection) })
}

func (b *builder) acknowledgement() *event {
	return b.at(b.tl.Metrics.AcknowledgedAt, func(e *event) bool { return e.kind == debrief.KindPageAcknowledged })
}

func (b *builder) mitigation() *event {
	return b.at(b.tl.Metrics.MitigatedAt, func(e *event) bool { return e.has(debrief.MomentMitigation) })
}

func (b *builder) resolution() *event {
	return b.at(b.tl.Metrics.ResolvedAt, func(e *event) bool { return e.has(debrief.MomentResolution) })
}

func (b *builder) metrics() {
	m := b.tl.Metrics
	var prev time.Time
	add := func(name string, t time.Time, e *event) {
		if t.IsZero() {
			return
		}
		x := Metric{Name: name, At: b.clock(t)}
		if !prev.IsZero() {
			x.After = "+" + render.Duration(int64(t.Sub(prev).Seconds()))
		}
		if e != nil {
			c := e.cite()
			x.Cite = &c
		}
		b.doc.Metrics = append(b.doc.Metrics, x)
		prev = t
	}
	add("First signal", m.FirstSignalAt, b.firstSignal())
	add("Detected", m.DetectedAt, b.detection())
	add("Acknowledged", m.AcknowledgedAt, b.acknowledgement())
	add("Mitigated", m.MitigatedAt, b.mitigation())
	add("Resolved", m.ResolvedAt, b.resolution())
	if m.DetectionGap > 0 {
		first, det := b.firstSignal(), b.detection()
		if first != nil && det != nil {
			s := cited(fmt.Sprintf("People reported impact %s before the first alert or page.", render.Duration(m.DetectionGap)), first.cite(), det.cite())
			b.doc.DetectionGap = &s
		}
	}
}

// who names an event's actor for a sentence, or "" when none is known.
func who(e *event) string {
	if e.Actor == "" {
		return ""
	}
	return e.Actor
}

// code quotes technical text (an alert, a command) as inline code: its
// words are evidence, not the document's own.
func code(s string) string {
	s = short(s, 120)
	s = strings.ReplaceAll(s, "`", "'")
	return "`" + s + "`"
}

func where(e *event) string {
	if e.Channel == "" {
		return e.Source
	}
	if e.source == debrief.SourceSlack || e.source == debrief.SourceMattermost || e.source == debrief.SourceDiscord {
		return "#" + strings.TrimPrefix(e.Channel, "#")
	}
	return e.Source
}

// summary says what was seen, detected, done and resolved. Each sentence
// cites its events; none states a cause.
func (b *builder) summary() {
	s := &b.doc.Summary
	first, det := b.firstSignal(), b.detection()
	if first != nil && first != det {
		if first.impact {
			*s = append(*s, cited(fmt.Sprintf("The first report of impact came at %s from %s in %s.", b.hm(first.t), orSomeone(who(first)), where(first)), first.cite()))
		} else {
			*s = append(*s, cited(fmt.Sprintf("The first signal came at %s from %s: %s.", b.hm(first.t), first.Source, code(first.Text)), first.cite()))
		}
	}
	if det != nil {
		text := fmt.Sprintf("The incident was detected at %s when %s raised %s.", b.hm(det.t), det.Source, code(det.Text))
		if first != nil && first != det && det.t.After(first.t) {
			text = fmt.Sprintf("The first alert, %s, came from %s at %s, %s after the first report.", code(det.Text), det.Source, b.hm(det.t), render.Duration(int64(det.t.Sub(first.t).Seconds())))
		}
		*s = append(*s, cited(text, det.cite()))
	}
	var pages, esc []*event
	for _, e := range b.events {
		switch e.kind {
		case debrief.KindPageTriggered:
			pages = append(pages, e)
		case debrief.KindPageEscalated:
			esc = append(esc, e)
		}
	}
	if len(pages) > 0 && pages[0] != det {
		*s = append(*s, cited(fmt.Sprintf("The on-call was paged through %s at %s.", pages[0].Source, b.hm(pages[0].t)), pages[0].cite()))
	}
	if ack := b.acknowledgement(); ack != nil {
		text := fmt.Sprintf("The page was acknowledged at %s.", b.hm(ack.t))
		if a := who(ack); a != "" {
			text = fmt.Sprintf("%s acknowledged the page at %s.", a, b.hm(ack.t))
		}
		*s = append(*s, cited(text, ack.cite()))
	}
	if len(esc) > 0 {
		var cs []Cite
		for _, e := range esc[1:min(len(esc), 4)] {
			cs = append(cs, e.cite())
		}
		text := fmt.Sprintf("The page was escalated at %s.", b.hm(esc[0].t))
		if len(esc) > 1 {
			text = fmt.Sprintf("The page was escalated %d times, first at %s.", len(esc), b.hm(esc[0].t))
		}
		*s = append(*s, cited(text, esc[0].cite(), cs...))
	}
	if mit := b.mitigation(); mit != nil {
		var text string
		switch {
		case mit.kind == debrief.KindCommand:
			text = fmt.Sprintf("The first mitigating action recorded was %s, run by %s at %s.", code(mit.Text), orSomeone(who(mit)), b.hm(mit.t))
		default:
			text = fmt.Sprintf("The first mitigating action recorded was at %s, by %s in %s.", b.hm(mit.t), orSomeone(who(mit)), where(mit))
		}
		*s = append(*s, cited(text, mit.cite()))
	}
	if res := b.resolution(); res != nil {
		text := fmt.Sprintf("It was marked resolved at %s (%s).", b.hm(res.t), res.Source)
		if !b.tl.Metrics.FirstSignalAt.IsZero() {
			text = fmt.Sprintf("It was marked resolved at %s (%s), %s after the first signal.", b.hm(res.t), res.Source, render.Duration(int64(res.t.Sub(b.tl.Metrics.FirstSignalAt).Seconds())))
		}
		*s = append(*s, cited(text, res.cite()))
	}
	if len(*s) == 0 && len(b.events) > 0 {
		e, l := b.events[0], b.events[len(b.events)-1]
		*s = append(*s, cited(fmt.Sprintf("The timeline runs from %s to %s; it holds no alert, page or resolution to summarise.", b.clock(e.t), b.clock(l.t)), e.cite(), l.cite()))
	}
}

func orSomeone(s string) string {
	if s == "" {
		return "someone"
	}
	return s
}

// timelines fills the key timeline (flagged moments with one entry of
// context on each side, repeats of the same bot text dropped) and the
// appendix.
func (b *builder) timelines() {
	keep := make([]bool, len(b.events))
	for i, e := range b.events {
		if len(e.moments) == 0 {
			continue
		}
		keep[i] = true
		if i > 0 && b.events[i-1].human {
			keep[i-1] = true
		}
		if i+1 < len(b.events) && b.events[i+1].human {
			keep[i+1] = true
		}
	}
	seen := map[string]bool{}
	for i, e := range b.events {
		if !keep[i] {
			continue
		}
		if e.bot && len(e.moments) == 0 && seen[e.Short] {
			continue
		}
		seen[e.Short] = true
		b.doc.KeyTimeline = append(b.doc.KeyTimeline, e.Entry)
	}
	const maxKey = 80
	if len(b.doc.KeyTimeline) > maxKey {
		b.doc.KeyTimeline = flaggedFirst(b.doc.KeyTimeline, maxKey)
	}
	for _, e := range b.events {
		b.doc.Timeline = append(b.doc.Timeline, e.Entry)
	}
	if b.total > MaxEntries {
		b.doc.TimelineNote = fmt.Sprintf("The timeline holds %d events; this appendix lists the %d flagged ones. Run debrief timeline for all of them.", b.total, len(b.events))
	}
	for _, st := range b.tl.Stalls {
		before := b.byID[st.After]
		after := b.first(func(e *event) bool { return e.human && !e.t.Before(st.To) })
		if before == nil {
			continue
		}
		var more []Cite
		if after != nil {
			more = append(more, after.cite())
		}
		b.doc.Stalls = append(b.doc.Stalls, cited(fmt.Sprintf("No message or command from %s to %s (%s).", b.hm(st.From), b.hm(st.To), render.Duration(st.Seconds)), before.cite(), more...))
	}
}

// flaggedFirst keeps n entries: every flagged one first (in time order),
// then context, and returns them in time order.
func flaggedFirst(es []Entry, n int) []Entry {
	idx := make([]int, 0, len(es))
	for i, e := range es {
		if len(e.Moments) > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) > n {
		idx = idx[:n]
	}
	sort.Ints(idx)
	out := make([]Entry, 0, len(idx))
	for _, i := range idx {
		out = append(out, es[i])
	}
	return out
}
