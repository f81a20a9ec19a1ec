// Package discord reads Discord channel exports written by DiscordChatExporter
// in its JSON format: one channel per file, {guild, channel, dateRange,
// exportedAt, messages: [...], messageCount}.
//
// Exports of busy channels run to hundreds of megabytes, so the messages array
// is decoded one message at a time from a stream and never held whole. Each
// message's Ref is its Discord id (a snowflake, unique across Discord). A reply
// carries the id of the message it answers as Thread; every message of an
// exported thread, and the "Started a thread" notice in its parent channel,
// carry the thread's id (for a thread started from a message, that message's
// id too).
package discord

import (
	"bytes"
	"encoding/json"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Format describes DiscordChatExporter JSON exports for the format registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourceDiscord),
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff recognises an export by the shape DiscordChatExporter always writes:
// an object whose first key is "guild", followed by "channel". A document with
// those keys in another order (edited by hand) is claimed less surely. The
// name is not looked at: exports are named after the guild and channel.
func Sniff(head []byte, _ string) int {
	head = bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	if len(head) == 0 || head[0] != '{' {
		return 0
	}
	if score := sniffOrder(head); score > 0 {
		return score
	}
	if bytes.Contains(head, []byte(`"guild"`)) && bytes.Contains(head, []byte(`"channel"`)) &&
		bytes.Contains(head, []byte(`"messages"`)) &&
		(bytes.Contains(head, []byte(`"author"`)) || bytes.Contains(head, []byte(`"messageCount"`))) {
		return 70
	}
	return 0
}

// sniffOrder scores the keys the exporter writes first: "guild" holding an
// object, then "channel".
func sniffOrder(head []byte) int {
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0
	}
	if key, err := dec.Token(); err != nil || key != "guild" {
		return 0
	}
	var guild map[string]any
	if err := dec.Decode(&guild); err != nil {
		return 0
	}
	if key, err := dec.Token(); err == nil && key == "channel" {
		return 95
	}
	return 85
}
