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
	switch string(k) {
	case "ts":
		m.hasTS, m.tsType, m.ts = true, v.Type(), bytesOf(v)
	case "thread_ts":
		m.threadTS = bytesOf(v)
	case "user":
		m.user = bytesOf(v)
	case "text":
		m.text = bytesOf(v)
	case "subtype":
		m.subtype = bytesOf(v)
	case "username":
		m.username = bytesOf(v)
	case "bot_id":
		m.botID = bytesOf(v)
	default:
		m.readValue(k, v)
	}
}

// readValue keeps the nested values read needs later.
func (m *message) readValue(k []byte, v *fastjson.Value) {
	switch string(k) {
	case "user_profile":
		m.profile = v
	case "bot_profile":
		m.botProfile = v
	case "attachments":
		m.attachments = v
	case "blocks":
		m.blocks = v
	case "files":
		m.files = v
	case "file":
		m.file = v
	case "comment":
		m.comment = v
	case "edited":
		m.edited = v
	}
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
