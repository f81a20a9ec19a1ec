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
		if k3 == 2 {
			d.year += 2000 // "3/1/24": spreadsheets write this century's years so
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
	switch suffix := strings.ToUpper(strings.ReplaceAll(strings.TrimLeft(s[p:], " "), ".", "")); suffix {
	case "":
	case "AM", "PM":
		d.clock12, d.pm = true, suffix == "PM"
	default:
		return d, false
	}
	return d, true
}

// order is the order d proves for its file: unknown when both readings
// are dates (01/03/2024), or when its own form settles it (year first,
// dots) for it alone.
func (d numericDate) order() dateOrder {
	if d.yearFirst || d.dayFirst || d.a == d.b {
		return orderUnknown
	}
	switch {
	case d.a > 12 && d.b <= 12:
		return orderDayFirst
	case d.b > 12 && d.a <= 12:
		return orderMonthFirst
	}
	return orderUnknown
}

// ambiguous reports whether d reads as two different dates.
func (d numericDate) ambiguous() bool {
	return !d.yearFirst && !d.dayFirst && d.a != d.b && d.a <= 12 && d.b <= 12 && d.a > 0 && d.b > 0
}

var errNoDate = errors.New("no such date")

// time is d in zone, its first two numbers read in order (month first when
// the order is unknown).
func (d numericDate) time(order dateOrder, zone *time.Location) (time.Time, error) {
	month, day := d.a, d.b
	if !d.yearFirst && (d.dayFirst || order == orderDayFirst) {
		month, day = d.b, d.a
	}
	hour := d.hour
	if d.clock12 {
		if hour < 1 || hour > 12 {
			return time.Time{}, errFormat
		}
		hour %= 12
		if d.pm {
			hour += 12
		}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), d.year) ||
		hour > 23 || d.min > 59 || d.sec > 59 {
		if month > 12 && !d.yearFirst && !d.dayFirst && day <= 12 {
			return time.Time{}, fmt.Errorf("no month %d: this file writes dates %s", month, order)
		}
		return time.Time{}, errNoDate
	}
	// ParseLocal's handling of daylight-saving gaps, on a layout of the
	// fields read.
	return ingest.ParseLocal("2006-01-02 15:04:05.999999999",
		fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d.%09d", d.year, month, day, hour, d.min, d.sec, d.nsec), zone)
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
