package debrief

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Reason is why an event is flagged with one moment.
type Reason struct {
	Moment Moment
	Text   string
}

// Reasons are an event's reasons in the order its moments were flagged. In
// JSON they are an object, moment to reason. (A slice, not a map: events
// are made, copied and printed a million at a time, and a map per flagged
// event was a tenth of a large timeline's time.)
type Reasons []Reason

// Of returns the reason for moment m, "" when there is none.
func (rs Reasons) Of(m Moment) string {
	for _, r := range rs {
		if r.Moment == m {
			return r.Text
		}
	}
	return ""
}

func (rs Reasons) has(m Moment) bool {
	return slices.ContainsFunc(rs, func(r Reason) bool { return r.Moment == m })
}

// Map returns the reasons as a map.
func (rs Reasons) Map() map[Moment]string {
	m := make(map[Moment]string, len(rs))
	for _, r := range rs {
		m[r.Moment] = r.Text
	}
	return m
}

// MarshalJSON writes {"moment": "reason", ...} in the reasons' order.
func (rs Reasons) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(string(r.Moment))
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(r.Text)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads an object of moment to reason, keeping its order; a
// moment given twice keeps its first reason, as Event.Flag does.
func (rs *Reasons) UnmarshalJSON(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok == nil { // null
		*rs = nil
		return nil
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("why: expected an object of moment to reason, got %v", tok)
	}
	out := Reasons{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		var text string
		if err := d.Decode(&text); err != nil {
			return fmt.Errorf("why: %w", err)
		}
		if m := Moment(tok.(string)); !out.has(m) {
			out = append(out, Reason{m, text})
		}
	}
	if _, err := d.Token(); err != nil {
		return err
	}
	*rs = out
	return nil
}
