package ingest

import "time"

// ParseLocal parses a time written without a zone as wall-clock time in
// zone. A wall time that does not exist there (inside a daylight-saving
// gap: 02:30 on the night New York springs forward) is moved forward by the
// gap, as a clock would have read it, so it never lands before the minute
// written on the line before it.
func ParseLocal(layout, s string, zone *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(layout, s, zone)
	if err != nil || zone == time.UTC {
		return t, err
	}
	wall, err := time.Parse(layout, s) // the same fields, read as UTC
	if err != nil {
		return t, nil
	}
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	got := time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.UTC)
	// Go resolves a gap either way (it is not specified which): only a
	// time moved back is moved forward again.
	if delta := wall.Sub(got); delta > 0 {
		t = t.Add(delta)
	}
	return t, nil
}
