// Package ingest is the contract between input formats and the timeline: an
// Input to read, a Parser that reads it, and an Emit that receives events.
// Each source format lives in its own package under ingest/ and imports only
// this package and the root; ingest/detect lists them all, walks files,
// directories and zip archives and detects each one's format from content.
package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/debriefhq/debrief"
)

// Input is one thing to parse: a file, or for tree formats (a Slack export) a
// directory, inside a file system (the OS, or a zip archive).
type Input struct {
	FS   fs.FS
	Path string // slash-separated path inside FS; "." for the root of a tree
	// Name is how messages refer to the input: "export.zip:general/2024-01-02.json".
	Name string
	// Zone is the zone of times that carry none (CSV, some JSON lines);
	// never nil (UTC by default).
	Zone *time.Location
	// DateOrder says how dates written with numbers alone (03/01/2024) are
	// read: day or month first. Empty: learned from the input (CSV and
	// JSON lines), month first when nothing in it tells.
	DateOrder DateOrder
	// Actor owns every event of the input that has no actor of its own (a shell
	// history's owner). Empty when unknown.
	Actor string
	// Channel narrows chat exports to these channels; empty means all.
	Channels []string
	// Bad is called with each bad record. It returns nil to skip the record
	// (--skip-bad) or the error to stop. Parsers must call it rather than
	// decide themselves.
	Bad func(err error) error
	// Note reports a non-fatal remark to the user ("12 entries without a
	// timestamp were left out").
	Note func(msg string)
}

// DateOrder is the order of day and month in a date written with numbers.
type DateOrder string

const (
	DayFirst   DateOrder = "dmy" // 03/01/2024 is 3 January
	MonthFirst DateOrder = "mdy" // 03/01/2024 is March 1
)

// Emit receives parsed events. Implementations are safe for concurrent use, so
// a parser may parse several files of one export in parallel. The event is
// owned by the receiver after the call.
type Emit func(ev *debrief.Event) error

// Parser reads one input and emits its events. A parser never panics on any
// input; a record it cannot read is reported through Input.Bad as a
// *debrief.InputError naming the file, the line (or byte offset) and what was
// expected.
type Parser interface {
	Parse(ctx context.Context, in *Input, emit Emit) error
}

// ParserFunc adapts a function to Parser.
type ParserFunc func(ctx context.Context, in *Input, emit Emit) error

// Parse calls f.
func (f ParserFunc) Parse(ctx context.Context, in *Input, emit Emit) error { return f(ctx, in, emit) }

// Format describes one source format for the registry.
type Format struct {
	// Name is what users write before a colon to force the format ("zsh:hist").
	Name string
	// Sniff reports how sure the format is that a file with this beginning
	// (up to 64 KiB) and base name is its own: 0 no, 1..100 more sure. Nil
	// for formats that only come as trees.
	Sniff func(head []byte, name string) int
	// Tree reports whether the directory dir of fsys is one input of this
	// format as a whole (a Slack export). Nil for single-file formats.
	Tree func(fsys fs.FS, dir string) bool
	// Parser parses an input of this format.
	Parser Parser
}

// BadRecord reports a bad record of in through its Bad hook, or returns err when no
// hook is set.
func (in *Input) BadRecord(err error) error {
	if in.Bad == nil {
		return err
	}
	return in.Bad(err)
}

// Errorf builds an input error for a line of in.
func (in *Input) Errorf(line int, format string, args ...any) *debrief.InputError {
	return &debrief.InputError{File: in.Name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Notef reports a remark if a Note hook is set.
func (in *Input) Notef(format string, args ...any) {
	if in.Note != nil {
		in.Note(fmt.Sprintf(format, args...))
	}
}
