package ingest

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has
)

func TestParseLocal(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err) // time/tzdata is built in
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	const layout = "2006-01-02 15:04:05"
	for _, c := range []struct {
		s    string
		zone *time.Location
		want string
	}{
		{"2024-03-10 01:59:00", ny, "2024-03-10T06:59:00Z"},
		{"2024-03-10 02:30:00", ny, "2024-03-10T07:30:00Z"}, // in the gap: 03:30 EDT, after 01:59 EST
		{"2024-03-10 03:00:00", ny, "2024-03-10T07:00:00Z"},
		{"2024-11-03 01:30:00", ny, "2024-11-03T05:30:00Z"}, // repeated hour: the first (EDT)
		{"2024-03-31 02:15:00", berlin, "2024-03-31T01:15:00Z"},
		{"2024-06-01 12:00:00", time.UTC, "2024-06-01T12:00:00Z"},
	} {
		got, err := ParseLocal(layout, c.s, c.zone)
		if err != nil || got.UTC().Format(time.RFC3339) != c.want {
			t.Errorf("ParseLocal(%q, %s) = %v %v, want %s", c.s, c.zone, got.UTC(), err, c.want)
		}
	}
}
