package csvjsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// SniffCSV claims a file whose first line is a header naming a time and a
// text column. The score stays modest: a header is a weak signature.
func SniffCSV(head []byte, name string) int {
	body := bytes.TrimPrefix(head, []byte("\ufeff"))
	first, rest, _ := bytes.Cut(body, []byte("\n"))
	comma := delimiter(first)
	header, err := readRecord(first, comma)
	if err != nil || len(header) < 2 || !matchColumns(header).complete() {
		return 0
	}
	score := 45
	if second, _, _ := bytes.Cut(rest, []byte("\n")); len(second) > 0 {
		if rec, err := readRecord(second, comma); err == nil && len(rec) == len(header) {
			score += 10
		}
	}
	if lower := strings.ToLower(name); strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".tsv") {
		score += 10
	}
	return score
}

func readRecord(line []byte, comma rune) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = comma
	return r.Read()
}

// delimiter picks the separator of a header line: a comma unless the line
// has none and has tabs (TSV) or semicolons (spreadsheets in many locales).
func delimiter(header []byte) rune {
	switch {
	case bytes.IndexByte(header, ',') >= 0:
		return ','
	case bytes.IndexByte(header, '\t') >= 0:
		return '\t'
	case bytes.IndexByte(header, ';') >= 0:
		return ';'
	}
	return ','
}

// ParseCSV reads a CSV file with a header row and emits one event a row.
func ParseCSV(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "read", Err: err}
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	peek, _ := br.Peek(4096)
	first, _, _ := bytes.Cut(peek, []byte("\n"))
	r := csv.NewReader(br)
	r.Comma = delimiter(first)
	header, cols, err := readHeader(in, r)
	if err != nil {
		return err
	}
	r.ReuseRecord = true
	b := newBuilder(in, debrief.SourceCSV)
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := csvError(in, err, len(header), r.Comma); err != nil {
				return err
			}
			continue
		}
		line, _ := r.FieldPos(0)
		row := csvRow(rec, cols, line)
		if err := emitRow(b, &row, "column", header[cols[roleTime]], emit); err != nil {
			return err
		}
	}
	return b.finish(emit)
}

// readHeader reads the header row and matches its columns.
func readHeader(in *ingest.Input, r *csv.Reader) ([]string, columns, error) {
	header, err := r.Read()
	var cols columns
	switch {
	case errors.Is(err, io.EOF):
		return nil, cols, in.Errorf(1, "expected a header row naming %s, found an empty file", expected())
	case err != nil:
		return nil, cols, csvError(in, err, 0, r.Comma)
	}
	if cols = matchColumns(header); !cols.complete() {
		return nil, cols, in.Errorf(1, "expected a header naming %s; found columns %s", expected(), quoted(header))
	}
	return header, cols, nil
}

// csvError turns a CSV error into a bad record, or a read error into a
// failure.
func csvError(in *ingest.Input, err error, fields int, comma rune) error {
	var pe *csv.ParseError
	switch {
	case !errors.As(err, &pe):
		return &debrief.InputError{File: in.Name, Msg: "read", Err: err}
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return in.BadRecord(in.Errorf(pe.StartLine, "expected %d fields as in the header; quote text that holds a %q", fields, comma))
	case fields == 0:
		return in.Errorf(pe.Line, "expected a CSV header row: column %d: %v%s", pe.Column, pe.Err, startsAt(pe))
	}
	return in.BadRecord(in.Errorf(pe.Line, "expected CSV: column %d: %v%s", pe.Column, pe.Err, startsAt(pe)))
}

// startsAt says where a record that spans lines starts, since a quote left
// open is found only lines later.
func startsAt(pe *csv.ParseError) string {
	if pe.StartLine == pe.Line {
		return ""
	}
	return fmt.Sprintf(" (the record starts at line %d)", pe.StartLine)
}

// csvRow picks the values of a record by role.
func csvRow(rec []string, cols columns, line int) row {
	get := func(r role) string {
		if i := cols[r]; i >= 0 && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	return row{
		line: line, time: get(roleTime), date: get(roleDate), actor: get(roleActor), text: get(roleText),
		source: get(roleSource), kind: get(roleKind), channel: get(roleChannel), hash: hashFields(rec),
	}
}

// emitRow builds and emits the event of r, reporting a bad row. While the
// file's order of day and month is unknown, a row whose date reads both
// ways (01/03/2024) waits for a row that settles it (25/03/2024), or for
// the end of the input.
func emitRow(b *builder, r *row, where, name string, emit ingest.Emit) error {
	if b.order == orderUnknown {
		if d, ok := r.numericDate(); ok {
			switch o := d.order(); {
			case o != orderUnknown:
				b.order = o
				b.orderWhy = fmt.Sprintf("this file writes dates %s, as line %d shows (%q)", o, r.line, clip(r.joinedTime()))
				if err := b.flush(emit); err != nil {
					return err
				}
			case d.ambiguous() && b.hold(r, where, name):
				return nil
			case d.ambiguous():
				b.guess(fmt.Sprintf("none of the first %d rows reads only one way", len(b.pending)))
				if err := b.flush(emit); err != nil {
					return err
				}
			}
		}
	}
	return b.emit(r, where, name, emit)
}

// emit builds and emits the event of r, reporting a bad row.
func (b *builder) emit(r *row, where, name string, emit ingest.Emit) error {
	ev, err := b.event(r, where, name)
	switch {
	case err != nil:
		return b.in.BadRecord(err)
	case ev == nil:
		return nil
	}
	return emit(ev)
}

func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", valid(n))
	}
	return strings.Join(q, ", ")
}
