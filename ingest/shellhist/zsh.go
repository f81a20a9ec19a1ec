package shellhist

import (
	"bytes"
	"context"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// meta is zsh's Meta byte: zsh writes each byte 0x83..0xa2 (and NUL) of a
// command as meta followed by the byte XOR 0x20, so UTF-8 text comes out
// garbled unless it is decoded.
const meta = 0x83

const zshAdvice = "no command in this zsh history has a timestamp, so none can be placed on a " +
	"timeline: zsh records them only with EXTENDED_HISTORY; add `setopt EXTENDED_HISTORY` " +
	"to ~/.zshrc and each new command is saved as \": <epoch>:<elapsed>;<command>\" " +
	"(commands already in the file have no time)"

const zshWhy = "written before EXTENDED_HISTORY was set"

// zshReader reads zsh's EXTENDED_HISTORY format, ": <start>:<elapsed>;<command>",
// where a line ending in a backslash continues on the next (zsh writes each
// newline of a command as backslash-newline). Lines before the first entry are
// plain entries from before EXTENDED_HISTORY was set: they are left out and
// counted. After the first entry, a line that is neither an entry nor a
// continuation is a bad record.
type zshReader struct {
	*history
	entry   []byte
	decoded []byte
	start   int
	epoch   int64 // 0 for a plain entry without a time
	open    bool  // the entry continues on the next line
	skip    bool  // the entry is bad: its continuation lines are skipped
}

func parseZsh(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	return readZsh(ctx, newHistory(in, emit, debrief.SourceZsh))
}

func readZsh(ctx context.Context, h *history) error {
	z := &zshReader{history: h}
	if err := open(ctx, h.in, z.line); err != nil {
		return err
	}
	if z.open {
		// The file ends inside a continuation: keep the command as written.
		z.entry[len(z.entry)-1] = '\\'
		z.open = false
		if err := z.closeEntry(z.entry); err != nil {
			return err
		}
	}
	return z.history.finish(zshAdvice, zshWhy)
}

func (z *zshReader) line(line []byte, n int) error {
	if z.open {
		z.entry = append(z.entry, line...)
		return z.end(z.entry)
	}
	if len(line) == 0 {
		return nil
	}
	z.start, z.skip, z.epoch = n, false, 0
	text := line
	switch {
	case len(line) > 1 && line[0] == ':' && line[1] == ' ':
		cmd, err := z.head(line, n)
		if err != nil {
			return err
		}
		text = cmd
	case z.stamped > 0:
		z.skip = true
		err := z.bad(n, "expected an entry like \": 1700000000:0;command\" or a line continuing "+
			"a command that ends in a backslash, found %s", quote(line))
		if err != nil {
			return err
		}
	}
	return z.end(text)
}

// head reads the first line of an entry, ": <start>:<elapsed>;<command>",
// and returns the command (the whole line when it is malformed).
func (z *zshReader) head(line []byte, n int) ([]byte, error) {
	start, cmd, ok := splitZsh(line)
	if !ok {
		z.skip = true
		return line, z.bad(n, "expected an entry like \": 1700000000:0;command\" (start and elapsed "+
			"seconds, then the command), found %s", quote(line))
	}
	z.stamped++
	t, _, in := epoch(start)
	if !in {
		z.skip = true
		return cmd, z.bad(n, "expected the start of the entry as seconds since 1970 before 2200; %s", rangeMsg(t))
	}
	z.epoch = t
	return cmd, nil
}

// end continues the entry when text, the entry so far, ends in a
// backslash, and closes it otherwise. On an entry's first line text is the
// input's line, only copied when the entry goes on: most are one line.
func (z *zshReader) end(text []byte) error {
	if k := len(text); k > 0 && text[k-1] == '\\' {
		if !z.open {
			z.entry = append(z.entry[:0], text...)
			z.open = true
		}
		z.entry[len(z.entry)-1] = '\n'
		return nil
	}
	z.open = false
	return z.closeEntry(text)
}

// closeEntry queues the entry's command text, or counts it when it has no
// time.
func (z *zshReader) closeEntry(text []byte) error {
	switch {
	case z.skip:
		return nil
	case z.epoch == 0:
		z.leftOut(z.start)
		return nil
	}
	text = trimEscapedSpace(text)
	if bytes.IndexByte(text, meta) >= 0 {
		z.decoded = unmetafy(z.decoded[:0], text)
		text = z.decoded
	}
	return z.command(z.start, z.epoch, text)
}

// splitZsh splits ": <start>:<elapsed>;<command>" into the start and the
// command. The elapsed seconds are checked and dropped.
func splitZsh(line []byte) (start, cmd []byte, ok bool) {
	rest := line[2:]
	i := 0
	for i < len(rest) && isDigit(rest[i]) {
		i++
	}
	if i == 0 || i == len(rest) || rest[i] != ':' {
		return nil, nil, false
	}
	j := i + 1
	if j < len(rest) && rest[j] == '-' {
		j++ // a clock stepping back gives a negative elapsed time
	}
	k := j
	for k < len(rest) && isDigit(rest[k]) {
		k++
	}
	if k == j || k == len(rest) || rest[k] != ';' {
		return nil, nil, false
	}
	return rest[:i], rest[k+1:], true
}

// trimEscapedSpace undoes the space zsh appends to a command ending in
// backslashes (and spaces), which keeps the backslash from reading as a
// continuation.
func trimEscapedSpace(b []byte) []byte {
	i := len(b)
	for i > 0 && b[i-1] == ' ' {
		i--
	}
	if i < len(b) && i > 0 && b[i-1] == '\\' {
		return b[:len(b)-1]
	}
	return b
}

// unmetafy appends src to dst with zsh's metafied bytes decoded.
func unmetafy(dst, src []byte) []byte {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == meta && i+1 < len(src) {
			i++
			c = src[i] ^ 0x20
		}
		dst = append(dst, c)
	}
	return dst
}
