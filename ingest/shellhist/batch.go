package shellhist

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
)

// Events are made in batches: the texts and refs of a batch share one string
// and its events one allocation, as one allocation per event and string
// would cost most of the parse time on a large history. Batches stay small
// so that an event kept alone pins little memory.
const (
	batchEvents = 128
	batchBytes  = 16 << 10
)

// pending is a command waiting in the batch: its text is buf[from:mid] and
// its ref buf[mid:to].
type pending struct {
	from, mid, to int
	epoch         int64
}

// command queues the command text run at epoch, from the entry starting at
// line, to become an event.
func (h *history) command(line int, epoch int64, text []byte) error {
	from := len(h.buf)
	h.appendText(text)
	return h.queue(from, line, epoch)
}

// appendText appends text to the command being built at the end of buf,
// made valid UTF-8. Valid pieces joined stay valid.
func (h *history) appendText(text []byte) {
	if utf8.Valid(text) {
		h.buf = append(h.buf, text...)
	} else {
		h.buf = append(h.buf, bytes.ToValidUTF8(text, []byte("\uFFFD"))...)
	}
}

// queue queues the command whose text was built at buf[from:], run at
// epoch, from the entry starting at line.
func (h *history) queue(from, line int, epoch int64) error {
	mid := len(h.buf)
	h.buf = append(h.buf, h.channel...)
	h.buf = append(h.buf, ':')
	h.buf = strconv.AppendInt(h.buf, int64(line), 10)
	h.buf = append(h.buf, ':')
	h.buf = strconv.AppendInt(h.buf, epoch, 10)
	h.batch = append(h.batch, pending{from: from, mid: mid, to: len(h.buf), epoch: epoch})
	if len(h.batch) == batchEvents || len(h.buf) >= batchBytes {
		return h.flush()
	}
	return nil
}

// flush makes and emits the events of the batch.
func (h *history) flush() error {
	if len(h.batch) == 0 {
		return nil
	}
	s := string(h.buf) // one allocation for the batch's texts and refs
	events := make([]debrief.Event, len(h.batch))
	for i, p := range h.batch {
		// Field by field into the zeroed event: a composite literal would
		// be built aside and copied.
		ev := &events[i]
		ev.Time = time.Unix(p.epoch, 0).UTC()
		ev.Source = h.source
		ev.Kind = debrief.KindCommand
		ev.Actor = h.actor
		ev.Channel = h.channel
		ev.Text = s[p.from:p.mid]
		ev.Ref = s[p.mid:p.to]
		ev.Input = h.in.Name
		ev.Identity = h.ident
		if err := h.emit(ev); err != nil {
			return err
		}
	}
	h.batch, h.buf = h.batch[:0], h.buf[:0]
	return nil
}
