// Package alertmanager reads Prometheus Alertmanager webhook notifications
// (version "4", and the older "3" and unversioned captures), as one JSON
// body, an array of bodies, or JSON lines of them, into alert events.
//
// Alertmanager repeats a notification every repeat_interval while an alert
// fires, so one firing (fingerprint, startsAt) gives one alert_firing event
// at startsAt, and its first resolved notification one alert_resolved event
// at endsAt. Refs are "<fingerprint>@<startsAt in UTC>/firing" (or
// "/resolved"), so the timeline also drops repeats found in other files.
//
// A firing alert has impact when its severity label is critical, page or
// error: warnings, info and the always-firing Watchdog do not show users
// hurt, and would put the first sign of impact long before the incident.
package alertmanager

import (
	"context"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/alertmanager/webhook"
)

// Format returns the Alertmanager webhook format for the registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourceAlertmanager),
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff scores a file beginning with head. Grafana's unified alerting sends
// the Alertmanager envelope too, so a body with Grafana's marks scores low
// here and high for Grafana.
func Sniff(head []byte, name string) int {
	sh := webhook.Inspect(head)
	switch {
	case !sh.Envelope:
		return 0
	case sh.Grafana:
		return 20
	}
	return 90
}

// Parse reads the webhook bodies of in and emits their alerts' events.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	return webhook.Parse(ctx, in, emit, webhook.Options{
		Source:      debrief.SourceAlertmanager,
		Actor:       "alertmanager",
		DisplayName: "Alertmanager",
	})
}
