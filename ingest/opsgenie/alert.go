package opsgenie

import (
	"encoding/json"
	"github.com/debriefhq/debrief/ingest"
	"strconv"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
)

// webhook is the body Opsgenie posts to a webhook integration.
type webhook struct {
	Action           string  `json:"action"`
	Alert            alert   `json:"alert"`
	IntegrationName  string  `json:"integrationName"`
	EscalationName   string  `json:"escalationName"`
	EscalationNotify *notify `json:"escalationNotify"`
}

// alert is the alert as it stands after the action.
type alert struct {
	AlertID        string `json:"alertId"`
	Message        string `json:"message"`
	TinyID         flex   `json:"tinyId"`
	Entity         string `json:"entity"`
	Alias          string `json:"alias"`
	CreatedAt      number `json:"createdAt"`
	UpdatedAt      number `json:"updatedAt"`
	Username       string `json:"username"`
	UserID         string `json:"userId"`
	Note           string `json:"note"`
	Owner          string `json:"owner"`
	Recipient      string `json:"recipient"`
	EscalationName string `json:"escalationName"`
	Priority       flex   `json:"priority"`
}

// notify is whom an escalation callback notified.
type notify struct {
	Name string `json:"name"`
}

// flex is a field Opsgenie writes as a string or a number ("23" or 23, "P3" or 3).
type flex = ingest.LooseString

// number is a time field as written: the digits of a JSON number, the
// contents of a string, or the JSON of anything else, so that a wrong value is
// reported with what was expected of it. null is empty.
type number string

// UnmarshalJSON keeps the field's text for when to judge.
func (n *number) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case len(b) > 0 && b[0] == '"':
		if json.Unmarshal(b, &s) == nil {
			*n = number(s)
		}
	case string(b) != "null":
		*n = number(b)
	}
	return nil
}

// kindOf maps a webhook action to its kind; other actions are notes.
func kindOf(action string) debrief.Kind {
	switch action {
	case "Create":
		return debrief.KindPageTriggered
	case "Acknowledge":
		return debrief.KindPageAcknowledged
	case "Close":
		return debrief.KindPageResolved
	case "Escalate", "EscalateNext", "AssignOwnership", "AddRecipient":
		return debrief.KindPageEscalated
	}
	return debrief.KindNote
}

// record reads one webhook body.
func (p *parser) record(raw []byte, line int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if raw[0] != '{' {
		return p.bad(line, "expected a JSON object (an Opsgenie webhook body), found %s", jsonKind(raw[0]))
	}
	if isList(raw, line) {
		return p.list(raw, line)
	}
	var w webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return p.in.BadRecord(ingest.RecordError(p.in, raw, line, err))
	}
	if strings.TrimSpace(w.Action) == "" {
		return p.bad(line, `expected "action" as a string like "Acknowledge"`)
	}
	at, ok, msg := w.when()
	if !ok && w.isCallback() {
		p.untimed++
		return nil
	}
	if !ok {
		return p.bad(line, "%s", msg)
	}
	return p.emit(p.event(&w, at))
}

// event builds the event of a webhook that happened at at.
func (p *parser) event(w *webhook, at time.Time) *debrief.Event {
	a := &w.Alert
	ev := &debrief.Event{
		Time:    at,
		Source:  debrief.SourceOpsgenie,
		Kind:    kindOf(w.Action),
		Channel: clean(a.Entity),
		Ref:     firstOf(a.AlertID, a.Alias) + "/" + w.Action + "/" + strconv.FormatInt(at.UnixNano(), 10),
		Thread:  a.AlertID,
		Input:   p.in.Name,
	}
	ev.Actor, ev.Bot, ev.Identity = p.actors.get(firstOf(a.Username, w.IntegrationName), a.UserID)
	ev.Text = w.text(ev.Actor)
	return ev
}

// isCallback reports whether w is an escalation callback, a shape that
// carries whom an escalation rule notified but not when.
func (w *webhook) isCallback() bool {
	return w.EscalationNotify != nil || w.EscalationName != ""
}

// Opsgenie's numbers below these floors are in a smaller unit than the
// field's: a nanosecond updatedAt under 1e15 would fall in the first days of
// 1970, a millisecond createdAt under 1e11 before 1973.
const (
	minNanos  = 1e15
	minMillis = 1e11
)

// Times outside 1970 to 2200 are mistakes in the input, not incidents.
const (
	minUnix = 0          // 1970-01-01T00:00:00Z
	maxUnix = 7289654400 // 2201-01-01T00:00:00Z, the first second too late
)

// when is the time the action happened: alert.updatedAt, or for a Create
// without one, alert.createdAt. It says what was expected when neither will do.
func (w *webhook) when() (time.Time, bool, string) {
	a := &w.Alert
	if a.UpdatedAt != "" || w.Action != "Create" || a.CreatedAt == "" {
		n, err := strconv.ParseInt(string(a.UpdatedAt), 10, 64)
		t := time.Unix(0, n).UTC()
		if err != nil || n < minNanos || !inRange(t) {
			return time.Time{}, false, `expected "alert.updatedAt" as nanoseconds since 1970 (up to 2200) like 1715695331482000000, found ` + quoteNumber(a.UpdatedAt)
		}
		return t, true, ""
	}
	n, err := strconv.ParseInt(string(a.CreatedAt), 10, 64)
	t := time.UnixMilli(n).UTC()
	if err != nil || n < minMillis || !inRange(t) {
		return time.Time{}, false, `expected "alert.createdAt" as milliseconds since 1970 (up to 2200) like 1715695331482, found ` + quoteNumber(a.CreatedAt)
	}
	return t, true, ""
}

func inRange(t time.Time) bool { return t.Unix() >= minUnix && t.Unix() < maxUnix }

// quoteNumber shows a time field in a message, or says it was missing.
func quoteNumber(n number) string {
	if n == "" {
		return "none"
	}
	s := strings.ToValidUTF8(string(n), "\uFFFD")
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "") + "..."
	}
	return s
}
