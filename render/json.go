package render

import (
	"bufio"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// JSONL writes one JSON object per event, nothing else: the stream a script
// or another tool reads.
func JSONL(w io.Writer, t *timeline.Timeline, _ Options) error {
	lr := newLineRenderer(w, appendEvent)
	err := t.EachHeld(lr.add)
	if cerr := lr.close(); err == nil {
		err = cerr
	}
	return err
}

// JSON writes the whole timeline as one object in the shape documented in
// DESIGN.md: window, metrics, participants, stalls, redactions, events.
func JSON(w io.Writer, t *timeline.Timeline, _ Options) error {
	if err := t.Analyze(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	head := struct {
		Window       timeline.Window        `json:"window"`
		Metrics      timeline.Metrics       `json:"metrics"`
		Participants []debrief.Person       `json:"participants"`
		Stalls       []timeline.Stall       `json:"stalls"`
		Redactions   int                    `json:"redactions"`
		EventCount   int                    `json:"event_count"`
		Omitted      int                    `json:"omitted"`
		Duplicates   int                    `json:"duplicates"`
		Skipped      int                    `json:"skipped"`
		Sources      []debrief.Source       `json:"sources"`
		Moments      map[debrief.Moment]int `json:"moments"`
		Notes        []string               `json:"notes"`
	}{t.Window, t.Metrics, t.Participants, t.Stalls, t.Redactions, t.Events, t.Omitted,
		t.Duplicates, t.Skipped, t.Sources, t.Moments, t.Notes}
	if head.Notes == nil {
		head.Notes = []string{}
	}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	bw.Write(b[:len(b)-1])
	bw.WriteString(`,"events":[`)
	var buf []byte
	first := true
	err = t.Each(func(ev *debrief.Event) error {
		buf = buf[:0]
		if !first {
			buf = append(buf, ",\n"...)
		} else {
			buf = append(buf, '\n')
		}
		first = false
		buf = appendEvent(buf, ev)
		_, err := bw.Write(buf)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// appendEvent encodes ev by hand: it runs for every event of million-event
// timelines, where reflection would cost more than parsing.
func appendEvent(b []byte, ev *debrief.Event) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, ev.ID)
	b = append(b, `,"time":"`...)
	b = appendTime(b, ev.Time)
	b = append(b, `","source":`...)
	b = appendString(b, string(ev.Source))
	b = append(b, `,"kind":`...)
	b = appendString(b, string(ev.Kind))
	b = append(b, `,"actor":`...)
	b = appendString(b, ev.Actor)
	b = append(b, `,"channel":`...)
	b = appendString(b, ev.Channel)
	b = append(b, `,"text":`...)
	b = appendString(b, ev.Text)
	b = append(b, `,"moments":[`...)
	for i, m := range ev.Moments {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, string(m))
	}
	b = append(b, `],"why":{`...)
	for i, m := range ev.Moments {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, string(m))
		b = append(b, ':')
		b = appendString(b, ev.Why.Of(m))
	}
	b = append(b, `},"ref":`...)
	b = appendString(b, ev.Ref)
	if ev.Thread != "" {
		b = append(b, `,"thread":`...)
		b = appendString(b, ev.Thread)
	}
	if ev.Bot {
		b = append(b, `,"bot":true`...)
	}
	if !ev.Edited.IsZero() {
		b = append(b, `,"edited":"`...)
		b = appendTime(b, ev.Edited)
		b = append(b, '"')
	}
	return append(b, '}')
}

const hex = "0123456789abcdef"

// plain marks (1) the bytes that go into a JSON string as they are:
// printable ASCII other than the quote, the backslash and the
// HTML-significant <, > and &. Everything else takes the slow path.
var plain = func() (t [256]uint8) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = 1
	}
	for _, c := range `"\<>&` {
		t[c] = 0
	}
	return t
}()

// plainRun returns the index of the first byte from s[i] on in the first
// group of eight that holds a byte to escape (or of the last bytes, fewer
// than eight): eight independent table loads ANDed together a step, which
// measured 1.6 times the speed of testing the eight bytes as one word.
//
// On amd64 with AVX2, plainBlocks (assembly) first looks 32 bytes at a time,
// with six byte comparisons each: escaping the texts of a large timeline
// was a tenth of printing it.
func plainRun(s string, i int) int {
	if useBlocks && len(s)-i >= 32 {
		i += plainBlocks(s[i:])
	}
	for i+8 <= len(s) {
		_ = s[i+7]
		if plain[s[i]]&plain[s[i+1]]&plain[s[i+2]]&plain[s[i+3]]&plain[s[i+4]]&plain[s[i+5]]&plain[s[i+6]]&plain[s[i+7]] == 0 {
			break
		}
		i += 8
	}
	return i
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD and
// U+2028/U+2029 are escaped so the output is safe inside a script tag too.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	// Eight bytes at a time (32 with AVX2) while none needs escaping: most
	// text is plain ASCII. In the group where that stops, a byte at a time
	// up to the byte to escape; the groups again only after it (calling
	// plainRun for every byte of a group was a third of encoding a line).
	i := plainRun(s, 0)
	for i < len(s) {
		c := s[i]
		if plain[c] != 0 {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
		} else if r, size := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
		} else if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hex[r&0xf])
			i += size
			start = i
		} else {
			i += size
		}
		i = plainRun(s, i)
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
