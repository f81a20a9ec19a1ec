package k8sevents

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/debriefhq/debrief/ingest"
)

// document walks one input: any number of top-level JSON values, each a
// list, a single event, a watch envelope or an array of events. It keeps the
// byte offset of every event so that a bad one is reported at its own line.
type document struct {
	in    *ingest.Input
	data  []byte
	items []item
	byRef map[string]int
	// skipped counts objects of other kinds in a mixed list.
	skipped int
	// lineOff and line cache the last offset turned into a line number, since
	// offsets mostly grow while walking.
	lineOff int64
	line    int
	// yaml, for an input written in YAML, maps offsets of the JSON made
	// of it to its lines.
	yaml []yamlLine
}

// item is one event that was read, with the line it starts on.
type item struct {
	w           wireEvent
	line        int
	first, last time.Time
	ref         string
}

func newDocument(in *ingest.Input, data []byte) *document {
	return &document{in: in, data: data, byRef: make(map[string]int), line: 1}
}

// walk reads every top-level value of the input.
func (d *document) walk(ctx context.Context) error {
	dec := json.NewDecoder(bytes.NewReader(d.data))
	values := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ingest.JSONError(d.in, d.data, 1, err)
		}
		values++
		end := dec.InputOffset()
		start := end - int64(len(raw))
		if err := d.value(d.data[start:end], start); err != nil {
			return err
		}
	}
	if values == 0 {
		return d.in.Errorf(1, "expected a Kubernetes event list (kubectl get events -o json), found an empty file")
	}
	if d.skipped > 0 {
		d.in.Notef("%s: %d objects that are not Events were left out", d.in.Name, d.skipped)
	}
	return nil
}

// value reads one top-level value starting at byte off of the input.
func (d *document) value(doc []byte, off int64) error {
	switch doc[0] {
	case '[':
		dec := json.NewDecoder(bytes.NewReader(doc))
		return d.array(dec, doc, off, "the top-level array")
	case '{':
		return d.object(doc, off, true)
	}
	return d.in.Errorf(d.lineAt(off), "expected a Kubernetes Event or EventList object, found %s", jsonType(doc))
}

// object reads a list (it has "items", and lists is set), a watch envelope
// (it has "object") or a single event. Lists are only looked for at the top
// level, so that nesting cannot make the walk re-read the input over and over.
func (d *document) object(doc []byte, off int64, lists bool) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if _, err := dec.Token(); err != nil {
		return ingest.JSONError(d.in, doc, d.lineAt(off), err)
	}
	var envelope []byte
	var envelopeOff int64
	list := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ingest.JSONError(d.in, doc, d.lineAt(off), err)
		}
		if key, _ := tok.(string); key == "items" && lists {
			if err := d.array(dec, doc, off, `"items"`); err != nil {
				return err
			}
			list = true
			continue
		}
		start, end, err := next(dec)
		if err != nil {
			return ingest.JSONError(d.in, doc, d.lineAt(off), err)
		}
		if key, _ := tok.(string); key == "object" && doc[start] == '{' {
			envelope, envelopeOff = doc[start:end], off+start
		}
	}
	switch {
	case list:
		return nil
	case envelope != nil:
		return d.event(envelope, envelopeOff)
	}
	return d.event(doc, off)
}

// array reads the elements of an array as events; dec is positioned before
// the array's opening bracket inside doc, which starts at byte off.
func (d *document) array(dec *json.Decoder, doc []byte, off int64, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return ingest.JSONError(d.in, doc, d.lineAt(off), err)
	}
	if tok == nil {
		return nil // "items": null is an empty list
	}
	if delim, _ := tok.(json.Delim); delim != '[' {
		return d.in.Errorf(d.lineAt(off+dec.InputOffset()), "expected %s as an array of Events", what)
	}
	for dec.More() {
		start, end, err := next(dec)
		if err != nil {
			return ingest.JSONError(d.in, doc, d.lineAt(off), err)
		}
		elem := doc[start:end]
		if elem[0] == '{' {
			err = d.object(elem, off+start, false)
		} else {
			err = d.event(elem, off+start)
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return ingest.JSONError(d.in, doc, d.lineAt(off), err)
	}
	return nil
}

// next skips the next value of dec and returns where it lies in the input.
func next(dec *json.Decoder) (start, end int64, err error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return 0, 0, err
	}
	end = dec.InputOffset()
	return end - int64(len(raw)), end, nil
}

// lineAt turns a byte offset of the input into a 1-based line number.
func (d *document) lineAt(off int64) int {
	if d.yaml != nil {
		return yamlLineAt(d.yaml, off)
	}
	off = min(max(off, 0), int64(len(d.data)))
	if off < d.lineOff {
		d.lineOff, d.line = 0, 1
	}
	d.line += bytes.Count(d.data[d.lineOff:off], []byte("\n"))
	d.lineOff = off
	return d.line
}

// jsonType names the JSON type of a raw value for messages.
func jsonType(raw []byte) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
