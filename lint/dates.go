package lint

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var (
	reISO      = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	reNumeric  = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b`)
	reDayMonth = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b`)
	reMonthDay = regexp.MustCompile(`(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`)
	reMonthYr  = regexp.MustCompile(`(?i)\b(?:end of\s+)?([a-z]{3,9})\s+(\d{4})\b`)
	reQuarter  = regexp.MustCompile(`(?i)\b(?:end of\s+)?q([1-4])\s*(?:fy)?'?(\d{4}|\d{2})\b|\b(\d{4})\s*-?\s*q([1-4])\b`)
)

// parseDue reads a due date as teams write it: 2026-04-15, 2026/04/15,
// 15 Apr 2026, April 15, 2026, 04/15/2026 (day first when the first number
// cannot be a month), "Q2 2026" and "April 2026" (the last day of the
// period). A date without a year takes the reference date's year, or the
// next year when that would put it more than 6 months before ref. The
// second result is false when no date is there ("soon", "next sprint").
func parseDue(s string, ref time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if m := reISO.FindStringSubmatch(s); m != nil {
		return mkdate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := reDayMonth.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[2])]; ok {
			return mkdate(atoi(m[3]), int(mo), atoi(m[1]))
		}
	}
	if m := reMonthDay.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[1])]; ok {
			if m[3] != "" {
				return mkdate(atoi(m[3]), int(mo), atoi(m[2]))
			}
			if ref.IsZero() {
				return time.Time{}, false
			}
			t, ok := mkdate(ref.Year(), int(mo), atoi(m[2]))
			if ok && t.Before(ref.AddDate(0, -6, 0)) {
				t = t.AddDate(1, 0, 0)
			}
			return t, ok
		}
	}
	if m := reNumeric.FindStringSubmatch(s); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if y < 100 {
			y += 2000
		}
		if a > 12 {
			return mkdate(y, b, a) // day first
		}
		return mkdate(y, a, b) // month first, as US teams write
	}
	if m := reQuarter.FindStringSubmatch(s); m != nil {
		q, y := atoi(m[1]), atoi(m[2])
		if m[3] != "" {
			q, y = atoi(m[4]), atoi(m[3])
		}
		if y < 100 {
			y += 2000
		}
		return time.Date(y, time.Month(q*3)+1, 0, 0, 0, 0, 0, time.UTC), true
	}
	if m := reMonthYr.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[1])]; ok {
			return time.Date(atoi(m[2]), mo+1, 0, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

func mkdate(y, m, d int) (time.Time, bool) {
	if y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 April
	}
	return t, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// docDate finds the date a postmortem is about: front matter `date:`, a
// "Date" field in a table or line, else the first full date in its title
// or first lines.
func docDate(d *Document, front map[string]string) time.Time {
	for _, k := range []string{"date", "incident_date", "incident-date", "created", "published"} {
		if v, ok := front[k]; ok {
			if t, ok := parseDue(v, time.Time{}); ok {
				return t
			}
		}
	}
	for _, tab := range d.Tables {
		for _, row := range tab.Rows {
			if len(row) >= 2 && isDateField(row[0].Text) {
				if t, ok := parseDue(row[1].Text, time.Time{}); ok {
					return t
				}
			}
		}
		if len(tab.Header) >= 2 && isDateField(tab.Header[0].Text) {
			if t, ok := parseDue(tab.Header[1].Text, time.Time{}); ok {
				return t
			}
		}
	}
	for i := range d.Blocks {
		b := &d.Blocks[i]
		if k, v, ok := strings.Cut(b.Text, ":"); ok && isDateField(k) {
			if t, ok := parseDue(v, time.Time{}); ok {
				return t
			}
		}
	}
	// The first full date in the first blocks (titles carry it).
	for i := range min(len(d.Blocks), 8) {
		if t, ok := firstFullDate(d.Blocks[i].Text); ok {
			return t
		}
	}
	return time.Time{}
}

func isDateField(s string) bool {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "*_"))
	switch s {
	case "date", "incident date", "date of incident", "when", "incident start", "start", "started", "start time", "occurred", "date/time":
		return true
	}
	return false
}

// firstFullDate is parseDue limited to dates with a year.
func firstFullDate(s string) (time.Time, bool) {
	if m := reISO.FindStringSubmatch(s); m != nil {
		return mkdate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := reDayMonth.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[2])]; ok {
			return mkdate(atoi(m[3]), int(mo), atoi(m[1]))
		}
	}
	for _, m := range reMonthDay.FindAllStringSubmatch(s, -1) {
		if mo, ok := months[strings.ToLower(m[1])]; ok && m[3] != "" {
			return mkdate(atoi(m[3]), int(mo), atoi(m[2]))
		}
	}
	return time.Time{}, false
}
