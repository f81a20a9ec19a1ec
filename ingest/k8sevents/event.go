package k8sevents

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/debriefhq/debrief/ingest"
)

// event reads one event object that starts at byte off of the input.
func (d *document) event(raw []byte, off int64) error {
	line := d.lineAt(off)
	if raw[0] != '{' {
		return d.in.BadRecord(d.in.Errorf(line, "expected an Event object, found %s", jsonType(raw)))
	}
	var w wireEvent
	if err := json.Unmarshal(raw, &w); err != nil {
		if typ := (*json.UnmarshalTypeError)(nil); d.yaml != nil && errors.As(err, &typ) {
			// From YAML: the line of the field at fault, and no column of
			// the JSON made of it.
			return d.in.BadRecord(d.in.Errorf(d.lineAt(off+typ.Offset-1), "field %q: expected %s, found %s", typ.Field, typ.Type, typ.Value))
		}
		return d.in.BadRecord(ingest.JSONError(d.in, raw, line, err))
	}
	if w.Kind != "" && w.Kind != "Event" {
		d.skipped++
		return nil
	}
	first, last, err := eventTimes(&w)
	if err != nil {
		return d.in.BadRecord(d.in.Errorf(line, "%s", err))
	}
	it := item{w: w, line: line, first: first, last: last, ref: ref(&w, first)}
	if i, ok := d.byRef[it.ref]; ok {
		// A watch stream repeats an event each time its count grows: the
		// latest observation wins, at the place of the first.
		d.items[i] = it
		return nil
	}
	d.byRef[it.ref] = len(d.items)
	d.items = append(d.items, it)
	return nil
}

// eventTimes returns when the event first and last happened. The first time
// is eventTime, else firstTimestamp, else lastTimestamp, else the object's
// creation; the last is the series' or lastTimestamp, zero when unknown.
func eventTimes(w *wireEvent) (first, last time.Time, err error) {
	fields := []struct{ name, value string }{
		{"eventTime", w.EventTime},
		{"firstTimestamp", w.FirstTimestamp},
		{"deprecatedFirstTimestamp", w.DeprecatedFirstTimestamp},
		{"lastTimestamp", w.LastTimestamp},
		{"deprecatedLastTimestamp", w.DeprecatedLastTimestamp},
		{"metadata.creationTimestamp", w.Metadata.CreationTimestamp},
	}
	for _, f := range fields {
		t, err := parseTime(f.name, f.value)
		if err != nil {
			return first, last, err
		}
		if first.IsZero() {
			first = t
		}
	}
	if first.IsZero() {
		return first, last, fmt.Errorf(`expected "eventTime", "firstTimestamp", "lastTimestamp" or "metadata.creationTimestamp" as an RFC 3339 time, found none`)
	}
	lastName, lastValue := "lastTimestamp", firstOf(w.LastTimestamp, w.DeprecatedLastTimestamp)
	if w.Series != nil && w.Series.LastObservedTime != "" {
		lastName, lastValue = "series.lastObservedTime", w.Series.LastObservedTime
	}
	last, err = parseTime(lastName, lastValue)
	if last.Before(first) {
		last = time.Time{}
	}
	return first, last, err
}

// parseTime reads a metav1.Time (seconds) or MicroTime (microseconds). An
// empty value and Go's zero time, which some tools write for null, are unset.
func parseTime(name, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return t, fmt.Errorf("expected %q as an RFC 3339 time like \"2024-05-02T14:03:07Z\", found %q", name, value)
	}
	if t.Year() == 1 && t.Equal(time.Time{}) {
		return time.Time{}, nil
	}
	if t.Year() < 1970 || t.Year() >= 2200 {
		return t, fmt.Errorf("expected %q between 1970 and 2200, found %q", name, value)
	}
	return t.UTC(), nil
}

// ref is the event's stable id: its uid, else namespace/name, else (the
// OpenShift compacted form has neither) a hash of what it says.
func ref(w *wireEvent, first time.Time) string {
	if w.Metadata.UID != "" {
		return w.Metadata.UID
	}
	if w.Metadata.Name != "" {
		return w.namespace() + "/" + w.Metadata.Name
	}
	h := fnv.New64a()
	obj := w.object()
	for _, s := range []string{w.Type, obj.Kind, obj.Name, w.message()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%s/%s@%s#%016x", w.namespace(), w.Reason, first.Format(time.RFC3339Nano), h.Sum64())
}

// text renders "Warning BackOff pod/checkout-7d9 (x14 until 14:22:05Z):
// Back-off restarting failed container".
func text(it *item) string {
	var parts []string
	obj := it.w.object()
	for _, s := range []string{it.w.Type, it.w.Reason, objectRef(obj)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if r := repeats(it.w.count(), it.first, it.last); r != "" {
		parts = append(parts, r)
	}
	head := strings.Join(parts, " ")
	msg := strings.TrimSpace(it.w.message())
	switch {
	case msg == "":
		return strings.ToValidUTF8(head, "\uFFFD")
	case head == "":
		return strings.ToValidUTF8(msg, "\uFFFD")
	}
	return strings.ToValidUTF8(head+": "+msg, "\uFFFD")
}

// objectRef renders an object the way kubectl names it: "pod/checkout-7d9".
func objectRef(o wireObject) string {
	switch {
	case o.Name == "":
		return ""
	case o.Kind == "":
		return o.Name
	}
	return strings.ToLower(o.Kind) + "/" + o.Name
}

// repeats says "(x14 until 14:22:05Z)" for an event seen more than once, with
// the date only when the last time falls on another day than the first.
func repeats(count int64, first, last time.Time) string {
	var parts []string
	if count > 1 {
		parts = append(parts, fmt.Sprintf("x%d", count))
	}
	if !last.IsZero() && last.After(first) {
		layout := "15:04:05.999999Z"
		if y, m, dd := last.Date(); y != first.Year() || m != first.Month() || dd != first.Day() {
			layout = "2006-01-02T15:04:05.999999Z"
		}
		parts = append(parts, "until "+last.Format(layout))
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, " ") + ")"
}
