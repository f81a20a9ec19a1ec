package csvjsonl

import (
	"errors"
	"github.com/debriefhq/debrief/ingest"
	"strconv"
	"strings"
	"time"
)

// zonedLayouts carry their own offset; fractional seconds after the seconds
// are accepted by time.Parse even where a layout does not show them.
func zonedLayouts() [10]string {
	return [...]string{
		time.RFC3339Nano,
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02T15:04Z07:00",
		"2006-01-02 15:04Z07:00",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02T15:04:05-0700",
		"2006-01-02 15:04:05Z07", // PostgreSQL's timestamptz text: "2024-03-10 10:00:00.123456+00"
		"2006-01-02T15:04:05Z07",
		"2006-01-02 15:04:05 Z07:00",
		"2006-01-02T15:04:05 Z07:00",
	}
}

// localLayouts carry no zone: the input's zone applies. Dates written
// with numbers in another order ("6/2/2025 2:03 PM") are numericDate's.
func localLayouts() [5]string {
	return [...]string{
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
	}
}

// namedLayouts are dates with the month's name, as spreadsheets, `date`
// and mail headers write them; no zone (GMT and UTC are cut off before).
func namedLayouts() [21]string {
	return [...]string{
		"Jan 2, 2006 3:04 PM",
		"Jan 2, 2006 3:04:05 PM",
		"Jan 2, 2006 15:04",
		"Jan 2, 2006 15:04:05",
		"Jan 2, 2006",
		"January 2, 2006 3:04 PM",
		"January 2, 2006 3:04:05 PM",
		"January 2, 2006 15:04",
		"January 2, 2006",
		"2 Jan 2006 15:04",
		"2 Jan 2006 15:04:05",
		"2-Jan-2006 15:04",
		"2-Jan-2006 15:04:05",
		"2-Jan-2006",
		"2 Jan 2006",
		"2-Jan-2006 3:04 PM",
		"2-Jan-06 3:04 PM", // DiscordChatExporter's CSV, before it wrote ISO 8601
		"2-Jan-06 15:04",
		time.ANSIC,                        // Mon Jan _2 15:04:05 2006
		"Mon, 2 Jan 2006 15:04:05",        // RFC 1123 once GMT is cut
		"Monday, January 2, 2006 3:04 PM", // a spreadsheet's long date
	}
}

// errFormat says which times are understood.
var errFormat = errors.New(`expected an RFC 3339 time ("2025-06-02T14:03:07Z"), "2025-06-02 14:03:07", "06/02/2025 2:03 PM", "2.6.2025 14:03", "Jun 2, 2025 14:03" or epoch seconds, milliseconds, microseconds or nanoseconds`)

// errRange rejects times a clock cannot have written for an incident.
var errRange = errors.New("expected a time between 1970 and 2200")

// parseTime reads a time as people and tools write it; times without a zone
// are in zone. order says which number of a date like 06/02/2025 is the
// month.
func parseTime(s string, zone *time.Location, order dateOrder) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errFormat
	}
	if s[0] >= '0' && s[0] <= '9' && strings.Trim(s, "0123456789.") == "" && strings.Count(s, ".") <= 1 {
		return epoch(s)
	}
	for _, utc := range [...]string{" UTC", " GMT"} {
		if rest, ok := strings.CutSuffix(s, utc); ok {
			s, zone = rest, time.UTC
		}
	}
	// "2:05 pm", "2:05pm": the layouts' PM is upper case, after a space.
	if n := len(s); n > 3 && (s[n-1] == 'm' || s[n-1] == 'M') && strings.ContainsRune("aApP", rune(s[n-2])) && s[n-3] != '.' {
		if '0' <= s[n-3] && s[n-3] <= '9' {
			s = s[:n-2] + " " + s[n-2:]
			n++
		}
		if s[n-3] == ' ' {
			s = s[:n-2] + strings.ToUpper(s[n-2:])
		}
	}
	// RFC 3339 allows lower-case "t" and "z".
	if len(s) > 10 && s[10] == 't' {
		s = s[:10] + "T" + s[11:]
	}
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1] + "Z"
	}
	for _, layout := range zonedLayouts() {
		if t, err := time.Parse(layout, s); err == nil {
			return inRange(t)
		}
	}
	for _, layout := range localLayouts() {
		if t, err := ingest.ParseLocal(layout, s, zone); err == nil {
			return inRange(t)
		}
	}
	if s[0] < '0' || s[0] > '9' || strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		for _, layout := range namedLayouts() {
			if t, err := ingest.ParseLocal(layout, s, zone); err == nil {
				return inRange(t)
			}
		}
		for _, layout := range [...]string{time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 -0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				return inRange(t)
			}
		}
	}
	if d, ok := readNumericDate(s); ok {
		if t, err := d.time(order, zone); err == nil {
			return inRange(t)
		} else if err != errFormat {
			return time.Time{}, err
		}
	}
	return time.Time{}, errFormat
}

// epoch reads seconds, milliseconds, microseconds or nanoseconds since 1970,
// telling them apart by magnitude, with an optional fraction kept exactly.
// Fewer than 9 digits (before March 1973) is more likely an hour or a row
// number in the wrong column than an epoch, and is refused.
func epoch(s string) (time.Time, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) < 9 || strings.Contains(frac, ".") || len(whole) > 19 {
		return time.Time{}, errFormat
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, errFormat
	}
	unit := int64(time.Second)
	switch {
	case n >= 1e17:
		unit = 1
	case n >= 1e14:
		unit = int64(time.Microsecond)
	case n >= 1e11:
		unit = int64(time.Millisecond)
	}
	if n > (1<<63-1)/unit {
		return time.Time{}, errRange
	}
	f := frac + strings.Repeat("0", max(0, 9-len(frac)))
	nanoFrac, _ := strconv.ParseInt(f[:9], 10, 64)
	return inRange(time.Unix(0, n*unit+nanoFrac*unit/int64(time.Second)))
}

// inRange checks the year and turns the time to UTC.
func inRange(t time.Time) (time.Time, error) {
	t = t.UTC()
	if t.Year() < 1970 || t.Year() >= 2200 {
		return time.Time{}, errRange
	}
	return t, nil
}
