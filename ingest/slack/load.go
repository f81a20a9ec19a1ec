package slack

import (
	"errors"
	"io/fs"
	"path"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// listFile is one of the files of an export that list people or channels.
type listFile struct {
	name string
	what string                            // for messages: "users"
	add  func(*directory, *fastjson.Value) // records one entry
}

// listFiles are the list files in the order they are read; dms.json folders
// are named by id, the others by name.
func listFiles() []listFile {
	return []listFile{
		{"users.json", "users", (*directory).addUser},
		{"channels.json", "channels", (*directory).addChannel},
		{"groups.json", "private channels", (*directory).addChannel},
		{"mpims.json", "group conversations", (*directory).addChannel},
		{"dms.json", "direct messages", (*directory).addDM},
	}
}

// loadDirectory reads users.json, channels.json and their kin from root. A
// missing file is fine; a broken one is a bad record (names then stay ids).
func loadDirectory(in *ingest.Input, root string) (*directory, error) {
	d := newDirectory()
	var p fastjson.Parser
	for _, lf := range listFiles() {
		if err := d.load(in, &p, path.Join(root, lf.name), lf); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (d *directory) load(in *ingest.Input, p *fastjson.Parser, name string, lf listFile) error {
	doc, err := readList(in, p, name, lf.what, "")
	if doc == nil {
		return err
	}
	for _, e := range doc.items {
		if e.Type() == fastjson.TypeObject {
			lf.add(d, e)
		}
	}
	return nil
}

// listDocument is a JSON file of an export holding an array of entries.
type listDocument struct {
	in    ingest.Input // names the file in errors
	data  []byte
	key   string // the member holding the array; "" when the document is the array
	items []*fastjson.Value
}

// readList reads the list file name of the export: an array, or an API
// response holding the array at key. The document is nil when the file is
// absent or was skipped as a bad record; err is set when the parse must stop.
func readList(in *ingest.Input, p *fastjson.Parser, name, what, key string) (*listDocument, error) {
	data, err := fs.ReadFile(in.FS, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	doc := &listDocument{in: *in, data: data}
	doc.in.Name = member(in, name)
	if err != nil {
		return nil, doc.in.BadRecord(&debrief.InputError{File: doc.in.Name, Msg: "cannot read", Err: err})
	}
	v, err := p.ParseBytes(data)
	if err != nil {
		return nil, doc.in.BadRecord(jsonError(&doc.in, data, err))
	}
	if key != "" && v.Type() == fastjson.TypeObject && v.Get(key) != nil {
		doc.key, v = key, v.Get(key)
	}
	if doc.items, err = v.Array(); err != nil {
		return nil, doc.in.BadRecord(doc.in.Errorf(1, "expected a JSON array of %s, found JSON %s", what, v.Type()))
	}
	return doc, nil
}

// addChannel records a channel, private channel or group conversation, whose
// folder is its name.
func (d *directory) addChannel(v *fastjson.Value) {
	id, name := str(v, "id"), str(v, "name")
	if id == "" && name == "" {
		return
	}
	conv := newConversation(id, name)
	d.channels[conv.id] = conv.name
	d.folders[conv.name] = conv
}

// addDM records a direct message conversation, whose folder is its id.
func (d *directory) addDM(v *fastjson.Value) {
	id := str(v, "id")
	if id == "" {
		return
	}
	conv := newConversation(id, id)
	d.channels[id] = id
	d.folders[id] = conv
}
