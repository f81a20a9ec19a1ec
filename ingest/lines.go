package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/debriefhq/debrief"
)

// MaxLine is the longest line the line reader accepts (a journald entry or a
// JSON-lines webhook body can be large; anything past this is not a text log).
const MaxLine = 64 << 20

// Lines calls fn for each line of r without its line ending (LF or CRLF),
// with its 1-based number. The slice is only valid during the call. A line
// longer than MaxLine is an input error.
func Lines(in *Input, r io.Reader, fn func(line []byte, n int) error) error {
	br := bufio.NewReaderSize(r, 256<<10)
	var long []byte
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			if len(long) > MaxLine {
				return in.Errorf(n+1, "line longer than %d MiB; expected a text file", MaxLine>>20)
			}
			continue
		}
		if err != nil && err != io.EOF {
			return &debrief.InputError{File: in.Name, Line: n + 1, Msg: "read", Err: err}
		}
		line := chunk
		if long != nil {
			long = append(long, chunk...)
			line = long
		}
		if len(line) > 0 || err == nil {
			n++
			line = bytes.TrimSuffix(line, []byte("\n"))
			line = bytes.TrimSuffix(line, []byte("\r"))
			if ferr := fn(line, n); ferr != nil {
				return ferr
			}
		}
		long = long[:0:0]
		if err == io.EOF {
			return nil
		}
	}
}

// JSONError turns an encoding/json error for document data into an input
// error with the line and column where the document went wrong. line0 is the
// line number of the document's first line (1 for a whole file).
func JSONError(in *Input, data []byte, line0 int, err error) *debrief.InputError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var off int64 = -1
	msg := err.Error()
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
		msg = "invalid JSON: " + syn.Error()
	case errors.As(err, &typ):
		off = typ.Offset
		msg = fmt.Sprintf("field %q: expected %s, found JSON %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = int64(len(data))
		msg = "truncated JSON: the document ends before it is complete"
	}
	if off < 0 || off > int64(len(data)) {
		return &debrief.InputError{File: in.Name, Line: line0, Msg: msg}
	}
	line := line0 + bytes.Count(data[:off], []byte("\n"))
	// Offset counts the byte that went wrong, so it is that byte's column.
	col := max(1, int(off)-(bytes.LastIndexByte(data[:off], '\n')+1))
	return &debrief.InputError{File: in.Name, Line: line, Msg: fmt.Sprintf("column %d: %s", col, msg)}
}
