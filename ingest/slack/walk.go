package slack

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// walker reads a message the way Slack writes it in an export: indented,
// one top-level key per line. It is the fast path of a day file; the JSON
// parser reads only what the walk cannot:
//
//   - a string value without a backslash (a ts, a user id, most texts) is
//     used as it stands in the file, no parsing at all;
//   - a string with escapes and the nested values an event is made of
//     (attachments, files, edited, bot_profile, comment) are gathered into a
//     small object, parsed in one go;
//   - blocks and user_profile are cut out and parsed only if the message
//     turns out to need them (see trimmer);
//   - every other key (reactions, replies, team, client_msg_id, ...) is
//     stepped over by its lines, never parsed.
//
// A JSON string cannot hold a raw newline, so in such a layout a top-level
// key's value ends on the first line that starts with the key's own
// indentation (a nested value is indented deeper, its first and last lines
// one step deeper, as an even layout has them). Whatever does not fit the
// layout exactly (compact JSON, a key repeated, a ts that is not a string,
// two keys on one line, a key without a value, a nested value indented
// otherwise) makes the walk give up, and the message is parsed whole, as
// before; so does a gathered object that does not parse. The message's own
// end is found by the stream, and checked by the parser where the walk
// gives up.
// What the walk steps over is not checked to be valid JSON: Debrief never
// reads it (the same holds for a cut value a message does not need).
type walker struct {
	indent []byte // "\n" and the top-level keys' indentation
	mini   []byte // the object gathered for the parser
	strs   []byte // the message's strings that had escapes, unescaped
}

// wantKey says what the walk does with a top-level key.
type wantKey uint8

const (
	skipKey   wantKey = iota
	stringKey         // a string field of message, taken as is when it can be
	parseKey          // a nested value of message, parsed with the gathered object
	cutKey            // blocks, user_profile: cut, parsed only when needed
)

// keyWant says what the walk does with a top-level key, and gives each key
// message.read reads a bit, so that a repeated one (which the parser would
// resolve its own way) sends the message to the parser.
func keyWant(key []byte) (wantKey, uint16) {
	switch string(key) {
	case "ts":
		return stringKey, 1 << 0
	case "thread_ts":
		return stringKey, 1 << 1
	case "user":
		return stringKey, 1 << 2
	case "text":
		return stringKey, 1 << 3
	case "subtype":
		return stringKey, 1 << 4
	case "username":
		return stringKey, 1 << 5
	case "bot_id":
		return stringKey, 1 << 6
	case "attachments":
		return parseKey, 1 << 7
	case "files":
		return parseKey, 1 << 8
	case "file":
		return parseKey, 1 << 9
	case "comment":
		return parseKey, 1 << 10
	case "edited":
		return parseKey, 1 << 11
	case "bot_profile":
		return parseKey, 1 << 12
	case "blocks":
		return cutKey, 1 << 13
	case "user_profile":
		return cutKey, 1 << 14
	}
	return skipKey, 0
}

