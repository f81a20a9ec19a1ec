// Package debrief holds the domain of incident retrospectives: the events of an
// incident's timeline, the moments that matter in it, the people who responded,
// and (for the meeting and the follow-through) factors, action items and
// meetings. It imports nothing of this module; every source, store and output
// package imports it.
package debrief

import "time"

// Source names where an event came from. The set is fixed so that filters,
// lanes in the timeline picture and stored rows agree on spelling.
type Source string

// Sources Debrief reads.
const (
	SourceSlack        Source = "slack"
	SourceMattermost   Source = "mattermost"
	SourceDiscord      Source = "discord"
	SourceZsh          Source = "zsh"
	SourceBash         Source = "bash"
	SourceFish         Source = "fish"
	SourceAlertmanager Source = "alertmanager"
	SourcePagerDuty    Source = "pagerduty"
	SourceOpsgenie     Source = "opsgenie"
	SourceGrafana      Source = "grafana"
	SourceK8s          Source = "k8s"
	SourceJournald     Source = "journald"
	SourceCSV          Source = "csv"
	SourceJSONL        Source = "jsonl"
)

// Kind says what sort of thing happened.
type Kind string

// Event kinds.
const (
	KindMessage          Kind = "message"
	KindCommand          Kind = "command"
	KindAlertFiring      Kind = "alert_firing"
	KindAlertResolved    Kind = "alert_resolved"
	KindPageTriggered    Kind = "page_triggered"
	KindPageAcknowledged Kind = "page_acknowledged"
	KindPageEscalated    Kind = "page_escalated"
	KindPageResolved     Kind = "page_resolved"
	KindDeploy           Kind = "deploy"
	KindInfra            Kind = "infra"
	KindLog              Kind = "log"
	KindNote             Kind = "note"
	// KindJoin is a person joining the incident channel; it counts as escalation
	// (someone was pulled in) but not as activity that breaks a stall.
	KindJoin Kind = "join"
)

// Event is one thing that happened during an incident, from any source.
//
// Time is always UTC with the source's precision kept. Ref is a stable id
// inside the source (a Slack ts, a journald cursor, a PagerDuty log entry id),
// so that ingesting the same input twice can be recognised.
type Event struct {
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	Source  Source    `json:"source"`
	Kind    Kind      `json:"kind"`
	Actor   string    `json:"actor"`
	Channel string    `json:"channel"`
	Text    string    `json:"text"`
	Moments []Moment  `json:"moments"`
	// Why gives, for each flagged moment, the rule and words that flagged
	// it (a JSON object, moment to reason).
	Why    Reasons `json:"why,omitempty"`
	Ref    string  `json:"ref"`
	Thread string  `json:"thread,omitempty"`
	// Bot is true for automated actors: integrations, alert bots, controllers.
	// Bot activity never breaks a stall.
	Bot bool `json:"bot,omitempty"`
	// Edited is when a chat message was last edited, zero if never.
	Edited time.Time `json:"edited,omitzero"`
	// Input names the file (and member inside an archive) the event came from.
	Input string `json:"input,omitempty"`
	// Impact is set by a parser or the moment rules when the event reports
	// user-visible impact ("customers see 500s"); it feeds first_signal_at.
	Impact bool `json:"-"`
	// Identity carries what the source knows of the actor (display name,
	// email), for joining people across sources. Not printed per event.
	Identity *Identity `json:"-"`
}

// Human reports whether the event is activity by a person: a message or a
// command that is not from a bot. Only human activity breaks a stall.
func (e *Event) Human() bool {
	if e.Bot {
		return false
	}
	return e.Kind == KindMessage || e.Kind == KindCommand
}

// Flag marks the event with moment m and records why. A moment already flagged
// keeps its first reason.
func (e *Event) Flag(m Moment, why string) {
	for _, have := range e.Moments {
		if have == m {
			return
		}
	}
	e.Moments = append(e.Moments, m)
	e.Why = append(e.Why, Reason{m, why})
}

// Has reports whether the event is flagged with moment m.
func (e *Event) Has(m Moment) bool {
	for _, have := range e.Moments {
		if have == m {
			return true
		}
	}
	return false
}
