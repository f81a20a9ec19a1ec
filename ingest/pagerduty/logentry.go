package pagerduty

import (
	"encoding/json"
	"github.com/debriefhq/debrief/ingest"
	"strings"

	"github.com/debriefhq/debrief"
)

// logEntry is one entry of an incident's log from the REST API
// (GET /log_entries, /incidents/{id}/log_entries, /log_entries/{id}).
type logEntry struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	Summary   string      `json:"summary"`
	CreatedAt string      `json:"created_at"`
	Agent     *reference  `json:"agent"`
	Channel   *channel    `json:"channel"`
	Incident  *reference  `json:"incident"`
	Service   *reference  `json:"service"`
	User      *reference  `json:"user"`
	Assignees []reference `json:"assignees"`
	Note      loose       `json:"note"`
}

// channel is how the action came about. Its fields differ with its type
// (api, email, web_trigger, note, timeout, sms, ...), so they are read
// leniently.
type channel struct {
	Type    loose `json:"type"`
	Summary loose `json:"summary"`
	Notes   loose `json:"notes"`
}

// loose is a field read as text whatever its JSON type.
type loose = ingest.LooseString

// logEntry reads one REST log entry.
func (p *parser) logEntry(raw []byte, line int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if raw[0] != '{' {
		return p.bad(line, "expected a log entry object, found %s", jsonKind(raw[0]))
	}
	var e logEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return p.in.BadRecord(ingest.RecordError(p.in, raw, line, err))
	}
	if !strings.HasSuffix(e.Type, "_log_entry") {
		return p.bad(line, `expected "type" as a log entry type like "trigger_log_entry", found %q`, e.Type)
	}
	at, ok := parseTime(e.CreatedAt, p.in.Zone)
	if !ok {
		return p.bad(line, `expected "created_at" as an RFC 3339 time between 1970 and 2200 like "2024-05-01T14:02:11Z", found %q`, e.CreatedAt)
	}
	ev := &debrief.Event{
		Time:    at,
		Source:  debrief.SourcePagerDuty,
		Kind:    logKind(e.Type),
		Channel: e.Service.label(),
		Ref:     firstOf(e.ID, e.Type+"/"+e.incidentID()+"/"+e.CreatedAt),
		Thread:  e.incidentID(),
		Input:   p.in.Name,
	}
	ev.Actor, ev.Bot, ev.Identity = p.logActor(&e)
	ev.Text = e.text(ev.Actor)
	p.add(ev)
	return nil
}

// logKind maps a log entry type to its kind; other types are notes. A notify
// entry (PagerDuty paging one person by SMS, phone, push or email) is not an
// escalation: every page notifies its first responder, and an escalation is
// already logged as its own escalate entry before the notifications it leads
// to. Assign and delegate entries are reassignments, which pull another person
// or team in like the webhook's incident.reassigned.
func logKind(typ string) debrief.Kind {
	switch typ {
	case "trigger_log_entry":
		return debrief.KindPageTriggered
	case "acknowledge_log_entry", "acknowledgement_log_entry":
		return debrief.KindPageAcknowledged
	case "escalate_log_entry", "assign_log_entry", "delegate_log_entry":
		return debrief.KindPageEscalated
	case "resolve_log_entry":
		return debrief.KindPageResolved
	}
	return debrief.KindNote
}

func (e *logEntry) incidentID() string {
	if e.Incident == nil {
		return ""
	}
	return e.Incident.ID
}

// logActor is the entry's agent. Notifications are PagerDuty's own doing
// whoever set them off, and so is an entry without an agent (an escalation
// on timeout). The agent's email may come with the user reference.
func (p *parser) logActor(e *logEntry) (string, bool, *debrief.Identity) {
	if e.Type == "notify_log_entry" || e.Agent.label() == "" {
		return p.actors.system()
	}
	agent := *e.Agent
	if agent.Email == "" && e.User != nil && e.User.ID != "" && e.User.ID == agent.ID {
		agent.Email = e.User.Email
	}
	return p.actors.agent(&agent)
}

// text says what happened in a line a person reads in the timeline.
func (e *logEntry) text(actor string) string {
	inc := incidentLabel(e.Incident.label())
	summary := clean(e.Summary)
	switch e.Type {
	case "trigger_log_entry":
		return "Triggered " + e.triggered()
	case "acknowledge_log_entry", "acknowledgement_log_entry":
		return about("Acknowledged by "+actor, inc)
	case "escalate_log_entry":
		return about(e.escalated(summary), inc)
	case "assign_log_entry":
		return about(join("Reassigned to ", names(e.Assignees), "Reassigned")+" by "+actor, inc)
	case "resolve_log_entry":
		return about("Resolved by "+actor, inc)
	case "annotate_log_entry":
		return note(e.note(), actor, inc)
	case "notify_log_entry":
		return about(firstOf(summary, e.notified()), inc)
	}
	return about(firstOf(summary, humanize(strings.TrimSuffix(e.Type, "_log_entry"))), inc)
}

// escalated says whom the incident went to, with the level when the
// summary gives it: "Escalated to level 2: Kim Lee".
func (e *logEntry) escalated(summary string) string {
	who := names(e.Assignees)
	if who == "" {
		return firstOf(summary, "Escalated")
	}
	if level := levelIn(summary); level != "" {
		return "Escalated to level " + level + ": " + who
	}
	return "Escalated to " + who
}

// levelIn finds the escalation level in a summary like "Escalated to level 2 by timeout".
func levelIn(summary string) string {
	_, after, ok := strings.Cut(strings.ToLower(summary), "level ")
	if !ok {
		return ""
	}
	end := 0
	for end < len(after) && after[end] >= '0' && after[end] <= '9' {
		end++
	}
	return after[:end]
}

// triggered describes a new incident: "#1234 [checkout] High 5xx rate".
func (e *logEntry) triggered() string {
	n, title := splitIncident(e.Incident.label())
	if title == "" {
		title = firstOf(clean(string(e.Channel.summary())), clean(e.Summary))
	}
	if svc := e.Service.label(); svc != "" {
		title = "[" + svc + "] " + title
	}
	if n != "" {
		title = "#" + n + " " + title
	}
	return strings.TrimSpace(title)
}

// note is the text of an annotate entry: its note, else the note channel's
// summary (the API's form), else the entry's summary.
func (e *logEntry) note() string {
	c := e.Channel
	if c == nil {
		c = &channel{}
	}
	return clean(firstOf(string(e.Note), string(c.Notes), string(c.Summary), e.Summary))
}

// notified describes a notify entry that has no summary: "Notified Kim Lee via sms".
func (e *logEntry) notified() string {
	s := "Notified " + firstOf(e.User.label(), "a responder")
	if e.Channel != nil && e.Channel.Type != "" {
		s += " via " + clean(string(e.Channel.Type))
	}
	return s
}

func (c *channel) summary() loose {
	if c == nil {
		return ""
	}
	return c.Summary
}

// splitIncident splits "[#1234] High 5xx rate" into "1234" and "High 5xx rate".
func splitIncident(summary string) (number, title string) {
	label := incidentLabel(summary)
	if rest, ok := strings.CutPrefix(label, "#"); ok {
		if n, t, ok := strings.Cut(rest, " "); ok && isDigits(n) {
			return n, t
		}
		if isDigits(rest) {
			return rest, ""
		}
	}
	return "", label
}
