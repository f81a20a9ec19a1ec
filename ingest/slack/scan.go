package slack

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// A message of an export is mostly values an event never reads: Block Kit
// "blocks" (the text again, as a tree), the poster's "user_profile",
// "reactions", "icons". Building all of them as JSON values was the largest
// part of reading an export. scan reads a message's top-level keys in one
// pass instead, keeping the strings an event needs and stepping over the
// nested values it does not, and hands only the nested values it reads
// (attachments, files, edited, bot_profile) to the JSON parser.
//
// What scan checks: the message's own punctuation (keys, colons, commas,
// strings, numbers, literals) and the nested values it reads, which the
// parser checks. What it does not: the inside of a nested value nobody
// reads, which it steps over by the export's indentation (the first line
// that closes at the keys' own indent ends it; see nestedEnd) or, in
// compact JSON, by counting brackets outside strings. A message scan cannot
// read (anything unexpected, escaped keys, a layout it does not know) is
// parsed whole by the JSON parser, which then says exactly what is wrong,
// so scan only ever saves time.

// scan fills w.msg and w.cut from the message object msg. ok is false when
// msg is not a message scan can read; w.msg is then undefined.
func (w *worker) scan(msg []byte) (ok bool) {
	m := &w.msg
	*m = message{}
	w.cut = [len(trimmed)][]byte{}
	w.unesc = w.unesc[:0]
	var nested [nestCount][]byte
	if len(msg) < 2 || msg[0] != '{' {
		return false
	}
	// The keys' indentation: "\n" and the white space before the first key.
	var ind []byte
	var lead indent
	i := 1
	if msg[1] == '\n' {
		i = skipSpaces(msg, 2)
		ind = msg[1:i]
		lead = newIndent(ind)
	}
	for first := true; ; first = false {
		i = skipWS(msg, lead.skip(msg, i))
		if i >= len(msg) {
			return false
		}
		if msg[i] == '}' && first {
			i++
			break
		}
		if msg[i] != '"' {
			return false
		}
		ks := i + 1
		ke, plain := stringEndPlain(msg, i)
		if ke >= len(msg) || !plain {
			return false // an escaped key: the parser unescapes it
		}
		key := msg[ks:ke]
		i = ke + 1
		if i >= len(msg) || msg[i] != ':' {
			if i = skipWS(msg, i); i >= len(msg) || msg[i] != ':' {
				return false
			}
		}
		v := i + 1
		if v < len(msg) && msg[v] == ' ' {
			v++
		}
		v = skipWS(msg, v)
		if v >= len(msg) {
			return false
		}
		var end int
		switch c := msg[v]; {
		case c == '"':
			var plain bool
			if end, plain = stringEndPlain(msg, v); end >= len(msg) {
				return false
			}
			end++
			if !w.scanString(key, msg[v+1:end-1], plain) {
				return false
			}
		case c == '{' || c == '[':
			end = skipNested(msg, v, ind)
			if end < 0 {
				return false
			}
			if i := cutIndex(key); i >= 0 {
				w.cut[i] = msg[v:end]
			} else if i := nestedIndex(key); i >= 0 {
				nested[i] = msg[v:end]
			} else {
				t := fastjson.TypeObject
				if c == '[' {
					t = fastjson.TypeArray
				}
				w.scanOther(key, t)
			}
		default:
			var t fastjson.Type
			if end, t = scalarEnd(msg, v); end < 0 {
				return false
			}
			if !w.scanOther(key, t) {
				return false
			}
		}
		i = skipWS(msg, end)
		if i >= len(msg) {
			return false
		}
		if msg[i] == '}' {
			i++
			break
		}
		if msg[i] != ',' {
			return false
		}
		i++
	}
	if skipWS(msg, i) != len(msg) {
		return false
	}
	for k, b := range nested {
		if b == nil {
			continue
		}
		v, err := w.pn[k].ParseBytes(b)
		if err != nil {
			return false
		}
		*m.nested(k) = v
	}
	return true
}

// scanString keeps the string value of key, if the event reads it: raw as
// it is when plain (it holds no backslash), else unescaped. A later key of
// the same name wins, as with the parser.
// ok is false for a nested key (see isNested) with a string value, which
// the parser would hand on as it is: scan leaves such a message to it.
func (w *worker) scanString(key, raw []byte, plain bool) (ok bool) {
	m := &w.msg
	dst := m.stringField(key)
	if dst == nil {
		return !isNested(key)
	}
	if string(key) == "ts" {
		m.hasTS, m.tsType = true, fastjson.TypeString
	}
	if plain {
		*dst = raw
		return true
	}
	start := len(w.unesc)
	w.unesc = appendJSONUnescaped(w.unesc, raw)
	*dst = w.unesc[start:len(w.unesc):len(w.unesc)]
	return true
}

// scanOther notes a value of key that is not a string (of type t): it
// clears a string field of the same name, as the parser's last value wins
// and a field that is not a string reads as absent, and gives ts its type
// for the error that names it. ok is false for a nested key with a value
// that is not an object or array, as in scanString.
func (w *worker) scanOther(key []byte, t fastjson.Type) (ok bool) {
	m := &w.msg
	dst := m.stringField(key)
	if dst == nil {
		return !isNested(key)
	}
	*dst = nil
	if string(key) == "ts" {
		m.hasTS, m.tsType = true, t
	}
	return true
}

