// Package webhook reads Alertmanager webhook notifications (version "4", and
// the older "3" and unversioned captures) into timeline events. Grafana's
// unified alerting posts the same envelope with a few fields more, so the
// grafana package reads its bodies through this package as well, choosing the
// source, the actor and what to do with a body that has no alerts.
//
// Bodies are read with fastjson, because JSON-lines captures run to hundreds
// of megabytes; encoding/json and the wire structs below are used only to say
// where a body that fastjson found wrong went wrong.
package webhook

import "encoding/json"

// Body is one webhook notification as Alertmanager sends it. Fields kept as
// json.RawMessage are not read, and old captures carry them with other types
// (a numeric groupKey too large for int64, version 0), so any JSON is fine there.
type Body struct {
	Receiver          string          `json:"receiver"`
	Status            string          `json:"status"`
	Alerts            []Alert         `json:"alerts"`
	GroupLabels       json.RawMessage `json:"groupLabels"`
	CommonLabels      json.RawMessage `json:"commonLabels"`
	CommonAnnotations json.RawMessage `json:"commonAnnotations"`
	ExternalURL       json.RawMessage `json:"externalURL"`
	Version           json.RawMessage `json:"version"`
	GroupKey          json.RawMessage `json:"groupKey"`
	TruncatedAlerts   json.RawMessage `json:"truncatedAlerts"`
}

// APIAlert is an alert as Alertmanager's API lists it (GET /api/v2/alerts).
type APIAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	UpdatedAt    string            `json:"updatedAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
	Status       struct {
		State       string   `json:"state"`
		SilencedBy  []string `json:"silencedBy"`
		InhibitedBy []string `json:"inhibitedBy"`
	} `json:"status"`
	Receivers []struct {
		Name string `json:"name"`
	} `json:"receivers"`
}

// APIGroup is a group of alerts as the API lists them (GET
// /api/v2/alerts/groups).
type APIGroup struct {
	Alerts   []APIAlert        `json:"alerts"`
	Labels   map[string]string `json:"labels"`
	Receiver struct {
		Name string `json:"name"`
	} `json:"receiver"`
}

// Alert is one alert of a notification. EndsAt is "0001-01-01T00:00:00Z"
// while the alert fires; ValueString is sent by Grafana only.
type Alert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
	ValueString  string            `json:"valueString"`
}
