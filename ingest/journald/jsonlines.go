package journald

import (
	"bufio"
	"bytes"
	"context"

	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// jsonLines reads `journalctl -o json` (one object a line) and `-o json-seq`
// (the same, each record after an RS byte).
func (p *parser) jsonLines(ctx context.Context, br *bufio.Reader) error {
	var jp fastjson.Parser
	var e entry
	return ingest.Lines(p.in, br, func(line []byte, n int) error {
		line = bytes.TrimLeft(line, "\x1e \t")
		if len(line) == 0 {
			return nil
		}
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if n == 1 && len(bytes.TrimSpace(line)) == 1 && line[0] == '{' {
			return p.in.Errorf(n, "expected one JSON object a line (journalctl -o json); this looks like -o json-pretty")
		}
		v, err := jp.ParseBytes(line)
		if err != nil {
			return p.in.BadRecord(p.in.Errorf(n, "expected a JSON object a line as journalctl -o json writes: %v", err))
		}
		o, err := v.Object()
		if err != nil {
			return p.in.BadRecord(p.in.Errorf(n, "expected a JSON object as journalctl -o json writes, found %s", v.Type()))
		}
		e = entry{line: n}
		o.Visit(func(key []byte, v *fastjson.Value) { e.setJSON(key, v) })
		return p.entry(&e)
	})
}

// setJSON stores one JSON field. journalctl writes a value as a string, as
// an array of byte values when it is not valid UTF-8, as null when it is over
// its size limit, and as an array of those when the field repeats.
func (e *entry) setJSON(key []byte, v *fastjson.Value) {
	if !wanted(key) {
		return
	}
	name := string(key) // the compiler does not allocate for a switch on it
	switch v.Type() {
	case fastjson.TypeString:
		e.set(name, v.GetStringBytes())
	case fastjson.TypeNumber:
		e.set(name, v.MarshalTo(nil))
	case fastjson.TypeNull:
		if name == "MESSAGE" {
			e.messageNull = true
		}
	case fastjson.TypeArray:
		e.setArray(name, v.GetArray())
	}
}

// setArray stores a byte array, or each value of a repeated field.
func (e *entry) setArray(name string, items []*fastjson.Value) {
	if len(items) > 0 && items[0].Type() == fastjson.TypeNumber {
		e.set(name, byteValues(items))
		return
	}
	for _, it := range items {
		switch it.Type() {
		case fastjson.TypeString:
			e.set(name, it.GetStringBytes())
		case fastjson.TypeArray:
			e.set(name, byteValues(it.GetArray()))
		case fastjson.TypeNull:
			if name == "MESSAGE" {
				e.messageNull = true
			}
		}
	}
}

// byteValues decodes [104, 105] to "hi". A value that is not a byte becomes
// 0xff, which is never valid UTF-8 and so shows as U+FFFD in the text.
func byteValues(items []*fastjson.Value) []byte {
	out := make([]byte, len(items))
	for i, it := range items {
		n, err := it.Int()
		if err != nil || n < 0 || n > 255 {
			n = 0xff
		}
		out[i] = byte(n)
	}
	return out
}
