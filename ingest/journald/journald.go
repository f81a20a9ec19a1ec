// Package journald reads systemd journal entries as journalctl writes them:
// JSON lines (`journalctl -o json`, and `-o json-seq`) and the journal export
// format (`journalctl -o export`, what systemd-journal-remote and backup
// tools move around). Journals are large, so both are read as streams.
//
// Every entry becomes one KindLog event by a bot (a daemon wrote it), at
// __REALTIME_TIMESTAMP with its microseconds, on the host's channel.
package journald

import (
	"bufio"
	"bytes"
	"context"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// binaryMagic starts a journal file itself, which only journalctl can read.
const binaryMagic = "LPKSHHRH"

// Format describes journald output for the format registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   "journald",
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff recognises journalctl's JSON by its address fields ("__CURSOR",
// "__REALTIME_TIMESTAMP"), which no other format uses, and the export format
// by an entry starting with one of them. A binary journal file is claimed
// too, so that the user is told how to export it instead of "unknown format".
func Sniff(head []byte, name string) int {
	body := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(body, []byte(binaryMagic)):
		return 60
	case len(body) > 0 && (body[0] == '{' || body[0] == 0x1e):
		first, rest, _ := bytes.Cut(body, []byte("\n"))
		if bytes.Contains(first, []byte(`"__REALTIME_TIMESTAMP"`)) || bytes.Contains(first, []byte(`"__CURSOR"`)) {
			return 95
		}
		// -o json-pretty: "{" alone, then the fields a line each.
		if len(bytes.TrimSpace(first)) == 1 && first[0] == '{' {
			if head, _, _ := bytes.Cut(rest, []byte("\n}")); bytes.Contains(head, []byte(`"__REALTIME_TIMESTAMP"`)) || bytes.Contains(head, []byte(`"__CURSOR"`)) {
				return 90
			}
		}
	case bytes.HasPrefix(body, []byte("__CURSOR=")), bytes.HasPrefix(body, []byte("__REALTIME_TIMESTAMP=")):
		return 95
	case validField(fieldName(body)) && bytes.Contains(body, []byte("\n__REALTIME_TIMESTAMP=")):
		return 90
	}
	return 0
}

// fieldName returns what precedes the first "=" or newline of body.
func fieldName(body []byte) []byte {
	if i := bytes.IndexAny(body, "=\n"); i >= 0 {
		return body[:i]
	}
	return nil
}

// Parse reads a journal export when the input starts with a field name and
// journal JSON lines otherwise.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "read", Err: err}
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	p := newParser(in, emit)
	peek, _ := br.Peek(4096)
	body := bytes.TrimLeft(peek, " \t\r\n")
	switch {
	case bytes.HasPrefix(body, []byte(binaryMagic)):
		return in.Errorf(0, "this is a binary journal file; expected its export: run journalctl --file %s -o json > journal.jsonl", in.Path)
	case len(body) > 0 && (body[0] == '_' || body[0] >= 'A' && body[0] <= 'Z'):
		err = p.export(ctx, br)
	default:
		err = p.jsonLines(ctx, br)
	}
	if err != nil {
		return err
	}
	p.notes()
	return nil
}