// indent is the keys' indentation ("\n" and up to fifteen spaces or tabs)
// as two words, to step over it with two comparisons: stepping over white
// space a byte at a time was a tenth of scan.
type indent struct {
	word, mask [2]uint64
	n          int
}

func newIndent(ind []byte) indent {
	if len(ind) > 16 {
		return indent{}
	}
	var b [16]byte
	copy(b[:], ind)
	d := indent{n: len(ind)}
	for w := range d.word {
		d.word[w] = binary.LittleEndian.Uint64(b[8*w:])
		if n := len(ind) - 8*w; n >= 8 {
			d.mask[w] = ^uint64(0)
		} else if n > 0 {
			d.mask[w] = 1<<(8*n) - 1
		}
	}
	return d
}

// skip returns i past the indentation where msg[i:] starts with it.
func (ind *indent) skip(msg []byte, i int) int {
	if ind.n != 0 && i+16 <= len(msg) &&
		binary.LittleEndian.Uint64(msg[i:])&ind.mask[0] == ind.word[0] &&
		binary.LittleEndian.Uint64(msg[i+8:])&ind.mask[1] == ind.word[1] {
		return i + ind.n
	}
	return i
}

// skipSpaces returns the index of the first byte from i that is not a
// space or tab.
func skipSpaces(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

// skipNested returns the end of the object or array that opens at msg[v],
// or -1. In an indented message (ind is the keys' indentation) it jumps to
// the first closer at that indentation; otherwise it counts brackets.
func skipNested(msg []byte, v int, ind []byte) int {
	if len(ind) > 0 {
		if end, prev, ok := nestedEnd(msg, v, len(msg), ind); ok && deeper(msg, v, prev, end, ind) {
			return end
		}
	}
	return bracketEnd(msg, v)
}

// deeper reports whether the line before a nested value's closer (which
// starts at prev, or -1 for an empty value) is indented deeper than the
// keys: anything else means the layout is not what it seemed.
func deeper(msg []byte, v, prev, end int, ind []byte) bool {
	if prev < 0 {
		return true
	}
	line := end - 1 - len(ind)
	return prev >= v+1 && bytes.HasPrefix(msg[prev:line], ind) &&
		len(msg[prev:line]) > len(ind) && (msg[prev+len(ind)] == ' ' || msg[prev+len(ind)] == '\t')
}

// bracketEnd returns the end of the object or array that opens at msg[v],
// matching brackets outside strings, or -1 when they do not match.
func bracketEnd(msg []byte, v int) int {
	var stack [64]byte
	depth := 0
	for i := v; i < len(msg); i++ {
		switch c := msg[i]; c {
		case '"':
			i = stringEnd(msg, i)
		case '{', '[':
			if depth == len(stack) {
				return -1
			}
			stack[depth] = c + 2 // '{'+2 == '}', '['+2 == ']'
			depth++
		case '}', ']':
			if depth == 0 || stack[depth-1] != c {
				return -1
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// scalarEnd returns the end of the number or literal at msg[v] and its
// type, or -1 when it is neither.
func scalarEnd(msg []byte, v int) (int, fastjson.Type) {
	for _, lit := range [...]struct {
		s string
		t fastjson.Type
	}{{"true", fastjson.TypeTrue}, {"false", fastjson.TypeFalse}, {"null", fastjson.TypeNull}} {
		if bytes.HasPrefix(msg[v:], []byte(lit.s)) {
			return v + len(lit.s), lit.t
		}
	}
	e := v
	for e < len(msg) && (msg[e] >= '0' && msg[e] <= '9' || msg[e] == '-' || msg[e] == '+' || msg[e] == '.' || msg[e] == 'e' || msg[e] == 'E') {
		e++
	}
	if e == v || !jsonNumber(msg[v:e]) {
		return -1, 0
	}
	return e, fastjson.TypeNumber
}

// jsonNumber reports whether b is a number as JSON writes them.
func jsonNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > s
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(b)
}

// appendJSONUnescaped appends the JSON string body s, unescaped exactly as
// the parser (fastjson) does it: an escape it cannot read is kept as
// written.
func appendJSONUnescaped(b, s []byte) []byte {
	for len(s) > 0 {
		n := bytes.IndexByte(s, '\\')
		if n < 0 {
			return append(b, s...)
		}
		b = append(b, s[:n]...)
		s = s[n+1:]
		if len(s) == 0 {
			return b
		}
		ch := s[0]
		s = s[1:]
		switch ch {
		case '"', '\\', '/':
			b = append(b, ch)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if len(s) < 4 {
				b = append(b, `\u`...)
				break
			}
			xs := s[:4]
			x, err := strconv.ParseUint(string(xs), 16, 16)
			if err != nil {
				b = append(b, `\u`...)
				break
			}
			s = s[4:]
			if !utf16.IsSurrogate(rune(x)) {
				b = utf8.AppendRune(b, rune(x))
				break
			}
			if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
				b = append(append(b, `\u`...), xs...)
				break
			}
			x1, err := strconv.ParseUint(string(s[2:6]), 16, 16)
			if err != nil {
				b = append(append(b, `\u`...), xs...)
				break
			}
			b = utf8.AppendRune(b, utf16.DecodeRune(rune(x), rune(x1)))
			s = s[6:]
		default:
			b = append(b, '\\', ch)
		}
	}
	return b
}