// walk fills m from msg, with p for the gathered object, and returns the
// cut values (as trimmer.trim does). ok is false when msg is not laid out
// as the walk needs; m is then unspecified.
func (wk *walker) walk(msg []byte, p *fastjson.Parser, m *message) (cut [len(trimmed)][]byte, ok bool) {
	*m = message{}
	if len(msg) < 4 || msg[0] != '{' || msg[1] != '\n' || msg[len(msg)-1] != '}' {
		return cut, false
	}
	i := 2
	for i < len(msg) && (msg[i] == ' ' || msg[i] == '\t') {
		i++
	}
	if i == 2 || i >= len(msg) || msg[i] != '"' {
		return cut, false
	}
	wk.indent = append(wk.indent[:0], msg[1:i]...)
	ind := wk.indent
	// The message's closing brace is on a line of its own, indented less.
	last := bytes.LastIndexByte(msg, '\n')
	for _, c := range msg[last+1 : len(msg)-1] {
		if c != ' ' && c != '\t' {
			return cut, false
		}
	}
	outer := len(msg) - 1 - (last + 1) // the closing brace's indentation
	if outer >= len(ind)-1 {
		return cut, false
	}
	// Nested values' lines are indented one step (keys' indentation less
	// the brace's) deeper than the keys.
	deeper := len(ind) + (len(ind) - 1 - outer)
	wk.mini = append(wk.mini[:0], '{')
	wk.strs = wk.strs[:0]
	var seen uint16
	pos := 1 // at the "\n" that starts the next key's line
	for {
		if pos == last {
			break // the closing brace's line
		}
		if pos+len(ind) >= last || !bytes.Equal(msg[pos:pos+len(ind)], ind) || msg[pos+len(ind)] != '"' {
			return cut, false
		}
		k := pos + len(ind)
		ke := k + 1
		for ke < last && msg[ke] != '"' && msg[ke] != '\\' && msg[ke] != '\n' {
			ke++
		}
		if ke+2 >= last || msg[ke] != '"' || msg[ke+1] != ':' {
			return cut, false
		}
		key := msg[k+1 : ke]
		v := ke + 2
		if msg[v] == ' ' {
			v++
		}
		end, escaped, okv := valueLineEnd(msg, v, last, ind, deeper)
		if !okv {
			return cut, false
		}
		// The value is msg[v:end]; a comma must follow unless it is the
		// last key, and then the next line starts.
		next := end
		if next < last && msg[next] == ',' {
			next++
		} else if next != last {
			return cut, false
		}
		if next != last && msg[next] != '\n' {
			return cut, false
		}
		if next == last && end != last {
			return cut, false
		}
		if end == last && msg[end-1] == ',' {
			return cut, false
		}
		if want, bit := keyWant(key); want != skipKey {
			if seen&bit != 0 {
				return cut, false
			}
			seen |= bit
			value := msg[v:end]
			switch want {
			case stringKey:
				switch {
				case value[0] == '"' && !escaped:
					m.setString(string(key), value[1:len(value)-1])
				case value[0] == '"':
					start := len(wk.strs)
					var fine bool
					if wk.strs, fine = appendJSONString(wk.strs, value[1:len(value)-1]); fine {
						m.setString(string(key), wk.strs[start:len(wk.strs):len(wk.strs)])
					} else {
						wk.strs = wk.strs[:start]
						wk.gather(msg[k:end])
					}
				case string(key) == "ts":
					return cut, false // the parser explains what is wrong
				default:
					wk.gather(msg[k:end])
				}
			case parseKey:
				wk.gather(msg[k:end])
			case cutKey:
				if value[0] != '{' && value[0] != '[' {
					return cut, false
				}
				i := 0
				if string(key) == "user_profile" {
					i = 1
				}
				cut[i] = value
			}
		}
		if next == last {
			break
		}
		pos = next
	}
	if seen&1 == 0 {
		return cut, false // no ts: the parser explains
	}
	if len(wk.mini) > 1 {
		wk.mini = append(wk.mini, '}')
		v, err := p.ParseBytes(wk.mini)
		if err != nil {
			return cut, false
		}
		o, err := v.Object()
		if err != nil {
			return cut, false
		}
		o.Visit(m.readKey)
	}
	if m.tsValue != nil {
		if m.tsValue.Type() != fastjson.TypeString {
			return cut, false
		}
		m.ts, _ = m.tsValue.StringBytes()
		m.tsValue = nil
	}
	m.tsRead = true
	return cut, true
}

// gather adds one `"key": value` to the object for the parser.
func (wk *walker) gather(kv []byte) {
	if len(wk.mini) > 1 {
		wk.mini = append(wk.mini, ',')
	}
	wk.mini = append(wk.mini, kv...)
}

