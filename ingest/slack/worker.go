package slack

import (
	"bytes"
	"context"
	"errors"
	"io/fs"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// maxSizeHint caps how much a file's claimed size may preallocate; a zip
// header can claim anything, and larger files still read, just in steps.
const maxSizeHint = 256 << 20

// worker parses documents of messages one at a time on one goroutine,
// reusing its parser, file buffer and text buffer from one to the next so
// that memory stays flat however large the export is.
type worker struct {
	dir    *directory
	actor  string // in.Actor, for messages nobody posted
	p      fastjson.Parser
	file   bytes.Buffer
	msg    message
	seen   seenActors
	stream arrayStream
	evs    []debrief.Event // see newEvent
	strs   []byte          // see str
	trim   trimmer
	// cut are the values cut out of the message being read (see
	// trimmer), parsed with pb only if the message needs them.
	cut [len(trimmed)][]byte
	pb  [len(trimmed)]fastjson.Parser
	// pn parse the nested values scan hands on; unesc holds the strings
	// it unescaped, until the next message.
	pn    [nestCount]fastjson.Parser
	unesc []byte
}

func newWorker(dir *directory, actor string) *worker {
	return &worker{dir: dir, actor: actor}
}

// read reads the file name into the worker's buffer; the bytes live until the
// next read.
func (w *worker) read(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w.file.Reset()
	if info, err := f.Stat(); err == nil && info.Size() > 0 && info.Size() < maxSizeHint {
		w.file.Grow(int(info.Size()) + bytes.MinRead)
	}
	_, err = w.file.ReadFrom(f)
	return w.file.Bytes(), err
}

// dayFile is one day file of an export, with the channel it belongs to.
type dayFile struct {
	path  string // in the input's FS
	input string // Event.Input and the file name in errors
	conv  *conversation
}

// parseDay parses one day file. A file that is not a JSON array of messages
// is a bad record of the export: skipped when the Bad hook says so.
func (w *worker) parseDay(ctx context.Context, in *ingest.Input, f dayFile, emit ingest.Emit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sub := *in
	sub.Name = f.input
	file, err := in.FS.Open(f.path)
	if err != nil {
		return sub.BadRecord(&debrief.InputError{File: f.input, Msg: "cannot read the day file", Err: err})
	}
	defer file.Close()
	w.stream.reset(file)
	for n := 1; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		elem, line, state, err := w.stream.next()
		switch {
		case err != nil:
			return sub.BadRecord(&debrief.InputError{File: f.input, Line: line, Msg: "cannot read the day file", Err: err})
		case state == streamEnd:
			return nil
		case state == streamBad:
			return sub.BadRecord(w.explain(&sub, in.FS, f.path))
		}
		ev, bad, line, fine := w.parse(elem, line, f.conv, sub.Name)
		if !fine {
			// Not JSON: the whole file is one bad record.
			return sub.BadRecord(w.explain(&sub, in.FS, f.path))
		}
		w.cut = [len(trimmed)][]byte{}
		if bad.msg != "" {
			if err := sub.BadRecord(sub.Errorf(line, "message %d: %s", n, bad.msg)); err != nil {
				return err
			}
			continue
		}
		if err := emit(ev); err != nil {
			return err
		}
	}
}

// parse reads a message with scan, or else with the JSON parser (see
// trimmer), finding its end exactly if the guess from the file's
// indentation was wrong (and then the line it starts on changes). ok is
// false when it is not JSON.
func (w *worker) parse(elem []byte, line int, conv *conversation, input string) (ev *debrief.Event, bad badRecord, at int, ok bool) {
	if w.scan(elem) {
		ev, bad = w.eventOf(&w.msg, conv, input)
		return ev, bad, line, true
	}
	trimmed, cut := w.trim.trim(elem)
	v, err := w.p.ParseBytes(trimmed)
	if err != nil && len(trimmed) != len(elem) {
		cut = [len(cut)][]byte{}
		v, err = w.p.ParseBytes(elem) // the cut went wrong: the whole message
	}
	if err != nil && len(w.stream.closer) > 0 {
		// The end was a guess from the file's indentation; find it exactly.
		var state streamState
		if elem, line, state, err = w.stream.retry(); err == nil && state == streamElem {
			v, err = w.p.ParseBytes(elem)
		} else if err == nil {
			err = errNotArray
		}
	}
	if err != nil {
		return nil, badRecord{}, line, false
	}
	w.cut = cut
	ev, bad = w.event(v, conv, input)
	return ev, bad, line, true
}

var errNotArray = errors.New("not an array of messages")

// explain reads a day file whole, only when streaming found it broken, to
// say where and why: the line and column of invalid JSON, or what the file
// holds instead of an array of messages.
func (w *worker) explain(in *ingest.Input, fsys fs.FS, name string) *debrief.InputError {
	defer func() { w.file = bytes.Buffer{} }()
	data, err := w.read(fsys, name)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read the day file", Err: err}
	}
	if err := fastjson.ValidateBytes(data); err != nil {
		return jsonError(in, data, err)
	}
	v, _ := w.p.ParseBytes(data)
	return in.Errorf(1, "expected a JSON array of Slack messages, found JSON %s", v.Type())
}

// emitAll emits the events of msgs, the messages of data found at key ("" for
// a top-level array), reporting unreadable ones with their line.
func (w *worker) emitAll(ctx context.Context, in *ingest.Input, data []byte, key string, msgs []*fastjson.Value, conv *conversation, emit ingest.Emit) error {
	var where *locator
	for i, v := range msgs {
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ev, bad := w.event(v, conv, in.Name)
		if bad.msg != "" {
			if where == nil {
				where = newLocator(data, key)
			}
			if err := in.BadRecord(in.Errorf(where.lineOf(i, bad.key), "message %d: %s", i+1, bad.msg)); err != nil {
				return err
			}
			continue
		}
		if err := emit(ev); err != nil {
			return err
		}
	}
	return nil
}
