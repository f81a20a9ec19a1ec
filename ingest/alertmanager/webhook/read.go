package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

const bom = "\xef\xbb\xbf"

// read reads the input line by line: as JSON lines when its first line
// holds a whole JSON value, and as one document otherwise.
func (s *Stream) read(ctx context.Context) error {
	f, err := s.in.FS.Open(s.in.Path)
	if err != nil {
		return &debrief.InputError{File: s.in.Name, Msg: "open", Err: err}
	}
	defer f.Close()
	g := &gatherer{s: s, ctx: ctx}
	if err := ingest.Lines(s.in, f, g.line); err != nil || g.mode != document {
		return err
	}
	return s.document(ctx, g.doc, g.line0)
}

// How an input is read, decided on its first line that is not blank.
const (
	undecided = iota
	jsonLines // one body (or array of bodies) a line, read as they come
	document  // a pretty-printed body or array, gathered and read at the end
)

// gatherer takes the lines of an input, reading JSON lines at once and
// gathering a document.
type gatherer struct {
	s     *Stream
	ctx   context.Context
	mode  int
	line0 int    // the first line of the document
	doc   []byte // the document so far
}

func (g *gatherer) line(line []byte, n int) error {
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte(bom))
	}
	switch g.mode {
	case undecided:
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			return nil
		}
		if wholeValue(trimmed) {
			g.mode = jsonLines
			return g.s.line(g.ctx, trimmed, n)
		}
		g.mode, g.line0 = document, n
		g.doc = append(g.doc, line...)
	case jsonLines:
		return g.s.line(g.ctx, bytes.TrimSpace(line), n)
	default:
		// The newline goes before the line, so that a document cut off in
		// a string reads as truncated.
		g.doc = append(append(g.doc, '\n'), line...)
	}
	return nil
}

// wholeValue reports whether a trimmed first line looks like a complete JSON
// object or array: the mark of JSON lines (or of a minified document, which
// reads the same way).
func wholeValue(b []byte) bool {
	first, last := b[0], b[len(b)-1]
	return len(b) >= 2 && (first == '{' && last == '}' || first == '[' && last == ']')
}

// line reads one line of JSON lines: a body, or an array of bodies.
func (s *Stream) line(ctx context.Context, line []byte, n int) error {
	if len(line) == 0 {
		return nil
	}
	if s.lines++; s.lines%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	v, err := s.parser.ParseBytes(line)
	if err != nil {
		return s.in.BadRecord(syntaxError(s.in, line, n, err))
	}
	if v.Type() == fastjson.TypeArray {
		for _, b := range v.GetArray() {
			if err := s.body(b, line, n); err != nil {
				return err
			}
		}
		return nil
	}
	return s.body(v, line, n)
}

// syntaxError explains why data (starting at line n) is not JSON, with the
// line and column encoding/json finds; fastjson's own error is the fallback.
func syntaxError(in *ingest.Input, data []byte, n int, fastErr error) *debrief.InputError {
	var v any
	err := json.Unmarshal(data, &v)
	var syn *json.SyntaxError
	if errors.As(err, &syn) && syn.Offset >= int64(len(data)) {
		err = io.ErrUnexpectedEOF
	}
	if err == nil {
		return in.Errorf(n, "invalid JSON: %v", fastErr)
	}
	return ingest.JSONError(in, data, n, err)
}

// document reads a whole document that starts at line line0: one or more
// JSON values, each a body or an array of bodies. Invalid JSON anywhere
// makes the whole document unreadable.
func (s *Stream) document(ctx context.Context, data []byte, line0 int) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := lineCounter{data: data, line: line0}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return ingest.JSONError(s.in, data, line0, err)
		}
		n := lines.at(start)
		if raw[0] == '[' {
			err = s.array(ctx, raw, n)
		} else {
			err = s.raw(raw, n)
		}
		if err != nil {
			return err
		}
	}
}

// array reads each element of a valid JSON array (raw, starting at line n)
// as a body, each with its own line.
func (s *Stream) array(ctx context.Context, raw []byte, n int) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return ingest.JSONError(s.in, raw, n, err)
	}
	lines := lineCounter{data: raw, line: n}
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := dec.InputOffset()
		var el json.RawMessage
		if err := dec.Decode(&el); err != nil {
			return ingest.JSONError(s.in, raw, n, err)
		}
		if err := s.raw(el, lines.at(start)); err != nil {
			return err
		}
	}
	return nil
}

// raw reads one body given as valid JSON.
func (s *Stream) raw(raw []byte, n int) error {
	v, err := s.parser.ParseBytes(raw)
	if err != nil {
		return s.in.BadRecord(syntaxError(s.in, raw, n, err))
	}
	return s.body(v, raw, n)
}

// lineCounter gives the lines of values in data at growing offsets,
// counting each newline once however many values there are.
type lineCounter struct {
	data []byte
	off  int // counted up to here
	line int // the line at off
}

// at returns the line on which the first value at or after off begins,
// skipping blanks and a separating comma.
func (c *lineCounter) at(off int64) int {
	i := max(int(off), c.off)
	for i < len(c.data) && (c.data[i] == ' ' || c.data[i] == '\t' || c.data[i] == '\r' || c.data[i] == '\n' || c.data[i] == ',') {
		i++
	}
	c.line += bytes.Count(c.data[c.off:i], []byte("\n"))
	c.off = i
	return c.line
}
