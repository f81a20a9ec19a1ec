package slack

import (
	"bytes"
	"slices"
)

// Most of a message's bytes in an export are Block Kit "blocks" (the text
// again, as a tree) and the poster's "user_profile", which an event needs
// only when the message has no text, or users.json does not list its
// poster: building their values was close to half of the JSON parser's
// time. Exports are written indented (Slack writes four
// spaces), and a JSON string cannot hold a raw newline, so in an indented
// message the value of a top-level key ends on the first line that starts
// with the key's own indentation. trimmer cuts those keys out of a message
// by that rule before the message is parsed, keeping their bytes to parse
// only when the message turns out to need them. A message
// not laid out that way (compact JSON, a key on another line's end) is left
// whole; if the cut text does not parse, the whole message is parsed, so
// the cut only ever saves time.
type trimmer struct {
	buf    []byte // the message without the cut keys
	indent []byte // "\n" and the top-level keys' indentation
	key    []byte // scratch: indent + `"name":`
}

// trimmed are the keys a trimmer cuts, in the order of trim's values.
var trimmed = [...]string{"blocks", "user_profile"}

// trim returns msg without its top-level "blocks" and "user_profile", and
// their values (nil where a key was absent or not cut): blocks are only
// read when a message has no text, a profile only for a user users.json
// does not list. out lives until the next trim; the values point into msg.
func (t *trimmer) trim(msg []byte) (out []byte, values [len(trimmed)][]byte) {
	if len(msg) < 2 || msg[0] != '{' {
		return msg, values
	}
	nl := bytes.IndexByte(msg, '\n')
	if nl < 0 {
		return msg, values // compact
	}
	i := nl + 1
	for i < len(msg) && (msg[i] == ' ' || msg[i] == '\t') {
		i++
	}
	if i == nl+1 || i >= len(msg) || msg[i] != '"' {
		return msg, values
	}
	t.indent = append(t.indent[:0], msg[nl:i]...)
	var cuts [len(trimmed)]cut
	n := 0
	// Exports put blocks after user_profile: the search for blocks starts
	// past the profile (whose URLs are full of the byte it jumps between),
	// and looks before it only if that found nothing.
	from := 0
	for j := len(trimmed) - 1; j >= 0; j-- {
		c, value, ok := t.find(msg, trimmed[j], from)
		if !ok && from > 0 {
			c, value, ok = t.find(msg, trimmed[j], 0)
		}
		if ok {
			cuts[n] = c
			n++
			values[j] = value
			from = c.e
		}
	}
	if n == 0 {
		return msg, values
	}
	slices.SortFunc(cuts[:n], func(a, b cut) int { return a.s - b.s })
	// Neighbouring keys are one cut; then each cut takes one comma with
	// it: the one after it, or the one before the last key.
	m := 0
	for _, c := range cuts[1:n] {
		if last := &cuts[m]; c.s == last.e+1 && msg[last.e] == ',' {
			last.e = c.e
			continue
		}
		m++
		cuts[m] = c
	}
	n = m + 1
	for j := range n {
		c := &cuts[j]
		switch {
		case c.e < len(msg) && msg[c.e] == ',':
			c.e++
		case c.s > 0 && msg[c.s-1] == ',' && (j == 0 || cuts[j-1].e < c.s-1):
			c.s--
		default:
			return msg, [len(trimmed)][]byte{}
		}
	}
	t.buf = t.buf[:0]
	prev := 0
	for _, c := range cuts[:n] {
		t.buf = append(t.buf, msg[prev:c.s]...)
		prev = c.e
	}
	t.buf = append(t.buf, msg[prev:]...)
	return t.buf, values
}

// rareByte is the byte of each key that the search jumps between: the
// rarest in chat text and in the JSON around it.
var rareByte = map[string]byte{"blocks": 'k', "user_profile": '_'}

// cut is a span of a message: from the newline before a key to the end of
// its value.
type cut struct{ s, e int }

// find locates the top-level key name in msg from byte from on; its value
// must be an array or an object. It returns the span of the key's line and
// value, and the value.
func (t *trimmer) find(msg []byte, name string, from int) (c cut, value []byte, ok bool) {
	// Searches start at bytes rarer than the newline: bytes.Index jumps
	// from one candidate first byte to the next, and a message has a
	// newline every few dozen bytes.
	t.key = append(append(append(t.key[:0], '"'), name...), `":`...)
	rare := bytes.IndexByte(t.key, rareByte[name])
	k := from + rare
	for {
		if k >= len(msg) {
			return cut{}, nil, false
		}
		i := bytes.IndexByte(msg[k:], t.key[rare])
		if i < 0 {
			return cut{}, nil, false
		}
		k += i - rare
		if k >= len(t.indent) && k+len(t.key) <= len(msg) && string(msg[k:k+len(t.key)]) == string(t.key) &&
			bytes.Equal(msg[k-len(t.indent):k], t.indent) {
			break // a top-level key
		}
		k += rare + 1
	}
	v := k + len(t.key)
	k -= len(t.indent)
	for v < len(msg) && msg[v] == ' ' {
		v++
	}
	if v >= len(msg) || (msg[v] != '[' && msg[v] != '{') {
		return cut{}, nil, false
	}
	end, prev, ok := nestedEnd(msg, v, len(msg), t.indent)
	if !ok {
		return cut{}, nil, false
	}
	// The line before the closer must be indented deeper (inside the
	// value); anything else means the layout is not what it seemed.
	if line := end - 1 - len(t.indent); prev >= 0 && (prev < v+1 || !bytes.HasPrefix(msg[prev:line], t.indent) ||
		len(msg[prev:line]) <= len(t.indent) || (msg[prev+len(t.indent)] != ' ' && msg[prev+len(t.indent)] != '\t')) {
		return cut{}, nil, false
	}
	return cut{k, end}, msg[v:end], true
}

// nestedEnd finds where the nested value that opens at msg[v] ('{' or '[')
// ends, in a message laid out by lines whose top-level keys are indented by
// ind ("\n" and white space), looking no further than msg[:limit]: at the
// first closer that starts a line with the keys' indentation. It returns
// the index after the closer and where the line before that one starts
// (its "\n"), or prev -1 for an empty value ({} or []); ok is false for a
// value on one line, whose end is not known by lines.
func nestedEnd(msg []byte, v, limit int, ind []byte) (end, prev int, ok bool) {
	closer := byte(']')
	if msg[v] == '{' {
		closer = '}'
	}
	switch {
	case v+1 < limit && msg[v+1] == closer:
		return v + 2, -1, true
	case v+1 >= limit || msg[v+1] != '\n':
		return 0, 0, false
	}
	var buf [64]byte // the closer's line, "\n", ind and the closer
	pat := append(append(buf[:0], ind...), closer)
	p := indexLine(msg[v+1:limit], pat)
	if p < 0 {
		return 0, 0, false
	}
	line := v + 1 + p
	return line + len(pat), bytes.LastIndexByte(msg[v:line], '\n') + v, true
}
