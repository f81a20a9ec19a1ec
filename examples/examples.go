// Package examples embeds the bundled sample incident, so that
// `debrief serve --demo` has it wherever the binary runs.
package examples

import "embed"

// FS holds search-latency/: a Slack export, shell histories, Alertmanager
// and PagerDuty webhooks and Kubernetes events of one search outage.
//
//go:embed search-latency
var FS embed.FS