// valueLineEnd finds the end of the value that starts at msg[v], a
// top-level key's value in a message laid out with the top-level
// indentation ind, before last (the start of the closing brace's line). It
// reports whether a string held a backslash, and false when the layout is
// not the one the walk reads.
func valueLineEnd(msg []byte, v, last int, ind []byte, deeper int) (end int, escaped, ok bool) {
	if v >= last {
		return 0, false, false
	}
	switch c := msg[v]; c {
	case '"':
		// Short strings (ids, a ts, a type) end within a few bytes: a look
		// at each costs less than a call that searches many at once.
		for j, lim := v+1, min(v+33, last); j < lim; j++ {
			if b := msg[j]; b == '"' {
				return j + 1, false, true
			} else if b == '\\' || b == '\n' {
				break
			}
		}
		e := stringEnd(msg, v)
		if e >= last {
			return 0, false, false
		}
		s := msg[v+1 : e]
		if bytes.IndexByte(s, '\n') >= 0 {
			return 0, false, false
		}
		return e + 1, bytes.IndexByte(s, '\\') >= 0, true
	case '{', '[':
		// As a layout that is even throughout has it, a nested value's
		// first and last lines are one step deeper than the keys (deeper
		// is that line's indentation, "\n" included); a value laid out
		// otherwise (a line inside it at the keys' indentation could pass
		// for its end) is left to the parser.
		end, prev, ok := nestedEnd(msg, v, last, ind)
		if !ok || prev >= 0 && (prev < v+1 || !indentedAt(msg, v+1, deeper) || !indentedAt(msg, prev, deeper)) {
			return 0, false, false
		}
		return end, false, true
	default:
		// A number, true, false or null: up to the line's end, without
		// its comma.
		e := bytes.IndexByte(msg[v:last+1], '\n')
		if e <= 0 {
			return 0, false, false
		}
		e += v
		if msg[e-1] == ',' {
			e--
		}
		if e == v {
			return 0, false, false // `"key": ,`: no value at all
		}
		for _, b := range msg[v:e] {
			if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b == '-' || b == '+' || b == '.' || b == 'E') {
				return 0, false, false
			}
		}
		return e, false, true
	}
}

// indentedAt reports whether the line after the newline at msg[nl] is
// indented by exactly deeper-1 bytes of white space: msg[nl:nl+deeper] is
// "\n" and white space, and what follows is not.
func indentedAt(msg []byte, nl, deeper int) bool {
	if nl+deeper >= len(msg) || msg[nl] != '\n' {
		return false
	}
	for _, c := range msg[nl+1 : nl+deeper] {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	c := msg[nl+deeper]
	return c != ' ' && c != '\t' && c != '\n'
}

// setString sets the string field key of m to s, a JSON string's content
// without escapes.
func (m *message) setString(key string, s []byte) {
	switch key {
	case "ts":
		m.ts = s
	case "thread_ts":
		m.threadTS = s
	case "user":
		m.user = s
	case "text":
		m.text = s
	case "subtype":
		m.subtype = s
	case "username":
		m.username = s
	case "bot_id":
		m.botID = s
	}
}

// appendJSONString appends the JSON string content s (between its quotes)
// unescaped, exactly as the JSON parser would. It reports false for what it
// leaves to the parser: an unknown or short escape, a bare quote.
func appendJSONString(dst, s []byte) ([]byte, bool) {
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\\')
		if i < 0 {
			if bytes.IndexByte(s, '"') >= 0 {
				return dst, false
			}
			return append(dst, s...), true
		}
		if bytes.IndexByte(s[:i], '"') >= 0 || i+1 >= len(s) {
			return dst, false
		}
		dst = append(dst, s[:i]...)
		c := s[i+1]
		s = s[i+2:]
		switch c {
		case '"', '\\', '/':
			dst = append(dst, c)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			x, ok := hex4(s)
			if !ok {
				return dst, false
			}
			s = s[4:]
			if !utf16.IsSurrogate(x) {
				dst = utf8.AppendRune(dst, x)
				continue
			}
			// A surrogate pair; anything else is the parser's.
			if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
				return dst, false
			}
			y, ok := hex4(s[2:])
			if !ok {
				return dst, false
			}
			dst = utf8.AppendRune(dst, utf16.DecodeRune(x, y))
			s = s[6:]
		default:
			return dst, false
		}
	}
	return dst, true
}

// hex4 reads four hex digits.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
