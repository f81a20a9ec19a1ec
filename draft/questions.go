package draft

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/render"
)

// maxPerKind bounds the questions of one kind, so that a noisy incident
// still leaves room for every kind of question.
const maxPerKind = 3

// questions asks about the flagged moments, always about the system: what
// made something hard to see or to do, never why a person did it.
func (b *builder) questions() {
	q := &b.doc.Questions
	m := b.tl.Metrics
	if m.DetectionGap > 0 {
		first, det := b.firstSignal(), b.detection()
		if first != nil && det != nil {
			*q = append(*q, cited(fmt.Sprintf("Users reported problems %s before the first alert. Which signal was missing, and what would have shown the impact sooner?", render.Duration(m.DetectionGap)), first.cite(), det.cite()))
			b.doc.FactorCandidates = append(b.doc.FactorCandidates, cited("What made the impact visible to users before it was visible to monitoring?", first.cite(), det.cite()))
		}
	}
	if det := b.detection(); det != nil {
		*q = append(*q, cited(fmt.Sprintf("The first alert came at %s. How well did it describe what was happening, and where did it send people?", b.hm(det.t)), det.cite()))
	}
	n := 0
	for _, e := range b.events {
		if n == maxPerKind {
			break
		}
		if e.has(debrief.MomentConfusion) && !e.bot {
			*q = append(*q, cited(fmt.Sprintf("At %s people in %s were unsure of what they were seeing. What would have made the answer visible?", b.hm(e.t), where(e)), e.cite()))
			n++
		}
	}
	for i, st := range b.doc.Stalls {
		if i == maxPerKind {
			break
		}
		s := b.tl.Stalls[i]
		*q = append(*q, cited(fmt.Sprintf("Nothing was said or run for %s after %s. What was going on, and what made it hard to move?", render.Duration(s.Seconds), b.hm(s.From)), st.cites[0], st.cites[1:]...))
		if i == 0 {
			b.doc.FactorCandidates = append(b.doc.FactorCandidates, cited(fmt.Sprintf("What kept the response waiting between %s and %s?", b.hm(s.From), b.hm(s.To)), st.cites[0], st.cites[1:]...))
		}
	}
	var hyp []*event
	for _, e := range b.events {
		if e.has(debrief.MomentHypothesis) && !e.bot {
			hyp = append(hyp, e)
		}
	}
	for i, e := range hyp {
		if i == 2 {
			break
		}
		*q = append(*q, cited(fmt.Sprintf("At %s a hypothesis was raised in %s. What pointed there, and what would have confirmed or ruled it out sooner?", b.hm(e.t), where(e)), e.cite()))
	}
	if len(hyp) >= 3 {
		var cs []Cite
		for _, e := range hyp[1:min(len(hyp), 4)] {
			cs = append(cs, e.cite())
		}
		b.doc.FactorCandidates = append(b.doc.FactorCandidates, cited(fmt.Sprintf("The team weighed %d hypotheses. Which signals pointed in different directions, and which were missing?", len(hyp)), hyp[0].cite(), cs...))
	}
	det := b.detection()
	n = 0
	for _, e := range b.events {
		if n == 2 {
			break
		}
		if e.kind == debrief.KindPageEscalated || (e.has(debrief.MomentEscalation) && e.human && det != nil && e.t.After(det.t) && strings.Contains(e.Why, "chat")) {
			*q = append(*q, cited(fmt.Sprintf("At %s more help was brought in (%s). What showed that it was needed, and how would that show earlier next time?", b.hm(e.t), where(e)), e.cite()))
			n++
		}
	}
	if mit, res := b.mitigation(), b.resolution(); mit != nil {
		cs := []Cite{}
		text := fmt.Sprintf("The first mitigation was at %s. How was it chosen, and what made it safe (or risky) to do?", b.hm(mit.t))
		if res != nil && res.t.After(mit.t) {
			text = fmt.Sprintf("The first mitigation was at %s and the incident was resolved at %s. How was the mitigation chosen, and what made it safe (or risky) to do?", b.hm(mit.t), b.hm(res.t))
			cs = append(cs, res.cite())
		}
		*q = append(*q, cited(text, mit.cite(), cs...))
	}
	if len(b.doc.FactorCandidates) == 0 && len(b.events) > 0 {
		e := b.events[0]
		if f := b.firstSignal(); f != nil {
			e = f
		}
		b.doc.FactorCandidates = append(b.doc.FactorCandidates, cited("Which conditions had to hold for the first signal to appear when it did?", e.cite()))
	}
}

