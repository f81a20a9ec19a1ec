package journald

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// exportReader reads the journal export format: entries of KEY=value lines
// ended by a blank line, where a field whose value is binary (or holds a
// newline) is its name on a line, a 64-bit little-endian length, the raw
// bytes and a newline. It counts lines as a text editor would.
type exportReader struct {
	br   *bufio.Reader
	line int // the line the next byte is on
	long []byte
	// arena holds the current entry's values; reset for each entry.
	arena []byte
}

// errTooLong reports a text line over ingest.MaxLine.
var errTooLong = errors.New("line too long")

// readLine returns the next line without its newline; io.EOF when the input
// is over. The slice is valid until the next read.
func (r *exportReader) readLine() ([]byte, error) {
	r.long = r.long[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			r.long = append(r.long, chunk...)
			if len(r.long) > ingest.MaxLine {
				return nil, errTooLong
			}
			continue
		case err != nil && err != io.EOF:
			return nil, err
		}
		line := chunk
		if len(r.long) > 0 {
			line = append(r.long, chunk...)
		}
		if len(line) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		if bytes.HasSuffix(line, []byte("\n")) {
			r.line++
			line = line[:len(line)-1]
		}
		return line, nil
	}
}

// readBinary reads a binary field's length, bytes and newline, keeping the
// bytes in the arena when keep is set. It never allocates more than the input
// holds: the bytes are copied as they arrive.
func (r *exportReader) readBinary(keep bool) ([]byte, error) {
	var size [8]byte
	if _, err := io.ReadFull(r.br, size[:]); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	r.line += bytes.Count(size[:], []byte("\n"))
	n := binary.LittleEndian.Uint64(size[:])
	if n > ingest.MaxLine {
		return nil, errSize{n}
	}
	start := len(r.arena)
	for left := int(n); left > 0; {
		chunk, err := r.br.Peek(min(left, r.br.Size()))
		if len(chunk) == 0 && err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		r.line += bytes.Count(chunk, []byte("\n"))
		if keep {
			r.arena = append(r.arena, chunk...)
		}
		r.br.Discard(len(chunk))
		left -= len(chunk)
	}
	if c, err := r.br.ReadByte(); err != nil {
		return nil, io.ErrUnexpectedEOF
	} else if c != '\n' {
		return nil, errSize{n}
	}
	r.line++
	return r.arena[start:], nil
}

// errSize reports a binary field whose length cannot be right.
type errSize struct{ n uint64 }

func (e errSize) Error() string { return "bad size" }

// export reads a journal export and emits each entry.
func (p *parser) export(ctx context.Context, br *bufio.Reader) error {
	r := &exportReader{br: br, line: 1}
	var e entry
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		start := r.line
		line, err := r.readLine()
		if errors.Is(err, io.EOF) {
			return p.endEntry(r, &e)
		}
		if err != nil {
			return p.readError(start, err)
		}
		if len(line) == 0 {
			if err := p.endEntry(r, &e); err != nil {
				return err
			}
			continue
		}
		if err := p.field(r, &e, line, start); err != nil {
			return err
		}
	}
}

// field reads one KEY=value line, or a binary field whose name is line.
func (p *parser) field(r *exportReader, e *entry, line []byte, start int) error {
	name, value, text := bytes.Cut(line, []byte("="))
	if !validField(name) {
		p.strayLine(line, start)
		return nil
	}
	if e.line == 0 {
		e.line = start
	}
	keep := wanted(name)
	if text {
		if keep {
			r.arena = append(r.arena, value...)
			e.set(string(name), r.arena[len(r.arena)-len(value):])
		}
		return nil
	}
	key := string(name) // before reading on: name points into the reader's buffer
	value, err := r.readBinary(keep)
	var bad errSize
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		*e = entry{}
		return p.in.BadRecord(p.in.Errorf(start, "truncated journal export: binary field %s ends before its declared length", key))
	case errors.As(err, &bad):
		*e = entry{}
		if err := p.in.BadRecord(p.in.Errorf(start, "expected binary field %s as a 64-bit little-endian length, the bytes and a newline; found a length of %d", key, bad.n)); err != nil {
			return err
		}
		return r.skipEntry()
	case keep:
		e.set(key, value)
	}
	return nil
}

// skipEntry discards lines up to the blank line that ends the entry, to get
// back in step after a binary field that cannot be read.
func (r *exportReader) skipEntry() error {
	for {
		line, err := r.readLine()
		if err != nil || len(line) == 0 {
			return nil
		}
	}
}

// endEntry emits the entry read so far, if any, and starts the next.
func (p *parser) endEntry(r *exportReader, e *entry) error {
	var err error
	if e.line != 0 {
		err = p.entry(e)
	}
	*e = entry{}
	r.arena = r.arena[:0]
	return err
}

// strayLine counts a line that is no journal field, such as a syslog line
// pasted between entries. systemd-journal-remote ignores such lines, and so
// does Debrief: the entries around them are intact, so they are noted rather
// than reported as bad records.
func (p *parser) strayLine(line []byte, n int) {
	p.stray++
	if p.stray == 1 {
		p.strayFirst = n
		p.strayText = strings.ToValidUTF8(string(line[:min(len(line), 60)]), "\uFFFD")
	}
}

func (p *parser) readError(line int, err error) error {
	if errors.Is(err, errTooLong) {
		return p.in.Errorf(line, "line longer than %d MiB; expected a journal export", ingest.MaxLine>>20)
	}
	return &debrief.InputError{File: p.in.Name, Line: line, Msg: "read", Err: err}
}

// validField reports whether name is a journal field name: 1 to 64 of A-Z,
// 0-9 and _, not starting with a digit.
func validField(name []byte) bool {
	if len(name) == 0 || len(name) > 64 || (name[0] >= '0' && name[0] <= '9') {
		return false
	}
	for _, c := range name {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
