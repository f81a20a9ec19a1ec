package shellhist

import (
	"context"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

const bashAdvice = "no command in this history has a timestamp, so none can be placed on a " +
	"timeline: bash writes a \"#<epoch>\" line before each command only when HISTTIMEFORMAT " +
	"is set; add `export HISTTIMEFORMAT='%F %T '` to ~/.bashrc (new commands get a time; " +
	"those already in the file stay untimed); if this is a zsh history, add " +
	"`setopt EXTENDED_HISTORY` to ~/.zshrc instead"

const bashWhy = "written before HISTTIMEFORMAT was set"

// bashReader reads bash histories written with HISTTIMEFORMAT: a "#<epoch>"
// line before each command. Blank lines are skipped, as bash does.
//
// Lines between a timestamped command and the next timestamp follow bash's
// own reading of its file: when the file starts with a timestamp, bash wrote
// it with times throughout and such lines continue the command (a multi-line
// command), joined with newlines. When the file starts with an untimed
// command, it is only partly timestamped and every line is a command of its
// own, as bash reads it: lines without a timestamp of their own were
// appended by shells without HISTTIMEFORMAT, so they are left out and
// counted rather than glued to an unrelated command at a wrong time. (atuin
// splits them too, but gives them made-up times.)
type bashReader struct {
	*history
	from      int // where the entry's text starts in buf
	start     int // line of the timestamp
	epoch     int64
	seen      bool // a non-blank line was read
	multiline bool // the file starts with a timestamp
	pending   bool // a timestamp opened an entry
	hasCmd    bool // the entry has a command line
	skip      bool // the entry's timestamp is bad: it is skipped
}

func parseBash(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	return readBash(ctx, newHistory(in, emit, debrief.SourceBash))
}

func readBash(ctx context.Context, h *history) error {
	b := &bashReader{history: h}
	if err := open(ctx, h.in, b.line); err != nil {
		return err
	}
	if err := b.closeEntry(true); err != nil {
		return err
	}
	return b.history.finish(bashAdvice, bashWhy)
}

func (b *bashReader) line(line []byte, n int) error {
	if len(line) == 0 {
		return nil
	}
	isStamp := len(line) > 1 && line[0] == '#' && isDigit(line[1])
	if !b.seen {
		b.seen, b.multiline = true, isStamp
	}
	switch {
	case isStamp:
		return b.stamp(line, n)
	case !b.pending:
		b.leftOut(n)
	case !b.hasCmd:
		b.hasCmd = true
		if !b.skip {
			// The text is built in place in the batch, saving a copy.
			b.from = len(b.buf)
			b.appendText(line)
		}
	case b.multiline:
		if !b.skip {
			b.buf = append(b.buf, '\n')
			b.appendText(line)
		}
	default:
		b.leftOut(n)
	}
	return nil
}

// stamp ends the open entry and opens one at the timestamp line.
func (b *bashReader) stamp(line []byte, n int) error {
	digits := line[1:]
	for len(digits) > 0 && (digits[len(digits)-1] == ' ' || digits[len(digits)-1] == '\t') {
		digits = digits[:len(digits)-1] // bytes.TrimRight would build its cutset each time
	}
	t, ok, in := epoch(digits)
	if !ok && b.stamped == 0 {
		// A comment such as "#1 retry" among untimed commands.
		b.leftOut(n)
		return nil
	}
	if err := b.closeEntry(false); err != nil {
		return err
	}
	b.pending, b.hasCmd, b.skip, b.start, b.epoch = true, false, false, n, t
	if !ok {
		b.skip = true
		return b.bad(n, "expected a timestamp line like \"#1700000000\" (seconds since 1970), found %s", quote(line))
	}
	b.stamped++
	if !in {
		b.skip = true
		return b.bad(n, "expected a timestamp line with seconds since 1970 before 2200; %s", rangeMsg(t))
	}
	return nil
}

// closeEntry queues the open entry. atEOF says the file ended, for the message
// when a timestamp has no command after it.
func (b *bashReader) closeEntry(atEOF bool) error {
	if !b.pending || b.skip {
		b.pending = false
		return nil
	}
	b.pending = false
	if !b.hasCmd {
		if atEOF {
			return b.bad(b.start, "the file ends after a timestamp line: expected a command after it (is the file truncated?)")
		}
		return b.bad(b.start, "expected a command after the timestamp line, found another timestamp")
	}
	return b.queue(b.from, b.start, b.epoch)
}