// wentWell proposes what to keep: fast acknowledgement, detection before
// users noticed, a mitigation that was followed by recovery.
func (b *builder) wentWell() {
	w := &b.doc.WentWell
	m := b.tl.Metrics
	det, ack := b.detection(), b.acknowledgement()
	if det != nil && ack != nil && m.TimeToAcknowlege >= 0 && m.AcknowledgedAt.Sub(m.DetectedAt) <= 10*time.Minute {
		*w = append(*w, cited(fmt.Sprintf("The page was acknowledged %s after the first alert.", render.Duration(int64(ack.t.Sub(det.t).Seconds()))), det.cite(), ack.cite()))
	}
	if det != nil && m.DetectionGap <= 0 {
		*w = append(*w, cited("Monitoring raised the alarm before anyone reported impact.", det.cite()))
	}
	if mit, res := b.mitigation(), b.resolution(); mit != nil && res != nil && res.t.After(mit.t) && res.t.Sub(mit.t) <= time.Hour {
		*w = append(*w, cited(fmt.Sprintf("The mitigation at %s was followed by resolution %s later.", b.hm(mit.t), render.Duration(int64(res.t.Sub(mit.t).Seconds()))), mit.cite(), res.cite()))
	}
	// People kept others informed: messages to more than one channel.
	channels := map[string]*event{}
	for _, e := range b.events {
		if e.human && e.kind == debrief.KindMessage && e.Channel != "" {
			if _, ok := channels[e.Channel]; !ok {
				channels[e.Channel] = e
			}
		}
	}
	if len(channels) >= 2 {
		var cs []Cite
		var names []string
		for name, e := range channels {
			names = append(names, name)
			cs = append(cs, e.cite())
		}
		slices.Sort(names)
		slices.SortFunc(cs, func(a, c Cite) int { return strings.Compare(a.ID, c.ID) })
		*w = append(*w, cited(fmt.Sprintf("Responders talked in %d channels (%s); check whether updates reached everyone who needed them.", len(names), "#"+strings.Join(names, ", #")), cs[0], cs[1:]...))
	}
}

// agendaItems are the playbook's 60 minutes.
var agendaItems = []AgendaItem{
	{Phase: "frame", Title: "Set the blameless frame", Minutes: 2, Notes: "Say the frame aloud, every time."},
	{Phase: "timeline", Title: "Walk the timeline", Minutes: 15, Notes: "Correct and annotate as a group; stop at the flagged moments."},
	{Phase: "factors", Title: "Contributing factors", Minutes: 20, Notes: "What all had to be true? Keep asking what made things hard."},
	{Phase: "went_well", Title: "What went well", Minutes: 5, Notes: "Detection, tooling and instincts that helped."},
	{Phase: "actions", Title: "Action items", Minutes: 15, Notes: "Specific, one owner, dated, prioritised, tracked. Fewer, finished."},
	{Phase: "close", Title: "Close", Minutes: 3, Notes: "Confirm owners and when the doc is final; thank the room."},
}

func (b *builder) agenda() {
	t := b.opt.Meeting
	if !t.IsZero() {
		b.doc.MeetingStart = t.In(b.zone).Format("2006-01-02 15:04 MST")
	}
	for _, a := range agendaItems {
		if !t.IsZero() {
			a.Start = t.In(b.zone).Format("15:04")
			t = t.Add(time.Duration(a.Minutes) * time.Minute)
			a.End = t.In(b.zone).Format("15:04")
		}
		b.doc.Agenda = append(b.doc.Agenda, a)
	}
}

