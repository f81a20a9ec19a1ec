package slack

import (
	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// message holds the fields of one Slack message that events are made of. The
// byte slices point into the parser's buffer and live until the next parse.
type message struct {
	ts, threadTS, user, text, subtype, username, botID []byte

	tsType      fastjson.Type // of the ts key's value, when hasTS
	hasTS       bool
	profile     *fastjson.Value // user_profile
	botProfile  *fastjson.Value
	attachments *fastjson.Value
	blocks      *fastjson.Value
	files       *fastjson.Value // files: newer uploads
	file        *fastjson.Value // file: older file_share messages
	comment     *fastjson.Value // file_comment
	edited      *fastjson.Value
}

// read fills m from one message object in a single pass over its keys, which
// is cheaper than looking each key up in turn.
func (m *message) read(o *fastjson.Object) {
	*m = message{}
	o.Visit(m.readKey)
}

// readKey reads one key of a message object.
func (m *message) readKey(k []byte, v *fastjson.Value) {
	if p := m.stringField(k); p != nil {
		*p = bytesOf(v)
		if string(k) == "ts" {
			m.hasTS, m.tsType = true, v.Type()
		}
		return
	}
	m.readValue(k, v)
}

// stringField is where m keeps the value of key when key is one of the
// strings an event reads; nil for any other key.
func (m *message) stringField(key []byte) *[]byte {
	switch string(key) {
	case "ts":
		return &m.ts
	case "thread_ts":
		return &m.threadTS
	case "user":
		return &m.user
	case "text":
		return &m.text
	case "subtype":
		return &m.subtype
	case "username":
		return &m.username
	case "bot_id":
		return &m.botID
	}
	return nil
}

// readValue keeps the nested values read needs later.
func (m *message) readValue(k []byte, v *fastjson.Value) {
	if i := nestedIndex(k); i >= 0 {
		*m.nested(i) = v
	} else if i := cutIndex(k); i >= 0 {
		*m.cutField(i) = v
	}
}

// The nested values an event reads whenever the message has them (scan
// hands them to the parser in this order, see worker.pn). blocks and
// user_profile, read only when needed, are trimmed's (see cutIndex).
const (
	nestBotProfile = iota
	nestAttachments
	nestFiles
	nestFile
	nestComment
	nestEdited
	nestCount
)

// nestedIndex is the nest constant of key, or -1. (A switch: this runs
// for every key of every message a string is not kept for.)
func nestedIndex(key []byte) int {
	switch string(key) {
	case "bot_profile":
		return nestBotProfile
	case "attachments":
		return nestAttachments
	case "files":
		return nestFiles
	case "file":
		return nestFile
	case "comment":
		return nestComment
	case "edited":
		return nestEdited
	}
	return -1
}

// cutIndex is key's index in trimmed (blocks, user_profile), or -1.
func cutIndex(key []byte) int {
	switch string(key) {
	case "blocks": // trimmed[0]
		return 0
	case "user_profile": // trimmed[1]
		return 1
	}
	return -1
}

// isNested reports whether key is one of the nested values a message is
// read for.
func isNested(key []byte) bool {
	return nestedIndex(key) >= 0 || cutIndex(key) >= 0
}

// nested is where m keeps the nested value k (see nestBotProfile).
func (m *message) nested(k int) **fastjson.Value {
	switch k {
	case nestBotProfile:
		return &m.botProfile
	case nestAttachments:
		return &m.attachments
	case nestFiles:
		return &m.files
	case nestFile:
		return &m.file
	case nestComment:
		return &m.comment
	}
	return &m.edited
}

// cutField is where m keeps trimmed[i] when it was parsed with the message.
func (m *message) cutField(i int) **fastjson.Value {
	if i == 0 {
		return &m.blocks
	}
	return &m.profile
}

// bytesOf is v's string, or nil when v is not a string.
func bytesOf(v *fastjson.Value) []byte {
	if v.Type() != fastjson.TypeString {
		return nil
	}
	b, _ := v.StringBytes()
	return b
}

// kind maps a subtype to the kind of event: joins count as escalation, changes
// to the channel itself are notes, everything people or bots say is a message.
func kind(subtype []byte) debrief.Kind {
	switch string(subtype) {
	case "channel_join", "group_join":
		return debrief.KindJoin
	case "channel_leave", "group_leave",
		"channel_topic", "group_topic", "channel_purpose", "group_purpose",
		"channel_name", "group_name", "channel_archive", "group_archive",
		"channel_unarchive", "group_unarchive", "channel_convert_to_private",
		"channel_convert_to_public", "channel_posting_permissions",
		"pinned_item", "unpinned_item", "bot_add", "bot_remove", "bot_enable", "bot_disable",
		"app_conversation_join", "app_conversation_leave", "reminder_add", "reminder_delete",
		"tombstone", "message_deleted", "sh_room_created", "huddle_thread",
		"channel_canvas_updated", "joiner_notification":
		return debrief.KindNote
	}
	return debrief.KindMessage
}
