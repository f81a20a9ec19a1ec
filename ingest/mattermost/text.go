package mattermost

import (
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// kindOf maps a post's type to an event kind: joins and additions are joins,
// other system messages are notes. Exports written by hand or by older
// servers leave system messages untyped, so an untyped post that reads
// exactly like Mattermost's join message counts as a join too.
func kindOf(e entry) debrief.Kind {
	switch e.typ {
	case "system_join_channel", "system_guest_join_channel", "system_add_to_channel",
		"system_add_guest_to_chan", "system_join_team", "system_add_to_team":
		return debrief.KindJoin
	case "":
		if joinMessage(e.message, e.user) {
			return debrief.KindJoin
		}
		return debrief.KindMessage
	}
	if strings.HasPrefix(e.typ, "system_") {
		return debrief.KindNote
	}
	return debrief.KindMessage
}

// joinMessage reports whether message is Mattermost's text for user joining
// a channel or team, or adding someone to one.
func joinMessage(message, user string) bool {
	m := strings.TrimPrefix(message, "@")
	if rest, ok := strings.CutPrefix(m, user+" joined the "); ok {
		return rest == "channel." || rest == "team."
	}
	for _, by := range []string{" added to the channel by ", " added to the team by "} {
		if _, adder, ok := strings.Cut(m, by); ok {
			return strings.TrimPrefix(adder, "@") == user+"."
		}
	}
	return false
}

// postText is the readable text of a post: its message, then what a webhook
// put in Slack-style attachments (alert integrations post nothing else), then
// the names of attached files.
func postText(e entry) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(e.message))
	for _, a := range e.props.GetArray("attachments") {
		line(&b, attachmentText(a))
	}
	for _, f := range e.files {
		line(&b, "[attachment: "+f+"]")
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// attachmentText joins the parts of one message attachment a reader would
// see, falling back to its plain-text summary.
func attachmentText(a *fastjson.Value) string {
	var b strings.Builder
	for _, key := range []string{"pretext", "title", "text"} {
		line(&b, text(a, key))
	}
	for _, f := range a.GetArray("fields") {
		title, value := text(f, "title"), text(f, "value")
		if title != "" && value != "" {
			line(&b, title+": "+value)
		} else {
			line(&b, title+value)
		}
	}
	if b.Len() == 0 {
		return text(a, "fallback")
	}
	return b.String()
}

// line appends s to b on a line of its own, skipping blank strings.
func line(b *strings.Builder, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(s)
}
