package slack

import (
	"cmp"
	"context"
	"path"
	"path/filepath"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// parseFile parses one file on its own: a day file or a conversations.history
// response. When the file sits in the channel folder of an export, the
// export's users.json and channels.json still give names; otherwise actors
// are the embedded user_profile names, or user ids.
func parseFile(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	dir := nearbyDirectory(in)
	w := newWorker(dir, in.Actor)
	data, err := w.read(in.FS, in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read", Err: err}
	}
	v, err := w.p.ParseBytes(data)
	if err != nil {
		return jsonError(in, data, err)
	}
	msgs, key, ierr := messagesOf(in, v)
	if ierr != nil {
		return ierr
	}
	conv := fileConversation(in, dir)
	if id, name := ownConversation(v); id != "" || name != "" {
		// Named by the file when the document gives an id alone.
		conv = newConversation(id, cmp.Or(name, conv.name, id))
	}
	return w.emitAll(ctx, in, data, key, msgs, conv, emit)
}

// ownConversation is the channel a document of messages names itself, by
// id and name, either empty: slackdump writes {"channel_id": "C…", "name":
// "inc-checkout", "messages": […]}, and other tools a "channel" id or
// {"id", "name"} object beside the messages.
func ownConversation(v *fastjson.Value) (id, name string) {
	if v.Type() != fastjson.TypeObject {
		return "", ""
	}
	id, name = plain(v.GetStringBytes("channel_id")), plain(v.GetStringBytes("name"))
	if c := v.Get("channel"); c != nil {
		switch c.Type() {
		case fastjson.TypeString:
			id = plain(c.GetStringBytes())
		case fastjson.TypeObject:
			id, name = plain(c.GetStringBytes("id")), plain(c.GetStringBytes("name"))
		}
	}
	if name == "" {
		name = plain(v.GetStringBytes("channel_name"))
	}
	return id, name
}

// messagesOf finds the messages of a document: the document itself for a day
// file, its "messages" for an API response.
func messagesOf(in *ingest.Input, v *fastjson.Value) ([]*fastjson.Value, string, *debrief.InputError) {
	if v.Type() == fastjson.TypeArray {
		msgs, _ := v.Array()
		return msgs, "", nil
	}
	if v.Type() == fastjson.TypeObject {
		if ok := v.Get("ok"); ok != nil && ok.Type() == fastjson.TypeFalse {
			return nil, "", in.Errorf(1, "the Slack API answered with an error (%q), not messages", plain(v.GetStringBytes("error")))
		}
		if m := v.Get("messages"); m != nil && m.Type() == fastjson.TypeArray {
			msgs, _ := m.Array()
			return msgs, "messages", nil
		}
	}
	return nil, "", in.Errorf(1, `expected a Slack day file (a JSON array of messages) or a conversations.history response with "messages", found JSON %s`, v.Type())
}

// fileConversation names the channel of a lone file. A day file belongs to
// the folder it sits in (as named by a nearby channels.json), found from its
// path or else from the name the user gave it; a day file in no folder
// belongs to no known channel. Any other file is named after itself.
func fileConversation(in *ingest.Input, dir *directory) *conversation {
	base := path.Base(in.Path)
	if !isDayFile(base) {
		stem := strings.TrimSuffix(base, path.Ext(base))
		return newConversation(stem, stem)
	}
	folder := path.Base(path.Dir(in.Path))
	if folder == "." || folder == "/" {
		folder = path.Base(path.Dir(filepath.ToSlash(in.Name)))
	}
	if folder == "." || folder == "/" || folder == "" {
		return &conversation{}
	}
	if conv, ok := dir.folders[folder]; ok {
		return conv
	}
	return newConversation(folder, folder)
}

// nearbyDirectory loads users.json and channels.json from the export a day
// file sits in, if it does. Problems with them are not the file's problems,
// so they are ignored and names stay ids.
func nearbyDirectory(in *ingest.Input) *directory {
	folder := path.Dir(in.Path)
	if folder == "." || !isDayFile(path.Base(in.Path)) {
		return newDirectory()
	}
	root := path.Dir(folder)
	quiet := *in
	quiet.Path = "."
	quiet.Bad = func(error) error { return nil }
	quiet.Note = nil
	if !isFile(in.FS, path.Join(root, "users.json")) && !isFile(in.FS, path.Join(root, "channels.json")) {
		return newDirectory()
	}
	dir, err := loadDirectory(&quiet, root)
	if err != nil {
		return newDirectory()
	}
	return dir
}
