package slack

import (
	"bytes"
	"context"
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
	dir   *directory
	actor string // in.Actor, for messages nobody posted
	p     fastjson.Parser
	file  bytes.Buffer
	text  []byte
	msg   message
	seen  seenActors
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
	data, err := w.read(in.FS, f.path)
	if err != nil {
		return sub.BadRecord(&debrief.InputError{File: f.input, Msg: "cannot read the day file", Err: err})
	}
	if err := fastjson.ValidateBytes(data); err != nil {
		return sub.BadRecord(jsonError(&sub, data, err))
	}
	n := 0
	ok, err := splitArray(data, func(start, end int) error {
		if n++; n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		v, err := w.p.ParseBytes(data[start:end])
		if err != nil {
			return sub.BadRecord(jsonError(&sub, data, err))
		}
		ev, bad := w.event(v, f.conv, sub.Name)
		if bad.msg != "" {
			line, _ := position(data, start)
			return sub.BadRecord(sub.Errorf(line, "message %d: %s", n, bad.msg))
		}
		return emit(ev)
	})
	if !ok {
		v, _ := w.p.ParseBytes(data)
		return sub.BadRecord(sub.Errorf(1, "expected a JSON array of Slack messages, found JSON %s", v.Type()))
	}
	return err
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
