package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"

	"github.com/debriefhq/debrief"
)

// The walk over top-level JSON values below serves every format whose input
// is one JSON value, values one after another, an array of them, or JSON
// lines (webhook captures are written all four ways).

// BOM is the UTF-8 byte order mark some tools write before JSON.
const BOM = "\xef\xbb\xbf"

// Records calls fn with each record of data and the line it starts on. A
// record is a top-level JSON value (one object, or one after another), an
// element of a top-level array, or one line of JSON lines. A document that is
// not JSON stops the parse with its line and column; a bad line of JSON lines
// is reported through in.Bad and skipped, as the lines around it stand alone.
func Records(in *Input, data []byte, fn func(raw []byte, line int) error) error {
	data = bytes.TrimPrefix(data, []byte(BOM))
	if isJSONLines(data) {
		return jsonLines(in, data, fn)
	}
	return document(in, data, fn)
}

// isJSONLines reports whether data holds one JSON value a line: its first
// non-blank line is a whole value and another line follows, or (when the first
// line is itself broken) the second non-blank line is a whole object. A
// pretty-printed document fails both tests: its first line is an opening brace.
func isJSONLines(data []byte) bool {
	first, rest := nextLine(data)
	second, _ := nextLine(rest)
	if len(first) == 0 || len(second) == 0 || first[0] != '{' && first[0] != '[' {
		return false
	}
	if json.Valid(first) {
		return true
	}
	return len(first) > 1 && second[0] == '{' && json.Valid(second)
}

// nextLine returns the first non-blank line of data, trimmed, and what follows it.
func nextLine(data []byte) (line, rest []byte) {
	for len(data) > 0 {
		line, rest = data, nil
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, rest = data[:i], data[i+1:]
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return line, rest
		}
		data = rest
	}
	return nil, nil
}

// jsonLines calls fn for each non-blank line of data.
func jsonLines(in *Input, data []byte, fn func(raw []byte, line int) error) error {
	return Lines(in, bytes.NewReader(data), func(line []byte, n int) error {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			return nil
		}
		if err := checkLine(line); err != nil {
			return in.BadRecord(JSONError(in, line, n, err))
		}
		if line[0] == '[' {
			return Elements(in, line, n, fn)
		}
		return fn(line, n)
	})
}

// errTrailing is a line holding more than one JSON value.
var errTrailing = errors.New("expected one JSON value a line, found more after it")

// checkLine returns the error that makes line something other than one JSON
// value: a syntax error, a truncation, or a second value after the first.
func checkLine(line []byte) error {
	if json.Valid(line) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return errTrailing
}

// document calls fn for each top-level value of data, and for each element
// of a top-level array.
func document(in *Input, data []byte, fn func(raw []byte, line int) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := lineIndex{data: data, line: 1}
	for {
		start := skipSpace(data, int(dec.InputOffset()))
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return JSONError(in, data, 1, err)
		}
		line := lines.at(start)
		if raw[0] == '[' {
			err = Elements(in, raw, line, fn)
		} else {
			err = fn(raw, line)
		}
		if err != nil {
			return err
		}
	}
}

// Elements calls fn for each element of the JSON array raw, which starts on
// line line0 and is known to be valid JSON.
func Elements(in *Input, raw []byte, line0 int, fn func(raw []byte, line int) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return JSONError(in, raw, line0, err)
	}
	lines := lineIndex{data: raw, line: line0}
	for dec.More() {
		start := skipSpace(raw, int(dec.InputOffset()))
		var elem json.RawMessage
		if err := dec.Decode(&elem); err != nil {
			return JSONError(in, raw, line0, err)
		}
		if err := fn(elem, lines.at(start)); err != nil {
			return err
		}
	}
	return nil
}

// Member is one key of a JSON object with its value and the line the value
// starts on.
type Member struct {
	Val  []byte // the raw JSON value
	Line int    // the line it starts on
}

// Members returns the values of the keys of the JSON object raw (known to be
// valid) that are in want, with their lines; raw starts on line line0.
func Members(raw []byte, line0 int, want ...string) (map[string]Member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	lines := lineIndex{data: raw, line: line0}
	found := make(map[string]Member, len(want))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		start := skipSpace(raw, int(dec.InputOffset()))
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		for _, w := range want {
			if key == w {
				found[key] = Member{Val: val, Line: lines.at(start)}
			}
		}
	}
	return found, nil
}

var errNotObject = errors.New("not a JSON object")

// skipSpace returns the offset of the first byte at or after off in data that
// is neither white space nor a separator between values.
func skipSpace(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// lineIndex turns byte offsets into line numbers, counting newlines only
// once as long as the offsets asked for grow.
type lineIndex struct {
	data []byte
	off  int
	line int
}

// at returns the line of offset off.
func (l *lineIndex) at(off int) int {
	off = min(max(off, 0), len(l.data))
	if off < l.off {
		l.line -= bytes.Count(l.data[off:l.off], []byte("\n"))
	} else {
		l.line += bytes.Count(l.data[l.off:off], []byte("\n"))
	}
	l.off = off
	return l.line
}

// RecordError reports a record that is JSON but not of the expected shape: the
// message names the field, what it should hold in JSON terms, and the line
// and column where it went wrong.
func RecordError(in *Input, raw []byte, line0 int, err error) *debrief.InputError {
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) {
		return JSONError(in, raw, line0, err)
	}
	off := int(min(max(typ.Offset, 0), int64(len(raw))))
	line := line0 + bytes.Count(raw[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(raw[:off], '\n') + 1) + 1
	field := "the record"
	if typ.Field != "" {
		field = strconv.Quote(typ.Field)
	}
	return in.Errorf(line, "column %d: expected %s as %s, found JSON %s", col, field, jsonType(typ.Type), typ.Value)
}

// jsonType names in JSON terms what a Go type decodes from.
func jsonType(t reflect.Type) string {
	if t == reflect.TypeFor[json.Number]() {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "a number"
}

// LooseString is a JSON field read as text whatever its type: webhook
// senders write the same field as "23" or 23 ("P3" or 3). It keeps a string,
// or the digits of a number, and holds nothing for other types.
type LooseString string

// UnmarshalJSON keeps a JSON string or number and passes over anything else.
func (l *LooseString) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case len(b) > 0 && b[0] == '"':
		if json.Unmarshal(b, &s) == nil {
			*l = LooseString(s)
		}
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*l = LooseString(b)
	}
	return nil
}
