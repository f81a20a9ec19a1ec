package slack

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// splitArray calls fn with the byte range of each element of data, a JSON
// array already known to be valid JSON. Parsing a day file one message at a
// time keeps the parser's memory at the size of a message: a busy incident
// channel writes day files of tens of megabytes, whose whole value tree
// would take ten times that. It reports false when data is not an array.
func splitArray(data []byte, fn func(start, end int) error) (bool, error) {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '[' {
		return false, nil
	}
	i++
	for {
		i = skipWS(data, i)
		if i >= len(data) {
			return false, nil
		}
		switch data[i] {
		case ']':
			return true, nil
		case ',':
			i++
			continue
		}
		end := valueEnd(data, i)
		if err := fn(i, end); err != nil {
			return true, err
		}
		i = end
	}
}

func skipWS(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the valid JSON value starting at i.
func valueEnd(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			i = stringEnd(data, i)
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
			if depth < 0 {
				return i
			}
		case ',', ' ', '\n', '\t', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// stringEnd returns the index of the quote closing the string that opens at
// i, jumping from quote to quote rather than stepping through the text.
func stringEnd(data []byte, i int) int {
	end, _ := stringEndPlain(data, i)
	return end
}

// stringEndPlain is stringEnd, also reporting plain: true when the string
// holds no backslash, so that its caller need not look for escapes again
// (a second IndexByte call for every key and value of a message).
func stringEndPlain(data []byte, i int) (end int, plain bool) {
	// Keys and short values end within a few bytes: look there first,
	// eight bytes at a time, as a call to IndexByte costs more than the
	// bytes it would skip.
	j := i + 1
	for n := 0; n < 3 && j+8 <= len(data); n++ {
		x := binary.LittleEndian.Uint64(data[j:])
		q, b := x^(0x01010101_01010101*'"'), x^(0x01010101_01010101*'\\')
		// The lowest byte flagged is the first quote or backslash.
		if m := ((q - 0x01010101_01010101) &^ q) | ((b - 0x01010101_01010101) &^ b); m&0x80808080_80808080 != 0 {
			j += bits.TrailingZeros64(m&0x80808080_80808080) >> 3
			if data[j] == '"' {
				return j, true
			}
			return stringEndSlow(data, i, j), false
		}
		j += 8
	}
	end = stringEndSlow(data, i, j)
	return end, bytes.IndexByte(data[j:min(end, len(data))], '\\') < 0
}

// stringEndSlow is stringEnd, knowing that no quote closes the string
// before data[from].
func stringEndSlow(data []byte, i, from int) int {
	j := from
	for {
		if j >= len(data) {
			return len(data)
		}
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data)
		}
		j += k
		n := 0
		for b := j - 1; b > i && data[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		j++
	}
}

// arrayStream reads the elements of a top-level JSON array one at a time,
// holding only a window of the input: a day file of tens of megabytes costs
// a few hundred kilobytes. It checks the array's punctuation; each element is
// checked by the parser that reads it. On anything wrong it reports
// streamBad, and the caller reads the file whole to explain where.
type arrayStream struct {
	r        io.Reader
	buf      []byte
	pos      int // next unread byte
	end      int // end of valid data in buf
	line     int // line of buf[pos]
	eof      bool
	started  bool
	closer   []byte // "\n" + indent + "}" of a pretty-printed file, else empty
	last     int    // start of the element last returned, for retry
	lastLine int
}

type streamState int

const (
	streamElem streamState = iota
	streamEnd
	streamBad
)

func (s *arrayStream) reset(r io.Reader) {
	if cap(s.buf) == 0 {
		// A typical day file (half a megabyte in the benchmark's export)
		// is read in one call rather than three or four: fewer refills and
		// fewer system calls, which on a VM the runtime often answers by
		// handing the processor to another thread.
		s.buf = make([]byte, 1<<20)
	}
	s.buf = s.buf[:cap(s.buf)]
	s.r, s.pos, s.end, s.line, s.eof, s.started = r, 0, 0, 1, false, false
	s.closer, s.last, s.lastLine = s.closer[:0], 0, 0
}

// fill moves the unread bytes to the front and reads more, growing the
// window when an element does not fit in it.
func (s *arrayStream) fill() error {
	if s.eof {
		return nil
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.last -= s.pos
		s.pos = 0
	}
	if s.end == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	n, err := s.r.Read(s.buf[s.end:])
	s.end += n
	if err == io.EOF {
		s.eof = true
		return nil
	}
	return err
}

// skip consumes white space, counting lines; it reports whether a byte
// follows.
func (s *arrayStream) skip() (bool, error) {
	for {
		for s.pos < s.end {
			switch s.buf[s.pos] {
			case '\n':
				s.line++
			case ' ', '\t', '\r':
			default:
				return true, nil
			}
			s.pos++
		}
		if s.eof {
			return false, nil
		}
		if err := s.fill(); err != nil {
			return false, err
		}
	}
}

// next returns the next element and the line it starts on. The slice is
// valid until the following call.
func (s *arrayStream) next() ([]byte, int, streamState, error) {
	more, err := s.skip()
	if err != nil || !more {
		return nil, 0, streamBad, err
	}
	c := s.buf[s.pos]
	switch {
	case !s.started && c != '[':
		return nil, 0, streamBad, nil
	case !s.started:
		s.started = true
		s.pos++
		p0 := s.pos
		if more, err = s.skip(); err != nil || !more {
			return nil, 0, streamBad, err
		}
		s.learnIndent(p0)
		if s.buf[s.pos] == ']' {
			return s.finish()
		}
	case c == ']':
		return s.finish()
	case c == ',':
		s.pos++
		if more, err = s.skip(); err != nil || !more {
			return nil, 0, streamBad, err
		}
	default:
		return nil, 0, streamBad, nil
	}
	return s.element()
}

// learnIndent remembers how a pretty-printed file indents its elements
// (the white space after the last newline before the first one), so that
// element ends can be found by searching for a newline, that indent and a
// closing brace: a newline never occurs inside a JSON string, and deeper
// objects close further right.
func (s *arrayStream) learnIndent(p0 int) {
	s.closer = s.closer[:0]
	if p0 > s.pos || s.pos > s.end {
		return
	}
	gap := s.buf[p0:s.pos]
	nl := bytes.LastIndexByte(gap, '\n')
	if nl < 0 || s.pos >= s.end || s.buf[s.pos] != '{' {
		return
	}
	s.closer = append(append(append(s.closer, '\n'), gap[nl+1:]...), '}')
}

// element returns the next element. With a known indent it guesses the end
// by search; the caller checks the guess by parsing it and calls exact when
// that fails.
func (s *arrayStream) element() ([]byte, int, streamState, error) {
	if len(s.closer) > 0 {
		for {
			if i := indexLine(s.buf[s.pos:s.end], s.closer); i >= 0 {
				return s.take(i + len(s.closer))
			}
			if s.eof {
				break
			}
			if err := s.fill(); err != nil {
				return nil, 0, streamBad, err
			}
		}
	}
	return s.exact()
}

// take returns the next n bytes as an element.
func (s *arrayStream) take(n int) ([]byte, int, streamState, error) {
	elem := s.buf[s.pos : s.pos+n]
	line := s.line
	s.last, s.lastLine = s.pos, s.line
	s.line += bytes.Count(elem, []byte("\n"))
	s.pos += n
	return elem, line, streamElem, nil
}

// retry goes back to the start of the element last returned and finds its
// end by scanning; the indent guess is dropped for the rest of the file.
func (s *arrayStream) retry() ([]byte, int, streamState, error) {
	s.pos, s.line = s.last, s.lastLine
	s.closer = s.closer[:0]
	return s.exact()
}

// exact finds the element's end by scanning its structure.
func (s *arrayStream) exact() ([]byte, int, streamState, error) {
	for {
		rel := valueEnd(s.buf[s.pos:s.end], 0)
		if s.pos+rel < s.end || s.eof {
			if rel == 0 {
				return nil, 0, streamBad, nil
			}
			return s.take(rel)
		}
		if err := s.fill(); err != nil {
			return nil, 0, streamBad, err
		}
	}
}

// finish consumes the closing bracket; only white space may follow.
func (s *arrayStream) finish() ([]byte, int, streamState, error) {
	s.pos++
	more, err := s.skip()
	if err != nil || more {
		return nil, 0, streamBad, err
	}
	return nil, 0, streamEnd, nil
}
