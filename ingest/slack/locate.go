package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// jsonError explains why data is not JSON, with line and column. fastjson's
// errors carry no position, so encoding/json reads the document again, only
// on this path, to find where it goes wrong.
func jsonError(in *ingest.Input, data []byte, fastErr error) *debrief.InputError {
	if len(bytes.TrimSpace(data)) == 0 {
		return in.Errorf(1, "empty file; expected a Slack export JSON document")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return ingest.JSONError(in, data, 1, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		off := dec.InputOffset()
		off += int64(len(data[off:]) - len(bytes.TrimLeft(data[off:], " \t\r\n")))
		line, col := position(data, int(off))
		return in.Errorf(line, "column %d: invalid JSON: unexpected data after the end of the document", col)
	}
	return in.Errorf(1, "invalid JSON: %v", fastErr)
}

// position is the 1-based line and column of byte off of data.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	col = off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
	return line, col
}

// locator finds the lines of messages in a document, which fastjson does
// not record. It is only used for bad records, on documents fastjson already
// parsed, and moves forward only, so reporting every message of a file as
// bad costs one pass over the file rather than one per message.
type locator struct {
	s       scanner
	key     string // member of the top-level object holding the messages; "" when the document is the array
	started bool
	ok      bool
	index   int // index of the message at s.i
	line    int // line of byte counted
	counted int
}

func newLocator(data []byte, key string) *locator {
	return &locator{s: scanner{b: data}, key: key, line: 1}
}

// lineOf returns the line of message index, or of its member field when
// field is set and present. Indexes must not decrease from call to call.
func (l *locator) lineOf(index int, field string) int {
	if !l.started {
		l.started = true
		l.ok = l.enter()
	}
	if !l.ok || index < l.index {
		return 1
	}
	for ; l.index < index; l.index++ {
		l.s.skip()
		l.s.ws()
		if !l.s.next(',') {
			l.ok = false
			return 1
		}
		l.s.ws()
	}
	at, start := l.s.i, l.s.i
	if field != "" && l.s.member(field) {
		at = l.s.keyAt
	}
	l.s.i = start
	return l.lineAt(at)
}

// enter moves to the first message.
func (l *locator) enter() bool {
	l.s.ws()
	if l.key != "" && !l.s.member(l.key) {
		return false
	}
	ok := l.s.next('[')
	l.s.ws()
	return ok
}

// lineAt counts lines up to off, on from where the last call stopped.
func (l *locator) lineAt(off int) int {
	off = min(off, len(l.s.b))
	if off > l.counted {
		l.line += bytes.Count(l.s.b[l.counted:off], []byte("\n"))
		l.counted = off
	}
	return l.line
}

// scanner walks well-formed JSON just enough to find where things are.
type scanner struct {
	b     []byte
	i     int
	keyAt int // offset of the last key member found
}

func (s *scanner) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\n' || s.b[s.i] == '\r' || s.b[s.i] == '\t') {
		s.i++
	}
}

// next consumes c if it is next.
func (s *scanner) next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// member moves into the object at the cursor up to the value of key.
func (s *scanner) member(key string) bool {
	if !s.next('{') {
		return false
	}
	for {
		s.ws()
		at := s.i
		k := s.str()
		s.ws()
		if k == nil || !s.next(':') {
			return false
		}
		s.ws()
		if string(k) == key {
			s.keyAt = at
			return true
		}
		s.skip()
		s.ws()
		if !s.next(',') {
			return false
		}
	}
}

// str consumes a string and returns its raw content, nil if none is next.
func (s *scanner) str() []byte {
	if !s.next('"') {
		return nil
	}
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
			continue
		case '"':
			s.i++
			return s.b[start : s.i-1]
		}
		s.i++
	}
	s.i = len(s.b)
	return nil
}

// skip consumes one value of any kind.
func (s *scanner) skip() {
	depth := 0
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case '"':
			s.str()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				s.i++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		}
		s.i++
	}
}
