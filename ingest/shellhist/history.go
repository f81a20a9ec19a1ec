package shellhist

import (
	"strconv"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// maxEpoch is 2200-01-01T00:00:00Z: later times are corrupt, not history.
const maxEpoch = 7258118400

// history is one history file being read: what its events share, and the
// commands left out for lack of a timestamp.
type history struct {
	in      *ingest.Input
	emit    ingest.Emit
	source  debrief.Source
	actor   string
	channel string
	ident   *debrief.Identity
	// batch holds commands not yet emitted; buf their texts and refs.
	batch []pending
	buf   []byte
	// stamped counts well-formed timestamps, in range or not: a history
	// with none is refused, one with some is only partly timestamped.
	stamped   int
	untimed   int
	untimedAt int
}

func newHistory(in *ingest.Input, emit ingest.Emit, source debrief.Source) *history {
	base := baseName(in)
	h := &history{in: in, emit: emit, source: source, actor: in.Actor, channel: base}
	if h.actor == "" {
		h.actor = OwnerFromName(base)
	}
	if h.actor != "" {
		h.ident = &debrief.Identity{Source: source, Handle: h.actor}
	}
	return h
}

// leftOut counts a command without a timestamp, starting at line.
func (h *history) leftOut(line int) {
	if h.untimed == 0 {
		h.untimedAt = line
	}
	h.untimed++
}

// finish emits the last batch, then refuses a history in which no command
// has a timestamp, with advice on how to record them, or notes how many
// untimed commands were left out.
func (h *history) finish(advice, why string) error {
	if err := h.flush(); err != nil {
		return err
	}
	if h.untimed == 0 {
		return nil
	}
	if h.stamped == 0 {
		return &debrief.InputError{File: h.in.Name, Line: h.untimedAt, Msg: advice}
	}
	h.in.Notef("%s: left out %d %s without a timestamp, the first at line %d (%s)",
		h.in.Name, h.untimed, plural(h.untimed, "command"), h.untimedAt, why)
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// epoch parses seconds since 1970. ok is false when b is not all digits; in
// is false when the time is 0 (none recorded) or after 2200.
func epoch(b []byte) (n int64, ok, in bool) {
	if len(b) == 0 {
		return 0, false, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if n <= maxEpoch {
			n = n*10 + int64(c-'0')
		}
	}
	return n, true, n > 0 && n <= maxEpoch
}

// rangeMsg says why a well-formed epoch is not accepted.
func rangeMsg(n int64) string {
	if n == 0 {
		return "time 0 means no time was recorded"
	}
	return "time is after 2200"
}

// quote shows the start of a bad line in a message.
func quote(b []byte) string {
	const max = 40
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "..."
	}
	return strconv.Quote(string(b))
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// bad reports the bad record at line through the input's Bad hook; a nil
// result means skip it and go on.
func (h *history) bad(line int, format string, args ...any) error {
	return h.in.BadRecord(h.in.Errorf(line, format, args...))
}
