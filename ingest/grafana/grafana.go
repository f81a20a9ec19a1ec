// Package grafana reads Grafana alerting webhook notifications into alert
// events: unified alerting (Grafana 8 and later), which posts the
// Alertmanager envelope with Grafana's fields added, and the legacy (pre-8)
// body of a dashboard alert rule.
//
// Unified bodies follow the Alertmanager rules (see package webhook): one
// alert_firing event per firing (fingerprint, startsAt), one alert_resolved
// at endsAt, Refs "<fingerprint>@<startsAt in UTC>/firing", and the alert's
// valueString added to the text. A firing alert has impact when its severity
// label is critical, page or error.
//
// Alert state annotations (GET /api/annotations?type=alert, see
// annotation.go) give a rule's changes of state after the fact.
//
// Legacy bodies carry no time at all. They are placed at the file's
// modification time when the file system gives one, with a note saying so;
// otherwise each is a bad record.
package grafana

import (
	"context"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/alertmanager/webhook"
)

// Format returns the Grafana alerting webhook format for the registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourceGrafana),
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff scores a file beginning with head. Unified bodies share the
// Alertmanager envelope; Grafana's own marks (orgId, title with state,
// valueString, dashboardURL, ...) make them score above Alertmanager.
func Sniff(head []byte, name string) int {
	sh := webhook.Inspect(head)
	switch {
	case sh.Envelope && sh.Grafana:
		return 95
	case sh.Legacy:
		return 90
	}
	return sniffAnnotations(head)
}

// Parse reads the webhook bodies of in and emits their alerts' events.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	l := &legacy{in: in}
	err := webhook.Parse(ctx, in, emit, webhook.Options{
		Source:      debrief.SourceGrafana,
		Actor:       "grafana",
		DisplayName: "Grafana",
		Values:      true,
		Other:       l.body,
	})
	if err != nil {
		return err
	}
	l.note()
	return nil
}