// people fills the participants, the invite list and the facilitator
// warnings.
func (b *builder) people() {
	type resp struct {
		p debrief.Person
	}
	var responders []debrief.Person
	for _, p := range b.tl.Participants {
		if p.Bot || p.Events == 0 {
			continue
		}
		responders = append(responders, p)
		b.doc.Participants = append(b.doc.Participants, p.Name)
	}
	emails := map[string]string{}
	for _, p := range append(slices.Clone(b.opt.People), responders...) {
		if p.Email != "" {
			emails[strings.ToLower(p.Name)] = p.Email
		}
	}
	seen := map[string]bool{}
	add := func(name, reason string) {
		key := strings.ToLower(name)
		if name == "" || seen[key] {
			return
		}
		seen[key] = true
		b.doc.Invitees = append(b.doc.Invitees, Invitee{Name: name, Reason: reason, Email: emails[key]})
	}
	if b.opt.Facilitator != "" {
		add(b.opt.Facilitator, "facilitator")
	}
	if b.opt.Lead != "" {
		add(b.opt.Lead, "incident lead")
	}
	for _, p := range responders {
		add(p.Name, fmt.Sprintf("responder (%d events in the timeline)", p.Events))
	}
	if b.opt.Catalog != nil {
		for _, inv := range b.opt.Catalog.invitees(b.services()) {
			add(inv.Name, inv.Reason)
		}
	}
	if n := len(b.doc.Invitees); n > maxInvitees {
		b.doc.Warnings = append(b.doc.Warnings, fmt.Sprintf("The invite list has %d names. A retro works with the people who can contribute or learn; consider sharing the doc with the rest instead.", n))
	}
	b.neutral(responders)
}

// services are the services the retro is about: given, or named by the
// catalog and found in the timeline's text.
func (b *builder) services() []string {
	out := slices.Clone(b.opt.Services)
	if b.opt.Catalog == nil {
		return out
	}
	for _, name := range b.opt.Catalog.names() {
		if slices.Contains(out, name) {
			continue
		}
		for _, e := range b.events {
			if (e.kind == debrief.KindAlertFiring || e.kind == debrief.KindPageTriggered) && containsWord(e.Text, name) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

func containsWord(text, word string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isNameByte(text[j-1])
		after := j+len(word) >= len(text) || !isNameByte(text[j+len(word)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// neutral warns when the facilitator led the response or was among its
// most active responders.
func (b *builder) neutral(responders []debrief.Person) {
	f := strings.ToLower(b.opt.Facilitator)
	if f == "" {
		b.doc.Warnings = append(b.doc.Warnings, "No facilitator named. Pick someone neutral, not the incident lead.")
		return
	}
	if f == strings.ToLower(b.opt.Lead) {
		b.doc.Warnings = append(b.doc.Warnings, fmt.Sprintf("The facilitator (%s) is also the incident lead. Whoever ran the incident should not run the retro; ask someone neutral.", b.opt.Facilitator))
		return
	}
	sorted := slices.Clone(responders)
	slices.SortStableFunc(sorted, func(a, c debrief.Person) int { return c.Events - a.Events })
	for i, p := range sorted {
		if i == 3 {
			break
		}
		if strings.ToLower(p.Name) == f || strings.ToLower(p.DisplayName) == f {
			b.doc.Warnings = append(b.doc.Warnings, fmt.Sprintf("The facilitator (%s) was among the most active responders (%d events). A neutral facilitator keeps the room from re-litigating the response.", b.opt.Facilitator, p.Events))
			return
		}
	}
}

func (b *builder) checklist() {
	neutral := b.opt.Facilitator != "" && !slices.ContainsFunc(b.doc.Warnings, func(w string) bool {
		return strings.HasPrefix(w, "The facilitator")
	})
	note := ""
	if !neutral && b.opt.Facilitator != "" {
		note = "see the warning above"
	}
	b.doc.Checklist = []Check{
		{Text: "Timeline assembled", Done: len(b.events) > 0, Note: fmt.Sprintf("%d events from %s", b.total, strings.Join(b.doc.Sources, ", "))},
		{Text: "Neutral facilitator, not the lead responder", Done: neutral, Note: note},
		{Text: "Draft and timeline circulated before the meeting"},
		{Text: "Blameless frame stated out loud at the start"},
		{Text: "Contributing factors explored, not a single root cause"},
		{Text: "What went well captured, not just failures"},
		{Text: "Action items specific, owned, dated, prioritised, tracked"},
		{Text: "Doc finalised and shared within a few days"},
	}
}
