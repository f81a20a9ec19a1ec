package journald

import (
	"bufio"
	"bytes"
	"context"

	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// jsonLines reads `journalctl -o json` (one object a line), `-o json-seq`
// (the same, each record after an RS byte) and `-o json-pretty` (each
// object over several lines, its braces alone on a line).
func (p *parser) jsonLines(ctx context.Context, br *bufio.Reader) error {
	var jp fastjson.Parser
	var e entry
	var pretty []byte // the object being gathered, in json-pretty
	prettyLine, isPretty := 0, false
	err := ingest.Lines(p.in, br, func(line []byte, n int) error {
		if isPretty {
			pretty = append(append(pretty, line...), '\n')
			if len(line) > 0 && line[0] == '}' && len(bytes.TrimSpace(line)) == 1 {
				err := p.jsonEntry(&jp, &e, pretty, prettyLine)
				pretty, prettyLine = pretty[:0], 0
				return err
			}
			if prettyLine == 0 {
				if t := bytes.TrimSpace(line); len(t) == 0 {
					pretty = pretty[:0]
					return nil
				} else if t[0] != '{' {
					return p.in.Errorf(n, "expected a JSON object as journalctl -o json-pretty writes it, its { alone on a line")
				}
				prettyLine = n
			}
			return nil
		}
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
			isPretty, prettyLine = true, n
			pretty = append(pretty[:0], "{\n"...)
			return nil
		}
		return p.jsonEntry(&jp, &e, line, n)
	})
	if err == nil && isPretty && prettyLine != 0 {
		return p.in.BadRecord(p.in.Errorf(prettyLine, "expected the object to end with } alone on a line; the file ends first"))
	}
	return err
}

// jsonEntry reads one journal entry written as a JSON object.
func (p *parser) jsonEntry(jp *fastjson.Parser, e *entry, line []byte, n int) error {
	{
		v, err := jp.ParseBytes(line)
		if err != nil {
			return p.in.BadRecord(p.in.Errorf(n, "expected a JSON object a line as journalctl -o json writes: %v", err))
		}
		o, err := v.Object()
		if err != nil {
			return p.in.BadRecord(p.in.Errorf(n, "expected a JSON object as journalctl -o json writes, found %s", v.Type()))
		}
		*e = entry{line: n}
		o.Visit(func(key []byte, v *fastjson.Value) { e.setJSON(key, v) })
		return p.entry(e)
	}
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
