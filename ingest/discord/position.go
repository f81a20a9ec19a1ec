package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// countingReader counts the lines of what the JSON decoder has read, so that
// a message found bad can be reported by line without keeping the file.
type countingReader struct {
	r        io.Reader
	read     int64
	newlines int
	last     byte
}

// Read reads from the file and counts the newlines read.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.read += int64(n)
		c.newlines += bytes.Count(p[:n], []byte{'\n'})
		c.last = p[n-1]
	}
	return n, err
}

// lineOf returns the line on which raw, the value the decoder has just
// decoded, starts: the lines read so far, less those still in the decoder's
// buffer and those inside raw.
func lineOf(c *countingReader, dec *json.Decoder, raw []byte) int {
	var ahead lineCounter
	io.Copy(&ahead, dec.Buffered())
	return 1 + c.newlines - int(ahead) - bytes.Count(raw, []byte{'\n'})
}

// lineCounter counts the newlines written to it.
type lineCounter int

// Write counts the newlines of p.
func (l *lineCounter) Write(p []byte) (int, error) {
	*l += lineCounter(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// docError turns an error of the JSON decoder into an input error naming the
// line and column where the document went wrong. The file is read again up to
// that point, which costs nothing on the good path.
func (d *doc) docError(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF) && d.cr.read == 0:
		return d.in.Errorf(1, `empty file: expected a DiscordChatExporter JSON object like {"guild":{...},"channel":{...},"messages":[...]}`)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end of JSON input"):
		line := d.cr.newlines + 1
		if d.cr.last == '\n' {
			line--
		}
		return d.in.Errorf(max(line, 1), "truncated JSON: the document ends before it is complete")
	case errors.As(err, &syn):
		// The token reader's offset is that of the offending byte.
		return d.errorAt(syn.Offset+1, "invalid JSON: "+syn.Error())
	}
	return &debrief.InputError{File: d.in.Name, Msg: "read", Err: err}
}

// valueError turns an error met while decoding one whole value (a message)
// into an input error. The decoder's offset for it counts from no useful
// point, so the value's bytes still in the decoder's buffer are checked again
// to find the offending byte.
func (d *doc) valueError(err error) error {
	var syn *json.SyntaxError
	if !errors.As(err, &syn) || strings.Contains(syn.Error(), "unexpected end of JSON input") {
		return d.docError(err)
	}
	base := d.dec.InputOffset()
	msg := "invalid JSON: " + syn.Error()
	if strings.HasPrefix(syn.Error(), "expected comma") || strings.HasPrefix(syn.Error(), "expected colon") {
		return d.errorAt(base+1, msg)
	}
	buf, _ := io.ReadAll(d.dec.Buffered())
	value := bytes.TrimLeft(buf, " \t\r\n")
	value = bytes.TrimLeft(bytes.TrimPrefix(value, []byte(",")), " \t\r\n")
	var raw json.RawMessage
	var at *json.SyntaxError
	if errors.As(json.Unmarshal(value, &raw), &at) && !strings.Contains(at.Error(), "unexpected end") {
		return d.errorAt(base+int64(len(buf)-len(value))+at.Offset, "invalid JSON: "+at.Error())
	}
	return d.errorAt(base+1, msg)
}

// errorAt builds an input error for the byte offset off of the file, with
// its line and column when the file can be read again.
func (d *doc) errorAt(off int64, msg string) *debrief.InputError {
	line, col, err := position(d.in, off)
	if err != nil {
		return &debrief.InputError{File: d.in.Name, Offset: off, Msg: msg}
	}
	return d.in.Errorf(line, "column %d: %s", col, msg)
}

// position finds the line and column of the byte before offset off in the
// input's file: a syntax error's offset counts the offending byte as read.
func position(in *ingest.Input, off int64) (line, col int, err error) {
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r := io.LimitReader(f, max(off-1, 0))
	buf := make([]byte, 64<<10)
	line, col = 1, 1
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 {
			line += bytes.Count(chunk, []byte{'\n'})
			col = 1 + n - (i + 1)
		} else {
			col += n
		}
		if err == io.EOF {
			return line, col, nil
		}
		if err != nil {
			return 0, 0, fmt.Errorf("reread: %w", err)
		}
	}
}
