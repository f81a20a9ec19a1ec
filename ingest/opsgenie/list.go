package opsgenie

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/debriefhq/debrief/ingest"
)

// A list of alerts from Opsgenie's API (GET /v2/alerts?query=..., what a
// responder without a webhook integration can fetch after the fact) is
// {"data": [alerts], "took", "requestId"}. Each alert says when it was
// created, and in its report how many milliseconds later it was
// acknowledged and closed, and by whom: three events, with the webhook's
// texts. Their times are to the millisecond where a webhook's are to the
// nanosecond, so an alert given both ways appears twice (with refs of its
// own each time, never one event's id for two).

// listAlert is an alert as the API lists it.
type listAlert struct {
	ID          string `json:"id"`
	TinyID      flex   `json:"tinyId"`
	Alias       string `json:"alias"`
	Message     string `json:"message"`
	Status      string `json:"status"`
	CreatedAt   string `json:"createdAt"`
	Owner       string `json:"owner"`
	Priority    flex   `json:"priority"`
	Source      string `json:"source"`
	Entity      string `json:"entity"`
	Integration struct {
		Name string `json:"name"`
	} `json:"integration"`
	Report struct {
		AckTime        int64  `json:"ackTime"`
		CloseTime      int64  `json:"closeTime"`
		AcknowledgedBy string `json:"acknowledgedBy"`
		ClosedBy       string `json:"closedBy"`
	} `json:"report"`
}

// isList reports whether the record raw (a JSON object) is a response of
// the API's: "data" and no "action" among its own keys.
func isList(raw []byte, line int) bool {
	if !bytes.Contains(raw, []byte(`"data"`)) {
		return false
	}
	m, err := ingest.Members(raw, line, "data", "action")
	_, data := m["data"]
	_, action := m["action"]
	return err == nil && data && !action
}

// sniffList scores a head as a page of the API's alerts.
func sniffList(has func(string) bool) int {
	if has(`"data"`) && has(`"tinyId"`) && has(`"createdAt"`) && (has(`"requestId"`) || has(`"took"`) || has(`"report"`)) {
		return 90 // tinyId is Opsgenie's own
	}
	return 0
}

// list reads a page of the API's alerts, starting on line line.
func (p *parser) list(raw []byte, line int) error {
	m, err := ingest.Members(raw, line, "data")
	data := m["data"]
	if err == nil && len(data.Val) > 0 && data.Val[0] == '{' {
		return p.listAlert(data.Val, data.Line) // GET /v2/alerts/{id}: one alert
	}
	if err != nil || len(data.Val) == 0 || data.Val[0] != '[' {
		return p.bad(line, `expected "data" as an array of alerts, as Opsgenie's API lists them`)
	}
	return ingest.Elements(p.in, data.Val, data.Line, p.listAlert)
}

// listAlert reads one alert of the API's, starting on line line.
func (p *parser) listAlert(raw []byte, line int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	var a listAlert
	if raw[0] != '{' {
		return p.bad(line, "expected an alert object, found %s", jsonKind(raw[0]))
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return p.in.BadRecord(ingest.RecordError(p.in, raw, line, err))
	}
	created, err := time.Parse(time.RFC3339Nano, a.CreatedAt)
	if err != nil || !inRange(created) {
		return p.bad(line, `expected "createdAt" as an RFC 3339 time like "2024-05-14T13:22:11.482Z", found %q`, a.CreatedAt)
	}
	created = created.UTC()
	al := alert{AlertID: a.ID, Message: a.Message, TinyID: a.TinyID, Entity: a.Entity, Alias: a.Alias,
		Owner: a.Owner, Priority: a.Priority}
	w := webhook{Action: "Create", Alert: al, IntegrationName: firstOf(a.Integration.Name, a.Source)}
	if err := p.emit(p.event(&w, created)); err != nil {
		return err
	}
	for _, step := range []struct {
		action string
		after  int64
		by     string
	}{{"Acknowledge", a.Report.AckTime, a.Report.AcknowledgedBy}, {"Close", a.Report.CloseTime, a.Report.ClosedBy}} {
		if step.after <= 0 || step.after > int64(100*365*24*time.Hour/time.Millisecond) {
			continue
		}
		w := webhook{Action: step.action, Alert: al, IntegrationName: "Opsgenie"}
		w.Alert.Username = step.by
		if err := p.emit(p.event(&w, created.Add(time.Duration(step.after)*time.Millisecond))); err != nil {
			return err
		}
	}
	return nil
}
