package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// Parse streams one export: the top-level keys are read as tokens, and each
// message of the "messages" array is decoded and emitted on its own, so memory
// stays flat however large the file.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return fmt.Errorf("discord export %s: %w", in.Name, err)
	}
	defer f.Close()
	cr := &countingReader{r: f}
	d := &doc{in: in, emit: emit, cr: cr, dec: json.NewDecoder(cr), authors: map[string]*debrief.Identity{}}
	return d.parse(ctx)
}

// doc is the state of one export being read.
type doc struct {
	in      *ingest.Input
	emit    ingest.Emit
	cr      *countingReader
	dec     *json.Decoder
	json    fastjson.Parser
	raw     json.RawMessage
	authors map[string]*debrief.Identity

	channel    channel
	hasChannel bool
	// early holds the events of messages that came before the channel, in a
	// document whose keys were reordered; they are emitted at its end.
	early    []*debrief.Event
	messages int
	count    int64 // the export's own messageCount, -1 when absent
}

// channel is what the export says of the one channel it holds.
type channel struct {
	id, kind, category, name string
}

// parse walks the top-level object.
func (d *doc) parse(ctx context.Context) error {
	d.count = -1
	tok, err := d.dec.Token()
	if err != nil {
		return d.docError(err)
	}
	if tok != json.Delim('{') {
		return d.in.Errorf(1, `expected a DiscordChatExporter JSON object like {"guild":{...},"channel":{...},"messages":[...]}`)
	}
	for d.dec.More() {
		key, err := d.dec.Token()
		if err != nil {
			return d.docError(err)
		}
		name, _ := key.(string)
		done, err := d.field(ctx, name)
		if err != nil || done {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return d.docError(err)
	}
	return d.finish()
}

// field reads the value of one top-level key; done is true when the channel
// is not among those asked for, and the rest of the file can be left unread.
func (d *doc) field(ctx context.Context, key string) (done bool, err error) {
	switch key {
	case "channel":
		if err := d.readChannel(); err != nil {
			return false, err
		}
		return !d.selected(), nil
	case "messages":
		return false, d.readMessages(ctx)
	}
	if err := d.dec.Decode(&d.raw); err != nil {
		return false, d.valueError(err)
	}
	if key == "messageCount" {
		if v, err := d.json.ParseBytes(d.raw); err == nil {
			if n, err := v.Int64(); err == nil {
				d.count = n
			}
		}
	}
	return false, nil
}

// readChannel reads the channel object. Its fields are taken leniently: an
// export with an odd channel still has messages worth reading.
func (d *doc) readChannel() error {
	if err := d.dec.Decode(&d.raw); err != nil {
		return d.valueError(err)
	}
	v, err := d.json.ParseBytes(d.raw)
	if err != nil || v.Type() != fastjson.TypeObject {
		return d.in.Errorf(lineOf(d.cr, d.dec, d.raw), `expected "channel" as an object with a "name"`)
	}
	d.channel = channel{id: text(v, "id"), kind: text(v, "type"), category: text(v, "category"), name: text(v, "name")}
	d.hasChannel = true
	return nil
}

// label is the channel as events show it: "category/name" when the channel
// sits in a category (or, for a thread, under its parent channel).
func (c channel) label() string {
	if c.category == "" {
		return c.name
	}
	return c.category + "/" + c.name
}

// thread reports whether the export holds a thread rather than a channel.
func (c channel) thread() bool {
	return strings.Contains(c.kind, "Thread")
}

// selected reports whether the channel is one the user asked for, by name,
// by "category/name" or by id.
func (d *doc) selected() bool {
	if len(d.in.Channels) == 0 {
		return true
	}
	for _, want := range d.in.Channels {
		want = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(want), "#"))
		for _, have := range []string{d.channel.name, d.channel.label(), d.channel.id} {
			if have != "" && strings.ToLower(have) == want {
				return true
			}
		}
	}
	return false
}

// readMessages streams the messages array.
func (d *doc) readMessages(ctx context.Context) error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.docError(err)
	}
	if tok == nil {
		return nil // "messages": null
	}
	if tok != json.Delim('[') {
		return d.in.Errorf(lineOf(d.cr, d.dec, nil), `expected "messages" as an array of messages`)
	}
	for d.dec.More() {
		if d.messages%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := d.dec.Decode(&d.raw); err != nil {
			return d.valueError(err)
		}
		d.messages++
		if err := d.message(d.raw); err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return d.docError(err)
	}
	return nil
}

// finish emits messages held for a late channel object and remarks on a
// message count that does not match.
func (d *doc) finish() error {
	if d.count >= 0 && d.count != int64(d.messages) {
		d.in.Notef("the export says it holds %d messages but has %d; it may have been cut or edited", d.count, d.messages)
	}
	if !d.selected() {
		return nil
	}
	for _, ev := range d.early {
		d.place(ev)
		if err := d.emit(ev); err != nil {
			return err
		}
	}
	return nil
}
