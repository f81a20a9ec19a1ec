package csvjsonl

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/debriefhq/debrief/ingest"
)

// dateOrder says which of a date's first two numbers is the month when the
// date is written with numbers alone: 03/01/2024 is March 1 in the United
// States and 3 January in most other places. Spreadsheets export dates
// the way their locale writes them, so a file's order is learned from the
// file (see builder.settle).
type dateOrder uint8

const (
	orderUnknown dateOrder = iota
	orderMonthFirst
	orderDayFirst
)

func (o dateOrder) String() string {
	if o == orderDayFirst {
		return "day/month"
	}
	return "month/day"
}

// numericDate is a date written with numbers and separators, and the time
// of day after it if any: "3/1/2024 2:05 PM", "01/03/2024 14:05:07",
// "1.3.2024 14:05" (dots: day first, as in Germany), "2024/03/01 14:05:07.250"
// (year first: month before day). a and b are the first two numbers of a
// date whose year comes last.
type numericDate struct {
	a, b, year   int
	yearFirst    bool
	dayFirst     bool // written day first whatever the file's order (dots)
	hour, min    int
	sec, nsec    int
	clock12, pm  bool
	hasClockTime bool
}

// readNumericDate reads s as a numericDate; ok is false when s is not one.
func readNumericDate(s string) (d numericDate, ok bool) {
	p := 0
	num := func(maxDigits int) (int, int) { // value and digits read
		n, k := 0, 0
		for p < len(s) && k < maxDigits && '0' <= s[p] && s[p] <= '9' {
			n = n*10 + int(s[p]-'0')
			p++
			k++
		}
		return n, k
	}
	n1, k1 := num(4)
	if k1 == 0 || p >= len(s) {
		return d, false
	}
	sep := s[p]
	if sep != '/' && sep != '.' && sep != '-' {
		return d, false
	}
	p++
	n2, k2 := num(2)
	if k2 == 0 || p >= len(s) || s[p] != sep {
		return d, false
	}
	p++
	n3, k3 := num(4)
	switch {
	case k1 == 4 && k3 <= 2 && k3 > 0 && sep != '.':
		d.year, d.a, d.b, d.yearFirst = n1, n2, n3, true
	case k1 <= 2 && (k3 == 4 || k3 == 2):
		d.a, d.b, d.year = n1, n2, n3
		if k3 == 2 { // "3/1/24": 69 to 99 are 1969 to 1999, as POSIX's %y reads them
			d.year += 2000
			if n3 >= 69 {
				d.year -= 100
			}
		}
		d.dayFirst = sep == '.'
	default:
		return d, false
	}
	if sep == '-' && d.yearFirst {
		return d, false // 2024-03-01 is ISO 8601, read by the layouts
	}
	// The time of day: after a space (or "T", or ", "), H:MM, :SS, a
	// fraction, AM or PM.
	rest := strings.TrimLeft(strings.TrimPrefix(s[p:], ","), " ")
	if rest == "" {
		return d, len(s[p:]) == 0
	}
	if len(rest) == len(s[p:]) && !strings.HasPrefix(rest, "T") {
		return d, false // no separator between date and time
	}
	s, p = strings.TrimPrefix(rest, "T"), 0
	var k int
	if d.hour, k = num(2); k == 0 || p >= len(s) || s[p] != ':' {
		return d, false
	}
	p++
	if d.min, k = num(2); k != 2 {
		return d, false
	}
	if p < len(s) && s[p] == ':' {
		p++
		if d.sec, k = num(2); k != 2 {
			return d, false
		}
		if p < len(s) && (s[p] == '.' || s[p] == ',') {
			p++
			start := p
			for p < len(s) && '0' <= s[p] && s[p] <= '9' {
				p++
			}
			frac := s[start:p]
			if frac == "" || len(frac) > 9 {
				return d, false
			}
			for _, c := range frac + strings.Repeat("0", 9-len(frac)) {
				d.nsec = d.nsec*10 + int(c-'0')
			}
		}
	}
	d.hasClockTime = true
	switch suffix := strings.ToUpper(strings.TrimLeft(s[p:], " ")); suffix {
	case "":
	case "AM", "PM", "A.M.", "P.M.":
		d.clock12, d.pm = true, suffix[0] == 'P'
	default:
		return d, false
	}
	return d, true
}

// order is the order d proves for its file: the one reading of its first
// two numbers that is a date, when only one is (25/03/2024). Unknown when
// both are (01/03/2024), when neither is, and when its own form settles it
// (year first, dots) for it alone.
func (d numericDate) order() dateOrder {
	if d.yearFirst || d.dayFirst {
		return orderUnknown
	}
	_, mdy := d.fields(orderMonthFirst)
	_, dmy := d.fields(orderDayFirst)
	switch {
	case mdy && !dmy:
		return orderMonthFirst
	case dmy && !mdy:
		return orderDayFirst
	}
	return orderUnknown
}

// ambiguous reports whether d reads as two different times, both of which
// exist.
func (d numericDate) ambiguous() bool {
	if d.yearFirst || d.dayFirst || d.a == d.b {
		return false
	}
	_, mdy := d.fields(orderMonthFirst)
	_, dmy := d.fields(orderDayFirst)
	return mdy && dmy
}

// civil is a date and time of day, as numbers.
type civil struct{ year, month, day, hour, min, sec, nsec int }

// fields reads d in order (month first when unknown); ok is false when
// that reading is no date or no time of day.
func (d numericDate) fields(order dateOrder) (c civil, ok bool) {
	c = civil{year: d.year, month: d.a, day: d.b, hour: d.hour, min: d.min, sec: d.sec, nsec: d.nsec}
	if !d.yearFirst && (d.dayFirst || order == orderDayFirst) {
		c.month, c.day = d.b, d.a
	}
	if d.clock12 {
		if c.hour < 1 || c.hour > 12 {
			return c, false
		}
		c.hour %= 12
		if d.pm {
			c.hour += 12
		}
	}
	ok = c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= daysIn(time.Month(c.month), c.year) &&
		c.hour <= 23 && c.min <= 59 && c.sec <= 59
	return c, ok
}

// errNoDate is a date or time of day that does not exist.
var errNoDate = errors.New("expected a date and time that exist (month 1 to 12, a day of that month, hour 0 to 23)")

// orderError is a date that exists only in the other order of day and
// month than the one its file is read in.
type orderError struct {
	month int
	order dateOrder
}

func (e *orderError) Error() string {
	return fmt.Sprintf("no month %d: dates are read %s", e.month, e.order)
}

// time is d in zone, its first two numbers read in order (month first when
// the order is unknown).
func (d numericDate) time(order dateOrder, zone *time.Location) (time.Time, error) {
	c, ok := d.fields(order)
	if !ok {
		if _, other := d.fields(otherOrder(order)); other && !d.yearFirst && !d.dayFirst {
			return time.Time{}, &orderError{month: c.month, order: max(order, orderMonthFirst)}
		}
		return time.Time{}, errNoDate
	}
	// ParseLocal's handling of daylight-saving gaps, on a layout of the
	// fields read.
	return ingest.ParseLocal("2006-01-02 15:04:05.999999999",
		fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d.%09d", c.year, c.month, c.day, c.hour, c.min, c.sec, c.nsec), zone)
}

func otherOrder(o dateOrder) dateOrder {
	if o == orderDayFirst {
		return orderMonthFirst
	}
	return orderDayFirst
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
