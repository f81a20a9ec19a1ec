package pagerduty

import (
	"encoding/json"
	"github.com/debriefhq/debrief/ingest"
	"strings"

	"github.com/debriefhq/debrief"
)

// webhook is the "event" of a v3 webhook payload.
type webhook struct {
	ID           string      `json:"id"`
	EventType    string      `json:"event_type"`
	ResourceType string      `json:"resource_type"`
	OccurredAt   string      `json:"occurred_at"`
	Agent        *reference  `json:"agent"`
	Client       *reference  `json:"client"`
	Data         webhookData `json:"data"`
}

// webhookData is the incident (or, for incident.annotated and the other
// incident.* sub-resources, the note or responder with an "incident"
// reference) the event is about.
type webhookData struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	Number    loose       `json:"number"`
	Title     string      `json:"title"`
	Urgency   string      `json:"urgency"`
	Service   *reference  `json:"service"`
	Assignees []reference `json:"assignees"`
	Priority  *reference  `json:"priority"`
	Incident  *reference  `json:"incident"`
	User      *reference  `json:"user"`
	Content   string      `json:"content"`
	Message   string      `json:"message"`
}

// webhook reads one v3 webhook event.
func (p *parser) webhook(raw []byte, line int) error {
	if raw[0] != '{' {
		return p.bad(line, `expected "event" as an object, found %s`, jsonKind(raw[0]))
	}
	var w webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return p.in.BadRecord(ingest.RecordError(p.in, raw, line, err))
	}
	if strings.TrimSpace(w.EventType) == "" {
		return p.bad(line, `expected "event_type" as a string like "incident.triggered"`)
	}
	at, ok := parseTime(w.OccurredAt, p.in.Zone)
	if !ok {
		return p.bad(line, `expected "occurred_at" as an RFC 3339 time between 1970 and 2200 like "2024-05-01T14:02:11.482Z", found %q`, w.OccurredAt)
	}
	ev := &debrief.Event{
		Time:    at,
		Source:  debrief.SourcePagerDuty,
		Kind:    kindOf(w.EventType),
		Channel: w.Data.Service.label(),
		Ref:     firstOf(w.ID, w.EventType+"/"+w.Data.ID+"/"+w.OccurredAt),
		Thread:  w.incidentID(),
		Input:   p.in.Name,
	}
	ev.Actor, ev.Bot, ev.Identity = p.webhookActor(&w)
	ev.Text = w.text(ev.Actor)
	p.add(ev)
	return nil
}

// kindOf maps an incident event type to its kind; other types are notes.
func kindOf(eventType string) debrief.Kind {
	switch eventType {
	case "incident.triggered":
		return debrief.KindPageTriggered
	case "incident.acknowledged":
		return debrief.KindPageAcknowledged
	case "incident.escalated", "incident.reassigned":
		return debrief.KindPageEscalated
	case "incident.resolved":
		return debrief.KindPageResolved
	}
	return debrief.KindNote
}

// webhookActor is the agent who acted, else the client (the monitoring tool
// that sent the event), else PagerDuty.
func (p *parser) webhookActor(w *webhook) (string, bool, *debrief.Identity) {
	if w.Agent.label() != "" {
		return p.actors.agent(w.Agent)
	}
	if c := w.Client.label(); c != "" {
		return p.actors.named(c)
	}
	return p.actors.system()
}

// incidentID is the incident the event belongs to.
func (w *webhook) incidentID() string {
	if w.Data.Incident != nil && w.Data.Incident.ID != "" {
		return w.Data.Incident.ID
	}
	if w.ResourceType == "incident" || w.Data.Type == "incident" {
		return w.Data.ID
	}
	return ""
}

// incident labels the incident: "#1234 High 5xx rate".
func (w *webhook) incident() string {
	if w.Data.Incident != nil {
		return incidentLabel(w.Data.Incident.Summary)
	}
	title := clean(w.Data.Title)
	if n := clean(string(w.Data.Number)); n != "" {
		return strings.TrimSpace("#" + n + " " + title)
	}
	return title
}

// text says what happened in a line a person reads in the timeline.
func (w *webhook) text(actor string) string {
	d := &w.Data
	switch w.EventType {
	case "incident.triggered":
		return "Triggered " + w.triggered()
	case "incident.acknowledged":
		return about("Acknowledged by "+actor, w.incident())
	case "incident.escalated":
		return about(join("Escalated to ", names(d.Assignees), "Escalated"), w.incident())
	case "incident.reassigned":
		return about(join("Reassigned to ", names(d.Assignees), "Reassigned")+" by "+actor, w.incident())
	case "incident.resolved":
		return about("Resolved by "+actor, w.incident())
	case "incident.annotated":
		return note(clean(firstOf(d.Content, d.Message)), actor, w.incident())
	case "incident.priority_updated":
		return about(join("Priority set to ", d.Priority.label(), "Priority removed")+" by "+actor, w.incident())
	}
	what := humanize(strings.TrimPrefix(w.EventType, "incident.")) + " by " + actor
	if detail := clean(firstOf(d.Message, d.Content, d.User.label())); detail != "" {
		what += ": " + detail
	}
	return about(what, w.incident())
}

// triggered describes a new incident: "#1234 [checkout] High 5xx rate (urgency high, priority P1)".
func (w *webhook) triggered() string {
	d := &w.Data
	s := clean(d.Title)
	if svc := d.Service.label(); svc != "" {
		s = "[" + svc + "] " + s
	}
	if n := clean(string(d.Number)); n != "" {
		s = "#" + n + " " + s
	}
	var extra []string
	if u := clean(d.Urgency); u != "" {
		extra = append(extra, "urgency "+u)
	}
	if pr := d.Priority.label(); pr != "" {
		extra = append(extra, "priority "+pr)
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return strings.TrimSpace(s)
}

// note is the text of a note, or says who added an empty one.
func note(text, actor, incident string) string {
	if text == "" {
		return about("Note added by "+actor, incident)
	}
	return "Note: " + text
}

// about appends the incident a line is about: "Acknowledged by Sam (#1234 High 5xx rate)".
func about(what, incident string) string {
	if incident == "" {
		return what
	}
	return what + " (" + incident + ")"
}

// join returns prefix+value, or alone when value is empty.
func join(prefix, value, alone string) string {
	if value == "" {
		return alone
	}
	return prefix + value
}

// incidentLabel turns a REST incident summary "[#1234] High 5xx rate" into
// "#1234 High 5xx rate".
func incidentLabel(summary string) string {
	s := clean(summary)
	if rest, ok := strings.CutPrefix(s, "[#"); ok {
		if n, title, ok := strings.Cut(rest, "]"); ok && isDigits(n) {
			return strings.TrimSpace("#" + n + " " + strings.TrimSpace(title))
		}
	}
	return s
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
