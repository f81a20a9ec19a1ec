package shellhist

import (
	"bytes"
	"context"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// fishReader reads fish's YAML-like history:
//
//	# ~/.local/share/fish/fish_history
//	- cmd: kubectl -n checkout rollout undo deploy/checkout
//	  when: 1700000000
//	  paths:
//	    - deploy/checkout
//
// Backslashes and newlines in a command are written as `\\` and `\n`. As in
// fish, lines of YAML framing (%, ---, ...) are skipped, a doubled
// "- cmd: - cmd: " left by fish 1.x is undone, and the "- cmd:    when:"
// lines fish 1.x wrote are ignored. Any other top-level line is a corrupt
// entry (fish skips those too): a bad record, together with its indented
// lines. An entry without a valid "when" is a bad record.
type fishReader struct {
	*history
	cmd     []byte
	start   int
	inEntry bool // a "- cmd:" entry is open
	when    []byte
	whenAt  int // line of the entry's "when:", 0 when none yet
}

func parseFish(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	return readFish(ctx, newHistory(in, emit, debrief.SourceFish))
}

func readFish(ctx context.Context, h *history) error {
	f := &fishReader{history: h}
	if err := open(ctx, h.in, f.line); err != nil {
		return err
	}
	if err := f.closeEntry(); err != nil {
		return err
	}
	return f.finish("", "")
}

const (
	cmdKey   = "- cmd:"
	cmdTwice = "- cmd: - cmd: "
	cmdWhen  = "- cmd:    when:"
	whenKey  = "when:"
)

func (f *fishReader) line(line []byte, n int) error {
	if len(line) == 0 {
		return nil
	}
	if line[0] == ' ' {
		f.interior(line, n)
		return nil
	}
	if err := f.closeEntry(); err != nil {
		return err
	}
	if yamlFraming(line) {
		return nil
	}
	for hasPrefix(line, cmdTwice) {
		line = line[len("- cmd: "):]
	}
	if hasPrefix(line, cmdWhen) {
		return nil
	}
	if !hasPrefix(line, cmdKey) {
		return f.bad(n, "expected an entry starting with \"- cmd: \", found %s", quote(line))
	}
	f.cmd = unescapeFish(f.cmd[:0], bytes.TrimLeft(line[len(cmdKey):], " \t"))
	f.inEntry, f.start, f.whenAt = true, n, 0
	return nil
}

// interior reads an indented line of the open entry. Only "when" matters;
// "paths" and its items are skipped. Indented lines of a corrupt entry are
// skipped with it.
func (f *fishReader) interior(line []byte, n int) {
	if !f.inEntry || f.whenAt != 0 {
		return
	}
	line = bytes.TrimLeft(line, " ")
	if !hasPrefix(line, whenKey) {
		return
	}
	f.whenAt = n
	f.when = append(f.when[:0], bytes.TrimSpace(line[len(whenKey):])...)
}

// closeEntry queues the open entry, or reports it when its time is missing or bad.
func (f *fishReader) closeEntry() error {
	if !f.inEntry {
		return nil
	}
	f.inEntry = false
	if f.whenAt == 0 {
		return f.bad(f.start, "expected \"  when: <seconds since 1970>\" after the \"- cmd:\" line of this entry")
	}
	t, ok, in := epoch(f.when)
	if !ok {
		return f.bad(f.whenAt, "expected \"when:\" as seconds since 1970, found %s", quote(f.when))
	}
	if !in {
		return f.bad(f.whenAt, "expected \"when:\" as seconds since 1970 before 2200; %s", rangeMsg(t))
	}
	return f.command(f.start, t, f.cmd)
}

// unescapeFish appends s to dst with fish's two escapes decoded: `\\` is a
// backslash and `\n` a newline. Other backslashes stay, as in fish.
func unescapeFish(dst, s []byte) []byte {
	for {
		i := bytes.IndexByte(s, '\\')
		if i < 0 || i == len(s)-1 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		switch s[i+1] {
		case '\\':
			dst = append(dst, '\\')
		case 'n':
			dst = append(dst, '\n')
		default:
			dst = append(dst, s[i:i+2]...)
		}
		s = s[i+2:]
	}
}

// yamlFraming reports a line of YAML document framing, which fish skips.
func yamlFraming(line []byte) bool {
	return hasPrefix(line, "%") || hasPrefix(line, "---") || hasPrefix(line, "...")
}

// hasPrefix is bytes.HasPrefix for a constant prefix.
func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}
