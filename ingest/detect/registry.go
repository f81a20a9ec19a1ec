package detect

import (
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/alertmanager"
	"github.com/debriefhq/debrief/ingest/csvjsonl"
	"github.com/debriefhq/debrief/ingest/discord"
	"github.com/debriefhq/debrief/ingest/grafana"
	"github.com/debriefhq/debrief/ingest/journald"
	"github.com/debriefhq/debrief/ingest/k8sevents"
	"github.com/debriefhq/debrief/ingest/mattermost"
	"github.com/debriefhq/debrief/ingest/opsgenie"
	"github.com/debriefhq/debrief/ingest/pagerduty"
	"github.com/debriefhq/debrief/ingest/shellhist"
	"github.com/debriefhq/debrief/ingest/slack"
)

// All lists every format Debrief reads. Specific formats come first: on a
// tie in sniffing, the earlier one wins, and the generic CSV and JSON lines
// formats come last.
func All() []ingest.Format {
	fs := []ingest.Format{
		slack.Format(), mattermost.Format(), discord.Format(),
		grafana.Format(), alertmanager.Format(), pagerduty.Format(), opsgenie.Format(),
		k8sevents.Format(), journald.Format(),
	}
	fs = append(fs, shellhist.Formats()...)
	return append(fs, csvjsonl.Formats()...)
}
